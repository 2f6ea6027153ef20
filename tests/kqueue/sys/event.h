/*
 * FreeBSD's <sys/event.h>, the declarations lib/watch.c uses and nothing
 * else, so that its kqueue backend is at least compiled (and warned about)
 * on Linux, where there is no kqueue: tests/90-make.bats builds lib/watch.c
 * with -D__FreeBSD__ against this directory. Values from FreeBSD 14.
 */
#ifndef STUB_SYS_EVENT_H
#define STUB_SYS_EVENT_H

#include <stdint.h>
#include <time.h>

struct kevent {
	uintptr_t ident;
	short filter;
	unsigned short flags;
	unsigned int fflags;
	int64_t data;
	void *udata;
	uint64_t ext[4];
};

#define EVFILT_READ	(-1)
#define EVFILT_WRITE	(-2)
#define EVFILT_VNODE	(-4)

#define EV_ADD		0x0001
#define EV_DELETE	0x0002
#define EV_ENABLE	0x0004
#define EV_DISABLE	0x0008
#define EV_ONESHOT	0x0010
#define EV_CLEAR	0x0020
#define EV_ERROR	0x4000
#define EV_EOF		0x8000

#define NOTE_DELETE	0x0001
#define NOTE_WRITE	0x0002
#define NOTE_EXTEND	0x0004
#define NOTE_ATTRIB	0x0008
#define NOTE_LINK	0x0010
#define NOTE_RENAME	0x0020
#define NOTE_REVOKE	0x0040

#define EV_SET(kevp, a, b, c, d, e, f) do {	\
	struct kevent *ev_ = (kevp);		\
	ev_->ident = (a);			\
	ev_->filter = (b);			\
	ev_->flags = (c);			\
	ev_->fflags = (d);			\
	ev_->data = (e);			\
	ev_->udata = (f);			\
	ev_->ext[0] = ev_->ext[1] = ev_->ext[2] = ev_->ext[3] = 0; \
} while (0)

int	kqueue(void);
int	kevent(int, const struct kevent *, int, struct kevent *, int,
	    const struct timespec *);

#endif
