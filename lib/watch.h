/*
 * Being told when a directory changes, without polling where the system
 * can tell us: inotify on Linux, kqueue on the BSDs and macOS. Used by
 * svc(8), to wait for a status, and svscan(8), to rescan its directory.
 *
 * Elsewhere (or when built with -DWATCH_FALLBACK) watch_fd is -1: svscan
 * then rescans on its timer, and watch_wait re-checks on an interval that
 * doubles from 2 ms up to WATCH_FALLBACK_MS, so callers must treat every
 * wake-up as "maybe changed" and look again.
 *
 * svscan watches its scan directory first, then each service directory
 * that has no log/ yet with only = "log", so that the supervise/ that
 * every supervise creates there wakes nobody up.
 *
 * A program that waits for many directories in turn (svc -w with 10,000
 * operands) keeps one watch and calls watch_forget between them: closing
 * an inotify descriptor that watched something waits for the kernel's
 * grace period (about 15 ms), where removing its watches does not.
 *
 * A watch can also follow one "peer": the write end of a FIFO (opened
 * O_WRONLY | O_NONBLOCK), whose reader going away wakes watch_wait up at
 * once, on every system, with WATCH_GONE.
 */
#ifndef WATCH_H
#define WATCH_H

#include <stdint.h>

#define WATCH_FALLBACK_MS 100
#define WATCH_MAX 4	/* directories one watch can follow */

enum {
	WATCH_ENTRIES = 1,	/* entries created, renamed, removed */
	WATCH_WRITES = 2,	/* files in it written */
	WATCH_ATTRIBS = 4,	/* entries' metadata (mode, links) changed */
	WATCH_OPENS = 8,	/* files in it opened */
	WATCH_CHANGES = WATCH_ENTRIES | WATCH_WRITES
};

#define WATCH_GONE 2	/* watch_wait: the peer's reader went away */

struct watch {
	int fd;			/* inotify or kqueue descriptor; -1: fallback */
	int capped;		/* waits are capped at WATCH_FALLBACK_MS */
	int64_t backoff;	/* fallback interval in ms */
	int dirs[WATCH_MAX];	/* kqueue: the watched directories;
				 * inotify: the first watch descriptors */
	int ndirs;
	int many;		/* inotify: more than WATCH_MAX added */
	int peer;		/* FIFO write end, or -1 */
	int peerpoll;		/* the peer is in the poll set, not the kqueue */
	int wd0;		/* inotify: the first directory added */
	const char *only;	/* inotify: in the directories added after
				 * the first, only entries of this name
				 * count as events (NULL: all) */
};

int	watch_init(struct watch *);
int	watch_add(struct watch *, const char *, int);
int	watch_peer(struct watch *, int);
int	watch_fd(const struct watch *);
int	watch_wait(struct watch *, int64_t);
int	watch_drain(struct watch *);
void	watch_forget(struct watch *);
void	watch_close(struct watch *);

#endif
