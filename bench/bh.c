/*
 * bh, the measuring half of the benchmark (bench/run is the driving half).
 * Everything that needs microsecond timing or a tight loop is here, so the
 * numbers do not include bash's own start-up costs. Times are printed in
 * microseconds, one sample per line, from CLOCK_MONOTONIC.
 *
 * Services signal "my run program has exec'd" by writing one byte to a FIFO
 * (see pause.c); bench/run holds that FIFO open read-write for the whole
 * run, so writers never block and readers never see end-of-file.
 *
 *   bh up FIFO N TIMEOUT_MS PIDFILE CMD...    start CMD (stdout = FIFO),
 *                                              time until N bytes arrived
 *   bh upeach FIFO TIMEOUT_MS PIDFILE SUP DIR...  start `SUP DIR` for each
 *   bh wait FIFO N TIMEOUT_MS                 time until N more bytes
 *   bh restart FIFO N MS raw|'CMD ARGS' DIR...  N restarts round-robin,
 *                                              fewer if they take > MS ms
 *   bh floor PAUSE N                          bare kill+wait+fork+exec loop
 *   bh pickup FIFO SRC DST TIMEOUT_MS         rename, time until 1 byte
 *   bh times N CMD...                         fork+exec+wait CMD N times
 *   bh mkdirs DIR N PROG [LOG]                DIR/s1..sN, each with run -> PROG
 *                                              (and log/run -> LOG)
 *   bh term PID TIMEOUT_MS                    SIGTERM, time until PID is gone
 *   bh ps TAG [-m]                            the processes tagged TAG
 *   bh reap TAG                               SIGKILL them until none left
 *   bh logkill TAG EXE CTL KILLS              feed the writer, kill logger
 *
 * A process belongs to the run when its environment holds BENCH_TAG=TAG;
 * that is how bh finds (and, at the end, kills by pid) every supervisor and
 * service, even those that were re-parented.
 */
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
sleep_us(long long us)
{
	struct timespec ts;

	if (us <= 0)
		return;
	ts.tv_sec = us / 1000000;
	ts.tv_nsec = (us % 1000000) * 1000;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void
die(const char *what, const char *obj)
{
	fprintf(stderr, "bh: fatal: unable to %s %s: %s\n", what, obj,
	    strerror(errno));
	exit(111);
}

static int
open_fifo(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		die("open", path);
	return fd;
}

static void
drain(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/* Reads bytes until n have come or the deadline passed; returns the count. */
static long
count(int fd, long n, long long deadline)
{
	char buf[4096];
	struct pollfd p;
	long got = 0;
	long long left;
	ssize_t r;

	p.fd = fd;
	p.events = POLLIN;
	while (got < n) {
		left = deadline - now_us();
		if (left <= 0)
			break;
		if (poll(&p, 1, (int)((left + 999) / 1000)) <= 0)
			continue;
		r = read(fd, buf, (size_t)(n - got) < sizeof(buf) ?
		    (size_t)(n - got) : sizeof(buf));
		if (r > 0)
			got += r;
	}
	return got;
}

static pid_t
spawn(char **argv, const char *out, int session)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		die("fork for", argv[0]);
	if (pid)
		return pid;
	if (session)
		setsid();
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
	fd = open(out, O_WRONLY);
	if (fd >= 0 && fd != 1) {
		dup2(fd, 1);
		close(fd);
	}
	if (strcmp(out, "/dev/null") == 0)
		dup2(1, 2);
	execvp(argv[0], argv);
	fprintf(stderr, "bh: fatal: unable to run %s: %s\n", argv[0],
	    strerror(errno));
	_exit(111);
}

static void
report_count(long got, long n, long long t0)
{
	if (got < n) {
		printf("timeout %ld/%ld\n", got, n);
		exit(1);
	}
	printf("%lld\n", now_us() - t0);
}

static int
cmd_up(int argc, char **argv)
{
	long n = atol(argv[3]);
	long long t0, deadline;
	FILE *pf;
	pid_t pid;
	int fd;

	if (argc < 7)
		return 100;
	fd = open_fifo(argv[2]);
	drain(fd);
	t0 = now_us();
	deadline = t0 + atoll(argv[4]) * 1000;
	pid = spawn(argv + 6, argv[2], 1);
	if (!(pf = fopen(argv[5], "w")))
		die("create", argv[5]);
	fprintf(pf, "%d\n", (int)pid);
	fclose(pf);
	report_count(count(fd, n, deadline), n, t0);
	return 0;
}

static int
cmd_upeach(int argc, char **argv)
{
	long n = argc - 6, i;
	long long t0, deadline;
	char *av[3];
	FILE *pf;
	int fd;

	if (argc < 7)
		return 100;
	fd = open_fifo(argv[2]);
	drain(fd);
	if (!(pf = fopen(argv[4], "w")))
		die("create", argv[4]);
	t0 = now_us();
	deadline = t0 + atoll(argv[3]) * 1000;
	av[0] = argv[5];
	av[2] = 0;
	for (i = 0; i < n; i++) {
		av[1] = argv[6 + i];
		fprintf(pf, "%d\n", (int)spawn(av, argv[2], 1));
	}
	fclose(pf);
	report_count(count(fd, n, deadline), n, t0);
	return 0;
}

static int
cmd_wait(int argc, char **argv)
{
	long n;
	long long t0;
	int fd;

	if (argc != 5)
		return 100;
	n = atol(argv[3]);
	fd = open_fifo(argv[2]);
	t0 = now_us();
	report_count(count(fd, n, t0 + atoll(argv[4]) * 1000), n, t0);
	return 0;
}

/* Splits "svc -t" into an argv with room for one more operand. */
static char **
split(char *s, int *ac)
{
	static char *av[16];
	char *tok;

	*ac = 0;
	for (tok = strtok(s, " "); tok && *ac < 14; tok = strtok(0, " "))
		av[(*ac)++] = tok;
	av[*ac] = 0;
	return av;
}

static int
send_raw(const char *dir)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/supervise/control", dir);
	fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write(fd, "t", 1) != 1) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static int
cmd_restart(int argc, char **argv)
{
	long n, i, fails = 0;
	int k = argc - 6, d, fd, ac = 0;
	long long *up, t0, end;
	char **av = 0;
	pid_t pid = 0;

	if (argc < 7)
		return 100;
	n = atol(argv[3]);
	end = now_us() + atoll(argv[4]) * 1000;
	if (strcmp(argv[5], "raw") != 0)
		av = split(argv[5], &ac);
	fd = open_fifo(argv[2]);
	if (!(up = malloc(sizeof(*up) * (size_t)k)))
		die("allocate", "memory");
	for (d = 0; d < k; d++)
		up[d] = now_us();
	/* s6 restarts 1 s after a death: the budget keeps its run short. */
	for (i = 0; i < n && (i < 5 || now_us() < end); i++) {
		d = (int)(i % k);
		/* Every peer throttles a service that ran less than 1 s. */
		sleep_us(up[d] + 1100000 - now_us());
		drain(fd);
		t0 = now_us();
		if (av) {
			av[ac] = argv[6 + d];
			pid = spawn(av, "/dev/null", 0);
		} else if (send_raw(argv[6 + d]) < 0)
			die("write to control of", argv[6 + d]);
		if (count(fd, 1, t0 + 10000000) == 1)
			printf("%lld\n", now_us() - t0);
		else
			fails++;
		up[d] = now_us();
		if (av)
			waitpid(pid, 0, 0);
	}
	if (fails)
		fprintf(stderr, "bh: restart: %ld of %ld timed out\n", fails,
		    n);
	return fails ? 1 : 0;
}

/*
 * The floor for restart latency: what the same kill, reap, fork and exec
 * cost with no supervisor in between.
 */
static int
cmd_floor(int argc, char **argv)
{
	char *av[2], fifo[64];
	long n, i;
	long long t0;
	pid_t pid;
	int fd;

	if (argc != 4)
		return 100;
	n = atol(argv[3]);
	av[0] = argv[2];
	av[1] = 0;
	snprintf(fifo, sizeof(fifo), "/tmp/bh-floor.%d", (int)getpid());
	if (mkfifo(fifo, 0600) < 0)
		die("create", fifo);
	fd = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		die("open", fifo);
	pid = spawn(av, fifo, 0);
	count(fd, 1, now_us() + 10000000);
	for (i = 0; i < n; i++) {
		t0 = now_us();
		kill(pid, SIGTERM);
		waitpid(pid, 0, 0);
		pid = spawn(av, fifo, 0);
		if (count(fd, 1, t0 + 10000000) == 1)
			printf("%lld\n", now_us() - t0);
	}
	kill(pid, SIGTERM);
	waitpid(pid, 0, 0);
	unlink(fifo);
	return 0;
}

static int
cmd_pickup(int argc, char **argv)
{
	long long t0;
	int fd;

	if (argc != 6)
		return 100;
	fd = open_fifo(argv[2]);
	drain(fd);
	t0 = now_us();
	if (rename(argv[3], argv[4]) < 0)
		die("rename", argv[3]);
	report_count(count(fd, 1, t0 + atoll(argv[5]) * 1000), 1, t0);
	return 0;
}

static int
cmd_times(int argc, char **argv)
{
	long n, i, bad = 0;
	long long t0;
	int st;

	if (argc < 4)
		return 100;
	n = atol(argv[2]);
	for (i = 0; i < n; i++) {
		t0 = now_us();
		waitpid(spawn(argv + 3, "/dev/null", 0), &st, 0);
		printf("%lld\n", now_us() - t0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	if (bad)
		fprintf(stderr, "bh: %s: %ld of %ld calls failed\n", argv[3],
		    bad, n);
	return 0;
}

static int
tagged(const char *pid, const char *want)
{
	char path[64], buf[65536];
	size_t wl = strlen(want);
	ssize_t r, off = 0;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/environ", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return 0;
	buf[r] = 0;
	while (off < r) {
		if (strncmp(buf + off, want, wl) == 0 && buf[off + wl] == 0)
			return 1;
		off += (ssize_t)strlen(buf + off) + 1;
	}
	return 0;
}

static void
exe_of(const char *pid, char *out, size_t len)
{
	char path[64], buf[4096], *b;
	ssize_t r;

	snprintf(path, sizeof(path), "/proc/%s/exe", pid);
	r = readlink(path, buf, sizeof(buf) - 1);
	if (r < 0)
		r = 0;
	buf[r] = 0;
	b = strrchr(buf, '/');
	snprintf(out, len, "%.200s", b ? b + 1 : buf);
	if (!*out)
		snprintf(out, len, "?");
}

/* Calls fn on every live process tagged BENCH_TAG=tag, except ourselves. */
static int
each_tagged(const char *tag, void (*fn)(const char *, void *), void *arg)
{
	char want[256], self[32];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(want, sizeof(want), "BENCH_TAG=%s", tag);
	snprintf(self, sizeof(self), "%d", (int)getpid());
	if (!(d = opendir("/proc")))
		die("open", "/proc");
	while ((e = readdir(d))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
		    strcmp(e->d_name, self) == 0 || !tagged(e->d_name, want))
			continue;
		fn(e->d_name, arg);
		n++;
	}
	closedir(d);
	return n;
}

static long long
field_kb(const char *path, const char *key)
{
	char buf[8192], *p;
	size_t kl = strlen(key);
	ssize_t r;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (r <= 0)
		return -1;
	buf[r] = 0;
	for (p = buf; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, key, kl) == 0)
			return atoll(p + kl);
	}
	return -1;
}

static void
print_ps(const char *pid, void *arg)
{
	char path[64], buf[1024], exe[256], *p;
	unsigned long long ut, st, cut, cst, ns = 0;
	int ppid = 0, fd, memory = *(int *)arg;
	ssize_t r;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[r > 0 ? r : 0] = 0;
	if (!(p = strrchr(buf, ')')) || sscanf(p + 2,
	    "%*c %d %*s %*s %*s %*s %*s %*s %*s %*s %*s %llu %llu %llu %llu",
	    &ppid, &ut, &st, &cut, &cst) != 5)
		return;
	snprintf(path, sizeof(path), "/proc/%s/schedstat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		r = read(fd, buf, sizeof(buf) - 1);
		buf[r > 0 ? r : 0] = 0;
		ns = strtoull(buf, 0, 10);
		close(fd);
	}
	if (!ns)	/* no schedstat: clock ticks, assumed 100 Hz */
		ns = (ut + st) * 10000000ULL;
	exe_of(pid, exe, sizeof(exe));
	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	printf("%s %d %s %llu %llu %lld %lld", pid, ppid, exe, ns / 1000,
	    (cut + cst) * 10000ULL,
	    field_kb(path, "voluntary_ctxt_switches:"),
	    field_kb(path, "nonvoluntary_ctxt_switches:"));
	if (memory) {
		snprintf(path, sizeof(path), "/proc/%s/smaps_rollup", pid);
		printf(" %lld %lld", field_kb(path, "Pss:"),
		    field_kb(path, "Private_Dirty:"));
	}
	printf("\n");
}

static int
cmd_ps(int argc, char **argv)
{
	int memory = argc > 3 && strcmp(argv[3], "-m") == 0;

	if (argc < 3)
		return 100;
	each_tagged(argv[2], print_ps, &memory);
	return 0;
}

static void
kill_one(const char *pid, void *arg)
{
	(void)arg;
	kill(atoi(pid), SIGKILL);
}

static int
cmd_reap(int argc, char **argv)
{
	int i;

	if (argc != 3)
		return 100;
	for (i = 0; i < 250; i++) {
		if (each_tagged(argv[2], kill_one, 0) == 0)
			return 0;
		sleep_us(20000);
	}
	fprintf(stderr, "bh: reap: processes tagged %s survive\n", argv[2]);
	return 1;
}

struct find {
	const char *exe;
	int pid;
};

static void
find_exe(const char *pid, void *arg)
{
	struct find *f = arg;
	char exe[256];

	exe_of(pid, exe, sizeof(exe));
	if (strcmp(exe, f->exe) == 0)
		f->pid = atoi(pid);
}

static int
logger(const char *tag, const char *exe, int not, long long deadline)
{
	struct find f;

	f.exe = exe;
	do {
		f.pid = 0;
		each_tagged(tag, find_exe, &f);
		if (f.pid && f.pid != not)
			return f.pid;
		sleep_us(5000);
	} while (now_us() < deadline);
	return 0;
}

/*
 * One burst of lines per kill; the kill lands 0.5 to 4.5 ms into the
 * burst, while the logger is busy, and alternates SIGTERM and SIGKILL.
 * Each kill waits for the next logger, so every kill hits a live one.
 */
static int
cmd_logkill(int argc, char **argv)
{
	long kills, i, term = 0, hard = 0, missed = 0;
	int ctl, pid;

	if (argc != 6)
		return 100;
	kills = atol(argv[5]);
	if ((ctl = open(argv[4], O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		die("open", argv[4]);
	pid = logger(argv[2], argv[3], 0, now_us() + 15000000);
	for (i = 0; i < kills; i++) {
		if (write(ctl, "x", 1) != 1)
			die("write to", argv[4]);
		sleep_us(500 + (i % 5) * 1000);
		if (pid && kill(pid, i % 2 ? SIGKILL : SIGTERM) == 0)
			i % 2 ? hard++ : term++;
		else
			missed++;
		pid = logger(argv[2], argv[3], pid, now_us() + 15000000);
	}
	printf("%ld %ld %ld\n", term, hard, missed);
	return 0;
}

/* bash would fork a ln per service; 1000 of them take seconds here. */
static int
cmd_mkdirs(int argc, char **argv)
{
	char path[4096];
	long n, i;

	if (argc != 5 && argc != 6)
		return 100;
	n = atol(argv[3]);
	for (i = 1; i <= n; i++) {
		snprintf(path, sizeof(path), "%s/s%ld", argv[2], i);
		if (mkdir(path, 0755) < 0)
			die("create", path);
		snprintf(path, sizeof(path), "%s/s%ld/run", argv[2], i);
		if (symlink(argv[4], path) < 0)
			die("create", path);
		if (argc < 6)
			continue;
		snprintf(path, sizeof(path), "%s/s%ld/log", argv[2], i);
		if (mkdir(path, 0755) < 0)
			die("create", path);
		snprintf(path, sizeof(path), "%s/s%ld/log/run", argv[2], i);
		if (symlink(argv[5], path) < 0)
			die("create", path);
	}
	return 0;
}

/* Whether pid has exited: no such process, or a zombie its parent (init,
 * once bh up is gone) has not reaped yet. */
static int
gone(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return kill(pid, 0) < 0 && errno == ESRCH;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[r > 0 ? r : 0] = 0;
	p = strrchr(buf, ')');
	return r <= 0 || (p && (p[2] == 'Z' || p[2] == 'X'));
}

/* SIGTERM to a scanner, then the time until it has exited. */
static int
cmd_term(int argc, char **argv)
{
	long long t0, deadline;
	pid_t pid;

	if (argc != 4)
		return 100;
	pid = (pid_t)atol(argv[2]);
	t0 = now_us();
	deadline = t0 + atoll(argv[3]) * 1000;
	if (kill(pid, SIGTERM) < 0)
		die("kill", argv[2]);
	while (!gone(pid)) {
		if (now_us() >= deadline) {
			printf("timeout\n");
			return 1;
		}
		/* Our child (bh up's is not): reap it, or it stays. */
		waitpid(pid, 0, WNOHANG);
		sleep_us(2000);
	}
	printf("%lld\n", now_us() - t0);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "up", cmd_up }, { "upeach", cmd_upeach },
		{ "wait", cmd_wait },
		{ "restart", cmd_restart }, { "floor", cmd_floor },
		{ "pickup", cmd_pickup }, { "times", cmd_times },
		{ "mkdirs", cmd_mkdirs }, { "ps", cmd_ps },
		{ "reap", cmd_reap }, { "term", cmd_term },
		{ "logkill", cmd_logkill },
	};
	size_t i;
	int r;

	signal(SIGPIPE, SIG_IGN);
	for (i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0) {
			r = cmds[i].fn(argc, argv);
			if (r == 100)
				fprintf(stderr, "bh: usage: see bench/bh.c\n");
			fflush(stdout);
			return r;
		}
	fprintf(stderr, "bh: usage: bh up|upeach|wait|restart|floor|pickup|"
	    "times|ps|reap|logkill|mkdirs|term ...\n");
	return 100;
}
