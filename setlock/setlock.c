/*
 * setlock: run a program holding an exclusive flock(2) lock on a file,
 * through a descriptor it inherits: the lock lasts until the program and
 * every process it passed the descriptor on to have exited. The lock is
 * the one daemontools' setlock takes, so the two exclude each other.
 * See setlock(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdnoreturn.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/exec.h"
#include "../lib/lock.h"
#include "../lib/opt.h"
#include "../lib/stdfd.h"

#define USAGE "setlock [-nNxX] FILE CHILD ..."

static struct {
	int nowait;	/* -n */
	int quiet;	/* -x */
} g;

/* Ends setlock after a failure: quietly with success under -x. */
static noreturn void
fail(const char *verb, const char *file)
{
	if (g.quiet)
		_exit(0);
	err_diesys(EXIT_TEMP, verb, file, (char *)0);
}

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	const char *file;
	int c, fd, r;

	err_setprog(argv[0]);
	stdfd_ensure();
	while ((c = opt_get(&o, argc, argv, "nNxX")) != -1)
		switch (c) {
		case 'n':
		case 'N':
			g.nowait = c == 'n';
			break;
		case 'x':
		case 'X':
			g.quiet = c == 'x';
			break;
		default:
			err_usage(USAGE);
		}
	if (argc - o.ind < 2)
		err_usage(USAGE);
	file = argv[o.ind];

	/*
	 * Not O_CLOEXEC, the one deliberate exception in the toolkit: the
	 * child holds the lock through this descriptor. Mode and flags are
	 * daemontools' (open_append): 0600, write-only, append.
	 */
	fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_NOCTTY, 0600);
	if (fd == -1)
		fail("unable to open ", file);
	r = g.nowait ? lock_exnb(fd) : lock_ex(fd);
	if (r == -1) {
		/* "Locked by another process" reads as a temporary failure. */
		if (errno == EWOULDBLOCK)
			errno = EAGAIN;
		fail("unable to lock ", file);
	}
	exec_or_die(argv + o.ind + 1);
}
