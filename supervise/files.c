/*
 * The files of a service directory that supervise reads (down, down-signal,
 * timeout-kill, timeout-finish, restart-delay-max, notification-fd, killpg)
 * and those it writes in supervise/ (status, pid, stat), each replaced
 * atomically. A configuration file with a bad value is reported and its
 * default used: a broken service directory never stops supervise.
 * See servicedir(5).
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/fmt.h"
#include "../lib/io.h"
#include "../lib/status.h"
#include "supervise.h"

#define REWRITE_DELAY 1000	/* ms before a failed status write is retried */

static const struct {
	const char *name;
	int sig;
} signames[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 },
	{ "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "CONT", SIGCONT },
	{ "STOP", SIGSTOP }, { "WINCH", SIGWINCH }, { "ABRT", SIGABRT }
};

int
files_exists(const char *name)
{
	struct stat st;

	return stat(name, &st) == 0;
}

/*
 * Reads the first line of a small configuration file, without trailing
 * white space; a line too long for buf ends in "...", so that it is
 * refused, never read as a number cut short. Returns 1 with the line in buf, 0 when the file does not
 * exist, -1 when it cannot be read (reported).
 */
static int
firstline(const char *name, char *buf, size_t size)
{
	ssize_t r;
	size_t len;
	char *nl;

	r = io_readfile(AT_FDCWD, name, buf, size - 1);
	if (r == -1) {
		if (errno == ENOENT)
			return 0;
		if (errno == EINVAL)
			err_warn("unable to read ", sv.dir, "/", name,
			    ": not a regular file", (char *)0);
		else
			err_warnsys("unable to read ", sv.dir, "/", name,
			    (char *)0);
		return -1;
	}
	buf[r] = '\0';
	nl = memchr(buf, '\n', (size_t)r);
	if (nl != NULL)
		*nl = '\0';
	else if ((size_t)r == size - 1 && size > 4)
		/* Too long for any value: shown cut, and no longer valid. */
		memcpy(buf + size - 4, "...", 4);
	len = strlen(buf);
	while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t' ||
	    buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 1;
}

/* The signal named in down-signal ("TERM", "SIGTERM" or "15"), or TERM. */
int
files_downsignal(void)
{
	char buf[32];
	const char *s = buf;
	unsigned long long u;
	size_t i;

	if (firstline("down-signal", buf, sizeof(buf)) != 1)
		return SIGTERM;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof(signames) / sizeof(signames[0]); i++)
		if (strcmp(s, signames[i].name) == 0)
			return signames[i].sig;
	if (fmt_scanu(s, 64, &u) == 0 && u > 0)
		return (int)u;
	err_warn("invalid ", sv.dir, "/down-signal: ", buf,
	    ": using TERM", (char *)0);
	return SIGTERM;
}

/* A millisecond count from the file name, or def when it is absent/bad. */
int64_t
files_ms(const char *name, int64_t def)
{
	char buf[32];
	unsigned long long u;

	if (firstline(name, buf, sizeof(buf)) != 1)
		return def;
	if (fmt_scanu(buf, (unsigned long long)1 << 40, &u) == 0)
		return (int64_t)u;
	err_warn("invalid ", sv.dir, "/", name, ": ", buf, (char *)0);
	return def;
}

/* The descriptor named in notification-fd, or -1 (none or invalid). */
int
files_notifyfd(void)
{
	char buf[32], lim[FMT_ULONG + 1];
	unsigned long long u;
	struct rlimit r;

	if (firstline("notification-fd", buf, sizeof(buf)) != 1)
		return -1;
	if (fmt_scanu(buf, 1023, &u) == -1 || u < 3) {
		err_warn("invalid ", sv.dir, "/notification-fd: ", buf,
		    ": must be a number from 3 to 1023; readiness not tracked",
		    (char *)0);
		return -1;
	}
	/* The service could not have it: its dup2 would fail unseen. */
	if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur != RLIM_INFINITY &&
	    u >= r.rlim_cur) {
		lim[fmt_ulong(lim, (unsigned long)r.rlim_cur)] = '\0';
		err_warn("invalid ", sv.dir, "/notification-fd: ", buf,
		    ": not below the descriptor limit ", lim,
		    "; readiness not tracked", (char *)0);
		return -1;
	}
	return (int)u;
}

/*
 * restart-limit: "COUNT SECONDS", COUNT from 1 to 1000 (each counted exit
 * is remembered), SECONDS from 1 to a year. Returns 1 with both set, 0
 * when there is no limit: no file, or a bad one, which is reported once
 * (not at every exit of a crash loop) until it changes to a good one.
 */
int
files_restartlimit(unsigned *count, unsigned *secs)
{
	static int warned;
	char buf[64], *sp;
	unsigned long long c, s;
	int r;

	r = firstline("restart-limit", buf, sizeof(buf));
	if (r != 1 || buf[0] == '\0') {
		warned = 0;
		return 0;
	}
	sp = strpbrk(buf, " \t");
	if (sp != NULL) {
		*sp++ = '\0';
		while (*sp == ' ' || *sp == '\t')
			sp++;
	}
	if (sp != NULL && fmt_scanu(buf, 1000, &c) == 0 && c > 0 &&
	    fmt_scanu(sp, 366ULL * 86400, &s) == 0 && s > 0) {
		warned = 0;
		*count = (unsigned)c;
		*secs = (unsigned)s;
		return 1;
	}
	if (!warned)
		err_warn("invalid ", sv.dir, "/restart-limit: must be COUNT "
		    "(1 to 1000) and SECONDS: no limit", (char *)0);
	warned = 1;
	return 0;
}

/*
 * Replaces supervise/NAME with buf unless it holds that already (as far
 * as this supervise wrote it): the restart path rewrites only what
 * changed. Returns 0, or -1 after reporting the failure.
 */
static int
replace(const char *name, char *last, size_t size, const char *buf,
    size_t len)
{
	char path[32] = "supervise/";

	if (last[0] != 0 && (size_t)(unsigned char)last[0] == len + 1 &&
	    memcmp(last + 1, buf, len) == 0)
		return 0;
	memcpy(path + 10, name, strlen(name) + 1);
	if (io_replace(AT_FDCWD, path, buf, len, 0644) == -1) {
		if (sv.rewriteat == -1)
			err_warnsys("unable to write ", sv.dir, "/", path,
			    (char *)0);
		last[0] = 0;
		return -1;
	}
	if (len + 1 < size) {
		last[0] = (char)(len + 1);
		memcpy(last + 1, buf, len);
	}
	return 0;
}

/*
 * Writes status, pid and stat. A failure (a full disk) is reported and
 * supervise carries on, and tries again a second later until it succeeds
 * (sv.rewriteat): a reader such as svc -w must not be left with a state
 * that is no longer true.
 */
void
files_announce(void)
{
	static const char *words[] = { "down\n", "run\n", "finish\n" };
	static const int runstates[] = { STATUS_DOWN, STATUS_RUN,
	    STATUS_FINISHING };
	static char lastpid[FMT_ULONG + 3], laststat[10];
	struct status st;
	char buf[STATUS_SIZE], pid[FMT_ULONG + 1];
	size_t len = 0;
	int failed;

	memset(&st, 0, sizeof(st));
	st.stamp = sv.stamp;
	st.pid = sv.state == SV_RUN ? (uint32_t)sv.pid : 0;
	st.paused = sv.paused && sv.state == SV_RUN;
	st.want = sv.want;
	st.termsent = sv.termsent && sv.state == SV_RUN;
	st.runstate = runstates[sv.state];
	sv.normallyup = !files_exists("down");
	st.flags = (sv.ready ? STATUS_READY : 0) |
	    (sv.normallyup ? STATUS_NORMALLYUP : 0) |
	    (sv.exitreq ? STATUS_EXITREQ : 0) |
	    (sv.exited ? STATUS_EXITED : 0) |
	    (sv.gaveup ? STATUS_GAVEUP : 0);
	if (sv.ready)
		st.ready = sv.readyat;
	st.wstatus = sv.wstatus;
	st.starts = sv.starts;
	status_pack(buf, &st);
	failed = io_replace(AT_FDCWD, "supervise/status", buf, sizeof(buf),
	    0644) == -1;
	if (failed && sv.rewriteat == -1)
		err_warnsys("unable to write ", sv.dir, "/supervise/status",
		    (char *)0);
	if (st.pid != 0) {
		len = fmt_ulong(pid, st.pid);
		pid[len++] = '\n';
	}
	failed |= replace("pid", lastpid, sizeof(lastpid), pid, len);
	failed |= replace("stat", laststat, sizeof(laststat), words[sv.state],
	    strlen(words[sv.state]));
	sv.rewriteat = failed ? mono_ms() + REWRITE_DELAY : -1;
}
