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
	    BENCH_LT_LINES=2000 "$@" "$ROOT/bench/run"
}

# cell_of SCENARIO METRIC N: the Nth toolkit's cell in the table in $output.
cell_of() {
	awk -F ' [|] ' -v s="| $1" -v m="$2" -v n="$3" \
	    '$1 == s && $2 == m { print $(2 + n) }' <<<"$output"
}

@test "bench: the quickest run prints a table of our numbers" {
	run --separate-stderr tiny env \
	    BENCH_SCENARIOS="direct memory idle restart"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "# bench: "*" cpus, "*", Linux "* ]]
	[[ "$output" == *"| scenario | metric | ours | bare |"* ]]
	# Cells that our supervise alone can fill hold numbers.
	local bu="bring-up (no scanner)" n='[0-9.]+'
	[[ "$(cell_of "$bu" "10 services: time (ms)" 1)" =~ ^$n$ ]]
	[[ "$(cell_of memory "supervisor: Pss (KiB)" 1)" =~ ^[0-9]+ ]]
	[[ "$(cell_of idle "10 supervisors: wake-ups/min" 1)" =~ ^$n$ ]]
	[[ "$(cell_of restart "raw 't' to control (ms)" 1)" =~ \
	    ^$n\ p99\ $n\ n=[1-3]$ ]]
	[[ "$(cell_of restart "floor: kill+wait+fork+exec (ms)" 2)" =~ \
	    ^$n\ p99 ]]
	[ -z "$(ls -A "$T/tmp")" ]
	[ -z "$(leftovers)" ]
}

@test "bench: a program of ours that is not built is skipped, not failed" {
	mkdir bin
	ln -s "$SVBIN/supervise" bin/supervise
	run --separate-stderr tiny env BENCH_BIN="$T/bin" \
	    BENCH_SCENARIOS="direct tools"
	[ "$status" -eq 0 ]
	[ "$(cell_of tools "one hup call (ms)" 1)" = "skipped (not built)" ]
	[[ "$(cell_of "bring-up (no scanner)" "10 services: time (ms)" 1)" =~ \
	    ^[0-9.]+$ ]]
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

@test "bench: log-throughput times our loggers and filters against cat" {
	run --separate-stderr tiny env BENCH_SCENARIOS=log-throughput
	[ "$status" -eq 0 ]
	local m n='[0-9.]+'
	for m in "t, 2000 lines (ms)" "plain, 2000 lines (ms)" \
	    "T, 2000 lines (ms)" "sel, 2000 lines (ms)" \
	    "t, ns per line at 200" "t, ns per line at 2000" \
	    "tai64n, 2000 lines (ms)" "tai64nlocal, 2000 lines (ms)"; do
		[[ "$(cell_of log-throughput "$m" 1)" =~ ^$n$ ]]
		[[ "$(cell_of log-throughput "$m" 2)" =~ ^$n$ ]]
	done
	[ -z "$stderr" ] || [[ "$stderr" != *failed* ]]
	[ -z "$(ls -A "$T/tmp")" ]
	[ -z "$(leftovers)" ]
}
