/*
 * multilog's patterns (multilog(8)): a star matches any string that does
 * not contain the character following it in the pattern, a star at the
 * end matches anything, every other character matches itself, and the
 * pattern must cover the whole line (or its first 1000 bytes). This is
 * daemontools' rule, not fnmatch(3): "named[*]: *" must keep working.
 */
#include <string.h>

#include "multilog.h"

int
match(const char *pat, const char *s, size_t len)
{
	const char *stop;
	char c;

	while ((c = *pat++) != '\0') {
		if (c != '*') {
			if (len == 0 || *s != c)
				return 0;
			s++;
			len--;
			continue;
		}
		if (*pat == '\0')
			return 1;
		/* The star stops at the first occurrence of what follows. */
		stop = memchr(s, *pat, len);
		if (stop == NULL)
			return 0;
		len -= (size_t)(stop - s);
		s = stop;
	}
	return len == 0;
}
