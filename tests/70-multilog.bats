#!/usr/bin/env bats
# multilog(8): the script, selection, e, =file, t and T, the log directory.

load helpers

# bg_from FILE CMD...: start_bg with stdin from FILE (an & command would
# otherwise get /dev/null).
bg_from() {
	start_bg sh -c 'f=$1; shift; exec "$@" <"$f"' sh "$@"
}

@test "multilog: no script reads the input and discards it, as daemontools" {
	run --separate-stderr sh -c 'seq 1 100000 | multilog'
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ -z "$(ls -d current main lock 2>/dev/null)" ]
}

@test "multilog: an unknown action is a usage error (100), nothing created" {
	run --separate-stderr multilog x ./main </dev/null
	[ "$status" -eq 100 ]
	[ "$stderr" = "multilog: fatal: invalid action x: unknown action" ]
	[ ! -e main ]
}

@test "multilog: an empty action is a usage error (100)" {
	run --separate-stderr multilog '' ./main </dev/null
	[ "$status" -eq 100 ]
	[ "$stderr" = "multilog: fatal: invalid action : unknown action" ]
}

@test "multilog: s below 4096, above 16777215 or not a number is refused (100)" {
	local a
	for a in s4095 s16777216 s99999999999999999999999 sabc s s4096x; do
		run --separate-stderr multilog "$a" ./main </dev/null
		[ "$status" -eq 100 ]
		[ "$stderr" = "multilog: fatal: invalid action $a: size must be between 4096 and 16777215" ]
	done
	[ ! -e main ]
}

@test "multilog: n below 2 is refused (100)" {
	local a
	for a in n1 n0 n nx; do
		run --separate-stderr multilog "$a" ./main </dev/null
		[ "$status" -eq 100 ]
		[ "$stderr" = "multilog: fatal: invalid action $a: number must be at least 2" ]
	done
}

@test "multilog: t anywhere but first is refused (100)" {
	run --separate-stderr multilog ./main t </dev/null
	[ "$status" -eq 100 ]
	[ "$stderr" = "multilog: fatal: invalid action t: t and T must be the first action" ]
}

@test "multilog: s4096 and s16777215 and n2 are accepted" {
	printf 'x\n' | multilog s4096 n2 ./a s16777215 ./b
	[ "$(cat a/current)" = x ]
	[ "$(cat b/current)" = x ]
}

@test "multilog ./main: creates the directory, current 0744 at the end, lock, state" {
	run --separate-stderr multilog ./main <<<$'one\ntwo'
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(cat main/current)" = $'one\ntwo' ]
	[ "$(stat -c %a main)" = 700 ]
	[ "$(stat -c %a main/current)" = 744 ]
	[ -f main/lock ] && [ -f main/state ]
}

@test "multilog: a partial last line gets its newline" {
	printf 'one\ntwo' | multilog ./main
	[ "$(od -An -c main/current | tr -d ' ')" = 'one\ntwo\n' ]
}

@test "multilog: an absolute directory works too" {
	printf 'abs\n' | multilog "$T/abs"
	[ "$(cat abs/current)" = abs ]
}

@test "multilog: a clean current is continued after a restart" {
	printf 'one\n' | multilog ./main
	printf 'two\n' | multilog ./main
	[ "$(cat main/current)" = $'one\ntwo' ]
	[ -z "$(ls main | grep '^@')" ]
}

@test "multilog: a directory that cannot be created is fatal (111)" {
	run --separate-stderr multilog ./no/such </dev/null
	[ "$status" -eq 111 ]
	[ "$stderr" = "multilog: fatal: unable to create ./no/such: file does not exist" ]
}

@test "multilog: a directory locked by another multilog is fatal (111)" {
	mkfifo in
	exec 5<>in
	bg_from in multilog ./main
	wait_for test -f main/current
	run --separate-stderr multilog ./main </dev/null
	exec 5>&-
	[ "$status" -eq 111 ]
	[ "$stderr" = "multilog: fatal: unable to lock directory ./main: temporary failure" ]
}

@test "multilog: two actions on the same directory are refused (111)" {
	run --separate-stderr multilog ./main ./main </dev/null
	[ "$status" -eq 111 ]
	[[ "$stderr" == "multilog: fatal: unable to lock directory ./main: "* ]]
}

@test "multilog +hello: selects hello, not hello world" {
	printf 'hello\nhello world\nbye\n' | multilog '-*' +hello ./main
	[ "$(cat main/current)" = hello ]
}

@test "multilog -named[*]: Cleaned cache *: deselects named[135]: Cleaned cache of 3121 RRs." {
	printf '%s\n' 'named[135]: Cleaned cache of 3121 RRs.' \
	    'named[135]: started' 'named[1]x: Cleaned cache of 1' |
	    multilog '-named[*]: Cleaned cache *' ./main
	[ "$(cat main/current)" = $'named[135]: started\nnamed[1]x: Cleaned cache of 1' ]
}

@test "multilog: a star stops at the first occurrence of the next character" {
	# "a*b" cannot match "axbyb": the star stops at the first b.
	printf 'axbyb\naxb\n' | multilog '-*' '+a*b' ./main
	[ "$(cat main/current)" = axb ]
}

@test "multilog -*: deselects every line" {
	printf 'a\nb\n' | multilog '-*' ./main
	[ ! -s main/current ]
}

@test "multilog: patterns see only the first 1000 bytes of a line" {
	{
		printf 'x%.0s' $(seq 1000); printf 'TAIL\n'
		printf 'short TAIL\n'
	} | multilog '-*' '+*TAIL' ./main
	[ "$(cat main/current)" = 'short TAIL' ]
}

@test "multilog: each directory has its own selection" {
	printf 'info a\nerror b\ninfo c\n' |
	    multilog ./all '-*' '+error *' ./errors
	[ "$(cat all/current)" = $'info a\nerror b\ninfo c' ]
	[ "$(cat errors/current)" = 'error b' ]
}

@test "multilog e: prints selected lines to stderr, the first 200 bytes" {
	long=$(printf 'y%.0s' $(seq 300))
	run --separate-stderr multilog '-*' '+a*' e <<<"a1
b2
a$long"
	[ "$status" -eq 0 ]
	[ "$stderr" = "a1
a${long:0:199}..." ]
}

@test "multilog =log/status: keeps the last STAT line, padded to 1001 bytes" {
	mkdir log
	printf 'STAT 1\nother\nSTAT 2\nmore\n' |
	    multilog '-*' '+STAT*' =log/status
	[ "$(stat -c %s log/status)" = 1001 ]
	[ "$(head -n 1 log/status)" = 'STAT 2' ]
	[ "$(tr -d '\n' <log/status)" = 'STAT 2' ]
}

@test "multilog =file: a file that cannot be opened is fatal (111)" {
	run --separate-stderr multilog =no/such/file </dev/null
	[ "$status" -eq 111 ]
	[ "$stderr" = "multilog: fatal: unable to open no/such/file: file does not exist" ]
}

@test "multilog t: each line gets @, a TAI64N label and a space" {
	printf 'one\ntwo\n' | multilog t ./main
	run grep -c -E '^@[0-9a-f]{24} (one|two)$' main/current
	[ "$output" = 2 ]
	# tai64nlocal reads the label back as a date.
	[[ "$(TZ=UTC tai64nlocal <main/current | head -n 1)" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9:]{8}\.[0-9]{9}\ one$ ]]
}

@test "multilog t '-*' '+* fatal: *' ./main: the first star matches the stamp" {
	printf 'fatal: out of memory\nok\n' |
	    multilog t '-*' '+* fatal: *' ./main
	run grep -c -E '^@[0-9a-f]{24} fatal: out of memory$' main/current
	[ "$output" = 1 ]
	[ "$(wc -l <main/current)" = 1 ]
}

@test "multilog T: each line gets an ISO 8601 UTC stamp with nanoseconds" {
	before=$(date -u +%s)
	printf 'one\n' | multilog T ./main
	after=$(date -u +%s)
	line=$(cat main/current)
	[[ "$line" =~ ^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})\.[0-9]{9}Z\ one$ ]]
	s=$(date -u -d "${BASH_REMATCH[1]}Z" +%s)
	[ "$s" -ge "$before" ] && [ "$s" -le "$after" ]
}

@test "multilog: a line of 1000 bytes and longer ones are logged whole" {
	{
		printf 'a%.0s' $(seq 999); printf '\n'
		printf 'b%.0s' $(seq 1000); printf '\n'
		printf 'c%.0s' $(seq 5000); printf '\n'
	} >in
	multilog ./main <in
	cmp in main/current
}

@test "multilog t s1000000 n20 ./main '-*' '+* error: *' ./errors: all lines, and errors apart" {
	printf 'started\nerror: disk\nok\n' |
	    multilog t s1000000 n20 ./main '-*' '+* error: *' ./errors
	[ "$(cut -d ' ' -f 2- main/current)" = $'started\nerror: disk\nok' ]
	[ "$(cut -d ' ' -f 2- errors/current)" = 'error: disk' ]
}

@test "multilog '!gzip' ./main: rotated files are compressed" {
	seq -f 'line %g' 1000 >in
	multilog s4096 '!gzip' ./main <in
	[ "$(ls main | grep -c '^@.*\.s$')" -ge 2 ]
	diff in <(for f in main/@*; do gzip -dc <"$f"; done; cat main/current)
}

@test "multilog: a symlink named current is moved aside, never written through" {
	mkdir main
	echo precious >target
	chmod 600 target
	ln -s ../target main/current
	run --separate-stderr sh -c 'echo line | multilog ./main'
	[ "$status" -eq 0 ]
	[ "$(cat target)" = precious ]
	[ "$(stat -c %a target)" = 600 ]
	[ ! -L main/current ]
	[ "$(cat main/current)" = line ]
	# kept as an unfinished file, as a crashed current would be
	[ -L main/@*.u ]
}

@test "multilog: a symlink as state, lock or processed is refused, not followed" {
	mkdir m1 m2 m3
	echo precious >target
	chmod 600 target
	ln -s ../target m1/lock
	run --separate-stderr sh -c 'echo x | multilog ./m1'
	[ "$status" -eq 111 ]
	[ "$stderr" = "multilog: fatal: unable to open ./m1/lock: symbolic link loop" ]
	ln -s ../target m2/state
	run --separate-stderr sh -c 'echo x | multilog ./m2'
	[ "$status" -eq 111 ]
	[ "$stderr" = "multilog: fatal: unable to create ./m2/state: symbolic link loop" ]
	# rotations through a processor, with processed a symlink: the
	# start-up clean-up removes it (an unfinished processor run)
	ln -s ../target m3/processed
	run --separate-stderr sh -c 'seq 1 2000 | multilog s4096 "!cat" ./m3'
	[ "$status" -eq 0 ]
	[ "$(cat m3/@*.s m3/current | wc -l)" -eq 2000 ]
	[ "$(cat target)" = precious ]
	[ "$(stat -c %a target)" = 600 ]
}

@test "multilog t: lines that wait in the pipe together share one stamp" {
	mkfifo in
	exec 5<>in
	seq 500 >&5
	start_bg sh -c 'exec multilog t ./main <in' 5>&-
	wait_for grep -q ' 500$' main/current
	exec 5>&-
	wait_gone "$LAST_PID"
	[ "$(cut -d ' ' -f 2 main/current | tr '\n' ' ')" = "$(seq 500 | tr '\n' ' ')" ]
	[ "$(cut -d ' ' -f 1 main/current | sort -u | wc -l)" = 1 ]
}
