#!/usr/bin/env bats
# svc(8): writes command letters to DIR/supervise/control and, with -w,
# waits for the state without polling.

load helpers

USAGE="svc: usage: svc [-udopchaitkqxy12] [-w u|U|d|D|r|R] [-T MS] DIR..."

# control DIR: a control FIFO that the test reads on fd 4, and an ok FIFO
# held open on fd 5, in place of a supervise.
control() {
	mkdir -p "$1/supervise"
	mkfifo "$1/supervise/control" "$1/supervise/ok"
	exec 4<>"$1/supervise/control" 5<>"$1/supervise/ok"
}
# got N: the next N bytes the control FIFO received.
got() { local b; read -r -t 5 -N "$1" -u 4 b; printf %s "$b"; }
# bgrc CMD...: runs CMD, then writes its exit code to $T/rc.
bgrc() { "$@"; echo $? >"$T/rc.new"; mv "$T/rc.new" "$T/rc"; }
# watching PID: a child of PID has an inotify descriptor (it is waiting).
# Set WATCH_FALLBACK=1 to run the tests against a build made with
# CPPFLAGS=-DWATCH_FALLBACK, which has none: then the child only has to be
# there.
watching() {
	local c
	for c in $(pgrep -P "$1"); do
		[ -n "$WATCH_FALLBACK" ] && return 0
		find "/proc/$c/fd" -lname 'anon_inode:inotify' 2>/dev/null |
			grep -q . && return 0
	done
	return 1
}
# sigsv DIR SUPERVISE: a sigecho service; its pid also goes to $T/DIR.pid
# for teardown, since daemontools' supervise leaves it behind when killed.
sigsv() {
	mksv "$1" "echo \$\$ >$T/$1.pid; exec $HELPERS/sigecho"
	start_bg "$2" "$1"
	wait_for test -s "$1/sigecho.pid"
}
require_ours() { [ -x "$SVBIN/supervise" ] || skip "no supervise built"; }

@test "svc: no operand is a usage error (100)" {
	run --separate-stderr svc -u
	[ "$status" -eq 100 ]
	[ "$stderr" = "$USAGE" ]
	run --separate-stderr svc
	[ "$status" -eq 100 ]
	[ "$stderr" = "$USAGE" ]
}

@test "svc: an unknown letter is a usage error (100)" {
	control s
	run --separate-stderr svc -uz s
	[ "$status" -eq 100 ]
	[ "$stderr" = "$USAGE" ]
}

@test "svc: a bad -w state or -T value is a usage error (100)" {
	for a in "-w x" "-w uu" "-w" "-wu -T" "-wu -T 1s" "-wu -T -1"; do
		run --separate-stderr svc $a s
		[ "$status" -eq 100 ]
		[ "$stderr" = "$USAGE" ]
	done
}

@test "svc: -T without -w is a usage error (100)" {
	control s
	run --separate-stderr svc -u -T 1000 s
	[ "$status" -eq 100 ]
	[ "$stderr" = "$USAGE" ]
}

@test "svc: the letters reach supervise/control in order, in one write" {
	control s
	run --separate-stderr svc -udopchaitkqxy12 s
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(got 15)" = udopchaitkqxy12 ]
}

@test "svc: each DIR gets all the letters" {
	control a
	run --separate-stderr svc -t -d a a
	[ "$status" -eq 0 ]
	[ "$(got 4)" = tdtd ]
}

@test "svc: a directory without supervise: warning, exit 111" {
	mkdir s
	run --separate-stderr svc -u s
	[ "$status" -eq 111 ]
	[ -z "$output" ]
	[ "$stderr" = "svc: warning: unable to control s: file does not exist" ]
}

@test "svc: a control FIFO nobody reads: supervise not running, 111" {
	mkdir -p s/supervise
	mkfifo s/supervise/control
	run --separate-stderr svc -d s
	[ "$status" -eq 111 ]
	[ "$stderr" = "svc: warning: unable to control s: supervise not running" ]
}

@test "svc: a missing directory: warning, exit 111" {
	run --separate-stderr svc -u nosuch
	[ "$status" -eq 111 ]
	[ "$stderr" = "svc: warning: unable to chdir to nosuch: file does not exist" ]
}

@test "svc: carries on past a failed DIR, exits 111" {
	control b
	run --separate-stderr svc -h nosuch b
	[ "$status" -eq 111 ]
	[ "$stderr" = "svc: warning: unable to chdir to nosuch: file does not exist" ]
	[ "$(got 1)" = h ]
}

@test "svc: each signal letter reaches the service under daemontools" {
	require_dt
	sigsv s "$DT/supervise"
	# Not i or q: daemontools' supervise leaves the service the dispositions
	# it inherited, and a shell's "&" ignores SIGINT and SIGQUIT.
	for l in h:HUP a:ALRM c:CONT t:TERM; do
		run --separate-stderr svc -${l%%:*} s
		[ "$status" -eq 0 ]
		wait_for grep -q "caught ${l#*:}" s/caught
	done
}

@test "svc: each signal letter reaches the service under our supervise" {
	require_ours
	sigsv s supervise
	for l in h:HUP a:ALRM i:INT q:QUIT 1:USR1 2:USR2 y:WINCH c:CONT; do
		run --separate-stderr svc -${l%%:*} s
		[ "$status" -eq 0 ]
		wait_for grep -q "caught ${l#*:}" s/caught
	done
}

@test "svc -p, -c: the service is stopped, then continued" {
	require_ours
	sigsv s supervise
	p=$(cat s/sigecho.pid)
	svc -p s
	wait_for eval "[ \"\$(awk '{print \$3}' /proc/$p/stat)\" = T ]"
	svc -c s
	wait_for grep -q 'caught CONT' s/caught
}

@test "svc -t -wr: returns once the service runs again, with a new pid" {
	require_ours
	sigsv s supervise
	old=$(svpid s)
	run --separate-stderr svc -t -wr -T 10000 s
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	grep -q 'caught TERM' s/caught
	new=$(svpid s)
	[ -n "$new" ] && [ "$new" != "$old" ]
}

@test "svc -k -wr: a killed service is restarted" {
	require_ours
	mksv s 'exec sleep 100'
	start_bg supervise s
	wait_for has_pid s
	old=$(svpid s)
	run --separate-stderr svc -k -wr -T 10000 s
	[ "$status" -eq 0 ]
	new_pid s "$old"
	! alive "$old"
}

@test "svc -d -wd: the service is down when svc returns" {
	require_ours
	sigsv s supervise
	run --separate-stderr svc -d -wd -T 10000 s
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$(svstat s)" =~ ^s:\ down\  ]]
	grep -q 'caught TERM' s/caught
}

@test "svc -u -wu: the service is up when svc returns" {
	require_ours
	mksv s 'exec sleep 100'
	touch s/down
	start_bg supervise s
	wait_for test -s s/supervise/status
	run --separate-stderr svc -u -wu -T 10000 s
	[ "$status" -eq 0 ]
	[[ "$(svstat s)" =~ ^s:\ up\ \(pid\ [0-9]+\) ]]
}

@test "svc -d -wD: returns only once ./finish is done" {
	require_ours
	mksv s 'exec sleep 100'
	printf '#!/bin/sh\nread x <fgo\n' >s/finish
	chmod +x s/finish
	mkfifo s/fgo
	start_bg supervise s
	wait_for has_pid s
	run --separate-stderr svc -d -wd -T 10000 s
	[ "$status" -eq 0 ]
	run --separate-stderr svc -wD -T 200 s
	[ "$status" -eq 99 ]
	[ "$stderr" = "svc: warning: unable to wait for s: timed out" ]
	start_bg bgrc svc -wD -T 10000 s
	wait_for watching "$LAST_PID"
	echo go >s/fgo
	wait_for test -s rc
	[ "$(cat rc)" = 0 ]
	[ "$(cat s/supervise/stat)" = down ]
}

@test "svc -wU: waits until the service says it is ready" {
	require_ours
	mksv s 'read x <go; echo >&5; exec sleep 100'
	echo 5 >s/notification-fd
	mkfifo s/go
	start_bg supervise s
	wait_for has_pid s
	run --separate-stderr svc -wu -T 10000 s
	[ "$status" -eq 0 ]
	start_bg bgrc svc -wU -T 10000 s
	wait_for watching "$LAST_PID"
	[ ! -e rc ]
	echo go >s/go
	wait_for test -s rc
	[ "$(cat rc)" = 0 ]
	[[ "$(svstat s)" =~ ,\ ready\ [01]\ seconds$ ]]
}

@test "svc -T: a state never reached is a time-out, exit 99" {
	require_ours
	mksv s 'exec sleep 100'
	touch s/down
	start_bg supervise s
	wait_for test -s s/supervise/status
	t0=$(date +%s%N)
	run --separate-stderr svc -wu -T 300 s
	t1=$(date +%s%N)
	[ "$status" -eq 99 ]
	[ "$stderr" = "svc: warning: unable to wait for s: timed out" ]
	[ $(( (t1 - t0) / 1000000 )) -ge 300 ]
}

@test "svc -w: waits for a supervise that is not running yet" {
	require_ours
	mksv s 'exec sleep 100'
	touch s/down
	start_bg bgrc svc -u -wu -T 10000 s
	wait_for watching "$LAST_PID"
	[ ! -e rc ]
	start_bg supervise s
	wait_for test -s rc
	[ "$(cat rc)" = 0 ]
	has_pid s
}

@test "svc -w: waits for supervise to create a dangling supervise symlink" {
	require_ours
	mksv s 'exec sleep 100'
	ln -s "$T/run/s" s/supervise
	start_bg bgrc svc -wu -T 10000 s
	wait_for watching "$LAST_PID"
	start_bg supervise s
	wait_for test -s rc
	[ "$(cat rc)" = 0 ]
}

@test "svc -w: a supervise that never appears is a time-out, exit 99" {
	mkdir s
	run --separate-stderr svc -u -wu -T 200 s
	[ "$status" -eq 99 ]
	[ "$stderr" = "svc: warning: unable to control s: timed out" ]
}

@test "svc -w: a time-out and a failure together exit 111" {
	mkdir s
	run --separate-stderr svc -u -wu -T 100 s nosuch
	[ "$status" -eq 111 ]
	[ "${stderr_lines[0]}" = "svc: warning: unable to control s: timed out" ]
	[ "${stderr_lines[1]}" = "svc: warning: unable to chdir to nosuch: file does not exist" ]
}

@test "svc -d -wd: waits for every DIR" {
	require_ours
	mksv a 'exec sleep 100'
	mksv b 'exec sleep 100'
	start_bg supervise a
	start_bg supervise b
	wait_for has_pid a
	wait_for has_pid b
	run --separate-stderr svc -d -wd -T 10000 a b
	[ "$status" -eq 0 ]
	[[ "$(svstat a b)" =~ ^a:\ down\ .*$'\n'b:\ down\  ]]
}

@test "svc -T 0: no time limit; a state already reached returns at once" {
	require_ours
	mksv s 'exec sleep 100'
	start_bg supervise s
	wait_for has_pid s
	run --separate-stderr svc -wu -T 0 s
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}
