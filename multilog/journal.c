/*
 * The journal that logs each batch of input exactly once, even when
 * multilog is killed with SIGKILL (multilog(8), FILES). A batch here is
 * what batch.c commits between two rotations, so that every current it
 * names is still current until it is consumed. Before a batch's
 * output is written, DIR/journal in the first log directory gets a header
 * (one write) with the number of bytes the batch consumes, the device and
 * inode of the pipe it comes from and, for every log directory, the
 * device, inode and size of current. After the output,
 * the batch is consumed from the pipe by splice(2) into the journal, after
 * the header: every byte is at every moment either still in the pipe or in
 * the journal, never in both or neither. At start-up, the journal tells
 * what a killed multilog left half done: output to take back (nothing
 * consumed: the batch is still in the pipe and will be logged again) or
 * input to consume (all of the output is in the logs). A journal written
 * for another pipe (the holder of the pipe died with multilog: svscan's
 * whole tree killed, a container's, an OOM kill) says nothing about the
 * input now: it never cuts a log back nor skips input; at worst the old
 * batch's lines are in the log once, and the rest of them was lost with
 * the old pipe.
 */
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "multilog.h"

#define J_MAGIC "mlj2"
#define J_HEAD 32	/* magic, number of directories (32 bits), n (64),
			 * the pipe's device and inode (64 each) */
#define J_DIR 24	/* per directory: dev, ino, size (64 bits each) */
#define J_MAXDIR 100000

static struct {
	int fd;			/* -1: no journal */
	struct script *sc;
	unsigned char *hdr;
	size_t hdrlen;
	uint64_t pipedev;	/* fstat of stdin: which pipe the batches */
	uint64_t pipeino;	/* come from */
} jn = { -1, NULL, NULL, 0, 0, 0 };

static void
put(unsigned char *p, uint64_t v, int len)
{
	int i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
get(const unsigned char *p, int len)
{
	uint64_t v = 0;
	int i;

	for (i = len - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static const char *
name0(void)
{
	return jn.sc->dir[0].name;
}

/* Cuts back a current that still is the recorded file and grew since. */
static void
rollback(uint64_t dev, uint64_t ino, uint64_t size)
{
	struct logdir *d;
	struct stat st;
	size_t i;
	int fd;

	for (i = 0; i < jn.sc->ndir; i++) {
		d = &jn.sc->dir[i];
		fd = openat(d->dirfd, "current", O_WRONLY | O_CLOEXEC |
		    O_NOCTTY | O_NOFOLLOW);
		if (fd == -1)
			continue;
		if (fstat(fd, &st) == 0 && (uint64_t)st.st_dev == dev &&
		    (uint64_t)st.st_ino == ino && (uint64_t)st.st_size > size &&
		    ftruncate(fd, (off_t)size) == -1)
			err_diesys(EXIT_TEMP, "unable to truncate ", d->name,
			    "/current", (char *)0);
		close(fd);
	}
}

/*
 * A batch from a pipe that is gone may be logged in part, its last line
 * cut short (a short write on a full disk, multilog paused, then the
 * whole tree killed): that torn line goes, the batch's whole lines and
 * everything before the batch stay. The rest of the batch went with the
 * pipe.
 */
static void
trimtorn(uint64_t dev, uint64_t ino, uint64_t size)
{
	struct logdir *d;
	struct stat st;
	char buf[4096];
	uint64_t end, cut, chunk;
	size_t i, j;
	int fd;

	for (i = 0; i < jn.sc->ndir; i++) {
		d = &jn.sc->dir[i];
		fd = openat(d->dirfd, "current", O_RDWR | O_CLOEXEC |
		    O_NOCTTY | O_NOFOLLOW);
		if (fd == -1)
			continue;
		if (fstat(fd, &st) == -1 || (uint64_t)st.st_dev != dev ||
		    (uint64_t)st.st_ino != ino || (uint64_t)st.st_size <= size) {
			close(fd);
			continue;
		}
		/* From the end back to the batch's start: the last newline. */
		cut = size;
		for (end = (uint64_t)st.st_size; end > size; end -= chunk) {
			chunk = end - size < sizeof(buf) ? end - size : sizeof(buf);
			if (pread(fd, buf, (size_t)chunk, (off_t)(end - chunk)) !=
			    (ssize_t)chunk) {
				cut = (uint64_t)st.st_size;	/* leave it */
				break;
			}
			for (j = (size_t)chunk; j > 0 && buf[j - 1] != '\n'; j--)
				;
			if (j > 0) {
				cut = end - chunk + j;
				break;
			}
		}
		if (cut < (uint64_t)st.st_size && ftruncate(fd, (off_t)cut) == -1)
			err_diesys(EXIT_TEMP, "unable to truncate ", d->name,
			    "/current", (char *)0);
		close(fd);
	}
}

/* Finishes the batch a killed multilog left in the journal fd. */
static void
recover(int fd)
{
	unsigned char h[J_HEAD + J_DIR];
	uint64_t nd, n, len, i;
	struct stat st;
	int avail;

	if (fstat(fd, &st) == -1 || st.st_size == 0)
		return;
	if (pread(fd, h, J_HEAD, 0) != J_HEAD || memcmp(h, J_MAGIC, 4) != 0)
		goto bad;
	nd = get(h + 4, 4);
	n = get(h + 8, 8);
	if (nd > J_MAXDIR || (uint64_t)st.st_size < J_HEAD + J_DIR * nd)
		goto bad;
	len = (uint64_t)st.st_size - (J_HEAD + J_DIR * nd);
	if (len >= n)
		return;
	if (fstat(0, &st) == -1 || (uint64_t)st.st_dev != get(h + 16, 8) ||
	    (uint64_t)st.st_ino != get(h + 24, 8)) {
		err_warn(name0(), "/journal is for another pipe: keeping "
		    "what was logged, ignoring it", (char *)0);
		for (i = 0; i < nd; i++) {
			if (pread(fd, h, J_DIR, (off_t)(J_HEAD + J_DIR * i)) !=
			    J_DIR)
				goto bad;
			trimtorn(get(h, 8), get(h + 8, 8), get(h + 16, 8));
		}
		return;
	}
	/* The unconsumed part of the batch must still be in the pipe. */
	if (ioctl(0, FIONREAD, &avail) == -1 || avail < 0 ||
	    (uint64_t)avail < n - len) {
		err_warn(name0(), "/journal does not match the "
		    "input, ignoring it", (char *)0);
		return;
	}
	if (len > 0) {
		if (peek_skip(0, (size_t)(n - len)) == -1)
			err_diesys(EXIT_TEMP, "unable to read input", (char *)0);
		return;
	}
	for (i = 0; i < nd; i++) {
		if (pread(fd, h, J_DIR, (off_t)(J_HEAD + J_DIR * i)) != J_DIR)
			goto bad;
		rollback(get(h, 8), get(h + 8, 8), get(h + 16, 8));
	}
	return;
bad:
	err_warn("ignoring bad ", name0(), "/journal", (char *)0);
}

/* Whether splice(2) can append to the journal's file system. */
static int
splice_ok(int fd)
{
#ifdef __linux__
	loff_t off = 0;
	ssize_t r;
	int p[2];

	if (pipe2(p, O_CLOEXEC) == -1)
		return 0;
	r = -1;
	if (write(p[1], "x", 1) == 1)
		r = splice(p[0], NULL, fd, &off, 1, 0);
	close(p[0]);
	close(p[1]);
	return r == 1;
#else
	(void)fd;
	return 0;
#endif
}

/*
 * Opens the journal in the first log directory, after the directories are
 * locked and before anything in them is touched: finishes the last batch
 * of a killed multilog, then starts empty. Returns -1 (and leaves no
 * journal) when there is no log directory, stdin is no pipe (pipe is 0),
 * or splice does not work there; multilog then consumes with read(2).
 */
int
journal_open(struct script *sc, int pipe)
{
	struct stat st;
	int fd;

	jn.sc = sc;
	if (sc->ndir == 0)
		return -1;
	if (!pipe) {
		/* A batch in the journal is in a pipe we cannot reach. */
		(void)unlinkat(sc->dir[0].dirfd, "journal", 0);
		return -1;
	}
	fd = openat(sc->dir[0].dirfd, "journal", O_RDWR | O_CREAT |
	    O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600);
	if (fd == -1)
		err_diesys(EXIT_TEMP, "unable to open ", name0(), "/journal",
		    (char *)0);
	recover(fd);
	if (ftruncate(fd, 0) == -1)
		err_diesys(EXIT_TEMP, "unable to truncate ", name0(),
		    "/journal", (char *)0);
	jn.hdrlen = J_HEAD + J_DIR * sc->ndir;
	if (fstat(0, &st) == -1) {
		close(fd);
		return -1;
	}
	jn.pipedev = (uint64_t)st.st_dev;
	jn.pipeino = (uint64_t)st.st_ino;
	if (!splice_ok(fd) || ftruncate(fd, 0) == -1 ||
	    (jn.hdr = malloc(jn.hdrlen)) == NULL) {
		close(fd);
		(void)unlinkat(sc->dir[0].dirfd, "journal", 0);
		return -1;
	}
	jn.fd = fd;
	return 0;
}

/*
 * Before any output of a batch that will consume n bytes: the header,
 * written at once into the emptied journal.
 */
void
journal_begin(size_t n)
{
	struct logdir *d;
	unsigned char *p;
	size_t i;

	memcpy(jn.hdr, J_MAGIC, 4);
	put(jn.hdr + 4, jn.sc->ndir, 4);
	put(jn.hdr + 8, n, 8);
	put(jn.hdr + 16, jn.pipedev, 8);
	put(jn.hdr + 24, jn.pipeino, 8);
	for (i = 0, p = jn.hdr + J_HEAD; i < jn.sc->ndir; i++, p += J_DIR) {
		d = &jn.sc->dir[i];
		put(p, (uint64_t)d->dev, 8);
		put(p + 8, (uint64_t)d->ino, 8);
		put(p + 16, d->disk, 8);
	}
	for (;;) {
		errno = ENOSPC;
		if (ftruncate(jn.fd, 0) == 0 &&
		    pwrite(jn.fd, jn.hdr, jn.hdrlen, 0) == (ssize_t)jn.hdrlen)
			return;
		if (errno != EINTR)
			logdir_pause("write to ", name0(), "journal");
	}
}

/* After the output: consumes the batch from stdin into the journal. */
void
journal_end(size_t n)
{
#ifdef __linux__
	loff_t off = (loff_t)jn.hdrlen;
	ssize_t r;

	while (n > 0) {
		r = splice(0, NULL, jn.fd, &off, n, 0);
		if (r > 0)
			n -= (size_t)r;
		else if (r == 0)
			err_die(EXIT_TEMP, "unable to read input: it ended "
			    "before what was seen in it", (char *)0);
		else if (errno != EINTR)
			logdir_pause("write to ", name0(), "journal");
	}
#else
	(void)n;
	err_die(EXIT_BUG, "journal_end without splice", (char *)0);
#endif
}

/* At a clean exit: no batch is half done, the journal goes. */
void
journal_close(void)
{
	if (jn.fd == -1)
		return;
	close(jn.fd);
	jn.fd = -1;
	(void)unlinkat(jn.sc->dir[0].dirfd, "journal", 0);
}
