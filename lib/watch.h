/*
 * Waiting for a directory to change, without polling where the system can
 * tell us: inotify on Linux, kqueue on the BSDs and macOS. Elsewhere (or
 * when built with -DWATCH_FALLBACK) a portable fallback re-checks on an
 * interval that doubles from 2 ms up to WATCH_FALLBACK_MS, so callers must
 * treat every wake-up as "maybe changed" and look again.
 */
#ifndef WATCH_H
#define WATCH_H

#include <stdint.h>

#define WATCH_FALLBACK_MS 100
#define WATCH_MAX 4	/* directories one watch can follow */

enum {
	WATCH_CHANGES = 1,	/* entries created, renamed, removed, written */
	WATCH_OPENS = 2		/* also files in it being opened */
};

struct watch {
	int fd;			/* inotify or kqueue descriptor; -1: fallback */
	int capped;		/* waits are capped at WATCH_FALLBACK_MS */
	int64_t backoff;	/* fallback interval in ms */
	int dirs[WATCH_MAX];	/* kqueue: the watched directories */
	int ndirs;
};

int	watch_init(struct watch *);
int	watch_add(struct watch *, const char *, int);
int	watch_fd(const struct watch *);
int	watch_wait(struct watch *, int64_t);
void	watch_drain(struct watch *);
void	watch_close(struct watch *);

#endif
