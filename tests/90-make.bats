#!/usr/bin/env bats
# The README's promises about the build: make install, and make demo's
# example scan directory.

load helpers

TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"

@test "make install: programs into PREFIX/bin, man pages into PREFIX/share/man" {
	# Install what this run tests (bin/, or the sanitizer build).
	bin=${SVBIN#$TOP/}
	out=build
	[ "$bin" = bin ] || out=${bin%/bin}
	run make -s -C "$TOP" install DESTDIR="$T/root" PREFIX=/usr \
		BIN="$bin" OUT="$out"
	[ "$status" -eq 0 ]
	for p in supervise svok; do
		[ -x "$T/root/usr/bin/$p" ]
		[ -f "$T/root/usr/share/man/man8/$p.8" ]
	done
	[ -f "$T/root/usr/share/man/man5/servicedir.5" ]
	[ "$(ls "$T/root/usr/bin" | wc -l)" -eq "$(ls "$SVBIN" | wc -l)" ]
}

@test "every program has a man page" {
	for p in "$SVBIN"/*; do
		p=${p##*/}
		ls "$TOP"/doc/"$p".[18] >/dev/null
	done
}

@test "lib/watch: the kqueue backend compiles without warnings (stub FreeBSD header)" {
	# Linux has no kqueue: this checks the BSD code path for typos and
	# type errors against FreeBSD's declarations, nothing more.
	run cc -std=c17 -Wall -Wextra -Wpedantic -Wshadow -Wcast-qual \
	    -Wstrict-prototypes -Wmissing-prototypes -Werror -D_GNU_SOURCE \
	    -DWATCH_KQUEUE -I"$TOP/tests/kqueue" -c -o watch.o "$TOP/lib/watch.c"
	echo "$output"
	[ "$status" -eq 0 ]
	nm watch.o | grep -q ' U kevent$'
	! nm watch.o | grep -q inotify
}

@test "make demo: the example tree runs, logs, and Ctrl-C shuts it down cleanly" {
	# As from a terminal: its own process group, SIGINT not ignored (a
	# shell's "&" would ignore it, and then no trap can catch it).
	DEMO_DIR="$T/demo" start_bg setsid perl -e '$SIG{INT} = "DEFAULT";
		exec @ARGV' "$TOP/examples/demo" >out 2>&1
	wait_for -t 20 grep -q 'clock: up (pid [0-9]*) [0-9]* seconds, ready' out
	wait_for -t 20 grep -q 'flaky: up (pid [0-9]*) [0-9]* seconds, [0-9]* starts' out
	wait_for test -s demo/clock/log/main/current
	# What a terminal's Ctrl-C does: SIGINT to the foreground group.
	kill -INT -- "-$LAST_PID"
	wait "$LAST_PID"
	rc=$?
	cat out
	[ "$rc" -eq 0 ]
	grep -q 'demo: svscan exited 0' out
	grep -q 'clock: supervise not running' out
	[ ! -e demo/.hidden/supervise ]
	grep -q 'clock: starting' demo/clock/log/main/current
	[ -z "$(pgrep -f "supervise.*$T" )" ]
}

@test "README: a first service in five lines" {
	mkdir -p service/hello
	printf '#!/bin/sh\nexec 2>&1\nexec sleep 1000\n' >service/hello/run
	chmod +x service/hello/run
	start_bg svscan service
	run --separate-stderr svc -wU -T 5000 -u service/hello
	[ "$status" -eq 0 ]
	run --separate-stderr svstat service/hello
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^service/hello:\ up\ \(pid\ [0-9]+\)\ [0-9]+\ seconds$ ]]
	svc -dx service/hello
	wait_for stat_is service/hello down
}
