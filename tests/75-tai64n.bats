#!/usr/bin/env bats
# tai64n(1) and tai64nlocal(1): label lines, and read labels as local time.

load helpers

@test "tai64n: an operand is a usage error (100)" {
	run --separate-stderr tai64n x
	[ "$status" -eq 100 ]
	[ "$stderr" = "tai64n: usage: tai64n" ]
}

@test "tai64nlocal: an option is a usage error (100)" {
	run --separate-stderr tai64nlocal -x
	[ "$status" -eq 100 ]
	[ "$stderr" = "tai64nlocal: usage: tai64nlocal" ]
}

@test "tai64n: every line gets @, 24 hex digits and a space" {
	run --separate-stderr tai64n <<<$'one\n\nthree'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" = 3 ]
	[[ "${lines[0]}" =~ ^@4[0-9a-f]{23}\ one$ ]]
	[[ "${lines[1]}" =~ ^@4[0-9a-f]{23}\ $ ]]
	[[ "${lines[2]}" =~ ^@4[0-9a-f]{23}\ three$ ]]
}

@test "tai64n: the label is now" {
	before=$(date +%s)
	label=$(echo x | tai64n | cut -c 2-17)
	after=$(date +%s)
	sec=$(( 0x$label - 0x4000000000000000 - 10 ))
	[ "$sec" -ge "$before" ] && [ "$sec" -le "$after" ]
}

@test "tai64n: a partial last line is labelled, not completed" {
	printf 'a\nb' | tai64n >out
	[ "$(tail -c 2 out)" = " b" ]
	[ "$(wc -l <out)" = 1 ]
}

@test "tai64n: long lines and big inputs pass through unchanged" {
	{ printf 'q%.0s' $(seq 100000); echo; seq 50000; } >in
	tai64n <in | cut -d ' ' -f 2- | cmp - in
}

@test "tai64n: a line is passed on as soon as it arrives" {
	mkfifo in
	exec 5<>in
	start_bg sh -c 'exec tai64n <in >out'
	echo first >&5
	wait_for grep -q ' first$' out
	exec 5>&-
}

@test "tai64nlocal: labels become YYYY-MM-DD HH:MM:SS.nnnnnnnnn local time" {
	printf '@400000006b072df53adcfa34 hello\n' >in
	[ "$(TZ=UTC tai64nlocal <in)" = '2026-11-25 18:50:19.987560500 hello' ]
	[ "$(TZ=America/New_York tai64nlocal <in)" = '2026-11-25 13:50:19.987560500 hello' ]
	[ "$(TZ=Asia/Kolkata tai64nlocal <in)" = '2026-11-26 00:20:19.987560500 hello' ]
}

@test "tai64nlocal: lines without a label pass through unchanged" {
	printf 'no label\n@400000006b072df5 short\n@zz\n\nx@400000006b072df53adcfa34\n' >in
	TZ=UTC tai64nlocal <in | cmp - in
}

# Found by tests/fuzz/tai64nlocal.c: a label far before 1970 printed an
# uninitialised date, one past 9999 a truncated year.
@test "tai64nlocal: a label that is no time is left as it is" {
	printf '%s x\n' @000100000000100000000000 @4000000000000000ffffffff \
	    @7fffffffffffffff00000000 @400000ffffffffff00000000 >in
	run --separate-stderr env TZ=UTC tai64nlocal <in
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat in)" ]
	[ "$stderr" = "" ]
	printf '@3fffffffffffffff3b9ac9ff x\n' | TZ=UTC tai64nlocal >out
	[ "$(cat out)" = '1969-12-31 23:59:49.999999999 x' ]
}

@test "tai64nlocal: upper-case labels and a final line without newline" {
	printf '@400000006B072DF53ADCFA34 up\n@400000006b072df53adcfa34' |
	    TZ=UTC tai64nlocal >out
	[ "$(cat out)" = $'2026-11-25 18:50:19.987560500 up\n2026-11-25 18:50:19.987560500' ]
}

@test "tai64n | tai64nlocal: round trip gives today's date" {
	[[ "$(echo hi | tai64n | TZ=UTC tai64nlocal)" == "$(date -u +%Y-%m-%d) "*" hi" ]] ||
	[[ "$(echo hi | tai64n | TZ=UTC tai64nlocal)" == "$(date -u +%Y-%m-%d) "*" hi" ]]
}

@test "tai64nlocal: agrees with daemontools' tai64nlocal" {
	[ -x "$DT/tai64nlocal" ] || skip "daemontools' tai64nlocal is not installed"
	awk 'BEGIN { srand(3); for (i = 0; i < 3000; i++)
		printf "@4000000%09x%08x line %d\n", int(rand() * 4000000000),
		    int(rand() * 999999999), i }' >in
	printf '@3fffffffffffffff00000000 before 1970\n' >>in
	printf '@40000000ffffffff3b9ac9ff 2106\n' >>in
	for tz in UTC Europe/Paris America/Los_Angeles Australia/Lord_Howe; do
		diff <(TZ=$tz "$DT/tai64nlocal" <in) <(TZ=$tz tai64nlocal <in)
	done
}

@test "tai64n: agrees with daemontools' tai64n on everything but the label" {
	[ -x "$DT/tai64n" ] || skip "daemontools' tai64n is not installed"
	{ seq 1000; printf 'no newline'; } >in
	diff <("$DT/tai64n" <in | cut -c 26-) <(tai64n <in | cut -c 26-)
}
