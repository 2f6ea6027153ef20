/*
 * setuidgid: run a program under an account's uid and gid, with no
 * supplementary groups but the account's primary group (as daemontools),
 * or with -s the account's own supplementary groups. See setuidgid(8).
 */
#include <sys/types.h>

#include "../lib/err.h"
#include "../lib/exec.h"
#include "../lib/opt.h"
#include "../lib/stdfd.h"
#include "../lib/uidgid.h"

#define USAGE "setuidgid [-s] ACCOUNT CHILD ..."

int
main(int argc, char **argv)
{
	struct opt o = OPT_INIT;
	int c, flags = 0;
	uid_t uid;
	gid_t gid;

	err_setprog(argv[0]);
	stdfd_ensure();
	while ((c = opt_get(&o, argc, argv, "s")) != -1)
		switch (c) {
		case 's':
			flags |= UIDGID_GROUPS;
			break;
		default:
			err_usage(USAGE);
		}
	if (argc - o.ind < 2)
		err_usage(USAGE);

	uidgid_lookup(argv[o.ind], &uid, &gid);
	uidgid_apply(argv[o.ind], uid, gid, flags);
	exec_or_die(argv + o.ind + 1);
}
