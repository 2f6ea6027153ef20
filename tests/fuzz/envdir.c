/*
 * libFuzzer harness for envdir's file reader (envdir/line.c): any file
 * content gives its first line, cut at the first newline, with trailing
 * spaces and tabs removed and every NUL turned into a newline; an empty
 * file, and only that, asks for the variable to be removed.
 */
// sources: envdir/line.c
#include <sys/mman.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../envdir/envdir.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct line l = { NULL, 0 };
	const uint8_t *nl;
	size_t want, i, n;
	ssize_t r;
	int fd;

	fd = memfd_create("envdir", MFD_CLOEXEC);
	if (fd == -1 || write(fd, data, len) != (ssize_t)len ||
	    lseek(fd, 0, SEEK_SET) != 0)
		abort();
	r = line_first(fd, &l);
	close(fd);
	if (len == 0) {
		if (r != -1)
			abort();
		free(l.buf);
		return 0;
	}
	nl = memchr(data, '\n', len);
	want = nl ? (size_t)(nl - data) : len;
	if (r != (ssize_t)want || memcmp(l.buf, data, want) != 0)
		abort();
	n = line_value(l.buf, want);
	while (want > 0 && (data[want - 1] == ' ' || data[want - 1] == '\t'))
		want--;
	if (n != want || l.buf[n] != '\0')
		abort();
	for (i = 0; i < n; i++)
		if (l.buf[i] != (data[i] == '\0' ? '\n' : (char)data[i]))
			abort();
	free(l.buf);
	return 0;
}
