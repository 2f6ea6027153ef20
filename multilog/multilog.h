/*
 * multilog's parts: the script (script.c), pattern matching (match.c), a
 * batch of output and where daemontools' rules put it (batch.c), the
 * automatically rotated log directories (logdir.c), looking at the input
 * before consuming it (peek.c), the journal that makes a batch of input
 * logged exactly once (journal.c) and the main loop (multilog.c). See
 * multilog(8).
 */
#ifndef MULTILOG_H
#define MULTILOG_H

#include <sys/types.h>

#include <stddef.h>

#define ML_LINE 1000	/* bytes of a line that patterns, e and = see */
#define ML_DIRBUF 512	/* per-directory buffer, as daemontools sizes it */
#define ML_SIZE_MIN 4096
#define ML_SIZE_MAX 16777215
#define ML_SIZE_DEF 99999
#define ML_NUM_DEF 10
#define ML_SLACK 2000	/* within this of s, a newline ends current */
#define ML_PAUSE_MS 5000	/* how long to wait after a disk error */

struct logdir {
	const char *name;	/* as the script gives it */
	const char *processor;	/* or null */
	unsigned long size;
	unsigned long num;
	/* The file being filled, as daemontools' rules see it (batch.c). */
	unsigned long bytes;
	int due;		/* rotate before the next write */
	/* The batch's output: out[0..placed) has its file, the rest is */
	/* daemontools' buffer; out[0..written) is on disk. */
	char *out;
	size_t cap;
	size_t len;
	size_t placed;
	size_t written;
	size_t *at;		/* len at each of the batch's marks */
	/* current on disk (logdir.c) */
	unsigned long disk;	/* its size */
	dev_t dev;
	ino_t ino;
	int dirfd;
	int lockfd;
	int cur;		/* open for appending */
	int selected;
};

enum consume {
	CONSUME_NONE,		/* read(2) has consumed it already */
	CONSUME_SKIP,		/* read what was peeked at */
	CONSUME_JOURNAL		/* splice it into the journal */
};

enum act {
	ACT_SELECT,	/* +pattern */
	ACT_DESELECT,	/* -pattern */
	ACT_ALERT,	/* e */
	ACT_STATUS,	/* =file */
	ACT_DIR		/* ./dir or /dir */
};

struct action {
	enum act type;
	const char *arg;	/* pattern or file name */
	int fd;			/* of the =file */
	struct logdir *dir;
};

struct script {
	char stamp;		/* 't', 'T' or 0 */
	size_t nact;
	struct action *act;
	size_t ndir;
	struct logdir *dir;
	const char *bad;	/* the action script_parse refused */
	const char *why;
};

int	script_parse(struct script *, int, char **);
void	script_open(struct script *);

int	peek_open(int);
ssize_t	peek(int, char *, size_t);
int	peek_skip(int, size_t);

int	match(const char *, const char *, size_t);

void	batch_init(struct script *);
void	batch_mark(size_t);
void	batch_rotate(struct logdir *);
void	batch_flush(struct logdir *);
void	batch_put(struct logdir *, const char *, size_t);
void	batch_putc(struct logdir *, const char *, size_t);
void	batch_commit(size_t, enum consume);

int	journal_open(struct script *, int);
void	journal_begin(size_t);
void	journal_end(size_t);
void	journal_close(void);

void	consume(size_t, enum consume);
int	ml_wait(int);
void	ml_giveup(const char *, const char *, const char *, const char *,
	    int);

void	logdir_open(struct logdir *);
void	logdir_start(struct logdir *);
void	logdir_rotate(struct logdir *);
void	logdir_close(struct logdir *);
void	logdir_pause(const char *, const char *, const char *);

#endif
