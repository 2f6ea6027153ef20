/*
 * Directory watching; see watch.h. With inotify or kqueue, watch_wait
 * sleeps in poll(2) until the kernel reports an event on a watched
 * directory, the peer's reader goes away, or the deadline passes. Without
 * either, every wait is a timed sleep, the documented fallback; so is a
 * wait for WATCH_OPENS under kqueue, which cannot see a file in a
 * directory being opened.
 *
 * Callers arm the watch first and only then look at what they wait for,
 * so a change between the look and the wait still wakes them up.
 *
 * The kqueue code is never run on Linux, where this is developed: keep it
 * short and keep it obviously right. It is compiled there, with warnings
 * as errors, against a stub of FreeBSD's declarations (-DWATCH_KQUEUE
 * -Itests/kqueue, tests/90-make.bats); that catches typos, not mistakes.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#if defined(WATCH_FALLBACK)
#elif defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__) || \
    defined(__DragonFly__) || defined(__APPLE__) || defined(WATCH_KQUEUE)
#undef WATCH_KQUEUE
#define WATCH_KQUEUE
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>
#elif defined(__linux__)
#define WATCH_INOTIFY
#include <sys/inotify.h>
#endif

#include "io.h"
#include "tai.h"
#include "watch.h"

#define BACKOFF_MIN 2

int
watch_init(struct watch *w)
{
	w->fd = -1;
	w->capped = 0;
	w->backoff = BACKOFF_MIN;
	w->ndirs = 0;
	w->many = 0;
	w->peer = -1;
	w->peerpoll = 0;
	w->wd0 = 0;
	w->only = NULL;
#if defined(WATCH_INOTIFY)
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
#elif defined(WATCH_KQUEUE)
	w->fd = kqueue();
	if (w->fd != -1 && fcntl(w->fd, F_SETFD, FD_CLOEXEC) == -1) {
		close(w->fd);
		w->fd = -1;
	}
#endif
	return 0;
}

#if defined(WATCH_INOTIFY)
/*
 * No IN_CLOSE_* nor IN_ACCESS, and IN_OPEN only on request: the watcher
 * itself opens and reads files in the directory (a status record, a FIFO
 * probe) and must not wake itself up forever. Adding a path again only
 * updates its mask.
 */
static int
add(struct watch *w, const char *path, int what)
{
	uint32_t mask;
	int wd, i;

	mask = IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
	    IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
	if (what & WATCH_WRITES)
		mask |= IN_MODIFY;
	if (what & WATCH_ATTRIBS)
		mask |= IN_ATTRIB;
	if (what & WATCH_OPENS)
		mask |= IN_OPEN;
	wd = inotify_add_watch(w->fd, path, mask);
	if (wd == -1)
		return -1;
	if (w->wd0 == 0)
		w->wd0 = wd;
	/* Kept for watch_forget; a path added again has the same wd. */
	for (i = 0; i < w->ndirs; i++)
		if (w->dirs[i] == wd)
			return 0;
	if (w->ndirs < WATCH_MAX)
		w->dirs[w->ndirs++] = wd;
	else
		w->many = 1;
	return 0;
}
#elif defined(WATCH_KQUEUE)
/*
 * NOTE_WRITE on a directory reports entries created, removed or renamed
 * in it. A directory already watched (same device and inode) is not
 * watched twice.
 */
static int
add(struct watch *w, const char *path, int what)
{
	struct stat st, old;
	struct kevent ev;
	int fd, i, e;

	if (what & WATCH_OPENS)
		w->capped = 1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || fstat(fd, &st) == -1)
		goto fail;
	for (i = 0; i < w->ndirs; i++)
		if (fstat(w->dirs[i], &old) == 0 && old.st_dev == st.st_dev &&
		    old.st_ino == st.st_ino) {
			close(fd);
			return 0;
		}
	if (w->ndirs == WATCH_MAX) {
		errno = ENOSPC;
		goto fail;
	}
	EV_SET(&ev, fd, EVFILT_VNODE, EV_ADD | EV_CLEAR, NOTE_WRITE |
	    NOTE_EXTEND | NOTE_DELETE | NOTE_RENAME |
	    ((what & WATCH_ATTRIBS) ? NOTE_ATTRIB : 0), 0, 0);
	if (kevent(w->fd, &ev, 1, NULL, 0, NULL) == -1)
		goto fail;
	w->dirs[w->ndirs++] = fd;
	return 0;
fail:
	e = errno;
	if (fd != -1)
		close(fd);
	errno = e;
	return -1;
}
#endif

/*
 * Watches the directory path for what (WATCH_* flags). Returns 0, or -1
 * with errno (ENOENT: it does not exist, ENOTDIR: not a directory). In the
 * fallback it only checks that the path is there, so callers behave the
 * same on every system.
 */
int
watch_add(struct watch *w, const char *path, int what)
{
#if defined(WATCH_INOTIFY) || defined(WATCH_KQUEUE)
	/*
	 * A watch that cannot be added (EACCES on a directory we may not
	 * read, ENOSPC at the system's watch limit) must not leave a wait
	 * with nothing to wake it: from then on waits are capped, and the
	 * caller looks again at least every WATCH_FALLBACK_MS.
	 */
	if (w->fd != -1) {
		if (add(w, path, what) == 0)
			return 0;
		w->capped = 1;
		return -1;
	}
#else
	(void)what;
#endif
	w->backoff = BACKOFF_MIN;
	return access(path, F_OK);
}

/*
 * Follows fd, the write end of a FIFO, until its reader goes away (fd -1:
 * no longer). The caller keeps fd and closes it; a peer that is gone must
 * be replaced or dropped before the next wait. Under kqueue it is an
 * EVFILT_WRITE event (EV_EOF when the reader is gone); elsewhere it is
 * polled, where Linux reports POLLERR and others POLLHUP.
 */
int
watch_peer(struct watch *w, int fd)
{
#if defined(WATCH_KQUEUE)
	struct kevent ev;

	if (fd != -1 && w->fd != -1) {
		EV_SET(&ev, fd, EVFILT_WRITE, EV_ADD | EV_CLEAR, 0, 0, 0);
		if (kevent(w->fd, &ev, 1, NULL, 0, NULL) == -1)
			return -1;
		w->peer = fd;
		w->peerpoll = 0;
		return 0;
	}
#endif
	w->peer = fd;
	w->peerpoll = fd != -1;
	return 0;
}

/* The descriptor to poll for readability, or -1 in the fallback. */
int
watch_fd(const struct watch *w)
{
	return w->fd;
}

/*
 * Reads and forgets the pending events. Any of them (an overflow
 * included) means "look again". Returns 0 if there were none, 1 if there
 * were, WATCH_GONE if one said the peer's reader went away, -1 on error.
 */
int
watch_drain(struct watch *w)
{
#if defined(WATCH_INOTIFY)
	char buf[4096] __attribute__((aligned(8)));
	const struct inotify_event *ev;
	ssize_t r, i;
	int any = 0;

	if (w->fd == -1)
		return 0;
	while ((r = io_read(w->fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < r && !any; i += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(buf + i);
			any = w->only == NULL || ev->wd == w->wd0 ||
			    (ev->mask & IN_Q_OVERFLOW) ||
			    (ev->len > 0 && strcmp(ev->name, w->only) == 0);
		}
	return r == -1 && errno != EAGAIN ? -1 : any;
#elif defined(WATCH_KQUEUE)
	struct kevent ev[8];
	struct timespec zero = { 0, 0 };
	int i, n, any = 0;

	if (w->fd == -1)
		return 0;
	while ((n = kevent(w->fd, NULL, 0, ev, 8, &zero)) > 0)
		for (i = 0; i < n; i++)
			if (ev[i].filter == EVFILT_WRITE &&
			    (ev[i].flags & EV_EOF))
				any = WATCH_GONE;
			else if (any == 0)
				any = 1;
	return n == -1 && any == 0 ? -1 : any;
#else
	(void)w;
	return 0;
#endif
}

/*
 * How long the next wait may sleep, given the ms left (-1: no deadline).
 * In the fallback, one interval, doubling the next; under kqueue with
 * WATCH_OPENS, at most WATCH_FALLBACK_MS.
 */
static int
interval(struct watch *w, int64_t left)
{
	int64_t cap = -1;

	if (w->fd == -1) {
		cap = w->backoff;
		w->backoff *= 2;
		if (w->backoff > WATCH_FALLBACK_MS)
			w->backoff = WATCH_FALLBACK_MS;
	} else if (w->capped)
		cap = WATCH_FALLBACK_MS;
	if (cap >= 0 && (left < 0 || left > cap))
		left = cap;
	return left > 1000000 ? 1000000 : (int)left;
}

/*
 * Waits for an event, until deadline (mono_ms; -1: no deadline). Returns
 * 1 after an event (or a fallback interval), WATCH_GONE when the peer's
 * reader went away, 0 at the deadline, -1 on error.
 */
int
watch_wait(struct watch *w, int64_t deadline)
{
	struct pollfd p[2];
	int64_t left = -1;
	int n = 0, r;

	if (deadline >= 0) {
		left = deadline - mono_ms();
		if (left <= 0)
			return 0;
	}
	if (w->fd != -1) {
		p[n].fd = w->fd;
		p[n++].events = POLLIN;
	}
	if (w->peerpoll) {
		/* Never POLLOUT: a FIFO with a reader is always writable. */
		p[n].fd = w->peer;
		p[n++].events = 0;
	}
	p[0].revents = p[1].revents = 0;
	r = poll(p, (nfds_t)n, interval(w, left));
	if (r == -1)
		return errno == EINTR ? 1 : -1;
	if (r == 0)
		return deadline < 0 || mono_ms() < deadline ? 1 : 0;
	if (w->peerpoll && (p[n - 1].revents & (POLLERR | POLLHUP)))
		return WATCH_GONE;
	/* A failed read is one more "look again", as an overflow is. */
	return watch_drain(w) == WATCH_GONE ? WATCH_GONE : 1;
}

/*
 * Stops watching every directory added, keeping the descriptor for the
 * next ones, and forgets the events still queued (inotify's IN_IGNORED
 * for each watch removed among them) and any cap a failed add set. The
 * peer is the caller's to drop first. A watch that was given more than
 * WATCH_MAX directories is closed and made again instead.
 */
void
watch_forget(struct watch *w)
{
#if defined(WATCH_INOTIFY)
	if (w->fd != -1 && !w->many) {
		while (w->ndirs > 0)
			inotify_rm_watch(w->fd, w->dirs[--w->ndirs]);
		watch_drain(w);
		w->capped = 0;
		w->backoff = BACKOFF_MIN;
		w->wd0 = 0;
		return;
	}
	if (w->fd != -1) {
		watch_close(w);
		watch_init(w);
		return;
	}
#elif defined(WATCH_KQUEUE)
	/* Closing a directory's descriptor removes its event. */
	while (w->ndirs > 0)
		close(w->dirs[--w->ndirs]);
	watch_drain(w);
#endif
	w->capped = 0;
	w->backoff = BACKOFF_MIN;
}

void
watch_close(struct watch *w)
{
#if defined(WATCH_KQUEUE)
	while (w->ndirs > 0)
		close(w->dirs[--w->ndirs]);
#endif
	w->ndirs = 0;
	w->many = 0;
	if (w->fd != -1)
		close(w->fd);
	w->fd = -1;
	w->peer = -1;
	w->peerpoll = 0;
}
