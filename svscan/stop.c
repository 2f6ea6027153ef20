/*
 * svscan: taking an entry down, service first, logger after, so that the
 * logger reads the service's last lines from the pipe before it goes; and
 * the SIGKILLs that bound a shutdown. See svscan(8).
 */
#include <sys/ioctl.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "../lib/svdir.h"
#include "../lib/tai.h"
#include "svscan.h"

#define QUIET 100	/* ms the log pipe stays empty before the logger goes */
#define FINAL 2000	/* ms from the grace time to the last SIGKILLs */

/*
 * Writes cmd into the control FIFO of the service's (0) or logger's (1)
 * supervise. A directory removed with rm -rf has lost its FIFO: then a
 * "dx" becomes SIGTERM, which our supervise reads as dx.
 */
void
stop_tell(struct entry *x, int which, const char *cmd, size_t len)
{
	int fd, r = -1;

	if (x->sup[which].pid == 0)
		return;
	fd = which ? openat(x->dfd, "log", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC) : x->dfd;
	if (fd != -1) {
		r = svdir_control(fd, cmd, len);
		if (which)
			close(fd);
	}
	if (r == -1 && cmd[len - 1] == 'x' && len > 1)
		kill(x->sup[which].pid, SIGTERM);
}

/*
 * Our logger's supervise for x exited at once (111: another supervise
 * holds log/supervise/lock). That is one left by an svscan that was
 * killed, reading that svscan's pipe, which we cannot reach. It is told
 * x: it exits once its logger is down, which is at the end of the old
 * pipe, when the old service is gone (its own supervise dead, and the
 * leftover stopped by ours). Until then ours is retried on the throttle,
 * our service writing into our pipe meanwhile: no line is lost.
 */
void
stop_foreign_logger(struct entry *x)
{
	int fd;

	fd = openat(x->dfd, "log", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return;
	if (svdir_running(fd) == 1)
		(void)svdir_control(fd, "x", 1);
	close(fd);
}

void
stop_begin(struct entry *x)
{
	x->stage = STOPSV;
	x->sup[0].retry = 0;
	if (x->sup[0].pid == 0)
		stop_exited(x, 0);
	else
		stop_tell(x, 0, "dx", 2);
}

/* Called when a supervise of an entry that is not in RUN has exited. */
void
stop_exited(struct entry *x, int which)
{
	/* A logger gone during DRAIN is stop_tick's to judge. */
	if (which == 1) {
		if (x->stage == STOPLOG)
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
	stop_tell(x, 1, "x", 1);
}

/*
 * An entry in DRAIN: once the pipe has been empty for QUIET ms (FIONREAD
 * on the read end we hold), or after the grace time, the logger's
 * supervise is told dx. A logger that exits by itself at end of file
 * makes its supervise exit first (it was told x). A logger that is not
 * running (it died, or waits out its restart throttle) while the pipe
 * still holds lines is started again, on the throttle, so that those
 * lines are logged before the entry ends; an empty pipe ends it.
 */
void
stop_tick(struct entry *x, int64_t now)
{
	struct sup *l = &x->sup[1];
	int n = 0;

	if (ioctl(x->pi[0], FIONREAD, &n) == -1)
		n = 0;
	if (l->pid == 0) {
		if (n == 0 || now - x->since >= S.grace) {
			x->stage = DONE;
			return;
		}
		if (l->retry == 0)
			l->retry = l->born + THROTTLE;
		if (l->retry <= now)
			spawn(x, 1);
		return;
	}
	l->retry = 0;
	if (n > 0)
		x->quiet = now;
	if (now - x->quiet >= QUIET || now - x->since >= S.grace) {
		x->stage = STOPLOG;
		stop_tell(x, 1, "dx", 2);
	}
}

void
stop_all(void)
{
	int64_t now = mono_ms();
	int i;

	S.stopping = 1;
	/*
	 * A main program still running is told to go too. One grace time
	 * bounds the whole shutdown: it counts from when the main program
	 * was told, so a main program slow to exit leaves the services less.
	 */
	if (S.progpid != 0 && S.termat == 0) {
		kill(S.progpid, SIGTERM);
		S.termat = now;
	}
	S.killat = (S.termat != 0 ? S.termat : now) + S.grace;
	if (S.killat < now)
		S.killat = now;
	/* Loggers told to go at the grace time have this long to finish. */
	S.endat = S.killat + FINAL;
	for (i = 0; i < S.n; i++)
		if (S.e[i]->stage == RUN)
			stop_begin(S.e[i]);
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
	pid = svdir_pid(fd);
	/*
	 * A killpg service leads its own process group: the whole group
	 * goes, so that no child of it outlives the shutdown.
	 */
	if (pid > 1 && getpgid(pid) == pid &&
	    faccessat(fd, "killpg", F_OK, 0) == 0)
		kill(-pid, SIGKILL);
	else if (pid > 1)
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
	if (S.progpid != 0 && ((S.killat != 0 && now >= S.killat) ||
	    (S.endat != 0 && now >= S.endat)))
		kill(S.progpid, SIGKILL);
	if (S.killat != 0 && now >= S.killat)
		S.killat = 0;
	if (S.endat != 0 && now >= S.endat)
		S.endat = 0;
}
