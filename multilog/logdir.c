/*
 * An automatically rotated log directory (multilog(8)), in daemontools'
 * format so that its readers keep working: current (0644 while written,
 * 0744 once closed cleanly), old files @TAI64N.s (or .u when recovered
 * after a crash), lock, state, and previous/processed/newstate while a
 * processor runs. Where a file ends is decided in batch.c, by daemontools'
 * rules; this is the disk's side. Disk trouble never loses a line: we
 * warn, pause, retry.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>	/* renameat(2) only; no buffered I/O */
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/lock.h"
#include "../lib/sig.h"
#include "../lib/tai.h"
#include "multilog.h"

/*
 * Warns "unable to WHAT DIR/FILE, pausing: reason" and waits, unless a
 * TERM comes (or came): then multilog gives up (ml_giveup, exits 111).
 */
void
logdir_pause(const char *what, const char *dir, const char *file)
{
	const char *slash = file[0] ? "/" : "";
	int e = errno;

	err_warnsys("unable to ", what, dir, slash, file, ", pausing",
	    (char *)0);
	if (ml_wait(ML_PAUSE_MS))
		ml_giveup(what, dir, slash, file, e);
}

static int
ld_open(struct logdir *d, const char *name, int flags)
{
	int fd;

	while ((fd = openat(d->dirfd, name, flags | O_CLOEXEC | O_NOCTTY |
	    O_NOFOLLOW, 0600)) == -1)
		logdir_pause("create ", d->name, name);
	return fd;
}

/* Removes the oldest @ files until fewer than num are left. */
static int
ld_fit(struct logdir *d)
{
	char oldest[256];
	struct dirent *e;
	unsigned long count;
	DIR *dir;
	int fd;

	for (;;) {
		fd = openat(d->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd == -1)
			return -1;
		if ((dir = fdopendir(fd)) == NULL) {
			close(fd);
			return -1;
		}
		count = 0;
		oldest[0] = '\0';
		while (errno = 0, (e = readdir(dir)) != NULL) {
			if (e->d_name[0] != '@' || strlen(e->d_name) < TAI_HEX ||
			    strlen(e->d_name) >= sizeof(oldest))
				continue;
			count++;
			if (oldest[0] == '\0' || strcmp(e->d_name, oldest) < 0)
				strcpy(oldest, e->d_name);
		}
		if (errno != 0) {
			closedir(dir);
			return -1;
		}
		closedir(dir);
		if (count < d->num)
			return 0;
		if (unlinkat(d->dirfd, oldest, 0) == -1 && errno != ENOENT)
			return -1;
	}
}

/*
 * Gives file (current, previous or processed) its final name @TAI64N.code,
 * then trims the directory to num old files. A link count of 2 means we
 * crashed between link and unlink last time: the @ name is already there.
 */
static void
ld_finish(struct logdir *d, const char *file, char code)
{
	char fn[TAI_HEX + 3];
	struct stat st;
	struct tai now;

	while (fstatat(d->dirfd, file, &st, 0) == -1) {
		if (errno == ENOENT)
			return;
		logdir_pause("stat ", d->name, file);
	}
	if (st.st_nlink == 1)
		for (;;) {
			tai_now(&now);
			tai_fmt(fn, &now);
			fn[TAI_HEX] = '.';
			fn[TAI_HEX + 1] = code;
			fn[TAI_HEX + 2] = '\0';
			if (linkat(d->dirfd, file, d->dirfd, fn, 0) == 0)
				break;
			logdir_pause("link to ", d->name, fn);
		}
	while (unlinkat(d->dirfd, file, 0) == -1 && errno != ENOENT)
		logdir_pause("remove ", d->name, file);
	while (ld_fit(d) == -1)
		logdir_pause("read ", d->name, "");
	(void)fsync(d->dirfd);
}

static void
ld_current(struct logdir *d)
{
	struct stat st;

	d->cur = ld_open(d, "current", O_WRONLY | O_APPEND | O_CREAT);
	while (fchmod(d->cur, 0644) == -1)
		logdir_pause("set mode of ", d->name, "current");
	while (fstat(d->cur, &st) == -1)
		logdir_pause("stat ", d->name, "current");
	d->disk = (unsigned long)st.st_size;
	d->dev = st.st_dev;
	d->ino = st.st_ino;
}

/* Makes fd (opened close-on-exec) descriptor to, in a child. */
static int
child_fd(int fd, int to)
{
	if (fd == -1)
		return -1;
	if (fd == to)
		return fcntl(fd, F_SETFD, 0);
	return dup2(fd, to);
}

static void
run_processor(struct logdir *d)
{
	int fd[4], i;

	sig_restore();
	if (fchdir(d->dirfd) == -1)
		err_diesys(EXIT_TEMP, "unable to switch to ", d->name,
		    (char *)0);
	/* Every file lands above 5 first, so that no dup2 clobbers one. */
	fd[0] = openat(d->dirfd, "previous", O_RDONLY | O_CLOEXEC |
	    O_NOFOLLOW);
	fd[1] = openat(d->dirfd, "processed", O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC | O_NOFOLLOW, 0644);
	fd[2] = openat(d->dirfd, "state", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	fd[3] = openat(d->dirfd, "newstate", O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC | O_NOFOLLOW, 0644);
	for (i = 0; i < 4; i++) {
		if (fd[i] == -1)
			err_diesys(EXIT_TEMP, "unable to open files in ",
			    d->name, " for ", d->processor, (char *)0);
		fd[i] = fcntl(fd[i], F_DUPFD_CLOEXEC, 6);
	}
	if (child_fd(fd[0], 0) == -1 || child_fd(fd[1], 1) == -1 ||
	    child_fd(fd[2], 4) == -1 || child_fd(fd[3], 5) == -1)
		err_diesys(EXIT_TEMP, "unable to set up ", d->processor,
		    (char *)0);
	execl("/bin/sh", "sh", "-c", d->processor, (char *)0);
	err_diesys(EXIT_TEMP, "unable to run ", d->processor, (char *)0);
}

/* Runs the processor on previous until it exits 0. */
static void
ld_process(struct logdir *d)
{
	pid_t pid;
	int ws;

	for (;;) {
		sig_fork_begin();
		while ((pid = fork()) == -1)
			logdir_pause("fork for processor in ", d->name, "");
		if (pid != 0)
			sig_fork_end();
		if (pid == 0)
			run_processor(d);
		while (waitpid(pid, &ws, 0) == -1)
			if (errno != EINTR)
				break;
		if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0)
			return;
		err_warn("processor ", d->processor, " failed in ", d->name,
		    ", pausing", (char *)0);
		if (ml_wait(ML_PAUSE_MS))
			err_die(EXIT_TEMP, "processor ", d->processor,
			    " failed in ", d->name, ", stopping on TERM",
			    (char *)0);
	}
}

/* Makes a file safe on disk, with the given mode. */
static void
ld_sync(struct logdir *d, const char *name, mode_t mode)
{
	int fd = ld_open(d, name, O_WRONLY | O_APPEND | O_CREAT);

	while (fsync(fd) == -1)
		logdir_pause("write to disk ", d->name, name);
	while (mode && fchmod(fd, mode) == -1)
		logdir_pause("set mode of ", d->name, name);
	close(fd);
}

/*
 * Closes current and makes it an old file, through the processor if there
 * is one. The order of renames is what recovery (logdir_start) relies on.
 * The input that current's lines came from is consumed already
 * (batch.c): killed anywhere in here, multilog logs none of them again.
 */
void
logdir_rotate(struct logdir *d)
{
	while (fsync(d->cur) == -1)
		logdir_pause("write to disk ", d->name, "current");
	/*
	 * Marked complete through the descriptor, not by name: the name
	 * may have been swapped for a symbolic link by whoever can write
	 * the directory. A crash before the rename leaves a complete
	 * current, which the next run goes on appending to.
	 */
	while (fchmod(d->cur, 0744) == -1)
		logdir_pause("set mode of ", d->name, "current");
	close(d->cur);
	while (renameat(d->dirfd, "current", d->dirfd, "previous") == -1)
		logdir_pause("rename current to previous in ", d->name, "");
	ld_current(d);
	if (d->processor == NULL) {
		ld_finish(d, "previous", 's');
		return;
	}
	ld_process(d);
	ld_sync(d, "processed", 0744);
	ld_sync(d, "newstate", 0);
	while (unlinkat(d->dirfd, "previous", 0) == -1 && errno != ENOENT)
		logdir_pause("remove ", d->name, "previous");
	while (renameat(d->dirfd, "newstate", d->dirfd, "state") == -1)
		logdir_pause("rename newstate to state in ", d->name, "");
	ld_finish(d, "processed", 's');
}

/*
 * Cleans up after a multilog that did not exit cleanly: a processor run
 * that finished (processed has its execute bit) is completed, one that did
 * not is dropped and its input kept as .u, and a current without the
 * execute bit becomes .u. Unlike daemontools, state survives a crash.
 */
static void
ld_recover(struct logdir *d)
{
	struct stat st;

	if (fstatat(d->dirfd, "current", &st, 0) == 0 && (st.st_mode & 0100))
		return;
	if (fstatat(d->dirfd, "processed", &st, 0) == 0 &&
	    (st.st_mode & 0100)) {
		unlinkat(d->dirfd, "previous", 0);
		if (renameat(d->dirfd, "newstate", d->dirfd, "state") == -1 &&
		    errno != ENOENT)
			err_diesys(EXIT_TEMP, "unable to rename newstate to "
			    "state in ", d->name, (char *)0);
		ld_finish(d, "processed", 's');
	} else {
		unlinkat(d->dirfd, "newstate", 0);
		unlinkat(d->dirfd, "processed", 0);
		ld_finish(d, "previous", 'u');
	}
	ld_finish(d, "current", 'u');
}

/* Creates, opens and locks the directory; fatal (111) on trouble. */
void
logdir_open(struct logdir *d)
{
	if (mkdir(d->name, 0700) == -1 && errno != EEXIST)
		err_diesys(EXIT_TEMP, "unable to create ", d->name, (char *)0);
	d->dirfd = open(d->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->dirfd == -1)
		err_diesys(EXIT_TEMP, "unable to open directory ", d->name,
		    (char *)0);
	d->lockfd = openat(d->dirfd, "lock", O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (d->lockfd == -1)
		err_diesys(EXIT_TEMP, "unable to open ", d->name, "/lock",
		    (char *)0);
	if (lock_exnb(d->lockfd) == -1)
		err_diesys(EXIT_TEMP, "unable to lock directory ", d->name,
		    (char *)0);
}

/*
 * Recovers the locked directory after a crash and opens current; fatal
 * (111) on trouble. The journal has already cut back (journal.c) the
 * output a killed multilog wrote without consuming its input.
 */
void
logdir_start(struct logdir *d)
{
	int fd;

	ld_recover(d);
	fd = openat(d->dirfd, "state", O_WRONLY | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0644);
	if (fd == -1)
		err_diesys(EXIT_TEMP, "unable to create ", d->name, "/state",
		    (char *)0);
	close(fd);
	ld_current(d);
	/*
	 * A current continued in the last 2000 bytes before s (s was
	 * made smaller) is rotated before it is written to: daemontools
	 * would write into it up to s, possibly cutting a line's first
	 * 1000 bytes, which batch.c could not then consume exactly.
	 */
	d->bytes = d->disk;
	d->due = d->bytes > 0 && d->bytes >= d->size - ML_SLACK;
}

/* At the end of input: current safely on disk and marked clean (0744). */
void
logdir_close(struct logdir *d)
{
	while (fsync(d->cur) == -1)
		logdir_pause("write to disk ", d->name, "current");
	while (fchmod(d->cur, 0744) == -1)
		logdir_pause("set mode of ", d->name, "current");
}
