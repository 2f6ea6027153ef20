/*
 * A batch of multilog's output (multilog(8)). While a batch of input is
 * acted on, nothing is written: each directory's output is kept in
 * memory, and daemontools' rules (its 512-byte buffer, s, and the newline
 * within 2000 bytes of s) decide, byte for byte as daemontools would,
 * where each of its files ends. Marks tie each directory's output to the
 * input it came from. batch_commit then writes the batch out a segment at
 * a time: a rotation ends a segment, and a segment is written and
 * consumed (through the journal, journal.c) before the rotation that ends
 * it starts. A SIGKILL therefore never finds a journal that describes
 * output in two files: the first part of a batch that a rotation (and its
 * processor) had already made an old file would be logged again. It also
 * makes one write(2) per directory and segment, where daemontools makes
 * one per 512 bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "multilog.h"

struct rot {			/* a rotation the rules decided on */
	struct logdir *d;
	size_t off;		/* in d->out, where the old file ends */
	size_t in;		/* the input that produced out[0..off) */
	size_t k;		/* mark at or after in */
	size_t part;		/* in - mk[k - 1], or 0 when in is mk[k] */
};

static struct {
	struct script *sc;
	size_t *mk;		/* input position of each mark */
	size_t nmk;
	size_t capmk;
	struct rot *rot;
	size_t nrot;
	size_t caprot;
	size_t done;		/* input consumed by the batch so far */
	int warned;
} bt;

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t n = *cap ? *cap : 64;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	if ((p = realloc(p, n * size)) == NULL)
		err_diesys(EXIT_TEMP, "unable to allocate memory", (char *)0);
	*cap = n;
	return p;
}

void
batch_init(struct script *sc)
{
	bt.sc = sc;
	batch_mark(0);
}

/* Notes that the input before position in produced what is in out[]. */
void
batch_mark(size_t in)
{
	struct logdir *d;
	size_t i, cap = bt.capmk;

	bt.mk = grow(bt.mk, &bt.capmk, bt.nmk + 1, sizeof(*bt.mk));
	for (i = 0; i < bt.sc->ndir; i++) {
		d = &bt.sc->dir[i];
		if (cap != bt.capmk) {
			d->at = realloc(d->at, bt.capmk * sizeof(*d->at));
			if (d->at == NULL)
				err_diesys(EXIT_TEMP, "unable to allocate "
				    "memory", (char *)0);
		}
		d->at[bt.nmk] = d->len;
	}
	bt.mk[bt.nmk++] = in;
}

/* The rules decide that current ends here: what follows is a new file. */
void
batch_rotate(struct logdir *d)
{
	bt.rot = grow(bt.rot, &bt.caprot, bt.nrot + 1, sizeof(*bt.rot));
	bt.rot[bt.nrot].d = d;
	bt.rot[bt.nrot++].off = d->placed;
	d->bytes = 0;
	d->due = 0;
}

/*
 * Places n bytes of out[] at d->placed the way daemontools writes them
 * (its c_write): current never grows past s, and once within 2000 bytes
 * of s a write stops after a newline, which then ends current.
 */
static void
place(struct logdir *d, size_t n)
{
	const char *buf, *nl;
	size_t len;

	while (n > 0) {
		if (d->due || d->bytes >= d->size)
			batch_rotate(d);
		buf = d->out + d->placed;
		len = n;
		if (len >= d->size - d->bytes)
			len = d->size - d->bytes;
		if (d->bytes + len >= d->size - ML_SLACK &&
		    (nl = memrchr(buf, '\n', len)) != NULL)
			len = (size_t)(nl - buf) + 1;
		d->bytes += len;
		d->placed += len;
		n -= len;
		if (d->bytes >= d->size - ML_SLACK && buf[len - 1] == '\n')
			batch_rotate(d);
	}
}

static void
append(struct logdir *d, const char *s, size_t n)
{
	d->out = grow(d->out, &d->cap, d->len + n, 1);
	memcpy(d->out + d->len, s, n);
	d->len += n;
}

/* daemontools' buffer_flush: what its buffer holds is written. */
void
batch_flush(struct logdir *d)
{
	place(d, d->len - d->placed);
}

/*
 * daemontools' buffer_put: flush first if s does not fit, write it
 * directly if it is larger than the buffer. Where writes are cut decides
 * where a full current ends.
 */
void
batch_put(struct logdir *d, const char *s, size_t n)
{
	if (n > ML_DIRBUF - (d->len - d->placed)) {
		batch_flush(d);
		if (n > ML_DIRBUF) {
			append(d, s, n);
			batch_flush(d);
			return;
		}
	}
	append(d, s, n);
}

/* daemontools' buffer_PUTC, byte after byte (past the first 1000). */
void
batch_putc(struct logdir *d, const char *s, size_t n)
{
	size_t room;

	while (n > 0) {
		if (d->len - d->placed == ML_DIRBUF)
			batch_flush(d);
		room = ML_DIRBUF - (d->len - d->placed);
		if (room > n)
			room = n;
		append(d, s, room);
		s += room;
		n -= room;
	}
}

/*
 * Finds the input that produced the old file's part of d's output: the
 * first mark where d's output reaches off, or, inside the run of tail
 * bytes before it (copied one for one), the byte after off's. An old file
 * never ends inside a line's first 1000 bytes, which are written at once:
 * a file ends after a newline, or at s in a line that has had no newline
 * for 2000 bytes (ML_LINE <= ML_SLACK), or where a rotation before the
 * first write of a run puts it (logdir_start).
 */
static void
locate(struct rot *r)
{
	struct logdir *d = r->d;
	size_t lo = 0, hi = bt.nmk - 1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (d->at[mid] >= r->off)
			hi = mid;
		else
			lo = mid + 1;
	}
	r->k = lo;
	r->part = 0;
	r->in = bt.mk[lo];
	if (d->at[lo] == r->off || lo == 0)
		return;
	if (d->at[lo] - d->at[lo - 1] == bt.mk[lo] - bt.mk[lo - 1]) {
		r->part = r->off - d->at[lo - 1];
		r->in = bt.mk[lo - 1] + r->part;
		return;
	}
	/* Cannot happen (see above); at worst a kill -9 doubles a line. */
	if (!bt.warned++)
		err_warn("internal error: a rotation inside a line's head",
		    (char *)0);
	r->k = lo - 1;
	r->in = bt.mk[lo - 1];
}

/* How much of e's output came from the input before r->in. */
static size_t
upto(const struct logdir *e, const struct rot *r)
{
	if (r->part == 0)
		return e->at[r->k];
	/* A run of tail bytes: e got all of them, or none. */
	if (e->at[r->k] == e->at[r->k - 1])
		return e->at[r->k];
	return e->at[r->k - 1] + r->part;
}

static void
write_upto(struct logdir *d, size_t off)
{
	ssize_t w;

	while (d->written < off) {
		w = write(d->cur, d->out + d->written, off - d->written);
		if (w > 0) {
			d->written += (size_t)w;
			d->disk += (unsigned long)w;
			continue;
		}
		if (w == 0)
			errno = ENOSPC;
		if (errno != EINTR)
			logdir_pause("write to ", d->name, "current");
	}
}

/*
 * Writes every directory's output of the input up to in (all of it when
 * r is null), then consumes that input; the journal's header comes first.
 */
static void
segment(size_t in, const struct rot *r, enum consume how)
{
	struct logdir *e;
	size_t i, n = in > bt.done ? in - bt.done : 0;

	if (n > 0 && how == CONSUME_JOURNAL)
		journal_begin(n);
	for (i = 0; i < bt.sc->ndir; i++) {
		e = &bt.sc->dir[i];
		write_upto(e, r ? upto(e, r) : e->placed);
	}
	if (n > 0)
		consume(n, how);
	if (in > bt.done)
		bt.done = in;
}

/*
 * Writes the batch out and consumes its input up to end, a segment per
 * rotation, each rotation once the input before it is consumed.
 */
void
batch_commit(size_t end, enum consume how)
{
	struct rot t;
	size_t i, j;

	batch_mark(end);
	for (i = 0; i < bt.nrot; i++)
		locate(&bt.rot[i]);
	/* In input order; each directory's are in order already. */
	for (i = 1; i < bt.nrot; i++)
		for (j = i; j > 0 && bt.rot[j - 1].in > bt.rot[j].in; j--) {
			t = bt.rot[j];
			bt.rot[j] = bt.rot[j - 1];
			bt.rot[j - 1] = t;
		}
	for (i = 0; i < bt.nrot; i++) {
		segment(bt.rot[i].in, &bt.rot[i], how);
		write_upto(bt.rot[i].d, bt.rot[i].off);
		logdir_rotate(bt.rot[i].d);
	}
	segment(end, NULL, how);
	for (i = 0; i < bt.sc->ndir; i++) {
		struct logdir *d = &bt.sc->dir[i];

		/* Not placed yet: the rest of daemontools' buffer. */
		if (d->len > d->placed)
			memmove(d->out, d->out + d->placed,
			    d->len - d->placed);
		d->len -= d->placed;
		d->placed = d->written = 0;
	}
	bt.nrot = bt.nmk = bt.done = 0;
	batch_mark(0);
}
