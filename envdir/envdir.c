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
#include "../lib/io.h"
#include "../lib/opt.h"

#define USAGE "envdir DIR CHILD ..."

static struct {
	const char *dir;	/* as the user wrote it, for messages */
	char *buf;		/* the first line of the current file */
	size_t size;
} g;

static void
die_file(const char *name)
{
	err_diesys(EXIT_TEMP, "unable to read ", g.dir, "/", name, (char *)0);
}

/*
 * Reads the first line of name (without its newline) into g.buf, however
 * long. Returns its length, or -1 for an empty file.
 */
static ssize_t
firstline(int dfd, const char *name)
{
	size_t len = 0;
	ssize_t r;
	char *nl;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		die_file(name);
	for (;;) {
		if (g.size - len < 4096) {
			g.size = g.size * 2 + 4096;
			g.buf = realloc(g.buf, g.size);
			if (g.buf == NULL)
				die_file(name);
		}
		r = io_read(fd, g.buf + len, g.size - len - 1);
		if (r == -1)
			die_file(name);
		if (r == 0)
			break;
		nl = memchr(g.buf + len, '\n', (size_t)r);
		if (nl != NULL) {
			len = (size_t)(nl - g.buf);
			close(fd);
			return (ssize_t)len;
		}
		len += (size_t)r;
	}
	close(fd);
	return len == 0 ? -1 : (ssize_t)len;
}

static void
setvar(int dfd, const char *name)
{
	ssize_t r;
	size_t len, i;

	if (strchr(name, '=') != NULL)
		err_die(EXIT_USAGE, "unable to use ", g.dir, "/", name,
		    ": file name contains =", (char *)0);
	r = firstline(dfd, name);
	if (r == -1) {
		if (unsetenv(name) == -1)
			err_diesys(EXIT_TEMP, "unable to unset $", name,
			    (char *)0);
		return;
	}
	len = (size_t)r;
	while (len > 0 && (g.buf[len - 1] == ' ' || g.buf[len - 1] == '\t'))
		len--;
	for (i = 0; i < len; i++)
		if (g.buf[i] == '\0')
			g.buf[i] = '\n';
	g.buf[len] = '\0';
	if (setenv(name, g.buf, 1) == -1)
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
	while (opt_get(&o, argc, argv, "") != -1)
		err_usage(USAGE);
	if (argc - o.ind < 2)
		err_usage(USAGE);
	g.dir = argv[o.ind];

	dfd = open(g.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1 || (dir = fdopendir(dfd)) == NULL)
		err_diesys(EXIT_TEMP, "unable to open ", g.dir, (char *)0);
	for (;;) {
		errno = 0;
		d = readdir(dir);
		if (d == NULL)
			break;
		if (d->d_name[0] != '.')
			setvar(dfd, d->d_name);
	}
	if (errno != 0)
		err_diesys(EXIT_TEMP, "unable to read ", g.dir, (char *)0);
	closedir(dir);
	free(g.buf);
	exec_or_die(argv + o.ind + 1);
}
