/*
 * The writer of the log-integrity scenario: `lines TOTAL STEP CTL`.
 * Every byte read from the FIFO CTL makes it write the next STEP numbered
 * lines ("1\n", "2\n", ...) to stdout, so the harness decides when the lines
 * flow and can kill the logger in the middle of a burst. After TOTAL lines
 * it sleeps forever: it must not exit, or its supervisor would start it
 * again and the numbers would repeat.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static char buf[4096];
static size_t len;

static void
flush(void)
{
	size_t off = 0;
	ssize_t w;

	while (off < len) {
		w = write(1, buf + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			_exit(111);
		}
		off += (size_t)w;
	}
	len = 0;
}

static void
line(unsigned long n)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	tmp[--i] = '\n';
	do {
		tmp[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	if (len + sizeof(tmp) - i > sizeof(buf))
		flush();
	while (i < sizeof(tmp))
		buf[len++] = tmp[i++];
}

int
main(int argc, char **argv)
{
	unsigned long total, step, n = 0, k;
	ssize_t r;
	char c;
	int fd;

	if (argc != 4)
		return 100;
	total = strtoul(argv[1], 0, 10);
	step = strtoul(argv[2], 0, 10);
	fd = open(argv[3], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 111;
	while (n < total) {
		r = read(fd, &c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r != 1)
			return 111;
		for (k = 0; k < step && n < total; k++)
			line(++n);
		flush();
	}
	for (;;)
		pause();
}
