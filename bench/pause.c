/*
 * The run program of every benchmark service: built with cc -static -O2 by
 * bench/run, so it costs what a tiny real service costs and nothing more.
 * It tells the harness it has exec'd by writing one byte to its stdout (the
 * harness holds the read end of that FIFO; a byte per start is the cheapest
 * signal that does not need /proc polling), then sleeps in pause(2) forever.
 * SIGHUP is ignored so that the `svc -h` timings leave it running; SIGTERM
 * keeps its default action.
 */
#include <signal.h>
#include <unistd.h>

int
main(void)
{
	signal(SIGHUP, SIG_IGN);
	(void)write(1, ".", 1);
	for (;;)
		pause();
}
