#!/usr/bin/env bats
# multilog(8): exactly once under SIGKILL (the journal), and TERM while
# paused on disk trouble.

load helpers

# The helpers' teardown, and the tmpfs of the full disk test goes.
eval "helpers_$(declare -f teardown)"
teardown() {
	helpers_teardown
	! mountpoint -q "$T/main" || umount -l "$T/main"
}

# The log's input is a FIFO that the test holds open on fd 5, as svscan
# holds the pipe between a service and its logger.
setup_pipe() {
	[ -p in ] || mkfifo in
	exec 5<>in
}

# bg_from FILE CMD...: start_bg with stdin from FILE (and without fd 5).
bg_from() {
	start_bg sh -c 'f=$1; shift; exec "$@" <"$f"' sh "$@" 5>&-
}

# logged DIR: every line in DIR, old files (in order) then current.
logged() { cat "$1"/@* "$1"/current 2>/dev/null; }

# le VALUE BYTES: VALUE as a little-endian integer of BYTES bytes.
le() {
	local v=$1 i
	for ((i = 0; i < $2; i++)); do
		printf "\\x$(printf %02x $((v & 255)))"
		v=$((v >> 8))
	done
}

# journal N DIR...: a journal header for a batch of N bytes from the FIFO
# ./in (made here; through feeds multilog from it), with the device, inode
# and size of DIR/current for each DIR, as multilog writes it before the
# batch's output. PIPE=FILE names another pipe instead.
journal() {
	local n=$1 d p=${PIPE:-in}
	shift
	[ -p in ] || mkfifo in
	printf mlj2
	le $# 4
	le "$n" 8
	le "$(stat -c %d "$p")" 8
	le "$(stat -c %i "$p")" 8
	for d; do
		le "$(stat -c %d "$d/current")" 8
		le "$(stat -c %i "$d/current")" 8
		le "$(stat -c %s "$d/current")" 8
	done
}

# crashed DIR LINES...: DIR as a killed multilog leaves it: current with
# LINES, mode 0644.
crashed() {
	local d=$1
	shift
	mkdir -p "$d"
	printf '%s\n' "$@" >"$d/current"
	chmod 0644 "$d/current"
}

# kill_in_rotation PID: once the hanging processor of multilog PID has
# written its pid to proc.pid, SIGKILLs multilog, then the processor
# (recorded for teardown meanwhile).
kill_in_rotation() {
	wait_for test -s proc.pid
	BG_PIDS+=("$(cat proc.pid)")
	kill -KILL "$1"
	wait_gone "$1"
	kill -KILL "$(cat proc.pid)"
}

# finish PID: ends the input and waits for multilog PID to exit.
finish() {
	exec 5>&-
	wait_gone "$1"
}

# through INPUT DIR...: runs multilog DIR... (stderr to err) on a pipe
# holding INPUT, lines; returns once its last line is in the last DIR's
# current and multilog has exited at the end of the input.
through() {
	local input=$1 last
	shift
	setup_pipe
	printf '%s' "$input" >&5
	start_bg sh -c 'exec multilog "$@" <in 2>err' sh "$@" 5>&-
	last=${input%$'\n'}
	last=${last##*$'\n'}
	wait_for grep -qx "$last" "${!#}/current"
	finish "$LAST_PID"
}

# written DIR N: waits until DIR has N old files and a current that is not
# empty: a new multilog made the last current old and wrote. It spins
# without a fork, to catch multilog right after a write; false after 10 s.
written() {
	local end=$((SECONDS + 10)) old
	while :; do
		old=("$1"/@*)
		[ -e "${old[0]}" ] || old=()
		((${#old[@]} >= $2)) && [ -s "$1/current" ] && return 0
		((SECONDS < end)) || return 1
	done
}

@test "multilog: kill -9 twenty-five times under load: every line exactly once" {
	setup_pipe
	# The writer sends 4000 lines per token on go, so that each new
	# multilog finds a backlog in the pipe.
	mkfifo go
	exec 6<>go
	start_bg bash -c 'exec 9<>go
		for ((i = 1; i <= 100000; i++)); do
			((i % 4000 == 1)) && read -r -u 9
			echo "line $i"
		done >in' 5>&- 6>&-
	writer=$LAST_PID
	for k in $(seq 25); do
		echo >&6
		bg_from in multilog s16777215 n100 ./main 6>&-
		# Right after its first write: within a batch, if any.
		written main $((k - 1))
		kill -KILL "$LAST_PID"
		wait_gone "$LAST_PID"
	done
	bg_from in multilog s16777215 n100 ./main 6>&-
	pid=$LAST_PID
	wait_for -t 60 eval '! alive '"$writer"
	wait_for -t 30 eval '[ "$(logged main | wc -l)" -ge 100000 ]'
	finish "$pid"
	[ ! -e main/journal ]
	# Every kill left a .u file; in order, they and current hold every
	# line exactly once.
	diff <(seq -f 'line %g' 100000) <(logged main)
	[ "$(ls main | grep -c '\.u$')" = 25 ]
}

@test "multilog: a journal with no data: output of the batch is taken back" {
	crashed main a b c
	# The header was written when current held "a\nb\n".
	truncate -s 4 main/current
	journal 2 main >main/journal
	printf 'c\n' >>main/current
	through $'c\nd\n' ./main
	[ ! -s err ]
	[ "$(logged main | tr '\n' ' ')" = 'a b c d ' ]
	[ ! -e main/journal ]
}

@test "multilog: a journal with part of the batch: the rest is consumed" {
	crashed main a b c d
	truncate -s 4 main/current
	journal 4 main >main/journal
	printf 'c\nd\n' >>main/current
	# Killed after "c\n" of the batch "c\nd\n" was spliced away.
	printf 'c\n' >>main/journal
	through $'d\ne\n' ./main
	[ ! -s err ]
	[ "$(logged main | tr '\n' ' ')" = 'a b c d e ' ]
}

@test "multilog: a journal with the whole batch: nothing to do" {
	crashed main a b c
	truncate -s 4 main/current
	journal 2 main >main/journal
	printf 'c\n' | tee -a main/current >>main/journal
	through $'d\n' ./main
	[ ! -s err ]
	[ "$(logged main | tr '\n' ' ')" = 'a b c d ' ]
}

@test "multilog: the journal takes back every directory whose current it names" {
	crashed one a
	crashed two a
	crashed three a
	journal 2 one two three >j
	printf 'b\n' >>two/current
	# three's current was replaced since: it is left alone.
	mv three/current three/old
	crashed three x
	mv j one/journal
	printf 'b\n' >>one/current
	through $'b\nc\n' ./one ./two ./three
	[ ! -s err ]
	[ "$(logged one | tr '\n' ' ')" = 'a b c ' ]
	[ "$(logged two | tr '\n' ' ')" = 'a b c ' ]
	[ "$(logged three | tr '\n' ' ')" = 'x b c ' ]
	[ ! -e two/journal ]
}

@test "multilog: a journal the input does not match is ignored, with a warning" {
	crashed main a b c
	truncate -s 4 main/current
	journal 100 main >main/journal
	printf 'c\n' >>main/current
	through $'d\n' ./main
	[ "$(cat err)" = "multilog: warning: ./main/journal does not match the input, ignoring it" ]
	[ "$(logged main | tr '\n' ' ')" = 'a b c d ' ]
}

@test "multilog: a bad journal is ignored, with a warning" {
	crashed main a
	printf 'garbage, not a journal' >main/journal
	through $'b\n' ./main
	[ "$(cat err)" = "multilog: warning: ignoring bad ./main/journal" ]
	[ "$(logged main | tr '\n' ' ')" = 'a b ' ]
}

@test "multilog: input that is not a pipe: a journal is removed, unused" {
	crashed main a b c
	truncate -s 4 main/current
	journal 2 main >main/journal
	printf 'c\n' >>main/current
	printf 'd\n' >file
	run --separate-stderr multilog ./main <file
	[ "$status" = 0 ]
	[ -z "$stderr" ]
	[ ! -e main/journal ]
	[ "$(logged main | tr '\n' ' ')" = 'a b c d ' ]
}

@test "multilog: the journal is 0600 in the first directory while running" {
	setup_pipe
	bg_from in multilog ./one ./two
	pid=$LAST_PID
	printf 'a\n' >&5
	wait_for grep -qx a two/current
	[ "$(stat -c %a one/journal)" = 600 ]
	[ ! -e two/journal ]
	# Its descriptor is close-on-exec: a processor would not inherit it.
	fd=$(ls -l "/proc/$pid/fd" | awk '/journal$/ { print $9 }')
	flags=$(awk '/^flags:/ { print $2 }' "/proc/$pid/fdinfo/$fd")
	(( (8#$flags & 8#2000000) != 0 ))
	finish "$pid"
	[ ! -e one/journal ]
}

@test "multilog: lines of every length, in any chunks, as from a file" {
	awk 'BEGIN {
		srand(7)
		for (i = 1; i <= 400; i++) {
			n = int(rand() * rand() * 2600)
			s = i ":"
			while (length(s) < n) s = s "x"
			print s
		}
		printf "no newline at the end"
	}' >in
	multilog s16777215 ./file '-*x' ./sel <in
	for bs in 1000 333 4097; do
		rm -rf pipe psel
		dd if=in bs=$bs status=none |
		    multilog s16777215 ./pipe '-*x' ./psel
		cmp file/current pipe/current
		cmp sel/current psel/current
	done
	# With stamps, which count towards the first 1000 bytes.
	dd if=in bs=777 status=none | multilog t s16777215 ./t
	diff <(cut -c 27- t/current) file/current
}

@test "multilog: TERM while paused on a full disk exits at once, loses nothing" {
	require_root
	mkdir main
	mount -t tmpfs -o size=16k,nr_inodes=1000,mode=0700 tmpfs main ||
	    skip "cannot mount a tmpfs here"
	setup_pipe
	start_bg sh -c 'multilog s4096 n20 ./main <in 2>err & echo $! >pid
	    wait $!; echo $? >rc' 5>&-
	seq -f 'line %05g of a log that fills the disk' 1000 >&5
	wait_for grep -q 'pausing: out of disk space$' err
	kill -TERM "$(cat pid)"
	# Well within the 5 s pause.
	wait_for -t 3 test -s rc
	[ "$(cat rc)" = 111 ]
	tail -n 1 err | grep -Eqx 'multilog: fatal: unable to write to \./main/(current|journal), stopping on TERM: out of disk space'
	mount -o remount,size=1m main
	bg_from in multilog s4096 n20 ./main
	wait_for -t 20 eval '[ "$(logged main | wc -l)" -ge 1000 ]'
	finish "$LAST_PID"
	diff <(seq -f 'line %05g of a log that fills the disk' 1000) \
	    <(logged main)
}

@test "multilog: TERM while paused after reading a file says lines are lost" {
	seq -f 'line %04g' 300 >file
	# 4 blocks of 512 bytes; SIGXFSZ is ignored, so writes fail (EFBIG).
	start_bg sh -c 'ulimit -S -f 4; multilog ./main <file 2>err &
	    echo $! >pid; wait $!; echo $? >rc'
	wait_for grep -q pausing err
	kill -TERM "$(cat pid)"
	wait_for -t 3 test -s rc
	[ "$(cat rc)" = 111 ]
	[ "$(tail -n 1 err)" = "multilog: fatal: unable to write to ./main/current, stopping on TERM and losing the lines read but not logged: file too big" ]
}

@test "multilog: ALRM while paused rotates once the disk is back" {
	command -v prlimit >/dev/null || skip "prlimit is not installed"
	setup_pipe
	start_bg sh -c 'ulimit -S -f 4; exec multilog ./main <in 2>err' 5>&-
	pid=$LAST_PID
	seq -f 'line %04g' 300 >&5
	wait_for grep -q pausing err
	kill -ALRM "$pid"
	prlimit --pid "$pid" --fsize=unlimited
	wait_for eval 'ls main | grep -q "^@.*\.s$"'
	printf 'end\n' >&5
	wait_for grep -qx end main/current
	finish "$pid"
	diff <(seq -f 'line %04g' 300; echo end) <(logged main)
}

@test "multilog: a journal for another pipe cuts nothing back, skips nothing" {
	# The header was written when current held "old1\n"; "old2\n" is
	# this batch's output. Then the pipe died with its holder.
	crashed main old1 old2
	truncate -s 5 main/current
	mkfifo gone
	PIPE=gone journal 5 main >main/journal
	printf 'old2\n' >>main/current
	through $'new1\nnew2\nnew3\n' ./main
	[ "$(cat err)" = "multilog: warning: ./main/journal is for another pipe: keeping what was logged, ignoring it" ]
	[ "$(logged main | tr '\n' ' ')" = 'old1 old2 new1 new2 new3 ' ]
}

@test "multilog: a journal for another pipe: a torn last line of its batch goes" {
	# The batch's output was "old2\nold3\n"; a full disk stopped it
	# after "old2\nol", then the tree was killed and its pipe is gone.
	crashed main old1
	mkfifo gone
	PIPE=gone journal 10 main >main/journal
	printf 'old2\nol' >>main/current
	through $'new1\nnew2\n' ./main
	[ "$(logged main | tr '\n' ' ')" = 'old1 old2 new1 new2 ' ]
}

@test "multilog: a half-spliced journal for another pipe skips no new input" {
	crashed main old1 old2 old3
	truncate -s 5 main/current
	mkfifo gone
	PIPE=gone journal 10 main >main/journal
	printf 'old2\nold3\n' >>main/current
	# killed after "old2\n" of the batch was spliced away
	printf 'old2\n' >>main/journal
	through $'new1\nnew2\nnew3\n' ./main
	[ "$(logged main | tr '\n' ' ')" = 'old1 old2 old3 new1 new2 new3 ' ]
}

# long N: N numbered lines of 300 bytes.
long() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) {
		s = sprintf("line %03d ", i)
		while (length(s) < 299) s = s "x"
		print s } }'
}

@test "multilog: kill -9 while a rotation runs its processor: every line once" {
	setup_pipe
	long 40 >lines
	cat lines >&5
	# The processor says it runs, then hangs: multilog is killed in the
	# middle of the rotation, as a slow processor or disk would let it.
	bg_from in multilog s4096 '!echo $$ >../proc.pid; cat; exec sleep 1000' ./main
	pid=$LAST_PID
	kill_in_rotation "$pid"
	bg_from in multilog s4096 ./main
	wait_for eval '[ "$(logged main | wc -l)" -ge 40 ]'
	finish "$LAST_PID"
	diff lines <(logged main)
}

@test "multilog: kill -9 under load, small s, a processor, two directories: every line once" {
	setup_pipe
	n=6000
	# Lines of 20 to 300 bytes, odd and even; 500 lines per token on go.
	mkfifo go
	exec 6<>go
	start_bg bash -c 'exec 9<>go
		for ((i = 1; i <= '$n'; i++)); do
			((i % 500 == 1)) && read -r -u 9
			((i % 2)) && w=odd || w=even
			printf "line %d %s %*s\n" $i $w $((i * 37 % 280)) ""
		done >in' 5>&- 6>&-
	writer=$LAST_PID
	ml=(t s4096 n10000 '!cat' ./main '-*' '+* line * odd *' ./odd)
	for k in $(seq 12); do
		echo >&6
		before=$(logged main | wc -l)
		bg_from in multilog "${ml[@]}" 6>&-
		wait_for eval '[ "$(logged main | wc -l)" -gt '"$before"' ]'
		kill -KILL "$LAST_PID"
		wait_gone "$LAST_PID"
	done
	echo >&6
	bg_from in multilog "${ml[@]}" 6>&-
	pid=$LAST_PID
	wait_for -t 60 eval '! alive '"$writer"
	wait_for -t 30 eval '[ "$(logged main | wc -l)" -ge '$n' ]'
	finish "$pid"
	[ "$(ls main | grep -c '\.u$')" -ge 12 ]
	awk -v n=$n 'BEGIN { for (i = 1; i <= n; i++)
		printf "line %d %s %*s\n", i, i % 2 ? "odd" : "even", i * 37 % 280, "" }' >lines
	diff lines <(logged main | cut -d ' ' -f 2-)
	diff <(grep ' odd ' lines) <(logged odd | cut -d ' ' -f 2-)
}

@test "multilog t: kill -9 in a rotation that cuts a long line at s: every byte once" {
	setup_pipe
	{ echo a; printf 'z%.0s' $(seq 10000); printf '\nend\n'; } >lines
	cat lines >&5
	start_bg sh -c 'exec multilog t s4096 "!echo \$\$ >../proc.pid; cat; exec sleep 1000" ./main <in 2>err' 5>&-
	pid=$LAST_PID
	kill_in_rotation "$pid"
	# The old file ends at s, inside the line, where its input ends.
	[ "$(stat -c %s main/previous)" = 4096 ]
	start_bg sh -c 'exec multilog t s4096 ./main <in 2>>err' 5>&-
	wait_for grep -q ' end$' main/current
	finish "$LAST_PID"
	[ ! -s err ]
	# The rest of the cut line is stamped as a line of its own.
	cmp lines <(logged main | sed 's/@4[0-9a-f]\{23\} //g')
}
