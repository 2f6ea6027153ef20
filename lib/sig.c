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

#include "io.h"
#include "sig.h"

#define SIG_MAX 65

static int selfpipe[2] = { -1, -1 };

static void
handler(int sig)
{
	int e = errno;
	unsigned char c = (unsigned char)sig;

	(void)!write(selfpipe[1], &c, 1);
	errno = e;
}

int
sig_pipe(void)
{
	if (selfpipe[0] != -1)
		return selfpipe[0];
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
 * Gives back default dispositions for every signal (also those ignored by
 * whoever started us, e.g. SIGINT under a non-interactive shell's "&") and
 * an empty signal mask; called in a child between fork and exec
 * (async-signal-safe calls only).
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
	for (i = 1; i < SIG_MAX; i++)
		if (i != SIGKILL && i != SIGSTOP)
			sigaction(i, &sa, NULL);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
}
