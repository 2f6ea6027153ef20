#!/usr/bin/env bats
# multilog(8): s and n, rotation, processors, and the same files as
# daemontools' multilog for the same input.

load helpers

# numbered N [WIDTH]: N lines "line I" padded with dots to about WIDTH bytes.
numbered() {
	awk -v n="$1" -v w="${2:-40}" 'BEGIN {
		for (i = 1; i <= n; i++) {
			s = "line " i " "
			while (length(s) < w + (i * 7) % 23) s = s "."
			print s
		}
	}'
}

# olds DIR: the old files of DIR, oldest first.
olds() { ls "$1" | grep '^@' || true; }

# logged DIR: everything in DIR, old files first, then current.
logged() {
	local f
	for f in $(olds "$1"); do cat "$1/$f"; done
	cat "$1/current"
}

# dump DIR: names (stamps blanked), modes and contents, for comparisons.
# Few processes: forks are what makes a test slow.
dump() {
	(cd "$1" && find . -type f -printf '%p %m %s\n' | sort |
	    sed 's/@[0-9a-f]\{24\}/@X/' && find . -type f | sort | xargs cat)
}

# same_as_dt INPUT SCRIPT...: our multilog and daemontools' give the same
# files, in the same number, for INPUT read from a file and from a pipe.
same_as_dt() {
	local in=$T/$1
	shift
	[ -x "$DT/multilog" ] || skip "daemontools' multilog is not installed"
	rm -rf ours theirs
	mkdir ours theirs
	(cd ours && multilog "$@" <"$in")
	(cd theirs && "$DT/multilog" "$@" <"$in")
	diff <(dump theirs) <(dump ours)
	rm -rf ours theirs
	mkdir ours theirs
	(cd ours && cat "$in" | multilog "$@")
	(cd theirs && cat "$in" | "$DT/multilog" "$@")
	diff <(dump theirs) <(dump ours)
}

@test "multilog s4096: current never exceeds s, old files end at a newline" {
	numbered 800 >in
	multilog s4096 n100 ./main <in
	[ "$(olds main | wc -l)" -gt 10 ]
	[ -z "$(find main -type f -size +4096c)" ]
	# The last byte of every file is a newline.
	[ -z "$(tail -qc 1 main/@* main/current | tr -d '\n')" ]
	[ "$(olds main | grep -c '\.s$')" = "$(olds main | wc -l)" ]
	diff in <(logged main)
}

@test "multilog: rotated files are mode 0744 and named @TAI64N.s" {
	numbered 300 >in
	multilog s4096 ./main <in
	[ "$(olds main | wc -l)" -gt 2 ]
	[ -z "$(olds main | grep -v -E '^@4[0-9a-f]{23}\.s$')" ]
	[ "$(stat -c %a main/@* | sort -u)" = 744 ]
}

@test "multilog n3: keeps exactly n log files, the newest ones" {
	numbered 600 >in
	multilog s4096 n3 ./main <in
	# n counts current: two old files are kept.
	[ "$(olds main | wc -l)" = 2 ]
	logged main >all
	tail -c "$(stat -c %s all)" in | cmp - all
}

@test "multilog n2: one old file and current" {
	numbered 300 >in
	multilog s4096 n2 ./main <in
	[ "$(olds main | wc -l)" = 1 ]
}

@test "multilog: a line longer than s is split across files, nothing lost" {
	{ printf 'z%.0s' $(seq 10000); printf '\nend\n'; } >in
	multilog s4096 ./main <in
	[ -z "$(find main -type f -size +4096c)" ]
	[ "$(olds main | wc -l)" -ge 2 ]
	diff in <(logged main)
}

@test "multilog: s and n apply to the directories after them" {
	numbered 400 >in
	multilog s4096 n3 ./small s16777215 ./big <in
	[ "$(olds small | wc -l)" = 2 ]
	[ "$(olds big | wc -l)" = 0 ]
	cmp in big/current
}

@test "multilog: same files as daemontools, several directories and selections" {
	numbered 1000 >in
	same_as_dt in s5000 n4 ./a '-*1*' s4096 n2 ./b '+*3 *' ./c
}

@test "multilog: same files as daemontools, long lines and small s" {
	awk 'BEGIN { srand(7); for (i = 0; i < 200; i++) {
		s = sprintf("%*s", int(rand() * rand() * 3000), "")
		gsub(/ /, "x", s)
		print i, s } }' >in
	printf 'no newline at the end' >>in
	same_as_dt in s4096 n5 ./a '-*5*' n3 s4500 ./b
}

@test "multilog: same files as daemontools with =file and e" {
	numbered 600 >in
	same_as_dt in e '-*' '+line *5 *' =status s4096 n20 ./a 2>/dev/null
}

@test "multilog: same files as daemontools with a processor" {
	numbered 300 >in
	same_as_dt in s4096 n20 '!tr a-z A-Z; cat <&4 >&5; echo x >&5' ./a
}

@test "multilog !processor: its output lands in the old file, state goes round" {
	numbered 300 >in
	multilog s4096 n100 '!tr a-z A-Z; wc -l <&4 >&5' ./main <in
	first=$(olds main | head -n 1)
	[[ "$(head -n 1 "main/$first")" =~ ^LINE\ 1\ \.+$ ]]
	[ -z "$(grep '[a-z]' main/@*)" ]
	# Each run counts the lines of the previous state (fd 4) into the
	# new one (fd 5): 0 for the first run, then always 1.
	[ "$(tr -d ' ' <main/state)" = 1 ]
	[ ! -e main/previous ] && [ ! -e main/processed ] && [ ! -e main/newstate ]
	diff <(tr a-z A-Z <in | head -c "$(cat main/@* | wc -c)") <(cat main/@*)
}

@test "multilog !processor: a failing processor runs again on the same file" {
	numbered 200 >in
	run --separate-stderr multilog s4096 \
	    '!if [ -e ../tried ]; then cat; else : >../tried; exit 1; fi' \
	    ./main <in
	[ "$status" -eq 0 ]
	[ "$stderr" = "multilog: warning: processor if [ -e ../tried ]; then cat; else : >../tried; exit 1; fi failed in ./main, pausing" ]
	diff in <(logged main)
}

@test "multilog: after a crash current becomes .u and logging goes on" {
	mkdir main
	printf 'before crash\n' >main/current
	chmod 644 main/current
	printf 'after\n' | multilog ./main
	[ "$(olds main)" != "" ]
	u=$(olds main)
	[[ "$u" == *.u ]]
	[ "$(cat "main/$u")" = 'before crash' ]
	[ "$(cat main/current)" = after ]
}

@test "multilog: a crash during the processor: a finished run is kept" {
	mkdir main
	printf 'PROCESSED\n' >main/processed
	chmod 744 main/processed
	printf 'raw\n' >main/previous
	printf 'new state\n' >main/newstate
	printf 'cur\n' >main/current
	printf 'x\n' | multilog ./main
	[ "$(cat main/*.s)" = PROCESSED ]
	[ "$(cat main/*.u)" = cur ]
	[ "$(cat main/state)" = 'new state' ]
	[ ! -e main/previous ] && [ ! -e main/newstate ]
}

@test "multilog: a crash during the processor: an unfinished run is redone as .u" {
	mkdir main
	printf 'half' >main/processed
	printf 'raw\n' >main/previous
	printf 'bad state\n' >main/newstate
	printf 'old state\n' >main/state
	printf 'x\n' | multilog ./main
	[ "$(ls main | grep -c '^@')" = 1 ]
	[ "$(cat main/*.u)" = raw ]
	[ "$(cat main/state)" = 'old state' ]
	[ ! -e main/processed ] && [ ! -e main/newstate ]
}

@test "multilog s4096: a continued current already near s is rotated first" {
	numbered 60 >in
	multilog s16777215 ./main <in
	[ "$(stat -c %s main/current)" -gt 2096 ]
	echo new | multilog s4096 ./main
	[ "$(olds main | wc -l)" = 1 ]
	[ "$(cat main/current)" = new ]
	diff <(cat in; echo new) <(logged main)
}
