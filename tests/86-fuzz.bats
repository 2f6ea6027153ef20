#!/usr/bin/env bats
# The fuzzing harnesses (tests/fuzz/NAME.c, make fuzz): each builds, and
# replays its committed corpus (tests/fuzz/corpus/NAME) without a crash,
# a failed check or a sanitizer report. Skipped where clang has no
# libFuzzer. Replaying only: finding new inputs is make fuzz's job.

load helpers

TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"

have_libfuzzer() {
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
	    '{ (void)d; (void)n; return 0; }' >probe.c
	clang -fsanitize=fuzzer,address,undefined -o probe probe.c \
	    >/dev/null 2>&1
}

@test "fuzz: every harness has a small committed corpus" {
	for h in "$TOP"/tests/fuzz/*.c; do
		name=$(basename "$h" .c)
		n=$(find "$TOP/tests/fuzz/corpus/$name" -type f | wc -l)
		echo "$name: $n inputs"
		[ "$n" -gt 0 ]
		[ "$n" -lt 300 ]
	done
}

# About 10 s (20 s on a loaded machine): seven harnesses built with ASan
# and UBSan, which is most of the time.
@test "fuzz: every harness replays its corpus clean (make fuzz, FUZZ_TIME=0)" {
	have_libfuzzer || skip "clang with libFuzzer is not installed"
	# The harnesses are built with ASan and UBSan whatever the run, so the
	# sanitizer run of the suite (make asan) would only repeat this.
	case $SVBIN in */asan/*) skip "done by the plain run" ;; esac
	run --separate-stderr env FUZZ_TIME=0 FUZZ_OUT="$T/fuzz" \
	    "$TOP/tests/fuzz/run"
	echo "$output" "$stderr"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(grep -c '^fuzz: [a-z0-9]*: Done [0-9]* runs' <<<"$output")" -eq \
	    "$(ls "$TOP"/tests/fuzz/*.c | wc -l)" ]
	# Nothing written into the committed corpora.
	if git -C "$TOP" rev-parse >/dev/null 2>&1; then
		run git -C "$TOP" status --porcelain -- tests/fuzz/corpus
		[ "$output" = "" ]
	fi
}
