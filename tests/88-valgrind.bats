#!/usr/bin/env bats
# supervise(8) and svscan(8) under valgrind's memcheck, through a start /
# restart / control / shutdown scenario: no invalid access, no use of
# uninitialised memory, no definite leak. Valgrind follows the supervisor
# only (--trace-children=no): what it forks runs natively once exec'd.
# Each test takes 5 to 15 s: valgrind starts slowly and runs the
# supervisor some 20 times slower; the waits have long deadlines for that.

load helpers

# vg NAME CMD...: runs CMD under memcheck in the background, with only
# descriptors 0, 1 and 2 open and its standard error in NAME.err; the
# report goes to vg.NAME.PID.log (a forked child has its own PID there).
vg() {
	local name=$1
	shift
	# closefds loses a redirection of its own standard error: redirect
	# after it, in the process that then execs valgrind.
	start_bg closefds sh -c 'exec 2>"$0"; exec "$@"' "$T/$name.err" \
	    valgrind --leak-check=full --error-exitcode=1 \
	    --errors-for-leak-kinds=definite --trace-children=no \
	    --log-file="$T/vg.$name.%p.log" "$@"
	VG_PID=$LAST_PID
}

# vg_clean NAME: the supervisor under memcheck exited 0 with no error.
vg_clean() {
	local log="$T/vg.$1.$VG_PID.log" rc=0

	wait "$VG_PID" || rc=$?
	cat "$log"
	echo "exit status $rc"
	[ "$rc" -eq 0 ]
	grep -q "ERROR SUMMARY: 0 errors" "$log"
	# Nor in a forked child that ended without exec (a failed start).
	! grep -h "ERROR SUMMARY: [1-9]" "$T"/vg.$1.*.log
	grep -q "definitely lost: 0 bytes" "$log" ||
	    grep -q "All heap blocks were freed" "$log" ||
	    grep -q "no leaks are possible" "$log"
}

setup_file() {
	command -v valgrind >/dev/null || return 0
	# Valgrind cannot follow a static glibc program (its malloc and start-up
	# code give false reports): relink supervise and svscan dynamically from
	# the same objects, into build/valgrind/bin.
	local top
	top=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	VGBIN=$top/build/valgrind/bin
	export VGBIN
	if ! grep -qa __asan_init "$SVBIN/supervise"; then
		make -s -C "$top" STATIC=0 BIN=build/valgrind/bin \
		    build/valgrind/bin/supervise build/valgrind/bin/svscan \
		    >/dev/null || export VG_BROKEN=1
	fi
	# The machine's valgrind must work at all (it does not on some
	# kernels and under some emulators).
	valgrind -q --error-exitcode=1 true >/dev/null 2>&1 ||
		export VG_BROKEN=1
}

require_valgrind() {
	command -v valgrind >/dev/null || skip "valgrind is not installed"
	[ -z "$VG_BROKEN" ] || skip "valgrind does not work here"
	# ASan and valgrind cannot run together: the plain run covers this.
	! grep -qa __asan_init "$SVBIN/supervise" ||
		skip "the programs are built with ASan"
}

@test "valgrind: supervise through start, restart, down, up and SIGTERM" {
	require_valgrind
	mksv s 'echo $$ >>pids; exec sleep 100'
	vg supervise "$VGBIN/supervise" s
	wait_for -t 30 has_pid s
	p1=$(svpid s)
	svc -t s
	wait_for -t 30 new_pid s "$p1"
	p2=$(svpid s)
	svc -d s
	wait_for -t 30 stat_is s down
	! alive "$p2"
	svc -u s
	wait_for -t 30 has_pid s
	svc -p s
	svc -c s
	printf 'zZ\0?' >s/supervise/control
	svok s
	p3=$(svpid s)
	# The third run has written its pid before it is stopped.
	wait_for -t 30 eval '[ "$(wc -l <s/pids)" -ge 3 ]'
	echo "runs: $(tr '\n' ' ' <s/pids); the last is $p3"
	[ "$(tail -n 1 s/pids)" = "$p3" ]
	kill -TERM "$VG_PID"
	vg_clean supervise
	! alive "$p3"
	[ "$(wc -l <s/pids)" -eq 3 ]
}

@test "valgrind: supervise through a run that cannot start, a finish and x" {
	require_valgrind
	mkdir s
	printf '#!/bin/sh\nexit 3\n' >s/finish
	chmod +x s/finish
	echo 1 >s/timeout-finish
	echo 5 >s/notification-fd
	echo nosuch >s/down-signal
	vg supervise "$VGBIN/supervise" s
	# No run yet: every start fails, in a forked child that reports.
	wait_for -t 30 grep -q "unable to start s/run" supervise.err
	mksv s 'echo ready >&5; echo x >>runs; exit 0'
	printf '#!/bin/sh\necho "$1 $2" >>finished; exit 3\n' >s/finish
	wait_for -t 30 grep -q '^0 0$' s/finished
	svc -dx s
	vg_clean supervise
}

@test "valgrind: svscan through a new service, a restart, a removal and SIGTERM" {
	require_valgrind
	mksv scan/a 'echo a up; exec sleep 100'
	mksv scan/a/log "exec cat >$T/log.txt"
	vg svscan "$VGBIN/svscan" scan
	wait_for -t 30 has_pid scan/a
	wait_for -t 30 has_pid scan/a/log
	wait_for -t 30 grep -q "a up" log.txt
	mksv b 'exec sleep 100'
	mv b scan/b
	wait_for -t 30 has_pid scan/b
	# A supervise killed is started again by svscan.
	kill -KILL "$(sup_pid scan/b)"
	wait_for -t 30 eval 'sup_pid scan/b >/dev/null'
	svc -t scan/a
	mv scan/b scan/.b
	wait_for -t 30 eval '! sup_pid scan/.b >/dev/null'
	kill -TERM "$VG_PID"
	vg_clean svscan
	[ -z "$(sups_under scan)" ]
}
