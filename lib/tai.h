/*
 * TAI64N time stamps (tai64(5)): an 8-byte big-endian label 2^62 + 10 +
 * Unix seconds, then 4 bytes of big-endian nanoseconds; printed as '@' and
 * 24 lower-case hex digits. Also the monotonic clock used for deadlines.
 */
#ifndef TAI_H
#define TAI_H

#include <stddef.h>
#include <stdint.h>

#define TAI_PACK 12
#define TAI_HEX 25	/* '@' and 24 hex digits */
#define TAI_EPOCH (((uint64_t)1 << 62) + 10)

struct tai {
	uint64_t sec;	/* the TAI64 label */
	uint32_t nano;
};

void	tai_now(struct tai *);
void	tai_pack(char *, const struct tai *);
void	tai_unpack(const char *, struct tai *);
size_t	tai_fmt(char *, const struct tai *);
size_t	tai_scan(const char *, struct tai *);
int64_t	tai_unix(const struct tai *);
int64_t	mono_ms(void);

#endif
