/*
 * The control and ok FIFOs of supervise/: creation, and the non-blocking
 * open that tells whether a supervise is reading (ENXIO: nobody is).
 */
#ifndef FIFO_H
#define FIFO_H

#include <sys/types.h>

int	fifo_make(int, const char *, mode_t);
int	fifo_open_read(int, const char *);
int	fifo_open_write(int, const char *);

#endif
