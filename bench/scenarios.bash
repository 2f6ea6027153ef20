# The scenarios of bench/run, sourced by it: each scen_NAME runs NAME on
# every toolkit in $KITS and records its cells with rec/cell/skip.

# up_scan KIT N DIR: DIR/s1..sN under KIT's scanner; prints the time in us
# to bring all N up, or fails. The scanner's pid is in DIR.pid.
up_scan() {
	local sc
	sc=$(kit_cmd "$1" scanner) || return 1
	mkdir -p "$3" && "$BH" mkdirs "$3" "$2" "$PAUSE" || return 1
	PATH=$(kit_path "$1") bht up "$FIFO" "$2" 60000 "$3.pid" $sc "$3"
}

# up_direct KIT N DIR: the same, one supervisor per service started by bh.
up_direct() {
	local su
	su=$(kit_cmd "$1" super) || return 1
	mkdir -p "$3" && "$BH" mkdirs "$3" "$2" "$PAUSE" || return 1
	bht upeach "$FIFO" 60000 "$3.pid" $su "$3"/s*
}

# roots DIR: the pids the CPU sums start from (see sum_cpu).
roots() { tr '\n' ' ' <"$1.pid"; }

# bringup_rounds MODE SCEN: REPS rounds, each over every kit and size.
bringup_rounds() {
	local mode=$1 scen=$2 r k n d t
	for ((r = 1; r <= REPS; r++)); do
		for n in $SIZES; do
			for k in $KITS; do
				d=$W/$scen.$k.$n.$r
				t=$("up_$mode" "$k" "$n" "$d") || {
					echo "$scen $k $n: ${t:-not built}" >&2
					teardown "$d"
					continue
				}
				echo "$t" >>"$W/$scen.$k.$n.time"
				"$BH" ps "$TAG" -m >"$d.ps"
				sum_cpu "$(roots "$d")" <"$d.ps" \
				    >>"$W/$scen.$k.$n.cpu"
				[ "$mode" = scan ] && [ "$r" = "$REPS" ] &&
				    awk -v p="$(cat "$d.pid")" '$1 == p {
					print $8 " " $9 }' "$d.ps" \
				    >"$W/$scen.$k.$n.mem"
				teardown "$d" "$d.ps"
			done
		done
	done
}

bringup_cells() {
	local scen=$1 label=$2 k n f
	for n in $SIZES; do
		for k in $KITS; do
			f=$W/$scen.$k.$n
			if [ ! -s "$f.time" ]; then
				skip "$label" "$n services: time (ms)" "$k"
				skip "$label" "$n services: CPU (ms)" "$k"
				continue
			fi
			cell "$label" "$n services: time (ms)" "$k" \
			    "$f.time" 1000
			cell "$label" "$n services: CPU (ms)" "$k" "$f.cpu" 1
			[ -s "$f.mem" ] || continue
			cut -d' ' -f1 "$f.mem" >"$f.pss"
			cut -d' ' -f2 "$f.mem" >"$f.pd"
			cell memory "scanner with $n: Pss (KiB)" "$k" "$f.pss" 1
			cell memory "scanner with $n: Private_Dirty (KiB)" \
			    "$k" "$f.pd" 1
		done
	done
}

scen_bringup() {
	bringup_rounds scan bringup
	bringup_cells bringup "bring-up (scanner)"
}

scen_direct() {
	bringup_rounds direct direct
	bringup_cells direct "bring-up (no scanner)"
}

# memory: Pss and Private_Dirty per supervisor and per service (the pause
# program, the floor) with the largest size up, supervisors started by bh.
scen_memory() {
	local n=${SIZES##* } k d
	for k in $KITS; do
		d=$W/mem.$k
		if ! up_direct "$k" "$n" "$d" >/dev/null; then
			skip memory "supervisor: Pss (KiB)" "$k"
			skip memory "supervisor: Private_Dirty (KiB)" "$k"
			teardown "$d"
			continue
		fi
		"$BH" ps "$TAG" -m >"$d.ps"
		awk -v r=" $(roots "$d") " 'index(r, " " $1 " ") {
		    print $8 >"'"$d.spss"'"; print $9 >"'"$d.spd"'" }
		    $3 == "pause" { print $8 >"'"$d.ppss"'"
		    print $9 >"'"$d.ppd"'" }' "$d.ps"
		cell memory "supervisor: Pss (KiB)" "$k" "$d.spss" 1
		cell memory "supervisor: Private_Dirty (KiB)" "$k" "$d.spd" 1
		cell memory "pause service: Pss (KiB)" "$k" "$d.ppss" 1
		cell memory "pause service: Private_Dirty (KiB)" "$k" \
		    "$d.ppd" 1
		teardown "$d"
	done
}

# idle: wake-ups (voluntary + involuntary context switches) and CPU of the
# scanner and of its supervisors over IDLE seconds of nothing, per minute.
# Without a scanner of ours, its supervisors are measured started by bh.
scen_idle() {
	local n=${SIZES%% *} k d
	for k in $KITS; do
		d=$W/idle.$k
		if ! up_scan "$k" "$n" "$d" >/dev/null; then
			teardown "$d"
			skip idle "scanner: wake-ups/min" "$k"
			skip idle "scanner: CPU ms/min" "$k"
			up_direct "$k" "$n" "$d" >/dev/null || {
				skip idle "$n supervisors: wake-ups/min" "$k"
				skip idle "$n supervisors: CPU ms/min" "$k"
				teardown "$d"
				continue
			}
		fi
		nap 1		# let the start-up settle (not a sync)
		"$BH" ps "$TAG" >"$d.a"
		nap "$IDLE"
		"$BH" ps "$TAG" >"$d.b"
		idle_cells "$k" "$n" "$d"
		teardown "$d"
	done
}

# idle_cells KIT N DIR: the deltas between the snapshots DIR.a and DIR.b.
# With a scanner, DIR.pid holds it alone; else the supervisors.
idle_cells() {
	local sc=
	[ "$(wc -l <"$3.pid")" = 1 ] && sc=$(cat "$3.pid")
	awk -v sc="$sc" -v r=" $(roots "$3") " -v s="$IDLE" -v d="$3" '
	    function who() {
		if (sc != "" && $1 == sc) return "sc"
		if (sc != "" && $2 == sc || sc == "" && index(r, " " $1 " "))
			return "su"
		return ""
	    }
	    FILENAME ~ /\.a$/ { w[$1] = $6 + $7; c[$1] = $4; next }
	    ($1 in w) && (x = who()) != "" {
		tw[x] += $6 + $7 - w[$1]; tc[x] += $4 - c[$1] }
	    END {
		f = 60 / s
		if (sc != "") {
			print tw["sc"] * f >d ".scw"
			print tc["sc"] / 1000 * f >d ".scc"
		}
		print tw["su"] * f >d ".suw"
		print tc["su"] / 1000 * f >d ".suc"
	    }' "$3.a" "$3.b"
	if [ -n "$sc" ]; then
		cell idle "scanner: wake-ups/min" "$1" "$3.scw" 1
		cell idle "scanner: CPU ms/min" "$1" "$3.scc" 1
	fi
	cell idle "$2 supervisors: wake-ups/min" "$1" "$3.suw" 1
	cell idle "$2 supervisors: CPU ms/min" "$1" "$3.suc" 1
}

# restart: 10 services under their supervisors; each, once up > 1 s, gets
# TERM through the control FIFO ('t') or the kit's svc tool; time until the
# new run program has exec'd. The floor is bh doing the same by itself,
# measured in slices between the toolkits so it sees the same noise.
scen_restart() {
	local k d mode how nk
	nk=$(echo $KITS | wc -w)
	: >"$W/floor"
	for k in $KITS; do
		"$BH" floor "$PAUSE" $((KILLS / nk + 1)) >>"$W/floor"
		d=$W/restart.$k
		if ! up_direct "$k" $((KILLS < 10 ? KILLS : 10)) "$d" >/dev/null
		then
			skip restart "raw 't' to control (ms)" "$k"
			skip restart "svc -t (ms)" "$k"
			teardown "$d"
			continue
		fi
		for mode in raw term; do
			restart_mode "$k" "$d" "$mode"
		done
		teardown "$d"
	done
	cell restart "floor: kill+wait+fork+exec (ms)" bare "$W/floor" 1000 p99
	[ -s "$W/restart.ours.raw" ] || return 0
	rec restart "ours raw / floor (medians)" ours - "$(awk '
	    FNR == 1 { f++ } { v[f, ++n[f]] = $1 }
	    END { printf "%.2f", med(1) / med(2) }
	    function med(i) { return v[i, int((n[i] + 1) / 2)] }
	' <(sort -n "$W/restart.ours.raw") <(sort -n "$W/floor"))"
}

restart_mode() {
	local how=raw label="raw 't' to control (ms)"
	if [ "$3" = term ]; then
		how=$(kit_cmd "$1" term)
		label="svc -t (ms)"
		[ -n "$how" ] || { skip restart "$label" "$1"; return; }
	fi
	bht restart "$FIFO" "$KILLS" "$BUDGET" "$how" "$2"/s* \
	    >"$W/restart.$1.$3"
	cell restart "$label" "$1" "$W/restart.$1.$3" 1000 p99
}

# pickup: a service directory renamed into the scan directory of a running
# scanner (default options); time until its run program has exec'd.
scen_pickup() {
	local k d i t
	for k in $KITS; do
		d=$W/pickup.$k
		if ! up_scan "$k" 1 "$d" >/dev/null; then
			skip pickup "rename into scan dir (ms)" "$k"
			teardown "$d"
			continue
		fi
		: >"$d.t"
		for ((i = 1; i <= PICKUPS; i++)); do
			mkdir "$W/new$i" && ln -s "$PAUSE" "$W/new$i/run"
			t=$("$BH" pickup "$FIFO" "$W/new$i" "$d/new$i" \
			    "$PICKUP_TIMEOUT") || break
			echo "$t" >>"$d.t"
		done
		if [ "$i" -le "$PICKUPS" ]; then
			rec pickup "rename into scan dir (ms)" "$k" 1e9 \
			    "not picked up in ${PICKUP_TIMEOUT}ms"
		else
			cell pickup "rename into scan dir (ms)" "$k" "$d.t" 1000
		fi
		teardown "$d" "$W"/new*
	done
}

# log: a writer (lines.c) under the scanner, its logger in w/log; the
# writer's lines come in LOGKILLS bursts, and during each burst the logger
# gets SIGTERM or SIGKILL (alternately). Then every line 1..LINES must be in
# the log directory exactly once.
scen_log() {
	local k d lg t
	for k in $KITS; do
		d=$W/log.$k
		lg=$(kit_cmd "$k" logger) &&
		    kit_cmd "$k" scanner >/dev/null || {
			skip log "lines lost (of $LINES)" "$k"
			skip log "lines doubled" "$k"
			skip log "other lines (garbled)" "$k"
			continue
		}
		mkdir -p "$d/w/log/main"
		mkfifo "$d.ctl" && exec {t}<>"$d.ctl"
		printf '#!/bin/sh\nexec %s %s %s %s\n' "$OUT/lines" "$LINES" \
		    $((LINES / LOGKILLS)) "$d.ctl" >"$d/w/run"
		printf '#!/bin/sh\nexec %s\n' "$lg" >"$d/w/log/run"
		chmod +x "$d/w/run" "$d/w/log/run"
		PATH=$(kit_path "$k") bht up "$FIFO" 0 1000 "$d.pid" \
		    $(kit_cmd "$k" scanner) "$d" >/dev/null
		lg=${lg%% *}
		read -r term hard missed < <(bht logkill "$TAG" "${lg##*/}" \
		    "$d.ctl" "$LOGKILLS")
		log_settle "$d/w/log/main"
		cat "$d"/w/log/main/@* "$d"/w/log/main/current 2>/dev/null |
		    awk -v n="$LINES" -v d="$d" '
			/^[0-9]+$/ && $1 >= 1 && $1 <= n { seen[$1]++; next }
			{ bad++ }
			END {
				for (i = 1; i <= n; i++)
					if (!seen[i]) lost++
					else dup += seen[i] - 1
				print lost + 0 >d ".lost"
				print dup + 0 >d ".dup"
				print bad + 0 >d ".bad"
			}'
		cell log "lines lost (of $LINES)" "$k" "$d.lost" 1
		cell log "lines doubled" "$k" "$d.dup" 1
		cell log "other lines (garbled)" "$k" "$d.bad" 1
		rec log "logger kills TERM/KILL/missed" "$k" - \
		    "${term:-0}/${hard:-0}/${missed:-?}"
		exec {t}>&-
		teardown "$d" "$d.ctl"
	done
}

# log_settle DIR: waits until the last line is in DIR and the files stop
# growing (or 15 s pass, if lines were lost at the end).
log_settle() {
	local end=$((SECONDS + 15)) last=-1 size stable=0
	while [ "$SECONDS" -lt "$end" ] && [ "$stable" -lt 3 ]; do
		size=$(cat "$1"/@* "$1"/current 2>/dev/null | wc -c)
		if [ "$size" = "$last" ] &&
		    tail -n 1 "$1"/current 2>/dev/null | grep -qx "$LINES"; then
			stable=$((stable + 1))
		else
			stable=0
		fi
		last=$size
		sleep 0.2
	done
}

# log-throughput: LT_LINES lines of 56 bytes (one in 100 has "error")
# piped by cat from a file into each logger, in a fresh directory, with
# 16 MB files; the time from the start of cat to the logger's exit (and
# the CPU time of both), REPS times, kit after kit within each repetition.
# bare is `cat | cat >file`.
# Rows: TAI64N stamps (t; svlogd -t), no stamps, ISO 8601 stamps (T;
# svlogd -ttt), a selection into a second directory (-* +*error*), the cost
# per line at a tenth of LT_LINES and at LT_LINES (with t; the larger one
# rotates), and tai64n / tai64nlocal (s6-tai64n ...) over the same lines.
lt_cmd() {
	local k=$1 m=$2 ml
	case $k in
	ours)	ml=$BIN/multilog ;;
	dt)	ml=/usr/bin/multilog ;;
	esac
	case $k.$m in
	ours.t|dt.t)	echo "$ml t s16777215 n100 ./main" ;;
	ours.plain|dt.plain) echo "$ml s16777215 n100 ./main" ;;
	ours.T)		echo "$ml T s16777215 n100 ./main" ;;
	ours.sel|dt.sel) echo "$ml s16777215 n100 ./main -* +*error* ./errors" ;;
	s6.t)		echo "/usr/bin/s6-log n100 s16777215 t ./main" ;;
	s6.plain)	echo "/usr/bin/s6-log n100 s16777215 ./main" ;;
	s6.T)		echo "/usr/bin/s6-log n100 s16777215 T ./main" ;;
	s6.sel)		echo "/usr/bin/s6-log n100 s16777215 ./main -.* +error ./errors" ;;
	runit.t)	echo "/usr/bin/svlogd -t ./main" ;;
	runit.plain)	echo "/usr/bin/svlogd ./main" ;;
	runit.T)	echo "/usr/bin/svlogd -ttt ./main" ;;
	bare.*)		echo cat ;;
	ours.tai64n)	echo "$BIN/tai64n" ;;
	dt.tai64n)	echo /usr/bin/tai64n ;;
	s6.tai64n)	echo /usr/bin/s6-tai64n ;;
	ours.tai64nlocal) echo "$BIN/tai64nlocal" ;;
	dt.tai64nlocal)	echo /usr/bin/tai64nlocal ;;
	s6.tai64nlocal)	echo /usr/bin/s6-tai64nlocal ;;
	esac
}

# lt_time IN CMD: "WALL CPU" in ms for `cat IN | CMD` (a filter writes to
# ./out) in a fresh directory $W/lt.run; CPU is user + system time of cat
# and CMD together, which a busy machine disturbs less than the wall time.
lt_time() {
	local t
	rm -rf "$W/lt.run" && mkdir -p "$W/lt.run/main" || return 1
	printf 's16777215\nn100\n' >"$W/lt.run/main/config"	# svlogd
	t=$({ TIMEFORMAT='%R %U %S'
		time (cd "$W/lt.run" && set -f && cat "$1" | $2 >out) ||
		    echo fail; } 2>&1) || return 1
	[[ "$t" != *fail* ]] || return 1
	awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' <<<"${t##*$'\n'}"
}

scen_log-throughput() {
	local n=$LT_LINES r k m c f wall cpu kits="$KITS bare"
	awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++)
		printf "%09d %s\n", i, i % 100 ? \
		    "the quick brown fox jumps over the lazy dog..." : \
		    "error: the lazy dog did not jump, sorry!!!!!!" }' \
	    >"$W/lt.in"
	head -n $((n / 10)) "$W/lt.in" >"$W/lt.small"
	"$BIN/tai64n" <"$W/lt.in" >"$W/lt.stamped"
	for ((r = 1; r <= REPS; r++)); do
		for m in t plain T sel small tai64n tai64nlocal; do
			for k in $kits; do
				c=$(lt_cmd "$k" "${m/small/t}") || continue
				f=$W/lt.in
				[ "$m" = small ] && f=$W/lt.small
				[ "$m" = tai64nlocal ] && f=$W/lt.stamped
				[ -x "${c%% *}" ] || [ "$k" = bare ] || continue
				if read -r wall cpu < <(lt_time "$f" "$c") &&
				    [ -n "$cpu" ]; then
					echo "$wall" >>"$W/lt.$m.$k"
					echo "$cpu" >>"$W/lt.$m.$k.cpu"
				else
					echo "log-throughput: $k $m failed" >&2
				fi
			done
		done
	done
	for m in t plain T sel; do
		for k in $kits; do
			[ -e "$W/lt.$m.$k" ] || continue
			cell log-throughput "$m, $n lines (ms)" "$k" \
			    "$W/lt.$m.$k" 1
			cell log-throughput "$m, CPU with cat (ms)" "$k" \
			    "$W/lt.$m.$k.cpu" 1
		done
	done
	for k in $kits; do
		[ -e "$W/lt.small.$k" ] &&
		    cell log-throughput "t, ns per line at $((n / 10))" "$k" \
		    "$W/lt.small.$k" "$(awk -v n="$n" 'BEGIN { print n / 1e7 }')"
		[ -e "$W/lt.t.$k" ] &&
		    cell log-throughput "t, ns per line at $n" "$k" \
		    "$W/lt.t.$k" "$(awk -v n="$n" 'BEGIN { print n / 1e6 }')"
	done
	for m in tai64n tai64nlocal; do
		for k in $kits; do
			[ -e "$W/lt.$m.$k" ] &&
			    cell log-throughput "$m, $n lines (ms)" "$k" \
			    "$W/lt.$m.$k" 1
		done
	done
	rm -rf "$W"/lt.*
}

# tools: the status tool over all the services of the largest size in one
# call, and one status / one hup call on one service, CALLS times.
scen_tools() {
	local n=${SIZES##* } k d st hup
	for k in $KITS; do
		d=$W/tools.$k
		st=$(kit_cmd "$k" status)
		hup=$(kit_cmd "$k" hup)
		if [ -z "$st$hup" ] || ! up_direct "$k" "$n" "$d" >/dev/null
		then
			skip tools "status of $n dirs, one call (ms)" "$k"
			skip tools "one status call (ms)" "$k"
			skip tools "one hup call (ms)" "$k"
			teardown "$d"
			continue
		fi
		if [ -z "$st" ]; then
			skip tools "status of $n dirs, one call (ms)" "$k"
			skip tools "one status call (ms)" "$k"
		elif [ "$k" = s6 ]; then
			rec tools "status of $n dirs, one call (ms)" "$k" - \
			    "n/a (one dir per call)"
		else
			"$BH" times "$REPS" $st "$d"/s* >"$d.all"
			cell tools "status of $n dirs, one call (ms)" "$k" \
			    "$d.all" 1000
		fi
		if [ -n "$st" ]; then
			"$BH" times "$CALLS" $st "$d/s1" >"$d.one"
			cell tools "one status call (ms)" "$k" "$d.one" 1000
		fi
		if [ -n "$hup" ]; then
			"$BH" times "$CALLS" $hup "$d/s1" >"$d.hup"
			cell tools "one hup call (ms)" "$k" "$d.hup" 1000
		else
			skip tools "one hup call (ms)" "$k"
		fi
		teardown "$d"
	done
}

# print_table: the cells as a markdown table, one column per toolkit, and
# the ratio of ours to the best (lowest) peer median.
print_table() {
	echo
	echo "| scenario | metric | $(echo "$KITS bare" | sed 's/ / | /g') |" \
	    "ours / best peer |"
	echo "|---|---|$(echo "$KITS bare" | sed 's/[^ ]*/---|/g; s/ //g')---|"
	awk -F'\t' -v kits="$KITS bare" '
	    { r = $1 SUBSEP $2; c = r SUBSEP $3 }
	    !(r in seen) { seen[r] = 1; row[++n] = r }
	    { txt[c] = $5; med[c] = $4 }
	    END {
		nk = split(kits, k, " ")
		for (i = 1; i <= n; i++) {
			split(row[i], rc, SUBSEP)
			line = "| " rc[1] " | " rc[2] " |"
			best = ""
			for (j = 1; j <= nk; j++) {
				key = row[i] SUBSEP k[j]
				t = key in txt ? txt[key] : ""
				line = line " " t " |"
				if (k[j] != "ours" && k[j] != "bare" &&
				    (key in med) && med[key] != "-" &&
				    (best == "" || med[key] + 0 < best + 0))
					best = med[key]
			}
			o = row[i] SUBSEP "ours"
			r = ""
			if ((o in med) && med[o] != "-" && best != "" &&
			    best + 0 > 0 && best + 0 < 1e9)
				r = sprintf("%.2f", med[o] / best)
			print line " " r " |"
		}
	    }' "$W/results"
}

# scale: BENCH_SCALE services (default 1000 10000) under our scanner, as
# many as the machine allows: bring-up to all up (time, and the scanner's
# own CPU), the scanner's Pss and Private_Dirty and each supervise's, the
# scanner's CPU over SCALE_IDLE idle seconds, one svstat over all of them,
# svc -wD -d then svc -wu -u over all of them, the pickup of one new
# service, and the SIGTERM shutdown. BENCH_SCALE_LOG (default 1000) sizes
# are run again with a logger each (cat, which passes the service's byte
# on). Ours only: the peers' scanners have caps (1000, s6's -C) or take
# far longer, and the scenario is about how our costs grow.
SCALE=${BENCH_SCALE:-$(q "100 1000" "1000 10000")}
SCALE_LOG=${BENCH_SCALE_LOG:-$(q 100 1000)}
SCALE_IDLE=${BENCH_SCALE_IDLE:-$(q 2 10)}

# scale_fit N PROCS_EACH: prints how many services fit (at most N), each
# needing PROCS_EACH processes, then what limited it (nothing when N fit):
# free pids under pid_max, RLIMIT_NPROC, memory, the scanner's hard
# limit of descriptors.
scale_fit() {
	local n=$1 each=$2 pmax nproc used mem fit why=
	pmax=$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo 32768)
	used=$(ls /proc | grep -c '^[0-9]')
	fit=$(( (pmax - used - 200) / each ))
	[ "$fit" -lt "$n" ] && { n=$fit; why="pid_max $pmax"; }
	nproc=$(ulimit -u)
	if [ "$nproc" != unlimited ] && [ "$(id -u)" != 0 ]; then
		fit=$(( (nproc - used - 200) / each ))
		[ "$fit" -lt "$n" ] && { n=$fit; why="RLIMIT_NPROC $nproc"; }
	fi
	# About 150 KiB each (a static supervise and pause), 2x for safety.
	mem=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
	fit=$(( mem / (300 * each) ))
	[ "$fit" -lt "$n" ] && { n=$fit; why="memory ${mem} KiB"; }
	# The scanner holds one descriptor per entry, three with a logger.
	fit=$(( ($(ulimit -H -n) - 20) / (each == 2 ? 1 : 3) ))
	[ "$fit" -lt "$n" ] && { n=$fit; why="descriptors $(ulimit -H -n)"; }
	echo "$n $why"
}

# scale_one METRIC KIT VALUE [DIV]: a cell of one sample.
scale_one() { echo "$3" >"$W/scale.one"; cell scale "$1" "$2" "$W/scale.one" "${4:-1}"; }

scale_run() {
	local n=$1 logged=$2 d sc each=2 why lab t pd pss sd c0 c1 i
	[ "$logged" = 1 ] && each=4
	read -r n why < <(scale_fit "$1" "$each")
	lab="$n"
	[ "$logged" = 1 ] && lab="$n logged"
	if [ "$n" -lt "$1" ]; then
		echo "bench: scale: $1 services do not fit, $n do: $why" >&2
		rec scale "$lab: limited to $n of $1 by" ours - "$why"
	fi
	[ "$n" -gt 0 ] || return 0
	d=$W/scale.$n.$logged
	sc=$(kit_cmd ours scanner) || { skip scale "$lab: bring-up (ms)" ours; return; }
	mkdir -p "$d" || return
	if [ "$logged" = 1 ]; then
		"$BH" mkdirs "$d" "$n" "$PAUSE" "$(command -v cat)" || return
	else
		"$BH" mkdirs "$d" "$n" "$PAUSE" || return
	fi
	t=$(PATH=$(kit_path ours) bht up "$FIFO" "$n" $((60000 + n * 20)) \
	    "$d.pid" $sc "$d") || {
		rec scale "$lab: bring-up (ms)" ours - "failed: $t"
		teardown "$d"
		return
	}
	sd=$(cat "$d.pid")
	scale_one "$lab: bring-up (ms)" ours "$t" 1000
	"$BH" ps "$TAG" -m >"$d.ps"
	awk -v p="$sd" '$1 == p { print $4 / 1000 >"'"$d.cpu"'"
	    print $8 >"'"$d.pss"'"; print $9 >"'"$d.pd"'" }
	    $2 == p && $3 == "supervise" { print $9 >"'"$d.spd"'" }' "$d.ps"
	cell scale "$lab: scanner CPU in bring-up (ms)" ours "$d.cpu" 1
	cell scale "$lab: scanner Pss (KiB)" ours "$d.pss" 1
	cell scale "$lab: scanner Private_Dirty (KiB)" ours "$d.pd" 1
	pd=$(cat "$d.pd")
	rec scale "$lab: scanner Private_Dirty per entry (bytes)" ours \
	    "$((pd * 1024 / n))" "$((pd * 1024 / n))"
	cell scale "$lab: supervise Private_Dirty (KiB)" ours "$d.spd" 1
	nap 1
	c0=$(awk '{ print $14 + $15 }' "/proc/$sd/stat")
	nap "$SCALE_IDLE"
	c1=$(awk '{ print $14 + $15 }' "/proc/$sd/stat")
	scale_one "$lab: scanner CPU idle (ms/min)" ours \
	    "$(( (c1 - c0) * 10 * 60 / SCALE_IDLE ))"
	(cd "$d" && "$BH" times "$REPS" "$BIN/svstat" s*) >"$d.st"
	cell scale "$lab: svstat of all, one call (ms)" ours "$d.st" 1000
	(cd "$d" && "$BH" times 1 "$BIN/svc" -wD -T 120000 -d s*) >"$d.down"
	cell scale "$lab: svc -wD -d all (ms)" ours "$d.down" 1000
	(cd "$d" && "$BH" times 1 "$BIN/svc" -wu -T 120000 -u s*) >"$d.upw"
	cell scale "$lab: svc -wu -u all (ms)" ours "$d.upw" 1000
	"$BH" wait "$FIFO" "$n" 10000 >/dev/null
	: >"$d.pick"
	for ((i = 1; i <= PICKUPS; i++)); do
		mkdir "$W/new$i" && ln -s "$PAUSE" "$W/new$i/run"
		"$BH" pickup "$FIFO" "$W/new$i" "$d/new$i" "$PICKUP_TIMEOUT" \
		    >>"$d.pick" || break
	done
	cell scale "$lab: pickup of one new service (ms)" ours "$d.pick" 1000
	rm -rf "$W"/new*
	t=$("$BH" term "$sd" $((30000 + n * 10)))
	scale_one "$lab: SIGTERM to scanner gone (ms)" ours "$t" 1000
	teardown "$d" "$d".*
}

scen_scale() {
	local n
	for n in $SCALE; do
		scale_run "$n" 0
	done
	for n in $SCALE_LOG; do
		scale_run "$n" 1
	done
}
