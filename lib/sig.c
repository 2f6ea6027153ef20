/*
 * The self-pipe trick; see sig.h. The read end is returned by sig_pipe for
 * the poll set; both ends are non-blocking and close-on-exec, so a flood of
 * signals can neither block a handler nor leak into a child.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include "io.h"
#include "sig.h"

#define SIG_MAX 65

static int selfpipe[2] = { -1, -1 };
static unsigned char touched[SIG_MAX];	/* caught, or ignored */
static unsigned char reserved[SIG_MAX];	/* the C library keeps for itself */
static sigset_t forkmask;

static void
handler(int sig)
{
	int e = errno;
	unsigned char c = (unsigned char)sig;

	(void)!write(selfpipe[1], &c, 1);
	errno = e;
}

/*
 * Also notes which signals we were started with ignored: an ignored
 * disposition survives exec, so sig_restore must reset those; caught ones
 * it resets too (exec would, but a signal may arrive before it). And it
 * empties the signal mask: a program that takes signals as events must
 * not keep one blocked by whoever started it (some process managers and
 * language runtimes start children with SIGCHLD or SIGTERM blocked; a
 * supervise started so never reaped its service).
 */
int
sig_pipe(void)
{
	struct sigaction sa;
	sigset_t none;
	int i;

	if (selfpipe[0] != -1)
		return selfpipe[0];
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) == -1)
		return -1;
	/*
	 * Every signal, real-time ones too: some runners start their jobs
	 * with all of them ignored, and an ignored disposition survives exec.
	 */
	for (i = 1; i < SIG_MAX; i++) {
		if (sigaction(i, NULL, &sa) == 0) {
			if (sa.sa_handler == SIG_IGN)
				touched[i] = 1;
		} else if (errno == EINVAL && i >= 32)
			reserved[i] = 1;
	}
	if (pipe(selfpipe) == -1)
		return -1;
	if (io_cloexec(selfpipe[0]) == -1 || io_cloexec(selfpipe[1]) == -1 ||
	    io_nonblock(selfpipe[0]) == -1 || io_nonblock(selfpipe[1]) == -1)
		return -1;
	return selfpipe[0];
}

static int
install(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = (sig == SIGCHLD) ? SA_NOCLDSTOP : 0;
	if (sigaction(sig, &sa, NULL) == -1)
		return -1;
	if (sig > 0 && sig < SIG_MAX)
		touched[sig] = 1;
	return 0;
}

int
sig_catch(int sig)
{
	return install(sig, handler);
}

int
sig_ignore(int sig)
{
	return install(sig, SIG_IGN);
}

/* The next signal that arrived, or 0 when none is pending. */
int
sig_next(void)
{
	unsigned char c;

	if (io_read(selfpipe[0], &c, 1) == 1)
		return c;
	return 0;
}

/*
 * Around fork: every signal is blocked from just before fork until the
 * child has put back default dispositions, so that no handler of ours runs
 * in the child (it would write to the parent's self-pipe).
 */
void
sig_fork_begin(void)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &forkmask);
}

void
sig_fork_end(void)
{
	sigprocmask(SIG_SETMASK, &forkmask, NULL);
}

/*
 * The real-time signals a C library keeps for its threads (glibc 32 and
 * 33, musl 32 to 34) cannot be set through sigaction(3), but one ignored
 * by whoever started us stays ignored across exec. Linux's own system
 * call sets them: an all-zero kernel sigaction is SIG_DFL with no flags
 * and an empty mask, whatever the architecture's layout of it.
 */
static void
sig_default_raw(int sig)
{
#if defined(__linux__) && defined(SYS_rt_sigaction)
	unsigned long ksa[8] = { 0 };

	if (syscall(SYS_rt_sigaction, sig, ksa, NULL, (size_t)8) == -1)
		(void)syscall(SYS_rt_sigaction, sig, ksa, NULL, (size_t)16);
#else
	(void)sig;
#endif
}

/*
 * Gives back default dispositions for every signal we caught or found
 * ignored (e.g. SIGINT under a non-interactive shell's "&"), then an empty
 * signal mask; called in a child between fork and exec (async-signal-safe
 * calls only). Only the signals noted are touched: a child on the restart
 * path makes a handful of system calls, not one per signal.
 */
void
sig_restore(void)
{
	struct sigaction sa;
	sigset_t set;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (i = 1; i < SIG_MAX; i++) {
		if (touched[i])
			sigaction(i, &sa, NULL);
		else if (reserved[i])
			sig_default_raw(i);
	}
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
}
