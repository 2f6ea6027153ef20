/*
 * Decimal formatting and strict decimal parsing; see fmt.h.
 */
#include <errno.h>

#include "fmt.h"

/* Writes u in decimal to s (when s is not null); returns the length. */
size_t
fmt_ulong(char *s, unsigned long long u)
{
	unsigned long long q = u;
	size_t len = 1, i;

	while (q >= 10) {
		q /= 10;
		len++;
	}
	if (s != NULL)
		for (i = len; i > 0; i--) {
			s[i - 1] = '0' + u % 10;
			u /= 10;
		}
	return len;
}

/*
 * Parses all of s as a decimal number no larger than max. Returns 0, or -1
 * with errno EINVAL (not a number) or ERANGE (too large).
 */
int
fmt_scanu(const char *s, unsigned long long max, unsigned long long *out)
{
	unsigned long long u = 0;
	unsigned d;

	if (*s == '\0') {
		errno = EINVAL;
		return -1;
	}
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9') {
			errno = EINVAL;
			return -1;
		}
		d = *s - '0';
		if (d > max || u > (max - d) / 10) {
			errno = ERANGE;
			return -1;
		}
		u = u * 10 + d;
	}
	*out = u;
	return 0;
}
