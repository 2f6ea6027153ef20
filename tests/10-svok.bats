#!/usr/bin/env bats
# svok(8): exit 0 when a supervise runs on DIR, 100 when not, 111 on trouble.

load helpers

@test "svok: no operand is a usage error (100)" {
	run --separate-stderr svok
	[ "$status" -eq 100 ]
	[ "$stderr" = "svok: usage: svok DIR" ]
}

@test "svok: a directory nobody supervises exits 100 quietly" {
	mkdir s
	run --separate-stderr svok s
	[ "$status" -eq 100 ]
	[ -z "$stderr" ]
}

@test "svok: a FIFO without a reader exits 100" {
	mkdir -p s/supervise
	mkfifo s/supervise/ok
	run --separate-stderr svok s
	[ "$status" -eq 100 ]
}

@test "svok: a FIFO held open for reading exits 0" {
	mkdir -p s/supervise
	mkfifo s/supervise/ok
	exec 4<>s/supervise/ok
	run --separate-stderr svok s
	exec 4<&-
	[ "$status" -eq 0 ]
}

@test "svok: a missing directory is trouble (111) with a message" {
	run --separate-stderr svok nosuch
	[ "$status" -eq 111 ]
	[ "$stderr" = "svok: fatal: unable to chdir to nosuch: file does not exist" ]
}
