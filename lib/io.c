/*
 * Descriptor I/O helpers; see io.h. io_replace is how every file that other
 * processes read (status, pid, stat) is written: a reader sees the old
 * contents or the new ones, never a mixture.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>	/* renameat(2) only; no buffered I/O */
#include <string.h>
#include <unistd.h>

#include "io.h"

ssize_t
io_read(int fd, void *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r == -1 && errno == EINTR);
	return r;
}

int
io_writeall(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Reads up to size bytes of the regular file name (relative to dirfd)
 * into buf. Returns the number of bytes read, or -1. A file larger than
 * size is truncated to size; the caller decides whether that is an error.
 * A short read of a regular file is its end: no second read to see 0.
 * Anything but a regular file (a FIFO put where a configuration or state
 * file should be, a device, a directory) fails with EINVAL without being
 * read: opened non-blocking, so that a FIFO with no writer cannot hang
 * the caller.
 */
ssize_t
io_readfile(int dirfd, const char *name, char *buf, size_t size)
{
	struct stat st;
	ssize_t r;
	int fd, e;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	r = io_read(fd, buf, size);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

/*
 * Replaces the file name (relative to dirfd) by writing name.new and
 * renaming it over name.
 */
int
io_replace(int dirfd, const char *name, const void *buf, size_t n, mode_t mode)
{
	char tmp[PATH_MAX];
	size_t len = strlen(name);
	int fd, e;

	if (len + 5 > sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(tmp, name, len);
	memcpy(tmp + len, ".new", 5);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOCTTY, mode);
	if (fd == -1)
		return -1;
	if (io_writeall(fd, buf, n) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	if (renameat(dirfd, tmp, dirfd, name) == -1) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	e = errno;
	if (fd != -1)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	errno = e;
	return -1;
}

int
io_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags == -1)
		return -1;
	return fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

int
io_nonblock(int fd)
{
	int flags = fcntl(fd, F_GETFL);

	if (flags == -1)
		return -1;
	return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}
