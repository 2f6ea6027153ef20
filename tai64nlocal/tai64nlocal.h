/*
 * tai64nlocal's conversion (conv.c), streaming: the caller feeds what it
 * read, and keeps the bytes conv_run did not use for the next call.
 */
#ifndef TAI64NLOCAL_H
#define TAI64NLOCAL_H

#include <stddef.h>
#include <stdint.h>

#include "../lib/out.h"

#define DATE_LEN 19	/* YYYY-MM-DD HH:MM:SS */

struct conv {
	int start;		/* the next byte starts a line */
	int have;		/* date[] is valid */
	int64_t sec;		/* the second date[] shows */
	char date[DATE_LEN];
};

#define CONV_INIT { 1, 0, 0, { 0 } }

size_t	conv_run(struct conv *, struct out *, const char *, size_t, int);

#endif
