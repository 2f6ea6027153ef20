/*
 * svscan: reading the scan directory and starting one supervise per
 * service directory, plus one for its log/ joined by a pipe. See svscan(8).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/tai.h"
#include "svscan.h"

/* The bucket of S.hash for a device and inode. */
static struct entry **
bucket(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15ULL ^ (uint64_t)dev;

	return &S.hash[(h ^ h >> 29) & (S.nhash - 1)];
}

static struct entry *
find(dev_t dev, ino_t ino)
{
	struct entry *x;

	if (S.nhash == 0)
		return NULL;
	for (x = *bucket(dev, ino); x != NULL; x = x->next)
		if (x->dev == dev && x->ino == ino)
			return x;
	return NULL;
}

/*
 * Makes room for one more entry: the table doubles, and the hash with
 * it (at most one entry per bucket on average), so that a scan of n
 * names costs O(n), not O(n^2). Returns -1 when memory is short.
 */
static int
grow(void)
{
	struct entry **e, **h, *x, *nx;
	size_t n, i;

	if (S.n < S.cap)
		return 0;
	n = S.cap ? 2 * (size_t)S.cap : 64;
	e = realloc(S.e, n * sizeof(*e));
	if (e == NULL)
		return -1;
	S.e = e;
	h = calloc(n, sizeof(*h));
	if (h == NULL)
		return -1;
	for (i = 0; i < S.nhash; i++)
		for (x = S.hash[i]; x != NULL; x = nx) {
			nx = x->next;
			x->next = NULL;
		}
	free(S.hash);
	S.hash = h;
	S.nhash = n;
	S.cap = (int)n;
	for (i = 0; i < (size_t)S.n; i++) {
		x = S.e[i];
		x->next = *bucket(x->dev, x->ino);
		*bucket(x->dev, x->ino) = x;
	}
	return 0;
}

/*
 * Gives entry x its log pipe: at its start, or when its log/ came later.
 * Returns 0 (also when there is no log/), -1 with errno.
 */
static int
openlog(struct entry *x)
{
	struct stat lst;

	if (x->log || fstatat(x->dfd, "log", &lst, 0) == -1 ||
	    !S_ISDIR(lst.st_mode))
		return 0;
	if (pipe2(x->pi, O_CLOEXEC) == -1)
		return -1;
	x->log = 1;
	return 0;
}

static struct entry *
entry_new(const char *name, const struct stat *st)
{
	struct entry *x;
	int e;

	x = calloc(1, sizeof(*x));
	if (x == NULL || (x->name = strdup(name)) == NULL) {
		free(x);
		return NULL;
	}
	x->dev = st->st_dev;
	x->ino = st->st_ino;
	x->pi[0] = x->pi[1] = -1;
	x->dfd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (x->dfd == -1 || openlog(x) == -1)
		goto fail;
	return x;
fail:
	e = errno;
	if (x->dfd != -1)
		close(x->dfd);
	free(x->name);
	free(x);
	errno = e;
	return NULL;
}

void
entry_free(int i)
{
	struct entry *x = S.e[i], **p;
	int w, which;

	/* Not left in the pid index (a DONE entry has no supervise). */
	for (w = 0; w < 2; w++)
		if (x->sup[w].pid != 0)
			pid_take(x->sup[w].pid, &which);

	for (p = bucket(x->dev, x->ino); *p != x; p = &(*p)->next)
		;
	*p = x->next;
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

/*
 * Remembers that name could not be started, to try again on a slow
 * timer (a dangling symlink whose target may appear, no descriptors
 * left), and says so once, in daemontools' words: not at every retry.
 */
static void
failed(const char *verb, const char *name, char **old, size_t nold, int e)
{
	char **f, *dup;
	size_t i;

	for (i = 0; i < nold; i++)
		if (old[i] != NULL && strcmp(old[i], name) == 0)
			break;
	if (i == nold)
		err_warn("unable to ", verb, name, ": ", err_reason(e),
		    e == EMFILE || e == ENFILE ?
		    " (out of descriptors: trying again every 5 seconds)" :
		    "", (char *)0);
	if (i < nold) {
		dup = old[i];
		old[i] = NULL;
	} else if ((dup = strdup(name)) == NULL)
		return;
	f = realloc(S.failed, (S.nfailed + 1) * sizeof(*f));
	if (f == NULL) {
		free(dup);
		return;
	}
	S.failed = f;
	S.failed[S.nfailed++] = dup;
}

/*
 * An entry's log/ that appeared after its supervise started: a pipe and
 * a logger now; the service's supervise, which has no pipe as its
 * standard output, is told x, so that at the service's next exit it
 * goes and svscan starts a new one with the pipe (svscan(8)). A pipe
 * that cannot be made (no descriptors left) is tried again on the retry
 * timer, as an entry that cannot be started is.
 */
static void
latelog(struct entry *x, char **old, size_t nold)
{
	char name[NAME_MAX + sizeof("/log")];
	size_t n;
	int e;

	if (x->log || x->stage != RUN)
		return;
	if (openlog(x) == -1) {
		e = errno;
		n = strlen(x->name);
		if (n > NAME_MAX)
			n = NAME_MAX;
		memcpy(name, x->name, n);
		memcpy(name + n, "/log", sizeof("/log"));
		failed("start ", name, old, nold, e);
		return;
	}
	if (!x->log)
		return;
	spawn(x, 1);
	if (x->sup[0].pid != 0)
		stop_tell(x, 0, "x", 1);
}

/* One name of the scan directory. */
static void
look(const char *name, char **old, size_t nold)
{
	struct entry *x;
	struct stat st;
	char *n;

	if (name[0] == '.')
		return;
	if (stat(name, &st) == -1) {
		failed("stat ", name, old, nold, errno);
		return;
	}
	if (!S_ISDIR(st.st_mode))
		return;
	x = find(st.st_dev, st.st_ino);
	if (x != NULL) {
		x->seen = 1;
		/* Renamed: supervise runs under its new name from now on. */
		if (strcmp(x->name, name) != 0 && (n = strdup(name)) != NULL) {
			free(x->name);
			x->name = n;
		}
		latelog(x, old, nold);
		return;
	}
	if (grow() == -1 || (x = entry_new(name, &st)) == NULL) {
		failed("start ", name, old, nold, errno);
		return;
	}
	x->seen = 1;
	x->next = *bucket(x->dev, x->ino);
	*bucket(x->dev, x->ino) = x;
	S.e[S.n++] = x;
	/* Told when a log/ appears in it (a cp -r still copying, say). */
	if (!x->log && S.watch != NULL)
		watch_add(S.watch, name, WATCH_ENTRIES);
	spawn(x, 0);
	if (x->log)
		spawn(x, 1);
}

/*
 * Reads the scan directory (our cwd): starts what is new, and begins to
 * stop what has gone. An entry being stopped that is seen again keeps
 * stopping; when it is done, the next scan starts it afresh. Names that
 * could not be started are tried again on a timer, which runs only while
 * there are such names.
 */
void
scan(void)
{
	struct dirent *d;
	char **old = S.failed;
	size_t i, nold = S.nfailed;
	DIR *dir;
	int fd;

	S.needscan = 0;
	fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || (dir = fdopendir(fd)) == NULL) {
		err_warnsys("unable to read scan directory", (char *)0);
		if (fd != -1)
			close(fd);
		S.retryat = mono_ms() + RETRY;
		return;
	}
	S.failed = NULL;
	S.nfailed = 0;
	for (i = 0; i < (size_t)S.n; i++)
		S.e[i]->seen = 0;
	for (;;) {
		errno = 0;
		if ((d = readdir(dir)) == NULL)
			break;
		look(d->d_name, old, nold);
	}
	for (i = 0; i < nold; i++)
		free(old[i]);
	free(old);
	S.retryat = S.nfailed ? mono_ms() + RETRY : 0;
	if (errno != 0) {
		/* A partial list must not stop the services it missed. */
		err_warnsys("unable to read scan directory", (char *)0);
		closedir(dir);
		S.retryat = mono_ms() + RETRY;
		return;
	}
	closedir(dir);
	for (i = 0; i < (size_t)S.n; i++)
		if (S.e[i]->stage == RUN && !S.e[i]->seen)
			stop_begin(S.e[i]);
}
