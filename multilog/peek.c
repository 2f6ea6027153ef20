/*
 * Looking at stdin without consuming it, so that a SIGKILL cannot lose a
 * line multilog has started to read but not yet written: the bytes stay in
 * the pipe (which svscan holds open) until they are safely in the log.
 * Linux does it with tee(2) into a private pipe; elsewhere, or when stdin
 * is not a pipe, peek_open fails and multilog reads as daemontools does.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "../lib/io.h"
#include "multilog.h"

static int scratch[2] = { -1, -1 };

int
peek_open(int fd)
{
#ifdef __linux__
	struct stat st;

	if (fstat(fd, &st) == -1 || !S_ISFIFO(st.st_mode))
		return -1;
	if (pipe2(scratch, O_CLOEXEC | O_NONBLOCK) == -1)
		return -1;
	return 0;
#else
	(void)fd;
	errno = ENOSYS;
	return -1;
#endif
}

/*
 * Copies up to n bytes from the head of the pipe fd into buf, leaving them
 * in the pipe. Returns the count, 0 at the end of input, or -1.
 */
ssize_t
peek(int fd, char *buf, size_t n)
{
#ifdef __linux__
	ssize_t r, got = 0, t;

	do
		r = tee(fd, scratch[1], n, 0);
	while (r == -1 && errno == EINTR);
	if (r <= 0)
		return r;
	while (got < r) {
		t = io_read(scratch[0], buf + got, (size_t)(r - got));
		if (t <= 0)
			return -1;
		got += t;
	}
	return r;
#else
	(void)fd, (void)buf, (void)n;
	errno = ENOSYS;
	return -1;
#endif
}

/* Consumes n bytes already seen through peek. */
int
peek_skip(int fd, size_t n)
{
	char junk[1024];
	ssize_t r;

	while (n > 0) {
		r = io_read(fd, junk, n < sizeof(junk) ? n : sizeof(junk));
		if (r <= 0)
			return -1;
		n -= (size_t)r;
	}
	return 0;
}
