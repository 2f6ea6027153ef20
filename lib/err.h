/*
 * Error reporting shared by every program: the program name, one-line
 * "prog: fatal: ..." and "prog: warning: ..." messages on stderr, and the
 * named exit codes of the toolkit (see the Conventions section of SPEC).
 */
#ifndef ERR_H
#define ERR_H

#include <stdnoreturn.h>

enum {
	EXIT_TIMEOUT = 99,	/* a waiting tool ran out of time */
	EXIT_USAGE = 100,	/* usage error or permanent failure */
	EXIT_BUG = 101,		/* cannot happen */
	EXIT_GAVEUP = 102,	/* svc -w: the service gave up (restart-limit) */
	EXIT_TEMP = 111,	/* temporary or system failure */
	EXIT_SCANNER = 125	/* supervise: exit-scanner; svscan, see there */
};

extern const char *err_prog;

void	err_setprog(const char *);
const char *err_reason(int);

/* Argument lists are strings ended by a null pointer. */
void	err_warn(const char *, ...) __attribute__((sentinel));
void	err_warnsys(const char *, ...) __attribute__((sentinel));
noreturn void err_die(int, const char *, ...) __attribute__((sentinel));
noreturn void err_diesys(int, const char *, ...) __attribute__((sentinel));
noreturn void err_usage(const char *);

#endif
