/*
 * A service directory as seen by the tools that talk to its supervise
 * (svc, svstat, svok): a directory descriptor, the "is supervise running"
 * test on supervise/ok, the control FIFO and the status record.
 */
#ifndef SVDIR_H
#define SVDIR_H

#include <stddef.h>

#include "status.h"

int	svdir_open(const char *);
int	svdir_running(int);
int	svdir_control(int, const char *, size_t);
int	svdir_status(int, struct status *);

#endif
