/*
 * libFuzzer harness for multilog's script parser (multilog/script.c): the
 * input is split at NUL bytes into actions; any script is either refused
 * with a reason naming one of its actions, or parsed into actions and
 * directories that respect the limits of multilog(8).
 */
// sources: multilog/script.c
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../multilog/multilog.h"

#define MAXARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* script.c's script_open needs it; the harness never opens anything. */
void
logdir_open(struct logdir *d)
{
	(void)d;
	abort();
}

static void
check(const struct script *sc, int argc, char **argv)
{
	size_t i, ndir = 0;

	if (sc->nact > (size_t)argc || sc->ndir > sc->nact)
		abort();
	if (sc->stamp != 0 && sc->stamp != 't' && sc->stamp != 'T')
		abort();
	if (sc->stamp != 0 && argv[0][0] != sc->stamp)
		abort();
	for (i = 0; i < sc->nact; i++) {
		const struct action *a = &sc->act[i];

		if (strchr("+-e=./", a->arg[-1]) == NULL)
			abort();
		if (a->type != ACT_DIR)
			continue;
		if (a->dir != &sc->dir[ndir++])
			abort();
		if (a->dir->size < ML_SIZE_MIN || a->dir->size > ML_SIZE_MAX ||
		    a->dir->num < 2 || a->dir->name != a->arg - 1)
			abort();
	}
	if (ndir != sc->ndir)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *argv[MAXARGS + 1], *s, *end;
	struct script sc;
	int argc = 0, i;

	if (len == 0)
		return 0;
	/* One copy, NUL-terminated, cut into arguments at each NUL. */
	s = malloc(len + 1);
	memcpy(s, data, len);
	s[len] = '\0';
	end = s + len;
	while (s <= end && argc < MAXARGS) {
		argv[argc++] = s;
		s += strlen(s) + 1;
	}
	argv[argc] = NULL;
	memset(&sc, 0, sizeof(sc));
	if (script_parse(&sc, argc, argv) == 0)
		check(&sc, argc, argv);
	else {
		for (i = 0; i < argc; i++)
			if (sc.bad == argv[i])
				break;
		if (i == argc || sc.why == NULL || *sc.why == '\0')
			abort();
	}
	free(sc.act);
	free(sc.dir);
	free(argv[0]);
	return 0;
}
