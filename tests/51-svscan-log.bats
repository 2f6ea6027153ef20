#!/usr/bin/env bats
# svscan(8) and log pairs: NAME/log runs under its own supervise, reading
# NAME's output through a pipe svscan holds, so nothing is lost when the
# logger restarts, and the service's last lines are logged when it stops.

load helpers

# A logger that stops cleanly on TERM: what it has read, it writes. (A
# logger killed between its read and its write loses that data itself; the
# pipe svscan holds is what these tests are about.)
mklogger() {
	mkdir -p "$1"
	cat >"$1/run" <<-'EOS'
	#!/bin/sh
	exec perl -e '
	$SIG{TERM} = sub { $stop = 1 };
	while (!$stop) {
		$n = sysread(STDIN, $buf, 4096);
		if (!defined $n) { next if $!{EINTR}; die "read: $!\n" }
		last if $n == 0;
		syswrite(STDOUT, $buf) == $n or die "write: $!\n";
	}' >>"$T/out"
	EOS
	chmod +x "$1/run"
}

lines() { [ -f out ] && wc -l <out || echo 0; }

@test "svscan: a service's output goes through the pipe to its log service" {
	mksv s/a 'echo hello; exec sleep 100'
	mksv s/a/log 'exec cat >>"$T/out"'
	export T
	start_bg svscan s
	wait_for grep -qx hello out
	wait_for has_pid s/a/log
	[ "$(cat s/a/log/supervise/stat)" = run ]
	# As in daemontools, the logger's supervise runs as "supervise log".
	[ "$(tr '\0' ' ' </proc/$(sup_pid s/a/log)/cmdline)" = "supervise log " ]
}

@test "svscan: 100000 lines, logger killed 20 times: every line once, in order" {
	mksv s/a 'stdbuf -oL seq 100000; exec sleep 100'
	mklogger s/a/log
	export T
	start_bg svscan s
	for i in $(seq 1 20); do
		wait_for -t 30 eval '[ "$(lines)" -ge $((i * 4000)) ]'
		wait_for has_pid s/a/log
		old=$(svpid s/a/log)
		kill -TERM "$old"
		wait_for eval 'p=$(svpid s/a/log) && [ -n "$p" ] && [ "$p" != '"$old"' ]'
	done
	wait_for -t 30 eval '[ "$(lines)" -ge 100000 ]'
	seq 100000 | cmp - out
}

@test "svscan: a removed service's last line is logged, then both supervise exit" {
	mksv s/a 'trap "echo last words; exit 0" TERM; echo started
while :; do sleep 0.1; done'
	mklogger s/a/log
	export T
	start_bg svscan s
	wait_for grep -qx started out
	svc=$(svpid s/a) log=$(svpid s/a/log) sups=$(sups_under .)
	[ "$(echo $sups | wc -w)" -eq 2 ]
	rm -rf s/a
	for p in $svc $log $sups; do wait_gone "$p"; done
	[ "$(cat out)" = "started
last words" ]
	alive "$LAST_PID"
}

@test "svscan: on SIGTERM the last line a service writes is logged, and svscan exits 0" {
	mksv s/a 'trap "echo last words; exit 0" TERM; echo started
while :; do sleep 0.1; done'
	mksv s/b 'exec sleep 100'
	mklogger s/a/log
	export T
	svscan s 3>&- &
	pid=$!
	BG_PIDS+=("$pid")
	wait_for grep -qx started out
	wait_for has_pid s/b
	pids="$(svpid s/a) $(svpid s/a/log) $(svpid s/b)"
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 0 ]
	[ "$(cat out)" = "started
last words" ]
	for p in $pids; do ! alive "$p"; done
	[ -z "$(sups_under .)" ]
}

@test "svscan: a log/ made just after its service (mkdir x; mkdir x/log) gets a logger" {
	export T
	mkdir s
	start_bg svscan s
	scan=$LAST_PID
	mkdir s/x
	mklogger s/x/log
	printf '#!/bin/sh\necho "line $$"\nexec sleep 100\n' >s/x/run
	chmod +x s/x/run
	wait_for has_pid s/x/log
	# The first run's output may predate the pipe; from its next start
	# on, the output reaches the logger.
	wait_for has_pid s/x
	svc -t s/x
	wait_for -t 10 eval 'grep -q "^line " out'
	alive "$scan"
}

@test "svscan: a late log/ whose pipe cannot be made (no descriptors) is tried again" {
	command -v prlimit >/dev/null || skip "prlimit is not installed"
	export T
	mkdir s
	mksv s/x 'echo "line $$"; exec sleep 100'
	start_bg sh -c 'exec svscan s 2>err'
	scan=$LAST_PID
	wait_for has_pid s/x
	# No descriptor left for the pipe when log/ appears.
	prlimit --pid "$scan" --nofile="$(ls "/proc/$scan/fd" | wc -l)":
	mklogger s/.log
	mv s/.log s/x/log
	wait_for grep -q 'unable to start x/log: ' err
	prlimit --pid "$scan" --nofile=1024:
	wait_for -t 15 has_pid s/x/log
	grep -q 'unable to start x/log: .*trying again every 5 seconds' err
	svc -t s/x
	wait_for -t 10 eval 'grep -q "^line " out'
}

@test "svscan: cp -r of ten prepared services with loggers: ten loggers" {
	export T
	mkdir s proto
	for i in 0 1 2 3 4 5 6 7 8 9; do
		mksv proto/v$i 'echo up; exec sleep 100'
		mklogger proto/v$i/log
	done
	start_bg svscan s
	cp -r proto/. s/
	for i in 0 1 2 3 4 5 6 7 8 9; do wait_for has_pid s/v$i/log; done
	# One seen before its log/ (or its run) was copied is started again
	# with the pipe, a throttle's second later.
	for i in 0 1 2 3 4 5 6 7 8 9; do wait_for has_pid s/v$i; done
	for i in 0 1 2 3 4 5 6 7 8 9; do svc -t s/v$i; done
	wait_for -t 15 eval '[ "$(grep -c "^up" out)" -ge 10 ]'
}

@test "svscan: at shutdown a logger waiting out its restart throttle still drains the pipe" {
	export T
	mkdir -p s/a
	mklogger s/a/log
	# The service writes its last line as it goes down.
	mksv s/a 'trap "echo last; exit 0" TERM; echo first; while :; do sleep 0.1; done'
	start_bg svscan -g 5000 s
	scan=$LAST_PID
	wait_for eval 'grep -q "^first" out'
	# The logger dies; its supervise waits a second before the next one.
	kill -KILL "$(svpid s/a/log)"
	kill -TERM "$scan"
	wait_gone "$scan" 15
	grep -q '^last$' out
}

@test "svscan killed -9 and started again: a service whose old supervise dies keeps being logged" {
	mksv s/a 'i=0; while :; do i=$((i + 1)); echo "$$ $i"; sleep 0.01; done'
	mksv s/a/log 'exec cat >>"$T/out"'
	export T
	svscan s 3>&- 2>err1 &
	old=$!
	echo "$old" >old-svscan.pid
	wait_for eval '[ "$(lines)" -ge 5 ]'
	oldsup=$(sup_pid s/a)
	oldlog=$(sup_pid s/a/log)
	echo "$oldsup" >old-sup.pid
	echo "$oldlog" >old-log.pid
	first=$(svpid s/a)
	kill -KILL "$old"
	wait_gone "$old"
	start_bg svscan s 2>err
	# The old pair runs on; then the old service's supervise dies.
	kill -KILL "$oldsup"
	# Ours starts, stops the leftover service, and the old logger, told
	# x, exits at the end of the old pipe: ours logs the new service.
	wait_for new_pid s/a "$first"
	second=$(svpid s/a)
	wait_gone "$oldlog"
	wait_for grep -q "^$second 20$" out
	svc -d s/a
	wait_for stat_is s/a down
	# Each incarnation's lines: from 1, none twice, none missing.
	for p in $first $second; do
		grep "^$p " out | awk -v p="$p" '$2 != NR { print p ": " $2 " at " NR; exit 1 }'
	done
}
