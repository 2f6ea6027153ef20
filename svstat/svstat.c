/*
 * svstat: print the state of supervised services, one line per directory,
 * in daemontools' words with our fields appended (ready time, last exit,
 * start count), or with -j as one JSON object per line. Reads our 40-byte
 * status record and daemontools' 18-byte one. See svstat(8).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/fmt.h"
#include "../lib/opt.h"
#include "../lib/out.h"
#include "../lib/status.h"
#include "../lib/svdir.h"
#include "../lib/tai.h"

#define USAGE "svstat [-j] DIR..."

enum { UP, DOWN, FINISH, NOTRUNNING, ERROR };

/* What svstat found out about one directory. */
struct report {
	const char *dir;
	int state;
	const char *err;	/* what failed, for ERROR */
	const char *reason;
	struct status s;
	int normallyup;
	int notify;		/* DIR/notification-fd exists */
	unsigned long long secs;
	unsigned long long readysecs;
};

static struct {
	int json;
	struct tai now;
	struct out o;
	char buf[4096];
} g;

static const struct {
	int num;
	const char *name;
} signames[] = {
	{ SIGHUP, "SIGHUP" }, { SIGINT, "SIGINT" }, { SIGQUIT, "SIGQUIT" },
	{ SIGILL, "SIGILL" }, { SIGTRAP, "SIGTRAP" }, { SIGABRT, "SIGABRT" },
	{ SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" }, { SIGKILL, "SIGKILL" },
	{ SIGUSR1, "SIGUSR1" }, { SIGSEGV, "SIGSEGV" },
	{ SIGUSR2, "SIGUSR2" }, { SIGPIPE, "SIGPIPE" },
	{ SIGALRM, "SIGALRM" }, { SIGTERM, "SIGTERM" },
	{ SIGCHLD, "SIGCHLD" }, { SIGCONT, "SIGCONT" },
	{ SIGSTOP, "SIGSTOP" }, { SIGTSTP, "SIGTSTP" },
	{ SIGTTIN, "SIGTTIN" }, { SIGTTOU, "SIGTTOU" },
	{ SIGURG, "SIGURG" }, { SIGXCPU, "SIGXCPU" },
	{ SIGXFSZ, "SIGXFSZ" }, { SIGVTALRM, "SIGVTALRM" },
	{ SIGPROF, "SIGPROF" }, { SIGWINCH, "SIGWINCH" },
	{ SIGSYS, "SIGSYS" }
};

/* Prints a signal's name, or "SIG" and its number for one without. */
static void
putsig(int sig)
{
	size_t i;

	for (i = 0; i < sizeof(signames) / sizeof(signames[0]); i++)
		if (signames[i].num == sig) {
			out_puts(&g.o, signames[i].name);
			return;
		}
	out_puts(&g.o, "SIG");
	out_putu(&g.o, (unsigned)sig);
}

/* Whole seconds from t to now; 0 for a time in the future. */
static unsigned long long
since(const struct tai *t)
{
	uint64_t d;

	if (t->sec > g.now.sec || (t->sec == g.now.sec &&
	    t->nano > g.now.nano))
		return 0;
	d = g.now.sec - t->sec;
	if (g.now.nano < t->nano)
		d--;
	return d;
}

/*
 * A record of the right length can still be garbage: the time must be a
 * TAI64 label (top bits 01), want one of 'u', 'd' or 0, flags known, a
 * ready time with the ready flag.
 */
static int
plausible(const struct status *s)
{
	if (s->stamp.sec >> 62 != 1 || s->stamp.nano >= 1000000000)
		return 0;
	if (s->want != 'u' && s->want != 'd' && s->want != 0)
		return 0;
	if (s->ext && (s->flags >= 32 || (s->ready.sec != 0 &&
	    s->ready.sec >> 62 != 1)))
		return 0;
	if (s->ext && (s->flags & STATUS_READY) && s->ready.sec == 0)
		return 0;
	return 1;
}

static void
fail(struct report *r, const char *what, int e)
{
	r->state = ERROR;
	r->err = what;
	r->reason = e == EPROTO ? "bad format" : err_reason(e);
}

/* Fills r for the directory r->dir. */
static void
inspect(struct report *r)
{
	struct stat st;
	int dfd;

	dfd = svdir_open(r->dir);
	if (dfd == -1) {
		fail(r, "unable to open directory", errno);
		return;
	}
	/* daemontools calls a missing ok FIFO an error, unlike svok. */
	switch (svdir_running(dfd)) {
	case 0:
		if (errno == ENOENT)
			fail(r, "unable to open supervise/ok", errno);
		else
			r->state = NOTRUNNING;
		close(dfd);
		return;
	case -1:
		fail(r, "unable to open supervise/ok", errno);
		close(dfd);
		return;
	}
	if (svdir_status(dfd, &r->s) == -1 ||
	    (!plausible(&r->s) && (errno = EPROTO))) {
		fail(r, "unable to read supervise/status", errno);
		close(dfd);
		return;
	}
	if (r->s.ext)
		r->normallyup = (r->s.flags & STATUS_NORMALLYUP) != 0;
	else
		r->normallyup = fstatat(dfd, "down", &st, 0) == -1;
	r->notify = fstatat(dfd, "notification-fd", &st, 0) == 0;
	close(dfd);
	r->state = r->s.pid != 0 ? UP : DOWN;
	if (r->state == DOWN && (r->s.flags & STATUS_FINISH))
		r->state = FINISH;
	r->secs = since(&r->s.stamp);
	r->readysecs = since(&r->s.ready);
}

/* ", N starts": down after a start, or up after more than one. */
static void
putstarts(const struct report *r)
{
	if (!r->s.ext || r->s.starts == 0 ||
	    (r->state == UP && r->s.starts == 1))
		return;
	out_puts(&g.o, ", ");
	out_putu(&g.o, r->s.starts);
	out_puts(&g.o, r->s.starts == 1 ? " start" : " starts");
}

/* daemontools' words first, in its order, then ours. */
static void
text(const struct report *r)
{
	const struct status *s = &r->s;
	int up = r->state == UP;

	if (up) {
		out_puts(&g.o, "up (pid ");
		out_putu(&g.o, s->pid);
		out_puts(&g.o, ") ");
	} else
		out_puts(&g.o, "down ");
	out_putu(&g.o, r->secs);
	out_puts(&g.o, " seconds");
	if (up && !r->normallyup)
		out_puts(&g.o, ", normally down");
	if (!up && r->normallyup)
		out_puts(&g.o, ", normally up");
	if (up && s->paused)
		out_puts(&g.o, ", paused");
	if (!up && s->want == 'u')
		out_puts(&g.o, ", want up");
	if (up && s->want == 'd')
		out_puts(&g.o, ", want down");
	if (up && s->want == 0)
		out_puts(&g.o, ", once");
	if (up && r->notify && (s->flags & STATUS_READY)) {
		out_puts(&g.o, ", ready ");
		out_putu(&g.o, r->readysecs);
		out_puts(&g.o, " seconds");
	}
	if (r->state == FINISH)
		out_puts(&g.o, ", finishing");
	if (!up && (s->flags & STATUS_EXITED)) {
		if (WIFSIGNALED(s->wstatus)) {
			out_puts(&g.o, ", killed by ");
			putsig(WTERMSIG(s->wstatus));
		} else {
			out_puts(&g.o, ", exited ");
			out_putu(&g.o, WEXITSTATUS(s->wstatus));
		}
	}
	putstarts(r);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void
jstr(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;

	out_putc(&g.o, '"');
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c == '"' || c == '\\') {
			out_putc(&g.o, '\\');
			out_putc(&g.o, (char)c);
		} else if (c == '\n')
			out_puts(&g.o, "\\n");
		else if (c == '\t')
			out_puts(&g.o, "\\t");
		else if (c < 0x20 || c == 0x7f) {
			out_puts(&g.o, "\\u00");
			out_putc(&g.o, hex[c >> 4]);
			out_putc(&g.o, hex[c & 15]);
		} else
			out_putc(&g.o, (char)c);
	}
	out_putc(&g.o, '"');
}

static void
jkey(const char *key)
{
	out_puts(&g.o, ",\"");
	out_puts(&g.o, key);
	out_puts(&g.o, "\":");
}

static void
jnum(const char *key, unsigned long long u)
{
	jkey(key);
	out_putu(&g.o, u);
}

static void
jword(const char *key, const char *word)
{
	jkey(key);
	out_puts(&g.o, word);
}

/* The fields only our 40-byte record has. */
static void
jsonext(const struct report *r)
{
	const struct status *s = &r->s;
	int exited = (s->flags & STATUS_EXITED) != 0;

	jword("ready", (s->flags & STATUS_READY) ? "true" : "false");
	if (s->flags & STATUS_READY)
		jnum("ready_seconds", r->readysecs);
	if (exited && !WIFSIGNALED(s->wstatus))
		jnum("last_exit", WEXITSTATUS(s->wstatus));
	else
		jword("last_exit", "null");
	jkey("last_signal");
	if (exited && WIFSIGNALED(s->wstatus)) {
		out_putc(&g.o, '"');
		putsig(WTERMSIG(s->wstatus));
		out_putc(&g.o, '"');
	} else
		out_puts(&g.o, "null");
	jnum("starts", s->starts);
}

static void
json(const struct report *r)
{
	static const char *const states[] = {
		"up", "down", "finish", "not-running", "error"
	};
	const struct status *s = &r->s;

	out_puts(&g.o, "{\"dir\":");
	jstr(r->dir);
	jword("state", "");
	jstr(states[r->state]);
	if (r->state == ERROR) {
		jword("error", "");
		out_puts(&g.o, "\"");
		out_puts(&g.o, r->err);
		out_puts(&g.o, ": ");
		out_puts(&g.o, r->reason);
		out_puts(&g.o, "\"");
	}
	if (r->state == ERROR || r->state == NOTRUNNING) {
		out_putc(&g.o, '}');
		return;
	}
	if (s->pid != 0)
		jnum("pid", s->pid);
	else
		jword("pid", "null");
	jnum("seconds", r->secs);
	jword("paused", s->paused ? "true" : "false");
	jword("want", s->want == 'u' ? "\"up\"" : s->want == 'd' ?
	    "\"down\"" : "\"once\"");
	jword("normally", r->normallyup ? "\"up\"" : "\"down\"");
	if (s->ext)
		jsonext(r);
	out_putc(&g.o, '}');
}

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	struct report r;
	int c, code = 0;

	err_setprog(argv[0]);
	while ((c = opt_get(&o, argc, argv, "j")) != -1)
		if (c == 'j')
			g.json = 1;
		else
			err_usage(USAGE);
	if (argc - o.ind < 1)
		err_usage(USAGE);
	g.o = (struct out)OUT_INIT(1, g.buf);
	tai_now(&g.now);
	for (; o.ind < argc; o.ind++) {
		memset(&r, 0, sizeof(r));
		r.dir = argv[o.ind];
		inspect(&r);
		if (r.state == ERROR)
			code = EXIT_TEMP;
		if (g.json)
			json(&r);
		else {
			out_puts(&g.o, r.dir);
			out_puts(&g.o, ": ");
			if (r.state == NOTRUNNING)
				out_puts(&g.o, "supervise not running");
			else if (r.state == ERROR) {
				out_puts(&g.o, r.err);
				out_puts(&g.o, ": ");
				out_puts(&g.o, r.reason);
			} else
				text(&r);
		}
		out_putc(&g.o, '\n');
	}
	if (out_flush(&g.o) == -1)
		err_diesys(EXIT_TEMP, "unable to write output", (char *)0);
	return code;
}
