/*
 * supervise's state machine: a service is down, running ./run, or running
 * ./finish. Starts are throttled by a deadline (never a sleep), so commands
 * are answered at once at every moment; see supervise(8) for the rules.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/fmt.h"
#include "../lib/io.h"
#include "../lib/sig.h"
#include "supervise.h"

#define THROTTLE 1000		/* ms between two starts of ./run */
#define FINISH_TIMEOUT 5000	/* default timeout-finish, ms */

extern char **environ;

enum { SPAWN_NOFORK = -1, SPAWN_NOEXEC = -2 };

/*
 * Starts argv[0] in a child made by vfork: unlike fork, it copies no page
 * tables and leaves us no copy-on-write faults to take afterwards, which
 * was most of the cost of a start (bench/RESULTS.md). The child makes
 * system calls only. A close-on-exec pipe tells whether the exec worked,
 * so a missing or non-executable program is a failed start, not a run
 * that exited 111; it also keeps this right where vfork is only a fork
 * (valgrind). nfd >= 0 asks for the descriptor nwfd as nfd in the child.
 * Returns the pid, SPAWN_NOFORK or SPAWN_NOEXEC (errno set).
 */
pid_t
sv_spawn(char *const *argv, int nfd, int nwfd)
{
	int syncp[2], e;
	pid_t pid;
	ssize_t r;

	if (pipe2(syncp, O_CLOEXEC) == -1)
		return SPAWN_NOFORK;
	/* The child's dup2 onto nfd must not replace the exec report pipe. */
	if (nfd >= 0 && syncp[1] == nfd) {
		e = fcntl(syncp[1], F_DUPFD_CLOEXEC, nfd + 1);
		close(syncp[1]);
		if (e == -1) {
			close(syncp[0]);
			return SPAWN_NOFORK;
		}
		syncp[1] = e;
	}
	sig_fork_begin();
	pid = vfork();
	if (pid != 0)
		sig_fork_end();
	if (pid == -1) {
		e = errno;
		close(syncp[0]);
		close(syncp[1]);
		errno = e;
		return SPAWN_NOFORK;
	}
	if (pid == 0) {
		close(syncp[0]);
		sig_restore();
		if (sv.killpg)
			setsid();
		if (nfd >= 0) {
			if (nwfd == nfd)
				fcntl(nfd, F_SETFD, 0);
			else
				dup2(nwfd, nfd);
		}
		execve(argv[0], argv, environ);
		e = errno;
		(void)!write(syncp[1], &e, sizeof(e));
		_exit(EXIT_TEMP);
	}
	close(syncp[1]);
	r = io_read(syncp[0], &e, sizeof(e));
	close(syncp[0]);
	if (r == (ssize_t)sizeof(e)) {
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		errno = e;
		return SPAWN_NOEXEC;
	}
	return pid;
}

static void
sendsig(pid_t pid, int sig)
{
	if (pid > 0)
		kill(sv.killpg ? -pid : pid, sig);
}

static void
start(void)
{
	static char run[] = "./run";
	char *argv[] = { run, NULL };
	int n, p[2] = { -1, -1 };
	pid_t pid;

	sv.startat = -1;
	sv.killpg = files_exists("killpg");
	n = files_notifyfd();
	if (n != -1 && pipe2(p, O_CLOEXEC) == -1) {
		err_warnsys("unable to create the notification pipe for ",
		    sv.dir, (char *)0);
		n = -1;
	}
	pid = sv_spawn(argv, n, p[1]);
	/*
	 * The throttle counts from here, after the fork: from before it,
	 * a start delayed on a busy machine would let the next one come
	 * sooner than a second after it.
	 */
	sv.laststart = mono_ms();
	if (p[1] != -1)
		close(p[1]);
	if (pid < 0) {
		if (pid == SPAWN_NOFORK)
			err_warnsys("unable to fork for ", sv.dir, (char *)0);
		else
			err_warnsys("unable to start ", sv.dir, "/run",
			    (char *)0);
		if (p[0] != -1)
			close(p[0]);
		/* Try again on the throttle, whatever is wanted meanwhile. */
		sv.startat = sv.laststart + sv.delay;
		files_announce();
		return;
	}
	sv.state = SV_RUN;
	sv.pid = pid;
	sv.starts++;
	sv.paused = 0;
	sv.termsent = 0;
	sv.commanded = 0;
	tai_now(&sv.stamp);
	if (n != -1) {
		io_nonblock(p[0]);
		sv.notifyfd = p[0];
		sv.ready = 0;
	} else if (check_begin()) {
		sv.ready = 0;
	} else {
		sv.ready = 1;
		sv.readyat = sv.stamp;
	}
	files_announce();
}

/* Schedules a start of ./run, honouring the throttle, when down. */
void
sv_want_start(void)
{
	int64_t at;

	if (sv.state != SV_DOWN || sv.startat != -1)
		return;
	at = sv.laststart + sv.delay;
	sv.startat = at;
	if (at <= mono_ms())
		start();
}

/*
 * restart-delay-max: a run shorter than 1 s doubles the delay up to the
 * cap, a run longer than the cap resets it, one in between keeps it.
 */
static void
backoff(int64_t ran)
{
	int64_t cap = files_ms("restart-delay-max", 0);

	if (cap <= THROTTLE)
		sv.delay = THROTTLE;
	else if (ran < THROTTLE)
		sv.delay = sv.delay * 2 > cap ? cap : sv.delay * 2;
	else if (ran > cap)
		sv.delay = THROTTLE;
}

/* x: exit once down, and once what is left of a killpg group is gone. */
void
sv_maybe_exit(void)
{
	if (sv.pgkillat != -1 && kill(-sv.pgroup, 0) == -1)
		sv.pgkillat = -1;
	if (sv.exitreq && sv.state == SV_DOWN && sv.pgkillat == -1)
		_exit(0);
}

static void
down_done(void)
{
	sv.state = SV_DOWN;
	/*
	 * A service restarted at once goes from one run to the next without
	 * a "down" record in between: start() writes the new state, and the
	 * restart costs two file replacements instead of five.
	 */
	if (sv.want == 'u' && !sv.exitreq &&
	    sv.laststart + sv.delay <= mono_ms()) {
		sv_want_start();
		if (sv.state == SV_RUN)
			return;
	}
	files_announce();
	sv_maybe_exit();
	if (sv.want == 'u')
		sv_want_start();
}

static void
run_exited(int ws)
{
	static char finish[] = "./finish";
	char code[FMT_ULONG], sig[FMT_ULONG];
	char *argv[] = { finish, code, sig, NULL };
	int64_t now = mono_ms();
	pid_t pid;

	sv.wstatus = (uint32_t)ws;
	sv.exited = 1;
	/*
	 * With killpg, the leader's exit does not end its group: what is
	 * left of it still gets the SIGKILL of timeout-kill, at the same
	 * deadline, so no child outlives the service.
	 */
	if (sv.killpg && kill(-sv.pid, 0) == 0) {
		sv.pgroup = sv.pid;
		sv.pgkillat = sv.killat;
		/*
		 * The leader died by itself (a crash, a kill from outside):
		 * the rest of its group is that dead service's too, and must
		 * not outlive it into the next run. It gets the down signal
		 * now, and SIGKILL at timeout-kill.
		 */
		if (sv.killat == -1) {
			int64_t tk = files_ms("timeout-kill", 0);

			kill(-sv.pgroup, files_downsignal());
			kill(-sv.pgroup, SIGCONT);
			sv.pgkillat = tk > 0 ? now + tk : -1;
		}
	}
	sv.pid = 0;
	sv.ready = 0;
	sv.paused = 0;
	sv.termsent = 0;
	sv.killat = -1;
	tai_now(&sv.stamp);
	if (sv.notifyfd != -1) {
		close(sv.notifyfd);
		sv.notifyfd = -1;
	}
	check_stop();
	/* A stop on request is no quick death: it does not back off. */
	if (!sv.commanded)
		backoff(now - sv.laststart);
	if (limit_exit(now, now - sv.laststart, sv.commanded)) {
		sv.gaveup = 1;
		sv.want = 'd';
		err_warn("giving up on ", sv.dir, ": restart-limit reached",
		    (char *)0);
	}
	if (!files_exists("finish")) {
		down_done();
		return;
	}
	code[fmt_ulong(code, WIFEXITED(ws) ? WEXITSTATUS(ws) : 256)] = '\0';
	sig[fmt_ulong(sig, WIFSIGNALED(ws) ? WTERMSIG(ws) : 0)] = '\0';
	pid = sv_spawn(argv, -1, -1);
	if (pid < 0) {
		err_warnsys(pid == SPAWN_NOFORK ? "unable to fork for " :
		    "unable to start ", sv.dir,
		    pid == SPAWN_NOFORK ? "" : "/finish", (char *)0);
		down_done();
		return;
	}
	sv.state = SV_FINISH;
	sv.fpid = pid;
	sv.finishat = now + files_ms("timeout-finish", FINISH_TIMEOUT);
	files_announce();
}

static void
finish_exited(int ws)
{
	sv.fpid = 0;
	sv.finishat = -1;
	/* As in s6: finish exiting 125 means "do not restart". */
	if (WIFEXITED(ws) && WEXITSTATUS(ws) == 125) {
		sv.want = 'd';
		/*
		 * exit-scanner: this service ends the whole tree. supervise
		 * exits 125 with the status written, and svscan, which
		 * reaps it, reads the service's last exit code from it.
		 */
		if (files_exists("exit-scanner")) {
			sv.state = SV_DOWN;
			files_announce();
			_exit(EXIT_SCANNER);
		}
	}
	down_done();
}

void
sv_reap(void)
{
	pid_t pid;
	int ws;

	for (;;) {
		pid = waitpid(-1, &ws, WNOHANG);
		if (pid <= 0) {
			if (pid == -1 && errno == EINTR)
				continue;
			return;
		}
		if (sv.state == SV_RUN && pid == sv.pid)
			run_exited(ws);
		else if (sv.cpid > 0 && pid == sv.cpid)
			check_exited(ws);
		else if (sv.state == SV_FINISH && pid == sv.fpid)
			finish_exited(ws);
	}
}

static void
down_signal(void)
{
	int64_t tk;

	sendsig(sv.pid, files_downsignal());
	sendsig(sv.pid, SIGCONT);
	sv.paused = 0;
	sv.termsent = 1;
	sv.commanded = 1;
	tk = files_ms("timeout-kill", 0);
	if (tk > 0 && sv.killat == -1)
		sv.killat = mono_ms() + tk;
}

static int
letter_signal(char c)
{
	static const char letters[] = "pchaitkq12y";
	static const int sigs[] = { SIGSTOP, SIGCONT, SIGHUP, SIGALRM, SIGINT,
	    SIGTERM, SIGKILL, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };
	const char *p = memchr(letters, c, sizeof(letters) - 1);

	return p ? sigs[p - letters] : 0;
}

void
sv_command(char c)
{
	int sig;

	switch (c) {
	case 'u':
	case 'o':
		sv.want = c == 'u' ? 'u' : 0;
		/*
		 * Asked for by hand: a fresh restart-limit window, and no
		 * back-off left over from earlier deaths (only the 1 s
		 * throttle since the last start still holds).
		 */
		limit_reset();
		sv.delay = THROTTLE;
		if (sv.startat != -1 && sv.state == SV_DOWN)
			sv.startat = -1;
		sv_want_start();
		break;
	case 'd':
		sv.want = 'd';
		sv.startat = -1;
		if (sv.state == SV_RUN)
			down_signal();
		break;
	case 'x':
		sv.exitreq = 1;
		break;
	default:
		sig = letter_signal(c);
		if (sig == 0)
			return;
		if (sv.state != SV_RUN)
			return;
		sendsig(sv.pid, sig);
		if (c != 'p' && c != 'c' && c != 'y')
			sv.commanded = 1;
		/* runit's "got TERM", which t sets as d does. */
		if (c == 't' && !sv.termsent) {
			sv.termsent = 1;
			break;
		}
		/* Other signals change nothing worth a status write. */
		if (c != 'p' && c != 'c')
			return;
		sv.paused = c == 'p';
		break;
	}
	files_announce();
	sv_maybe_exit();
}

void
sv_timers(int64_t now)
{
	if (sv.startat != -1 && now >= sv.startat && sv.state == SV_DOWN)
		start();
	if (sv.killat != -1 && now >= sv.killat) {
		sv.killat = -1;
		if (sv.state == SV_RUN)
			sendsig(sv.pid, SIGKILL);
	}
	if (sv.finishat != -1 && now >= sv.finishat) {
		sv.finishat = -1;
		if (sv.state == SV_FINISH)
			sendsig(sv.fpid, SIGKILL);
	}
	if (sv.pgkillat != -1 && now >= sv.pgkillat) {
		sv.pgkillat = -1;
		kill(-sv.pgroup, SIGKILL);
		sv_maybe_exit();
	}
	check_timers(now);
	if (sv.rewriteat != -1 && now >= sv.rewriteat)
		files_announce();
}

int64_t
sv_next_deadline(void)
{
	int64_t c, d = -1;

	if (sv.startat != -1)
		d = sv.startat;
	if (sv.killat != -1 && (d == -1 || sv.killat < d))
		d = sv.killat;
	if (sv.finishat != -1 && (d == -1 || sv.finishat < d))
		d = sv.finishat;
	c = check_deadline();
	if (c != -1 && (d == -1 || c < d))
		d = c;
	if (sv.rewriteat != -1 && (d == -1 || sv.rewriteat < d))
		d = sv.rewriteat;
	if (sv.pgkillat != -1 && (d == -1 || sv.pgkillat < d))
		d = sv.pgkillat;
	return d;
}

/* The service wrote to its notification fd: ready at the first newline. */
void
sv_notified(void)
{
	char buf[512];
	ssize_t r;

	r = io_read(sv.notifyfd, buf, sizeof(buf));
	if (r == -1 && errno == EAGAIN)
		return;
	if (r > 0 && memchr(buf, '\n', (size_t)r) == NULL)
		return;
	if (r > 0) {
		sv.ready = 1;
		tai_now(&sv.readyat);
		files_announce();
	}
	close(sv.notifyfd);
	sv.notifyfd = -1;
}
