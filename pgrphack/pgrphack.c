/*
 * pgrphack: run a program as the leader of a new session and process
 * group, so that signals sent to the caller's group (a terminal's ^C, a
 * killpg by its parent) do not reach it. See pgrphack(8).
 */
#include <errno.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/exec.h"
#include "../lib/opt.h"
#include "../lib/stdfd.h"

#define USAGE "pgrphack CHILD ..."

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;

	err_setprog(argv[0]);
	stdfd_ensure();
	while (opt_get(&o, argc, argv, "") != -1)
		err_usage(USAGE);
	if (argc - o.ind < 1)
		err_usage(USAGE);

	/*
	 * setsid fails with EPERM only for a process group leader (started
	 * by a job-control shell, or by a supervise using killpg): it already
	 * has its own group, which is what pgrphack is for, so go on.
	 */
	if (setsid() == -1 && !(errno == EPERM && getpgrp() == getpid()))
		err_diesys(EXIT_TEMP, "unable to create a new session",
		    (char *)0);
	exec_or_die(argv + o.ind);
}
