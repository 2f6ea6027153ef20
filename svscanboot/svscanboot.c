/*
 * svscanboot: the boot entry of the toolkit. Runs svscan on a scan
 * directory (default /service) with a clean environment and a sane PATH,
 * its output piped into readproctitle so that the latest errors show in
 * ps. svscanboot becomes svscan (exec), so init's signals reach svscan
 * itself. See svscanboot(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/exec.h"
#include "../lib/sig.h"
#include "../lib/stdfd.h"

#define USAGE "svscanboot [DIR]"
#define SANEPATH "/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin"
#define DOTS 400

static char pathvar[PATH_MAX + sizeof(SANEPATH) + 8];

/*
 * The directory this program was run from, absolute, so that svscan,
 * supervise and readproctitle of the same installation come first
 * whatever the PREFIX. Searched in the caller's PATH when argv[0] has no
 * slash. Empty when it cannot be found.
 */
static void
selfdir(const char *argv0, char *dir, size_t size)
{
	const char *p, *e, *slash;
	size_t n;

	dir[0] = '\0';
	slash = strrchr(argv0, '/');
	if (slash != NULL) {
		if (argv0[0] != '/') {
			if (getcwd(dir, size) == NULL)
				return;
			n = strlen(dir);
			if (n + 1 + (size_t)(slash - argv0) >= size)
				goto none;
			dir[n++] = '/';
			memcpy(dir + n, argv0, (size_t)(slash - argv0));
			dir[n + (size_t)(slash - argv0)] = '\0';
		} else if ((size_t)(slash - argv0) < size) {
			memcpy(dir, argv0, (size_t)(slash - argv0));
			dir[slash - argv0] = '\0';
		}
		return;
	}
	p = getenv("PATH");
	for (; p != NULL && *p != '\0'; p = *e ? e + 1 : e) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		if (n == 0 || p[0] != '/' || n + strlen(argv0) + 2 > size)
			continue;
		memcpy(dir, p, n);
		dir[n] = '/';
		strcpy(dir + n + 1, argv0);
		if (access(dir, X_OK) == 0) {
			dir[n] = '\0';
			return;
		}
	}
none:
	dir[0] = '\0';
}

static void
setpath(const char *argv0)
{
	char dir[PATH_MAX];
	size_t n;

	selfdir(argv0, dir, sizeof(dir));
	n = strlen(dir);
	memcpy(pathvar, "PATH=", 5);
	memcpy(pathvar + 5, dir, n);
	if (n > 0)
		pathvar[5 + n++] = ':';
	memcpy(pathvar + 5 + n, SANEPATH, sizeof(SANEPATH));
}

/* The reader end of the pipe: readproctitle, with nothing else open. */
static void
readproctitle(int *pi, int null)
{
	static char rpt[] = "readproctitle", service[] = "service",
	    errors[] = "errors:";
	static char dots[DOTS + 1];
	char *argv[] = { rpt, service, errors, dots, NULL };

	memset(dots, '.', DOTS);
	if (dup2(pi[0], 0) == -1 || dup2(null, 1) == -1 || dup2(null, 2) == -1)
		_exit(EXIT_TEMP);
	close(pi[1]);
	exec_or_die(argv);
}

int
main(int argc, char **argv)
{
	static char svscan[] = "svscan", service[] = "/service";
	char *args[] = { svscan, service, NULL };
	int pi[2], null;

	err_setprog(argv[0]);
	stdfd_ensure();
	/* BSD init adds the ttys name as a last argument: ignore extras. */
	if (argc > 1 && argv[1][0] == '-')
		err_usage(USAGE);
	if (argc > 1)
		args[1] = argv[1];
	setpath(argv[0]);
	if (clearenv() != 0 || putenv(pathvar) != 0)
		err_diesys(EXIT_TEMP, "unable to set PATH", (char *)0);

	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null == -1)
		err_diesys(EXIT_TEMP, "unable to open /dev/null", (char *)0);
	if (pipe2(pi, O_CLOEXEC) == -1)
		err_diesys(EXIT_TEMP, "unable to create pipe", (char *)0);
	switch (fork()) {
	case -1:
		err_diesys(EXIT_TEMP, "unable to fork", (char *)0);
	case 0:
		sig_restore();
		readproctitle(pi, null);
	}
	if (dup2(null, 0) == -1 || dup2(pi[1], 1) == -1 ||
	    dup2(pi[1], 2) == -1)
		err_diesys(EXIT_TEMP, "unable to set up descriptors",
		    (char *)0);
	close(pi[0]);
	close(pi[1]);
	sig_restore();
	exec_or_die(args);
}
