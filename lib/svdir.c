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

#include "fmt.h"

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
 * reads the FIFO, ENOENT when there is none (daemontools' svc says "file
 * does not exist" then, and so do we).
 */
int
svdir_control(int dfd, const char *cmds, size_t len)
{
	int fd, e;

	fd = fifo_open_write(dfd, "supervise/control");
	if (fd == -1)
		return -1;
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

/*
 * The pid of the service under dfd's supervise: supervise/pid (runit's
 * and ours), else the status record (daemontools'); 0 when down or
 * unknown.
 */
pid_t
svdir_pid(int dfd)
{
	char buf[FMT_ULONG + 1];
	unsigned long long u;
	struct status st;
	ssize_t r;

	r = io_readfile(dfd, "supervise/pid", buf, sizeof(buf) - 1);
	if (r > 1 && buf[r - 1] == '\n') {
		buf[r - 1] = '\0';
		if (fmt_scanu(buf, 0x7fffffff, &u) == 0)
			return (pid_t)u;
	}
	if (status_read(dfd, &st) == 0 && status_plausible(&st))
		return (pid_t)st.pid;
	return 0;
}
