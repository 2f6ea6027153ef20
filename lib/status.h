/*
 * The supervise/status record (servicedir(5)): daemontools' 18-byte layout,
 * then our versioned extension, 40 bytes in all. Packing and unpacking are
 * pure functions; status_read checks the length.
 */
#ifndef STATUS_H
#define STATUS_H

#include <sys/types.h>

#include <stdint.h>

#include "tai.h"

#define STATUS_DT_SIZE 18	/* daemontools' record */
#define STATUS_SIZE 40		/* with our extension */
#define STATUS_VERSION 1

enum {
	STATUS_READY = 1,	/* notified readiness (or has no notification-fd) */
	STATUS_NORMALLYUP = 2,	/* no down file */
	STATUS_FINISH = 4,	/* ./finish is running */
	STATUS_EXITREQ = 8,	/* x received */
	STATUS_EXITED = 16,	/* ./run has exited at least once */
	STATUS_GAVEUP = 32	/* restart-limit reached */
};

struct status {
	struct tai stamp;	/* last start or exit of ./run */
	uint32_t pid;		/* 0 when not running */
	int paused;
	char want;		/* 'u', 'd', or 0 for once */
	int ext;		/* 1 when the fields below were read */
	unsigned flags;
	struct tai ready;	/* zero when not ready */
	uint32_t wstatus;	/* of the last exit, valid with STATUS_EXITED */
	uint32_t starts;
};

void	status_pack(char *, const struct status *);
int	status_unpack(const char *, size_t, struct status *);
int	status_read(int, struct status *);

#endif
