/*
 * softlimit: run a program with soft resource limits set: each option
 * sets one limit (-m four of them) to a number or, with "=", to the hard
 * limit; a number above the hard limit is clamped to it, since only root
 * could raise the hard limit and a soft limit may not exceed it. Options
 * are applied in order, so a later one wins. See softlimit(8).
 */
#include <sys/resource.h>

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "../lib/err.h"
#include "../lib/exec.h"
#include "../lib/fmt.h"
#include "../lib/opt.h"
#include "../lib/stdfd.h"

#define USAGE "softlimit [-a allbytes] [-c corebytes] [-d databytes] " \
	"[-f filebytes] [-l lockbytes] [-m membytes] [-o openfiles] " \
	"[-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] " \
	"CHILD ..."

/*
 * Option letters and their resources. A resource this platform lacks is
 * left out of the table, so its letter is accepted and does nothing,
 * as in daemontools.
 */
static const struct limit {
	char opt;
	int res;
} limits[] = {
#ifdef RLIMIT_AS
	{ 'a', RLIMIT_AS },
#elif defined(RLIMIT_VMEM)
	{ 'a', RLIMIT_VMEM },
#endif
	{ 'c', RLIMIT_CORE },
	{ 'd', RLIMIT_DATA },
	{ 'f', RLIMIT_FSIZE },
#ifdef RLIMIT_MEMLOCK
	{ 'l', RLIMIT_MEMLOCK },
#endif
	{ 'o', RLIMIT_NOFILE },
#ifdef RLIMIT_NPROC
	{ 'p', RLIMIT_NPROC },
#endif
#ifdef RLIMIT_RSS
	{ 'r', RLIMIT_RSS },
#endif
	{ 's', RLIMIT_STACK },
	{ 't', RLIMIT_CPU }
};

/* Sets the soft limit of option letter c; value is checked already. */
static void
setsoft(char c, const char *value, unsigned long long n)
{
	struct rlimit r;
	size_t i;
	char opt[3] = { '-', c, '\0' };

	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++)
		if (limits[i].opt == c)
			break;
	if (i == sizeof(limits) / sizeof(limits[0]))
		return;
	if (getrlimit(limits[i].res, &r) == -1)
		err_diesys(EXIT_TEMP, "unable to get limit ", opt, (char *)0);
	if (strcmp(value, "=") == 0 || (r.rlim_max != RLIM_INFINITY &&
	    n > (unsigned long long)r.rlim_max))
		r.rlim_cur = r.rlim_max;
	else if (n >= (unsigned long long)RLIM_INFINITY)
		r.rlim_cur = r.rlim_max;
	else
		r.rlim_cur = (rlim_t)n;
	if (setrlimit(limits[i].res, &r) == -1)
		err_diesys(EXIT_TEMP, "unable to set limit ", opt, " to ",
		    value, (char *)0);
}

/*
 * Parses value: "=", or a decimal number; a number too large for any
 * type is clamped like any number above the hard limit.
 */
static unsigned long long
parse(char c, const char *value)
{
	unsigned long long n = 0;
	char opt[3] = { '-', c, '\0' };

	if (strcmp(value, "=") == 0)
		return 0;
	if (fmt_scanu(value, ULLONG_MAX, &n) == -1) {
		if (errno != ERANGE)
			err_die(EXIT_USAGE, "invalid value for ", opt, ": ",
			    value, (char *)0);
		n = ULLONG_MAX;
	}
	return n;
}

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	unsigned long long n;
	int c;

	err_setprog(argv[0]);
	stdfd_ensure();
	while ((c = opt_get(&o, argc, argv, "a:c:d:f:l:m:o:p:r:s:t:")) != -1) {
		if (c == '?')
			err_usage(USAGE);
		n = parse((char)c, o.arg);
		if (c != 'm') {
			setsoft((char)c, o.arg, n);
			continue;
		}
		setsoft('a', o.arg, n);
		setsoft('d', o.arg, n);
		setsoft('s', o.arg, n);
		setsoft('l', o.arg, n);
	}
	if (argc - o.ind < 1)
		err_usage(USAGE);
	exec_or_die(argv + o.ind);
}
