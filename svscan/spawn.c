/*
 * svscan: starting a supervise, and finding the entry of a pid that
 * exited. Both cost the same with 10 entries as with 10,000: a start does
 * not copy svscan's table of descriptors (three per logged entry), and a
 * reaped pid is looked up in a hash, not searched for. See svscan(8).
 */
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__linux__) && defined(SYS_close_range)
#include <sched.h>
#ifndef CLOSE_RANGE_UNSHARE
#define CLOSE_RANGE_UNSHARE (1U << 1)
#endif
#if defined(CLONE_VM) && defined(CLONE_VFORK) && defined(CLONE_FILES)
#define SPAWN_CLONE
#endif
#endif

#include "../lib/err.h"
#include "../lib/sig.h"
#include "../lib/tai.h"
#include "svscan.h"

/*
 * The pids of running supervise processes, by open addressing: a slot
 * holds an entry's address with, in its lowest bit, which of its two
 * supervise it is; the key is that supervise's pid, read from the entry.
 * Never more than half full.
 */
static struct {
	uintptr_t *slot;
	size_t cap, n;
} P;

#define SLOT_ENTRY(v)	((struct entry *)((v) & ~(uintptr_t)1))
#define SLOT_WHICH(v)	((int)((v) & 1))
#define SLOT_PID(v)	(SLOT_ENTRY(v)->sup[SLOT_WHICH(v)].pid)

static size_t
home(pid_t pid)
{
	return ((uint32_t)pid * 2654435761U) & (P.cap - 1);
}

static void
put(uintptr_t v)
{
	size_t i;

	for (i = home(SLOT_PID(v)); P.slot[i] != 0; i = (i + 1) & (P.cap - 1))
		;
	P.slot[i] = v;
	P.n++;
}

/* Adds entry x's supervise which, whose pid is set; -1 if out of memory. */
static int
pid_put(struct entry *x, int which)
{
	uintptr_t *old = P.slot;
	size_t i, ocap = P.cap;

	if (2 * (P.n + 1) > P.cap) {
		P.cap = ocap ? 2 * ocap : 64;
		P.slot = calloc(P.cap, sizeof(*P.slot));
		if (P.slot == NULL) {
			P.slot = old;
			P.cap = ocap;
			return -1;
		}
		P.n = 0;
		for (i = 0; i < ocap; i++)
			if (old[i] != 0)
				put(old[i]);
		free(old);
	}
	put((uintptr_t)x | (uintptr_t)which);
	return 0;
}

/*
 * The entry whose supervise had pid, with which set to 0 (the service's)
 * or 1 (its logger's), taken out of the index; NULL for a pid that is not
 * one of ours (an orphan reaped as PID 1). Backward-shift deletion keeps
 * every probe chain whole.
 */
struct entry *
pid_take(pid_t pid, int *which)
{
	struct entry *x;
	size_t i, j, h;

	if (P.cap == 0 || pid <= 0)
		return NULL;
	for (i = home(pid); P.slot[i] != 0; i = (i + 1) & (P.cap - 1))
		if (SLOT_PID(P.slot[i]) == pid)
			break;
	if (P.slot[i] == 0)
		return NULL;
	x = SLOT_ENTRY(P.slot[i]);
	*which = SLOT_WHICH(P.slot[i]);
	P.slot[i] = 0;
	P.n--;
	for (j = (i + 1) & (P.cap - 1); P.slot[j] != 0;
	    j = (j + 1) & (P.cap - 1)) {
		h = home(SLOT_PID(P.slot[j]));
		/* Slot j may move to i if its home is not in (i, j]. */
		if ((j > i && (h <= i || h > j)) || (j < i && h <= i && h > j)) {
			P.slot[i] = P.slot[j];
			P.slot[j] = 0;
			i = j;
		}
	}
	return x;
}

/*
 * The child side of spawn, sharing svscan's memory until exec (no page
 * tables copied, no copy-on-write faults left to svscan for each of a
 * thousand starts): system calls only, up to exec; on failure it warns
 * and exits, and supervise is tried again on the throttle as for any
 * exit. The service's supervise writes into the pipe; the logger's reads
 * from it and, as in daemontools, runs as "supervise log" inside the
 * service directory.
 *
 * fd is the end of the pipe that becomes the standard input or output,
 * or -1; unshare, where it is not -1, the lowest descriptor the child
 * need not keep: the child then shares svscan's table of descriptors
 * until it makes its own copy of the few below unshare.
 */
struct job {
	struct entry *x;
	int which;
	int fd;
	int unshare;
	const char *path;	/* the supervise to exec */
	volatile int err;	/* why exec failed, for the parent to say */
};

static int
child(void *arg)
{
	static char supervise[] = "supervise", log[] = "log", dashes[] = "--";
	struct job *j = arg;
	struct entry *x = j->x;
	char *argv[4];

	sig_restore();
	argv[0] = supervise;
	argv[1] = x->name;
	argv[2] = NULL;
	/* A service named -x is not an option. */
	if (x->name[0] == '-') {
		argv[1] = dashes;
		argv[2] = x->name;
		argv[3] = NULL;
	}
	if (j->which == 1) {
		if (fchdir(x->dfd) == -1)
			goto fail;
		argv[1] = log;
	}
#ifdef SPAWN_CLONE
	if (j->unshare != -1 && syscall(SYS_close_range,
	    (unsigned)j->unshare, ~0U, CLOSE_RANGE_UNSHARE) == -1)
		goto fail;
#endif
	if (j->fd != -1 && dup2(j->fd, j->which ? 0 : 1) == -1)
		goto fail;
	execv(j->path, argv);
fail:
	j->err = errno;
	_exit(errno == ENOENT ? EXIT_USAGE : EXIT_TEMP);
}

/*
 * The supervise to exec: S.supervise when it is a path, else the first
 * executable "supervise" in PATH, looked up here in the parent (execvp
 * is not a system call, so it has no place in a child that shares our
 * memory). NULL with errno set when there is none.
 */
static const char *
supervise_path(void)
{
	static char buf[PATH_MAX];
	const char *p, *end, *path;
	size_t len, n = strlen(S.supervise);

	if (strchr(S.supervise, '/') != NULL)
		return S.supervise;
	path = getenv("PATH");
	if (path == NULL)
		path = "/bin:/usr/bin";
	for (p = path;; p = end + 1) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len == 0) {
			buf[0] = '.';
			len = 1;
		} else if (len + 1 + n + 1 <= sizeof(buf))
			memcpy(buf, p, len);
		else
			len = 0;
		if (len != 0 && len + 1 + n + 1 <= sizeof(buf)) {
			buf[len] = '/';
			memcpy(buf + len + 1, S.supervise, n + 1);
			if (access(buf, X_OK) == 0)
				return buf;
		}
		if (*end == '\0')
			break;
	}
	errno = ENOENT;
	return NULL;
}

#ifdef SPAWN_CLONE
/*
 * A plain vfork copies the whole table of descriptors into the child and
 * exec closes them all again: with 10,000 entries that is most of the
 * cost of a start, and makes a bring-up quadratic. Here the child shares
 * the table (CLONE_FILES) and takes its own copy of descriptors 0 to
 * stage only (close_range with CLOSE_RANGE_UNSHARE, Linux 5.9), stage
 * being a low descriptor reserved at the first start, through which the
 * pipe's end is handed over; it is pointed back at /dev/null after each
 * start, so that svscan holds no end of a pipe twice. Where either call
 * is missing or refused, and under valgrind, vfork it is.
 */
static struct {
	int tried, ok;
	int stage, null;
	char stack[32768] __attribute__((aligned(16)));
} C;

static int
clone_ready(void)
{
	const char *pre;

	if (C.tried)
		return C.ok;
	C.tried = 1;
	/*
	 * Under valgrind (its preload in our environment), which runs only
	 * the clones of threads, fork and vfork and stops at any other.
	 */
	pre = getenv("LD_PRELOAD");
	if (pre != NULL && strstr(pre, "/vgpreload_") != NULL)
		return 0;
	if (syscall(SYS_close_range, ~0U, ~0U, CLOSE_RANGE_UNSHARE) == -1)
		return 0;
	C.stage = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (C.stage == -1)
		return 0;
	C.null = fcntl(C.stage, F_DUPFD_CLOEXEC, 0);
	if (C.null == -1) {
		close(C.stage);
		return 0;
	}
	C.ok = 1;
	return 1;
}

static pid_t
spawn_clone(struct job *j)
{
	pid_t pid;
	int fd = j->fd;

	if (fd != -1) {
		if (dup3(fd, C.stage, O_CLOEXEC) == -1)
			return -2;
		j->fd = C.stage;
	}
	j->unshare = C.stage + 1;
	pid = clone(child, C.stack + sizeof(C.stack),
	    CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, j);
	if (fd != -1)
		dup3(C.null, C.stage, O_CLOEXEC);
	j->fd = fd;
	j->unshare = -1;
	if (pid == -1 && (errno == EINVAL || errno == EPERM ||
	    errno == ENOSYS))
		return C.ok = 0, -2;
	return pid;
}
#endif

/* Starts supervise for the service (0) or its logger (1). */
void
spawn(struct entry *x, int which)
{
	struct sup *s = &x->sup[which];
	struct job j;
	pid_t pid = -2;

	j.x = x;
	j.which = which;
	j.fd = !x->log ? -1 : which ? x->pi[0] : x->pi[1];
	j.unshare = -1;
	j.err = 0;
	s->retry = 0;
	j.path = supervise_path();
	if (j.path == NULL) {
		err_warnsys("unable to start supervise ", x->name,
		    which ? "/log" : "", (char *)0);
		s->born = mono_ms();
		s->retry = s->born + THROTTLE;
		return;
	}
	sig_fork_begin();
#ifdef SPAWN_CLONE
	if (clone_ready())
		pid = spawn_clone(&j);
#endif
	if (pid == -2) {
		pid = vfork();
		if (pid == 0)
			child(&j);
	}
	sig_fork_end();
	if (pid == -1) {
		err_warnsys("unable to start supervise ", x->name,
		    which ? "/log" : "", (char *)0);
		s->retry = mono_ms() + THROTTLE;
		return;
	}
	/* The child has exec'd or exited: err is its word on why not. */
	if (j.err != 0) {
		errno = j.err;
		err_warnsys("unable to start supervise ", x->name,
		    which ? "/log" : "", (char *)0);
	}
	s->pid = pid;
	s->born = mono_ms();
	/* Out of memory for the index: kill it, and start it again later. */
	if (pid_put(x, which) == -1) {
		kill(pid, SIGKILL);
		s->pid = 0;
		s->retry = s->born + THROTTLE;
	}
}
