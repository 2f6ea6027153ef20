/*
 * The portability layer of scanwatch.h. On Linux, an inotify descriptor
 * (non-blocking, close-on-exec) watching a directory for entries created,
 * deleted or renamed in or out; elsewhere nothing, and the caller polls.
 */
#ifdef __linux__
#include <sys/inotify.h>
#endif

#include <errno.h>
#include <unistd.h>

#include "io.h"
#include "scanwatch.h"

#ifdef __linux__

/* Returns a descriptor to poll for reading, or -1. */
int
scanwatch_open(const char *dir)
{
	int fd, e;

	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd == -1)
		return -1;
	if (inotify_add_watch(fd, dir, IN_CREATE | IN_DELETE | IN_MOVED_FROM |
	    IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF |
	    IN_ONLYDIR) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/*
 * Consumes every pending event. The events themselves do not matter: any
 * of them (an overflow included) means "rescan". Returns 1 if there was
 * at least one, 0 if none, -1 on error.
 */
int
scanwatch_read(int fd)
{
	char buf[4096] __attribute__((aligned(8)));
	ssize_t r;
	int any = 0;

	for (;;) {
		r = io_read(fd, buf, sizeof(buf));
		if (r > 0) {
			any = 1;
			continue;
		}
		if (r == -1 && errno != EAGAIN)
			return -1;
		return any;
	}
}

#else

int
scanwatch_open(const char *dir)
{
	(void)dir;
	errno = ENOSYS;
	return -1;
}

int
scanwatch_read(int fd)
{
	(void)fd;
	return 0;
}

#endif
