/*
 * tai64n: put a TAI64N label, '@' and 24 hex digits, and a space in front
 * of every line of stdin. See tai64n(1).
 *
 * Built to keep up with a busy log: 64 KiB reads, one clock reading per
 * read (every line starting in it gets that stamp) and one write per read,
 * so that lines are passed on as soon as they arrive, never held back.
 */
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/io.h"
#include "../lib/opt.h"
#include "../lib/out.h"
#include "../lib/stdfd.h"
#include "../lib/tai.h"

#define USAGE "tai64n"

static char inbuf[65536];
static char outbuf[262144];	/* flushed once per read, or when full */

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	struct out out = OUT_INIT(1, outbuf);
	char label[TAI_HEX + 1];
	const char *s, *nl;
	struct tai now;
	int start = 1;
	ssize_t r;
	size_t n, k;

	err_setprog(argv[0]);
	stdfd_ensure();
	while (opt_get(&o, argc, argv, "") != -1)
		err_usage(USAGE);
	if (argc != o.ind)
		err_usage(USAGE);

	while ((r = io_read(0, inbuf, sizeof(inbuf))) > 0) {
		tai_now(&now);
		tai_fmt(label, &now);
		label[TAI_HEX] = ' ';
		for (s = inbuf, n = (size_t)r; n > 0; s += k, n -= k) {
			if (start)
				out_put(&out, label, sizeof(label));
			nl = memchr(s, '\n', n);
			k = nl ? (size_t)(nl - s) + 1 : n;
			out_put(&out, s, k);
			start = nl != NULL;
		}
		if (out_flush(&out) == -1)
			err_diesys(EXIT_TEMP, "unable to write output",
			    (char *)0);
	}
	if (r == -1)
		err_diesys(EXIT_TEMP, "unable to read input", (char *)0);
	return 0;
}
