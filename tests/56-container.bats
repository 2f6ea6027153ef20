#!/usr/bin/env bats
# svscan as a container's init, in a real container runtime: the image of
# examples/container (static programs, busybox, FROM scratch) built here,
# run with podman and runc; and examples/kubernetes/pod.yaml played by
# podman. Skipped, with the reason, where podman, runc or a static busybox
# is missing or cannot start a container. svscan DIR -- PROG without a
# container is tests/53.

load helpers

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)

# podman with runc and limits no higher than the current ones: on the
# project's CI machines (cgroup v1, no CAP_SYS_RESOURCE) crun and podman's
# default limits fail. kube play takes them from containers.conf.
pm() { podman --runtime runc "$@"; }
RUNOPTS=(--pull never)
RUNOPTS+=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

setup_file() {
	local why=
	command -v podman >/dev/null || why="podman is not installed"
	[ -n "$why" ] || command -v runc >/dev/null || why="runc is not installed"
	[ -n "$why" ] || { command -v busybox >/dev/null &&
		! ldd "$(command -v busybox)" >/dev/null 2>&1; } ||
		why="no static busybox (busybox-static)"
	[ -n "$why" ] || [ "$(id -u)" = 0 ] || why="needs root"
	IMG=localhost/sv-test-$$
	export IMG
	if [ -z "$why" ]; then
		why=$(build_image 2>&1) && why=
	fi
	echo "$why" >"$BATS_FILE_TMPDIR/skip"
	printf '[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "runc"\n' \
		>"$BATS_FILE_TMPDIR/containers.conf"
}

# build_image: make static, mkroot, podman build; fails with the reason.
build_image() {
	local ctx="$BATS_FILE_TMPDIR/ctx"
	make -s -C "$TOP" static >/dev/null 2>&1 || { echo "make static failed"; return 1; }
	mkdir -p "$ctx"
	cp "$TOP/examples/container/Containerfile" "$ctx/"
	STATICBIN="$TOP/build/static/bin" "$TOP/examples/container/mkroot" "$ctx/root" || return 1
	timeout 300 podman --runtime runc build --format docker -q -t "$IMG" "$ctx" >/dev/null 2>&1 ||
		{ echo "podman cannot build an image here"; return 1; }
	timeout 60 podman --runtime runc run --rm "${RUNOPTS[@]}" "$IMG" /bin/true >/dev/null 2>&1 ||
		{ echo "podman cannot run a container here (runc, cgroups, limits)"; return 1; }
}

teardown_file() {
	[ -n "${IMG:-}" ] || return 0
	[ -f "$BATS_FILE_TMPDIR/pod.yaml" ] &&
		podman kube down "$BATS_FILE_TMPDIR/pod.yaml" >/dev/null 2>&1
	podman rmi -f "$IMG" >/dev/null 2>&1
	return 0
}

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	local why
	why=$(cat "$BATS_FILE_TMPDIR/skip")
	[ -z "$why" ] || skip "$why"
	NAME=svt$PPID-$BATS_TEST_NUMBER
}

teardown() {
	[ -n "${NAME:-}" ] && podman rm -f -t 0 "$NAME" >/dev/null 2>&1
	return 0
}

# web_ready: the web service of container $NAME is up and ready.
web_ready() { podman exec "$NAME" /usr/bin/svc -wU -T 1000 /service/web; }

@test "container: svscan is PID 1, services and loggers up, svok and svc -wU as probes" {
	pm run -d --name "$NAME" "${RUNOPTS[@]}" "$IMG"
	wait_for -t 30 web_ready
	run podman exec "$NAME" /bin/ps -o pid,args
	echo "$output"
	echo "$output" | grep -Eq '^ *1 /usr/bin/svscan -g 7000 /service -- /app/main$'
	for s in web web/log clock clock/log; do
		podman exec "$NAME" /usr/bin/svok "/service/$s"
	done
	run podman exec "$NAME" /usr/bin/svstat /service/web
	[[ "$output" == "/service/web: up (pid "*", ready "* ]]
	# The image's HEALTHCHECK (svc -wU) passes.
	podman healthcheck run "$NAME"
	# The loggers copy their lines to the container's log.
	wait_for -t 10 eval 'podman logs "$NAME" 2>&1 | grep -q "clock: starting"'
	podman logs "$NAME" 2>&1 | grep -q "main: web is ready"
}

@test "container: podman stop ends it in order, exit 0, well within 10 s, last lines logged" {
	pm run -d --name "$NAME" "${RUNOPTS[@]}" "$IMG"
	wait_for -t 30 web_ready
	t0=$(date +%s%N)
	podman stop -t 10 "$NAME"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "podman stop took $ms ms"
	[ "$ms" -lt 9000 ]
	[ "$(podman inspect "$NAME" --format '{{.State.ExitCode}}')" -eq 0 ]
	run podman logs "$NAME"
	echo "$output" | grep -q "main: stopping"
	# The service's last line, written on its SIGTERM, went through its
	# logger, which was stopped after it.
	echo "$output" | grep -q "clock: stopping"
}

@test "container: the main program's exit code is the container's (0, 3, 137, 127)" {
	run pm run --rm "${RUNOPTS[@]}" "$IMG" /bin/sh -c 'exit 0'
	[ "$status" -eq 0 ]
	run pm run --rm "${RUNOPTS[@]}" "$IMG" /bin/sh -c 'exit 3'
	[ "$status" -eq 3 ]
	run pm run --rm "${RUNOPTS[@]}" "$IMG" /bin/sh -c 'kill -KILL $$'
	[ "$status" -eq 137 ]
	run -127 pm run --rm "${RUNOPTS[@]}" "$IMG" /nosuch
	[[ "$output" == *"svscan: warning: unable to run /nosuch: file does not exist"* ]]
}

@test "container: an orphan's zombie is reaped by svscan as PID 1" {
	run pm run --rm "${RUNOPTS[@]}" "$IMG" /bin/sh -c '
		sh -c "sleep 0.3 & echo \$! >/tmp/orphan; exit 0"
		o=$(cat /tmp/orphan)
		# Gone once reaped; a zombie left unreaped stays: 10 s at most.
		for i in $(seq 200); do
			ps -o pid | grep -qx " *$o" || break
			sleep 0.05
		done
		ps -o stat,pid,ppid,args'
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -q '^STAT'
	# No zombie whose parent is svscan (PID 1): an orphan it did not reap.
	# (A service's own child may be a zombie for a moment before its
	# shell waits for it.)
	[ -z "$(echo "$output" | awk '$1 ~ /^Z/ && $3 == 1')" ]
}

@test "container: setuidgid, static, finds accounts in /etc/passwd" {
	run pm run --rm "${RUNOPTS[@]}" "$IMG" /usr/bin/setuidgid nobody /bin/id -u
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | grep -qx 65534
}

@test "kubernetes: podman kube play starts the pod; its probes pass" {
	sed "s|localhost/sv-example:latest|$IMG|" "$TOP/examples/kubernetes/pod.yaml" \
		>"$BATS_FILE_TMPDIR/pod.yaml"
	export CONTAINERS_CONF="$BATS_FILE_TMPDIR/containers.conf"
	run timeout 120 podman kube play "$BATS_FILE_TMPDIR/pod.yaml"
	echo "$output"
	[ "$status" -eq 0 ] || skip "this podman cannot play the pod: ${lines[-1]}"
	NAME=sv-example-sv-example
	# The readiness probe's command, then the liveness probe (podman runs
	# it as the container's health check).
	wait_for -t 30 web_ready
	podman exec "$NAME" /usr/bin/svok /service/web
	podman healthcheck run "$NAME"
	run timeout 60 podman kube down "$BATS_FILE_TMPDIR/pod.yaml"
	[ "$status" -eq 0 ]
}
