#!/usr/bin/env bats
# svscan(8): one supervise per service directory, noticed at once, restarted
# at once, stopped when the directory goes, all stopped on SIGTERM.

load helpers

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Latencies are measured with the kernel's clock, not the polling loop's,
# which a loaded machine slows down: uptime_ms before the event, then
# started_ms PID of the process the event led to.
uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
started_ms() {
	local hz
	hz=$(getconf CLK_TCK)
	sed 's/.*) //' "/proc/$1/stat" | awk -v hz="$hz" '{ print int($20 * 1000 / hz) }'
}

# within_1s T0 PID: PID started less than a second after T0 (uptime_ms).
within_1s() {
	local t1
	t1=$(started_ms "$2")
	echo "latency $((t1 - $1)) ms"
	[ $((t1 - $1)) -lt 1000 ]
}

# supervised DIR: a supervise holds DIR/supervise/ok open.
supervised() { svok "$1" 2>/dev/null; }

@test "svscan: an unknown option is a usage error (100)" {
	run --separate-stderr svscan -x
	[ "$status" -eq 100 ]
	[ "$stderr" = "svscan: usage: svscan [-t SECS] [-g MS] [DIR [-- PROG ARG...]]" ]
}

@test "svscan: two directories, or a bad -t or -g, are usage errors" {
	run --separate-stderr svscan a b
	[ "$status" -eq 100 ]
	[ "$stderr" = "svscan: usage: svscan [-t SECS] [-g MS] [DIR [-- PROG ARG...]]" ]
	run --separate-stderr svscan -t 5s .
	[ "$status" -eq 100 ]
	run --separate-stderr svscan -g -1 .
	[ "$status" -eq 100 ]
}

@test "svscan: a missing scan directory is fatal (111)" {
	run --separate-stderr svscan nosuch
	[ "$status" -eq 111 ]
	[ "$stderr" = "svscan: fatal: unable to chdir to nosuch: file does not exist" ]
}

@test "svscan: every service directory runs, dot-directories and files do not" {
	mksv s/a 'exec sleep 100'
	mksv s/.hidden 'exec sleep 100'
	mksv real 'exec sleep 100'
	ln -s ../real s/b
	echo x >s/plain
	start_bg svscan s 2>err
	wait_for has_pid s/a
	wait_for has_pid s/b
	[ ! -e s/.hidden/supervise ]
	[ ! -e s/plain.supervise ]
	[ -z "$(cat err)" ]
}

@test "svscan: a service directory renamed into place is up within 1 s" {
	mkdir s
	start_bg svscan s
	mksv new 'exec sleep 100'
	# Let svscan settle into its idle poll before the clock starts.
	wait_for eval '[ "$(cut -d" " -f3 /proc/$LAST_PID/stat)" = S ]'
	t0=$(uptime_ms)
	mv new s/new
	wait_for -t 10 has_pid s/new
	within_1s "$t0" "$(svpid s/new)"
}

@test "svscan: a supervise killed with SIGKILL is back within 1 s" {
	mksv s/a 'exec sleep 100'
	start_bg svscan s
	wait_for has_pid s/a
	old=$(sup_pid s/a)
	# Its service is left behind, as with any killed supervise.
	svc=$(svpid s/a)
	# A supervise that dies within 1 s of its start waits out that second.
	wait_for eval '[ "$(ps -o etimes= -p '"$old"')" -ge 2 ]'
	t0=$(uptime_ms)
	kill -KILL "$old"
	wait_gone "$old"
	wait_for supervised s/a
	new=$(sup_pid s/a)
	# The new supervise may have stopped it already (and said so).
	kill -KILL "$svc" 2>/dev/null || true
	[ "$new" != "$old" ]
	within_1s "$t0" "$new"
}

@test "svscan: a removed service directory is brought down and its supervise exits" {
	mksv s/a 'exec sleep 100'
	start_bg svscan s
	wait_for has_pid s/a
	svc=$(svpid s/a)
	sup=$(sup_pid s/a)
	rm -rf s/a
	wait_gone "$svc"
	wait_gone "$sup"
	alive "$LAST_PID"
}

@test "svscan: a service directory renamed away is brought down through its control FIFO" {
	mksv s/a 'exec sleep 100'
	start_bg svscan s
	wait_for has_pid s/a
	svc=$(svpid s/a)
	sup=$(sup_pid s/a)
	mv s/a gone
	wait_gone "$svc"
	wait_gone "$sup"
	stat_is gone down
	# The name comes back as a new directory: it is started afresh.
	mksv s/a 'exec sleep 100'
	wait_for has_pid s/a
}

@test "svscan: SIGHUP rescans at once (-t 0), e.g. for a symlink whose target appears" {
	mkdir s
	ln -s ../later s/x
	start_bg svscan -t 0 s 2>err
	wait_for grep -q 'unable to stat x' err
	[ "$(cat err)" = "svscan: warning: unable to stat x: file does not exist" ]
	mksv later 'exec sleep 100'
	kill -HUP "$LAST_PID"
	wait_for has_pid later
}

@test "svscan: SIGALRM rescans at once too" {
	mkdir s
	ln -s ../later s/x
	start_bg svscan s 2>err
	wait_for grep -q 'unable to stat x' err
	mksv later 'exec sleep 100'
	kill -ALRM "$LAST_PID"
	wait_for has_pid later
}

@test "svscan -t 1: the timer rescans without a signal" {
	mkdir s
	ln -s ../later s/x
	start_bg svscan -t 1 s 2>err
	wait_for grep -q 'unable to stat x' err
	mksv later 'exec sleep 100'
	wait_for -t 5 has_pid later
}

@test "svscan: idle, it makes no system call (no wake-ups)" {
	mksv s/a 'exec sleep 100'
	start_bg svscan s
	wait_for has_pid s/a
	wait_for eval '[ "$(cut -d" " -f3 /proc/$LAST_PID/stat)" = S ]'
	before=$(awk '/^voluntary_ctxt_switches/ { print $2 }' /proc/$LAST_PID/status)
	# Not a synchronisation: an observation window for wake-ups.
	sleep 1.5
	after=$(awk '/^voluntary_ctxt_switches/ { print $2 }' /proc/$LAST_PID/status)
	echo "before $before after $after"
	[ "$before" = "$after" ]
}

@test "svscan: SIGTERM stops every service and supervise, then exits 0" {
	mksv s/a 'exec sleep 100'
	mksv s/b 'exec sleep 100'
	svscan s 3>&- &
	pid=$!
	BG_PIDS+=("$pid")
	wait_for has_pid s/a
	wait_for has_pid s/b
	a=$(svpid s/a) b=$(svpid s/b)
	sa=$(sup_pid s/a) sb=$(sup_pid s/b)
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 0 ]
	! alive "$a" && ! alive "$b" && ! alive "$sa" && ! alive "$sb"
}

@test "svscan: SIGINT does the same, also with an empty scan directory" {
	mkdir s
	svscan s 3>&- &
	pid=$!
	BG_PIDS+=("$pid")
	wait_for eval '[ "$(cut -d" " -f3 /proc/'"$pid"'/stat)" = S ]'
	kill -INT "$pid"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 0 ]
}

@test "svscan -g: a service ignoring its down signal is killed after the grace time" {
	mksv s/a 'trap "" TERM; while :; do sleep 1; done'
	svscan -g 300 s 3>&- &
	pid=$!
	BG_PIDS+=("$pid")
	wait_for has_pid s/a
	svc=$(svpid s/a)
	t0=$(now_ms)
	kill -TERM "$pid"
	st=0
	wait "$pid" || st=$?
	t1=$(now_ms)
	[ "$st" -eq 0 ]
	! alive "$svc"
	echo "shutdown took $((t1 - t0)) ms"
	[ $((t1 - t0)) -ge 300 ]
	[ $((t1 - t0)) -lt 5000 ]
}

@test "svscan: alone in its directory, it warns once and runs supervise from PATH, retried until there" {
	mksv s/a 'exec /bin/sleep 100'
	mkdir pathdir alone
	cp "$SVBIN/svscan" alone/
	PATH="$T/pathdir" start_bg alone/svscan s 2>err
	wait_for grep -q 'unable to start supervise' err
	[ "$(head -n 2 err)" = "svscan: warning: no supervise beside this svscan: running the first supervise in PATH
svscan: warning: unable to start supervise a: file does not exist" ]
	alive "$LAST_PID"
	ln -s "$SVBIN/supervise" pathdir/supervise
	wait_for has_pid s/a
	[ "$(grep -c 'no supervise beside' err)" = 1 ]
}

@test "svscan: runs the supervise beside it, not an earlier one in PATH" {
	mksv s/a 'exec sleep 100'
	mkdir fake
	printf '#!/bin/sh\necho "$$ $*" >>"%s/fake-ran"\nexec sleep 100\n' "$T" >fake/supervise
	chmod +x fake/supervise
	PATH="$T/fake:$PATH" start_bg svscan s 2>err
	wait_for has_pid s/a
	[ ! -e fake-ran ]
	[ ! -s err ]
	# the supervise that runs is ours: it answers svc -wU
	svc -wU -T 5000 s/a
}

# fake_supervise: $T/fake/supervise records each run in $T/fake/ran and
# stays up; fake/ is nobody's, so that the record is written as nobody too.
fake_supervise() {
	mkdir -p fake
	printf '#!/bin/sh\necho "$$ $*" >>"%s/fake/ran"\nexec sleep 100\n' "$T" >fake/supervise
	chmod 755 fake/supervise
	chown -R nobody fake
}

@test "svscan: as an ordinary user, it runs the supervise beside it, not PATH's" {
	let_others_in
	mksv s/a 'exec sleep 100'
	chown -R nobody s
	fake_supervise
	d=$(nobody_bin)
	start_bg setuidgid nobody env PATH="$T/fake:$d:$PATH" "$d/svscan" s 2>err
	wait_for has_pid s/a
	[ ! -e fake/ran ]
	[ ! -s err ]
	svc -wU -T 5000 s/a
	[ "$(stat -c %U "/proc/$(svpid s/a)")" = nobody ]
}

@test "svscan: as an ordinary user, alone in its directory, it warns once and uses PATH's" {
	let_others_in
	mksv s/a 'exec sleep 100'
	chown -R nobody s
	fake_supervise
	mkdir alone
	cp "$SVBIN/svscan" alone/
	chmod 755 alone
	start_bg setuidgid nobody env PATH="$T/fake:$PATH" "$T/alone/svscan" s 2>err
	wait_for test -s fake/ran
	[ "$(cat err)" = "svscan: warning: no supervise beside this svscan: running the first supervise in PATH" ]
	grep -q " a$" fake/ran
	[ "$(stat -c %U "/proc/$(head -n 1 fake/ran | cut -d' ' -f1)")" = nobody ]
}

@test "svscan: a dangling symlink is started once its target appears, without a signal" {
	mkdir s
	ln -s ../later s/x
	start_bg svscan s 2>err
	wait_for grep -q 'unable to stat x' err
	mksv later 'exec sleep 100'
	# the slow retry timer (5 s) finds it
	wait_for -t 12 has_pid later
	[ "$(grep -c 'unable to stat x' err)" = 1 ]
}

@test "svscan: a renamed entry whose supervise is killed comes back under its new name" {
	mksv s/x 'exec sleep 100'
	start_bg svscan s 2>err
	scan=$LAST_PID
	wait_for has_pid s/x
	old=$(svpid s/x)
	sup=$(sup_pid s/x)
	mv s/x s/y
	kill -KILL "$sup"
	# The old supervise's service is stopped by the new supervise of y.
	wait_for -t 10 new_pid s/y "$old"
	! grep -q 'unable to chdir' err
	# A new x is a new service, not fighting y over a lock.
	mksv s/x 'exec sleep 100'
	wait_for has_pid s/x
	[ "$(svpid s/x)" != "$(svpid s/y)" ]
	! grep -q 'unable to acquire' err
	alive "$scan"
}

@test "svscan: more services than descriptors: said once each, started as some go" {
	# Each logged entry holds three descriptors: with 40, about ten fit.
	mkdir s
	for i in $(seq 1 14); do
		mksv s/v$i 'exec sleep 100'
		mksv s/v$i/log 'exec cat >/dev/null'
	done
	start_bg sh -c 'ulimit -n 40; exec svscan s' 2>err
	scan=$LAST_PID
	wait_for grep -q 'out of descriptors' err
	n=$(grep -c 'out of descriptors' err)
	[ "$n" -ge 1 ]
	grep 'out of descriptors' err | head -n 1 | grep -qx \
	    'svscan: warning: unable to start v[0-9]*: process cannot open more files (out of descriptors: trying again every 5 seconds)'
	# Removing five services frees their descriptors: the retry timer
	# starts the others, and nobody was told twice.
	for i in 1 2 3 4 5; do rm -r s/v$i; done
	for i in $(seq 6 14); do wait_for -t 20 has_pid s/v$i; done
	[ "$(grep -c 'out of descriptors' err)" -eq "$n" ]
	alive "$scan"
}

@test "svscan: raises its descriptor limit to the hard limit" {
	mkdir s
	for i in $(seq 1 30); do
		mksv s/v$i 'exec sleep 100'
		mksv s/v$i/log 'exec cat >/dev/null'
	done
	start_bg sh -c 'ulimit -S -n 40; exec svscan s' 2>err
	scan=$LAST_PID
	for i in $(seq 1 30); do wait_for -t 20 has_pid s/v$i; done
	[ ! -s err ]
	[ "$(awk '/^Max open files/ { print $4 }' /proc/$scan/limits)" = \
	    "$(awk '/^Max open files/ { print $5 }' /proc/$scan/limits)" ]
}

@test "svscan: at the grace time a killpg service's whole group gets SIGKILL" {
	# The service and its child ignore TERM; supervise sends TERM only.
	mksv s/a 'trap "" TERM; sh -c "trap \"\" TERM; echo \$\$ >child; exec sleep 100" & exec sleep 100'
	touch s/a/killpg
	start_bg svscan -g 500 s
	scan=$LAST_PID
	wait_for test -s s/a/child
	child=$(cat s/a/child)
	kill -TERM "$scan"
	wait_gone "$scan" 10
	wait_gone "$child" 2
}
