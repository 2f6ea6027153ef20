/*
 * envdir: run a program with its environment changed by the files of a
 * directory: each file (but dot-files) sets the variable it names to its
 * first line, trailing blanks removed and NUL bytes turned into newlines;
 * an empty file removes the variable. See envdir(8).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/exec.h"
#include "../lib/opt.h"
#include "../lib/stdfd.h"
#include "envdir.h"

#define USAGE "envdir DIR CHILD ..."

static struct {
	const char *dir;	/* as the user wrote it, for messages */
	struct line line;	/* the first line of the current file */
} g;

static void
die_file(const char *name)
{
	err_diesys(EXIT_TEMP, "unable to read ", g.dir, "/", name, (char *)0);
}

static void
setvar(int dfd, const char *name)
{
	ssize_t r;
	int fd;

	if (strchr(name, '=') != NULL)
		err_die(EXIT_USAGE, "unable to use ", g.dir, "/", name,
		    ": file name contains =", (char *)0);
	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		die_file(name);
	r = line_first(fd, &g.line);
	if (r == -2)
		die_file(name);
	close(fd);
	if (r == -1) {
		if (unsetenv(name) == -1)
			err_diesys(EXIT_TEMP, "unable to unset $", name,
			    (char *)0);
		return;
	}
	line_value(g.line.buf, (size_t)r);
	if (setenv(name, g.line.buf, 1) == -1)
		err_diesys(EXIT_TEMP, "unable to set $", name, (char *)0);
}

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	struct dirent *d;
	DIR *dir;
	int dfd;

	err_setprog(argv[0]);
	stdfd_ensure();
	while (opt_get(&o, argc, argv, "") != -1)
		err_usage(USAGE);
	if (argc - o.ind < 2)
		err_usage(USAGE);
	g.dir = argv[o.ind];

	/* daemontools' words: it chdir(2)s there. */
	dfd = open(g.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1)
		err_diesys(EXIT_TEMP, "unable to switch to directory ", g.dir,
		    (char *)0);
	if ((dir = fdopendir(dfd)) == NULL)
		err_diesys(EXIT_TEMP, "unable to read directory ", g.dir,
		    (char *)0);
	for (;;) {
		errno = 0;
		d = readdir(dir);
		if (d == NULL)
			break;
		if (d->d_name[0] != '.')
			setvar(dfd, d->d_name);
	}
	if (errno != 0)
		err_diesys(EXIT_TEMP, "unable to read directory ", g.dir,
		    (char *)0);
	closedir(dir);
	free(g.line.buf);
	exec_or_die(argv + o.ind + 1);
}
