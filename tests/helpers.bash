# Shared by every tests/*.bats file: load it with `load helpers`.
#
# Each test runs in its own empty directory ($T, also the cwd) with bin/ (or
# $SVBIN) first in PATH. Background processes are started with start_bg,
# which records their pids; teardown kills them, and the services that any
# supervise under $T left behind, also when the test failed.

bats_require_minimum_version 1.5.0

SVBIN=${SVBIN:-$(cd "$BATS_TEST_DIRNAME/.." && pwd)/bin}
PATH="$SVBIN:$PATH"
export PATH SVBIN
HELPERS="$(cd "$BATS_TEST_DIRNAME" && pwd)"
# Real daemontools, when installed, for the compatibility tests.
DT=/usr/bin

BG_PIDS=()

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
}

teardown() {
	local p f
	# A test file's own clean-up (a system limit put back, say) first.
	if declare -F teardown_local >/dev/null; then
		teardown_local
	fi
	for p in "${BG_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	for p in "${BG_PIDS[@]}"; do
		wait_gone "$p" 5 || kill -KILL "$p" 2>/dev/null
	done
	# Services left behind by a supervise that was killed.
	for f in $(find "$T" -path '*/supervise/pid' 2>/dev/null); do
		p=$(cat "$f" 2>/dev/null)
		[ -n "$p" ] && kill -KILL "$p" 2>/dev/null
	done
	for f in "$T"/*.pid; do
		[ -f "$f" ] || continue
		p=$(cat "$f" 2>/dev/null)
		[ -n "$p" ] && kill -KILL "$p" 2>/dev/null
	done
	return 0
}

# let_others_in: lets other users traverse the directories down to $T
# (bats makes its temporary directories 0700).
let_others_in() {
	local d=$T
	while [ "$d" != / ] && [ "${d#"$BATS_RUN_TMPDIR"}" != "$d" ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
}

# nobody_bin: prints a directory that holds our programs and that every
# account can reach. The clone may sit in a private directory (/root, a
# mktemp -d of mode 0700), where a program run as nobody cannot be
# executed from $SVBIN. Made once per run inside bats' run directory
# (which bats removes), with hard links where possible, else copies.
nobody_bin() {
	local d="$BATS_RUN_TMPDIR/nobody-bin"
	if [ ! -x "$d/svc" ]; then
		chmod o+x "$BATS_RUN_TMPDIR"
		mkdir -p "$d.$$" && chmod 755 "$d.$$" || return 1
		cp -l "$SVBIN"/* "$d.$$"/ 2>/dev/null ||
			cp "$SVBIN"/* "$d.$$"/ || return 1
		cp "$HELPERS"/sigecho "$d.$$"/
		mv -T "$d.$$" "$d" 2>/dev/null || rm -rf "$d.$$"
	fi
	echo "$d"
}

# as_nobody CMD...: runs CMD as the account nobody, with our programs
# first in PATH from a directory nobody can reach (nobody_bin).
as_nobody() {
	local d
	d=$(nobody_bin) || return 1
	setuidgid nobody env PATH="$d:$PATH" "$@"
}

# start_bg CMD...: runs CMD in the background (without bats' fd 3, which
# would make bats wait for it), records its pid in BG_PIDS and $LAST_PID.
start_bg() {
	"$@" 3>&- &
	LAST_PID=$!
	BG_PIDS+=("$LAST_PID")
}

# wait_for [-t SECS] CMD...: polls CMD every 20 ms until it succeeds; fails
# with a message after SECS seconds (default 10; the machines are slow).
wait_for() {
	local secs=10 end
	if [ "$1" = -t ]; then
		secs=$2
		shift 2
	fi
	end=$(( $(date +%s%N) / 1000000 + secs * 1000 ))
	until "$@"; do
		if [ $(( $(date +%s%N) / 1000000 )) -ge "$end" ]; then
			echo "wait_for: timed out after ${secs}s: $*" >&2
			return 1
		fi
		sleep 0.02
	done
}

# wait_gone PID [SECS]: waits until PID no longer exists.
wait_gone() {
	wait_for -t "${2:-10}" eval "! kill -0 $1 2>/dev/null"
}

alive() { kill -0 "$1" 2>/dev/null; }

# mksv DIR BODY: makes a service directory whose run script is
# "#!/bin/sh" followed by BODY.
mksv() {
	mkdir -p "$1"
	printf '#!/bin/sh\n%s\n' "$2" >"$1/run"
	chmod +x "$1/run"
}

# leftovers: processes whose working directory is under $T.
leftovers() {
	local p c
	for p in /proc/[0-9]*; do
		c=$(readlink "$p/cwd" 2>/dev/null) || continue
		case $c in "$T"/*) echo "${p#/proc/} $c" ;; esac
	done
}

# svpid DIR: the pid supervise reports for DIR (empty when down).
svpid() { cat "$1/supervise/pid" 2>/dev/null; }

# new_pid DIR OLD: DIR's service runs with a pid other than OLD. The pid
# is read once: read twice, the first read may see OLD and the second an
# empty file (OLD exited, the next run not started yet).
new_pid() {
	local p
	p=$(svpid "$1")
	[ -n "$p" ] && [ "$p" != "$2" ]
}

# has_pid DIR: DIR's service is up according to supervise/pid.
has_pid() { [ -n "$(svpid "$1")" ]; }

# stat_is DIR WORD: supervise/stat says WORD.
stat_is() { [ "$(cat "$1/supervise/stat" 2>/dev/null)" = "$2" ]; }

require_root() {
	[ "$(id -u)" = 0 ] || skip "needs root"
}

require_dt() {
	[ -x "$DT/supervise" ] && [ -x "$DT/svstat" ] ||
		skip "daemontools is not installed"
}

# closefds CMD...: execs CMD with only descriptors 0, 1 and 2 open, so a
# test can tell what a program leaks from what the test harness leaked.
# (No 2>/dev/null on the loop: bash would keep the caller's stderr on a
# high descriptor meanwhile, which the loop would then close.)
closefds() {
	local fd
	for fd in $(ls /proc/$BASHPID/fd); do
		[ "$fd" -gt 2 ] && eval "exec $fd>&-"
	done
	exec "$@"
}

# sup_pid DIR: the pid of the supervise process running on DIR (found by
# its working directory, so supervisors of other test runs do not count).
sup_pid() {
	local p d
	d=$(cd "$1" && pwd -P) || return 1
	for p in $(pgrep -x supervise); do
		[ "$(readlink "/proc/$p/cwd")" = "$d" ] && { echo "$p"; return 0; }
	done
	return 1
}

# sups_under DIR: the pids of every supervise working inside DIR.
sups_under() {
	local p d
	d=$(cd "$1" && pwd -P) || return 1
	for p in $(pgrep -x supervise); do
		case "$(readlink "/proc/$p/cwd")" in
		"$d"|"$d"/*) echo "$p" ;;
		esac
	done
}

# The status record, version 2 (servicedir(5)): st_byte OFFSET DIR and
# st_u32 OFFSET DIR read one field; the named ones below are what tests
# look at. Kept here so that a change of layout is one edit.
st_byte() { od -An -tu1 -j"$1" -N1 "$2/supervise/status" | tr -d ' '; }
st_u32() { od -An -tu4 -j"$1" -N4 --endian=little "$2/supervise/status" | tr -d ' '; }
st_pid() { st_u32 12 "$1"; }
st_paused() { st_byte 16 "$1"; }
st_want() { st_byte 17 "$1"; }
st_termsent() { st_byte 18 "$1"; }
st_runstate() { st_byte 19 "$1"; }
st_version() { st_byte 20 "$1"; }
st_flags() { st_byte 21 "$1"; }
st_ready() { st_u32 24 "$1"; }
st_wstatus() { st_u32 36 "$1"; }
st_starts() { st_u32 40 "$1"; }

