#!/usr/bin/env bats
# examples/sv-migrate: what must change in a runit, s6 or daemontools
# service directory to run under our supervise (sv-differences(7)).

load helpers

MIGRATE="$BATS_TEST_DIRNAME/../examples/sv-migrate"

@test "sv-migrate: a daemontools service directory: nothing must change" {
	mksv dt 'exec sleep 100'
	mkdir dt/log
	printf '#!/bin/sh\nexec multilog t ./main\n' >dt/log/run
	run --separate-stderr "$MIGRATE" dt
	[ "$status" -eq 0 ]
	[ "$output" = "dt: nothing must change" ]
}

@test "sv-migrate: runit's control/ and a finish that tests for -1 must change" {
	mksv rn 'exec sleep 100'
	mkdir rn/control
	printf '#!/bin/sh\nexit 0\n' >rn/control/d
	printf '#!/bin/sh\n[ "$1" = -1 ] && echo killed\n' >rn/finish
	run --separate-stderr "$MIGRATE" rn
	[ "$status" -eq 1 ]
	[[ "$output" == *"rn: must change: control/ (runit's custom commands: d) is ignored here"* ]]
	[[ "$output" == *"rn: must change: finish mentions -1"* ]]
	[[ "$output" == *"rn: note: finish is killed after 5 seconds here"* ]]
	[[ "$output" != *"nothing must change"* ]]
}

@test "sv-migrate -w: s6's timeout-finish 0 lets finish run to its end, as in s6" {
	# Under our supervise, timeout-finish 0 kills finish at once: the
	# finish below never gets to touch its file. After sv-migrate -w it
	# does.
	mksv s 'exec sleep 100'
	printf '#!/bin/sh\nsleep 0.2\ntouch finished\n' >s/finish
	chmod +x s/finish
	echo 0 >s/timeout-finish
	run --separate-stderr "$MIGRATE" s
	[ "$status" -eq 1 ]
	[[ "$output" == *"s: must change: timeout-finish 0 means no limit in s6"* ]]
	start_bg supervise s
	wait_for has_pid s
	svc -d -wD -T 5000 s
	[ ! -e s/finished ]
	run --separate-stderr "$MIGRATE" -w s
	[ "$status" -eq 0 ]
	[[ "$output" == *"s: changed: timeout-finish 0 (s6: no limit) is now 1099511627776"* ]]
	[ "$(cat s/timeout-finish)" = 1099511627776 ]
	svc -u -wu -T 5000 s
	svc -d -wD -T 5000 s
	[ -e s/finished ]
}

@test "sv-migrate: usage 100, an unreadable directory 111" {
	run --separate-stderr "$MIGRATE"
	[ "$status" -eq 100 ]
	[ "$stderr" = "sv-migrate: usage: sv-migrate [-w] DIR..." ]
	run --separate-stderr "$MIGRATE" nosuchdir
	[ "$status" -eq 111 ]
	[ "$stderr" = "sv-migrate: fatal: unable to read nosuchdir" ]
}
