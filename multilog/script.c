/*
 * multilog's script (multilog(8)): one action per argument, checked in
 * full before any input is read. Unlike daemontools, which ignores unknown
 * actions and quietly clamps s and n, a bad script is a usage error (100):
 * a typo in a run script should not silently lose logs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "../lib/err.h"
#include "../lib/fmt.h"
#include "multilog.h"

/* The number after arg's letter, or -1 when it is not in [min, max]. */
static long long
number(const char *arg, unsigned long min, unsigned long max)
{
	unsigned long long u;

	if (fmt_scanu(arg + 1, max, &u) == -1 || u < min)
		return -1;
	return (long long)u;
}

/* Records why arg is bad, for the caller to report. */
static int
bad(struct script *sc, const char *arg, const char *why)
{
	sc->bad = arg;
	sc->why = why;
	return -1;
}

static void *
alloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		err_diesys(EXIT_TEMP, "unable to allocate memory", (char *)0);
	return p;
}

/*
 * Fills sc from the actions in argv[0..argc). Returns 0, or -1 with the
 * bad action and the reason in sc->bad and sc->why.
 */
int
script_parse(struct script *sc, int argc, char **argv)
{
	unsigned long size = ML_SIZE_DEF, num = ML_NUM_DEF;
	long long u;
	const char *proc = NULL;
	struct action *a;
	struct logdir *d;
	int i;

	sc->act = alloc((size_t)argc, sizeof(*sc->act));
	sc->dir = alloc((size_t)argc, sizeof(*sc->dir));
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		a = &sc->act[sc->nact];
		switch (arg[0]) {
		case 't':
		case 'T':
			if (i != 0 || arg[1] != '\0')
				return bad(sc, arg,
				    "t and T must be the first action");
			sc->stamp = arg[0];
			continue;
		case 's':
			if ((u = number(arg, ML_SIZE_MIN, ML_SIZE_MAX)) == -1)
				return bad(sc, arg,
				    "size must be between 4096 and 16777215");
			size = (unsigned long)u;
			continue;
		case 'n':
			if ((u = number(arg, 2, 1000000000)) == -1)
				return bad(sc, arg, "number must be at least 2");
			num = (unsigned long)u;
			continue;
		case '!':
			proc = arg + 1;
			continue;
		case '+':
		case '-':
			a->type = arg[0] == '+' ? ACT_SELECT : ACT_DESELECT;
			break;
		case 'e':
			if (arg[1] != '\0')
				goto unknown;
			a->type = ACT_ALERT;
			break;
		case '=':
			a->type = ACT_STATUS;
			break;
		case '.':
		case '/':
			a->type = ACT_DIR;
			d = a->dir = &sc->dir[sc->ndir++];
			d->name = arg;
			d->size = size;
			d->num = num;
			d->processor = proc;
			break;
		default:
		unknown:
			return bad(sc, arg, "unknown action");
		}
		a->arg = arg + 1;
		sc->nact++;
	}
	return 0;
}

/*
 * Opens the =files and locks the directories, in script order; any trouble
 * here is fatal (111) because no input has been read yet. logdir_start
 * then readies each directory, once the journal is dealt with.
 */
void
script_open(struct script *sc)
{
	struct action *a;
	size_t i;

	for (i = 0; i < sc->nact; i++) {
		a = &sc->act[i];
		if (a->type == ACT_STATUS) {
			a->fd = open(a->arg, O_WRONLY | O_CREAT | O_CLOEXEC |
			    O_NOCTTY, 0600);
			if (a->fd == -1)
				err_diesys(EXIT_TEMP, "unable to open ",
				    a->arg, (char *)0);
		} else if (a->type == ACT_DIR)
			logdir_open(a->dir);
	}
}
