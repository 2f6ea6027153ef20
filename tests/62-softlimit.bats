#!/usr/bin/env bats
# softlimit(8): run a program with soft resource limits set.

load helpers

USAGE="softlimit: usage: softlimit [-a allbytes] [-c corebytes] [-d databytes] [-f filebytes] [-l lockbytes] [-m membytes] [-o openfiles] [-p processes] [-r residentbytes] [-s stackbytes] [-t cpusecs] CHILD ..."

# lim WHAT: the soft limit named WHAT ("Max open files") in the output.
lim() {
	printf '%s\n' "$output" | sed -n "s/^$1  *\([^ ]*\) .*/\1/p"
}

# hard WHAT: this shell's hard limit WHAT, a huge number for unlimited.
hard() {
	local h
	h=$(sed -n "s/^$1  *[^ ]*  *\([^ ]*\) .*/\1/p" /proc/self/limits)
	[ "$h" = unlimited ] && h=9223372036854775807
	echo "$h"
}

# lesser A B
lesser() { if [ "$1" -lt "$2" ] 2>/dev/null; then echo "$1"; else echo "$2"; fi; }

needs_proc() {
	[ -r /proc/self/limits ] || skip "no /proc/self/limits"
}

@test "softlimit: no operand is a usage error (100)" {
	run --separate-stderr softlimit
	[ "$status" -eq 100 ]
	[ "$stderr" = "$USAGE" ]
}

@test "softlimit: an unknown option is a usage error" {
	run --separate-stderr softlimit -z 3 true
	[ "$status" -eq 100 ]
	[ "$stderr" = "$USAGE" ]
}

@test "softlimit: an option without its value is a usage error" {
	run --separate-stderr softlimit -o
	[ "$status" -eq 100 ]
	[ "$stderr" = "$USAGE" ]
}

@test "softlimit -o 37 sh -c 'ulimit -n' prints 37" {
	run --separate-stderr softlimit -o 37 sh -c 'ulimit -n'
	[ "$status" -eq 0 ]
	[ "$output" = 37 ]
	[ -z "$stderr" ]
}

@test "softlimit -o =: the soft limit becomes the hard limit" {
	run --separate-stderr sh -c 'ulimit -Sn 50; softlimit -o = sh -c "ulimit -n; ulimit -Hn"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "${lines[1]}" ]
	[ "${lines[0]}" != 50 ]
}

@test "softlimit: a value above the hard limit is clamped to it" {
	run --separate-stderr sh -c 'ulimit -n 100; softlimit -o 500 sh -c "ulimit -n"'
	[ "$status" -eq 0 ]
	[ "$output" = 100 ]
	[ -z "$stderr" ]
}

@test "softlimit: a number too large for any type is clamped too" {
	run --separate-stderr sh -c 'ulimit -n 100; softlimit -o 99999999999999999999999999 sh -c "ulimit -n"'
	[ "$status" -eq 0 ]
	[ "$output" = 100 ]
}

@test "softlimit: a value that is not a number exits 100 and says so" {
	run --separate-stderr softlimit -o abc true
	[ "$status" -eq 100 ]
	[ "$stderr" = "softlimit: fatal: invalid value for -o: abc" ]
}

@test "softlimit: a negative value is not a number either" {
	run --separate-stderr softlimit -d -5 true
	[ "$status" -eq 100 ]
	[ "$stderr" = "softlimit: fatal: invalid value for -d: -5" ]
}

@test "softlimit: a later option wins" {
	run --separate-stderr softlimit -o 40 -o 41 sh -c 'ulimit -n'
	[ "$status" -eq 0 ]
	[ "$output" = 41 ]
}

@test "softlimit -m: sets the data, stack, locked and address-space limits" {
	needs_proc
	m=1000000000
	run --separate-stderr softlimit -m $m -d 900000000 cat /proc/self/limits
	[ "$status" -eq 0 ]
	[ "$(lim 'Max data size')" = 900000000 ]
	[ "$(lim 'Max stack size')" = "$(lesser $m "$(hard 'Max stack size')")" ]
	[ "$(lim 'Max locked memory')" = "$(lesser $m "$(hard 'Max locked memory')")" ]
	[ "$(lim 'Max address space')" = "$(lesser $m "$(hard 'Max address space')")" ]
}

@test "softlimit: -c -f -p -r -t each set their own limit" {
	needs_proc
	run --separate-stderr softlimit -c 0 -f 2000000 -p 500 -r 3000000 -t 77 \
	    cat /proc/self/limits
	[ "$status" -eq 0 ]
	[ "$(lim 'Max core file size')" = 0 ]
	[ "$(lim 'Max file size')" = "$(lesser 2000000 "$(hard 'Max file size')")" ]
	[ "$(lim 'Max processes')" = "$(lesser 500 "$(hard 'Max processes')")" ]
	[ "$(lim 'Max resident set')" = "$(lesser 3000000 "$(hard 'Max resident set')")" ]
	[ "$(lim 'Max cpu time')" = "$(lesser 77 "$(hard 'Max cpu time')")" ]
}

@test "softlimit: the hard limits are left alone" {
	needs_proc
	run --separate-stderr softlimit -o 37 cat /proc/self/limits
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sed -n 's/^Max open files  *[^ ]*  *\([^ ]*\) .*/\1/p')" = "$(hard 'Max open files')" ]
}

@test "softlimit: a child that does not exist exits 111, as daemontools" {
	run --separate-stderr softlimit -o 37 ./nosuchprog
	[ "$status" -eq 111 ]
	[ "$stderr" = "softlimit: fatal: unable to run ./nosuchprog: file does not exist" ]
}

@test "softlimit: the program keeps the pid (exec, no fork)" {
	run --separate-stderr sh -c 'echo $$; exec softlimit -o 37 sh -c "echo \$\$"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "${lines[1]}" ]
}

@test "softlimit: the man page's run script limits a daemon run as nobody" {
	require_root
	needs_proc
	run --separate-stderr setuidgid nobody softlimit -m 50000000 cat /proc/self/limits
	[ "$status" -eq 0 ]
	[ "$(lim 'Max data size')" = 50000000 ]
}
