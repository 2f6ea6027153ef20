/*
 * tai64nlocal: turn the TAI64N label at the start of each line ('@' and 24
 * hex digits, as tai64n and multilog write them) into local time,
 * YYYY-MM-DD HH:MM:SS.nnnnnnnnn, and copy everything else unchanged. See
 * tai64nlocal(1).
 *
 * Fast enough for big logs: 64 KiB reads, one write per read, and the date
 * is only recomputed when the second changes.
 */
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/io.h"
#include "../lib/opt.h"
#include "../lib/out.h"
#include "../lib/stdfd.h"
#include "tai64nlocal.h"

#define USAGE "tai64nlocal"

static struct {
	char in[65536];
	char out[131072];
	size_t len;		/* bytes in in[] */
	struct conv c;
} tl = { .c = CONV_INIT };

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	struct out out = OUT_INIT(1, tl.out);
	ssize_t r;
	size_t used;

	err_setprog(argv[0]);
	stdfd_ensure();
	while (opt_get(&o, argc, argv, "") != -1)
		err_usage(USAGE);
	if (argc != o.ind)
		err_usage(USAGE);

	do {
		r = io_read(0, tl.in + tl.len, sizeof(tl.in) - tl.len);
		if (r == -1)
			err_diesys(EXIT_TEMP, "unable to read input", (char *)0);
		tl.len += (size_t)r;
		used = conv_run(&tl.c, &out, tl.in, tl.len, r == 0);
		memmove(tl.in, tl.in + used, tl.len - used);
		tl.len -= used;
		if (out_flush(&out) == -1)
			err_diesys(EXIT_TEMP, "unable to write output",
			    (char *)0);
	} while (r > 0);
	return 0;
}
