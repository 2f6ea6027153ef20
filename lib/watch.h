/*
 * Waiting for a directory to change, without polling where the system can
 * tell us: inotify on Linux. Elsewhere a portable fallback re-checks on an
 * interval that doubles from 2 ms up to WATCH_FALLBACK_MS, so callers must
 * treat every wake-up as "maybe changed" and look again.
 */
#ifndef WATCH_H
#define WATCH_H

#include <stdint.h>

#define WATCH_FALLBACK_MS 100

enum {
	WATCH_CHANGES = 1,	/* entries created, renamed, removed, written */
	WATCH_OPENS = 2		/* also files in it being opened */
};

struct watch {
	int fd;			/* inotify descriptor, or -1: the fallback */
	int64_t backoff;	/* fallback interval in ms */
};

int	watch_init(struct watch *);
int	watch_add(struct watch *, const char *, int);
int	watch_fd(const struct watch *);
int	watch_wait(struct watch *, int64_t);
void	watch_drain(struct watch *);
void	watch_close(struct watch *);

#endif
