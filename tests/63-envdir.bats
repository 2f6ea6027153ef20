#!/usr/bin/env bats
# envdir(8): run a program with environment variables set from the files
# of a directory.

load helpers

@test "envdir: no operand is a usage error (100)" {
	run --separate-stderr envdir
	[ "$status" -eq 100 ]
	[ "$stderr" = "envdir: usage: envdir DIR CHILD ..." ]
}

@test "envdir: a directory without a child is a usage error" {
	mkdir e
	run --separate-stderr envdir e
	[ "$status" -eq 100 ]
	[ "$stderr" = "envdir: usage: envdir DIR CHILD ..." ]
}

@test "envdir: a variable is the first line, trailing spaces and tabs removed" {
	mkdir e
	printf '  hello world \t \nsecond line\n' >e/GREETING
	run --separate-stderr envdir e sh -c 'printf "[%s]" "$GREETING"'
	[ "$status" -eq 0 ]
	[ "$output" = "[  hello world]" ]
	[ -z "$stderr" ]
}

@test "envdir: a file without a final newline is read whole" {
	mkdir e
	printf 'value' >e/V
	run --separate-stderr envdir e sh -c 'printf "[%s]" "$V"'
	[ "$status" -eq 0 ]
	[ "$output" = "[value]" ]
}

@test "envdir: NUL bytes in the first line become newlines" {
	mkdir e
	printf 'a\0b\0\n' >e/X
	run --separate-stderr envdir e sh -c 'printf "[%s]" "$X"'
	[ "$status" -eq 0 ]
	[ "$output" = "[a
b
]" ]
}

@test "envdir: an empty file unsets the variable" {
	mkdir e
	: >e/GONE
	run --separate-stderr env GONE=set envdir e sh -c 'echo "${GONE-unset}"'
	[ "$status" -eq 0 ]
	[ "$output" = unset ]
}

@test "envdir: a file holding just a newline sets an empty variable" {
	mkdir e
	echo >e/EMPTY
	run --separate-stderr env -u EMPTY envdir e sh -c 'echo "[${EMPTY-unset}]"'
	[ "$status" -eq 0 ]
	[ "$output" = "[]" ]
}

@test "envdir: a variable overrides the inherited one" {
	mkdir e
	echo new >e/V
	run --separate-stderr env V=old envdir e sh -c 'echo "$V"'
	[ "$status" -eq 0 ]
	[ "$output" = new ]
}

@test "envdir: dot-files are skipped" {
	mkdir e
	echo x >e/.hidden
	run --separate-stderr envdir e env
	[ "$status" -eq 0 ]
	! printf '%s\n' "$output" | grep -q '^\.hidden='
}

@test "envdir: gives the same environment as daemontools' envdir" {
	[ -x "$DT/envdir" ] || skip "daemontools is not installed"
	mkdir e
	printf '  a b \t\nmore\n' >e/A
	printf 'x\0y\0\n' >e/B
	: >e/C
	echo >e/D
	echo skip >e/.E
	env -i C=set PATH="$PATH" envdir e env | sort >ours
	env -i C=set PATH="$PATH" "$DT/envdir" e env | sort >theirs
	cmp ours theirs
}

@test "envdir: a file name with = exits 100 and names the file" {
	mkdir e
	echo v >e/A=B
	run --separate-stderr envdir e true
	[ "$status" -eq 100 ]
	[ "$stderr" = "envdir: fatal: unable to use e/A=B: file name contains =" ]
}

@test "envdir: a long first line in a 1 MB file is read in full" {
	mkdir e
	{ head -c 100000 /dev/zero | tr '\0' x; echo; head -c 900000 /dev/zero; } >e/BIG
	run --separate-stderr envdir e sh -c 'printf %s "$BIG" | wc -c'
	[ "$status" -eq 0 ]
	[ "$output" -eq 100000 ]
	[ "$(stat -c %s e/BIG)" -eq 1000001 ]
}

@test "envdir: a 1 MB line is read, and the kernel's limit on exec reported" {
	mkdir e
	head -c 1000000 /dev/zero | tr '\0' x >e/BIG
	run --separate-stderr envdir e sh -c 'printf %s "$BIG" | wc -c'
	# Linux refuses a single environment string over 128 kB (E2BIG).
	if [ "$status" -eq 0 ]; then
		[ "$output" -eq 1000000 ]
	else
		[ "$status" -eq 111 ]
		[ "$stderr" = "envdir: fatal: unable to run sh: argument list too long" ]
	fi
}

@test "envdir: a missing directory exits 111 with a message" {
	run --separate-stderr envdir nosuch true
	[ "$status" -eq 111 ]
	[ "$stderr" = "envdir: fatal: unable to switch to directory nosuch: file does not exist" ]
}

@test "envdir: a file that cannot be read exits 111 and names it" {
	mkdir -p e/sub
	run --separate-stderr envdir e true
	[ "$status" -eq 111 ]
	[ "$stderr" = "envdir: fatal: unable to read e/sub: is a directory" ]
}

@test "envdir: the working directory does not change" {
	mkdir e
	run --separate-stderr envdir e pwd
	[ "$status" -eq 0 ]
	[ "$output" = "$PWD" ]
}

@test "envdir: a child that does not exist exits 111, as daemontools" {
	mkdir e
	run --separate-stderr envdir e ./nosuchprog
	[ "$status" -eq 111 ]
	[ "$stderr" = "envdir: fatal: unable to run ./nosuchprog: file does not exist" ]
}

@test "envdir: the program keeps the pid (exec, no fork)" {
	mkdir e
	run --separate-stderr sh -c 'echo $$; exec envdir e sh -c "echo \$\$"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "${lines[1]}" ]
}

@test "envdir: the man page example sets V and removes GONE" {
	mkdir env
	echo 'from envdir' >env/V
	: >env/GONE
	run --separate-stderr env GONE=x envdir env sh -c 'echo "$V ${GONE-unset}"'
	[ "$status" -eq 0 ]
	[ "$output" = "from envdir unset" ]
}
