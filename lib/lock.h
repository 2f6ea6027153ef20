/*
 * Exclusive advisory locks, with flock(2) as daemontools uses them, so that
 * our supervise and daemontools' exclude each other on the same directory.
 */
#ifndef LOCK_H
#define LOCK_H

int	lock_ex(int);
int	lock_exnb(int);

#endif
