#!/usr/bin/env bats
# The chain-loaders together, as a run script uses them: each prepares one
# thing and execs the next, so the last program runs with all of it.

load helpers

# The report the final program prints: its environment variable, uid,
# groups, soft open-files limit, then pid, ppid, process group and session
# from /proc/PID/stat (comm is "sh", without blanks).
REPORT='echo "V=$V"; id -u; id -G; ulimit -n; cut -d" " -f1,4,5,6 /proc/$$/stat'

# field N: the Nth word of the last line of out (the /proc/PID/stat line).
field() { tail -n 1 out | cut -d' ' -f"$1"; }

# outlines N: out has at least N lines.
outlines() { [ "$(wc -l <out)" -ge "$1" ]; }

mkchain() {
	mkdir -p "$1/env"
	echo 'from envdir  ' >"$1/env/V"
}

@test "chain: envdir setlock softlimit setuidgid pgrphack run as one, directly" {
	require_root
	mkchain s
	# Readable by nobody, so that the program can test the lock itself.
	touch s/lk
	chmod 666 s/lk
	cd s
	sh -c "exec envdir env setlock lk softlimit -o 37 setuidgid nobody \
	    pgrphack sh -c '$REPORT; setlock -nx lk echo unlocked'" >../out 2>../err ||
	    true
	cd ..
	cat err
	[ -z "$(cat err)" ]
	[ "$(sed -n 1,4p out)" = "V=from envdir
$(id -u nobody)
$(id -g nobody)
37" ]
	[ "$(field 1)" = "$(field 3)" ]		# group leader
	[ "$(field 1)" = "$(field 4)" ]		# session leader
	! grep -q unlocked out			# the lock was held
}

@test "chain: under supervise, the chain keeps supervise's pid" {
	require_root
	mkchain s
	mksv s "exec envdir env setlock lk softlimit -o 37 setuidgid nobody \
	    pgrphack sh -c '$REPORT; exec sleep 100'"
	start_bg supervise s >out 2>err
	wait_for has_pid s
	wait_for outlines 5
	[ "$(sed -n 1,4p out)" = "V=from envdir
$(id -u nobody)
$(id -g nobody)
37" ]
	[ "$(field 1)" = "$(svpid s)" ]		# exec all the way: same pid
	[ "$(field 2)" = "$LAST_PID" ]		# child of supervise
	[ "$(field 1)" = "$(field 4)" ]		# its own session
	run --separate-stderr setlock -n s/lk true
	[ "$status" -eq 111 ]
	[ -z "$(cat err)" ]
}

@test "chain: under supervise, fghack holds a self-daemonizing service" {
	require_root
	mkchain s
	# The foreground part exits at once; the "daemon" reports its pid and
	# lives on, with fghack's descriptors, until killed.
	# After setuidgid, programs from a directory nobody can reach.
	nb=$(nobody_bin)
	mksv s "[ -e ran ] && exec sleep 100
	touch ran
	exec envdir env setlock lk softlimit -o 37 setuidgid nobody \
	    $nb/pgrphack $nb/fghack sh -c '$REPORT; sh -c \"echo daemon \\\$\\\$; exec sleep 100\" & exit 0'"
	start_bg supervise s >out 2>err
	wait_for has_pid s
	wait_for grep -q '^daemon ' out
	grep '^daemon ' out | cut -d' ' -f2 >daemon.pid	# for teardown
	[ "$(sed -n 1,4p out)" = "V=from envdir
$(id -u nobody)
$(id -g nobody)
37" ]
	fg=$(grep -v '^daemon ' out | tail -n 1)
	set -- $fg
	[ "$2" = "$(svpid s)" ]			# fghack is what supervise runs
	[ "$4" = "$2" ]				# fghack leads the session
	run --separate-stderr setlock -n s/lk true
	[ "$status" -eq 111 ]			# the daemon holds the lock
	# fghack exits when the daemon does; the second run just sleeps.
	kill "$(cat daemon.pid)"
	wait_gone "$2"
	wait_for has_pid s
	run --separate-stderr setlock -n s/lk true
	[ "$status" -eq 0 ]
	[ -z "$(cat err)" ]
}
