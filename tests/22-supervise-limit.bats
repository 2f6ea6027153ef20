#!/usr/bin/env bats
# supervise(8), "Restart limit" and "Readiness": restart-limit gives up on
# a crash loop; ./check makes a service without notification-fd ready.

load helpers

supervise_bg() { start_bg supervise "$@" 2>>"$T/err"; }
json() { svstat -j "$1"; }
# field DIR NAME: one field of svstat -j's line for DIR.
field() { json "$1" | sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p"; }
nlines() { [ -f "$1" ] && wc -l <"$1" | tr -d ' ' || echo 0; }

@test "restart-limit: a crash loop stops after COUNT exits, and says so" {
	mksv s 'echo x >>runs; exit 3'
	echo '3 60' >s/restart-limit
	supervise_bg s
	wait_for -t 15 eval '[ "$(field s gave_up)" = true ]'
	[ "$(nlines s/runs)" -eq 3 ]
	[ "$(field s want)" = '"down"' ]
	[ "$(field s state)" = '"down"' ]
	run svstat s
	[[ "$output" == *", gave up after 3 exits in 60 s"* ]]
	grep -q "giving up on s: restart-limit reached" err
	# and it stays given up: no fourth start
	sleep 1.5
	[ "$(nlines s/runs)" -eq 3 ]
}

@test "restart-limit: finish still runs for the last exit" {
	mksv s 'exit 4'
	printf '#!/bin/sh\necho "$1" >>fin\n' >s/finish
	chmod +x s/finish
	echo '2 60' >s/restart-limit
	supervise_bg s
	wait_for -t 10 eval '[ "$(field s gave_up)" = true ]'
	wait_for eval '[ "$(nlines s/fin)" -eq 2 ]'
	[ "$(sort -u s/fin)" = 4 ]
}

@test "restart-limit: exits further apart than the window never give up" {
	# Each run lasts 1.2 s: 3 exits never fall within 2 s.
	mksv s 'echo x >>runs; sleep 1.2; exit 1'
	echo '3 2' >s/restart-limit
	supervise_bg s
	wait_for -t 20 eval '[ "$(nlines s/runs)" -ge 5 ]'
	[ "$(field s gave_up)" = false ]
}

@test "restart-limit: svc -u starts it again with a fresh window" {
	mksv s 'echo x >>runs; exit 1'
	echo '2 60' >s/restart-limit
	supervise_bg s
	wait_for -t 10 eval '[ "$(field s gave_up)" = true ]'
	[ "$(nlines s/runs)" -eq 2 ]
	svc -u s
	wait_for -t 10 eval '[ "$(nlines s/runs)" -eq 4 ]'
	wait_for -t 5 eval '[ "$(field s gave_up)" = true ]'
	sleep 1.5
	[ "$(nlines s/runs)" -eq 4 ]
}

@test "restart-limit: svc -wu on a service that gave up exits 102 at once" {
	mksv s 'exit 1'
	echo '2 60' >s/restart-limit
	supervise_bg s
	wait_for -t 10 eval '[ "$(field s gave_up)" = true ]'
	t0=$(date +%s)
	run --separate-stderr svc -wu -T 20000 s
	[ "$status" -eq 102 ]
	[ "$stderr" = "svc: warning: unable to wait for s: gave up (restart-limit)" ]
	[ $(( $(date +%s) - t0 )) -lt 5 ]
}

@test "restart-limit: svc -u -wU returns 102 once the new window gives up" {
	# Never ready (it does not notify), and crashing: -u clears the old
	# verdict, and the wait ends with the new one, not at the time-out.
	mksv s 'echo x >>runs; exit 1'
	echo 5 >s/notification-fd
	echo '2 60' >s/restart-limit
	supervise_bg s
	wait_for -t 10 eval '[ "$(field s gave_up)" = true ]'
	run --separate-stderr svc -u -wU -T 30000 s
	[ "$status" -eq 102 ]
	[ "$(nlines s/runs)" -eq 4 ]
}

@test "restart-limit: stops by svc -t count only for a run shorter than 1 s" {
	mksv s 'echo $$ >>runs; exec sleep 100'
	echo '2 60' >s/restart-limit
	supervise_bg s
	wait_for has_pid s
	for i in 1 2 3; do
		p=$(svpid s)
		# wait until it has been up for over a second
		sleep 1.1
		svc -t s
		wait_for new_pid s "$p"
	done
	[ "$(field s gave_up)" = false ]
}

@test "restart-limit: a malformed file means no limit, reported once" {
	mksv s 'echo x >>runs; exit 1'
	echo 'three 60' >s/restart-limit
	supervise_bg s
	wait_for -t 10 eval '[ "$(nlines s/runs)" -ge 3 ]'
	[ "$(field s gave_up)" = false ]
	[ "$(grep -c 'invalid s/restart-limit' err)" -eq 1 ]
}

@test "check: ready once a TCP port on 127.0.0.1 accepts; svc -wU soon after" {
	command -v python3 >/dev/null || skip "needs python3 for the listener"
	port=$(( 20000 + RANDOM % 20000 ))
	# The service opens its port a moment after it starts, and notes when
	# (in ns since the epoch) in ./listening.
	mksv s "sleep 0.3; exec python3 -c 'import socket,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((\"127.0.0.1\", $port)); s.listen()
open(\"listening\",\"w\").write(str(time.time_ns()))
time.sleep(100)'"
	printf '#!/bin/bash\nexec 3<>/dev/tcp/127.0.0.1/%s\n' "$port" >s/check
	chmod +x s/check
	echo '#!/bin/sh' >s/down
	supervise_bg s
	wait_for test -p s/supervise/control
	run --separate-stderr svc -u -wU -T 20000 s
	t1=$(date +%s%N)
	[ "$status" -eq 0 ]
	[ "$(field s ready)" = true ]
	ms=$(( (t1 - $(cat s/listening)) / 1000000 ))
	echo "svc -wU returned $ms ms after the port opened" >&2
	# The checks back off from 10 ms, doubling: 0.3 s after the start the
	# interval is about 160-320 ms; allow for a loaded machine.
	[ "$ms" -lt 700 ]
}

@test "check: ready as of when the successful check began" {
	mksv s 'exec sleep 100'
	printf '#!/bin/sh\n[ -e ok ] || exit 1\nsleep 2\nexit 0\n' >s/check
	chmod +x s/check
	supervise_bg s
	wait_for has_pid s
	touch s/ok
	wait_for -t 10 eval '[ "$(field s ready)" = true ]'
	# the check took 2 s; ready counts from its start, so ready_seconds
	# catches up with the 2 s at once
	[ "$(field s ready_seconds)" -ge 2 ]
}

@test "check: a check that hangs is killed at its bound and retried" {
	mksv s 'exec sleep 100'
	printf '#!/bin/sh\necho $$ >>cpids\n[ -e ok ] && exit 0\nexec sleep 100\n' >s/check
	chmod +x s/check
	supervise_bg s
	wait_for has_pid s
	wait_for test -s s/cpids
	first=$(head -1 s/cpids)
	wait_gone "$first" 8
	grep -q "killing s/check: still running after 5 seconds" err
	touch s/ok
	wait_for -t 10 eval '[ "$(field s ready)" = true ]'
}

@test "check: exit 125 means never ready, and no more checks" {
	mksv s 'exec sleep 100'
	printf '#!/bin/sh\necho x >>checks\nexit 125\n' >s/check
	chmod +x s/check
	supervise_bg s
	wait_for test -s s/checks
	sleep 1.5
	[ "$(nlines s/checks)" -eq 1 ]
	[ "$(field s ready)" = false ]
	[ "$(field s state)" = '"up"' ]
}

@test "check: the checks stop when ./run exits, and start again with it" {
	mksv s 'echo x >>runs; exec sleep 100'
	printf '#!/bin/sh\necho x >>checks\nexit 1\n' >s/check
	chmod +x s/check
	supervise_bg s
	wait_for -t 5 eval '[ "$(nlines s/checks)" -ge 3 ]'
	svc -d s
	wait_for eval '[ "$(field s state)" = "\"down\"" ]'
	n=$(nlines s/checks)
	sleep 1.5
	[ "$(nlines s/checks)" -eq "$n" ]
}

@test "check: with notification-fd, check is not run" {
	mksv s 'echo >&5; exec sleep 100'
	echo 5 >s/notification-fd
	printf '#!/bin/sh\necho x >>checks\nexit 0\n' >s/check
	chmod +x s/check
	supervise_bg s
	wait_for eval '[ "$(field s ready)" = true ]'
	sleep 0.5
	[ ! -e s/checks ]
}

@test "restart-delay-max: svc -u after crashes is not kept waiting by the back-off" {
	mksv s 'echo x >>runs; [ -e stay ] && exec sleep 100; exit 1'
	echo 60000 >s/restart-delay-max
	supervise_bg s
	# Deaths at 0, 1, 3, 7 s: the delay is now 8 s.
	wait_for -t 15 eval '[ "$(nlines s/runs)" -ge 4 ]'
	touch s/stay
	svc -d s
	n=$(nlines s/runs)
	t0=$(date +%s%N)
	svc -u s
	wait_for -t 5 eval '[ "$(nlines s/runs)" -gt '"$n"' ]'
	[ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 2500 ]
}

@test "restart-delay-max: svc -t is no quick death and does not back off" {
	mksv s 'echo x >>runs; exec sleep 100'
	echo 60000 >s/restart-delay-max
	supervise_bg s
	wait_for has_pid s
	for i in 1 2 3 4; do
		p=$(svpid s)
		svc -t s
		wait_for -t 3 new_pid s "$p"
	done
	[ "$(nlines s/runs)" -eq 5 ]
}
