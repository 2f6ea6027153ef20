/*
 * Signals as events: a handler only writes the signal number to a
 * self-pipe, which the program's poll loop reads. Children get default
 * dispositions and an empty mask back before exec.
 */
#ifndef SIG_H
#define SIG_H

int	sig_pipe(void);
int	sig_catch(int);
int	sig_ignore(int);
int	sig_next(void);
void	sig_restore(void);
void	sig_fork_begin(void);
void	sig_fork_end(void);

#endif
