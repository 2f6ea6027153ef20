/*
 * libFuzzer harness for the strict number parser and the TAI64N label
 * parser (lib/fmt.c, lib/tai.c): what parses must print back the same.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/fmt.h"
#include "../../lib/tai.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char s[64], back[FMT_ULONG + TAI_HEX];
	unsigned long long u;
	struct tai t;
	size_t i;

	if (len >= sizeof(s))
		return 0;
	memcpy(s, data, len);
	s[len] = '\0';
	if (fmt_scanu(s, ~0ULL, &u) == 0) {
		back[fmt_ulong(back, u)] = '\0';
		/* Leading zeros are accepted; the value must match. */
		for (i = 0; s[i] == '0' && s[i + 1] != '\0'; i++)
			;
		if (strcmp(back, s + i) != 0)
			abort();
	}
	if (tai_scan(s, &t) == TAI_HEX) {
		tai_fmt(back, &t);
		for (i = 0; i < TAI_HEX; i++)
			if (back[i] != s[i] && back[i] != s[i] - 'A' + 'a')
				abort();
	}
	return 0;
}
