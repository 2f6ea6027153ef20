/*
 * TAI64N pack, unpack, print and parse, and the monotonic clock; see tai.h.
 * Like daemontools, the label ignores leap seconds (TAI - 10 s = UTC), so
 * our labels and daemontools' agree byte for byte.
 */
#include <time.h>

#include "tai.h"

void
tai_now(struct tai *t)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	t->sec = TAI_EPOCH + (uint64_t)ts.tv_sec;
	t->nano = (uint32_t)ts.tv_nsec;
}

void
tai_pack(char *buf, const struct tai *t)
{
	unsigned char *b = (unsigned char *)buf;
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(t->sec >> (56 - 8 * i));
	for (i = 0; i < 4; i++)
		b[8 + i] = (unsigned char)(t->nano >> (24 - 8 * i));
}

void
tai_unpack(const char *buf, struct tai *t)
{
	const unsigned char *b = (const unsigned char *)buf;
	int i;

	t->sec = 0;
	for (i = 0; i < 8; i++)
		t->sec = (t->sec << 8) | b[i];
	t->nano = 0;
	for (i = 0; i < 4; i++)
		t->nano = (t->nano << 8) | b[8 + i];
}

/* Writes '@' and 24 hex digits (no NUL); returns TAI_HEX. */
size_t
tai_fmt(char *s, const struct tai *t)
{
	static const char hex[] = "0123456789abcdef";
	char b[TAI_PACK];
	int i;

	tai_pack(b, t);
	s[0] = '@';
	for (i = 0; i < TAI_PACK; i++) {
		s[1 + 2 * i] = hex[(unsigned char)b[i] >> 4];
		s[2 + 2 * i] = hex[(unsigned char)b[i] & 15];
	}
	return TAI_HEX;
}

/*
 * Parses '@' and 24 hex digits (either case) at the start of s. Returns
 * TAI_HEX, or 0 if s does not start with a label.
 */
size_t
tai_scan(const char *s, struct tai *t)
{
	char b[TAI_PACK];
	int i, d, v;

	if (s[0] != '@')
		return 0;
	for (i = 0; i < 2 * TAI_PACK; i++) {
		d = s[1 + i];
		if (d >= '0' && d <= '9')
			v = d - '0';
		else if (d >= 'a' && d <= 'f')
			v = d - 'a' + 10;
		else if (d >= 'A' && d <= 'F')
			v = d - 'A' + 10;
		else
			return 0;
		if (i % 2 == 0)
			b[i / 2] = (char)(v << 4);
		else
			b[i / 2] = (char)(b[i / 2] | v);
	}
	tai_unpack(b, t);
	return TAI_HEX;
}

/* Unix seconds of a label. */
int64_t
tai_unix(const struct tai *t)
{
	return (int64_t)(t->sec - TAI_EPOCH);
}

int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
