/*
 * svscan: reading the scan directory and starting one supervise per
 * service directory, plus one for its log/ joined by a pipe. See svscan(8).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/sig.h"
#include "../lib/tai.h"
#include "svscan.h"

/*
 * The child side of spawn, made by vfork (no page tables copied, no
 * copy-on-write faults left to svscan for each of a thousand starts):
 * system calls only, up to exec; on failure it warns and exits, and
 * supervise is tried again on the throttle as for any exit. The
 * service's supervise writes into the pipe; the logger's reads from it and,
 * as in daemontools, runs as "supervise log" inside the service directory.
 */
static void
child(struct entry *x, int which)
{
	static char supervise[] = "supervise", log[] = "log", dashes[] = "--";
	char *argv[4];

	sig_restore();
	argv[0] = supervise;
	argv[1] = x->name;
	argv[2] = NULL;
	/* A service named -x is not an option. */
	if (x->name[0] == '-') {
		argv[1] = dashes;
		argv[2] = x->name;
		argv[3] = NULL;
	}
	if (x->log && which == 0 && dup2(x->pi[1], 1) == -1)
		_exit(EXIT_TEMP);
	if (which == 1) {
		if (dup2(x->pi[0], 0) == -1 || fchdir(x->dfd) == -1)
			_exit(EXIT_TEMP);
		argv[1] = log;
	}
	execvp(argv[0], argv);
	err_warnsys("unable to start supervise ", x->name,
	    which ? "/log" : "", (char *)0);
	_exit(errno == ENOENT ? EXIT_USAGE : EXIT_TEMP);
}

/* Starts supervise for the service (0) or its logger (1). */
void
spawn(struct entry *x, int which)
{
	struct sup *s = &x->sup[which];
	pid_t pid;

	s->retry = 0;
	sig_fork_begin();
	pid = vfork();
	if (pid != 0)
		sig_fork_end();
	if (pid == -1) {
		err_warnsys("unable to start supervise ", x->name,
		    which ? "/log" : "", (char *)0);
		s->retry = mono_ms() + THROTTLE;
		return;
	}
	if (pid == 0)
		child(x, which);
	s->pid = pid;
	s->born = mono_ms();
}

static struct entry *
entry_new(const char *name, const struct stat *st)
{
	struct entry *x;
	struct stat lst;

	x = calloc(1, sizeof(*x));
	if (x == NULL || (x->name = strdup(name)) == NULL) {
		free(x);
		err_warnsys("unable to start ", name, (char *)0);
		return NULL;
	}
	x->dev = st->st_dev;
	x->ino = st->st_ino;
	x->pi[0] = x->pi[1] = -1;
	x->dfd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (x->dfd == -1)
		goto fail;
	if (fstatat(x->dfd, "log", &lst, 0) == 0 && S_ISDIR(lst.st_mode)) {
		if (pipe2(x->pi, O_CLOEXEC) == -1)
			goto fail;
		x->log = 1;
	}
	return x;
fail:
	err_warnsys("unable to start ", name, (char *)0);
	if (x->dfd != -1)
		close(x->dfd);
	free(x->name);
	free(x);
	return NULL;
}

void
entry_free(int i)
{
	struct entry *x = S.e[i];

	close(x->dfd);
	if (x->pi[0] != -1)
		close(x->pi[0]);
	if (x->pi[1] != -1)
		close(x->pi[1]);
	free(x->name);
	free(x);
	S.e[i] = S.e[--S.n];
	/* The name may be back, as a new directory. */
	if (!S.stopping)
		S.needscan = 1;
}

/* One name of the scan directory. */
static void
look(const char *name)
{
	struct entry *x;
	struct stat st;
	int i;

	if (name[0] == '.')
		return;
	if (stat(name, &st) == -1) {
		err_warnsys("unable to stat ", name, (char *)0);
		return;
	}
	if (!S_ISDIR(st.st_mode))
		return;
	for (i = 0; i < S.n; i++)
		if (S.e[i]->dev == st.st_dev && S.e[i]->ino == st.st_ino) {
			S.e[i]->seen = 1;
			return;
		}
	if (S.n == MAXENTRIES) {
		err_warn("unable to start ", name, ": too many services",
		    (char *)0);
		return;
	}
	x = entry_new(name, &st);
	if (x == NULL)
		return;
	x->seen = 1;
	S.e[S.n++] = x;
	spawn(x, 0);
	if (x->log)
		spawn(x, 1);
}

/*
 * Reads the scan directory (our cwd): starts what is new, and begins to
 * stop what has gone. An entry being stopped that is seen again keeps
 * stopping; when it is done, the next scan starts it afresh.
 */
void
scan(void)
{
	struct dirent *d;
	DIR *dir;
	int fd, i;

	S.needscan = 0;
	fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || (dir = fdopendir(fd)) == NULL) {
		err_warnsys("unable to read scan directory", (char *)0);
		if (fd != -1)
			close(fd);
		return;
	}
	for (i = 0; i < S.n; i++)
		S.e[i]->seen = 0;
	for (;;) {
		errno = 0;
		if ((d = readdir(dir)) == NULL)
			break;
		look(d->d_name);
	}
	if (errno != 0) {
		/* A partial list must not stop the services it missed. */
		err_warnsys("unable to read scan directory", (char *)0);
		closedir(dir);
		return;
	}
	closedir(dir);
	for (i = 0; i < S.n; i++)
		if (S.e[i]->stage == RUN && !S.e[i]->seen)
			stop_begin(S.e[i]);
}
