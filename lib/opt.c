/*
 * The option parser of every tool; see opt.h. Unlike getopt(3) it keeps no
 * global state and never reorders argv.
 */
#include <string.h>

#include "opt.h"

int
opt_get(struct opt *o, int argc, char *const *argv, const char *spec)
{
	const char *a, *p;
	int c;

	o->arg = NULL;
	if (o->pos == 0) {
		if (o->ind >= argc)
			return -1;
		a = argv[o->ind];
		if (a[0] != '-' || a[1] == '\0')
			return -1;
		if (a[1] == '-' && a[2] == '\0') {
			o->ind++;
			return -1;
		}
		o->pos = 1;
	}
	a = argv[o->ind];
	c = (unsigned char)a[o->pos++];
	p = (c == ':') ? NULL : strchr(spec, c);
	if (p == NULL) {
		o->bad = c;
		if (a[o->pos] == '\0') {
			o->ind++;
			o->pos = 0;
		}
		return '?';
	}
	if (p[1] == ':') {
		if (a[o->pos] != '\0')
			o->arg = a + o->pos;
		else if (o->ind + 1 < argc)
			o->arg = argv[++o->ind];
		else {
			o->bad = c;
			o->ind++;
			o->pos = 0;
			return '?';
		}
		o->ind++;
		o->pos = 0;
		return c;
	}
	if (a[o->pos] == '\0') {
		o->ind++;
		o->pos = 0;
	}
	return c;
}
