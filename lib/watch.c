/*
 * Directory watching; see watch.h. With inotify, watch_wait sleeps in
 * poll(2) until the kernel reports an event on a watched directory or the
 * deadline passes; it never wakes up otherwise. Without inotify (another
 * system, or inotify_init1 failing for want of instances) every wait is a
 * timed sleep, the documented fallback.
 *
 * Callers arm the watch first and only then look at what they wait for,
 * so a change between the look and the wait still wakes them up.
 */
#include <errno.h>
#include <poll.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/inotify.h>
#endif

#include "tai.h"
#include "watch.h"

#define BACKOFF_MIN 2

int
watch_init(struct watch *w)
{
	w->backoff = BACKOFF_MIN;
	w->fd = -1;
#ifdef __linux__
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
#endif
	return 0;
}

/*
 * Watches the directory path. Returns 0, or -1 with errno (ENOENT: it does
 * not exist, ENOTDIR: not a directory). In the fallback it only checks
 * that the path is there, so callers behave the same on every system.
 */
int
watch_add(struct watch *w, const char *path, int what)
{
#ifdef __linux__
	uint32_t mask;

	/*
	 * No IN_CLOSE_* nor IN_ACCESS, and IN_OPEN only on request: the
	 * watcher itself opens and reads files in the directory (a status
	 * record, a FIFO probe) and must not wake itself up forever.
	 */
	if (w->fd != -1) {
		mask = IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
		    IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
		if (what & WATCH_OPENS)
			mask |= IN_OPEN;
		return inotify_add_watch(w->fd, path, mask) == -1 ? -1 : 0;
	}
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
	char buf[4096];

	if (w->fd == -1)
		return;
	while (read(w->fd, buf, sizeof(buf)) > 0)
		;
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
		if (left < 0 || left > w->backoff)
			left = w->backoff;
		if (w->backoff < WATCH_FALLBACK_MS)
			w->backoff *= 2;
		if (w->backoff > WATCH_FALLBACK_MS)
			w->backoff = WATCH_FALLBACK_MS;
		poll(NULL, 0, (int)left);
		return 1;
	}
	if (left > 1000000)
		left = 1000000;
	p.fd = w->fd;
	p.events = POLLIN;
	r = poll(&p, 1, (int)left);
	if (r == -1)
		return errno == EINTR ? 1 : -1;
	if (r == 0)
		return deadline >= 0 && mono_ms() < deadline ? 1 : 0;
	watch_drain(w);
	return 1;
}

void
watch_close(struct watch *w)
{
	if (w->fd != -1)
		close(w->fd);
	w->fd = -1;
}
