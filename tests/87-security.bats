#!/usr/bin/env bats
# What doc/SECURITY.md claims and a test can show: the modes of what
# supervise creates, whatever the umask; that another user can neither
# command a service nor change its status; that nothing world-writable is
# left in a service tree; that no descriptor leaks into a service or its
# logger; what envdir does with odd file names.

load helpers

# modes DIR: "NAME MODE" for each file supervise keeps in DIR/supervise.
modes() {
	local f
	for f in control ok lock status pid stat; do
		echo "$f $(stat -c %a "$1/supervise/$f")"
	done
}

EXPECTED_MODES="control 600
ok 600
lock 600
status 644
pid 644
stat 644"


require_nobody() {
	require_root
	id nobody >/dev/null 2>&1 || skip "no account nobody"
}

# fds PID: the descriptors PID has open, on one line. Read from outside:
# a shell listing its own would show its own (dash keeps one at 10).
fds() { echo $(ls "/proc/$1/fd"); }

@test "security: supervise makes supervise/ 0700, control, ok and lock 0600, even under umask 0" {
	mksv s 'exec sleep 100'
	start_bg sh -c 'umask 0; exec supervise s'
	wait_for has_pid s
	[ "$(stat -c %a s/supervise)" = 700 ]
	[ -p s/supervise/control ]
	[ -p s/supervise/ok ]
	modes s
	[ "$(modes s)" = "$EXPECTED_MODES" ]
	[ "$(stat -c %u s/supervise/control)" = "$(id -u)" ]
}

@test "security: modes set by hand are kept; one every user could write is warned about" {
	mksv s 'exec sleep 100'
	mkdir -m 0770 s/supervise
	mkfifo -m 0620 s/supervise/control
	start_bg sh -c 'exec supervise s 2>err.group'
	wait_for has_pid s
	svc -dx s
	wait_gone "$LAST_PID"
	# A group allowed to control the service: kept, no warning.
	[ "$(stat -c %a s/supervise/control)" = 620 ]
	[ "$(stat -c %a s/supervise)" = 770 ]
	[ ! -s err.group ]
	chmod 0622 s/supervise/control
	chmod 0777 s/supervise
	start_bg sh -c 'exec supervise s 2>err.all'
	wait_for has_pid s
	wait_for grep -q 'supervise is' err.all
	cat err.all
	[ "$(sort err.all)" = "supervise: warning: s/supervise is writable by every user
supervise: warning: s/supervise/control is writable by every user" ]
	[ "$(stat -c %a s/supervise/control)" = 622 ]
}

@test "security: so does every supervise svscan starts, the logger's too" {
	mksv scan/a 'exec sleep 100'
	mksv scan/a/log 'exec cat >/dev/null'
	start_bg sh -c 'umask 0; exec svscan scan'
	wait_for has_pid scan/a
	wait_for has_pid scan/a/log
	[ "$(stat -c %a scan/a/supervise)" = 700 ]
	[ "$(stat -c %a scan/a/log/supervise)" = 700 ]
	[ "$(modes scan/a)" = "$EXPECTED_MODES" ]
	[ "$(modes scan/a/log)" = "$EXPECTED_MODES" ]
}

@test "security: another user can neither command a root service nor read its state" {
	require_nobody
	let_others_in
	mksv s 'exec sleep 100'
	start_bg supervise s
	wait_for has_pid s
	pid=$(svpid s)
	# The service directory itself is readable: the refusals below come
	# from supervise/, not from the path to it.
	as_nobody cat s/run >/dev/null
	run --separate-stderr as_nobody svc -d s
	[ "$status" -eq 111 ]
	[ "$stderr" = "svc: warning: unable to control s: access denied" ]
	run --separate-stderr as_nobody sh -c 'echo d >s/supervise/control'
	[ "$status" -ne 0 ]
	run --separate-stderr as_nobody svstat s
	[ "$status" -ne 0 ]
	run --separate-stderr as_nobody svok s
	[ "$status" -ne 0 ]
	[ "$(svpid s)" = "$pid" ]
	stat_is s run
}

@test "security: with supervise/ opened up by hand, control and status stay the owner's" {
	require_nobody
	let_others_in
	mksv s 'exec sleep 100'
	start_bg supervise s
	wait_for has_pid s
	pid=$(svpid s)
	chmod 755 s/supervise
	run --separate-stderr as_nobody svc -d s
	[ "$status" -eq 111 ]
	[ "$stderr" = "svc: warning: unable to control s: access denied" ]
	# The status is readable then (0644), but not writable, and the
	# directory does not let it be replaced. svstat still refuses: it
	# must open ok, which stays 0600.
	[ "$(as_nobody cat s/supervise/status | wc -c)" -eq 44 ]
	run --separate-stderr as_nobody svstat s
	[ "$status" -eq 111 ]
	[ "$output" = "s: unable to open supervise/ok: access denied" ]
	run as_nobody sh -c 'printf x >s/supervise/status'
	[ "$status" -ne 0 ]
	run as_nobody sh -c 'printf x >s/supervise/status.new'
	[ "$status" -ne 0 ]
	run as_nobody sh -c 'echo 1 >s/supervise/pid'
	[ "$status" -ne 0 ]
	[ "$(stat -c %s s/supervise/status)" = 44 ]
	[ "$(svpid s)" = "$pid" ]
}

@test "security: svscan and multilog under umask 0 leave nothing group- or world-writable" {
	mksv scan/a 'i=0; while [ $i -lt 300 ]; do
		echo "line $i of a service writing to its logger"; i=$((i + 1))
	done; exec sleep 100'
	mksv scan/a/log 'exec multilog t s4096 n3 ./main'
	start_bg sh -c 'umask 0; exec svscan scan'
	wait_for grep -q 'line 299 ' scan/a/log/main/current
	kill -TERM "$LAST_PID"
	wait_gone "$LAST_PID"
	ls scan/a/log/main | grep -q '^@'
	find scan ! -type l -perm /022 -printf '%m %p\n' >writable
	cat writable
	[ ! -s writable ]
}

@test "security: no descriptor leaks into a service svscan starts, nor into its logger" {
	mksv scan/a 'exec sleep 100'
	mksv scan/a/log 'exec cat >/dev/null'
	mksv scan/b 'exec sleep 100'
	echo 5 >scan/b/notification-fd
	start_bg closefds svscan scan
	wait_for has_pid scan/a
	wait_for has_pid scan/a/log
	wait_for has_pid scan/b
	[ "$(fds "$(svpid scan/a)")" = "0 1 2" ]
	[ "$(fds "$(svpid scan/a/log)")" = "0 1 2" ]
	[ "$(fds "$(svpid scan/b)")" = "0 1 2 5" ]
	# And supervise itself has nothing but its own.
	ls -l "/proc/$(sup_pid scan/a)/fd"
}

@test "security: envdir takes file names with spaces, newlines and a leading dash as they are" {
	mkdir d
	echo spaced >'d/A B'
	echo newline >"d/$(printf 'N\nL')"
	echo dash >d/-x
	long=$(printf 'L%.0s' $(seq 255))
	echo long >"d/$long"
	envdir d env -0 >env0
	env=$(tr '\0\n' '|~' <env0)
	[[ "|$env" == *"|A B=spaced|"* ]]
	[[ "|$env" == *"|N~L=newline|"* ]]
	[[ "|$env" == *"|-x=dash|"* ]]
	[[ "|$env" == *"|$long=long|"* ]]
}

@test "envdir: a symbolic link to a missing file exits 111 and names it" {
	mkdir d
	echo 1 >d/A
	ln -s nosuch d/GONE
	run --separate-stderr envdir d true
	[ "$status" -eq 111 ]
	[ "$stderr" = "envdir: fatal: unable to read d/GONE: file does not exist" ]
}

@test "supervise: a failed start is reported whatever the notification-fd number" {
	# Descriptors near supervise's own (the exec report pipe among them)
	# once replaced that pipe in the child and hid the failure.
	for n in 7 8 9 10 11 12 13 14 15; do
		mkdir "s$n"
		printf '#!/bin/sh\nexit 0\n' >"s$n/run"	# not executable
		echo "$n" >"s$n/notification-fd"
		start_bg closefds sh -c 'exec 2>"$0"; exec supervise "$1"' \
		    "err$n" "s$n"
	done
	for n in 7 8 9 10 11 12 13 14 15; do
		wait_for grep -q "unable to start s$n/run: access denied" "err$n"
	done
}
