#!/usr/bin/env bats
# Every example of the documentation is a test: an example that stops
# working fails here, not in a new administrator's hands.
#
# What is run, extracted mechanically (tests/doc-examples, an awk script):
#   - in each man page doc/*.[1578], every `.Bd -literal` ... `.Ed` block and
#     every `.Dl` line of the EXAMPLES section, and any block elsewhere in
#     the page that has an `example:` comment just before it;
#   - in the README, every block of lines indented by four spaces.
# A block that starts with `#!` is a script (a run script, say): it is
# written to a file and executed with standard input from /dev/null. Any
# other block is a shell script run with `set -e`.
#
# Each block runs in a fresh directory (its cwd), in a session of its own,
# with bin/ first in PATH. Absolute paths under /service, /etc/sv,
# /etc/service, /run, /var/log and /tmp are rewritten (with perl) to the
# same paths under a private root, so that examples written for a real
# system run unprivileged and leave nothing behind. Roff escapes (\e \&
# \- \(aq \(dq) are undone first. When the block is done, every process
# of its session is stopped (TERM, then KILL), by process group id.
# The man pages run four at a time.
#
# Markers, in the page source just before the block (a roff comment
# `.\" example: WORD ...`; in the README an HTML comment
# `<!-- example: WORD ... -->` before the blank line that opens the block);
# several may be stacked:
#   skip REASON      not run; REASON is printed (a real init, the network,
#                    a placeholder daemon, installing into the system ...)
#   root             run only as root (skipped with that reason otherwise)
#   setup CMD        shell run before the block, in the same script
#   expect TEXT      the block's output (stdout and stderr) contains TEXT
#   check CMD        run after the block, in its cwd, while what it
#                    started still runs; must exit 0
#   status N         the block exits N (default 0)
#   fake NAME...     stand-ins for daemons the example names (httpd ...):
#                    programs that sleep, first in the block's PATH
# Setups may use $SV_SRC, the source tree (for examples/), and call
# `sv_mk DIR [CMD]`, which makes DIR with a run script that execs CMD
# (default: sleep 1000), and `sv_up DIR [CMD]`, the same, then
# `supervise DIR &` and a wait until it is up.
# A block that cannot pass in any environment this suite runs in is
# marked skip with its reason rather than left out, so that every example
# is either run or visibly skipped.

load helpers

DOC="$BATS_TEST_DIRNAME/../doc"
README="$BATS_TEST_DIRNAME/../README"

# run_examples FILE: runs every example block of FILE; fails with the
# page and line of each block that failed.
run_examples() {
	local src=$1 out="$T/blocks" n meta body failed=0 skipped=0 ran=0
	local name
	name=$(basename "$src")
	mkdir -p "$out"
	awk -v out="$out" -f "$HELPERS/doc-examples" "$src"
	for meta in "$out"/*.meta; do
		[ -e "$meta" ] || continue
		n=${meta%.meta}
		if run_block "$name" "$n"; then
			ran=$((ran + 1))
		else
			case $? in
			2) skipped=$((skipped + 1)) ;;
			*) failed=$((failed + 1)) ;;
			esac
		fi
	done
	echo "# $name: $ran run, $skipped skipped, $failed failed" >&3
	[ $((ran + skipped + failed)) -gt 0 ] || {
		echo "$name: no example found"
		return 1
	}
	[ "$failed" -eq 0 ]
}

# rewrite ROOT: the private root for the system paths of an example (a
# filter). One pass that consumes nothing around a path, so that paths
# next to each other are all rewritten and none twice.
rewrite() {
	local dirs='service|etc/sv|etc/service|run|var/log|tmp'
	R=$1 D=$dirs perl -pe \
	    's{(?:^|(?<=[\s=<>\x27"(:]))/($ENV{D})(?=[/\s;\x27")&|]|$)}{$ENV{R}/$1}g'
}

# run_block NAME N: 0 passed, 1 failed, 2 skipped.
run_block() {
	local name=$1 n=$2 line kind arg reason="" status=0 want=0 pid
	local d="$n.d" r="$n.d/root" w="$n.d/cwd" script="$n.d/script"
	local expects=() checks=() setups=() fakes=() where checked
	where="$name:$(cat "$n.line")"
	while IFS= read -r line; do
		kind=${line%% *}
		arg=${line#"$kind"}
		arg=${arg# }
		case $kind in
		skip) reason=${arg:-no reason given} ;;
		root) [ "$(id -u)" = 0 ] || reason="needs root" ;;
		setup) setups+=("$arg") ;;
		expect) expects+=("$arg") ;;
		check) checks+=("$arg") ;;
		status) want=$arg ;;
		fake) fakes+=($arg) ;;
		*) echo "$where: unknown example marker: $line"; return 1 ;;
		esac
	done <"$n.meta"
	if [ -n "$reason" ]; then
		echo "# $where: skipped: $reason" >&3
		return 2
	fi
	mkdir -p "$r" "$w"
	{
		echo 'set -e'
		echo "SV_SRC='$(cd "$BATS_TEST_DIRNAME/.." && pwd)'"
		if [ ${#fakes[@]} -gt 0 ]; then
			mkdir -p "$d/fake"
			for arg in "${fakes[@]}"; do
				printf '#!/bin/sh\nexec sleep 1000\n' >"$d/fake/$arg"
				chmod +x "$d/fake/$arg"
			done
			echo "PATH='$d/fake':\$PATH"
		fi
		cat <<-'EOF'
		sv_mk() {
			mkdir -p "$1"
			printf '#!/bin/sh\nexec %s\n' "${2:-sleep 1000}" >"$1/run"
			chmod +x "$1/run"
		}
		sv_up() {
			sv_mk "$@"
			supervise "$1" &
			svc -wu -T 5000 "$1"
		}
		EOF
		printf '%s\n' "${setups[@]}" | rewrite "$r"
		if head -n 1 "$n.body" | grep -q '^#!'; then
			rewrite "$r" <"$n.body" >"$d/block"
			chmod +x "$d/block"
			echo "'$d/block' </dev/null"
		else
			rewrite "$r" <"$n.body"
		fi
	} >"$script"
	# Not a process group leader (no job control here), setsid does not
	# fork: $! is the leader of the block's session and its group id.
	# The leader writes the block's exit code, then exits and is reaped,
	# so that what is left in the group is what the block left running.
	setsid bash -c 'cd "$1"; bash "$2"; echo $? >"$3"' sh "$w" \
	    "$script" "$d/rc" </dev/null >"$d/out" 2>&1 3>&- &
	pid=$!
	if wait_for -t 60 test -s "$d/rc"; then
		wait "$pid" || true
		status=$(cat "$d/rc")
	else
		echo "$where: still running after 60 s"
		status=timeout
	fi
	# Checks look at what the block left running: before it is stopped.
	checked=0
	if [ "$status" = "$want" ]; then
		for arg in "${checks[@]}"; do
			(cd "$w" && eval "$(printf '%s\n' "$arg" | rewrite "$r")") &&
				continue
			checked=1
			break
		done
	fi
	stop_session "$pid"
	if [ "$status" != "$want" ]; then
		echo "$where: exit $status, not $want; the block and its output:"
		sed 's/^/  | /' "$n.body"
		sed 's/^/  > /' "$d/out"
		return 1
	fi
	for arg in "${expects[@]}"; do
		grep -qF -- "$arg" "$d/out" && continue
		echo "$where: output lacks \"$arg\":"
		sed 's/^/  > /' "$d/out"
		return 1
	done
	if [ "$checked" = 1 ]; then
		echo "$where: check failed: $arg"
		sed 's/^/  > /' "$d/out"
		return 1
	fi
	return 0
}

# stop_session PGID: stops what a block left running, by its process
# group (the block ran under setsid; every supervise and svscan it started
# and their services are in that group: no example uses killpg). Orphans
# are reaped by whoever adopts them, maybe late: a zombie counts as gone.
stop_session() {
	kill -TERM -- "-$1" 2>/dev/null || return 0
	wait_for -t 10 group_gone "$1" && return 0
	echo "# still running after SIGTERM, killed:" >&2
	ps -e -o pgid= -o pid= -o stat= -o args= | awk -v g="$1" '$1 == g' >&2
	kill -KILL -- "-$1" 2>/dev/null
	return 0
}

group_gone() {
	! ps -e -o pgid= -o stat= |
	    awk -v g="$1" '$1 == g && $2 !~ /^Z/ { f = 1 } END { exit !f }'
}

setup_local() {
	# Examples that run programs as nobody need a bin/ and a directory
	# every account can reach.
	if [ "$(id -u)" = 0 ]; then
		let_others_in
		PATH="$(nobody_bin):$PATH"
	fi
}

@test "doc examples: README's command blocks run as written" {
	setup_local
	run_examples "$README"
}

@test "doc examples: every man page's EXAMPLES run as written" {
	local f p pids=() failed=0 i=0
	setup_local
	# Four pages at a time (each block has its own directories and
	# session): most of a block's time is spent waiting for a service.
	for f in "$DOC"/*.[1578]; do
		p=$(basename "$f")
		(T="$T/$p" && mkdir -p "$T" && run_examples "$f") >"$T/$p.log" 2>&1 3>&3 &
		pids+=($!)
		if [ ${#pids[@]} -ge $((i + 4)) ]; then
			wait "${pids[$i]}" || failed=1
			i=$((i + 1))
		fi
	done
	for p in "${pids[@]:$i}"; do
		wait "$p" || failed=1
	done
	[ "$failed" -eq 0 ] || cat "$T"/*.log
	[ "$failed" -eq 0 ]
}

@test "doc examples: the extractor finds every EXAMPLES block of a page" {
	# Two blocks, one .Dl, a marker, and a block outside EXAMPLES that
	# is not marked (not run).
	cat >page.8 <<-'EOF'
	.Sh DESCRIPTION
	.Bd -literal
	not an example
	.Ed
	.Sh EXAMPLES
	.\" example: expect a\b
	.Bd -literal -offset indent
	printf 'a\ee\en'
	.Ed
	.Dl echo \-x
	.\" example: skip needs a real init
	.Bd -literal
	kill -HUP 1
	.Ed
	.Sh SEE ALSO
	EOF
	mkdir out
	awk -v out="$T/out" -f "$HELPERS/doc-examples" page.8
	run ls out
	[ "$output" = "$(printf '%s\n' 001.body 001.line 001.meta 002.body \
	    002.line 002.meta 003.body 003.line 003.meta)" ]
	[ "$(cat out/001.body)" = "printf 'a\\e\\n'" ]
	[ "$(cat out/001.meta)" = 'expect a\b' ]
	[ "$(cat out/002.body)" = "echo -x" ]
	[ "$(cat out/003.meta)" = "skip needs a real init" ]
	[ "$(cat out/001.line)" = 7 ]
}

@test "doc examples: a failing example fails the test, a skipped one says why" {
	cat >page.8 <<-'EOF'
	.Sh EXAMPLES
	.\" example: expect never printed
	.Dl echo something else
	.\" example: skip no such thing here
	.Dl false
	.\" example: status 3
	.Dl exit 3
	EOF
	run run_examples "$T/page.8" 3>/dev/null
	[ "$status" -eq 1 ]
	[[ "$output" == *'page.8:3: output lacks "never printed"'* ]]
	[[ "$output" != *'page.8:5'* ]]
	[[ "$output" != *'page.8:7'* ]]
}

@test "make lint: every man page is clean at mandoc's warning level" {
	command -v mandoc >/dev/null 2>&1 || skip "mandoc is not installed"
	# Not a sub-make of make asan's: no "Entering directory" lines.
	run env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
		make -s --no-print-directory -C "$BATS_TEST_DIRNAME/.." lint
	[ "$status" -eq 0 ]
	[ "$output" = "lint: clean" ]
}

@test "make lint: a page that warns fails it" {
	command -v mandoc >/dev/null 2>&1 || skip "mandoc is not installed"
	# The Makefile's target, run on a doc/ of one page with FILES after
	# SEE ALSO.
	mkdir doc
	cat >doc/x.8 <<-'EOF'
	.Dd December 3, 2026
	.Dt X 8
	.Os
	.Sh NAME
	.Nm x
	.Nd an example
	.Sh DESCRIPTION
	Text.
	.Sh SEE ALSO
	.Xr y 8
	.Sh FILES
	.Pa /x
	EOF
	run make -s -f "$BATS_TEST_DIRNAME/../Makefile" lint
	[ "$status" -ne 0 ]
	[[ "$output" == *"x.8"*"sections out of conventional order"* ]]
}

@test "examples/systemd/svscan.service: svscan's SIGKILLs come before systemd's" {
	local unit="$BATS_TEST_DIRNAME/../examples/systemd/svscan.service"
	local g stop
	# svscan -g G sends its last SIGKILLs at G + 2000 ms (svscan(8)):
	# systemd must wait longer than that before it kills the unit.
	g=$(sed -n 's/^ExecStart=.*svscan -g \([0-9]*\) .*/\1/p' "$unit")
	stop=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)$/\1/p' "$unit")
	[ -n "$g" ] && [ -n "$stop" ]
	[ $((g + 2000)) -lt $((stop * 1000)) ]
	grep -qx 'KillMode=mixed' "$unit"
	command -v systemd-analyze >/dev/null 2>&1 ||
		skip "systemd-analyze is not installed"
	# The unit as systemd reads it, with our svscan in ExecStart.
	sed "s#/usr/local/bin/svscan#$SVBIN/svscan#" "$unit" >svscan.service
	run systemd-analyze verify --man=no "$T/svscan.service"
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "svscan(8) as documented: first SIGKILLs at -g, the last ones 2000 ms later" {
	# A service and a logger that both ignore SIGTERM: the service gets
	# SIGKILL at the grace time, the logger (told to go then) and its
	# supervise 2000 ms after that, and svscan exits once they are gone.
	mksv s/a 'trap "" TERM; exec sleep 100'
	mksv s/a/log 'trap "" TERM; exec sleep 100'
	svscan -g 300 s 3>&- &
	pid=$!
	BG_PIDS+=("$pid")
	wait_for has_pid s/a
	wait_for has_pid s/a/log
	svc=$(svpid s/a) log=$(svpid s/a/log)
	t0=$(date +%s%N)
	kill -TERM "$pid"
	wait_gone "$svc"
	t1=$(date +%s%N)
	st=0
	wait "$pid" || st=$?
	t2=$(date +%s%N)
	[ "$st" -eq 0 ]
	! alive "$log"
	echo "service killed after $(( (t1 - t0) / 1000000 )) ms," \
	    "svscan done after $(( (t2 - t0) / 1000000 )) ms"
	[ $(( (t1 - t0) / 1000000 )) -ge 300 ]
	[ $(( (t1 - t0) / 1000000 )) -lt 2300 ]
	[ $(( (t2 - t0) / 1000000 )) -ge 2300 ]
	[ $(( (t2 - t0) / 1000000 )) -lt 8000 ]
}
