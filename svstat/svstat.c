/*
 * svstat: print the state of supervised services, one line per directory,
 * in daemontools' words with our fields appended (ready time, last exit,
 * start count), or with -j as one JSON object per line. Reads our 40-byte
 * status record and daemontools' 18-byte one. See svstat(8).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/opt.h"
#include "../lib/out.h"
#include "../lib/status.h"
#include "../lib/svdir.h"
#include "../lib/tai.h"
#include "svstat.h"

#define USAGE "svstat [-j] DIR..."

static struct {
	int json;
	struct tai now;
	struct out o;
	char buf[4096];
} g;

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
	    (!report_plausible(&r->s) && (errno = EPROTO))) {
		fail(r, "unable to read supervise/status", errno);
		close(dfd);
		return;
	}
	if (!r->s.ext)
		r->normallyup = fstatat(dfd, "down", &st, 0) == -1;
	r->notify = fstatat(dfd, "notification-fd", &st, 0) == 0;
	close(dfd);
	report_fill(r, &g.now);
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
		report_print(&g.o, &r, g.json);
	}
	if (out_flush(&g.o) == -1)
		err_diesys(EXIT_TEMP, "unable to write output", (char *)0);
	return code;
}
