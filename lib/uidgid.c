/*
 * Account lookup and the identity change of setuidgid(8); see uidgid.h.
 * Both functions end the program with the toolkit's message on failure,
 * as exec_or_die does: their callers have nothing to clean up.
 */
#include <sys/types.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <unistd.h>

#include "err.h"
#include "fmt.h"
#include "uidgid.h"

/*
 * Looks account up; an unknown account is a permanent failure (100), a
 * database that cannot be read a temporary one (111). getpwnam returns
 * null with errno 0, ENOENT, ESRCH, EBADF or EPERM for "no such entry",
 * depending on the libc and the name service.
 */
void
uidgid_lookup(const char *account, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	errno = 0;
	pw = getpwnam(account);
	if (pw == NULL) {
		if (errno == 0 || errno == ENOENT || errno == ESRCH ||
		    errno == EBADF || errno == EPERM)
			err_die(EXIT_USAGE, "unknown account ", account,
			    (char *)0);
		err_diesys(EXIT_TEMP, "unable to look up account ", account,
		    (char *)0);
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
}

/*
 * The group list to set: just the primary group, as daemontools does, or
 * with UIDGID_GROUPS the account's groups from the group database (which
 * include the primary one). Returns a malloc'd list and its length in *n.
 */
static gid_t *
grouplist(const char *account, gid_t gid, int flags, int *n)
{
	gid_t *list;
	long max;
	int want;

	max = sysconf(_SC_NGROUPS_MAX);
	want = (max > 0 && max < 65536) ? (int)max + 1 : 65537;
	if ((flags & UIDGID_GROUPS) == 0)
		want = 1;
	for (;;) {
		list = malloc((size_t)want * sizeof(gid_t));
		if (list == NULL)
			err_diesys(EXIT_TEMP, "unable to allocate groups of ",
			    account, (char *)0);
		list[0] = gid;
		*n = want;
		if ((flags & UIDGID_GROUPS) == 0 ||
		    getgrouplist(account, gid, list, n) != -1)
			return list;
		free(list);
		if (*n <= want)
			err_die(EXIT_TEMP, "unable to read groups of ",
			    account, (char *)0);
		want = *n;
	}
}

/* Whether the process's groups are now exactly those of list. */
static int
samegroups(const gid_t *list, int n)
{
	gid_t *got;
	int i, j, k, ok;

	k = getgroups(0, NULL);
	if (k == -1)
		return 0;
	got = malloc(((size_t)k + 1) * sizeof(gid_t));
	if (got == NULL || getgroups(k, got) != k) {
		free(got);
		return 0;
	}
	ok = 1;
	for (i = 0; i < k && ok; i++) {
		for (j = 0; j < n && list[j] != got[i]; j++)
			;
		ok = j < n;
	}
	free(got);
	return ok;
}

static void
checkid(const char *what, unsigned long long want, unsigned long long real,
    unsigned long long eff)
{
	char num[FMT_ULONG];

	if (real == want && eff == want)
		return;
	num[fmt_ulong(num, real == want ? eff : real)] = '\0';
	err_die(EXIT_TEMP, "unable to drop privileges: ", what, " is still ",
	    num, (char *)0);
}

/*
 * Sets the gid, the groups, then the uid: once the uid is gone the other
 * two could no longer be changed. Then checks that all three took, and
 * that the old identity cannot be taken back, so that a setuid that
 * failed without saying so never runs the child as root.
 */
void
uidgid_apply(const char *account, uid_t uid, gid_t gid, int flags)
{
	gid_t *list;
	int n;

	/* daemontools' words: "unable to setgid: permission denied". */
	if (setgid(gid) == -1)
		err_diesys(EXIT_TEMP, "unable to setgid", (char *)0);
	list = grouplist(account, gid, flags, &n);
	if (setgroups((size_t)n, list) == -1)
		err_diesys(EXIT_TEMP, "unable to setgroups for ", account,
		    (char *)0);
	if (!samegroups(list, n))
		err_die(EXIT_TEMP, "unable to drop privileges: ",
		    "supplementary groups did not change", (char *)0);
	free(list);
	if (setuid(uid) == -1)
		err_diesys(EXIT_TEMP, "unable to setuid", (char *)0);
	checkid("gid", gid, getgid(), getegid());
	checkid("uid", uid, getuid(), geteuid());
	if (uid != 0 && setuid(0) != -1)
		err_die(EXIT_TEMP, "unable to drop privileges: ",
		    "setuid(0) still succeeds", (char *)0);
}
