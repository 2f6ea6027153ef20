/*
 * Running the rest of the command line, as every chain-loader does.
 */
#ifndef EXEC_H
#define EXEC_H

#include <stdnoreturn.h>

noreturn void exec_or_die(char *const *);

#endif
