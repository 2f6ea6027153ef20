/*
 * Directory watching; see watch.h. With inotify or kqueue, watch_wait
 * sleeps in poll(2) until the kernel reports an event on a watched
 * directory or the deadline passes. Without either, every wait is a timed
 * sleep, the documented fallback; so is a wait for WATCH_OPENS under
 * kqueue, which cannot see a file in a directory being opened.
 *
 * Callers arm the watch first and only then look at what they wait for,
 * so a change between the look and the wait still wakes them up.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#if defined(WATCH_FALLBACK)
#elif defined(__linux__)
#define WATCH_INOTIFY
#include <sys/inotify.h>
#elif defined(__FreeBSD__) || defined(__OpenBSD__) || defined(__NetBSD__) || \
    defined(__DragonFly__) || defined(__APPLE__)
#define WATCH_KQUEUE
#include <sys/types.h>
#include <sys/event.h>
#include <sys/time.h>
#endif

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

	mask = IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
	    IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
	if (what & WATCH_OPENS)
		mask |= IN_OPEN;
	return inotify_add_watch(w->fd, path, mask) == -1 ? -1 : 0;
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
	    NOTE_EXTEND | NOTE_DELETE | NOTE_RENAME, 0, 0);
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
 * Watches the directory path. Returns 0, or -1 with errno (ENOENT: it does
 * not exist, ENOTDIR: not a directory). In the fallback it only checks
 * that the path is there, so callers behave the same on every system.
 */
int
watch_add(struct watch *w, const char *path, int what)
{
#if defined(WATCH_INOTIFY) || defined(WATCH_KQUEUE)
	if (w->fd != -1)
		return add(w, path, what);
#else
	(void)what;
#endif
	w->backoff = BACKOFF_MIN;
	return access(path, F_OK);
}

/* The descriptor to poll for readability, or -1 in the fallback. */
int
watch_fd(const struct watch *w)
{
	return w->fd;
}

/* Reads and forgets the pending events. */
void
watch_drain(struct watch *w)
{
#if defined(WATCH_INOTIFY)
	char buf[4096];

	if (w->fd != -1)
		while (read(w->fd, buf, sizeof(buf)) > 0)
			;
#elif defined(WATCH_KQUEUE)
	struct kevent ev[8];
	struct timespec zero = { 0, 0 };

	if (w->fd != -1)
		while (kevent(w->fd, NULL, 0, ev, 8, &zero) > 0)
			;
#else
	(void)w;
#endif
}

/* Sleeps one fallback interval (at most left ms), doubling the next. */
static void
nap(struct watch *w, int64_t left)
{
	if (left < 0 || left > w->backoff)
		left = w->backoff;
	if (w->backoff < WATCH_FALLBACK_MS)
		w->backoff *= 2;
	if (w->backoff > WATCH_FALLBACK_MS)
		w->backoff = WATCH_FALLBACK_MS;
	poll(NULL, 0, (int)left);
}

/*
 * Waits for an event, until deadline (mono_ms; -1: no deadline). Returns
 * 1 after an event (or a fallback interval), 0 at the deadline, -1 on
 * error.
 */
int
watch_wait(struct watch *w, int64_t deadline)
{
	struct pollfd p;
	int64_t left = -1;
	int r;

	if (deadline >= 0) {
		left = deadline - mono_ms();
		if (left <= 0)
			return 0;
	}
	if (w->fd == -1) {
		nap(w, left);
		return 1;
	}
	if (w->capped && (left < 0 || left > WATCH_FALLBACK_MS))
		left = WATCH_FALLBACK_MS;
	if (left > 1000000)
		left = 1000000;
	p.fd = w->fd;
	p.events = POLLIN;
	r = poll(&p, 1, (int)left);
	if (r == -1)
		return errno == EINTR ? 1 : -1;
	if (r == 0)
		return deadline < 0 || mono_ms() < deadline ? 1 : 0;
	watch_drain(w);
	return 1;
}

void
watch_close(struct watch *w)
{
	while (w->ndirs > 0)
		close(w->dirs[--w->ndirs]);
	if (w->fd != -1)
		close(w->fd);
	w->fd = -1;
}
