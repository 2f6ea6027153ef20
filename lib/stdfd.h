/*
 * Making sure descriptors 0, 1 and 2 are open (on /dev/null if they were
 * closed), so that no later pipe or file lands on them by accident: a
 * supervise started with them closed once wrote its warnings into its own
 * control FIFO, which read them as commands. Every program calls
 * stdfd_ensure first thing, before it opens anything.
 */
#ifndef STDFD_H
#define STDFD_H

int	stdfd_open(void);
void	stdfd_ensure(void);

#endif
