/*
 * svscan: taking an entry down, service first, logger after, so that the
 * logger reads the service's last lines from the pipe before it goes; and
 * the SIGKILLs that bound a shutdown. See svscan(8).
 */
#include <sys/ioctl.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "../lib/fmt.h"
#include "../lib/io.h"
#include "../lib/status.h"
#include "../lib/tai.h"
#include "svscan.h"

#define QUIET 100	/* ms the log pipe stays empty before the logger goes */

/*
 * Writes cmd into the control FIFO of the service's (0) or logger's (1)
 * supervise. A directory removed with rm -rf has lost its FIFO: then a
 * "dx" becomes SIGTERM, which our supervise reads as dx.
 */
static void
tell(struct entry *x, int which, const char *cmd, size_t len)
{
	int fd;

	if (x->sup[which].pid == 0)
		return;
	fd = openat(x->dfd, which ? "log/supervise/control" :
	    "supervise/control", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd != -1) {
		if (io_writeall(fd, cmd, len) == 0) {
			close(fd);
			return;
		}
		close(fd);
	}
	if (cmd[len - 1] == 'x' && len > 1)
		kill(x->sup[which].pid, SIGTERM);
}

void
stop_begin(struct entry *x)
{
	x->stage = STOPSV;
	x->sup[0].retry = 0;
	if (x->sup[0].pid == 0)
		stop_exited(x, 0);
	else
		tell(x, 0, "dx", 2);
}

/* Called when a supervise of an entry that is not in RUN has exited. */
void
stop_exited(struct entry *x, int which)
{
	if (which == 1) {
		if (x->stage != STOPSV)
			x->stage = DONE;
		return;
	}
	if (x->stage != STOPSV)
		return;
	if (!x->log) {
		x->stage = DONE;
		return;
	}
	/* The logger sees end of file once the service's writers are gone. */
	close(x->pi[1]);
	x->pi[1] = -1;
	x->stage = DRAIN;
	x->since = x->quiet = mono_ms();
	tell(x, 1, "x", 1);
}

/*
 * An entry in DRAIN: once the pipe has been empty for QUIET ms (FIONREAD
 * on the read end we hold), or after the grace time, the logger's
 * supervise is told dx. A logger that exits by itself at end of file
 * makes its supervise exit first (it was told x).
 */
void
stop_tick(struct entry *x, int64_t now)
{
	int n = 0;

	x->sup[1].retry = 0;
	if (x->sup[1].pid == 0) {
		x->stage = DONE;
		return;
	}
	if (ioctl(x->pi[0], FIONREAD, &n) == -1)
		n = 0;
	if (n > 0)
		x->quiet = now;
	if (now - x->quiet >= QUIET || now - x->since >= S.grace) {
		x->stage = STOPLOG;
		tell(x, 1, "dx", 2);
	}
}

void
stop_all(void)
{
	int64_t now = mono_ms();
	int i;

	S.stopping = 1;
	S.killat = now + S.grace;
	S.endat = now + 2 * S.grace + THROTTLE;
	for (i = 0; i < S.n; i++)
		if (S.e[i]->stage == RUN)
			stop_begin(S.e[i]);
}

/* The pid of the service under dfd's supervise: pid file, else status. */
static pid_t
svpid(int dfd)
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
	if (status_read(dfd, &st) == 0)
		return (pid_t)st.pid;
	return 0;
}

static void
killsv(struct entry *x, int which)
{
	pid_t pid;
	int fd;

	if (x->sup[which].pid == 0)
		return;
	fd = which ? openat(x->dfd, "log", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC) : x->dfd;
	if (fd == -1)
		return;
	pid = svpid(fd);
	if (pid > 1)
		kill(pid, SIGKILL);
	if (which)
		close(fd);
}

/*
 * The deadlines of a shutdown. At the grace time, services still up get
 * SIGKILL and loggers are told to go; a grace time later, whatever is
 * left, supervise processes included, gets SIGKILL.
 */
void
stop_kill(int64_t now)
{
	struct entry *x;
	int i;

	for (i = 0; i < S.n; i++) {
		x = S.e[i];
		if (S.killat != 0 && now >= S.killat) {
			if (x->stage == STOPSV)
				killsv(x, 0);
			if (x->stage == DRAIN)
				x->since = now - S.grace;
		}
		if (S.endat != 0 && now >= S.endat) {
			killsv(x, 0);
			killsv(x, 1);
			if (x->sup[0].pid != 0)
				kill(x->sup[0].pid, SIGKILL);
			if (x->sup[1].pid != 0)
				kill(x->sup[1].pid, SIGKILL);
		}
	}
	if (S.killat != 0 && now >= S.killat)
		S.killat = 0;
	if (S.endat != 0 && now >= S.endat)
		S.endat = 0;
}
