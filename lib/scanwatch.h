/*
 * Being told at once when the entries of a directory change: inotify on
 * Linux; elsewhere scanwatch_open fails with ENOSYS and the caller falls
 * back to a rescan timer. Used by svscan(8).
 */
#ifndef SCANWATCH_H
#define SCANWATCH_H

int	scanwatch_open(const char *);
int	scanwatch_read(int);

#endif
