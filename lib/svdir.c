/*
 * Service directory helpers; see svdir.h and servicedir(5). A supervise is
 * "running" when a non-blocking open for writing of one of its FIFOs
 * succeeds: it holds them open for reading, and the open fails with ENXIO
 * when nobody does. A FIFO that does not exist yet (a directory never
 * supervised, or a supervise symlink still dangling) means the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "fifo.h"
#include "io.h"
#include "svdir.h"

int
svdir_open(const char *dir)
{
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/*
 * Returns 1 if a supervise runs on the directory; 0 if not, with errno
 * ENXIO (nobody reads supervise/ok) or ENOENT (there is no such FIFO);
 * -1 on error.
 */
int
svdir_running(int dfd)
{
	int fd;

	fd = fifo_open_write(dfd, "supervise/ok");
	if (fd != -1) {
		close(fd);
		return 1;
	}
	if (errno == ENXIO || errno == ENOENT)
		return 0;
	return -1;
}

/*
 * Writes the command letters to supervise/control in one write, which is
 * atomic for up to PIPE_BUF bytes. Fails with ENXIO when no supervise
 * reads the FIFO (also when it does not exist).
 */
int
svdir_control(int dfd, const char *cmds, size_t len)
{
	int fd, e;

	fd = fifo_open_write(dfd, "supervise/control");
	if (fd == -1) {
		if (errno == ENOENT)
			errno = ENXIO;
		return -1;
	}
	if (io_writeall(fd, cmds, len) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

/* Reads supervise/status; -1 with EPROTO for a record of a bad length. */
int
svdir_status(int dfd, struct status *s)
{
	return status_read(dfd, s);
}
