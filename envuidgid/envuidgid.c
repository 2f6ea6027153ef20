/*
 * envuidgid: run a program with $UID and $GID set to an account's uid and
 * primary gid, in decimal, for a later setuidgid-like step (multilog,
 * a daemon that drops privileges itself). See envuidgid(8).
 */
#include <sys/types.h>

#include <stdlib.h>

#include "../lib/err.h"
#include "../lib/exec.h"
#include "../lib/fmt.h"
#include "../lib/opt.h"
#include "../lib/stdfd.h"
#include "../lib/uidgid.h"

#define USAGE "envuidgid ACCOUNT CHILD ..."

static void
setnum(const char *name, unsigned long long u)
{
	char num[FMT_ULONG];

	num[fmt_ulong(num, u)] = '\0';
	if (setenv(name, num, 1) == -1)
		err_diesys(EXIT_TEMP, "unable to set $", name, (char *)0);
}

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	uid_t uid;
	gid_t gid;

	err_setprog(argv[0]);
	stdfd_ensure();
	while (opt_get(&o, argc, argv, "") != -1)
		err_usage(USAGE);
	if (argc - o.ind < 2)
		err_usage(USAGE);

	uidgid_lookup(argv[o.ind], &uid, &gid);
	setnum("UID", uid);
	setnum("GID", gid);
	exec_or_die(argv + o.ind + 1);
}
