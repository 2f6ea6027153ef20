/*
 * A non-permuting option parser: options end at the first operand or at
 * "--", so that "setuidgid user prog -x" leaves -x to prog.
 */
#ifndef OPT_H
#define OPT_H

struct opt {
	int ind;		/* index of the next argv element */
	int pos;		/* position inside a bundle like -abc */
	const char *arg;	/* argument of the last option taking one */
	int bad;		/* the offending letter when '?' is returned */
};

#define OPT_INIT { 1, 0, 0, 0 }

/*
 * Returns the next option letter, '?' for an unknown letter or a missing
 * argument, or -1 when the options are over (o->ind is then the first
 * operand). A letter followed by ':' in spec takes an argument.
 */
int	opt_get(struct opt *, int, char *const *, const char *);

#endif
