/*
 * svscan: runs one supervise per service directory of a scan directory,
 * and one more for each service's log/ joined to it by a pipe; notices
 * new and removed entries at once (lib/watch.h: inotify or kqueue; else a
 * timer), restarts a supervise that dies, and on SIGTERM takes everything
 * down in order, reaping every child, so that it can be PID 1. See
 * svscan(8).
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/fmt.h"
#include "../lib/opt.h"
#include "../lib/sig.h"
#include "../lib/stdfd.h"
#include "../lib/tai.h"
#include "../lib/watch.h"
#include "svscan.h"

#define USAGE "svscan [-t SECS] [-g MS] [DIR [-- PROG ARG...]]"

struct svscan S;

/*
 * A supervise may come back while its entry is up, or, for a logger,
 * while its service is still being stopped and may still write.
 */
static int
wanted(const struct entry *x, int which)
{
	return (x->stage == RUN && !S.stopping) ||
	    (which == 1 && x->stage == STOPSV);
}

static void
exited(pid_t pid, int ws, int64_t now)
{
	struct entry *x;
	struct sup *s;
	int w;

	if (prog_exited(pid, ws))
		return;
	if ((x = pid_take(pid, &w)) == NULL)
		return;
	s = &x->sup[w];
	s->pid = 0;
	/* An exit-scanner service ended: so do we. */
	if (w == 0 && x->stage == RUN && prog_scanner(x, ws)) {
		stop_exited(x, 0);
		return;
	}
	if (!wanted(x, w)) {
		stop_exited(x, w);
		return;
	}
	if (w == 1 && WIFEXITED(ws) && WEXITSTATUS(ws) == EXIT_TEMP)
		stop_foreign_logger(x);
	/* One that dies at once would make us spin. */
	s->retry = s->born + THROTTLE;
	if (s->retry <= now)
		spawn(x, w);
}

/* Every child, orphans too: we may be PID 1. */
static void
reap(void)
{
	pid_t pid;
	int ws;

	while ((pid = waitpid(-1, &ws, WNOHANG)) > 0)
		exited(pid, ws, mono_ms());
}

static void
on_signal(int sig)
{
	switch (sig) {
	case SIGCHLD:
		reap();
		break;
	case SIGHUP:
	case SIGALRM:
		if (!S.stopping)
			S.needscan = 1;
		break;
	case SIGTERM:
	case SIGINT:
		prog_signal(sig);
		break;
	}
}

static int64_t
earliest(int64_t a, int64_t b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return a < b ? a : b;
}

/* Restarts what is due; returns the next deadline (mono_ms), or 0. */
static int64_t
due(int64_t now)
{
	struct entry *x;
	int64_t next = 0;
	int i, w;

	if (S.stopping) {
		stop_kill(now);
		next = earliest(S.killat, S.endat);
	} else {
		if (S.retryat != 0 && now >= S.retryat)
			S.needscan = 1;
		next = earliest(S.nextscan, S.retryat);
		next = earliest(next, prog_due(now));
	}
	for (i = 0; i < S.n; i++) {
		x = S.e[i];
		if (x->stage == DRAIN) {
			stop_tick(x, now);
			if (x->stage == DRAIN)
				next = earliest(next, now + DRAINPOLL);
		}
		for (w = 0; w < 2; w++)
			if (x->sup[w].retry != 0 && x->sup[w].pid == 0 &&
			    wanted(x, w) && !(w == 1 && !x->log)) {
				if (x->sup[w].retry <= now)
					spawn(x, w);
				next = earliest(next, x->sup[w].retry);
			}
	}
	for (i = S.n - 1; i >= 0; i--)
		if (S.e[i]->stage == DONE)
			entry_free(i);
	return next;
}

static void
loop(struct watch *w)
{
	struct pollfd p[2];
	int64_t now, next;
	int sig, timeout, wfd = watch_fd(w);

	for (;;) {
		now = mono_ms();
		if (!S.stopping && (S.needscan ||
		    (S.nextscan != 0 && now >= S.nextscan))) {
			scan();
			S.nextscan = S.every ? now + S.every : 0;
			/* The main program starts with the services. */
			if (S.prog != NULL && S.origdir != -1)
				prog_start();
		}
		next = due(now);
		if (S.stopping && S.n == 0 && S.progpid == 0)
			return;
		if (S.needscan)
			continue;
		timeout = -1;
		if (next != 0)
			timeout = next <= now ? 0 : (int)(next - now);
		p[0].fd = sig_pipe();
		p[0].events = POLLIN;
		p[1].fd = wfd;
		p[1].events = POLLIN;
		/* Not written by a poll that a signal interrupts. */
		p[0].revents = p[1].revents = 0;
		if (poll(p, wfd == -1 ? 1 : 2, timeout) == -1 && errno != EINTR)
			err_diesys(EXIT_TEMP, "unable to poll", (char *)0);
		while ((sig = sig_next()) != 0)
			on_signal(sig);
		if (wfd != -1 && (p[1].revents & POLLIN) &&
		    watch_drain(w) != 0 && !S.stopping)
			S.needscan = 1;
	}
}

static int64_t
number(const char *s, unsigned long long max)
{
	unsigned long long u;

	if (fmt_scanu(s, max, &u) == -1)
		err_usage(USAGE);
	return (int64_t)u;
}

/*
 * The supervise to run: the one beside this svscan (a build tree, an
 * install under /usr/local/bin, a package under /usr/bin), found from
 * /proc/self/exe where the system has it, else from argv[0] when it
 * names a path; failing both, supervise by PATH, with a warning: an
 * earlier PATH entry may hold daemontools' supervise, which lacks most of
 * what ours does (svscan(8)). Made absolute before the chdir.
 */
static const char *
find_supervise(const char *argv0)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	const char *slash;
	ssize_t n;
	size_t len;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0 && exe[0] == '/')
		exe[n] = '\0';
	else if (strchr(argv0, '/') != NULL && realpath(argv0, exe) != NULL)
		n = (ssize_t)strlen(exe);
	else
		n = 0;
	slash = n > 0 ? strrchr(exe, '/') : NULL;
	if (slash != NULL) {
		len = (size_t)(slash - exe) + 1;
		if (len + sizeof("supervise") <= sizeof(path)) {
			memcpy(path, exe, len);
			memcpy(path + len, "supervise", sizeof("supervise"));
			if (access(path, X_OK) == 0)
				return path;
		}
	}
	err_warn("no supervise beside this svscan: "
	    "running the first supervise in PATH", (char *)0);
	return "supervise";
}

/*
 * Up to the hard limit of descriptors: an entry holds its directory and,
 * with a log/, both ends of its pipe (svscan(8)).
 */
static void
raise_nofile(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == -1)
		return;
	S.nofile = r;
	if (r.rlim_cur < r.rlim_max) {
		r.rlim_cur = r.rlim_max;
		setrlimit(RLIMIT_NOFILE, &r);
	}
}

static void
setup(const char *dir, struct watch *w)
{
	static const int caught[] = { SIGCHLD, SIGHUP, SIGALRM, SIGTERM,
	    SIGINT };
	size_t i;

	/* The main program runs where we were started. */
	if (S.prog != NULL &&
	    (S.origdir = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		err_diesys(EXIT_TEMP, "unable to open the current directory",
		    (char *)0);
	if (chdir(dir) == -1)
		err_diesys(EXIT_TEMP, "unable to chdir to ", dir, (char *)0);
	if (sig_pipe() == -1)
		err_diesys(EXIT_TEMP, "unable to create self-pipe", (char *)0);
	for (i = 0; i < sizeof(caught) / sizeof(caught[0]); i++)
		if (sig_catch(caught[i]) == -1)
			err_diesys(EXIT_TEMP, "unable to catch signals",
			    (char *)0);
	/* Our stderr may be a pipe to readproctitle that went away. */
	sig_ignore(SIGPIPE);
	/* Without notifications (watch_fd -1), main sets a rescan timer. */
	watch_init(w);
	if (watch_fd(w) != -1 &&
	    watch_add(w, ".", WATCH_ENTRIES | WATCH_ATTRIBS) == -1)
		watch_close(w);
	if (watch_fd(w) != -1) {
		w->only = "log";
		S.watch = w;
	}
}

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	const char *dir = ".";
	int64_t secs = -1;
	struct watch w;
	int c;

	err_setprog(argv[0]);
	stdfd_ensure();
	S.grace = 7000;
	S.code = -1;
	S.origdir = -1;
	while ((c = opt_get(&o, argc, argv, "t:g:")) != -1)
		switch (c) {
		case 't':
			secs = number(o.arg, 86400 * 365);
			break;
		case 'g':
			S.grace = number(o.arg, 86400000);
			break;
		default:
			err_usage(USAGE);
		}
	if (argc - o.ind >= 1)
		dir = argv[o.ind];
	/* DIR -- PROG ARG...: a main program. */
	if (argc - o.ind > 1) {
		if (strcmp(argv[o.ind + 1], "--") != 0 || argc - o.ind < 3)
			err_usage(USAGE);
		S.prog = argv + o.ind + 2;
	}

	S.supervise = find_supervise(argv[0]);
	raise_nofile();
	setup(dir, &w);
	/* With inotify, the timer is only there if asked for. */
	if (secs == -1)
		secs = watch_fd(&w) == -1 ? 5 : 0;
	S.every = secs * 1000;
	S.needscan = 1;
	loop(&w);
	return S.code == -1 ? 0 : S.code;
}
