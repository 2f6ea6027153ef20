/*
 * multilog: read lines on stdin and act on each as the script says: select
 * or deselect by pattern, copy to stderr, keep in a status file, append to
 * automatically rotated log directories. See multilog(8).
 *
 * Everything read is written out before the next read. From a pipe, input
 * is looked at, logged, then consumed (through the journal when there is a
 * log directory), so that a SIGKILL loses and doubles nothing; otherwise
 * it can cost one read's worth of lines. Signals come through the
 * self-pipe and are acted on between reads: ALRM rotates, TERM finishes the
 * line being read (one byte at a time), flushes and exits. A pause on disk
 * trouble watches the self-pipe too: a TERM there gives up (111).
 */
#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/io.h"
#include "../lib/sig.h"
#include "../lib/stdfd.h"
#include "../lib/tai.h"
#include "multilog.h"

#define ALERT_MAX 200	/* bytes of a line that e prints */
#define ML_READ 1024	/* daemontools' read size */
#define ML_BATCH (64 * ML_READ)	/* bytes looked at in the pipe at once */
#define STATUS_SIZE 1001	/* an =file is padded with newlines to this */

enum state {
	LINE_START,	/* nothing of the next line read yet */
	LINE_HEAD,	/* filling line[] */
	LINE_TAIL	/* line[] was acted on; copying the rest */
};

static struct {
	struct script sc;
	enum state state;
	char stamp[40];		/* of the latest read, for t and T */
	size_t stamplen;
	int term;
	int alarm;
	int sigfd;
	int unsaved;		/* lines are read from stdin but not written */
	int journal;		/* batches go through the journal */
	char line[ML_LINE];
	size_t linelen;
	int peeking;		/* stdin is a pipe we can peek at */
	size_t pending;		/* bytes seen in the pipe, not consumed */
	size_t lineoff;		/* where in in[] the current line starts */
	char in[ML_LINE + ML_BATCH];
} ml;

/* The stamp for lines starting in what was just read. */
static void
stamp_now(void)
{
	struct timespec ts;
	struct tai t;
	struct tm tm;
	char *s = ml.stamp;
	long v[7];
	int w[7] = { 4, 2, 2, 2, 2, 2, 9 };
	const char sep[7] = "--T::.";
	int i, j;

	if (ml.sc.stamp == 't') {
		tai_now(&t);
		ml.stamplen = tai_fmt(s, &t);
		s[ml.stamplen++] = ' ';
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	v[0] = tm.tm_year + 1900L, v[1] = tm.tm_mon + 1, v[2] = tm.tm_mday;
	v[3] = tm.tm_hour, v[4] = tm.tm_min, v[5] = tm.tm_sec;
	v[6] = ts.tv_nsec;
	for (i = 0; i < 7; i++) {
		for (j = w[i] - 1; j >= 0; j--, v[i] /= 10)
			s[j] = (char)('0' + v[i] % 10);
		s += w[i];
		*s++ = i < 6 ? sep[i] : 'Z';
	}
	*s++ = ' ';
	ml.stamplen = (size_t)(s - ml.stamp);
}

static void
alert(const char *line, size_t len)
{
	char buf[ALERT_MAX + 4];

	if (len > ALERT_MAX) {
		memcpy(buf, line, ALERT_MAX);
		memcpy(buf + ALERT_MAX, "...\n", 4);
		len = ALERT_MAX + 4;
	} else {
		memcpy(buf, line, len);
		buf[len++] = '\n';
	}
	(void)io_writeall(2, buf, len);
}

static void
status(const struct action *a, const char *line, size_t len)
{
	char buf[STATUS_SIZE];

	memcpy(buf, line, len);
	memset(buf + len, '\n', sizeof(buf) - len);
	while (pwrite(a->fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		if (errno != EINTR)
			logdir_pause("write to ", a->arg, "");
}

/* Runs the script on line[], the first 1000 bytes of a line. */
static void
act(void)
{
	struct action *a;
	size_t i;
	int sel = 1;

	for (i = 0; i < ml.sc.nact; i++) {
		a = &ml.sc.act[i];
		switch (a->type) {
		case ACT_SELECT:
			if (!sel && match(a->arg, ml.line, ml.linelen))
				sel = 1;
			break;
		case ACT_DESELECT:
			if (sel && match(a->arg, ml.line, ml.linelen))
				sel = 0;
			break;
		case ACT_ALERT:
			if (sel)
				alert(ml.line, ml.linelen);
			break;
		case ACT_STATUS:
			if (sel)
				status(a, ml.line, ml.linelen);
			break;
		case ACT_DIR:
			a->dir->selected = sel;
			break;
		}
	}
	for (i = 0; i < ml.sc.ndir; i++)
		if (ml.sc.dir[i].selected)
			batch_put(&ml.sc.dir[i], ml.line, ml.linelen);
	ml.state = LINE_TAIL;
}

/* Ends the line: a newline to every directory that selected it. */
static void
endline(void)
{
	size_t i;

	if (ml.state == LINE_HEAD)
		act();
	for (i = 0; i < ml.sc.ndir; i++)
		if (ml.sc.dir[i].selected)
			batch_put(&ml.sc.dir[i], "\n", 1);
	ml.state = LINE_START;
}

/* Copies bytes past the first 1000 of a line to the selecting dirs. */
static void
tail(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ml.sc.ndir; i++)
		if (ml.sc.dir[i].selected)
			batch_putc(&ml.sc.dir[i], s, n);
}

static void
feed(const char *s, size_t n)
{
	const char *nl;
	size_t k;

	while (n > 0) {
		if (ml.state == LINE_START) {
			ml.lineoff = (size_t)(s - ml.in);
			memcpy(ml.line, ml.stamp, ml.stamplen);
			ml.linelen = ml.stamplen;
			ml.state = LINE_HEAD;
		}
		nl = memchr(s, '\n', n);
		k = nl ? (size_t)(nl - s) : n;
		if (ml.state == LINE_HEAD) {
			if (k > ML_LINE - ml.linelen)
				k = ML_LINE - ml.linelen;
			memcpy(ml.line + ml.linelen, s, k);
			ml.linelen += k;
			if (ml.linelen == ML_LINE) {
				act();
				batch_mark((size_t)(s + k - ml.in));
			}
		} else if (k > 0) {
			tail(s, k);
			batch_mark((size_t)(s + k - ml.in));
		}
		s += k;
		n -= k;
		if (n > 0 && *s == '\n') {
			endline();
			s++;
			n--;
			batch_mark((size_t)(s - ml.in));
		}
	}
}

/* The end of one of daemontools' reads: its buffers are written. */
static void
flushall(void)
{
	size_t i;

	for (i = 0; i < ml.sc.ndir; i++)
		batch_flush(&ml.sc.dir[i]);
}

/* Notes the signals that arrived, to be acted on outside of any pause. */
static void
drain(void)
{
	int sig;

	while ((sig = sig_next()) != 0) {
		if (sig == SIGTERM)
			ml.term = 1;
		else if (sig == SIGALRM)
			ml.alarm = 1;
	}
}

/* Acts on pending signals; returns 1 when it is time to exit. */
static int
signals(void)
{
	size_t i;

	drain();
	if (ml.alarm) {
		ml.alarm = 0;
		for (i = 0; i < ml.sc.ndir; i++)
			if (ml.sc.dir[i].bytes > 0)
				batch_rotate(&ml.sc.dir[i]);
		batch_commit(0, CONSUME_NONE);
	}
	return ml.term && ml.state == LINE_START;
}

/*
 * A pause after disk trouble (logdir_pause): waits ms milliseconds, or
 * returns 1 as soon as a TERM arrives (or if one already did).
 */
int
ml_wait(int ms)
{
	struct pollfd p;
	int64_t end = mono_ms() + ms, left;

	for (;;) {
		drain();
		if (ml.term)
			return 1;
		if ((left = end - mono_ms()) <= 0)
			return 0;
		p.fd = ml.sigfd;
		p.events = POLLIN;
		if (poll(&p, 1, (int)left) == -1 && errno != EINTR)
			err_diesys(EXIT_TEMP, "unable to poll", (char *)0);
	}
}

/*
 * Gives up on a write that failed with error e, on TERM. Lines still in
 * the pipe are not lost (the journal takes back their partial output at
 * the next start); lines already read from it are, and the message says so.
 */
void
ml_giveup(const char *what, const char *dir, const char *slash,
    const char *file, int e)
{
	errno = e;
	err_diesys(EXIT_TEMP, "unable to ", what, dir, slash, file,
	    ml.unsaved ? ", stopping on TERM and losing the lines read but "
	    "not logged" : ", stopping on TERM", (char *)0);
}

/*
 * Waits until stdin is readable or it is time to exit (returns 0): at a
 * line boundary after a TERM. Signals are looked at again after poll
 * returns, whatever it says: a handler that ran on the way out of poll
 * must be acted on before the data that woke us up, or an ALRM sent
 * before a line would rotate after it.
 */
static int
wait_input(int sigfd)
{
	struct pollfd p[2];
	int ready = 0;

	for (;;) {
		if (signals())
			return 0;
		if (ready)
			return 1;
		p[0].fd = 0;
		p[0].events = POLLIN;
		p[1].fd = sigfd;
		p[1].events = POLLIN;
		if (poll(p, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			err_diesys(EXIT_TEMP, "unable to poll", (char *)0);
		}
		ready = p[0].revents != 0;
	}
}

static void
skip(size_t n)
{
	if (peek_skip(0, n) == -1)
		err_diesys(EXIT_TEMP, "unable to read input", (char *)0);
}

/* Consumes n bytes of the batch whose output is on disk (batch.c). */
void
consume(size_t n, enum consume how)
{
	if (how == CONSUME_JOURNAL)
		journal_end(n);
	else if (how == CONSUME_SKIP)
		skip(n);
}

/*
 * Acts on the input in[from..to) as daemontools would read it, ML_READ
 * bytes at a time, each read flushing every directory's buffer; the time
 * stamp is read once for them all.
 */
static void
feed_reads(size_t from, size_t to)
{
	size_t n;

	if (ml.sc.stamp)
		stamp_now();
	for (; from < to; from += n) {
		n = to - from < ML_READ ? to - from : ML_READ;
		feed(ml.in + from, n);
		flushall();
	}
}

/*
 * One step the way daemontools reads: 1024 bytes, or a single one when a
 * TERM asks us to stop at the end of the current line, so that stdin is
 * left at the first byte we did not process.
 */
static ssize_t
step_read(void)
{
	ssize_t r;

	if (ml.pending > 0)
		skip(ml.pending);
	ml.pending = 0;
	r = io_read(0, ml.in, ml.term ? 1 : ML_READ);
	if (r > 0) {
		ml.unsaved = 1;
		feed_reads(0, (size_t)r);
		batch_commit((size_t)r, CONSUME_NONE);
		ml.unsaved = 0;
	}
	return r;
}

/*
 * One step looking at the pipe first: the same bytes as reads would
 * return are acted on and written out (batch.c), and only then consumed,
 * except the start of an unfinished line with fewer than 1000 bytes so
 * far, which stays in the pipe (ml.pending) for the next step. With the
 * journal (journal.c), a header goes first and the consuming is a splice
 * into it, so that a SIGKILL anywhere leaves each part of the batch
 * either logged and consumed, or taken back and still in the pipe. A peek
 * that shows nothing new falls back to step_read's way for that line, so
 * that a writer pausing mid-line costs no spinning.
 */
static ssize_t
step_peek(void)
{
	ssize_t r;
	size_t keep;

	r = peek(0, ml.in, ml.pending + ML_BATCH);
	if (r == -1) {
		ml.peeking = 0;
		return 1;
	}
	if ((size_t)r <= ml.pending) {
		if (r == 0)
			return 0;
		skip(ml.pending);
		ml.pending = 0;
		return 1;
	}
	ml.lineoff = 0;
	feed_reads(ml.pending, (size_t)r);
	keep = ml.state == LINE_HEAD ? (size_t)r - ml.lineoff : 0;
	batch_commit((size_t)r - keep,
	    ml.journal ? CONSUME_JOURNAL : CONSUME_SKIP);
	ml.pending = keep;
	return 1;
}

int
main(int argc, char **argv)
{
	ssize_t r = 0;
	size_t i;
	int e;

	err_setprog(argv[0]);
	stdfd_ensure();
	/* No actions: daemontools reads its input and discards it. */
	if (argc < 2)
		argc = 1;
	if (script_parse(&ml.sc, argc - 1, argv + 1) == -1)
		err_die(EXIT_USAGE, "invalid action ", ml.sc.bad, ": ",
		    ml.sc.why, (char *)0);
	umask(022);
	if ((ml.sigfd = sig_pipe()) == -1 || sig_catch(SIGTERM) == -1 ||
	    sig_catch(SIGALRM) == -1 || sig_ignore(SIGXFSZ) == -1)
		err_diesys(EXIT_TEMP, "unable to set up signals", (char *)0);
	script_open(&ml.sc);
	ml.peeking = peek_open(0) == 0;
	ml.journal = journal_open(&ml.sc, ml.peeking) == 0;
	for (i = 0; i < ml.sc.ndir; i++)
		logdir_start(&ml.sc.dir[i]);
	batch_init(&ml.sc);

	while (wait_input(ml.sigfd)) {
		if (ml.peeking && !ml.term)
			r = step_peek();
		else
			r = step_read();
		if (r <= 0)
			break;
	}
	e = errno;
	/* A partial last line gets its newline. */
	ml.unsaved = 1;
	if (ml.state != LINE_START)
		endline();
	flushall();
	batch_commit(0, CONSUME_NONE);
	for (i = 0; i < ml.sc.ndir; i++)
		logdir_close(&ml.sc.dir[i]);
	journal_close();
	if (r == -1) {
		errno = e;
		err_diesys(EXIT_TEMP, "unable to read input", (char *)0);
	}
	return 0;
}
