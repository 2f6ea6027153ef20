#!/usr/bin/env bats
# The Debian packages (debian/, make deb): built from a clean copy of the
# tree, their contents, lintian, the programs run from an extracted root,
# sv-run's maintainer scripts run on a scratch root, and the switch from
# daemontools (apt's plan simulated, a service daemontools ran run on). Nothing is installed on
# this machine: the compatibility tests need Debian's daemontools in
# /usr/bin, and the boot wiring must not touch the machine's own init.
# DEB_TIMEOUT bounds the build (seconds, default 600).

load helpers

TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"

# missing_tools CMD...: prints the first CMD that is not installed.
missing_tools() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || { echo "$t"; return 0; }
	done
	return 1
}

# The packages are built once for the whole file, in setup_file, from a
# copy of what git tracks (or would track: new files not yet committed
# count), so that nothing of this tree's own build gets in.
setup_file() {
	local d="$BATS_FILE_TMPDIR" m
	export DEBS="$d/src/build/deb"
	# The packages are built from source whatever the run, so the
	# sanitizer run of the suite (make asan) would only repeat this.
	case $SVBIN in
	*/asan/*) echo "done by the plain run" >"$d/skip"; return 0 ;;
	esac
	if m=$(missing_tools dpkg-buildpackage dpkg-deb dh); then
		echo "$m is not installed (apt-get install dpkg-dev debhelper)" \
			>"$d/skip"
		return 0
	fi
	mkdir -p "$d/src"
	if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$TOP" && git ls-files -z -c -o --exclude-standard |
			xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
			tar -cf - --null -T -) | tar -xf - -C "$d/src"
	else
		(cd "$TOP" && tar -cf - --exclude=./build --exclude=./bin .) |
			tar -xf - -C "$d/src"
	fi
	rc=0
	timeout "${DEB_TIMEOUT:-600}" make -C "$d/src" deb >"$d/build.log" 2>&1 ||
		rc=$?
	echo "$rc" >"$d/build.rc"
}

require_built() {
	[ ! -f "$BATS_FILE_TMPDIR/skip" ] || skip "$(cat "$BATS_FILE_TMPDIR/skip")"
	if [ "$(cat "$BATS_FILE_TMPDIR/build.rc")" != 0 ]; then
		tail -40 "$BATS_FILE_TMPDIR/build.log"
		echo "make deb failed (exit $(cat "$BATS_FILE_TMPDIR/build.rc"); 124 is the time-out)"
		return 1
	fi
	SVDEB=$(ls "$DEBS"/sv_*.deb)
	RUNDEB=$(ls "$DEBS"/sv-run_*.deb)
}

# extract ROOT: both packages unpacked into ROOT, as dpkg would lay them out.
extract() {
	dpkg-deb -x "$SVDEB" "$1" && dpkg-deb -x "$RUNDEB" "$1"
}

# mkservice DIR: a service that says hello, and bye on SIGTERM, with a
# multilog logger (found in PATH, as a run script on a system would).
mkservice() {
	mksv "$1" 'exec 2>&1
echo hello
trap "echo bye; kill \$!; exit 0" TERM
sleep 1000 &
wait'
	mksv "$1/log" 'exec multilog t ./main'
}

@test "make deb: sv and sv-run build from a clean copy of the tree" {
	require_built
	[ -f "$SVDEB" ]
	[ -f "$RUNDEB" ]
	run dpkg-deb -f "$SVDEB" Conflicts Replaces Provides
	echo "$output"
	[ "$output" = "Conflicts: daemontools
Replaces: daemontools
Provides: daemontools" ]
	run dpkg-deb -f "$RUNDEB" Depends Conflicts
	echo "$output"
	[[ "$output" == *"Depends: sv (>= "* ]]
	[[ "$output" == *"Conflicts: daemontools-run, runit"* ]]
}

@test "dpkg-deb -c: every program of bin/ and every man page of doc/, the unit, /etc/service" {
	require_built
	dpkg-deb -c "$SVDEB" | awk '{ print $NF }' >sv.list
	dpkg-deb -c "$RUNDEB" | awk '{ print $NF }' >run.list
	n=0
	for p in "$SVBIN"/*; do
		grep -qx "./usr/bin/${p##*/}" sv.list || { echo "no ${p##*/}"; false; }
		n=$((n + 1))
	done
	[ "$n" -ge 17 ]
	[ "$(grep -c '^\./usr/bin/.' sv.list)" -eq "$n" ]
	for m in "$TOP"/doc/*.[1578]; do
		m=${m##*/}
		grep -qx "./usr/share/man/man${m##*.}/$m.gz" sv.list ||
			{ echo "no $m"; false; }
	done
	grep -qx ./usr/share/doc/sv/copyright sv.list
	grep -qx ./usr/share/doc/sv/examples/service/clock/run sv.list
	grep -qx ./etc/service/ run.list
	# (/usr/lib/systemd/system with the debhelper of Debian 13 and later.)
	grep -qxE '\./(usr/)?lib/systemd/system/svscan\.service' run.list
	# Nothing of the programs in sv-run.
	! grep -q '^\./usr/bin' run.list
}

@test "svscan.service: KillMode=process, Restart=always, a stop time-out past svscan's 7 + 2 s" {
	require_built
	dpkg-deb -x "$RUNDEB" root
	for u in root/lib/systemd/system/svscan.service \
	    root/usr/lib/systemd/system/svscan.service; do
		[ -f "$u" ] && break
	done
	grep -qx 'ExecStart=/usr/bin/svscan -g 7000 /etc/service' "$u"
	grep -qx 'KillMode=process' "$u"
	grep -qx 'Restart=always' "$u"
	t=$(sed -n 's/^TimeoutStopSec=//p' "$u")
	[ "$t" -ge 9 ] && [ "$t" -le 15 ]
	grep -qx 'WantedBy=multi-user.target' "$u"
}

@test "lintian: no error and no warning that is not overridden" {
	require_built
	command -v lintian >/dev/null 2>&1 ||
		skip "lintian is not installed (apt-get install lintian)"
	run timeout "${DEB_TIMEOUT:-600}" lintian "$DEBS"/sv_*.changes
	echo "$output"
	[ "$status" -eq 0 ]
	! grep -E '^[EW]: ' <<<"$output"
}

@test "extracted with dpkg-deb -x: svscan, a service, svc and svstat from the packaged paths" {
	require_built
	extract root
	R=$T/root
	mkservice "$R/etc/service/hello"
	# PATH without this tree's bin/; its supervise would be daemontools'.
	PATH="$R/usr/bin:/usr/bin:/bin" start_bg "$R/usr/bin/svscan" "$R/etc/service"
	scan=$LAST_PID
	s=$R/etc/service/hello
	wait_for has_pid "$s"
	wait_for grep -q hello "$s/log/main/current"
	# The supervise that runs it is the packaged one, beside svscan.
	[ "$(readlink "/proc/$(sup_pid "$s")/exe")" = "$R/usr/bin/supervise" ]
	run "$R/usr/bin/svstat" "$s"
	echo "$output"
	[[ "$output" == "$s: up (pid $(svpid "$s")) "* ]]
	run "$R/usr/bin/svc" -d -wD -T 10000 "$s"
	[ "$status" -eq 0 ]
	run "$R/usr/bin/svstat" "$s"
	[[ "$output" == "$s: down "* ]]
	wait_for grep -q bye "$s/log/main/current"
	run "$R/usr/bin/svc" -u -wu -T 10000 "$s"
	[ "$status" -eq 0 ]
	"$R/usr/bin/svok" "$s"
	kill -TERM "$scan"
	wait "$scan"
	[ -z "$(sups_under "$R")" ]
}

# maint SCRIPT ARG...: runs one of sv-run's maintainer scripts on the
# scratch root $R the way dpkg --root --force-script-chrootless does
# (DPKG_ROOT set), with the packaged programs first in PATH and shims for
# init and systemd's helpers that only note their calls in $T/calls.
maint() {
	env DPKG_ROOT="$R" PATH="$T/shim:$R/usr/bin:/usr/bin:/bin" \
		sh "$T/ctl/$1" "${@:2}"
}

setup_maint() {
	require_built
	R=$T/root
	extract "$R"
	dpkg-deb -e "$RUNDEB" "$T/ctl"
	mkdir -p "$T/shim"
	for c in init telinit systemctl deb-systemd-helper deb-systemd-invoke; do
		printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n' "$c" "$T" \
			>"$T/shim/$c"
		chmod +x "$T/shim/$c"
	done
	: >"$T/calls"
}

@test "sv-run's scripts: inittab line added, svscan runs from it, services down first on remove, nothing left" {
	setup_maint
	printf '# /etc/inittab\nid:2:initdefault:\n~~:S:wait:/sbin/sulogin\n' \
		>"$R/etc/inittab"
	cp "$R/etc/inittab" inittab.orig
	run maint postinst configure
	echo "$output"
	[ "$status" -eq 0 ]
	# The original lines, then ours between daemontools-run's kind of
	# markers; configuring again (an upgrade) adds nothing.
	cmp <(head -n 3 "$R/etc/inittab") inittab.orig
	[ "$(tail -n 3 "$R/etc/inittab")" = "#-- sv-run begin
SV:2345:respawn:/usr/bin/svscanboot /etc/service
#-- sv-run end" ]
	run maint postinst configure 0.1
	[ "$status" -eq 0 ]
	[ "$(grep -c '^SV:' "$R/etc/inittab")" -eq 1 ]
	# Enabled for systemd; init itself left alone on another root.
	grep -qx 'deb-systemd-helper enable svscan.service' calls
	! grep -q '^init\|^telinit' calls

	# What init does with the line: its command, in a session of its own
	# (paths inside the scratch root).
	mkservice "$R/etc/service/hello"
	s=$R/etc/service/hello
	cmd=$(sed -n 's/^SV:2345:respawn://p' "$R/etc/inittab")
	set -- $cmd
	start_bg setsid "$R$1" "$R$2"
	scan=$LAST_PID
	wait_for has_pid "$s"
	[ "$(readlink "/proc/$scan/exe")" = "$R/usr/bin/svscan" ]
	[ "$(ps -o pgid= -p "$scan" | tr -d ' ')" = "$scan" ]
	wait_for grep -q hello "$s/log/main/current"

	# prerm remove: the service down, its logger still up and reading.
	run maint prerm remove
	echo "$output"
	[ "$status" -eq 0 ]
	run "$R/usr/bin/svstat" "$s"
	echo "$output"
	[[ "$output" == "$s: down "* ]]
	has_pid "$s/log"
	alive "$scan"
	wait_for grep -q bye "$s/log/main/current"

	# postrm remove: the inittab as it was before.
	run maint postrm remove
	echo "$output"
	[ "$status" -eq 0 ]
	cmp "$R/etc/inittab" inittab.orig
	[ -z "$(ls "$R/etc" | grep -v '^inittab$\|^service$')" ]
	# Then init stops what the line started: SIGTERM to its group.
	kill -TERM -- "-$scan"
	wait_gone "$scan"
	wait_for eval '[ -z "$(sups_under "$R")" ]'
	grep -q bye "$s/log/main/current"

	run maint postrm purge
	[ "$status" -eq 0 ]
	cmp "$R/etc/inittab" inittab.orig
	# (debhelper's purge lines run the helper only where it is installed.)
	[ ! -x /usr/bin/deb-systemd-helper ] ||
		grep -qx 'deb-systemd-helper purge svscan.service' calls
	! grep -q '^init\|^telinit' calls
}

@test "sv-run's scripts: no /etc/inittab (a systemd system), none is made" {
	setup_maint
	run maint postinst configure
	[ "$status" -eq 0 ]
	[ ! -e "$R/etc/inittab" ]
	grep -qx 'deb-systemd-helper enable svscan.service' calls
	run maint prerm remove
	[ "$status" -eq 0 ]
	run maint postrm remove
	[ "$status" -eq 0 ]
	run maint postrm purge
	[ "$status" -eq 0 ]
	[ ! -e "$R/etc/inittab" ]
}

@test "sv-run's scripts: an SV line of someone else's is neither doubled nor removed" {
	setup_maint
	printf 'SV:123456:respawn:/usr/bin/svscanboot\n' >"$R/etc/inittab"
	cp "$R/etc/inittab" inittab.orig
	run maint postinst configure
	[ "$status" -eq 0 ]
	cmp "$R/etc/inittab" inittab.orig
	run maint postrm purge
	[ "$status" -eq 0 ]
	cmp "$R/etc/inittab" inittab.orig
}

# Daemontools' supervise processes a test started: daemontools' svscan
# leaves them running when it dies, so they are told to go by name of
# their directory (svc -dx), also when the test failed.
DT_DIRS=()
teardown_local() {
	local d
	for d in "${DT_DIRS[@]}"; do
		"$DT/svc" -dx "$d" 2>/dev/null
	done
	return 0
}

@test "switching from daemontools: apt replaces it; a service it ran runs on, unedited, under the packaged svscan" {
	require_built
	require_dt
	command -v apt-get >/dev/null 2>&1 || skip "apt-get is not installed"
	# What apt would do, simulated: nothing is installed here.
	run apt-get -s install "$SVDEB" "$RUNDEB"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q '^Remv daemontools ' <<<"$output"
	grep -q '^Inst sv ' <<<"$output"
	grep -q '^Inst sv-run ' <<<"$output"

	R=$T/root
	extract "$R"
	s=$R/etc/service/hello
	mkservice "$s"
	(cd "$s" && find . -type f -exec md5sum {} + | sort) >before
	# daemontools' svscan on the scan directory, as daemontools-run runs
	# it, with daemontools' supervise and multilog.
	DT_DIRS=("$s" "$s/log")
	PATH="$DT:/bin" start_bg "$DT/svscan" "$R/etc/service"
	dtscan=$LAST_PID
	wait_for "$DT/svok" "$s"
	wait_for grep -q hello "$s/log/main/current"
	# What removing daemontools-run does: svscan goes, then the services,
	# then their loggers.
	kill -TERM "$dtscan"
	wait "$dtscan" || true
	"$DT/svc" -dx "$s"
	wait_for eval '! "$DT/svok" "$s"'
	"$DT/svc" -dx "$s/log"
	wait_for eval '! "$DT/svok" "$s/log"'
	[ "$(stat -c %s "$s/supervise/status")" -eq 18 ]

	# sv-run's svscan on the same directory, as left.
	PATH="$R/usr/bin:/usr/bin:/bin" start_bg "$R/usr/bin/svscan" "$R/etc/service"
	scan=$LAST_PID
	wait_for has_pid "$s"
	[ "$(readlink "/proc/$(sup_pid "$s")/exe")" = "$R/usr/bin/supervise" ]
	run "$R/usr/bin/svstat" "$s" "$s/log"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "$s: up (pid $(svpid "$s")) "* ]]
	[[ "${lines[1]}" == "$s/log: up "* ]]
	# The log goes on in the same file.
	wait_for eval '[ "$(grep -c hello "$s/log/main/current")" -eq 2 ]'
	(cd "$s" && find . -path ./supervise -prune -o -path ./log/supervise -prune \
		-o -path ./log/main -prune -o -type f -exec md5sum {} + | sort) >after
	diff before after
	kill -TERM "$scan"
	wait "$scan"
}
