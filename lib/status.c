/*
 * Pack and unpack the status record; see status.h and servicedir(5).
 *
 *	0  12 TAI64N of the last start or exit     } daemontools'
 *	12  4 pid, little-endian, 0 when down      }
 *	16  1 paused    17  1 want 'u' 'd' or 0    }
 *	18  1 got TERM  19  1 run state            } runit's
 *	20  1 version 2 21  1 flags  22  2 zero    } ours
 *	24 12 ready time, 36 4 wait status, 40 4 starts
 *
 * Version 1 (40 bytes, earlier builds) had the version at 18, the flags at
 * 19 (4: finish running) and the rest 4 bytes earlier. daemontools-encore
 * also writes 20 bytes, with other meanings for the last two: a 20-byte
 * record is read as runit's, which is what the sizes say for ours.
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
	b[18] = s->termsent ? 1 : 0;
	b[19] = (char)s->runstate;
	b[20] = STATUS_VERSION;
	b[21] = (char)(s->flags & ~STATUS_FINISH);
	if (s->ready.sec != 0)
		tai_pack(b + 24, &s->ready);
	put32(b + 36, s->wstatus);
	put32(b + 40, s->starts);
}

static void
unpack_ext(const char *b, struct status *s, unsigned flags)
{
	s->ext = 1;
	s->flags = flags;
	tai_unpack(b, &s->ready);
	s->wstatus = get32(b + 12);
	s->starts = get32(b + 16);
}

/*
 * Returns 0, or -1 (errno EPROTO) for a record of a length we do not know.
 * Every kind gets runstate and FINISH filled in, so readers need not care
 * which kind they read; a v1 or v2 length with another version byte is
 * read as daemontools' 18 bytes.
 */
int
status_unpack(const char *b, size_t len, struct status *s)
{
	memset(s, 0, sizeof(*s));
	if (len != STATUS_DT_SIZE && len != STATUS_RUNIT_SIZE &&
	    len != STATUS_V1_SIZE && len != STATUS_SIZE) {
		errno = EPROTO;
		return -1;
	}
	tai_unpack(b, &s->stamp);
	s->pid = get32(b + 12);
	s->paused = b[16] != 0;
	s->want = b[17];
	s->kind = STATUS_DT;
	if (len == STATUS_V1_SIZE && b[18] == 1) {
		s->kind = STATUS_V1;
		unpack_ext(b + 20, s, (unsigned char)b[19]);
	} else if (len == STATUS_SIZE && b[20] == STATUS_VERSION) {
		s->kind = STATUS_V2;
		unpack_ext(b + 24, s, (unsigned char)b[21]);
	} else if (len == STATUS_RUNIT_SIZE)
		s->kind = STATUS_RUNIT;
	if (s->kind == STATUS_RUNIT || s->kind == STATUS_V2) {
		s->termsent = b[18];
		s->runstate = (unsigned char)b[19];
		if (s->runstate == STATUS_FINISHING)
			s->flags |= STATUS_FINISH;
	} else
		s->runstate = s->pid != 0 ? STATUS_RUN :
		    (s->flags & STATUS_FINISH) ? STATUS_FINISHING :
		    STATUS_DOWN;
	return 0;
}

/*
 * A record of the right length can still be garbage: the time must be a
 * TAI64 label (top bits 01), want one of 'u', 'd' or 0, runit's bytes 0
 * or 1 and a state up to 2, flags known, a ready time with the ready flag
 * and only then.
 */
int
status_plausible(const struct status *s)
{
	if (s->stamp.sec >> 62 != 1 || s->stamp.nano >= 1000000000)
		return 0;
	if (s->want != 'u' && s->want != 'd' && s->want != 0)
		return 0;
	if ((unsigned)s->termsent > 1 || (unsigned)s->runstate > 2)
		return 0;
	if (!s->ext)
		return 1;
	if (s->flags >= 64 || (s->ready.sec != 0 &&
	    (s->ready.sec >> 62 != 1 || s->ready.nano >= 1000000000)))
		return 0;
	if ((s->flags & STATUS_READY) && s->ready.sec == 0)
		return 0;
	return 1;
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
