/*
 * svok: tell whether a supervise is running on a service directory, by
 * opening its supervise/ok FIFO for writing without blocking: the open
 * fails with ENXIO when nobody holds the FIFO open for reading. See svok(8).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/fifo.h"
#include "../lib/opt.h"

#define USAGE "svok DIR"

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	const char *dir;
	int dfd, fd;

	err_setprog(argv[0]);
	while (opt_get(&o, argc, argv, "") != -1)
		err_usage(USAGE);
	if (argc - o.ind != 1)
		err_usage(USAGE);
	dir = argv[o.ind];

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd == -1)
		err_diesys(EXIT_TEMP, "unable to open ", dir, (char *)0);
	fd = fifo_open_write(dfd, "supervise/ok");
	if (fd != -1)
		return 0;
	/* A directory never supervised has no ok FIFO: not running either. */
	if (errno == ENXIO || errno == ENOENT)
		return EXIT_USAGE;
	err_diesys(EXIT_TEMP, "unable to open ", dir, "/supervise/ok",
	    (char *)0);
}
