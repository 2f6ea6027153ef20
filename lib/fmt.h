/*
 * Number formatting and strict parsing: digits only, the whole string,
 * no sign, no overflow.
 */
#ifndef FMT_H
#define FMT_H

#include <stddef.h>

#define FMT_ULONG 21	/* room for any unsigned long long, plus a NUL */

size_t	fmt_ulong(char *, unsigned long long);
int	fmt_scanu(const char *, unsigned long long, unsigned long long *);

#endif
