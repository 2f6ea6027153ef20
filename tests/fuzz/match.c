/*
 * libFuzzer harness for multilog's pattern matcher (multilog/match.c): the
 * input is a pattern, a NUL, then the line (any bytes, not terminated, so
 * ASan sees any read past its end). The answer must be daemontools' own
 * (its match.c, transcribed below as the oracle).
 */
// sources: multilog/match.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../multilog/multilog.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* daemontools-0.76 match.c, reformatted. */
static int
djb_match(const char *pattern, const char *buf, size_t len)
{
	char ch;

	for (;;) {
		ch = *pattern++;
		if (!ch)
			return !len;
		if (ch == '*') {
			ch = *pattern;
			if (!ch)
				return 1;
			for (;;) {
				if (!len)
					return 0;
				if (*buf == ch)
					break;
				++buf;
				--len;
			}
			continue;
		}
		if (!len)
			return 0;
		if (*buf != ch)
			return 0;
		++buf;
		--len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const uint8_t *nul = memchr(data, '\0', len);
	size_t plen, llen;
	char *pat, *line;

	if (nul == NULL)
		return 0;
	plen = (size_t)(nul - data);
	llen = len - plen - 1;
	pat = malloc(plen + 1);
	memcpy(pat, data, plen + 1);
	line = malloc(llen ? llen : 1);
	memcpy(line, nul + 1, llen);
	if (match(pat, line, llen) != djb_match(pat, line, llen))
		abort();
	free(pat);
	free(line);
	return 0;
}
