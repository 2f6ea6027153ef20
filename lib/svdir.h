/*
 * A service directory as seen by the tools that talk to its supervise
 * (svc, svstat, svok, svscan): a directory descriptor, the "is supervise
 * running" test on supervise/ok, the control FIFO, the status record and
 * the pid file. The only way into supervise/ for those programs.
 */
#ifndef SVDIR_H
#define SVDIR_H

#include <sys/types.h>

#include <stddef.h>

#include "status.h"

int	svdir_open(const char *);
int	svdir_running(int);
int	svdir_control(int, const char *, size_t);
int	svdir_status(int, struct status *);
pid_t	svdir_pid(int);

#endif
