/*
 * Readiness for a service that cannot say so itself: after each start of
 * ./run, a service with an executable ./check and no notification-fd is
 * ready when ./check first exits 0 (the file runit's `sv check` runs).
 * The checks are children of supervise like ./run, driven by deadlines in
 * the same poll loop, so supervise answers commands while they run. See
 * supervise(8), "Readiness".
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/tai.h"
#include "supervise.h"

#define CHECK_FIRST 10		/* ms from the start of ./run to the first check */
#define CHECK_MAXDELAY 1000	/* the back-off doubles up to this, ms */
#define CHECK_TIMEOUT 5000	/* a check still running then is killed, ms */
#define CHECK_NEVER 125		/* exit code: never ready, do not retry */

/* Whether ./check is an executable regular file. */
static int
check_exists(void)
{
	struct stat st;

	return stat("check", &st) == 0 && S_ISREG(st.st_mode) &&
	    access("check", X_OK) == 0;
}

/* Called after ./run started without a notification-fd. */
int
check_begin(void)
{
	if (!check_exists())
		return 0;
	sv.checkdelay = CHECK_FIRST;
	sv.checkat = mono_ms() + CHECK_FIRST;
	return 1;
}

static void
check_run(int64_t now)
{
	static char check[] = "./check";
	char *argv[] = { check, NULL };
	int null;
	pid_t pid;

	sv.checkat = -1;
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null == -1) {
		err_warnsys("unable to open /dev/null for ", sv.dir, "/check",
		    (char *)0);
		sv.checkat = now + CHECK_MAXDELAY;
		return;
	}
	tai_now(&sv.checkbegan);
	pid = sv_spawn(argv, 0, null);
	close(null);
	if (pid < 0) {
		err_warnsys("unable to start ", sv.dir, "/check", (char *)0);
		sv.checkat = now + CHECK_MAXDELAY;
		return;
	}
	sv.cpid = pid;
	sv.checkkill = now + CHECK_TIMEOUT;
}

/* The deadlines of the checks: time to run the next, or to kill one. */
void
check_timers(int64_t now)
{
	if (sv.checkat != -1 && now >= sv.checkat && sv.state == SV_RUN &&
	    sv.cpid == 0)
		check_run(now);
	if (sv.checkkill != -1 && now >= sv.checkkill) {
		sv.checkkill = -1;
		if (sv.cpid > 0) {
			err_warn("killing ", sv.dir, "/check: still running "
			    "after 5 seconds", (char *)0);
			kill(sv.cpid, SIGKILL);
		}
	}
}

int64_t
check_deadline(void)
{
	if (sv.cpid > 0)
		return sv.checkkill;
	return sv.checkat;
}

/*
 * A check exited: 0 makes the service ready as of the moment that check
 * began; 125 means it never will be; anything else tries again later.
 */
void
check_exited(int ws)
{
	sv.cpid = 0;
	sv.checkkill = -1;
	if (sv.state != SV_RUN)
		return;
	if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0) {
		sv.ready = 1;
		sv.readyat = sv.checkbegan;
		files_announce();
		return;
	}
	if (WIFEXITED(ws) && WEXITSTATUS(ws) == CHECK_NEVER)
		return;
	sv.checkdelay *= 2;
	if (sv.checkdelay > CHECK_MAXDELAY)
		sv.checkdelay = CHECK_MAXDELAY;
	sv.checkat = mono_ms() + sv.checkdelay;
}

/* ./run exited: no more checks, and none left running. */
void
check_stop(void)
{
	sv.checkat = sv.checkkill = -1;
	if (sv.cpid > 0)
		kill(sv.cpid, SIGKILL);
	/* Its exit, reaped later, is then nobody's: sv_reap ignores it. */
	sv.cpid = 0;
}
