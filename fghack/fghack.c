/*
 * fghack: keep a program that insists on putting itself in the
 * background under supervision. fghack runs it with many copies of the
 * write end of a pipe, which a daemon passes on to the background
 * process it forks unless it closes them all, and waits until every copy
 * is closed: that is, until the daemon exits. Then it exits as the
 * program it started did. Unlike the other chain-loaders it forks, so the
 * pid supervise sees is fghack's. See fghack(8).
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdnoreturn.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/exec.h"
#include "../lib/fmt.h"
#include "../lib/io.h"
#include "../lib/opt.h"
#include "../lib/stdfd.h"

#define USAGE "fghack CHILD ..."

/*
 * Daemons close their descriptors up to some bound (3, 20, 64, 256, ...);
 * copies beyond it keep the pipe open. daemontools made 30 copies; going
 * to 400 outlasts the usual "close the first 256". A few dozen free
 * descriptors are left below a small RLIMIT_NOFILE for the program's own use.
 */
#define TOPFD 400
#define SPARE 64

static int
topfd(void)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) == -1 || r.rlim_cur == RLIM_INFINITY ||
	    r.rlim_cur >= TOPFD + SPARE)
		return TOPFD;
	return r.rlim_cur > SPARE ? (int)(r.rlim_cur - SPARE) : 0;
}

/* Waits for pid and exits as it did. */
static noreturn void
exitas(pid_t pid, const char *child)
{
	char num[FMT_ULONG];
	int w;

	while (waitpid(pid, &w, 0) == -1)
		if (errno != EINTR)
			err_diesys(EXIT_TEMP, "unable to wait for ", child,
			    (char *)0);
	if (WIFEXITED(w))
		_exit(WEXITSTATUS(w));
	num[fmt_ulong(num, (unsigned)WTERMSIG(w))] = '\0';
	err_die(EXIT_TEMP, child, " crashed: signal ", num, (char *)0);
}

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	pid_t pid;
	ssize_t r;
	char buf[64];
	int p[2], top, fd;

	err_setprog(argv[0]);
	stdfd_ensure();
	while (opt_get(&o, argc, argv, "") != -1)
		err_usage(USAGE);
	if (argc - o.ind < 1)
		err_usage(USAGE);

	top = topfd();
	if (pipe2(p, O_CLOEXEC) == -1)
		err_diesys(EXIT_TEMP, "unable to create pipe", (char *)0);
	pid = fork();
	if (pid == -1)
		err_diesys(EXIT_TEMP, "unable to fork", (char *)0);
	if (pid == 0) {
		/* dup(2) copies are not close-on-exec: they are the point. */
		do
			fd = dup(p[1]);
		while (fd != -1 && fd < top);
		exec_or_die(argv + o.ind);
	}
	close(p[1]);
	/* Nothing is ever written; EOF means every copy is closed. */
	while ((r = io_read(p[0], buf, sizeof(buf))) > 0)
		;
	if (r == -1)
		err_diesys(EXIT_TEMP, "unable to read pipe", (char *)0);
	exitas(pid, argv[o.ind]);
}
