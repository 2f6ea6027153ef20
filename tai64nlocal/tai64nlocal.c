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
#include <time.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/io.h"
#include "../lib/opt.h"
#include "../lib/out.h"
#include "../lib/tai.h"

#define USAGE "tai64nlocal"
#define DATE_LEN 19	/* YYYY-MM-DD HH:MM:SS */

static struct {
	char in[65536];
	char out[131072];
	size_t len;		/* bytes in in[] */
	int start;		/* in[0] starts a line */
	int64_t sec;		/* the second date[] shows */
	int have;
	char date[DATE_LEN];
} tl = { .start = 1 };

static void
put(char *s, int w, long v)
{
	while (w-- > 0) {
		s[w] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Writes the local time of t. */
static void
human(struct out *o, const struct tai *t)
{
	char nano[10];
	struct tm tm;
	time_t sec;

	if (!tl.have || tl.sec != tai_unix(t)) {
		tl.sec = tai_unix(t);
		tl.have = 1;
		sec = (time_t)tl.sec;
		localtime_r(&sec, &tm);
		put(tl.date, 4, tm.tm_year + 1900L);
		tl.date[4] = '-';
		put(tl.date + 5, 2, tm.tm_mon + 1);
		tl.date[7] = '-';
		put(tl.date + 8, 2, tm.tm_mday);
		tl.date[10] = ' ';
		put(tl.date + 11, 2, tm.tm_hour);
		tl.date[13] = ':';
		put(tl.date + 14, 2, tm.tm_min);
		tl.date[16] = ':';
		put(tl.date + 17, 2, tm.tm_sec);
	}
	out_put(o, tl.date, DATE_LEN);
	nano[0] = '.';
	put(nano + 1, 9, (long)t->nano);
	out_put(o, nano, sizeof(nano));
}

/*
 * Converts what can be converted in in[0..len); returns how many bytes were
 * used. At the start of a line fewer than 25 bytes without a newline are
 * kept for the next read, unless this is the end of input.
 */
static size_t
convert(struct out *o, int eof)
{
	const char *s = tl.in, *end = tl.in + tl.len, *nl;
	struct tai t;

	while (s < end) {
		if (tl.start) {
			if (end - s < TAI_HEX && !eof &&
			    memchr(s, '\n', (size_t)(end - s)) == NULL)
				break;
			if (end - s >= TAI_HEX && tai_scan(s, &t) == TAI_HEX) {
				human(o, &t);
				s += TAI_HEX;
			}
		}
		nl = memchr(s, '\n', (size_t)(end - s));
		tl.start = nl != NULL;
		nl = nl ? nl + 1 : end;
		out_put(o, s, (size_t)(nl - s));
		s = nl;
	}
	return (size_t)(s - tl.in);
}

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	struct out out = OUT_INIT(1, tl.out);
	ssize_t r;
	size_t used;

	err_setprog(argv[0]);
	while (opt_get(&o, argc, argv, "") != -1)
		err_usage(USAGE);
	if (argc != o.ind)
		err_usage(USAGE);

	do {
		r = io_read(0, tl.in + tl.len, sizeof(tl.in) - tl.len);
		if (r == -1)
			err_diesys(EXIT_TEMP, "unable to read input", (char *)0);
		tl.len += (size_t)r;
		used = convert(&out, r == 0);
		memmove(tl.in, tl.in + used, tl.len - used);
		tl.len -= used;
		if (out_flush(&out) == -1)
			err_diesys(EXIT_TEMP, "unable to write output",
			    (char *)0);
	} while (r > 0);
	return 0;
}
