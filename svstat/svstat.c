/*
 * svstat: print the state of supervised services, one line per directory,
 * in daemontools' words with our fields appended (ready time, last exit,
 * start count), or with -j as one JSON object per line. Reads every kind
 * of status record lib/status knows: ours, runit's and daemontools'.
 * See svstat(8).
 */
#include <sys/stat.h>
#include <sys/syscall.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/fifo.h"
#include "../lib/io.h"
#include "../lib/opt.h"
#include "../lib/out.h"
#include "../lib/status.h"
#include "../lib/stdfd.h"
#include "../lib/svdir.h"
#include "../lib/tai.h"
#include "svstat.h"

#define USAGE "svstat [-j] DIR..."

static struct {
	int json;
	struct tai now;
	struct out o;
	char buf[4096];
	char path[PATH_MAX];
	int lowfd;		/* the lowest descriptor done() has seen */
} g = { .lowfd = -1 };

static void
fail(struct report *r, const char *what, int e)
{
	r->state = ERROR;
	r->err = what;
	r->reason = e == EPROTO ? "bad format" : err_reason(e);
}

/* Sets g.path to DIR/name; -1 (ENAMETOOLONG) if it does not fit. */
static int
at(const char *dir, const char *name)
{
	size_t d = strlen(dir), n = strlen(name);

	if (d + 1 + n + 1 > sizeof(g.path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(g.path, dir, d);
	g.path[d] = '/';
	memcpy(g.path + d + 1, name, n + 1);
	return 0;
}

/*
 * Done with descriptor fd. On Linux they are closed in batches, with one
 * close_range for every 64 directories or so, not one close each: in one
 * svstat of a thousand directories that is two system calls of five.
 * Only descriptors svstat opened are closed: main made sure 0, 1 and 2
 * were open before, so these are above 2, and the range never reaches
 * below the lowest of them.
 */
static void
done(int fd)
{
#if defined(__linux__) && defined(SYS_close_range)
	int i;

	if (fd <= 2) {
		close(fd);
		return;
	}
	if (g.lowfd == -1 || fd < g.lowfd)
		g.lowfd = fd;
	if (fd < g.lowfd + 128)
		return;
	if (syscall(SYS_close_range, (unsigned)g.lowfd, ~0U, 0) == 0)
		return;
	for (i = g.lowfd; i < fd; i++)
		close(i);
#endif
	close(fd);
}

/*
 * Closes the descriptors done() keeps for its next batch, when an open
 * failed for want of one (a low ulimit -n): returns 1 if the open is
 * worth another try.
 */
static int
flush(void)
{
#if defined(__linux__) && defined(SYS_close_range)
	if (errno != EMFILE || g.lowfd == -1)
		return 0;
	if (syscall(SYS_close_range, (unsigned)g.lowfd, ~0U, 0) == -1)
		return 0;
	g.lowfd = -1;
	return 1;
#else
	return 0;
#endif
}

/*
 * Whether supervise runs on r->dir (1), not (0, r filled), or an error
 * (-1, r filled). A failed open of supervise/ok is blamed on the
 * directory itself when that cannot be opened, as svstat always did.
 */
static int
running(struct report *r)
{
	int fd, e;

	if (at(r->dir, "supervise/ok") == 0 &&
	    ((fd = fifo_open_write(AT_FDCWD, g.path)) != -1 ||
	    (flush() && (fd = fifo_open_write(AT_FDCWD, g.path)) != -1))) {
		done(fd);
		return 1;
	}
	if (errno == ENXIO) {
		r->state = NOTRUNNING;
		return 0;
	}
	e = errno;
	if ((fd = svdir_open(r->dir)) == -1) {
		fail(r, "unable to chdir", errno);
		return -1;
	}
	close(fd);
	fail(r, "unable to open supervise/ok", e);
	return -1;
}

/* restart-limit's two numbers, for the "gave up" words; 0 if unreadable. */
static void
limit(struct report *r)
{
	char buf[64], *p, *end;
	unsigned long long u;
	ssize_t n;
	int i;

	if (at(r->dir, "restart-limit") == -1 ||
	    (n = io_readfile(AT_FDCWD, g.path, buf, sizeof(buf) - 1)) <= 0)
		return;
	buf[n] = '\0';
	for (p = buf, i = 0; i < 2; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		for (end = p; *end >= '0' && *end <= '9'; end++)
			;
		if (end == p || end - p > 9)
			break;
		u = 0;
		while (p < end)
			u = u * 10 + (unsigned)(*p++ - '0');
		r->limit[i] = (unsigned)u;
	}
	if (i < 2)
		r->limit[0] = r->limit[1] = 0;
}

/*
 * Fills r for the directory r->dir. Paths, not a descriptor of the
 * directory, descriptors closed in batches (done), and no look at
 * notification-fd unless the line needs it: the usual status costs three
 * system calls (daemontools' svstat makes eight), which counts in one
 * svstat of a thousand directories.
 */
static void
inspect(struct report *r)
{
	char b[STATUS_SIZE + 1];
	struct stat st;
	ssize_t n;
	int fd, e;

	if (running(r) != 1)
		return;
	n = -1;
	if (at(r->dir, "supervise/status") == 0 &&
	    ((fd = open(g.path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) != -1 ||
	    (flush() && (fd = open(g.path, O_RDONLY | O_CLOEXEC |
	    O_NOCTTY)) != -1))) {
		n = io_read(fd, b, sizeof(b));
		e = errno;
		done(fd);
		errno = e;
	}
	if (n == -1 || status_unpack(b, (size_t)n, &r->s) == -1 ||
	    (!status_plausible(&r->s) && (errno = EPROTO))) {
		fail(r, "unable to read supervise/status", errno);
		return;
	}
	if (!r->s.ext)
		r->normallyup = at(r->dir, "down") == 0 &&
		    stat(g.path, &st) == -1;
	/*
	 * A service without notification-fd is ready the moment it starts,
	 * and its line says nothing of readiness: only a ready time apart
	 * from the start time can come from a notification.
	 */
	if (r->s.pid != 0 && (r->s.flags & STATUS_READY) &&
	    (r->s.ready.sec != r->s.stamp.sec ||
	    r->s.ready.nano != r->s.stamp.nano))
		r->notify = (at(r->dir, "notification-fd") == 0 &&
		    stat(g.path, &st) == 0) ||
		    (at(r->dir, "check") == 0 && stat(g.path, &st) == 0);
	if (r->s.flags & STATUS_GAVEUP)
		limit(r);
	report_fill(r, &g.now);
}

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	struct report r;
	int c, code = 0;

	err_setprog(argv[0]);
	stdfd_ensure();
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
		report_print(&g.o, &r, g.json);
	}
	if (out_flush(&g.o) == -1)
		err_diesys(EXIT_TEMP, "unable to write output", (char *)0);
	return code;
}
