#!/usr/bin/env bats
# pgrphack(8): run a program in a new session and process group.
# fghack(8): keep a self-daemonizing program in the foreground.

load helpers

# The pid, process group and session of the shell that runs it, from
# /proc/PID/stat (fields 1, 5 and 6; comm is "sh", without blanks).
IDS='cut -d" " -f1,5,6 /proc/$$/stat'

@test "pgrphack: no operand is a usage error (100)" {
	run --separate-stderr pgrphack
	[ "$status" -eq 100 ]
	[ "$stderr" = "pgrphack: usage: pgrphack CHILD ..." ]
}

@test "pgrphack: the program leads a new session and process group" {
	[ -r /proc/self/stat ] || skip "no /proc"
	run --separate-stderr pgrphack sh -c "$IDS"
	[ "$status" -eq 0 ]
	set -- $output
	[ "$1" = "$2" ]
	[ "$1" = "$3" ]
	[ "$3" != "$(cut -d' ' -f6 /proc/$$/stat)" ]
}

@test "pgrphack: a process group leader keeps its group and runs" {
	[ -r /proc/self/stat ] || skip "no /proc"
	run --separate-stderr pgrphack pgrphack sh -c "$IDS"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	set -- $output
	[ "$1" = "$2" ]
}

@test "pgrphack: the program keeps the pid (exec, no fork)" {
	run --separate-stderr sh -c 'echo $$; exec pgrphack sh -c "echo \$\$"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "${lines[1]}" ]
}

@test "pgrphack: a child that does not exist exits 111, as daemontools" {
	run --separate-stderr pgrphack ./nosuchprog
	[ "$status" -eq 111 ]
	[ "$stderr" = "pgrphack: fatal: unable to run ./nosuchprog: file does not exist" ]
}

@test "fghack: no operand is a usage error (100)" {
	run --separate-stderr fghack
	[ "$status" -eq 100 ]
	[ "$stderr" = "fghack: usage: fghack CHILD ..." ]
}

@test "fghack: returns only once the daemon it started has closed its descriptors" {
	run --separate-stderr fghack sh -c '(sleep 0.3; echo daemon >done) & echo fg; exit 0'
	[ "$status" -eq 0 ]
	[ "$output" = fg ]
	[ "$(cat done)" = daemon ]
}

@test "fghack: a daemon that closes its first 256 descriptors still holds the pipe" {
	[ -d /proc/self/fd ] || skip "no /proc"
	run --separate-stderr fghack sh -c 'test -e /proc/$$/fd/300 && echo open'
	[ "$status" -eq 0 ]
	[ "$output" = open ]
}

@test "fghack: the daemon is left some free descriptors under a low limit" {
	echo opened >f
	run --separate-stderr softlimit -o 100 fghack cat f
	[ "$status" -eq 0 ]
	[ "$output" = opened ]
}

@test "fghack: exits with the program's exit status" {
	run --separate-stderr fghack sh -c 'exit 3'
	[ "$status" -eq 3 ]
	[ -z "$stderr" ]
}

@test "fghack: a program killed by a signal exits 111 and says so" {
	run --separate-stderr fghack sh -c 'kill -9 $$'
	[ "$status" -eq 111 ]
	[ "$stderr" = "fghack: fatal: sh crashed: signal 9" ]
}

@test "fghack: a child that does not exist exits 111, as daemontools" {
	run --separate-stderr fghack ./nosuchprog
	[ "$status" -eq 111 ]
	[ "$stderr" = "fghack: fatal: unable to run ./nosuchprog: file does not exist" ]
}
