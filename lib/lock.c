/*
 * Locks; see lock.h. flock(2) is not POSIX but every system we target has
 * it, and only flock locks are seen by daemontools' supervise and setlock.
 */
#include <sys/file.h>

#include <errno.h>

#include "lock.h"

int
lock_ex(int fd)
{
	int r;

	do
		r = flock(fd, LOCK_EX);
	while (r == -1 && errno == EINTR);
	return r;
}

int
lock_exnb(int fd)
{
	return flock(fd, LOCK_EX | LOCK_NB);
}
