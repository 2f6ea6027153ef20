/*
 * exec_or_die: PATH search and exec of argv, or the Conventions' message
 * "PROG: fatal: unable to run CHILD: REASON" with exit 100 when the program
 * does not exist and 111 for any other failure.
 */
#include <errno.h>
#include <unistd.h>

#include "err.h"
#include "exec.h"

void
exec_or_die(char *const *argv)
{
	execvp(argv[0], argv);
	err_diesys(errno == ENOENT ? EXIT_USAGE : EXIT_TEMP, "unable to run ",
	    argv[0], (char *)0);
}
