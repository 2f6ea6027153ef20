#!/usr/bin/env bats
# supervise(8): runs DIR/run, restarts it, answers commands on the control
# FIFO and keeps supervise/status, pid and stat up to date.

load helpers

starts() { st_starts "$1"; }
flags() { st_flags "$1"; }
want() { st_want "$1"; }
lines() { [ "$(wc -l <"$1" 2>/dev/null)" -ge "$2" ]; }
supervise_bg() { start_bg supervise "$@" 2>>"$T/err"; }
# FORKED: run-script code that appends the kernel's start time of the
# script (clock ticks since boot), i.e. when supervise forked it, whatever
# the load, to ./starts.
FORKED='read -r a </proc/$$/stat; set -- $a; echo ${22} >>starts'


@test "supervise: no operand is a usage error (100)" {
	run --separate-stderr supervise
	[ "$status" -eq 100 ]
	[ "$stderr" = "supervise: usage: supervise DIR" ]
}

@test "supervise: a missing directory is fatal (111) with the path" {
	run --separate-stderr supervise nosuch
	[ "$status" -eq 111 ]
	[ "$stderr" = "supervise: fatal: unable to chdir to nosuch: file does not exist" ]
}

@test "supervise: starts ./run and writes status, pid, stat, FIFOs" {
	mksv s 'echo $$ >ran; exec sleep 100'
	supervise_bg s
	wait_for has_pid s
	wait_for test -s s/ran
	[ "$(svpid s)" = "$(cat s/ran)" ]
	[ "$(cat s/supervise/stat)" = run ]
	[ "$(stat -c %s s/supervise/status)" -eq 44 ]
	[ "$(stat -c %a s/supervise)" = 700 ]
	[ "$(stat -c %a:%F s/supervise/control)" = "600:fifo" ]
	[ "$(stat -c %a:%F s/supervise/ok)" = "600:fifo" ]
	[ "$(st_pid s)" = "$(cat s/ran)" ]
	[ "$(want s)" = 117 ]		# 'u'
	[ "$(st_version s)" = 2 ]		# extension version
	[ $(( $(flags s) & 3 )) -eq 3 ]	# ready, normally up
	[ "$(starts s)" = 1 ]
}

@test "supervise: the service runs in DIR with default signals and no extra fds" {
	mksv s 'pwd >cwd; grep -E "^Sig(Blk|Ign)" /proc/self/status >sigs
		ls /proc/self/fd >fds.new; mv fds.new fds; exec sleep 100'
	start_bg closefds supervise s
	wait_for test -s s/fds
	[ "$(cat s/cwd)" = "$T/s" ]
	# Signals 1 to 31 (bits 0 to 30). glibc refuses to touch its own
	# internal signals 32 and 33, so if whoever started the test ignored
	# them, they stay ignored; no program can use them anyway.
	cat s/sigs
	blk=$(sed -n 's/^SigBlk:\t//p' s/sigs)
	ign=$(sed -n 's/^SigIgn:\t//p' s/sigs)
	[ $(( 0x$blk & 0x7fffffff )) -eq 0 ]
	[ $(( 0x$ign & 0x7fffffff )) -eq 0 ]
	# ls itself opens one descriptor for the directory it lists.
	[ "$(grep -cvxE '[012]' s/fds)" -le 1 ]
}

@test "supervise: a second supervise on the same directory exits 111 at once" {
	mksv s 'exec sleep 100'
	supervise_bg s
	wait_for has_pid s
	run --separate-stderr timeout 5 supervise s
	[ "$status" -eq 111 ]
	[ "$stderr" = "supervise: fatal: unable to acquire s/supervise/lock: temporary failure" ]
	alive "$LAST_PID"
}

@test "supervise: a dead service is restarted, at most once a second" {
	mksv s "$FORKED; exit 1"
	supervise_bg s
	wait_for lines s/starts 3
	run awk -v hz="$(getconf CLK_TCK)" 'NR > 1 { if ($1 - prev < hz) bad = 1 }
		{ prev = $1 } END { exit bad }' s/starts
	[ "$status" -eq 0 ]
	[ "$(starts s)" -ge 3 ]
}

@test "supervise: with a down file the service is not started until svc -u" {
	mksv s 'echo up >ran; exec sleep 100'
	touch s/down
	supervise_bg s
	wait_for test -p s/supervise/ok
	wait_for stat_is s down
	[ ! -e s/ran ]
	[ "$(want s)" = 100 ]		# 'd'
	[ $(( $(flags s) & 2 )) -eq 0 ]	# normally down
	echo u >s/supervise/control
	wait_for has_pid s
}

@test "supervise: finish gets the exit code and signal of run" {
	mksv s 'exit 3'
	printf '#!/bin/sh\necho "$1 $2" >>fin\nexit 125\n' >s/finish
	chmod +x s/finish
	supervise_bg s
	wait_for test -s s/fin
	[ "$(cat s/fin)" = "3 0" ]
}

@test "supervise: finish gets 256 and the signal number for a killed run" {
	mksv s 'echo $$ >pid.txt; exec sleep 100'
	printf '#!/bin/sh\necho "$1 $2" >>fin\nexit 125\n' >s/finish
	chmod +x s/finish
	supervise_bg s
	wait_for test -s s/pid.txt
	kill -KILL "$(cat s/pid.txt)"
	wait_for test -s s/fin
	[ "$(cat s/fin)" = "256 9" ]
}

@test "supervise: finish exiting 125 means the service is not restarted" {
	mksv s 'echo x >>runs; exit 0'
	printf '#!/bin/sh\nexit 125\n' >s/finish
	chmod +x s/finish
	supervise_bg s
	wait_for stat_is s down
	wait_for eval '[ "$(want s)" = 100 ]'
	[ "$(starts s)" = 1 ]
	[ "$(wc -l <s/runs)" -eq 1 ]
	[ $(( $(flags s) & 16 )) -eq 16 ]	# has exited
	[ "$(st_wstatus s)" = 0 ]			# wait status: exit 0
}

@test "supervise: a finish still running after timeout-finish is killed" {
	mksv s 'exit 0'
	printf '#!/bin/sh\necho $$ >fpid\nexec sleep 100\n' >s/finish
	chmod +x s/finish
	echo 300 >s/timeout-finish
	supervise_bg s
	wait_for test -s s/fpid
	wait_for stat_is s finish
	wait_gone "$(cat s/fpid)" 5
	# and the service is started again after it
	wait_for -t 5 eval '[ "$(starts s)" -ge 2 ]'
}

@test "supervise: commands are answered at once while finish runs" {
	mksv s 'exit 0'
	printf '#!/bin/sh\necho $$ >fpid\nexec sleep 100\n' >s/finish
	chmod +x s/finish
	supervise_bg s
	wait_for stat_is s finish
	echo d >s/supervise/control
	wait_for -t 2 eval '[ "$(want s)" = 100 ]'
	[ "$(cat s/supervise/stat)" = finish ]
	[ "$(st_runstate s)" = 2 ]	# runit: finish running
	kill "$(cat s/fpid)"	# rather than wait for timeout-finish
}

@test "supervise: commands are answered at once during the restart throttle" {
	mksv s 'exit 1'
	echo 60000 >s/restart-delay-max
	supervise_bg s
	# After two quick deaths the delay is 2 s, then 4 s: plenty of time.
	wait_for -t 5 eval '[ "$(starts s)" -ge 2 ]'
	wait_for stat_is s down
	echo dx >s/supervise/control
	wait_gone "$LAST_PID" 2
}

@test "supervise: restart-delay-max doubles the delay of a crashing service" {
	mksv s "$FORKED; exit 1"
	echo 8000 >s/restart-delay-max
	supervise_bg s
	wait_for -t 15 lines s/starts 4
	run awk -v hz="$(getconf CLK_TCK)" 'NR > 1 { d[NR] = ($1 - prev) / hz }
		{ prev = $1 } END { exit !(d[2] >= 1 && d[3] >= 2 && d[4] >= 4) }' s/starts
	[ "$status" -eq 0 ]
}

@test "supervise: svc -d sends down-signal instead of TERM, then CONT" {
	mksv s "exec $HELPERS/sigecho"
	echo HUP >s/down-signal
	echo 300 >s/timeout-kill	# so that teardown's shutdown is quick
	supervise_bg s
	wait_for test -s s/sigecho.pid
	echo d >s/supervise/control
	wait_for grep -q 'caught HUP' s/caught
	wait_for grep -q 'caught CONT' s/caught
	! grep -q 'caught TERM' s/caught
}

@test "supervise: timeout-kill sends KILL to a service that ignores TERM" {
	mksv s 'trap "" TERM; echo $$ >p; while :; do sleep 1; done'
	echo 300 >s/timeout-kill
	supervise_bg s
	wait_for test -s s/p
	echo d >s/supervise/control
	wait_gone "$(cat s/p)" 5
	wait_for stat_is s down
	[ "$(st_wstatus s)" = 9 ]		# killed by SIGKILL
}

@test "supervise: with killpg, svc -d reaches the service's children" {
	mksv s 'sleep 100 & echo $! >child; exec sleep 100'
	touch s/killpg
	supervise_bg s
	wait_for test -s s/child
	echo d >s/supervise/control
	wait_gone "$(cat s/child)" 5
}

@test "supervise: each signal letter reaches the service" {
	mksv s "exec $HELPERS/sigecho"
	supervise_bg s
	wait_for test -s s/sigecho.pid
	for l in h:HUP a:ALRM i:INT q:QUIT 1:USR1 2:USR2 y:WINCH c:CONT; do
		printf %s "${l%%:*}" >s/supervise/control
		wait_for grep -q "caught ${l#*:}" s/caught
	done
	printf p >s/supervise/control
	wait_for eval "[ \"\$(awk '{print \$3}' /proc/$(cat s/sigecho.pid)/stat)\" = T ]"
	[ "$(st_paused s)" = 1 ]
	printf c >s/supervise/control
	wait_for eval '[ "$(st_paused s)" = 0 ]'
	printf t >s/supervise/control
	wait_for grep -q 'caught TERM' s/caught
	old=$(cat s/sigecho.pid)
	rm s/sigecho.pid
	printf k >s/supervise/control
	wait_gone "$old"
	wait_for -t 5 test -s s/sigecho.pid	# restarted: wanted up
}

@test "supervise: svc -o runs the service once" {
	mksv s 'echo x >>runs; sleep 0.2; exit 0'
	touch s/down
	supervise_bg s
	wait_for test -p s/supervise/ok
	echo o >s/supervise/control
	wait_for test -s s/runs
	wait_for stat_is s down
	[ "$(want s)" = 0 ]
	[ "$(wc -l <s/runs)" -eq 1 ]
	[ "$(starts s)" = 1 ]
}

@test "supervise: x makes supervise exit once the service is down" {
	mksv s 'exec sleep 100'
	supervise_bg s
	wait_for has_pid s
	pid=$(svpid s)
	echo x >s/supervise/control
	alive "$LAST_PID"
	echo d >s/supervise/control
	wait_gone "$LAST_PID"
	! alive "$pid"
	[ "$(cat s/supervise/stat)" = down ]
}

@test "supervise: SIGTERM brings the service down, runs finish, exits 0" {
	mksv s 'exec sleep 100'
	printf '#!/bin/sh\necho finished >fin\n' >s/finish
	chmod +x s/finish
	supervise_bg s
	wait_for has_pid s
	pid=$(svpid s)
	kill -TERM "$LAST_PID"
	wait "$LAST_PID"
	[ "$?" -eq 0 ]
	! alive "$pid"
	[ "$(cat s/fin)" = finished ]
}

@test "supervise: a missing run is reported and retried, never fatal" {
	mkdir s
	supervise_bg s
	wait_for -t 5 eval '[ "$(grep -c "unable to start s/run: file does not exist" err)" -ge 2 ]'
	alive "$LAST_PID"
	[ "$(cat s/supervise/stat)" = down ]
	mksv s 'exec sleep 100'
	wait_for -t 5 has_pid s
}

@test "supervise: a run that is not executable or a directory is retried" {
	mkdir -p s/run
	supervise_bg s
	wait_for grep -q "unable to start s/run: permission denied\|unable to start s/run: access denied" err
	rmdir s/run
	printf '#!/bin/sh\nexec sleep 100\n' >s/run
	wait_for -t 5 grep -c "unable to start s/run: access denied" err
	chmod +x s/run
	wait_for -t 5 has_pid s
	alive "$LAST_PID"
}

@test "supervise: a dangling supervise symlink gets its target created" {
	mksv s 'exec sleep 100'
	ln -s "$T/run/state/s" s/supervise
	supervise_bg s
	wait_for has_pid s
	[ -d run/state/s ]
	[ -p run/state/s/control ]
	[ "$(stat -c %a run/state/s)" = 700 ]
}

@test "supervise: notification-fd: ready only once the service says so" {
	mksv s 'read x <go; echo >&5; exec sleep 100'
	echo 5 >s/notification-fd
	mkfifo s/go
	supervise_bg s
	wait_for has_pid s
	[ $(( $(flags s) & 1 )) -eq 0 ]
	[ "$(st_ready s)" = 0 ]
	echo go >s/go
	wait_for eval '[ $(( $(flags s) & 1 )) -eq 1 ]'
	[ "$(st_ready s)" != 0 ]
}

@test "supervise: a bad notification-fd is reported and ignored" {
	mksv s 'exec sleep 100'
	echo 1 >s/notification-fd
	supervise_bg s
	wait_for has_pid s
	grep -q "invalid s/notification-fd: 1" err
	[ $(( $(flags s) & 1 )) -eq 1 ]
}

@test "supervise: 10,000 random bytes in control do not stop it" {
	mksv s 'exec sleep 100'
	supervise_bg s
	wait_for has_pid s
	# Without x (which would rightly make it exit once down).
	head -c 20000 /dev/urandom | tr -d x | head -c 10000 >junk
	cat junk >s/supervise/control
	echo du >s/supervise/control
	alive "$LAST_PID"
	wait_for -t 5 has_pid s
	echo d >s/supervise/control
	wait_for stat_is s down
	alive "$LAST_PID"
}

@test "supervise: idle, it makes no system calls" {
	mksv s 'exec sleep 100'
	supervise_bg s
	wait_for has_pid s
	sw() { awk '/^voluntary_ctxt_switches/ { print $2 }' /proc/$LAST_PID/status; }
	# Set up (ok is opened last) and asleep in poll.
	wait_for svok s
	wait_for eval '[ "$(cut -d" " -f3 /proc/$LAST_PID/stat)" = S ]'
	before=$(sw)
	sleep 2		# an observation window, not a synchronisation
	[ "$(sw)" = "$before" ]
}

@test "supervise: a service left behind by a killed supervise is stopped first" {
	mksv s 'echo $$ >>pids; exec sleep 100'
	supervise_bg s
	wait_for test -s s/pids
	old=$(cat s/pids)
	kill -KILL "$LAST_PID"
	wait_gone "$LAST_PID"
	alive "$old"
	supervise_bg s
	wait_for eval '[ "$(wc -l <s/pids)" -eq 2 ]'
	! alive "$old"
	grep -q "supervise: warning: stopping pid $old, left running in s by a previous supervise" err
	[ "$(svpid s)" = "$(tail -n 1 s/pids)" ]
}

@test "supervise: started with SIGCHLD and SIGTERM blocked and ignored, it still works" {
	mksv s 'echo $$ >>pids; grep -E "^Sig(Blk|Ign)" /proc/self/status >sigs; exec sleep 100'
	start_bg "$HELPERS/blocked" supervise s
	sup=$LAST_PID
	wait_for has_pid s
	first=$(svpid s)
	# The service gets an empty mask and default dispositions.
	wait_for eval '[ "$(grep -c "^Sig" s/sigs 2>/dev/null)" = 2 ]'
	grep -qx 'SigBlk:	0000000000000000' s/sigs
	grep -qx 'SigIgn:	0000000000000000' s/sigs
	# SIGCHLD arrives: a killed service is reaped and restarted.
	kill -KILL "$first"
	wait_for new_pid s "$first"
	# SIGTERM arrives: the service goes down and supervise exits.
	kill -TERM "$sup"
	wait_gone "$sup"
	wait_gone "$(tail -1 s/pids)" 1
}

@test "supervise: started with 0, 1 and 2 closed, no warning lands in its control FIFO" {
	# A warning at every start: were fd 2 the control FIFO, its "x"
	# (in "exit") and "d" would stop the service and supervise.
	mksv s 'echo $$ >>pids; exec sleep 100'
	echo 'dx exit' >s/notification-fd
	start_bg sh -c 'exec supervise s <&- >&- 2>&-'
	sup=$LAST_PID
	wait_for has_pid s
	p=$(svpid s)
	kill -KILL "$p"
	wait_for new_pid s "$p"
	alive "$sup"
	[ "$(st_want s)" = 117 ]	# still wanted up
	ls -l /proc/$sup/fd/0 | grep -q /dev/null
}

@test "supervise: a FIFO named like a configuration file is refused, never waited on" {
	mksv s 'exec sleep 100'
	mkfifo s/down-signal s/timeout-kill s/notification-fd
	supervise_bg s
	wait_for has_pid s
	grep -q "unable to read s/notification-fd: not a regular file" err
	# Commands are still answered: the down signal is the default TERM.
	svc -d s
	wait_for stat_is s down
	grep -q "unable to read s/down-signal: not a regular file" err
	svc -u s
	wait_for has_pid s
}

@test "supervise: a notification-fd at or above the descriptor limit is reported" {
	mksv s 'exec sleep 100'
	echo 200 >s/notification-fd
	( ulimit -n 100; exec supervise s ) 2>err 3>&- &
	LAST_PID=$!
	BG_PIDS+=("$LAST_PID")
	wait_for has_pid s
	grep -q "invalid s/notification-fd: 200: not below the descriptor limit 100; readiness not tracked" err
	# Ready at once, as without notification-fd.
	[ $(( $(flags s) & 1 )) -eq 1 ]
}

@test "supervise: an endless writer on control does not keep a dead service down" {
	mksv s 'echo $$ >>pids; exec sleep 100'
	supervise_bg s
	wait_for has_pid s
	first=$(svpid s)
	start_bg sh -c 'exec yes u >s/supervise/control'
	writer=$LAST_PID
	kill -KILL "$first"
	wait_for new_pid s "$first"
	kill -TERM "$writer"
	wait_gone "$writer"
}

@test "supervise: with killpg, the group of a leader that dies by itself goes too" {
	mksv s 'sh -c "trap \"\" TERM; exec sleep 100" & echo $! >>children
		sleep 100 & echo $! >>children; exec sleep 100'
	touch s/killpg
	echo 300 >s/timeout-kill
	supervise_bg s
	wait_for eval '[ "$(wc -l <s/children 2>/dev/null)" = 2 ]'
	leader=$(svpid s)
	kill -KILL "$leader"
	# The child that takes TERM goes at once, the one that ignores it at
	# timeout-kill; the service is started again meanwhile.
	wait_gone "$(sed -n 2p s/children)" 5
	wait_gone "$(sed -n 1p s/children)" 5
	wait_for eval '[ "$(wc -l <s/children)" = 4 ]'
	alive "$(sed -n 3p s/children)"
	alive "$(sed -n 4p s/children)"
}
