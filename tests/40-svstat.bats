#!/usr/bin/env bats
# svstat(8): one line per service directory in daemontools' words with our
# fields appended, or JSON lines with -j. Most tests craft the status record
# by hand and hold supervise/ok open themselves, so that every wording can
# be checked byte for byte without a supervise.

load helpers

oct() { printf '\\%03o' "$1"; }
le32() { local i; for i in 0 1 2 3; do oct $(( ($1 >> (8 * i)) & 255 )); done; }
# tai AGO: a TAI64N label AGO seconds in the past (negative: the future),
# or twelve zero bytes for "-".
tai() {
	local i s
	if [ "$1" = - ]; then
		for i in 1 2 3 4 5 6 7 8 9 10 11 12; do oct 0; done
		return
	fi
	s=$(( (1 << 62) + 10 + NOW - $1 ))
	for i in 7 6 5 4 3 2 1 0; do oct $(( (s >> (8 * i)) & 255 )); done
	for i in 1 2 3 4; do oct 0; done
}
# status DIR AGO PID PAUSED WANT [FLAGS READYAGO WSTATUS STARTS]: writes
# DIR/supervise/status, 18 bytes (daemontools) or 44 (ours, version 2).
# WANT is u, d or 0; FLAGS has 4 for "finish running", which goes into
# runit's run state (byte 19). It also makes supervise/ok and holds it
# open for reading on fd 4, as a running supervise would.
# STATUS_KIND=v1 writes our old 40-byte record instead, =runit runit's 20
# bytes (TERMSENT and RUNSTATE from those variables).
status() {
	local f w run
	NOW=$(date +%s)
	mkdir -p "$1/supervise"
	case $5 in u) w=117 ;; d) w=100 ;; *) w=0 ;; esac
	f="$(tai "$2")$(le32 "$3")$(oct "$4")$(oct $w)"
	if [ "${STATUS_KIND:-}" = runit ]; then
		f="$f$(oct "${TERMSENT:-0}")$(oct "${RUNSTATE:-0}")"
	elif [ "${STATUS_KIND:-}" = v1 ] && [ $# -gt 5 ]; then
		f="$f$(oct 1)$(oct "$6")$(tai "$7")$(le32 "$8")$(le32 "$9")"
	elif [ $# -gt 5 ]; then
		run=0
		[ "$3" != 0 ] && run=1
		[ $(( $6 & 4 )) -ne 0 ] && run=2
		f="$f$(oct 0)$(oct $run)$(oct 2)$(oct $(( $6 & ~4 )))$(oct 0)$(oct 0)"
		f="$f$(tai "$7")$(le32 "$8")$(le32 "$9")"
	fi
	printf "$f" >"$1/supervise/status"
	[ -p "$1/supervise/ok" ] || mkfifo "$1/supervise/ok"
	exec 4<>"$1/supervise/ok"
}
# expect TEMPLATE: $output is TEMPLATE with @S@ = $S and @R@ = $R, or both
# up to five more (seconds may tick between writing the record and svstat
# on a loaded machine).
expect() {
	local k e
	for k in 0 1 2 3 4 5; do
		e=${1//@S@/$((S + k))}
		e=${e//@R@/$((R + k))}
		[ "$output" = "$e" ] && return 0
	done
	printf 'got:  %s\nwant: %s\n' "$output" "$1" >&2
	return 1
}

@test "svstat: no operand is a usage error (100)" {
	run --separate-stderr svstat
	[ "$status" -eq 100 ]
	[ "$stderr" = "svstat: usage: svstat [-j] DIR..." ]
}

@test "svstat: an unknown option is a usage error (100)" {
	run --separate-stderr svstat -x s
	[ "$status" -eq 100 ]
	[ "$stderr" = "svstat: usage: svstat [-j] DIR..." ]
}

@test "svstat: up and ready, with a notification-fd" {
	S=56 R=55
	status web $S 1234 0 u 3 $R 0 1
	echo 3 >web/notification-fd
	run --separate-stderr svstat web
	[ "$status" -eq 0 ]
	expect "web: up (pid 1234) @S@ seconds, ready @R@ seconds"
	[ -z "$stderr" ]
}

@test "svstat: no ready time for a service without notification-fd" {
	S=56 R=56
	status web $S 1234 0 u 3 $R 0 1
	run --separate-stderr svstat web
	[ "$status" -eq 0 ]
	expect "web: up (pid 1234) @S@ seconds"
}

@test "svstat: up, normally down, paused, want down" {
	S=3
	status web $S 1234 1 d 1 $S 0 1
	run --separate-stderr svstat web
	[ "$status" -eq 0 ]
	expect "web: up (pid 1234) @S@ seconds, normally down, paused, want down"
}

@test "svstat: down after exiting 1, with its start count" {
	S=3
	status db $S 0 0 u $((2 | 16)) - 256 42
	run --separate-stderr svstat db
	[ "$status" -eq 0 ]
	expect "db: down @S@ seconds, normally up, want up, exited 1, 42 starts"
}

@test "svstat: down after SIGKILL, one start" {
	S=7
	status x $S 0 0 d 16 - 9 1
	run --separate-stderr svstat x
	[ "$status" -eq 0 ]
	expect "x: down @S@ seconds, killed by SIGKILL, 1 start"
}

@test "svstat: a service started with svc -o says once" {
	S=12
	status once $S 99 0 0 3 $S 0 1
	run --separate-stderr svstat once
	[ "$status" -eq 0 ]
	expect "once: up (pid 99) @S@ seconds, once"
}

@test "svstat: an up service that restarted shows its start count" {
	S=2
	status flap $S 4242 0 u 19 $S 256 17
	run --separate-stderr svstat flap
	[ "$status" -eq 0 ]
	expect "flap: up (pid 4242) @S@ seconds, 17 starts"
}

@test "svstat: while ./finish runs the service is down and finishing" {
	S=0
	status s $S 0 0 u $((2 | 4 | 16)) - 768 1
	run --separate-stderr svstat s
	[ "$status" -eq 0 ]
	expect "s: down @S@ seconds, normally up, want up, finishing, exited 3, 1 start"
}

@test "svstat: a time stamp in the future counts as 0 seconds" {
	status s -100 1234 0 u 3 -100 0 1
	run --separate-stderr svstat s
	[ "$status" -eq 0 ]
	[ "$output" = "s: up (pid 1234) 0 seconds" ]
}

@test "svstat: reads daemontools' 18-byte record, normally down from ./down" {
	S=5
	status s $S 1234 0 u
	touch s/down
	run --separate-stderr svstat s
	[ "$status" -eq 0 ]
	expect "s: up (pid 1234) @S@ seconds, normally down"
	rm s/down
	status s $S 0 0 u
	run --separate-stderr svstat s
	expect "s: down @S@ seconds, normally up, want up"
}

@test "svstat: a FIFO nobody reads: supervise not running, exit 0" {
	mkdir -p y/supervise
	mkfifo y/supervise/ok
	run --separate-stderr svstat y
	[ "$status" -eq 0 ]
	[ "$output" = "y: supervise not running" ]
	[ -z "$stderr" ]
}

@test "svstat: a directory never supervised cannot be read (111)" {
	mkdir z
	run --separate-stderr svstat z
	[ "$status" -eq 111 ]
	[ "$output" = "z: unable to open supervise/ok: file does not exist" ]
}

@test "svstat: a missing directory cannot be read (111)" {
	run --separate-stderr svstat nosuch
	[ "$status" -eq 111 ]
	[ "$output" = "nosuch: unable to chdir: file does not exist" ]
}

@test "svstat: a missing status file cannot be read (111)" {
	status s 1 1234 0 u
	rm s/supervise/status
	run --separate-stderr svstat s
	[ "$status" -eq 111 ]
	[ "$output" = "s: unable to read supervise/status: file does not exist" ]
}

@test "svstat: a truncated status file is bad format (111)" {
	status s 1 1234 0 u 3 1 0 1
	head -c 30 s/supervise/status >short && mv short s/supervise/status
	run --separate-stderr svstat s
	[ "$status" -eq 111 ]
	[ "$output" = "s: unable to read supervise/status: bad format" ]
	: >s/supervise/status
	run --separate-stderr svstat s
	[ "$status" -eq 111 ]
	[ "$output" = "s: unable to read supervise/status: bad format" ]
}

@test "svstat: a garbage status file of the right length is bad format (111)" {
	status s 1 1234 0 u
	printf '%044d' 7 >s/supervise/status
	run --separate-stderr svstat s
	[ "$status" -eq 111 ]
	[ "$output" = "s: unable to read supervise/status: bad format" ]
	head -c 18 /dev/zero >s/supervise/status
	run --separate-stderr svstat s
	[ "$status" -eq 111 ]
	[ "$output" = "s: unable to read supervise/status: bad format" ]
	status s 1 1234 0 u 1 - 0 1	# ready without a ready time
	run --separate-stderr svstat s
	[ "$status" -eq 111 ]
	[ "$output" = "s: unable to read supervise/status: bad format" ]
}

@test "svstat: one line per directory, exit 111 if any could not be read" {
	status a -100 1234 0 u 3 -100 0 1
	run --separate-stderr svstat a nosuch a
	[ "$status" -eq 111 ]
	[ "${lines[0]}" = "a: up (pid 1234) 0 seconds" ]
	[ "${lines[1]}" = "nosuch: unable to chdir: file does not exist" ]
	[ "${lines[2]}" = "a: up (pid 1234) 0 seconds" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "svstat -j: up and ready as one JSON line" {
	S=56 R=55
	status web $S 1234 0 u 3 $R 0 1
	run --separate-stderr svstat -j web
	[ "$status" -eq 0 ]
	expect '{"dir":"web","state":"up","pid":1234,"seconds":@S@,"paused":false,"want":"up","normally":"up","ready":true,"ready_seconds":@R@,"last_exit":null,"last_signal":null,"starts":1,"gave_up":false}'
}

@test "svstat -j: down, killed by a signal; once; finishing" {
	S=7
	status x $S 0 0 d 16 - 9 1
	run --separate-stderr svstat -j x
	expect '{"dir":"x","state":"down","pid":null,"seconds":@S@,"paused":false,"want":"down","normally":"down","ready":false,"last_exit":null,"last_signal":"SIGKILL","starts":1,"gave_up":false}'
	status x $S 99 1 0 17 $S 512 2
	run --separate-stderr svstat -j x
	expect '{"dir":"x","state":"up","pid":99,"seconds":@S@,"paused":true,"want":"once","normally":"down","ready":true,"ready_seconds":@S@,"last_exit":2,"last_signal":null,"starts":2,"gave_up":false}'
	status x $S 0 0 u 22 - 256 1
	run --separate-stderr svstat -j x
	expect '{"dir":"x","state":"finish","pid":null,"seconds":@S@,"paused":false,"want":"up","normally":"up","ready":false,"last_exit":1,"last_signal":null,"starts":1,"gave_up":false}'
}

@test "svstat -j: an 18-byte record leaves out the fields it lacks" {
	S=4
	status s $S 0 0 d
	run --separate-stderr svstat -j s
	[ "$status" -eq 0 ]
	expect '{"dir":"s","state":"down","pid":null,"seconds":@S@,"paused":false,"want":"down","normally":"up"}'
}

@test "svstat -j: not running and error lines" {
	mkdir -p y/supervise z
	mkfifo y/supervise/ok
	run --separate-stderr svstat -j y z
	[ "$status" -eq 111 ]
	[ "${lines[0]}" = '{"dir":"y","state":"not-running"}' ]
	[ "${lines[1]}" = '{"dir":"z","state":"error","error":"unable to open supervise/ok: file does not exist"}' ]
}

@test "svstat -j: quotes, backslashes and control characters in DIR are escaped" {
	d=$(printf 'a"b\\c\td\ne\001f')
	S=0
	status "$d" $S 1234 0 u 0 - 0 1
	run --separate-stderr svstat -j "$d"
	[ "$status" -eq 0 ]
	expect '{"dir":"a\"b\\c\td\ne\u0001f","state":"up","pid":1234,"seconds":@S@,"paused":false,"want":"up","normally":"down","ready":false,"last_exit":null,"last_signal":null,"starts":1,"gave_up":false}'

}

@test "svstat: a live service under our supervise" {
	mksv s 'exec sleep 100'
	start_bg supervise s
	wait_for has_pid s
	run --separate-stderr svstat s
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^s:\ up\ \(pid\ $(svpid s)\)\ [01]\ seconds$ ]]
}

@test "svstat: 500 directories in one call, every one of them read" {
	mksv s 'exec sleep 100'
	start_bg supervise s
	wait_for has_pid s
	# 500 names for the one service (svstat closes descriptors in
	# batches), with an error and a stopped one among them.
	for i in $(seq 1 500); do ln -s s d$i; done
	mkdir -p d250.x/supervise && mkfifo d250.x/supervise/ok
	run --separate-stderr svstat $(seq -f 'd%g' 1 249) d250.x nosuch \
	    $(seq -f 'd%g' 251 500)
	[ "$status" -eq 111 ]
	[ "${#lines[@]}" = 501 ]
	[ "$(printf '%s\n' "$output" | grep -c ": up (pid $(svpid s)) ")" = 499 ]
	[ "${lines[248]%%:*}" = d249 ]
	[ "${lines[249]}" = "d250.x: supervise not running" ]
	[ "${lines[250]}" = "nosuch: unable to chdir: file does not exist" ]
	[ "${lines[500]%%:*}" = d500 ]
}

@test "svstat: reads our old version-1 record (40 bytes)" {
	S=3
	STATUS_KIND=v1 status db $S 0 0 u $((2 | 16)) - 256 42
	[ "$(stat -c %s db/supervise/status)" = 40 ]
	run --separate-stderr svstat db
	[ "$status" -eq 0 ]
	expect "db: down @S@ seconds, normally up, want up, exited 1, 42 starts"
	STATUS_KIND=v1 status db $S 0 0 u $((2 | 4 | 16)) - 768 1
	run --separate-stderr svstat db
	expect "db: down @S@ seconds, normally up, want up, finishing, exited 3, 1 start"
}

@test "svstat: reads runit's 20-byte record, finish state included" {
	S=5
	STATUS_KIND=runit RUNSTATE=1 status r $S 1234 0 u
	[ "$(stat -c %s r/supervise/status)" = 20 ]
	run --separate-stderr svstat r
	[ "$status" -eq 0 ]
	expect "r: up (pid 1234) @S@ seconds"
	# runsv keeps finish's pid in the record while finish runs
	STATUS_KIND=runit RUNSTATE=2 status r $S 4321 0 u
	run --separate-stderr svstat -j r
	expect '{"dir":"r","state":"finish","pid":null,"seconds":@S@,"paused":false,"want":"up","normally":"up"}'
	# a run state or got-TERM byte runit never writes is garbage
	STATUS_KIND=runit RUNSTATE=7 status r $S 1234 0 u
	run --separate-stderr svstat r
	[ "$status" -eq 111 ]
	[ "$output" = "r: unable to read supervise/status: bad format" ]
}

@test "svstat: a service that gave up says after how many exits" {
	S=2
	status bad $S 0 0 d $((2 | 16 | 32)) - 256 5
	echo '5 10' >bad/restart-limit
	run --separate-stderr svstat bad
	[ "$status" -eq 0 ]
	expect "bad: down @S@ seconds, normally up, exited 1, 5 starts, gave up after 5 exits in 10 s"
	run --separate-stderr svstat -j bad
	expect '{"dir":"bad","state":"down","pid":null,"seconds":@S@,"paused":false,"want":"down","normally":"up","ready":false,"last_exit":1,"last_signal":null,"starts":5,"gave_up":true}'
	rm bad/restart-limit
	run --separate-stderr svstat bad
	expect "bad: down @S@ seconds, normally up, exited 1, 5 starts, gave up"
}

@test "svstat: a ready time after the start is shown for a service with check" {
	S=56 R=55
	status web $S 1234 0 u 3 $R 0 1
	printf '#!/bin/sh\nexit 0\n' >web/check
	chmod +x web/check
	run --separate-stderr svstat web
	expect "web: up (pid 1234) @S@ seconds, ready @R@ seconds"
}

@test "svstat: with stdin closed it still prints every line" {
	status a -100 1234 0 u 3 -100 0 1
	for i in $(seq 1 200); do ln -s a l$i; done
	run --separate-stderr eval 'svstat a $(seq -f "l%g" 1 200) <&-'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 201 ]
	[ "${lines[200]}" = "l200: up (pid 1234) 0 seconds" ]
	run --separate-stderr eval 'svstat a <&- 2>&-'
	[ "$output" = "a: up (pid 1234) 0 seconds" ]
}

@test "svstat: 300 directories under ulimit -n 16: every line (fewer descriptors kept)" {
	# svstat closes its descriptors in batches; with few to spare, it
	# closes the batch early rather than fail the directories after it.
	status a -100 1234 0 u 3 -100 0 1
	for i in $(seq 1 300); do ln -s a l$i; done
	run --separate-stderr eval 'ulimit -n 16; svstat $(seq -f "l%g" 1 300)'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 300 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c ': up (pid 1234) ')" -eq 300 ]
	[ -z "$stderr" ]
}
