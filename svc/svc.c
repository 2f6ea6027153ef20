/*
 * svc: control services supervised by supervise (ours, daemontools' or
 * runit's runsv) by writing command letters to DIR/supervise/control, and
 * with -w wait, without polling, until each service reaches a state: the
 * supervise/ directory is watched (lib/watch.h) and the status record,
 * replaced by rename at every change, is read again at each event; a
 * write end of supervise/ok in the same wait tells at once that the
 * supervise died. One watch serves every directory in turn, so that a
 * wait on 10,000 of them costs 10,000 short waits and no more. See svc(8).
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/fifo.h"
#include "../lib/fmt.h"
#include "../lib/opt.h"
#include "../lib/status.h"
#include "../lib/stdfd.h"
#include "../lib/svdir.h"
#include "../lib/tai.h"
#include "../lib/watch.h"

#define USAGE "svc [-udopchaitkqxy12] [-w u|U|d|D|r|R] [-T MS] DIR..."
#define LETTERS "udopchaitkqxy12"
#define CMDS_MAX 256	/* under PIPE_BUF: one atomic write */
#define TIMEOUT_MAX 1000000000000ULL

enum { DONE, TIMEDOUT, FAILED, GAVEUP };

struct target {
	const char *dir;
	int dfd;
	int state;		/* DONE (so far), TIMEDOUT or FAILED */
	struct status before;	/* status just before the commands */
};

static struct {
	char cmds[CMDS_MAX];
	size_t ncmds;
	int wait;		/* the -w letter, or 0 */
	int64_t deadline;	/* mono_ms, or -1 for none */
	struct watch w;		/* one for every wait, forgotten between */
	int winit;
} g = { .deadline = -1 };

/* The watch of the waits, empty: made at the first wait. */
static struct watch *
watch(void)
{
	if (!g.winit) {
		watch_init(&g.w);
		g.winit = 1;
	}
	return &g.w;
}

/* Writes "DIR/supervise" into buf; -1 (ENAMETOOLONG) if it does not fit. */
static int
supervisepath(char *buf, size_t size, const char *dir)
{
	static const char sub[] = "/supervise";
	size_t len = strlen(dir);

	if (len + sizeof(sub) > size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(buf, dir, len);
	memcpy(buf + len, sub, sizeof(sub));
	return 0;
}

/* A supervise symlink whose target does not exist yet: no event reaches us. */
static int
dangling(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    stat(path, &st) == -1;
}

/*
 * Waits for a supervise to run on t's directory (a service just dropped
 * into a scan directory). DIR and DIR/supervise are watched for new
 * entries and for opens, since supervise opening supervise/ok for reading
 * is the moment we wait for. The watches are (re)armed before each look.
 */
static int
appear(struct target *t)
{
	char sv[PATH_MAX];
	struct watch *w = watch();
	int64_t until;
	int r;

	if (supervisepath(sv, sizeof(sv), t->dir) == -1)
		return FAILED;
	for (;;) {
		watch_add(w, t->dir, WATCH_CHANGES);
		r = watch_add(w, sv, WATCH_CHANGES | WATCH_OPENS);
		r = (r == -1 && dangling(sv)) ? -1 : 0;
		switch (svdir_running(t->dfd)) {
		case 1:
			watch_forget(w);
			return DONE;
		case -1:
			watch_forget(w);
			return FAILED;
		}
		until = g.deadline;
		if (r == -1 && (until < 0 || until > mono_ms() +
		    WATCH_FALLBACK_MS))
			until = mono_ms() + WATCH_FALLBACK_MS;
		r = watch_wait(w, until);
		if (r == -1 || (r == 0 && until == g.deadline)) {
			watch_forget(w);
			return r == 0 ? TIMEDOUT : FAILED;
		}
	}
}

/* Opens the directory, waits for its supervise with -w, sends the letters. */
static void
send(struct target *t)
{
	t->dfd = svdir_open(t->dir);
	if (t->dfd == -1) {
		err_warnsys("unable to chdir to ", t->dir, (char *)0);
		t->state = FAILED;
		return;
	}
	if (g.wait) {
		t->state = appear(t);
		if (t->state == TIMEDOUT)
			err_warn("unable to control ", t->dir, ": timed out",
			    (char *)0);
		if (t->state == FAILED)
			err_warnsys("unable to control ", t->dir, (char *)0);
		if (t->state != DONE)
			return;
		/* A status not written yet reads as all zeros. */
		svdir_status(t->dfd, &t->before);
	}
	if (svdir_control(t->dfd, g.cmds, g.ncmds) == 0)
		return;
	if (errno == ENXIO)
		err_warn("unable to control ", t->dir,
		    ": supervise not running", (char *)0);
	else
		err_warnsys("unable to control ", t->dir, (char *)0);
	t->state = FAILED;
}

/*
 * Whether status s shows the state asked for by -w. Against daemontools'
 * 18-byte record (no ext), U is u, D is d, and a restart is a new pid.
 */
static int
reached(const struct status *b, const struct status *s)
{
	int ready = !s->ext || (s->flags & STATUS_READY);
	int restarted;

	restarted = s->pid != 0 && (s->ext ? s->starts != b->starts :
	    s->pid != b->pid);
	switch (g.wait) {
	case 'u':
		return s->pid != 0;
	case 'U':
		return s->pid != 0 && ready;
	case 'd':
		return s->pid == 0;
	case 'D':
		return s->pid == 0 && !(s->flags & STATUS_FINISH);
	case 'r':
		return restarted;
	default:
		return restarted && ready;
	}
}

/*
 * Whether a wait for up (or a restart) is hopeless: the service gave up
 * (restart-limit). A flag already set before our u or o is stale until
 * supervise has answered them: it clears it and starts the service,
 * which counts a start.
 */
static int
gaveup(const struct status *b, const struct status *s)
{
	if (!strchr("uUrR", g.wait) || !s->ext ||
	    !(s->flags & STATUS_GAVEUP))
		return 0;
	if (!(b->flags & STATUS_GAVEUP) || s->starts != b->starts)
		return 1;
	return memchr(g.cmds, 'u', g.ncmds) == NULL &&
	    memchr(g.cmds, 'o', g.ncmds) == NULL;
}

/*
 * Keeps a write end of DIR/supervise/ok in the watch, so that the death
 * of the supervise holding the read end wakes us up (WATCH_GONE). Returns
 * 1 if a supervise runs (the one already followed, or a new one that a
 * restart put in place), 0 if none does, -1 on error.
 */
static int
follow(struct target *t, struct watch *w)
{
	int fd;

	if (w->peer != -1)
		return 1;
	fd = fifo_open_write(t->dfd, "supervise/ok");
	if (fd == -1)
		return errno == ENXIO || errno == ENOENT ? 0 : -1;
	watch_peer(w, fd);
	return 1;
}

/*
 * Stops following a supervise, or, with all, every directory of the
 * watch too; keeps errno.
 */
static void
unfollow(struct watch *w, int all)
{
	int e = errno;

	if (w->peer != -1)
		close(w->peer);
	watch_peer(w, -1);
	if (all)
		watch_forget(w);
	errno = e;
}

/*
 * Waits until t's service reaches the state. The watch is armed before
 * each read of the status, so no change is lost in between. Our own reads
 * and probes of supervise/ raise no event that the watch listens for. A
 * supervise that dies wakes us up: if another already runs in its place
 * (svscan restarted it), it is followed in turn and the wait goes on.
 */
static int
await(struct target *t)
{
	char sv[PATH_MAX];
	struct status s;
	struct watch *w = watch();
	int r = 1;

	if (supervisepath(sv, sizeof(sv), t->dir) == -1)
		return FAILED;
	if ((t->dfd = svdir_open(t->dir)) == -1) {
		err_warnsys("unable to chdir to ", t->dir, (char *)0);
		return FAILED;
	}
	watch_add(w, sv, WATCH_CHANGES);
	for (; r == 1 || r == WATCH_GONE; r = watch_wait(w, g.deadline)) {
		if (r == WATCH_GONE)
			unfollow(w, 0);
		if (svdir_status(t->dfd, &s) == 0) {
			if (reached(&t->before, &s))
				break;
			if (gaveup(&t->before, &s)) {
				unfollow(w, 1);
				err_warn("unable to wait for ", t->dir,
				    ": gave up (restart-limit)", (char *)0);
				return GAVEUP;
			}
		} else if (errno != ENOENT) {
			unfollow(w, 1);
			err_warnsys("unable to read ", sv, "/status",
			    (char *)0);
			return FAILED;
		}
		if (follow(t, w) != 1) {
			unfollow(w, 1);
			err_warn("unable to control ", t->dir,
			    ": supervise not running", (char *)0);
			return FAILED;
		}
	}
	unfollow(w, 1);
	if (r == 0)
		err_warn("unable to wait for ", t->dir, ": timed out",
		    (char *)0);
	else if (r == -1)
		err_warnsys("unable to wait for ", t->dir, (char *)0);
	return r == 0 ? TIMEDOUT : r == -1 ? FAILED : DONE;
}

static void
options(int argc, char **argv, struct opt *o)
{
	unsigned long long ms;
	int c, timeout = 0;

	while ((c = opt_get(o, argc, argv, LETTERS "w:T:")) != -1) {
		if (c == 'w') {
			if (strlen(o->arg) != 1 || !strchr("uUdDrR", o->arg[0]))
				err_usage(USAGE);
			g.wait = o->arg[0];
		} else if (c == 'T') {
			if (fmt_scanu(o->arg, TIMEOUT_MAX, &ms) == -1)
				err_usage(USAGE);
			timeout = 1;
			if (ms > 0)
				g.deadline = mono_ms() + (int64_t)ms;
		} else if (c == '?' || g.ncmds == sizeof(g.cmds))
			err_usage(USAGE);
		else
			g.cmds[g.ncmds++] = (char)c;
	}
	/* -T only bounds a wait: alone it is a mistake, not a no-op. */
	if (timeout && !g.wait)
		err_usage(USAGE);
}

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	struct target *t;
	int i, n, code = 0;

	err_setprog(argv[0]);
	stdfd_ensure();
	options(argc, argv, &o);
	n = argc - o.ind;
	if (n < 1)
		err_usage(USAGE);
	t = calloc((size_t)n, sizeof(*t));
	if (t == NULL)
		err_diesys(EXIT_TEMP, "unable to allocate memory", (char *)0);
	for (i = 0; i < n; i++) {
		t[i].dir = argv[o.ind + i];
		send(&t[i]);
		/* Not one descriptor per operand held: 10,000 may be given. */
		if (t[i].dfd != -1)
			close(t[i].dfd);
		t[i].dfd = -1;
	}
	for (i = 0; i < n; i++) {
		if (g.wait && t[i].state == DONE)
			t[i].state = await(&t[i]);
		if (t[i].state == FAILED)
			code = EXIT_TEMP;
		else if (t[i].state == GAVEUP && code != EXIT_TEMP)
			code = EXIT_GAVEUP;
		else if (t[i].state == TIMEDOUT && code == 0)
			code = EXIT_TIMEOUT;
		if (t[i].dfd != -1)
			close(t[i].dfd);
	}
	free(t);
	return code;
}
