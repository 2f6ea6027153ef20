/*
 * envdir's file reader: the first line of a file (without its newline),
 * then its value: trailing spaces and tabs removed, NUL bytes turned into
 * newlines. See envdir(8).
 */
#include <stdlib.h>
#include <string.h>

#include "../lib/io.h"
#include "envdir.h"

/*
 * Reads the first line of fd into l->buf, growing it as needed, with room
 * for a final NUL. Returns its length, -1 for an empty file, -2 on error
 * (errno set).
 */
ssize_t
line_first(int fd, struct line *l)
{
	size_t len = 0;
	ssize_t r;
	char *nl, *p;

	for (;;) {
		if (l->size - len < 4096) {
			p = realloc(l->buf, l->size * 2 + 4096);
			if (p == NULL)
				return -2;
			l->buf = p;
			l->size = l->size * 2 + 4096;
		}
		r = io_read(fd, l->buf + len, l->size - len - 1);
		if (r == -1)
			return -2;
		if (r == 0)
			break;
		nl = memchr(l->buf + len, '\n', (size_t)r);
		if (nl != NULL)
			return nl - l->buf;
		len += (size_t)r;
	}
	return len == 0 ? -1 : (ssize_t)len;
}

/*
 * Turns the line buf[0..len) into a value in place, NUL-terminated;
 * buf has room for len + 1 bytes. Returns the value's length.
 */
size_t
line_value(char *buf, size_t len)
{
	size_t i;

	while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	for (i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = '\n';
	buf[len] = '\0';
	return len;
}
