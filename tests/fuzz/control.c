/*
 * libFuzzer harness for supervise's command reader (supervise/state.c,
 * sv_command) and its configuration files (supervise/files.c). The bytes
 * before the first NUL are written to down-signal, timeout-kill and
 * notification-fd, and read back: a signal from 1 to 64, a count of ms,
 * a descriptor from 3 to 1023 or -1, whatever the content. The bytes after
 * it (at most 64) are control bytes, given one by one to sv_command in a
 * temporary service directory; after each, supervise/status must decode
 * and say what supervise holds.
 *
 * No process is ever started or signalled: the service stays down, or
 * "finishing" with no ./finish pid, and the last start is "just now", so
 * the throttle keeps u and o from forking (state.c's spawn is not what this
 * tests). x is only given in the finishing state: when down, supervise
 * rightly exits at once, which would end the fuzzer.
 *
 * It works in a temporary directory, its cwd: give it the corpus and
 * -artifact_prefix as absolute paths (tests/fuzz/run does).
 */
// sources: supervise/state.c supervise/files.c supervise/check.c supervise/limit.c
#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../lib/err.h"
#include "../../lib/io.h"
#include "../../lib/status.h"
#include "../../lib/tai.h"
#include "../../supervise/supervise.h"

#define MAXCMDS 64

struct sv sv;
static char dir[64];

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
cleanup(void)
{
	static const char *const files[] = {
		"down-signal", "timeout-kill", "notification-fd",
		"supervise/status", "supervise/pid", "supervise/stat"
	};
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		unlink(files[i]);
	rmdir("supervise");
	if (chdir("/") == 0)
		rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	err_setprog("supervise");
	/* A tmpfs if there is one: each command renames three files. */
	strcpy(dir, "/dev/shm/fuzz-control.XXXXXX");
	if (mkdtemp(dir) == NULL)
		strcpy(dir, "/tmp/fuzz-control.XXXXXX");
	if ((dir[1] == 't' && mkdtemp(dir) == NULL) || chdir(dir) == -1 ||
	    mkdir("supervise", 0700) == -1)
		abort();
	atexit(cleanup);
	return 0;
}

static void
config(const uint8_t *data, size_t len)
{
	static const char *const names[] = {
		"down-signal", "timeout-kill", "notification-fd"
	};
	int64_t ms;
	size_t i;
	int n;

	for (i = 0; i < 3; i++)
		if (io_replace(AT_FDCWD, names[i], (const char *)data, len,
		    0644) == -1)
			abort();
	n = files_downsignal();
	if (n < 1 || n > 64)
		abort();
	ms = files_ms("timeout-kill", -7);
	if (ms != -7 && (ms < 0 || ms > (int64_t)1 << 40))
		abort();
	n = files_notifyfd();
	if (n != -1 && (n < 3 || n > 1023))
		abort();
}

static void
reset(enum sv_state state)
{
	memset(&sv, 0, sizeof(sv));
	sv.dir = "fuzz";
	sv.state = state;
	sv.notifyfd = -1;
	sv.delay = 1000;
	sv.laststart = mono_ms();
	sv.startat = sv.killat = sv.finishat = sv.rewriteat = -1;
	sv.pgkillat = sv.checkat = sv.checkkill = -1;
	sv.want = 'd';
	files_announce();
}

static void
check(void)
{
	struct status st;
	unsigned f;

	if (status_read(AT_FDCWD, &st) == -1 || !st.ext)
		abort();
	f = (sv.state == SV_FINISH ? STATUS_FINISH : 0) |
	    (sv.exitreq ? STATUS_EXITREQ : 0) | STATUS_NORMALLYUP;
	if (st.pid != 0 || st.paused || st.want != sv.want || st.flags != f)
		abort();
	if (sv.state != SV_FINISH && sv.startat != -1 &&
	    sv.startat != sv.laststart + sv.delay)
		abort();
}

static void
commands(const uint8_t *s, size_t len, enum sv_state state)
{
	size_t i;

	reset(state);
	for (i = 0; i < len && i < MAXCMDS; i++) {
		if (s[i] == 'x' && state != SV_FINISH)
			continue;
		sv_command((char)s[i]);
		check();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const uint8_t *nul = memchr(data, '\0', len);

	if (nul == NULL)
		return 0;
	config(data, (size_t)(nul - data));
	commands(nul + 1, len - (size_t)(nul - data) - 1, SV_DOWN);
	commands(nul + 1, len - (size_t)(nul - data) - 1, SV_FINISH);
	return 0;
}
