#!/usr/bin/env bats
# runit's clients on our supervise, and ours on runit's runsv, side by side
# with runsv as the reference: runit's sv (Debian's runit package) for
# every command it has, its LSB verbs and -w; the first 20 bytes of the
# status record (runit's), byte for byte where runit defines them.
# Deliberate differences (doc/sv-differences or supervise(8)): a service
# started with o has want byte 0 (daemontools'), where runsv writes 'd';
# x (sv exit, sv shutdown) is daemontools' "exit once the service is
# down", so sv shutdown on our supervise leaves the service up and times
# out, where runsv takes it down first.

load helpers

require_runit() {
	command -v sv >/dev/null && command -v runsv >/dev/null ||
		skip "runit (sv, runsv) is not installed"
}

# pair BODY: ./ours under our supervise and ./theirs under runsv, both
# running BODY; waits until both are up.
pair() {
	mksv ours "$1"
	mksv theirs "$1"
	start_bg supervise ours
	start_bg runsv theirs
	wait_for has_pid ours
	wait_for has_pid theirs
}

# norm: sv's output with pids, seconds and the directory name made equal.
norm() { sed -E 's/\(pid [0-9]+\)/(pid N)/g; s/[0-9]+s/Ns/g; s#\./(ours|theirs)#./S#g'; }

# both ARGS...: runs sv ARGS on ./ours and on ./theirs; fails unless the
# output (normalised) and the exit codes are the same. Sets $out.
both() {
	local o t ro=0 rt=0
	o=$(sv "$@" ./ours 2>&1) || ro=$?
	t=$(sv "$@" ./theirs 2>&1) || rt=$?
	o=$(norm <<<"$o") t=$(norm <<<"$t")
	echo "sv $*: ours [$ro] $o / runsv [$rt] $t" >&2
	[ "$o" = "$t" ] && [ "$ro" = "$rt" ]
	out=$o
}

# bytes DIR: bytes 16-19 of DIR's status: paused, want, got TERM, state.
bytes() { od -An -tu1 -j16 -N4 "$1/supervise/status" | tr -s ' '; }
same_bytes() { [ "$(bytes ours)" = "$(bytes theirs)" ]; }

@test "runit: sv status on our supervise reads as on runsv: up, down, paused" {
	require_runit
	pair 'exec sleep 100'
	both status
	[[ "$out" == "run: ./S: (pid N) Ns" ]]
	same_bytes
	both pause
	wait_for eval '[ "$(st_paused ours)" = 1 ]'
	both status
	[[ "$out" == "run: ./S: (pid N) Ns, paused" ]]
	same_bytes
	both cont
	both -w 5 down
	[[ "$out" == "ok: down: ./S: Ns, normally up" ]]
	same_bytes
	both status
	[[ "$out" == "down: ./S: Ns, normally up" ]]
}

@test "runit: got TERM while a service that ignores TERM has not exited" {
	require_runit
	pair 'trap "" TERM; while :; do sleep 1; done'
	both term
	wait_for eval '[ "$(st_termsent ours)" = 1 ]'
	wait_for eval 'sv status ./theirs | grep -q "got TERM"'
	both status
	[[ "$out" == "run: ./S: (pid N) Ns, got TERM" ]]
	same_bytes
	both kill
	wait_for eval 'sv status ./ours | grep -q "^run: .*(pid [0-9]*) [01]s$"'
	wait_for eval 'sv status ./theirs | grep -q "^run: .*(pid [0-9]*) [01]s$"'
	same_bytes
}

@test "runit: finish running is run state 2 in both" {
	require_runit
	for d in ours theirs; do
		mksv $d 'exit 0'
		printf '#!/bin/sh\nexec sleep 100\n' >$d/finish
		chmod +x $d/finish
	done
	start_bg supervise ours
	start_bg runsv theirs
	wait_for eval '[ "$(st_runstate ours)" = 2 ]'
	wait_for eval '[ "$(st_runstate theirs)" = 2 ]'
	[ "$(od -An -tu1 -j18 -N2 ours/supervise/status)" = \
	    "$(od -An -tu1 -j18 -N2 theirs/supervise/status)" ]
	# and sv says so for both (runsv shows finish's pid, we show none)
	run sv status ./ours
	[[ "$output" == "finish: ./ours: (pid 0) "* ]]
	run sv status ./theirs
	[[ "$output" == "finish: ./theirs: (pid "* ]]
}

@test "runit: every signal command of sv reaches the service" {
	require_runit
	pair "exec $HELPERS/sigecho"
	wait_for test -s ours/sigecho.pid
	wait_for test -s theirs/sigecho.pid
	for c in hup alarm interrupt quit 1 2 cont; do
		both "$c"
	done
	wait_for eval "[ \$(wc -l <ours/caught) -ge 7 ]"
	[ "$(sort ours/caught)" = "caught ALRM
caught CONT
caught HUP
caught INT
caught QUIT
caught USR1
caught USR2" ]
	# runsv leaves INT and QUIT as it found them (ignored by a shell's
	# background job here): compare the others.
	wait_for eval "[ \$(wc -l <theirs/caught) -ge 5 ]"
	[ "$(sort ours/caught | grep -v 'INT\|QUIT')" = "$(sort theirs/caught | grep -v 'INT\|QUIT')" ]
}

@test "runit: the LSB verbs with -w give runsv's output and exit codes" {
	require_runit
	pair 'exec sleep 100'
	for v in stop start restart try-restart force-stop start force-reload \
	    force-restart; do
		both -w 5 "$v"
		[[ "$out" != *fail* ]]
	done
	# shutdown is x: ours exits only once the service is down (the
	# daemontools meaning); with the service down first, as runsv.
	both -w 5 down
	both -w 5 shutdown
	[ "$out" = "ok: ./S: runsv not running" ]
}

@test "runit: sv once, up, exit, and sv's answer when nothing runs" {
	require_runit
	pair 'exec sleep 100'
	both -w 5 down
	both once
	wait_for has_pid ours
	wait_for has_pid theirs
	# the deliberate difference: once is want 0 here, 'd' under runsv
	[ "$(st_want ours)" = 0 ]
	[ "$(st_want theirs)" = 100 ]
	run sv -w 5 up ./ours
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^ok:\ run:\ \./ours:\ \(pid\ [0-9]+\)\ [0-9]+s$ ]]
	both -w 5 down
	same_bytes
	both exit
	wait_for eval '! svok ours'
	wait_for eval '! svok theirs'
	both status
	[[ "$out" == "fail: ./S: runsv not running" ]]
}

@test "runit: sv check runs ./check: a service that is up and ready" {
	require_runit
	pair 'exec sleep 100'
	for d in ours theirs; do
		printf '#!/bin/sh\n[ -e ok ]\n' >$d/check
		chmod +x $d/check
	done
	both -w 1 check
	[[ "$out" == "timeout: run: ./S: (pid N) Ns" ]]
	touch ours/ok theirs/ok
	both -w 5 check
	[[ "$out" == "ok: run: ./S: (pid N) Ns" ]]
}

@test "runit: our svc, svstat and svok on runsv" {
	require_runit
	mksv r "exec $HELPERS/sigecho"
	start_bg runsv r
	wait_for test -s r/sigecho.pid
	run svok r
	[ "$status" -eq 0 ]
	run --separate-stderr svstat r
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^r:\ up\ \(pid\ [0-9]+\)\ [0-9]+\ seconds$ ]]
	svc -h r
	wait_for grep -q 'caught HUP' r/caught
	run --separate-stderr svc -d -wd -T 5000 r
	[ "$status" -eq 0 ]
	run --separate-stderr svstat r
	[[ "$output" =~ ^r:\ down\ [0-9]+\ seconds,\ normally\ up$ ]]
	run --separate-stderr svc -u -wu -T 5000 r
	[ "$status" -eq 0 ]
	svc -x r
	wait_for eval '! svok r'
	run svok r
	[ "$status" -eq 100 ]
}
