/*
 * readproctitle: shows the last bytes of its standard input in ps, by
 * writing them over the dots of its last argument, keeping the first three
 * dots, shifting older bytes out to the left, as daemontools does.
 * svscanboot(8) pipes svscan's errors into it. See readproctitle(8).
 */
#include <string.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/io.h"
#include "../lib/stdfd.h"

#define USAGE "readproctitle ARG... DOTS"
#define KEEP 3		/* dots left in place, so ps shows "...." */
#define MINDOTS 5

/*
 * Appends the bytes of b to the window t of n bytes, dropping the oldest;
 * NULs are left out, since ps would end the argument there.
 */
static void
shift(char *t, size_t n, const char *b, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != '\0') {
			memmove(t, t + 1, n - 1);
			t[n - 1] = b[i];
		}
}

int
main(int argc, char **argv)
{
	char buf[4096];
	char *dots;
	size_t len;
	ssize_t r;

	err_setprog(argv[0]);
	stdfd_ensure();
	/* No options: every argument but the last is only there for ps. */
	if (argc < 2)
		err_usage(USAGE);
	dots = argv[argc - 1];
	len = strlen(dots);
	if (len < MINDOTS || strspn(dots, ".") != len)
		err_usage(USAGE);

	for (;;) {
		r = io_read(0, buf, sizeof(buf));
		if (r == 0)
			return 0;
		if (r == -1)
			err_diesys(EXIT_TEMP, "unable to read input",
			    (char *)0);
		shift(dots + KEEP, len - KEEP, buf, (size_t)r);
	}
}
