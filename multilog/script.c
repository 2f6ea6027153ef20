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

static unsigned long
number(const char *arg, unsigned long min, unsigned long max,
    const char *what)
{
	unsigned long long u;

	if (fmt_scanu(arg + 1, max, &u) == -1 || u < min)
		err_die(EXIT_USAGE, "invalid action ", arg, ": ", what,
		    (char *)0);
	return (unsigned long)u;
}

static void *
alloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		err_diesys(EXIT_TEMP, "unable to allocate memory", (char *)0);
	return p;
}

/* Fills sc from the actions in argv[0..argc). */
void
script_parse(struct script *sc, int argc, char **argv)
{
	unsigned long size = ML_SIZE_DEF, num = ML_NUM_DEF;
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
				err_die(EXIT_USAGE, "invalid action ", arg,
				    ": t and T must be the first action",
				    (char *)0);
			sc->stamp = arg[0];
			continue;
		case 's':
			size = number(arg, ML_SIZE_MIN, ML_SIZE_MAX,
			    "size must be between 4096 and 16777215");
			continue;
		case 'n':
			num = number(arg, 2, 1000000000,
			    "number must be at least 2");
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
			err_die(EXIT_USAGE, "invalid action ", arg,
			    ": unknown action", (char *)0);
		}
		a->arg = arg + 1;
		sc->nact++;
	}
}

/*
 * Opens the =files and the directories, in script order; any trouble here
 * is fatal (111) because no input has been read yet.
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
