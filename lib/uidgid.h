/*
 * Accounts for setuidgid and envuidgid: looking one up in the password
 * database, and taking on its identity in the order that leaves no
 * privilege behind (gid, supplementary groups, uid), checked afterwards.
 */
#ifndef UIDGID_H
#define UIDGID_H

#include <sys/types.h>

enum {
	UIDGID_GROUPS = 1	/* the account's supplementary groups */
};

void	uidgid_lookup(const char *, uid_t *, gid_t *);
void	uidgid_apply(const char *, uid_t, gid_t, int);

#endif
