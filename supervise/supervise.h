/*
 * supervise's state, shared by its three files: supervise.c (set-up and the
 * event loop), state.c (the state machine: start, exit, finish, throttle,
 * commands) and files.c (the service directory's configuration files and
 * the supervise/ status files). See supervise(8) and servicedir(5).
 */
#ifndef SUPERVISE_H
#define SUPERVISE_H

#include <sys/types.h>

#include <stdint.h>

#include "../lib/tai.h"

enum sv_state { SV_DOWN, SV_RUN, SV_FINISH };

struct sv {
	const char *dir;	/* as the user wrote it, for messages */
	enum sv_state state;
	pid_t pid;		/* ./run while SV_RUN */
	pid_t fpid;		/* ./finish while SV_FINISH */
	char want;		/* 'u', 'd', or 0 for once */
	int paused;
	int termsent;		/* down signal or t sent to this run (runit) */
	int exitreq;		/* x: exit once down */
	int normallyup;
	int ready;
	int exited;		/* ./run has exited at least once */
	int killpg;		/* signals go to the process group */
	int notifyfd;		/* read end of the readiness pipe, or -1 */
	uint32_t wstatus;	/* of the last exit of ./run */
	uint32_t starts;
	struct tai stamp;	/* last start or exit of ./run */
	struct tai readyat;
	int64_t laststart;	/* monotonic ms of the last start attempt */
	int64_t delay;		/* current restart throttle, ms */
	int64_t startat;	/* monotonic deadline of the next start, or -1 */
	int64_t killat;		/* timeout-kill deadline, or -1 */
	int64_t finishat;	/* timeout-finish deadline, or -1 */
	int64_t rewriteat;	/* retry a failed status write, or -1 */
	pid_t pgroup;		/* killpg: the group of a run that has exited */
	int64_t pgkillat;	/* SIGKILL what is left of it then, or -1 */
	int commanded;		/* a command signalled this run of ./run */
	int gaveup;		/* restart-limit reached */
	pid_t cpid;		/* a running ./check, or 0 */
	struct tai checkbegan;	/* when that check started */
	int64_t checkat;	/* deadline of the next check, or -1 */
	int64_t checkkill;	/* kill the running check then, or -1 */
	int64_t checkdelay;	/* back-off between two checks, ms */
};

extern struct sv sv;

/* state.c */
void	sv_want_start(void);
void	sv_command(char);
void	sv_reap(void);
void	sv_timers(int64_t);
int64_t	sv_next_deadline(void);
void	sv_notified(void);
void	sv_maybe_exit(void);
pid_t	sv_spawn(char *const *, int, int);

/* check.c */
int	check_begin(void);
void	check_timers(int64_t);
int64_t	check_deadline(void);
void	check_exited(int);
void	check_stop(void);

/* limit.c */
void	limit_reset(void);
int	limit_exit(int64_t, int64_t, int);

/* files.c */
void	files_announce(void);
int	files_downsignal(void);
int64_t	files_ms(const char *, int64_t);
int	files_notifyfd(void);
int	files_exists(const char *);
int	files_restartlimit(unsigned *, unsigned *);

#endif
