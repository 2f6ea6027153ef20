#!/usr/bin/env bats
# make torture: 10,000 exits of crashing services under one svscan. The 1 s
# throttle lets a service exit at most once a second, so the exits are
# spread over 200 services (about 50 s where a restart costs 5 ms of CPU:
# more services would only queue for the CPU). tests/80-faults.bats runs
# the same checks on forty exits in make check and make asan.

load ../helpers

# fds PID: the descriptors PID holds, with what they point to.
fds() { ls -l "/proc/$1/fd" | awk 'NF > 3 { print $(NF - 2), $NF }'; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# starts: "DIR N" for every service under s/, N = its starts so far.
starts() {
	svstat -j s/* | sed 's/.*"dir":"\([^"]*\)".*"starts":\([0-9]*\).*/\1 \2/'
}
total_starts() { starts | awk '{ n += $2 } END { print n + 0 }'; }
all_down() { [ "$(cat s/*/supervise/stat 2>/dev/null | grep -c '^down$')" = "$1" ]; }
at_least() { [ "$(starts | awk -v m="$1" '$2 < m' | wc -l)" = 0 ]; }
# over N SECS: waits until N starts in all, looking once a second (each
# look is an svstat of every service: no need to take CPU from them).
over() {
	local end=$(( $(date +%s) + $2 ))
	until [ "$(total_starts)" -ge "$1" ]; do
		[ "$(date +%s)" -lt "$end" ] || { echo "over: timed out: $(total_starts) starts" >&2; return 1; }
		sleep 1
	done
}

@test "torture: 10,000 instant exits of 200 services: throttle holds, no fd or memory growth" {
	n=200
	mkdir s
	# run = a static program that exits 100 at once (svok: usage error).
	for i in $(seq 1 $n); do
		mkdir s/$i
		ln -s "$SVBIN/svok" s/$i/run
		: >s/$i/down
	done
	start_bg sh -c 'exec svscan s 2>/dev/null'
	scan=$LAST_PID
	wait_for -t 60 all_down $n
	# Descriptors are compared with every service down, before and after,
	# for svscan and ten of the supervisors.
	fds "$scan" >fd.scan.0
	for i in $(seq 1 20 $n); do
		p=$(sup_pid s/$i)
		echo "$p" >sup.$i
		fds "$p" >fd.$i.0
	done
	t0=$(date +%s)
	svc -u s/*
	# Memory is compared once every code path has run (two starts each).
	wait_for -t 60 at_least 2
	r0=$(rss_kb "$scan")
	for i in $(seq 1 20 $n); do rss_kb "$(cat sup.$i)" >rss.$i.0; done
	over 10000 600
	t1=$(date +%s)
	starts >starts.1
	# The throttle: no service started more than once a second (plus
	# the first start) since svc -u.
	awk -v max=$((t1 - t0 + 2)) '$2 > max { print "too many:", $0; bad = 1 }
	    END { exit bad }' starts.1
	echo "svscan: rss $r0 -> $(rss_kb "$scan") kB, $(total_starts) starts in $((t1 - t0)) s"
	[ "$(rss_kb "$scan")" -le $((r0 + 16)) ]
	for i in $(seq 1 20 $n); do
		p=$(cat sup.$i)
		echo "supervise $i: rss $(cat rss.$i.0) -> $(rss_kb "$p") kB"
		[ "$(rss_kb "$p")" -le $(( $(cat rss.$i.0) + 16 )) ]
	done
	svc -d s/*
	wait_for -t 60 all_down $n
	diff fd.scan.0 <(fds "$scan")
	for i in $(seq 1 20 $n); do diff fd.$i.0 <(fds "$(cat sup.$i)"); done
}
