/*
 * See stdfd.h. The descriptors opened here are 0, 1 or 2, which are meant
 * to be inherited: they are the one place where O_CLOEXEC is cleared.
 */
#include <fcntl.h>
#include <unistd.h>

#include "err.h"
#include "stdfd.h"

/* Returns 0, or -1 if /dev/null cannot be opened. */
int
stdfd_open(void)
{
	int fd;

	for (;;) {
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (fd == -1)
			return -1;
		if (fd > 2)
			break;
		if (fcntl(fd, F_SETFD, 0) == -1)
			return -1;
	}
	close(fd);
	return 0;
}

/* stdfd_open, or exit 111 (the message may have nowhere to go). */
void
stdfd_ensure(void)
{
	if (stdfd_open() == -1)
		err_diesys(EXIT_TEMP, "unable to open /dev/null", (char *)0);
}
