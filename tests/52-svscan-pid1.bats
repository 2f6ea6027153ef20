#!/usr/bin/env bats
# svscan(8) as PID 1 of a container: it reaps every child, orphans too,
# and SIGTERM ends it (and so the container) with exit 0.

load helpers

# zombies_in PID: the zombie processes of the namespace whose init is PID.
zombies_in() {
	local p ns
	ns=$(readlink "/proc/$1/ns/pid")
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$ns" ] || continue
		[ "$(cut -d' ' -f3 "$p/stat" 2>/dev/null)" = Z ] && echo "${p#/proc/}"
	done
	return 0
}

@test "svscan as PID 1: an orphan that exits leaves no zombie; SIGTERM exits 0" {
	require_root
	command -v unshare >/dev/null || skip "no unshare"
	# The service leaves an orphan (a double fork) that exits a moment
	# later, once the file "go" exists, and says so.
	mksv s/a 'sh -c "sh -c '"'"'echo \$\$ >'"$T"'/orphan; while [ ! -e '"$T"'/go ]; do sleep 0.05; done; echo bye >'"$T"'/bye'"'"' &"
exec sleep 100'
	unshare --pid --fork --mount-proc "$SVBIN/svscan" -g 9000 s 3>&- &
	pid=$!
	BG_PIDS+=("$pid")
	wait_for eval 'init=$(pgrep -P '"$pid"' -x svscan)'
	init=$(pgrep -P "$pid" -x svscan)
	[ "$(awk '/^NSpid/ { print $3 }' /proc/$init/status)" = 1 ]
	wait_for test -s orphan
	touch go
	wait_for test -s bye
	wait_for eval '[ -z "$(zombies_in '"$init"')" ]'
	kill -TERM "$init"
	st=0
	wait "$pid" || st=$?
	[ "$st" -eq 0 ]
}
