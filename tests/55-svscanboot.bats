#!/usr/bin/env bats
# svscanboot(8) and readproctitle(8): svscan with a clean environment and a
# sane PATH, its errors shown in ps through readproctitle's argv.

load helpers

DOTS=$(printf '%*s' 400 '' | tr ' ' .)

# cmdline PID: the arguments PID shows in ps, NULs as spaces.
cmdline() { tr '\0' ' ' <"/proc/$1/cmdline"; }

@test "readproctitle: no arguments, or too few dots, is a usage error (100)" {
	run --separate-stderr readproctitle
	[ "$status" -eq 100 ]
	[ "$stderr" = "readproctitle: usage: readproctitle ARG... DOTS" ]
	run --separate-stderr readproctitle errors: ....
	[ "$status" -eq 100 ]
	run --separate-stderr readproctitle errors: ab.....
	[ "$status" -eq 100 ]
}

@test "readproctitle: the last bytes read show in ps, after three dots" {
	mkfifo in
	# Read-write: neither this open nor readproctitle's blocks.
	exec 4<>in
	# (An asynchronous command's stdin would be /dev/null.)
	start_bg sh -c 'exec readproctitle service errors: .......... <in 4>&-'
	printf 'abc' >&4
	wait_for eval '[ "$(cmdline $LAST_PID)" = "readproctitle service errors: .......abc " ]'
	printf 'defghijk\0l' >&4
	# Older bytes shift out to the left; a NUL is left out.
	wait_for eval '[ "$(cmdline $LAST_PID)" = "readproctitle service errors: ...fghijkl " ]'
	exec 4>&-
	wait_gone "$LAST_PID"
}

@test "readproctitle: end of input exits 0" {
	run --separate-stderr readproctitle x ..... </dev/null
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "svscanboot: starts svscan on DIR, ignoring the extra argument BSD init adds" {
	mksv s/a 'echo "$PATH" >"'"$T"'/path"; env >"'"$T"'/env"; exec sleep 100'
	FOO=bar start_bg svscanboot "$T/s" sv
	wait_for has_pid s/a
	# svscanboot became svscan; readproctitle is its child.
	[ "$(cmdline $LAST_PID)" = "svscan $T/s " ]
	rpt=$(pgrep -P "$LAST_PID" -x readproctitle)
	[ "$(cmdline $rpt)" = "readproctitle service errors: $DOTS " ]
	# Its own directory first, then the sane default; nothing else kept.
	wait_for test -s path
	[ "$(cat path)" = "$SVBIN:/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin" ]
	! grep -q '^FOO=' env
}

@test "svscanboot: svscan's errors show in ps through readproctitle" {
	mkdir s
	ln -s nowhere s/x
	start_bg svscanboot "$T/s"
	wait_for pgrep -P "$LAST_PID" -x readproctitle
	rpt=$(pgrep -P "$LAST_PID" -x readproctitle)
	wait_for eval 'cmdline '"$rpt"' | grep -q "svscan: warning: unable to stat x: file does not exist"'
	ps -ww -o args= -p "$rpt" | grep -q 'errors: \.\.\..*svscan: warning: unable to stat x'
}

@test "svscanboot: SIGTERM reaches svscan, which stops the services and exits 0" {
	mksv s/a 'exec sleep 100'
	svscanboot "$T/s" 3>&- &
	pid=$!
	BG_PIDS+=("$pid")
	wait_for has_pid s/a
	svc=$(svpid s/a)
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 0 ]
	! alive "$svc"
}

@test "svscanboot: an option is a usage error (100)" {
	run --separate-stderr svscanboot -x
	[ "$status" -eq 100 ]
	[ "$stderr" = "svscanboot: usage: svscanboot [DIR]" ]
}
