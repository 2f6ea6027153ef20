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
