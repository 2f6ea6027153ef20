/*
 * svstat's report of one directory (report.c), shared with svstat.c which
 * fills it from the service directory. See svstat(8).
 */
#ifndef SVSTAT_H
#define SVSTAT_H

#include "../lib/out.h"
#include "../lib/status.h"
#include "../lib/tai.h"

enum { UP, DOWN, FINISH, NOTRUNNING, ERROR };

/* What svstat found out about one directory. */
struct report {
	const char *dir;
	int state;
	const char *err;	/* what failed, for ERROR */
	const char *reason;
	struct status s;
	int normallyup;
	int notify;		/* DIR/notification-fd or DIR/check exists */
	unsigned limit[2];	/* restart-limit's COUNT and SECONDS, or 0 */
	unsigned long long secs;
	unsigned long long readysecs;
};

void	report_fill(struct report *, const struct tai *);
void	report_print(struct out *, const struct report *, int);

#endif
