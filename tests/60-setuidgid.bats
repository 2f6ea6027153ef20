#!/usr/bin/env bats
# setuidgid(8) and envuidgid(8): run a program as an account, or with its
# uid and gid in the environment.

load helpers

# mkaccount: a throw-away account $ACC whose primary group is $ACC and
# which is also in $ACC-a and $ACC-b; the test deletes it with rmaccount
# before asserting, so a failed assertion leaves nothing behind.
mkaccount() {
	ACC=svt$$x$BATS_TEST_NUMBER
	groupadd "$ACC-a" && groupadd "$ACC-b" &&
		useradd -M -N -g nogroup -G "$ACC-a,$ACC-b" "$ACC"
}

rmaccount() {
	userdel "$ACC" 2>/dev/null
	groupdel "$ACC-a" 2>/dev/null
	groupdel "$ACC-b" 2>/dev/null
	return 0
}

@test "setuidgid: no operand is a usage error (100)" {
	run --separate-stderr setuidgid
	[ "$status" -eq 100 ]
	[ "$stderr" = "setuidgid: usage: setuidgid [-s] ACCOUNT CHILD ..." ]
}

@test "setuidgid: an account without a child is a usage error" {
	run --separate-stderr setuidgid nobody
	[ "$status" -eq 100 ]
	[ "$stderr" = "setuidgid: usage: setuidgid [-s] ACCOUNT CHILD ..." ]
}

@test "setuidgid: an unknown option is a usage error" {
	run --separate-stderr setuidgid -z nobody true
	[ "$status" -eq 100 ]
	[ "$stderr" = "setuidgid: usage: setuidgid [-s] ACCOUNT CHILD ..." ]
}

@test "setuidgid nobody id: nobody's uid and gid and no other group" {
	require_root
	run --separate-stderr setuidgid nobody sh -c 'id -u; id -g; id -G'
	[ "$status" -eq 0 ]
	[ "$output" = "$(id -u nobody)
$(id -g nobody)
$(id -g nobody)" ]
	[ -z "$stderr" ]
}

@test "setuidgid: options after ACCOUNT belong to the child" {
	require_root
	run --separate-stderr setuidgid nobody id -u
	[ "$status" -eq 0 ]
	[ "$output" = "$(id -u nobody)" ]
}

@test "setuidgid -s: the child gets the account's supplementary groups" {
	require_root
	command -v useradd >/dev/null || skip "no useradd"
	mkaccount || { rmaccount; false; }
	want=$(printf '%s\n' "$(getent group nogroup | cut -d: -f3)" \
	    "$(getent group "$ACC-a" | cut -d: -f3)" \
	    "$(getent group "$ACC-b" | cut -d: -f3)" | sort -n | tr '\n' ' ')
	run --separate-stderr setuidgid -s "$ACC" sh -c 'id -G'
	plain=$(setuidgid "$ACC" id -G)
	uid=$(id -u "$ACC")
	rmaccount
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' $output | sort -n | tr '\n' ' ')" = "$want" ]
	[ "$plain" = "$(getent group nogroup | cut -d: -f3)" ]
	[ -n "$uid" ]
}

@test "setuidgid: an unknown account exits 100 and names it" {
	run --separate-stderr setuidgid nosuchaccount$$ true
	[ "$status" -eq 100 ]
	[ "$stderr" = "setuidgid: fatal: unknown account nosuchaccount$$" ]
}

@test "setuidgid: a child that does not exist exits 111, as daemontools" {
	require_root
	run --separate-stderr setuidgid nobody ./nosuchprog
	[ "$status" -eq 111 ]
	[ "$stderr" = "setuidgid: fatal: unable to run ./nosuchprog: file does not exist" ]
}

@test "setuidgid: an unprivileged caller cannot change account (111)" {
	require_root
	run --separate-stderr as_nobody setuidgid root id
	[ "$status" -eq 111 ]
	[ -z "$output" ]
	[ "$stderr" = "setuidgid: fatal: unable to setgid: permission denied" ]
}

@test "setuidgid: the child cannot get root back" {
	require_root
	run --separate-stderr setuidgid nobody sh -c 'id -u; id -ru'
	[ "$status" -eq 0 ]
	[ "$output" = "$(id -u nobody)
$(id -u nobody)" ]
}

@test "setuidgid: the program keeps the pid (exec, no fork)" {
	require_root
	run --separate-stderr sh -c 'echo $$; exec setuidgid nobody sh -c "echo \$\$"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "${lines[1]}" ]
}

@test "envuidgid: no operand is a usage error (100)" {
	run --separate-stderr envuidgid
	[ "$status" -eq 100 ]
	[ "$stderr" = "envuidgid: usage: envuidgid ACCOUNT CHILD ..." ]
}

@test "envuidgid nobody env: UID and GID are nobody's, in decimal" {
	run --separate-stderr env UID=x GID=y envuidgid nobody env
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -E '^(UID|GID)=' | sort)" = "GID=$(id -g nobody)
UID=$(id -u nobody)" ]
}

@test "envuidgid: the identity does not change" {
	run --separate-stderr envuidgid nobody id -u
	[ "$status" -eq 0 ]
	[ "$output" = "$(id -u)" ]
}

@test "envuidgid: an unknown account exits 100 and names it" {
	run --separate-stderr envuidgid nosuchaccount$$ true
	[ "$status" -eq 100 ]
	[ "$stderr" = "envuidgid: fatal: unknown account nosuchaccount$$" ]
}

@test "envuidgid: a child that does not exist exits 111, as daemontools" {
	run --separate-stderr envuidgid nobody ./nosuchprog
	[ "$status" -eq 111 ]
	[ "$stderr" = "envuidgid: fatal: unable to run ./nosuchprog: file does not exist" ]
}
