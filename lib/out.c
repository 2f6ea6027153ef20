/*
 * Buffered output; see out.h. After the first write error further output
 * is dropped and out_flush returns -1 with that errno.
 */
#include <errno.h>
#include <string.h>

#include "fmt.h"
#include "io.h"
#include "out.h"

int
out_flush(struct out *o)
{
	if (o->err == 0 && o->len > 0 &&
	    io_writeall(o->fd, o->buf, o->len) == -1)
		o->err = errno;
	o->len = 0;
	if (o->err != 0) {
		errno = o->err;
		return -1;
	}
	return 0;
}

void
out_put(struct out *o, const char *s, size_t n)
{
	size_t room;

	while (n > 0) {
		if (o->len == o->size)
			out_flush(o);
		room = o->size - o->len;
		if (room > n)
			room = n;
		memcpy(o->buf + o->len, s, room);
		o->len += room;
		s += room;
		n -= room;
	}
}

void
out_puts(struct out *o, const char *s)
{
	out_put(o, s, strlen(s));
}

void
out_putc(struct out *o, char c)
{
	out_put(o, &c, 1);
}

void
out_putu(struct out *o, unsigned long long u)
{
	char buf[FMT_ULONG];

	out_put(o, buf, fmt_ulong(buf, u));
}
