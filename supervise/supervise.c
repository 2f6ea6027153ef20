/*
 * supervise: run DIR/run, restart it when it exits, and answer commands on
 * DIR/supervise/control. Set-up and the event loop live here; the state
 * machine is in state.c and the files in files.c. See supervise(8).
 *
 * The loop is poll(2) on the self-pipe (signals), the control FIFO and the
 * readiness pipe, with a timeout only while a deadline (throttle,
 * timeout-kill, timeout-finish) is pending: an idle supervise makes no
 * system call at all.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/fifo.h"
#include "../lib/fmt.h"
#include "../lib/io.h"
#include "../lib/lock.h"
#include "../lib/opt.h"
#include "../lib/sig.h"
#include "../lib/stdfd.h"
#include "supervise.h"

#define USAGE "supervise DIR"

struct sv sv;

static struct {
	int sigfd;
	int ctlfd;
	int ctlwfd;	/* kept open so the control FIFO never reads EOF */
	int okfd;
	int lockfd;
} fds;

/* mkdir -p of a path relative to the current directory. */
static int
mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

/*
 * Makes DIR/supervise. A dangling symbolic link there (read-only service
 * definitions with their state under /run) gets its target created.
 */
static void
make_supervise_dir(void)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (mkdir("supervise", 0700) == 0 || stat("supervise", &st) == 0)
		return;
	n = readlink("supervise", target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = '\0';
		if (mkdirs(target) == 0)
			return;
	}
	err_diesys(EXIT_TEMP, "unable to mkdir ", sv.dir, "/supervise",
	    (char *)0);
}

/* Makes the FIFO supervise/NAME (0600) and opens it for reading. */
static int
fifo_reader(const char *name)
{
	char path[32] = "supervise/";	/* name is "control" or "ok" */
	int fd;

	memcpy(path + 10, name, strlen(name) + 1);
	if (fifo_make(AT_FDCWD, path, 0600) == -1)
		err_diesys(EXIT_TEMP, "unable to mkfifo ", sv.dir, "/", path,
		    (char *)0);
	fd = fifo_open_read(AT_FDCWD, path);
	if (fd == -1)
		err_diesys(EXIT_TEMP, "unable to read ", sv.dir, "/", path,
		    (char *)0);
	return fd;
}

/*
 * Modes set by hand on an existing supervise/ or control are kept, as
 * daemontools keeps them (a group allowed to control a service is a
 * common set-up), but one that lets every user control the service, or
 * swap the FIFOs, is worth a warning: see doc/SECURITY.md.
 */
static void
warn_modes(void)
{
	struct stat st;

	if (fstat(fds.ctlfd, &st) == 0 && (st.st_mode & S_IWOTH))
		err_warn(sv.dir, "/supervise/control is "
		    "writable by every user", (char *)0);
	if (stat("supervise", &st) == 0 && (st.st_mode & S_IWOTH) &&
	    !(st.st_mode & S_ISVTX))
		err_warn(sv.dir, "/supervise is "
		    "writable by every user", (char *)0);
}

static void
setup(void)
{
	if (chdir(sv.dir) == -1)
		err_diesys(EXIT_TEMP, "unable to chdir to ", sv.dir, (char *)0);
	make_supervise_dir();
	fds.lockfd = open("supervise/lock",
	    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fds.lockfd == -1 || lock_exnb(fds.lockfd) == -1)
		err_diesys(EXIT_TEMP, "unable to acquire ", sv.dir,
		    "/supervise/lock", (char *)0);
	fds.ctlfd = fifo_reader("control");
	warn_modes();
	fds.ctlwfd = fifo_open_write(AT_FDCWD, "supervise/control");
	if (fds.ctlwfd == -1)
		err_diesys(EXIT_TEMP, "unable to write ", sv.dir,
		    "/supervise/control", (char *)0);
	fds.sigfd = sig_pipe();
	if (fds.sigfd == -1 || sig_catch(SIGCHLD) == -1 ||
	    sig_catch(SIGTERM) == -1 || sig_catch(SIGINT) == -1 ||
	    sig_catch(SIGHUP) == -1 || sig_ignore(SIGPIPE) == -1)
		err_diesys(EXIT_TEMP, "unable to set up signals", (char *)0);
}

/*
 * Whether pid is still the service a previous supervise of this directory
 * left behind (killed with SIGKILL, say): alive, and its working directory
 * is this directory. Only Linux's /proc tells that safely; elsewhere the
 * pid may have been reused, so it is left alone.
 */
static int
is_our_orphan(pid_t pid, const struct stat *here)
{
	char path[64] = "/proc/";
	struct stat st;
	size_t n = 6;

	n += fmt_ulong(path + n, (unsigned long long)pid);
	memcpy(path + n, "/cwd", 5);
	return stat(path, &st) == 0 && st.st_dev == here->st_dev &&
	    st.st_ino == here->st_ino;
}

/*
 * A service that outlived its supervise must not run twice: stop it (down
 * signal, then SIGKILL after timeout-kill or 5 s) and wait until it is
 * gone before anything is started. Bounded, at start-up only.
 */
static void
stop_orphan(void)
{
	unsigned long long u;
	struct stat here;
	char buf[32];
	int64_t killat;
	ssize_t r;
	pid_t pid;

	r = io_readfile(AT_FDCWD, "supervise/pid", buf, sizeof(buf) - 1);
	if (r <= 1 || buf[r - 1] != '\n' || stat(".", &here) == -1)
		return;
	buf[r - 1] = '\0';
	if (fmt_scanu(buf, INT_MAX, &u) == -1 || u < 2)
		return;
	pid = (pid_t)u;
	if (!is_our_orphan(pid, &here))
		return;
	err_warn("stopping pid ", buf, ", left running in ", sv.dir,
	    " by a previous supervise", (char *)0);
	sv.killpg = files_exists("killpg") && getpgid(pid) == pid;
	kill(sv.killpg ? -pid : pid, files_downsignal());
	kill(sv.killpg ? -pid : pid, SIGCONT);
	killat = mono_ms() + files_ms("timeout-kill", 5000);
	while (is_our_orphan(pid, &here)) {
		if (killat != -1 && mono_ms() >= killat) {
			kill(sv.killpg ? -pid : pid, SIGKILL);
			killat = -1;
		}
		poll(NULL, 0, 20);
	}
}

/*
 * Opened last, once the first status is written: a reader that finds
 * supervise running (ok has a reader) always finds a status file too.
 */
static void
open_ok(void)
{
	fds.okfd = fifo_reader("ok");
}

static void
on_signals(void)
{
	int sig;

	while ((sig = sig_next()) > 0) {
		switch (sig) {
		case SIGCHLD:
			sv_reap();
			break;
		case SIGTERM:
		case SIGINT:
			sv_command('d');
			sv_command('x');
			break;
		case SIGHUP:
			sv_command('x');
			break;
		}
	}
}

/*
 * At most CONTROL_READS reads per wake-up: a writer that never stops
 * (yes u >control) must not keep signals and timers waiting; poll comes
 * back at once for the rest.
 */
#define CONTROL_READS 16

static void
on_control(void)
{
	char buf[256];
	ssize_t r, i;
	int reads;

	for (reads = 0; reads < CONTROL_READS; reads++) {
		r = read(fds.ctlfd, buf, sizeof(buf));
		if (r <= 0) {
			if (r == -1 && errno == EINTR)
				continue;
			return;
		}
		for (i = 0; i < r; i++)
			sv_command(buf[i]);
	}
}

static void
loop(void)
{
	struct pollfd p[3];
	int64_t deadline, now;
	int timeout, n;

	for (;;) {
		p[0].fd = fds.sigfd;
		p[1].fd = fds.ctlfd;
		p[2].fd = sv.notifyfd;
		p[0].events = p[1].events = p[2].events = POLLIN;
		/* Not written by a poll that a signal interrupts. */
		p[0].revents = p[1].revents = p[2].revents = 0;
		n = sv.notifyfd == -1 ? 2 : 3;
		timeout = -1;
		deadline = sv_next_deadline();
		if (deadline != -1) {
			now = mono_ms();
			timeout = deadline <= now ? 0 :
			    deadline - now > INT_MAX ? INT_MAX :
			    (int)(deadline - now);
		}
		if (poll(p, (nfds_t)n, timeout) == -1 && errno != EINTR)
			err_diesys(EXIT_TEMP, "unable to poll", (char *)0);
		if (p[0].revents)
			on_signals();
		if (p[1].revents)
			on_control();
		if (n == 3 && sv.notifyfd == p[2].fd && p[2].revents)
			sv_notified();
		if (deadline != -1)
			sv_timers(mono_ms());
	}
}

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;

	err_setprog(argv[0]);
	stdfd_ensure();
	while (opt_get(&o, argc, argv, "") != -1)
		err_usage(USAGE);
	if (argc - o.ind != 1)
		err_usage(USAGE);
	sv.dir = argv[o.ind];

	setup();
	stop_orphan();
	sv.state = SV_DOWN;
	sv.notifyfd = -1;
	sv.delay = 1000;
	sv.laststart = mono_ms() - 1000000;
	sv.startat = sv.killat = sv.finishat = sv.rewriteat = -1;
	sv.pgkillat = -1;
	sv.checkat = sv.checkkill = -1;
	tai_now(&sv.stamp);
	sv.want = files_exists("down") ? 'd' : 'u';
	/* A service started at once writes its first status as it starts. */
	if (sv.want == 'u')
		sv_want_start();
	if (sv.state == SV_DOWN)
		files_announce();
	open_ok();
	loop();
}
