#!/usr/bin/env bats
# svscan(8): a main program (svscan DIR -- PROG ARG...) whose exit ends
# svscan with its exit code, and services with exit-scanner that do the
# same; plain processes, no container (tests/56 runs them in one).

load helpers

# tree: a scan directory s with a service a (its pid in a.pid, then a line
# "a up" into its logger) whose logger appends to $T/log.
tree() {
	mksv s/a 'echo $$ >"$0.pid"; echo "a up"; exec sleep 100'
	sed -i "s|\"\$0.pid\"|$T/a.pid|" s/a/run
	mksv s/a/log "exec cat >>$T/log"
}

# svscan_main ARGS...: starts svscan in the background, its pid into $SV
# (teardown stops it), its exit status into $T/rc once it exits, its
# stderr into $T/err.
svscan_main() {
	rm -f svscan.id rc
	start_bg sh -c 'svscan "$@" 2>err & echo $! >svscan.id; wait $!
		echo $? >rc' sh "$@"
	wait_for test -s svscan.id
	SV=$(cat svscan.id)
	BG_PIDS+=("$SV")
}

# exited_with CODE: svscan has exited, with CODE.
exited_with() {
	wait_for -t 20 test -s rc
	echo "svscan exited $(cat rc)"
	[ "$(cat rc)" -eq "$1" ]
}

@test "svscan --: usage errors: no PROG, or something else than --" {
	run --separate-stderr svscan s --
	[ "$status" -eq 100 ]
	[ "$stderr" = "svscan: usage: svscan [-t SECS] [-g MS] [DIR [-- PROG ARG...]]" ]
	run --separate-stderr svscan s x
	[ "$status" -eq 100 ]
}

@test "svscan --: PROG's exit code becomes svscan's; services stopped, last line logged" {
	for code in 0 3; do
		rm -rf s log a.pid
		tree
		echo "$code" >code
		svscan_main s -- sh -c 'until grep -q "a up" log 2>/dev/null; do
			sleep 0.02; done; exit $(cat code)'
		exited_with "$code"
		grep -qx "a up" log
		! alive "$(cat a.pid)"
		[ ! -s err ]
	done
}

@test "svscan --: a PROG killed by signal N gives 128+N" {
	tree
	svscan_main s -- sh -c 'until [ -s a.pid ]; do sleep 0.02; done
		kill -KILL $$'
	exited_with 137
	wait_gone "$(cat a.pid)" 5
}

@test "svscan --: PROG runs in svscan's directory with its stdio, environment and descriptor limit" {
	tree
	# A soft limit below the hard one, which svscan raises for itself.
	ulimit -S -n 200
	lim=200
	FOO=bar svscan_main s -- sh -c 'pwd; echo "$FOO"; ulimit -n; echo oops >&2' >out
	exited_with 0
	[ "$(sed -n 1p out)" = "$T" ]
	[ "$(sed -n 2p out)" = bar ]
	# svscan raised its own limit; the main program gets the one it had.
	[ "$(sed -n 3p out)" = "$lim" ]
	grep -qx oops err
}

@test "svscan --: a PROG that cannot be run gives 127 or 126, and one line" {
	tree
	svscan_main s -- ./nosuch arg
	exited_with 127
	[ "$(cat err)" = "svscan: warning: unable to run ./nosuch: file does not exist" ]
	echo 'not a program' >notexec
	svscan_main s -- ./notexec
	exited_with 126
	[ "$(wc -l <err)" -eq 1 ]
	grep -q "unable to run ./notexec" err
	# The services it started were stopped: nothing is left.
	[ -z "$(svpid s/a)" ] || ! alive "$(svpid s/a)"
	! svok s/a
	! svok s/a/log
}

@test "svscan --: SIGTERM goes to PROG first; services stop after it exits" {
	tree
	svscan_main s -- sh -c 'trap "svok s/a && echo a-still-up >seen; exit 7" TERM
		echo ready >ready; while :; do sleep 0.05; done'
	wait_for test -s ready
	wait_for test -s a.pid
	kill -TERM "$SV"
	exited_with 7
	# The service was still up when PROG got the signal.
	grep -qx a-still-up seen
	! alive "$(cat a.pid)"
	grep -qx "a up" log
}

@test "svscan --: a PROG that ignores SIGTERM is killed at the grace time (137)" {
	tree
	svscan_main -g 500 s -- sh -c 'trap "" TERM; echo ready >ready
		while :; do sleep 0.05; done'
	wait_for test -s ready
	wait_for test -s a.pid
	kill -TERM "$SV"
	exited_with 137
	! alive "$(cat a.pid)"
	grep -qx "a up" log
}

@test "svscan --: SIGHUP still rescans and does not reach PROG" {
	mkdir s
	svscan_main -t 0 s -- sh -c 'trap "echo hup >>hups" HUP
		echo ready >ready; while :; do sleep 0.05; done'
	wait_for test -s ready
	mksv s/b 'exec sleep 100'
	kill -HUP "$SV"
	wait_for svok s/b
	[ ! -e hups ]
}

@test "exit-scanner: a finish exiting 125 ends svscan with the service's exit code" {
	tree
	mksv s/b 'sleep 0.3; exit 5'
	printf '#!/bin/sh\nexit 125\n' >s/b/finish
	chmod +x s/b/finish
	touch s/b/exit-scanner
	svscan_main s
	exited_with 5
	# Everything else went down in order.
	! alive "$(cat a.pid)"
	grep -qx "a up" log
}

@test "exit-scanner: a service killed by signal N gives 128+N; it ends PROG too" {
	tree
	mksv s/b 'until [ -s ready ]; do sleep 0.02; done; kill -KILL $$'
	sed -i "s|ready|$T/ready|" s/b/run
	printf '#!/bin/sh\nexit 125\n' >s/b/finish
	chmod +x s/b/finish
	touch s/b/exit-scanner
	svscan_main s -- sh -c 'trap "echo term >got; exit 0" TERM
		echo ready >ready; while :; do sleep 0.05; done'
	exited_with 137
	grep -qx term got
}

@test "exit-scanner: without the file, finish 125 only keeps the service down" {
	tree
	mksv s/b 'exit 5'
	printf '#!/bin/sh\nexit 125\n' >s/b/finish
	chmod +x s/b/finish
	start_bg svscan s
	wait_for stat_is s/b down
	wait_for test -s a.pid
	alive "$LAST_PID"
	svok s/b
}

@test "exit-scanner: supervise alone exits 125 with the status written" {
	mksv b 'exit 4'
	printf '#!/bin/sh\nexit 125\n' >b/finish
	chmod +x b/finish
	touch b/exit-scanner
	run supervise b
	[ "$status" -eq 125 ]
	[ "$(st_wstatus b)" -eq $((4 << 8)) ]
	[ "$(cat b/supervise/stat)" = down ]
}
