# The supervision toolkit. GNU make.
#
#   make             build every program into bin/
#   make check       build, then run the bats suite against bin/
#   make asan        build with ASan + UBSan into build/asan/, run the suite
#   make torture     the long fault runs of tests/torture (a few minutes)
#   make chaos       random attacks on a tree of services, CHAOS_SECS long
#                    (default 60; CHAOS_SEED replays; tests/chaos/chaos,
#                    then tests/chaos/run, a second adversary)
#   make demo        run svscan on examples/service in the foreground
#   make static      every program static, into build/static/bin (images)
#   make check-musl  the suite against a static musl build (musl-tools)
#   make install     PREFIX=/usr/local DESTDIR= : programs and man pages
#   make bench       the benchmark against the peers that are installed
#   make deb         the Debian packages sv and sv-run, into build/deb/
#   make fuzz        libFuzzer harnesses, FUZZ_TIME seconds each (clang)
#   make lint        mandoc -Tlint on every man page (skipped without mandoc)
#   make clean
#
# A program is a directory holding NAME/NAME.c; every .c file in it is part
# of the program, and lib/ is linked into all of them.

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c17 -Wall -Wextra -Wpedantic -Wshadow -Wwrite-strings \
	-Wcast-qual -Wstrict-prototypes -Wmissing-prototypes -Wvla
ifeq ($(WERROR),1)
WARN += -Werror
endif
CPPFLAGS += -D_GNU_SOURCE -D_DEFAULT_SOURCE
# Checked string and memory calls and stack canaries in the plain build:
# they turn an overflow the tests do not see into a crash the tests do
# (one did, in supervise, only under ASan). make asan turns them off.
HARDEN ?= -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2 -fstack-protector-strong
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man

OUT ?= build
BIN ?= bin

PROGS := $(sort $(patsubst %/,%,$(dir $(wildcard */*.c))))
PROGS := $(filter-out lib tests bench examples build bin,$(PROGS))
PROGS := $(foreach p,$(PROGS),$(if $(wildcard $(p)/$(p).c),$(p)))

LIBSRC := $(wildcard lib/*.c)
LIBOBJ := $(LIBSRC:%.c=$(OUT)/%.o)
LIBA := $(OUT)/libsv.a

BATS ?= bats
TESTS ?= tests

all: $(addprefix $(BIN)/,$(PROGS))

$(OUT)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) $(HARDEN) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(wildcard $(OUT)/*/*.d)

$(LIBA): $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $^

# Programs are linked statically where the C library allows it: a static
# supervise starts faster (no dynamic loader at each exec) and its private
# memory is a fraction of a dynamic one's, which counts when a host runs a
# thousand of them (bench/RESULTS.md). Programs that look up accounts need
# glibc's name service, which only works dynamically linked; svscan runs
# once per host, so sharing the C library's pages with everything else
# costs it less memory (Pss) than a private static copy. STATIC=0 links
# everything dynamically (make asan does: the sanitizers need it).
STATIC ?= 1
DYNAMIC ?= setuidgid envuidgid svscan
static_flag = $(if $(filter 1,$(STATIC)),$(if $(filter $(1),$(DYNAMIC)),,-static))

define prog_rule
$(BIN)/$(1): $(patsubst %.c,$(OUT)/%.o,$(wildcard $(1)/*.c)) $(LIBA)
	@mkdir -p $(BIN)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) $$(call static_flag,$(1)) -o $$@ $$^
endef
$(foreach p,$(PROGS),$(eval $(call prog_rule,$(p))))

check: all
	@command -v $(BATS) >/dev/null 2>&1 || tests/install-bats
	SVBIN=$(CURDIR)/$(BIN) $(BATS) $(TESTS)

torture: all
	@command -v $(BATS) >/dev/null 2>&1 || tests/install-bats
	SVBIN=$(CURDIR)/$(BIN) $(BATS) tests/torture

chaos: all
	@command -v $(BATS) >/dev/null 2>&1 || tests/install-bats
	SVBIN=$(CURDIR)/$(BIN) $(BATS) tests/chaos
	SVBIN=$(CURDIR)/$(BIN) tests/chaos/run

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
asan:
	$(MAKE) OUT=build/asan BIN=build/asan/bin CFLAGS="$(ASAN_FLAGS)" HARDEN= \
		LDFLAGS="-fsanitize=address,undefined" STATIC=0 check

demo: all
	examples/demo

# For a container image FROM scratch (examples/container): svscan and the
# programs that look up accounts static too. With glibc, setuidgid and
# envuidgid then read /etc/passwd and /etc/group only (the linker warns
# that other name services would need the shared libraries).
static:
	$(MAKE) OUT=build/static BIN=build/static/bin DYNAMIC= all

# The programs linked statically against musl (Debian's musl-tools), and
# the suite run on them: portability slips that glibc forgives show here.
MUSL_CC ?= musl-gcc
musl:
	$(MAKE) CC=$(MUSL_CC) OUT=build/musl BIN=build/musl/bin DYNAMIC= all
check-musl: musl
	@command -v $(BATS) >/dev/null 2>&1 || tests/install-bats
	SVBIN=$(CURDIR)/build/musl/bin $(BATS) $(TESTS)

fuzz:
	tests/fuzz/run

bench: all
	bench/run

# Every page lint-clean at mandoc's warning level (section order, Xr order,
# macro misuse such as a nested Ql); a page that warns fails the build's
# tests (tests/95-doc-examples). Without mandoc this says so and succeeds.
lint:
	@if command -v mandoc >/dev/null 2>&1; then \
		mandoc -Tlint -Wwarning doc/*.[1578] && echo "lint: clean"; \
	else \
		echo "lint: mandoc is not installed; skipped"; \
	fi

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
		$(DESTDIR)$(MANDIR)/man8
	for p in $(PROGS); do install -m 755 $(BIN)/$$p $(DESTDIR)$(BINDIR)/; done
	for m in $(wildcard doc/*.[1578]); do \
		install -m 644 $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/; done

# The Debian packages (debian/), built by dpkg-buildpackage in a copy of
# the tree, so that its clean step leaves this tree's build alone; the
# .deb files land in build/deb/.
deb:
	rm -rf build/deb && mkdir -p build/deb/src
	tar -cf - --exclude=./build --exclude=./bin --exclude=./.git . | \
		tar -xf - -C build/deb/src
	cd build/deb/src && dpkg-buildpackage -us -uc -b

clean:
	rm -rf build bin

.PHONY: all check asan torture chaos demo static musl check-musl bench fuzz lint install deb clean
