/*
 * restart-limit "COUNT SECONDS": a service whose ./run has exited COUNT
 * times within a sliding window of SECONDS seconds is given up on, made
 * wanted down, and flagged in the status, instead of being restarted once
 * a second for ever. The window is the times of the last COUNT counted
 * exits, in a ring. See supervise(8), "Restart limit".
 */
#include <stdlib.h>

#include "../lib/err.h"
#include "../lib/tai.h"
#include "supervise.h"

/*
 * An exit that follows a command (d, t, k, ...) is the command's doing,
 * not a crash, unless ./run had been up for less than this: a service
 * that cannot even stay up a second is broken however it was stopped.
 */
#define LIMIT_MINUP 1000	/* ms */

static struct {
	int64_t *at;		/* mono ms of the last counted exits, a ring */
	unsigned size;		/* of at[], the COUNT it was made for */
	unsigned n;		/* exits in at[] */
	unsigned next;		/* where the next one goes */
} win;

/* svc -u or -o: a fresh window. */
void
limit_reset(void)
{
	win.n = win.next = 0;
	sv.gaveup = 0;
}

/*
 * ./run exited after running ran ms; commanded tells whether a command
 * had asked it to stop. Returns 1 when this exit reaches the limit.
 */
int
limit_exit(int64_t now, int64_t ran, int commanded)
{
	unsigned count, secs, i, inwin;
	int64_t *p;

	if (files_restartlimit(&count, &secs) != 1) {
		limit_reset();
		return 0;
	}
	if (commanded && ran >= LIMIT_MINUP)
		return 0;
	if (win.size != count) {
		p = realloc(win.at, count * sizeof(*p));
		if (p == NULL) {
			err_warnsys("unable to track ", sv.dir,
			    "/restart-limit", (char *)0);
			return 0;
		}
		win.at = p;
		win.size = count;
		win.n = win.next = 0;
	}
	win.at[win.next] = now;
	win.next = (win.next + 1) % win.size;
	if (win.n < win.size)
		win.n++;
	inwin = 0;
	for (i = 0; i < win.n; i++)
		if (now - win.at[i] < (int64_t)secs * 1000)
			inwin++;
	return inwin >= count;
}
