#!/usr/bin/env bats
# bench/run (make bench), in its smallest form against our toolkit only, so
# that the harness cannot rot: it must print its table, and leave no process
# and no file behind, also when interrupted.

load helpers

ROOT="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"

# tiny: the quickest settings, our toolkit only, working under $T/tmp.
# Exec'd, so that start_bg's pid is the harness's own.
tiny() {
	mkdir -p "$T/tmp"
	exec env BENCH_PEERS=none BENCH_BIN="$SVBIN" BENCH_TMP="$T/tmp" \
	    BENCH_SIZES=10 BENCH_REPS=1 BENCH_IDLE=1 BENCH_KILLS=3 \
	    BENCH_PICKUPS=1 BENCH_CALLS=3 BENCH_LINES=2000 BENCH_LOGKILLS=2 \
	    "$@" "$ROOT/bench/run"
}

# leftovers: processes whose working directory is under $T.
leftovers() {
	local p c
	for p in /proc/[0-9]*; do
		c=$(readlink "$p/cwd" 2>/dev/null) || continue
		case $c in "$T"/*) echo "${p#/proc/} $c" ;; esac
	done
}

@test "bench: the quickest run prints a table of our numbers" {
	run --separate-stderr tiny
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "# bench: "*" cpus, "*", Linux "* ]]
	[[ "$output" == *"| scenario | metric | ours | bare | ours / best peer |"* ]]
	# Cells that our supervise alone can fill hold numbers.
	[[ "$output" =~ \|\ bring-up\ \(no\ scanner\)\ \|\ 10\ services:\ time\ \(ms\)\ \|\ [0-9.e+]+\ \| ]]
	[[ "$output" =~ \|\ memory\ \|\ supervisor:\ Pss\ \(KiB\)\ \|\ [0-9] ]]
	[[ "$output" =~ \|\ idle\ \|\ 10\ supervisors:\ wake-ups/min\ \|\ [0-9] ]]
	[[ "$output" =~ \|\ restart\ \|\ raw\ \'t\'\ to\ control\ \(ms\)\ \|\ [0-9.e+]+\ p99\ [0-9.e+]+\ n=3\ \| ]]
	[[ "$output" =~ \|\ restart\ \|\ floor:[^|]*\|\ *\|\ [0-9.e+]+\ p99 ]]
	[ -z "$(ls -A "$T/tmp")" ]
	[ -z "$(leftovers)" ]
}

@test "bench: a program of ours that is not built is skipped, not failed" {
	mkdir bin
	ln -s "$SVBIN/supervise" bin/supervise
	run --separate-stderr tiny env BENCH_BIN="$T/bin" \
	    BENCH_SCENARIOS="direct tools"
	[ "$status" -eq 0 ]
	[[ "$output" == *"| tools | one hup call (ms) | skipped (not built) |"* ]]
	[[ "$output" =~ \|\ bring-up\ \(no\ scanner\)\ \|\ 10\ services:\ time\ \(ms\)\ \|\ [0-9] ]]
}

@test "bench: an unknown peer is a usage error (100)" {
	mkdir tmp
	run --separate-stderr env BENCH_PEERS=systemd BENCH_TMP="$T/tmp" \
	    "$ROOT/bench/run"
	[ "$status" -eq 100 ]
	[ "$stderr" = "bench: fatal: unknown peer systemd" ]
	[ -z "$(ls -A "$T/tmp")" ]
}

# (SIGTERM: a background job of a script ignores SIGINT, so bash cannot
# trap it there; at a terminal, Ctrl-C takes the same path.)
@test "bench: SIGTERM in the middle kills every service it started" {
	mkdir tmp
	start_bg tiny env BENCH_SCENARIOS=idle BENCH_IDLE=120
	local run=$LAST_PID
	# The idle scenario is under way once its first snapshot exists.
	wait_for -t 30 eval 'ls "$T"/tmp/bench.*/idle.ours.a >/dev/null 2>&1'
	[ -n "$(leftovers)" ]
	kill -TERM "$run"
	wait_gone "$run" 10
	wait_for -t 10 eval '[ -z "$(leftovers)" ]'
	[ -z "$(ls -A "$T/tmp")" ]
}
