/*
 * Reads and writes that retry on EINTR and short counts, opens that always
 * set O_CLOEXEC, and the atomic "NAME.new, then rename" file replacement.
 */
#ifndef IO_H
#define IO_H

#include <sys/types.h>

#include <stddef.h>

ssize_t	io_read(int, void *, size_t);
int	io_writeall(int, const void *, size_t);
ssize_t	io_readfile(int, const char *, char *, size_t);
int	io_replace(int, const char *, const void *, size_t, mode_t);
int	io_cloexec(int);
int	io_nonblock(int);

#endif
