/*
 * tai64nlocal's conversion, apart from main so that a fuzzing harness can
 * link it: the TAI64N label at the start of each line becomes local time,
 * everything else is copied unchanged. See tai64nlocal(1).
 */
#include <string.h>
#include <time.h>

#include "../lib/out.h"
#include "../lib/tai.h"
#include "tai64nlocal.h"

static void
put(char *s, int w, long v)
{
	while (w-- > 0) {
		s[w] = (char)('0' + v % 10);
		v /= 10;
	}
}

/*
 * Fills c->date with the local time of sec. Returns -1 for a time that
 * has no YYYY form (localtime_r fails, or the year is not 0 to 9999).
 */
static int
date(struct conv *c, int64_t sec)
{
	struct tm tm;
	time_t t = (time_t)sec;

	if (localtime_r(&t, &tm) == NULL || tm.tm_year < -1900 ||
	    tm.tm_year > 9999 - 1900)
		return -1;
	c->sec = sec;
	c->have = 1;
	put(c->date, 4, tm.tm_year + 1900L);
	c->date[4] = '-';
	put(c->date + 5, 2, tm.tm_mon + 1);
	c->date[7] = '-';
	put(c->date + 8, 2, tm.tm_mday);
	c->date[10] = ' ';
	put(c->date + 11, 2, tm.tm_hour);
	c->date[13] = ':';
	put(c->date + 14, 2, tm.tm_min);
	c->date[16] = ':';
	put(c->date + 17, 2, tm.tm_sec);
	return 0;
}

/*
 * Writes the local time of t. Returns -1, writing nothing, for a label
 * that is no time: nanoseconds past 999999999, or a date beyond YYYY.
 */
static int
human(struct conv *c, struct out *o, const struct tai *t)
{
	char nano[10];

	if (t->nano > 999999999)
		return -1;
	if ((!c->have || c->sec != tai_unix(t)) && date(c, tai_unix(t)) == -1)
		return -1;
	out_put(o, c->date, DATE_LEN);
	nano[0] = '.';
	put(nano + 1, 9, (long)t->nano);
	out_put(o, nano, sizeof(nano));
	return 0;
}

/*
 * Converts what can be converted in in[0..len) to o; returns how many bytes
 * were used. At the start of a line fewer than 25 bytes without a newline
 * are kept for the next call, unless this is the end of input (eof).
 */
size_t
conv_run(struct conv *c, struct out *o, const char *in, size_t len, int eof)
{
	const char *s = in, *end = in + len, *nl;
	struct tai t;

	while (s < end) {
		if (c->start) {
			if (end - s < TAI_HEX && !eof &&
			    memchr(s, '\n', (size_t)(end - s)) == NULL)
				break;
			if (end - s >= TAI_HEX && tai_scan(s, &t) == TAI_HEX &&
			    human(c, o, &t) == 0)
				s += TAI_HEX;
		}
		nl = memchr(s, '\n', (size_t)(end - s));
		c->start = nl != NULL;
		nl = nl ? nl + 1 : end;
		out_put(o, s, (size_t)(nl - s));
		s = nl;
	}
	return (size_t)(s - in);
}

