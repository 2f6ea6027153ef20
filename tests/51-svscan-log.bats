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
