/*
 * Making sure descriptors 0, 1 and 2 are open (on /dev/null if they were
 * closed), so that no later pipe or file lands on them by accident; for
 * programs started by init, such as svscan and svscanboot.
 */
#ifndef STDFD_H
#define STDFD_H

int	stdfd_open(void);

#endif
