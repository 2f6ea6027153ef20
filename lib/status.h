/*
 * The supervise/status record (servicedir(5)): daemontools' 18 bytes,
 * runit's two (got TERM, run state), then our versioned extension, 44
 * bytes in all. This is the only code that knows the layout: packing and
 * unpacking are pure functions, status_plausible checks a record's
 * content, status_read its length. Readers take every version: ours (v2,
 * and v1 of earlier builds), runit's 20 bytes and daemontools' 18.
 */
#ifndef STATUS_H
#define STATUS_H

#include <sys/types.h>

#include <stdint.h>

#include "tai.h"

#define STATUS_DT_SIZE 18	/* daemontools' record */
#define STATUS_RUNIT_SIZE 20	/* runit's */
#define STATUS_V1_SIZE 40	/* ours, version 1 (earlier builds) */
#define STATUS_SIZE 44		/* ours, version 2, as written */
#define STATUS_VERSION 2

/* Flags: byte 21 of version 2 (byte 19 of version 1). */
enum {
	STATUS_READY = 1,	/* notified readiness (or has no notification-fd) */
	STATUS_NORMALLYUP = 2,	/* no down file */
	STATUS_FINISH = 4,	/* ./finish is running (v1's bit; v2: byte 19) */
	STATUS_EXITREQ = 8,	/* x received */
	STATUS_EXITED = 16,	/* ./run has exited at least once */
	STATUS_GAVEUP = 32	/* restart-limit reached */
};

/* runit's run state, byte 19. */
enum { STATUS_DOWN = 0, STATUS_RUN = 1, STATUS_FINISHING = 2 };

/* Which record a reader found. */
enum { STATUS_DT, STATUS_RUNIT, STATUS_V1, STATUS_V2 };

struct status {
	struct tai stamp;	/* last start or exit of ./run */
	uint32_t pid;		/* 0 when not running */
	int paused;
	char want;		/* 'u', 'd', or 0 for once */
	int kind;		/* STATUS_DT ... STATUS_V2, as read */
	int termsent;		/* down signal sent, ./run not exited (runit) */
	int runstate;		/* STATUS_DOWN, _RUN or _FINISHING (runit) */
	int ext;		/* 1 when the fields below were read */
	unsigned flags;
	struct tai ready;	/* zero when not ready */
	uint32_t wstatus;	/* of the last exit, valid with STATUS_EXITED */
	uint32_t starts;
};

void	status_pack(char *, const struct status *);
int	status_unpack(const char *, size_t, struct status *);
int	status_plausible(const struct status *);
int	status_read(int, struct status *);

#endif
