#!/usr/bin/env bats
# svc(8) -w against a supervise that dies while svc waits: svc keeps the
# write end of DIR/supervise/ok in its wait, so it notices at once, warns
# and exits 111, unless a new supervise already runs in the old one's place.

load helpers

# bgrc CMD...: runs CMD, then writes its exit code to $T/rc (even when it
# fails: bats runs tests under set -e).
bgrc() {
	local rc=0
	"$@" || rc=$?
	echo "$rc" >"$T/rc.new"
	mv "$T/rc.new" "$T/rc"
}
# holding PID DIR: a child of PID (svc under bgrc) has DIR/supervise/ok,
# the FIFO now at that path, open: it is waiting on that supervise.
holding() {
	local c f ok
	ok="$(cd "$2" && pwd -P)/supervise/ok"
	for c in $(pgrep -P "$1"); do
		for f in /proc/"$c"/fd/*; do
			[ "$(readlink "$f")" = "$ok" ] && return 0
		done
	done
	return 1
}
# downsv DIR: a service that stays down until told -u.
downsv() {
	mksv "$1" "echo \$\$ >$T/$1.pid; exec sleep 100"
	touch "$1/down"
}
require_ours() { [ -x "$SVBIN/supervise" ] || skip "no supervise built"; }
NOTRUN="supervise not running"
# release DIR CODE: svc -u DIR brings DIR up; the svc waiting in the
# background then returns, with exit code CODE.
release() {
	svc -u "$1"
	wait_for -t 30 test -s rc
	[ "$(cat rc)" = "$2" ]
}

# killed_while_waiting SUPERVISE STATE: with s run by SUPERVISE, starts
# svc -wSTATE -T 100000 s, kills the supervise with SIGKILL once svc holds
# s/supervise/ok, and checks that svc warns and exits 111 at once.
killed_while_waiting() {
	start_bg "$1" s
	local sv=$LAST_PID
	wait_for test -s s/supervise/status
	start_bg bgrc svc -w"$2" -T 100000 s 2>err
	wait_for holding "$LAST_PID" s
	kill -KILL "$sv"
	wait_for -t 30 test -s rc
	[ "$(cat rc)" = 111 ]
	[ "$(cat err)" = "svc: warning: unable to control s: $NOTRUN" ]
}

@test "svc -wu: supervise killed -9 while svc waits: warning, exit 111 at once" {
	require_ours
	downsv s
	killed_while_waiting supervise u
}

@test "svc -wU: supervise killed while svc waits for readiness: exit 111 at once" {
	require_ours
	mksv s "echo \$\$ >$T/s.pid; exec sleep 100"
	echo 5 >s/notification-fd
	killed_while_waiting supervise U
	[[ "$(svstat s)" =~ ^s:\ supervise\ not\ running ]]
}

@test "svc -wu: one supervise of two dies: svc waits for the other, exits 111" {
	require_ours
	downsv a
	downsv b
	start_bg supervise a
	sa=$LAST_PID
	start_bg supervise b
	wait_for test -s a/supervise/status
	wait_for test -s b/supervise/status
	start_bg bgrc svc -wu -T 100000 a b 2>err
	wait_for holding "$LAST_PID" a
	kill -KILL "$sa"
	# It gives up on a and goes on waiting for b.
	wait_for -t 30 holding "$LAST_PID" b
	[ ! -e rc ]
	release b 111
	[ "$(cat err)" = "svc: warning: unable to control a: $NOTRUN" ]
	has_pid b
}

@test "svc -wu: daemontools' supervise killed -9 while svc waits: exit 111" {
	require_dt
	downsv s
	killed_while_waiting "$DT/supervise" u
}

@test "svc -wu: svscan restarted supervise before svc noticed: svc keeps waiting" {
	require_ours
	mkdir sv
	downsv sv/s
	start_bg svscan sv
	wait_for svok sv/s
	old=$(sup_pid sv/s)
	start_bg bgrc svc -wu -T 100000 sv/s 2>err
	bg=$LAST_PID
	wait_for holding "$bg" sv/s
	svcpid=$(pgrep -P "$bg")
	# svc is stopped while supervise dies and svscan starts a new one.
	kill -STOP "$svcpid"
	kill -KILL "$old"
	wait_for eval 'p=$(sup_pid sv/s) && [ "$p" != '"$old"' ] && svok sv/s'
	kill -CONT "$svcpid"
	release sv/s 0
	[ ! -s err ]
	has_pid sv/s
}

@test "svc -wu: a new supervise with a new ok FIFO: svc follows it" {
	require_ours
	downsv s
	start_bg supervise s
	sv=$LAST_PID
	wait_for test -s s/supervise/status
	start_bg bgrc svc -wu -T 100000 s 2>err
	bg=$LAST_PID
	wait_for holding "$bg" s
	svcpid=$(pgrep -P "$bg")
	kill -STOP "$svcpid"
	kill -KILL "$sv"
	wait_gone "$sv"
	rm s/supervise/ok
	start_bg supervise s
	wait_for svok s
	# The old FIFO lost its reader: svc notices and opens the new one.
	kill -CONT "$svcpid"
	wait_for -t 30 holding "$bg" s
	[ ! -e rc ]
	release s 0
	[ ! -s err ]
}

@test "svc -wd: a supervise/ it may not read (no watch): svc re-checks, no hang" {
	require_root
	id nobody >/dev/null 2>&1 || skip "no account nobody"
	mksv s 'exec sleep 100'
	start_bg supervise s
	wait_for has_pid s
	let_others_in
	# nobody may write control and ok, read status, not list supervise/.
	chmod 711 s/supervise
	chmod 666 s/supervise/control s/supervise/ok
	t0=$(date +%s%N)
	run --separate-stderr as_nobody svc -d -wd -T 20000 s
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "$stderr, $ms ms" >&2
	[ "$status" -eq 0 ]
	[ "$ms" -lt 5000 ]
	run --separate-stderr as_nobody svc -u -wu -T 20000 s
	[ "$status" -eq 0 ]
}

@test "svc -wu: at the inotify watch limit (ENOSPC) svc re-checks, no hang" {
	require_root
	lim=/proc/sys/fs/inotify/max_user_watches
	old=$(cat "$lim") && echo "$old" >"$T/old-limit" && echo 1 >"$lim" ||
		skip "cannot change $lim"
	# The scanner takes the one watch there is; svc gets ENOSPC.
	mkdir scan
	start_bg svscan scan
	downsv s
	start_bg supervise s
	wait_for test -p s/supervise/ok
	t0=$(date +%s%N)
	run --separate-stderr svc -u -wu -T 20000 s
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "$old" >"$lim"
	[ "$status" -eq 0 ]
	[ "$ms" -lt 5000 ]
	start_bg svc -d -wd s
	wait_gone "$LAST_PID" 5
}

# Puts back the watch limit a test lowered, also when it failed.
teardown_local() {
	[ -f "$T/old-limit" ] &&
		cat "$T/old-limit" >/proc/sys/fs/inotify/max_user_watches
	return 0
}

@test "svc -wu -u over 60 directories under ulimit -n 20: all up, exit 0" {
	# svc holds no descriptor per operand while it works through them,
	# and one watch serves every wait.
	require_ours
	mkdir s
	for i in $(seq 1 60); do downsv s/d$i; done
	start_bg svscan s
	for i in $(seq 1 60); do wait_for test -p s/d$i/supervise/control; done
	run --separate-stderr sh -c 'ulimit -n 20; exec svc -wu -T 30000 -u s/d*[0-9]'
	[ -z "$stderr" ]
	[ "$status" -eq 0 ]
	for i in $(seq 1 60); do has_pid s/d$i; done
	run --separate-stderr sh -c 'ulimit -n 20; exec svc -wd -T 30000 -d s/d*[0-9]'
	[ -z "$stderr" ]
	[ "$status" -eq 0 ]
	for i in $(seq 1 60); do ! has_pid s/d$i; done
}
