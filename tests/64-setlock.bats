#!/usr/bin/env bats
# setlock(8): run a program holding an exclusive lock on a file.

load helpers

USAGE="setlock: usage: setlock [-nNxX] FILE CHILD ..."

# hold FILE: starts a holder of FILE's lock that lives until ./release
# exists, and waits until it holds the lock. $LAST_PID is the holder.
hold() {
	start_bg setlock "$1" sh -c 'touch locked; until [ -e release ]; do sleep 0.02; done'
	wait_for test -e locked
}

# blocked FILE: somebody waits for FILE's lock (a "->" line in /proc/locks).
blocked() {
	local ino
	ino=$(stat -c %i "$1")
	grep -- '->' /proc/locks | grep -q ":$ino "
}

@test "setlock: no operand is a usage error (100)" {
	run --separate-stderr setlock
	[ "$status" -eq 100 ]
	[ "$stderr" = "$USAGE" ]
}

@test "setlock: an unknown option is a usage error" {
	run --separate-stderr setlock -q lk true
	[ "$status" -eq 100 ]
	[ "$stderr" = "$USAGE" ]
}

@test "setlock: creates the file with mode 0600 and runs the program" {
	run --separate-stderr setlock lk echo ran
	[ "$status" -eq 0 ]
	[ "$output" = ran ]
	[ "$(stat -c %a lk)" = 600 ]
}

@test "setlock: an existing file keeps its contents" {
	echo keep >lk
	run --separate-stderr setlock lk true
	[ "$status" -eq 0 ]
	[ "$(cat lk)" = keep ]
}

@test "setlock: the program inherits the locked descriptor" {
	run --separate-stderr setlock lk sh -c 'ls -l /proc/$$/fd/'
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | grep -q -- "-> $PWD/lk\$"
}

@test "setlock -n: a held lock fails with 111" {
	hold lk
	run --separate-stderr setlock -n lk touch ran
	[ "$status" -eq 111 ]
	[ "$stderr" = "setlock: fatal: unable to lock lk: temporary failure" ]
	[ ! -e ran ]
}

@test "setlock -nx: a held lock exits 0 quietly without running the program" {
	hold lk
	run --separate-stderr setlock -nx lk touch ran
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ ! -e ran ]
}

@test "setlock -nxX: the later -X wins, the failure is reported" {
	hold lk
	run --separate-stderr setlock -nxX lk true
	[ "$status" -eq 111 ]
	[ "$stderr" = "setlock: fatal: unable to lock lk: temporary failure" ]
}

@test "setlock: by default it waits for the lock, then runs the program" {
	hold lk
	start_bg setlock lk touch ran
	wait_for blocked lk
	[ ! -e ran ]
	touch release
	wait_for test -e ran
}

@test "setlock -nN: the later -N wins and it waits" {
	hold lk
	start_bg setlock -nN lk touch ran
	wait_for blocked lk
	touch release
	wait_for test -e ran
}

@test "setlock: the lock is released when the program exits" {
	run --separate-stderr setlock lk true
	[ "$status" -eq 0 ]
	run --separate-stderr setlock -n lk echo again
	[ "$status" -eq 0 ]
	[ "$output" = again ]
}

@test "setlock: excludes and is excluded by daemontools' setlock" {
	[ -x "$DT/setlock" ] || skip "daemontools is not installed"
	hold lk
	run --separate-stderr "$DT/setlock" -n lk true
	[ "$status" -eq 111 ]
	touch release
	wait_gone "$LAST_PID"
	rm -f locked release
	start_bg "$DT/setlock" lk sh -c 'touch locked; until [ -e release ]; do sleep 0.02; done'
	wait_for test -e locked
	run --separate-stderr setlock -n lk true
	[ "$status" -eq 111 ]
}

@test "setlock: a file that cannot be opened exits 111" {
	run --separate-stderr setlock nosuchdir/lk true
	[ "$status" -eq 111 ]
	[ "$stderr" = "setlock: fatal: unable to open nosuchdir/lk: file does not exist" ]
}

@test "setlock -x: a file that cannot be opened exits 0 quietly" {
	run --separate-stderr setlock -x nosuchdir/lk touch ran
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ ! -e ran ]
}

@test "setlock: a child that does not exist exits 111, as daemontools" {
	run --separate-stderr setlock lk ./nosuchprog
	[ "$status" -eq 111 ]
	[ "$stderr" = "setlock: fatal: unable to run ./nosuchprog: file does not exist" ]
}

@test "setlock: the program keeps the pid (exec, no fork)" {
	run --separate-stderr sh -c 'echo $$; exec setlock lk sh -c "echo \$\$"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "${lines[1]}" ]
}
