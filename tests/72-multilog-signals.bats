#!/usr/bin/env bats
# multilog(8): TERM, ALRM, kill -9 and restart, and a full disk.

load helpers

# The log's input is a FIFO that the test holds open on fd 5, as svscan
# holds the pipe between a service and its logger.
setup_pipe() {
	mkfifo in
	exec 5<>in
}

# bg_from FILE CMD...: start_bg with stdin from FILE.
bg_from() {
	start_bg sh -c 'f=$1; shift; exec "$@" <"$f"' sh "$@"
}

has() { grep -qx -- "$2" "$1" 2>/dev/null; }

# lines DIR: the number of lines logged in DIR, old files included.
lines() { cat "$1"/@* "$1"/current 2>/dev/null | wc -l; }

@test "multilog: TERM finishes the current line, flushes and exits" {
	setup_pipe
	bg_from in multilog ./main
	pid=$LAST_PID
	printf 'one\ntw' >&5
	wait_for has main/current one
	kill -TERM "$pid"
	printf 'o\nthree\n' >&5
	wait_gone "$pid"
	[ "$(cat main/current)" = $'one\ntwo' ]
	[ "$(stat -c %a main/current)" = 744 ]
	# stdin is left at the first byte multilog did not process.
	read -r -t 5 next <&5
	[ "$next" = three ]
}

@test "multilog: TERM between lines exits at once, lines all on disk" {
	setup_pipe
	bg_from in multilog t ./main
	pid=$LAST_PID
	printf 'a\nb\nc\n' >&5
	wait_for grep -q ' c$' main/current
	kill -TERM "$pid"
	wait_gone "$pid"
	[ "$(cut -d ' ' -f 2 main/current | tr '\n' ' ')" = 'a b c ' ]
	[ "$(stat -c %a main/current)" = 744 ]
}

@test "multilog: ALRM rotates a non-empty current at once" {
	setup_pipe
	bg_from in multilog ./main
	pid=$LAST_PID
	printf 'a\nb\n' >&5
	wait_for has main/current b
	kill -ALRM "$pid"
	wait_for eval 'ls main | grep -q "^@.*\.s$"'
	[ "$(cat main/@*.s)" = $'a\nb' ]
	[ ! -s main/current ]
	# An empty current is not rotated.
	kill -ALRM "$pid"
	printf 'c\n' >&5
	wait_for has main/current c
	[ "$(ls main | grep -c '^@')" = 1 ]
}

@test "multilog: kill -9 and restart, over and over: no line lost or doubled" {
	setup_pipe
	n=3000
	# A paced writer (10 ms every 10 lines, slept without a fork), so that
	# the kills land while lines are flowing.
	mkfifo tick
	start_bg bash -c 'exec 9<>tick
		for ((i = 1; i <= '$n'; i++)); do
			echo "line $i"
			((i % 10)) || read -r -t 0.01 -u 9
		done >in'
	writer=$LAST_PID
	for k in 1 2 3 4 5 6; do
		before=$(lines main)
		bg_from in multilog s4096 n1000 ./main
		wait_for eval '[ "$(lines main)" -gt '"$before"' ] ||
		    ! alive '"$writer"
		kill -KILL "$LAST_PID"
		wait_gone "$LAST_PID"
	done
	bg_from in multilog s4096 n1000 ./main
	wait_for -t 60 eval '[ "$(lines main)" -ge '$n' ]'
	kill -TERM "$LAST_PID"
	wait_gone "$LAST_PID"
	wait_gone "$writer"
	# Crashed currents became .u files; together, in order, they and the
	# rest hold every line exactly once.
	ls main | grep -q '\.u$'
	diff <(seq -f 'line %g' "$n") <(cat main/@* main/current)
}

@test "multilog: a failing write pauses with a warning and loses nothing" {
	command -v prlimit >/dev/null || skip "prlimit is not installed"
	setup_pipe
	# 4 blocks of 512 bytes; SIGXFSZ is ignored, so writes fail (EFBIG).
	start_bg sh -c 'ulimit -S -f 4; exec multilog ./main <in 2>err'
	pid=$LAST_PID
	seq -f 'line %04g' 300 >&5
	wait_for -t 20 grep -q pausing err
	[ "$(head -n 1 err)" = "multilog: warning: unable to write to ./main/current, pausing: file too big" ]
	[ "$(stat -c %s main/current)" -le 2048 ]
	prlimit --pid "$pid" --fsize=unlimited
	wait_for -t 30 has main/current 'line 0300'
	diff <(seq -f 'line %04g' 300) main/current
}
