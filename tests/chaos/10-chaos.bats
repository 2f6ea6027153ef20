#!/usr/bin/env bats
# make chaos: tests/chaos/chaos under bats, so that CI counts it with the
# rest. CHAOS_SECS (default 60), CHAOS_SEED and the other knobs pass
# through; run tests/chaos/chaos itself to watch a long run as it goes.

load ../helpers

@test "chaos: ${CHAOS_SECS:-60} s of random attacks on a tree of services break no promise" {
	run "$BATS_TEST_DIRNAME/chaos"
	echo "$output"
	[ "$status" = 0 ]
}
