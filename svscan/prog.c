/*
 * svscan: the ends of a scan. A main program (svscan DIR -- PROG ARG...)
 * whose exit ends svscan with its exit code, and a service with
 * exit-scanner whose finish exits 125 doing the same. See svscan(8).
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/sig.h"
#include "../lib/svdir.h"
#include "../lib/tai.h"
#include "svscan.h"

/* A process's exit code as a shell reports it: 128+N for signal N. */
static int
code_of(int ws)
{
	if (WIFSIGNALED(ws))
		return 128 + WTERMSIG(ws);
	return WEXITSTATUS(ws);
}

/* The first end decides svscan's exit code; later ones do not change it. */
static void
ending(int code)
{
	if (S.code == -1)
		S.code = code;
	if (!S.stopping)
		stop_all();
}

/*
 * The main program, in the directory svscan was started in, with
 * svscan's environment, stdio and the descriptor limit it was started
 * with. fork, not vfork: it runs once, and the child reports why an exec
 * failed itself, with exit code 127 (not found) or 126 (found, but
 * cannot be run), as a shell does.
 */
void
prog_start(void)
{
	pid_t pid;

	sig_fork_begin();
	pid = fork();
	if (pid != 0)
		sig_fork_end();
	if (pid == -1) {
		err_warnsys("unable to start ", S.prog[0], (char *)0);
		ending(126);
		return;
	}
	if (pid == 0) {
		sig_restore();
		if (S.nofile.rlim_max != 0)
			setrlimit(RLIMIT_NOFILE, &S.nofile);
		if (fchdir(S.origdir) == -1) {
			err_warnsys("unable to chdir back for ", S.prog[0],
			    (char *)0);
			_exit(126);
		}
		execvp(S.prog[0], S.prog);
		err_warnsys("unable to run ", S.prog[0], (char *)0);
		_exit(errno == ENOENT || errno == ENOTDIR ? 127 : 126);
	}
	close(S.origdir);
	S.origdir = -1;
	S.progpid = pid;
}

/* Called by reap for every child; returns 1 when it was the main program. */
int
prog_exited(pid_t pid, int ws)
{
	if (pid != S.progpid || pid == 0)
		return 0;
	S.progpid = 0;
	ending(code_of(ws));
	return 1;
}

/*
 * SIGTERM or SIGINT: with a main program running, it goes to the main
 * program, which has the grace time to exit before the services are
 * stopped anyway (prog_due); without one, the services are stopped.
 */
void
prog_signal(int sig)
{
	if (S.progpid == 0 || S.stopping) {
		if (!S.stopping)
			stop_all();
		return;
	}
	kill(S.progpid, sig);
	if (S.termat == 0)
		S.termat = mono_ms();
}

/* The grace deadline of a main program told to go; returns it, or 0. */
int64_t
prog_due(int64_t now)
{
	if (S.termat == 0 || S.stopping)
		return 0;
	if (now >= S.termat + S.grace) {
		stop_all();
		return 0;
	}
	return S.termat + S.grace;
}

/*
 * A service's supervise exited with EXIT_SCANNER: its finish exited 125
 * and it has exit-scanner. Its status record holds the last exit of
 * ./run; that is svscan's exit code. Returns 1 when that was the case.
 */
int
prog_scanner(struct entry *x, int ws)
{
	struct status st;
	int code = 0;

	if (!WIFEXITED(ws) || WEXITSTATUS(ws) != EXIT_SCANNER ||
	    faccessat(x->dfd, "exit-scanner", F_OK, 0) == -1)
		return 0;
	if (svdir_status(x->dfd, &st) == 0 && st.ext &&
	    (st.flags & STATUS_EXITED))
		code = code_of((int)st.wstatus);
	ending(code);
	return 1;
}
