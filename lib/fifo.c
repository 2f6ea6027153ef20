/*
 * FIFO helpers; see fifo.h. Paths are relative to a directory descriptor.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fifo.h"

/* Creates the FIFO unless a FIFO of that name exists already. */
int
fifo_make(int dirfd, const char *name, mode_t mode)
{
	struct stat st;

	if (mkfifoat(dirfd, name, mode) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	if (!S_ISFIFO(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	return 0;
}

int
fifo_open_read(int dirfd, const char *name)
{
	return openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
}

/* Fails with ENXIO when no process has the FIFO open for reading. */
int
fifo_open_write(int dirfd, const char *name)
{
	return openat(dirfd, name, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
}
