/*
 * svok: tell whether a supervise is running on a service directory, by
 * opening its supervise/ok FIFO for writing without blocking: the open
 * fails with ENXIO when nobody holds the FIFO open for reading. See svok(8).
 */
#include "../lib/err.h"
#include "../lib/opt.h"
#include "../lib/stdfd.h"
#include "../lib/svdir.h"

#define USAGE "svok DIR"

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	const char *dir;
	int dfd, r;

	err_setprog(argv[0]);
	stdfd_ensure();
	while (opt_get(&o, argc, argv, "") != -1)
		err_usage(USAGE);
	if (argc - o.ind != 1)
		err_usage(USAGE);
	dir = argv[o.ind];

	dfd = svdir_open(dir);
	if (dfd == -1)
		err_diesys(EXIT_TEMP, "unable to chdir to ", dir, (char *)0);
	/* A directory never supervised has no ok FIFO: not running either. */
	r = svdir_running(dfd);
	if (r == 1)
		return 0;
	if (r == 0)
		return EXIT_USAGE;
	err_diesys(EXIT_TEMP, "unable to open ", dir, "/supervise/ok",
	    (char *)0);
}
