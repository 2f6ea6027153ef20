/*
 * svstat's report of one directory (svstat(8)): whether a status record is
 * plausible, what it says as of now, and the line printed for it, in
 * daemontools' words with ours appended or as JSON. Apart from main so
 * that a fuzzing harness can link it.
 */
#include <sys/wait.h>

#include <signal.h>

#include "../lib/out.h"
#include "../lib/status.h"
#include "../lib/tai.h"
#include "svstat.h"

static struct out *o;	/* where report_print writes */

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
			out_puts(o, signames[i].name);
			return;
		}
	out_puts(o, "SIG");
	out_putu(o, (unsigned)sig);
}

/* Whole seconds from t to now; 0 for a time in the future. */
static unsigned long long
since(const struct tai *t, const struct tai *now)
{
	uint64_t d;

	if (t->sec > now->sec || (t->sec == now->sec &&
	    t->nano > now->nano))
		return 0;
	d = now->sec - t->sec;
	if (now->nano < t->nano)
		d--;
	return d;
}

/* ", N starts": down after a start, or up after more than one. */
static void
putstarts(const struct report *r)
{
	if (!r->s.ext || r->s.starts == 0 ||
	    (r->state == UP && r->s.starts == 1))
		return;
	out_puts(o, ", ");
	out_putu(o, r->s.starts);
	out_puts(o, r->s.starts == 1 ? " start" : " starts");
}

/* ", gave up after COUNT exits in SECONDS s", as restart-limit says. */
static void
gaveup(const struct report *r)
{
	out_puts(o, ", gave up");
	if (r->limit[0] == 0)
		return;
	out_puts(o, " after ");
	out_putu(o, r->limit[0]);
	out_puts(o, r->limit[0] == 1 ? " exit in " : " exits in ");
	out_putu(o, r->limit[1]);
	out_puts(o, " s");
}

/* daemontools' words first, in its order, then ours. */
static void
text(const struct report *r)
{
	const struct status *s = &r->s;
	int up = r->state == UP;

	if (up) {
		out_puts(o, "up (pid ");
		out_putu(o, s->pid);
		out_puts(o, ") ");
	} else
		out_puts(o, "down ");
	out_putu(o, r->secs);
	out_puts(o, " seconds");
	if (up && !r->normallyup)
		out_puts(o, ", normally down");
	if (!up && r->normallyup)
		out_puts(o, ", normally up");
	if (up && s->paused)
		out_puts(o, ", paused");
	if (!up && s->want == 'u')
		out_puts(o, ", want up");
	if (up && s->want == 'd')
		out_puts(o, ", want down");
	if (up && s->want == 0)
		out_puts(o, ", once");
	if (up && r->notify && (s->flags & STATUS_READY)) {
		out_puts(o, ", ready ");
		out_putu(o, r->readysecs);
		out_puts(o, " seconds");
	}
	if (r->state == FINISH)
		out_puts(o, ", finishing");
	if (!up && (s->flags & STATUS_EXITED)) {
		if (WIFSIGNALED(s->wstatus)) {
			out_puts(o, ", killed by ");
			putsig(WTERMSIG(s->wstatus));
		} else {
			out_puts(o, ", exited ");
			out_putu(o, WEXITSTATUS(s->wstatus));
		}
	}
	putstarts(r);
	if (s->flags & STATUS_GAVEUP)
		gaveup(r);
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void
jstr(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;

	out_putc(o, '"');
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c == '"' || c == '\\') {
			out_putc(o, '\\');
			out_putc(o, (char)c);
		} else if (c == '\n')
			out_puts(o, "\\n");
		else if (c == '\t')
			out_puts(o, "\\t");
		else if (c < 0x20 || c == 0x7f) {
			out_puts(o, "\\u00");
			out_putc(o, hex[c >> 4]);
			out_putc(o, hex[c & 15]);
		} else
			out_putc(o, (char)c);
	}
	out_putc(o, '"');
}

static void
jkey(const char *key)
{
	out_puts(o, ",\"");
	out_puts(o, key);
	out_puts(o, "\":");
}

static void
jnum(const char *key, unsigned long long u)
{
	jkey(key);
	out_putu(o, u);
}

static void
jword(const char *key, const char *word)
{
	jkey(key);
	out_puts(o, word);
}

/* The fields only our own record has. */
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
		out_putc(o, '"');
		putsig(WTERMSIG(s->wstatus));
		out_putc(o, '"');
	} else
		out_puts(o, "null");
	jnum("starts", s->starts);
	jword("gave_up", (s->flags & STATUS_GAVEUP) ? "true" : "false");
}

static void
json(const struct report *r)
{
	static const char *const states[] = {
		"up", "down", "finish", "not-running", "error"
	};
	const struct status *s = &r->s;

	out_puts(o, "{\"dir\":");
	jstr(r->dir);
	jword("state", "");
	jstr(states[r->state]);
	if (r->state == ERROR) {
		jword("error", "");
		out_puts(o, "\"");
		out_puts(o, r->err);
		out_puts(o, ": ");
		out_puts(o, r->reason);
		out_puts(o, "\"");
	}
	if (r->state == ERROR || r->state == NOTRUNNING) {
		out_putc(o, '}');
		return;
	}
	if (r->state == UP)
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
	out_putc(o, '}');
}

/*
 * Completes r, read from a plausible record, as of now: state and
 * durations, and normallyup when the record says it.
 */
void
report_fill(struct report *r, const struct tai *now)
{
	if (r->s.ext)
		r->normallyup = (r->s.flags & STATUS_NORMALLYUP) != 0;
	/* runit's record has finish's pid while finish runs. */
	if (r->s.runstate == STATUS_FINISHING)
		r->state = FINISH;
	else
		r->state = r->s.pid != 0 ? UP : DOWN;
	r->secs = since(&r->s.stamp, now);
	r->readysecs = since(&r->s.ready, now);
}

/* One line about r, in words or (json) as a JSON object. */
void
report_print(struct out *out, const struct report *r, int asjson)
{
	o = out;
	if (asjson)
		json(r);
	else {
		out_puts(o, r->dir);
		out_puts(o, ": ");
		if (r->state == NOTRUNNING)
			out_puts(o, "supervise not running");
		else if (r->state == ERROR) {
			out_puts(o, r->err);
			out_puts(o, ": ");
			out_puts(o, r->reason);
		} else
			text(r);
	}
	out_putc(o, '\n');
}
