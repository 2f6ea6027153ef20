/*
 * exec_or_die: PATH search and exec of argv, or the Conventions' message
 * "PROG: fatal: unable to run CHILD: REASON" with exit 111, whatever the
 * reason, as daemontools' chain-loaders exit (SPEC.md).
 */
#include <unistd.h>

#include "err.h"
#include "exec.h"

void
exec_or_die(char *const *argv)
{
	execvp(argv[0], argv);
	err_diesys(EXIT_TEMP, "unable to run ", argv[0], (char *)0);
}
