/*
 * envdir's file reader (line.c), apart from main so that a fuzzing harness
 * can link it: the first line of a file, however long, and the rules that
 * turn it into a value. See envdir(8).
 */
#ifndef ENVDIR_H
#define ENVDIR_H

#include <sys/types.h>

#include <stddef.h>

struct line {
	char *buf;
	size_t size;
};

ssize_t	line_first(int, struct line *);
size_t	line_value(char *, size_t);

#endif
