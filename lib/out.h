/*
 * Fixed-buffer output with full writes, instead of stdio: the caller owns
 * the buffer, nothing is allocated, and a flush reports write errors.
 */
#ifndef OUT_H
#define OUT_H

#include <stddef.h>

struct out {
	int fd;
	char *buf;
	size_t size;
	size_t len;
	int err;	/* errno of the first failed write, or 0 */
};

#define OUT_INIT(fd, buf) { (fd), (buf), sizeof(buf), 0, 0 }

void	out_put(struct out *, const char *, size_t);
void	out_puts(struct out *, const char *);
void	out_putc(struct out *, char);
void	out_putu(struct out *, unsigned long long);
int	out_flush(struct out *);

#endif
