/*
 * Error messages: "prog: fatal: unable to VERB OBJECT: reason" on one line,
 * written with a single write(2) so that concurrent writers do not interleave.
 * Reasons are the strerror(3) text in lower case, except for a few errors that
 * daemontools spells its own way and that existing parsers look for.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"

const char *err_prog = "?";

void
err_setprog(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	err_prog = slash ? slash + 1 : argv0;
}

const char *
err_reason(int e)
{
	static const struct {
		int e;
		const char *s;
	} words[] = {
		{ ENOENT, "file does not exist" }, { EACCES, "access denied" },
		{ EPERM, "permission denied" }, { ENXIO, "device not configured" },
		{ EAGAIN, "temporary failure" }, { ELOOP, "symbolic link loop" },
		{ EEXIST, "file already exists" }, { ENOSPC, "out of disk space" },
		{ EMFILE, "process cannot open more files" },
		{ ENFILE, "system cannot open more files" },
		{ ENOMEM, "out of memory" }, { ETXTBSY, "text busy" },
		{ EBUSY, "device busy" }, { EROFS, "read-only file system" },
		{ EBADF, "file descriptor not open" },
		{ ESRCH, "no such process" }, { EPIPE, "broken pipe" },
		{ EIO, "input/output error" }, { ETIMEDOUT, "timed out" },
		{ ENODEV, "device does not support operation" },
		{ EXDEV, "cross-device link" }, { EFBIG, "file too big" },
		{ ENOTEMPTY, "directory not empty" },
		{ ENAMETOOLONG, "file name too long" },
		{ ENOEXEC, "exec format error" }, { EINTR, "interrupted system call" }
	};
	static char buf[128];
	const char *s;
	size_t i;

	/* daemontools' own words (its error_str), where it has them. */
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].e == e)
			return words[i].s;
	s = strerror(e);
	for (i = 0; s[i] != '\0' && i < sizeof(buf) - 1; i++)
		buf[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i];
	buf[i] = '\0';
	return buf;
}

static size_t
add(char *buf, size_t len, size_t size, const char *s)
{
	while (*s != '\0' && len < size - 1)
		buf[len++] = *s++;
	return len;
}

static void
say(const char *kind, const char *reason, const char *first, va_list ap)
{
	char buf[1024];
	size_t len = 0;
	const char *s;

	len = add(buf, len, sizeof(buf), err_prog);
	len = add(buf, len, sizeof(buf), ": ");
	len = add(buf, len, sizeof(buf), kind);
	for (s = first; s != NULL; s = va_arg(ap, const char *))
		len = add(buf, len, sizeof(buf), s);
	if (reason != NULL) {
		len = add(buf, len, sizeof(buf), ": ");
		len = add(buf, len, sizeof(buf), reason);
	}
	buf[len++] = '\n';
	(void)!write(2, buf, len);
}

void
err_warn(const char *first, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, first);
	say("warning: ", NULL, first, ap);
	va_end(ap);
	errno = e;
}

void
err_warnsys(const char *first, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, first);
	say("warning: ", err_reason(e), first, ap);
	va_end(ap);
	errno = e;
}

void
err_die(int code, const char *first, ...)
{
	va_list ap;

	va_start(ap, first);
	say("fatal: ", NULL, first, ap);
	va_end(ap);
	_exit(code);
}

void
err_diesys(int code, const char *first, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, first);
	say("fatal: ", err_reason(e), first, ap);
	va_end(ap);
	_exit(code);
}

void
err_usage(const char *usage)
{
	char buf[512];
	size_t len = 0;

	len = add(buf, len, sizeof(buf), err_prog);
	len = add(buf, len, sizeof(buf), ": usage: ");
	len = add(buf, len, sizeof(buf), usage);
	buf[len++] = '\n';
	(void)!write(2, buf, len);
	_exit(EXIT_USAGE);
}
