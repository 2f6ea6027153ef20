#!/usr/bin/env bats
# svscan(8) with many services (SCALE_N, 500 unless set; make bench runs
# 10,000): every one comes up once, a supervise killed -9 among them is
# replaced, a new one is picked up, svc -w and svstat work over all of
# them at once, and SIGTERM takes them all down, each logged service's
# last line logged, with nothing left behind.

load helpers

N=${SCALE_N:-500}
# Every 50th service has a logger; those say "bye" when told to go.
LOGEVERY=50

# A failed test may leave hundreds of supervise: svscan gets the time its
# shutdown needs, and whatever still works under $T then goes, by pid.
teardown_local() {
	local p
	if [ -n "${scan:-}" ] && alive "$scan"; then
		kill -TERM "$scan"
		wait_for -t 60 exited "$scan" || true
	fi
	for p in $(leftovers | cut -d' ' -f1); do
		kill -KILL "$p" 2>/dev/null
	done
	return 0
}

# exited PID: PID, a child of ours, has exited (a zombie until waited for).
exited() {
	[ ! -e /proc/"$1" ] || grep -q '^State:.*Z' /proc/"$1"/status
}
# sv_of NAME: the pid of the supervise svscan ($scan) runs for s/NAME.
sv_of() { pgrep -P "$scan" -fx "supervise $1"; }

# count_json KEY: lines of svstat -j over every service that hold KEY.
count_json() { svstat -j s/v* | grep -c "$1"; }
all_up() { [ "$(count_json '"state":"up"')" -eq "$N" ]; }
all_down() { [ "$(count_json '"state":"down"')" -eq "$N" ]; }

# Enough free pids for N services (a supervise and a service each, and a
# pair more for the logged ones), with room to spare.
require_pids() {
	local max used
	max=$(cat /proc/sys/kernel/pid_max)
	used=$(ls /proc | grep -c '^[0-9]')
	[ $(( max - used )) -gt $(( 3 * N )) ] ||
		skip "pid_max $max leaves too few pids for $N services"
}

@test "svscan with $N services: all up once, a kill -9 noticed, svc -w over all, SIGTERM ends all" {
	require_pids
	printf '#!/bin/sh\nexec sleep 100000\n' >run
	printf '#!/bin/sh\ntrap '\''kill $!; echo bye; exit 0'\'' TERM\nsleep 100000 & wait\n' >logged
	printf '#!/bin/sh\nexec cat >>said\n' >logger
	chmod +x run logged logger
	mkdir new
	for ((i = 1; i <= N; i++)); do
		if [ $((i % LOGEVERY)) = 0 ]; then
			mkdir -p new/v$i/log
			ln -s "$T/logged" new/v$i/run
			ln -s "$T/logger" new/v$i/log/run
		else
			mkdir new/v$i
			ln -s "$T/run" new/v$i/run
		fi
	done
	mv new s
	start_bg svscan s 2>err
	scan=$LAST_PID
	wait_for -t 300 all_up
	# Each was started once.
	[ "$(count_json '"starts":1,')" -eq "$N" ]
	[ "$(pgrep -c -P "$scan")" -eq $((N + N / LOGEVERY)) ]

	# A supervise killed with SIGKILL: svscan starts another at once,
	# which stops the service the old one left running (and says so).
	sv=$(sv_of v7)
	old=$(svpid s/v7)
	[ -n "$sv" ] && [ -n "$old" ]
	kill -KILL "$sv"
	wait_for -t 30 eval '[ -n "$(sv_of v7)" ] && [ "$(sv_of v7)" != "$sv" ]'
	wait_for -t 30 eval 'has_pid s/v7 && [ "$(svpid s/v7)" != "$old" ]'

	# A new service among them is picked up.
	mkdir new
	ln -s "$T/run" new/run
	mv new s/vnew
	wait_for -t 30 has_pid s/vnew
	mv s/vnew gone
	wait_for -t 30 eval '! has_pid gone'

	# svc -w over all of them, down then up again.
	run svc -wD -T 120000 -d s/v*
	[ "$status" -eq 0 ] && [ -z "$output" ]
	all_down
	run svc -wu -T 120000 -u s/v*
	[ "$status" -eq 0 ] && [ -z "$output" ]
	all_up

	# SIGTERM: every service, then every logger after its pipe is
	# drained; svscan exits 0 and nothing is left under $T.
	for f in s/v*/log/said; do : >"$f"; done
	kill -TERM "$scan"
	wait_for -t 120 exited "$scan"
	rc=0
	wait "$scan" || rc=$?
	[ "$rc" -eq 0 ]
	for ((i = LOGEVERY; i <= N; i += LOGEVERY)); do
		[ "$(cat s/v$i/log/said)" = bye ]
	done
	[ -z "$(leftovers)" ]
	grep -v '^supervise: warning: stopping pid [0-9]*, left running in v7 by a previous supervise$' err >others || true
	cat others
	[ ! -s others ]
	[ "$(wc -l <err)" -eq 1 ]
}
