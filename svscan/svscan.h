/*
 * svscan's shared state: the table of entries of the scan directory and
 * the stages an entry goes through when it disappears. See svscan(8).
 */
#ifndef SVSCAN_H
#define SVSCAN_H

#include <sys/resource.h>
#include <sys/types.h>

#include <stdint.h>

#include "../lib/watch.h"

#define THROTTLE 1000	/* ms between two starts of the same supervise */
#define DRAINPOLL 20	/* ms between two looks at a draining log pipe */
#define RETRY 5000	/* ms between two tries of an entry that failed */

/* What is happening to an entry; an entry only moves forwards. */
enum stage {
	RUN,		/* in the scan directory: keep both supervise running */
	STOPSV,		/* gone: told the service's supervise dx */
	DRAIN,		/* its supervise exited: the logger empties the pipe */
	STOPLOG,	/* pipe empty: told the logger's supervise dx */
	DONE		/* both supervise exited: the entry can go */
};

/* One supervise process: the service's ([0]) or its logger's ([1]). */
struct sup {
	pid_t pid;	/* 0 when not running */
	int64_t born;	/* mono_ms of its start */
	int64_t retry;	/* mono_ms at which to start it, 0 for never */
};

struct entry {
	char *name;
	dev_t dev;
	ino_t ino;
	struct entry *next;	/* in the same bucket of S.hash */
	int dfd;	/* the service directory, also once renamed away */
	int log;	/* has a log/ directory, hence a pipe */
	int pi[2];	/* the log pipe, held for the entry's life */
	int seen;	/* found by the current scan */
	enum stage stage;
	int64_t since;	/* mono_ms of entering DRAIN */
	int64_t quiet;	/* mono_ms the log pipe was last seen non-empty */
	struct sup sup[2];
};

struct svscan {
	struct entry **e;	/* every entry, in no order */
	int n, cap;
	struct entry **hash;	/* the entries by device and inode */
	size_t nhash;		/* buckets, a power of two */
	char **failed;		/* names that could not be started */
	size_t nfailed;
	int64_t retryat;	/* mono_ms of the next try of those, or 0 */
	const char *supervise;	/* the supervise program svscan runs */
	struct watch *watch;	/* the scan directory's, or NULL */
	int64_t grace;		/* -g */
	int64_t every;		/* rescan period in ms, 0 for none */
	int64_t nextscan;	/* mono_ms, 0 for none */
	int needscan;
	int stopping;		/* SIGTERM or SIGINT received */
	int64_t killat;		/* SIGKILL the services still up */
	int64_t endat;		/* SIGKILL whatever is left */
	char **prog;		/* the main program (-- PROG ARG...), or NULL */
	pid_t progpid;		/* 0 when not running */
	int origdir;		/* where svscan started, for PROG, or -1 */
	struct rlimit nofile;	/* the descriptor limit we started with */
	int64_t termat;		/* mono_ms PROG was told to go, or 0 */
	int code;		/* svscan's exit code once decided, or -1 */
};

extern struct svscan S;

/* scan.c */
void	scan(void);
void	entry_free(int);

/* spawn.c */
void	spawn(struct entry *, int);
struct entry *pid_take(pid_t, int *);

/* stop.c */
void	stop_tell(struct entry *, int, const char *, size_t);
void	stop_begin(struct entry *);
void	stop_foreign_logger(struct entry *);
void	stop_exited(struct entry *, int);
void	stop_tick(struct entry *, int64_t);
void	stop_all(void);
void	stop_kill(int64_t);

/* prog.c */
void	prog_start(void);
int	prog_exited(pid_t, int);
void	prog_signal(int);
int64_t	prog_due(int64_t);
int	prog_scanner(struct entry *, int);

#endif
