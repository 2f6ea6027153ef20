/*
 * Pack and unpack the status record; see status.h and servicedir(5).
 * Readers accept daemontools' 18 bytes, the 20 bytes of runit and
 * daemontools-encore (whose two extra bytes they interpret differently, so we
 * use neither), and our 40; any other length is "bad format".
 */
#include <errno.h>
#include <string.h>

#include "io.h"
#include "status.h"

static void
put32(char *b, uint32_t u)
{
	int i;

	for (i = 0; i < 4; i++)
		b[i] = (char)(u >> (8 * i));
}

static uint32_t
get32(const char *b)
{
	const unsigned char *u = (const unsigned char *)b;

	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 |
	    (uint32_t)u[3] << 24;
}

void
status_pack(char *b, const struct status *s)
{
	memset(b, 0, STATUS_SIZE);
	tai_pack(b, &s->stamp);
	put32(b + 12, s->pid);
	b[16] = s->paused ? 1 : 0;
	b[17] = s->want;
	b[18] = STATUS_VERSION;
	b[19] = (char)s->flags;
	if (s->ready.sec != 0)
		tai_pack(b + 20, &s->ready);
	put32(b + 32, s->wstatus);
	put32(b + 36, s->starts);
}

/* Returns 0, or -1 (errno EPROTO) for a record of a length we do not know. */
int
status_unpack(const char *b, size_t len, struct status *s)
{
	memset(s, 0, sizeof(*s));
	if (len != STATUS_DT_SIZE && len != 20 && len != STATUS_SIZE) {
		errno = EPROTO;
		return -1;
	}
	tai_unpack(b, &s->stamp);
	s->pid = get32(b + 12);
	s->paused = b[16] != 0;
	s->want = b[17];
	if (len == STATUS_SIZE && b[18] == STATUS_VERSION) {
		s->ext = 1;
		s->flags = (unsigned char)b[19];
		tai_unpack(b + 20, &s->ready);
		s->wstatus = get32(b + 32);
		s->starts = get32(b + 36);
	}
	return 0;
}

/* Reads supervise/status relative to the service directory's descriptor. */
int
status_read(int dirfd, struct status *s)
{
	char b[STATUS_SIZE + 1];
	ssize_t r;

	r = io_readfile(dirfd, "supervise/status", b, sizeof(b));
	if (r == -1)
		return -1;
	return status_unpack(b, (size_t)r, s);
}
