#!/usr/bin/env bats
# Fault injection: supervise, svscan and multilog keep working while the
# world around them misbehaves (a killed supervise, fork failing, a full
# disk, a flapping service, a crowd of svc and svstat), and a broken
# configuration file is reported, never fatal.

load helpers

# The helpers' teardown, plus unmounting whatever a test mounted in $T.
eval "helpers_$(declare -f teardown)"
teardown() {
	local m
	helpers_teardown
	for m in $(awk -v t="$T" 'index($2, t) == 1 { print $2 }' \
	    /proc/self/mounts 2>/dev/null | sort -r); do
		umount -l "$m" 2>/dev/null
	done
	return 0
}

uptime_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
# started_ms PID: when the kernel forked PID, in ms since boot.
started_ms() {
	sed 's/.*) //' "/proc/$1/stat" |
	    awk -v hz="$(getconf CLK_TCK)" '{ print int($20 * 1000 / hz) }'
}
lines() { [ "$(wc -l <"$1" 2>/dev/null)" -ge "$2" ]; }
# fds PID: the descriptors PID holds, with what they point to.
fds() { ls -l "/proc/$1/fd" | awk 'NF > 3 { print $(NF - 2), $NF }'; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# in_dir DIR NAME: the pids of the processes called NAME working in DIR.
in_dir() {
	local p d
	d=$(cd "$1" && pwd -P) || return 1
	for p in $(pgrep -x "$2"); do
		[ "$(readlink "/proc/$p/cwd")" = "$d" ] && echo "$p"
	done
}
# tmpfs_at DIR KB [INODES]: mounts a tmpfs of KB KiB on DIR (root only).
tmpfs_at() {
	mkdir -p "$1"
	mount -t tmpfs -o "size=${2}k,nr_inodes=${3:-1000},mode=0700" \
	    tmpfs "$1" || skip "cannot mount a tmpfs here"
}
# fill DIR: uses up every inode of DIR's file system, so that no file can
# be created there, whatever is removed or renamed meanwhile.
fill() {
	local i=0
	while : 2>/dev/null >"$1/fill.$i"; do i=$((i + 1)); done
}

@test "faults: a supervise killed with SIGKILL under svscan is back within 1 s, its service not run twice" {
	mksv s/a 'echo $$ >>pids; exec sleep 100'
	start_bg svscan s
	wait_for test -s s/a/pids
	old=$(sup_pid s/a)
	svc=$(cat s/a/pids)
	# svscan waits out a second between two starts of one supervise.
	wait_for eval '[ "$(ps -o etimes= -p '"$old"')" -ge 2 ]'
	t0=$(uptime_ms)
	kill -KILL "$old"
	wait_for lines s/a/pids 2
	new=$(sup_pid s/a)
	t1=$(started_ms "$new")
	echo "latency $((t1 - t0)) ms"
	[ $((t1 - t0)) -lt 1000 ]
	wait_gone "$svc"
	[ "$(svpid s/a)" = "$(tail -n 1 s/a/pids)" ]
	[ "$(in_dir s/a sleep)" = "$(svpid s/a)" ]
}

@test "faults: fork failing: supervise stays up, says so, and starts the service once forks work" {
	require_root
	command -v setpriv >/dev/null && command -v prlimit >/dev/null ||
	    skip "setpriv or prlimit is not installed"
	# Root ignores RLIMIT_NPROC: run supervise as an unused uid, allowed
	# one more process than that uid has, the last one taken by a blocker.
	# From a clone in a private directory too: programs that uid can run.
	let_others_in
	chmod 755 "$T"
	bin=$(nobody_bin)
	mksv s 'echo $$ >pids; exec sleep 100'
	chown -R 47011:47011 s
	as=(setpriv --reuid 47011 --regid 47011 --clear-groups)
	start_bg "${as[@]}" sleep 100
	blocker=$LAST_PID
	n=$(ps -u 47011 --no-headers | wc -l)
	start_bg "${as[@]}" "$bin/softlimit" -p $((n + 1)) "$bin/supervise" s 2>err
	wait_for eval '[ "$(grep -c "unable to fork" err)" -ge 2 ]'
	sup=$(sup_pid s)
	[ "$(head -n 1 err)" = "supervise: warning: unable to fork for s: temporary failure" ]
	[ ! -e s/pids ]
	svstat s | grep -q '^s: down '
	kill "$blocker"
	wait_for test -s s/pids
	wait_for has_pid s
	[ "$(svpid s)" = "$(cat s/pids)" ]
	[ "$(sup_pid s)" = "$sup" ]
	[ "$(st_starts s)" = 1 ]
}

@test "faults: a full disk under supervise/: updates fail loudly, supervising goes on, then recovers" {
	require_root
	mksv s 'echo $$ >>pids; exec sleep 100'
	tmpfs_at s/supervise 64 32
	start_bg supervise s 2>err
	wait_for has_pid s
	first=$(svpid s)
	fill s/supervise
	# A dead service is restarted although its state cannot be written.
	kill -KILL "$first"
	wait_for lines s/pids 2
	wait_for grep -q 'unable to write s/supervise/status' err
	grep -q '^supervise: warning: unable to write s/supervise/status: out of disk space$' err
	second=$(tail -n 1 s/pids)
	alive "$second"
	# Readers still see a whole record, the last one written.
	run --separate-stderr svstat s
	[ "$status" = 0 ]
	[[ "$output" == "s: up (pid $first) "* ]]
	svc -d s
	wait_gone "$second"
	alive "$LAST_PID"
	rm s/supervise/fill.*
	svc -u s
	wait_for eval '[ "$(svpid s)" = "$(tail -n 1 s/pids)" ]'
	[ "$(wc -l <s/pids)" = 3 ]
	run --separate-stderr svstat s
	[[ "$output" == "s: up (pid $(tail -n 1 s/pids)) "* ]]
	[ ! -e s/supervise/status.new ]
}

# Slow (about 10 s): with the 1 s throttle, each supervise sees about eight
# exits in that time; five services of different kinds under one svscan
# make forty. 10,000 exits would take hours.
@test "faults: services exiting at once, 8 s: throttle holds, no fd or memory growth in supervise and svscan" {
	mksv s/plain 'exit 1'
	mksv s/finish 'exit 2'
	printf '#!/bin/sh\nexit 0\n' >s/finish/finish
	chmod +x s/finish/finish
	mksv s/notify 'echo >&5; exit 3'
	echo 5 >s/notify/notification-fd
	mksv s/killpg 'kill -9 $$'
	: >s/killpg/killpg
	mksv s/logged 'echo hello; exit 4'
	mksv s/logged/log 'exec cat >/dev/null'
	svs="plain finish notify killpg logged"
	for d in $svs; do : >s/$d/down; done
	start_bg svscan s
	scan=$LAST_PID
	# Descriptors are compared with every service down, before and after;
	# a supervise that wrote stat is past its set-up.
	for d in $svs; do wait_for stat_is s/$d down; done
	for d in $svs; do
		p=$(sup_pid s/$d)
		echo "$p" >sup.$d
		fds "$p" >fd.$d.0
	done
	svc -u s/*
	# Memory is compared once every code path has run.
	for d in $svs; do wait_for eval "[ \"\$(st_starts s/$d)\" -ge 2 ]"; done
	t0=$(date +%s%N)
	fds "$scan" >fd.scan.0
	r0=$(rss_kb "$scan")
	for d in $svs; do
		rss_kb "$(cat sup.$d)" >rss.$d.0
		st_starts s/$d >starts.$d.0
	done
	# An observation window, not a synchronisation.
	sleep 8
	for d in $svs; do st_starts s/$d >starts.$d.1; done
	t1=$(date +%s%N)
	# Rounded up: the counters were read within [t0, t1].
	secs=$(( (t1 - t0 + 999999999) / 1000000000 ))
	for d in $svs; do
		p=$(cat sup.$d)
		n=$(( $(cat starts.$d.1) - $(cat starts.$d.0) ))
		echo "$d: $n starts in $secs s, rss $(cat rss.$d.0) -> $(rss_kb "$p") kB"
		[ "$n" -ge 3 ]
		[ "$n" -le $((secs + 1)) ]
		[ "$(rss_kb "$p")" -le $(( $(cat rss.$d.0) + 64 )) ]
	done
	echo "svscan: rss $r0 -> $(rss_kb "$scan") kB"
	[ "$(rss_kb "$scan")" -le $((r0 + 64)) ]
	svc -d s/*
	for d in $svs; do wait_for stat_is s/$d down; done
	for d in $svs; do diff fd.$d.0 <(fds "$(cat sup.$d)"); done
	diff fd.scan.0 <(fds "$scan")
}

# Slow (10 s): the crowd has to run long enough to meet every moment of
# supervise's cycle (down signal, throttle, restart) many times.
@test "faults: 50 svc writers and 50 svstat readers for 10 s: no torn read, d then u ends up" {
	mksv s 'exec sleep 100'
	start_bg supervise s 2>err
	sup=$LAST_PID
	wait_for has_pid s
	# One shell starts the crowd, so that they all start at once.
	start_bg bash -c 'end=$((SECONDS + 10))
	for i in $(seq 50); do
		while [ $SECONDS -lt $end ]; do
			svc -d s || echo "svc -d: $?"; svc -u s || echo "svc -u: $?"
		done >w.$i 2>&1 &
		while [ $SECONDS -lt $end ]; do
			svstat s || echo "svstat: $?"
		done >r.$i 2>&1 &
	done
	wait'
	wait_gone "$LAST_PID" 60
	alive "$sup"
	cat w.* >writers
	[ ! -s writers ]
	cat r.* >readers
	wc -l readers
	[ "$(wc -l <readers)" -ge 50 ]
	bad=$(grep -Ev '^s: (up \(pid [0-9]+\)|down) [0-9]+ seconds?(, [A-Za-z0-9 ]+)*$' readers || true)
	[ -z "$bad" ]
	# Every writer's last command was u; supervise may still be working
	# through the backlog in the FIFO, so wait for the end of it.
	wait_for -t 20 eval '[[ "$(svstat s)" == "s: up (pid "* ]] &&
	    [[ "$(svstat s)" != *"want down"* ]]'
	[ ! -s err ]
}

@test "faults: the disk filling under multilog: it waits, retries, and drops no line" {
	require_root
	tmpfs_at main 16
	mkfifo in
	exec 5<>in
	start_bg sh -c 'exec multilog s4096 n20 ./main <in 2>err' 5>&-
	seq -f 'line %05g of a log that fills the disk' 1000 >&5
	wait_for grep -q 'out of disk space' err
	head -n 1 err
	grep -q '^multilog: warning: unable to write to ./main/current, pausing: out of disk space$' err
	alive "$LAST_PID"
	mount -o remount,size=1m main
	exec 5>&-
	wait_gone "$LAST_PID" 30
	diff <(seq -f 'line %05g of a log that fills the disk' 1000) \
	    <(cat main/@* main/current)
}

# down_with VALUE: with VALUE in s/down-signal, svc -d s (whose service
# ignores it); prints the name of the signal the service caught.
down_with() {
	local n
	printf '%s' "$1" >s/down-signal
	n=$(wc -l <s/caught)
	svc -d s
	wait_for lines s/caught $((n + 1))
	tail -n 1 s/caught
}

@test "faults: a down-signal that is no signal is reported, and TERM sent" {
	mksv s 'for s in TERM USR1; do trap "echo $s >>caught" $s; done
	: >caught; echo $$ >p; while :; do sleep 1 & wait $!; done'
	start_bg supervise s 2>err
	wait_for test -s s/p
	long=$(printf 'T%.0s' $(seq 40))
	bin=$'\x01\xff'
	for v in FOO SIGFOO 0 65 '' "$long" "$bin" 'TERM TERM'; do
		[ "$(down_with "$v")" = TERM ]
	done
	diff - err <<-END
	supervise: warning: invalid s/down-signal: FOO: using TERM
	supervise: warning: invalid s/down-signal: SIGFOO: using TERM
	supervise: warning: invalid s/down-signal: 0: using TERM
	supervise: warning: invalid s/down-signal: 65: using TERM
	supervise: warning: invalid s/down-signal: : using TERM
	supervise: warning: invalid s/down-signal: ${long:0:28}...: using TERM
	supervise: warning: invalid s/down-signal: $bin: using TERM
	supervise: warning: invalid s/down-signal: TERM TERM: using TERM
	END
	# Still supervising the same service, and a good value works.
	[ "$(down_with SIGUSR1)" = USR1 ]
	[ "$(svpid s)" = "$(cat s/p)" ]
}

@test "faults: garbage in timeout-kill, timeout-finish, restart-delay-max: reported, defaults used" {
	mksv s 'echo $$ >>pids; exec sleep 100'
	printf '#!/bin/sh\nexec sleep 100\n' >s/finish
	chmod +x s/finish
	# 40 digits: too long, not a number cut short (that would be 0).
	printf '%040d\n' 300 >s/timeout-kill
	echo 'soon' >s/timeout-finish
	printf '\x00\x01' >s/restart-delay-max
	start_bg supervise s 2>err
	wait_for test -s s/pids
	# timeout-kill: no SIGKILL (the default is never); TERM does it.
	svc -d s
	# timeout-finish: the default, 5 s, kills this finish.
	wait_for stat_is s finish
	wait_for -t 15 stat_is s down
	svc -u s
	wait_for lines s/pids 2
	# restart-delay-max: read when the service dies by itself (a stop
	# on request does not back off).
	kill -KILL "$(svpid s)"
	wait_for grep -q '^supervise: warning: invalid s/restart-delay-max: ' err
	grep -qx "supervise: warning: invalid s/timeout-kill: $(printf '%028d' 0)..." err
	grep -qx 'supervise: warning: invalid s/timeout-finish: soon' err
	[ "$(grep -vc 'warning: invalid' err)" = 0 ]
}

@test "faults: svscan supervises names with spaces, newlines and a leading dash" {
	for n in 'a b' $'a\nb' '-x' ' '; do mksv "s/$n" 'exec sleep 100'; done
	start_bg svscan s 2>err
	for n in 'a b' $'a\nb' '-x' ' '; do wait_for has_pid "s/$n"; done
	run --separate-stderr svstat s/-x 's/a b'
	[ "$status" = 0 ]
	[[ "${lines[0]}" == "s/-x: up (pid "* ]]
	[[ "${lines[1]}" == "s/a b: up (pid "* ]]
	[ ! -s err ]
}
