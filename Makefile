# SPDX-License-Identifier: ISC
# secenv: build, test, install. See README.md.
.SUFFIXES:

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
CFLAGS ?= -O2 -g -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE \
	-fstack-clash-protection
LDFLAGS ?= -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack
PKG_CFLAGS = $(shell pkg-config --cflags libsodium jansson libcurl 2>/dev/null)
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	-Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Wvla \
	-Wno-unused-parameter -Isrc/common $(PKG_CFLAGS)

SODIUM_LIBS = $(shell pkg-config --libs libsodium)
JANSSON_LIBS = $(shell pkg-config --libs jansson)
CURL_LIBS = $(shell pkg-config --libs libcurl)

# BUILD holds objects; BINOUT the programs (check-asan uses its own pair).
BUILD ?= build
BINOUT ?= bin

.DEFAULT_GOAL := all

COMMON_SRCS = $(wildcard src/common/*.c)
COMMON_OBJS = $(COMMON_SRCS:src/%.c=$(BUILD)/%.o)
COMMON_LIB = $(BUILD)/libsecenv.a

$(COMMON_LIB): $(COMMON_OBJS)
	@rm -f $@
	ar rcs $@ $(COMMON_OBJS)

# mk/rules.mk has the rules and templates; each src/<dir>/build.mk holds
# everything about its program (PROGRAMS += NAME, NAME_LIBS, its unit
# tests' objects, fuzz targets, benches) and extends BINS (installed
# programs), TEST_TOOLS (programs the tests need), fuzz:: and bench::.
include mk/rules.mk
include $(wildcard src/*/build.mk)

BINS += $(PROGRAMS)
$(foreach p,$(PROGRAMS),$(eval $(call program_objects,$(p))))
$(foreach p,$(PROGRAMS),$(eval $(call program,$(p))))

all: $(BINS:%=$(BINOUT)/%)

UNIT_SRCS = $(wildcard tests/unit/*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)
unit: $(UNIT_BINS)

# Tests run under prove: BATS files through bats --tap, unit tests as
# TAP executables. SECENV_BIN tells the tests which programs to run.
# Three at a time on two cores: many files wait (servers starting, slow
# writers, timeouts, fsync), and a third file keeps the cores busy then.
PROVE_JOBS ?= 3
TESTS ?= $(wildcard tests/*.bats)
# prove starts the files in this order: the longest first (each file's
# time run alone, measured), so that no long file runs alone at the end;
# the two that mostly sleep (descendants, revoke) early among them, where
# they leave a core to the others; the engine's pattern unit test, seconds
# since it keeps its heap, ends the measured list; then the rest of TESTS
# and the unit tests, which take a second or less.
TESTS_FIRST = tests/forms.bats tests/redact-dumps.bats tests/redact.bats \
	tests/pipeline.bats tests/secenv-run.bats tests/vaultfetch-azure.bats \
	tests/descendants.bats tests/revoke.bats tests/secenv.bats \
	tests/auditlog.bats tests/envinject.bats tests/faults.bats \
	tests/vaultfetch.bats tests/audit-report.bats tests/secenv-mcp.bats \
	tests/cmdguard.bats $(BUILD)/unit/redact_prop \
	tests/vaultfetch-hcvault.bats tests/stdio.bats tests/watch.bats \
	tests/vaultfetch-exec.bats tests/clients-node.t tests/clients-python.t \
	tests/redact-images.bats tests/pty.bats $(BUILD)/unit/redact_patterns
CHECK_FILES = $(TESTS) $(UNIT_BINS)
TESTS_ORDER = $(foreach t,$(TESTS_FIRST),$(filter $(t),$(CHECK_FILES))) \
	$(filter-out $(TESTS_FIRST),$(CHECK_FILES))
check: all unit $(TEST_TOOLS)
	SECENV_BIN=$(CURDIR)/$(BINOUT) prove -j$(PROVE_JOBS) --timer \
		--exec tests/helpers/run-test $(TESTS_ORDER)

test: deps
	$(MAKE) --no-print-directory check

ASAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
check-asan:
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) --no-print-directory BUILD=$(BUILD)/asan BINOUT=$(BUILD)/asan/bin \
		CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" check

deps:
	@sh tests/helpers/deps.sh

# make demo: on a fresh machine, install what is missing, build, and run
# the real pipeline against a throwaway SECENV_HOME (demo/run-demo).
demo: deps all
	bash demo/run-demo

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	for p in $(BINS); do install -m 0755 $(BINOUT)/$$p $(DESTDIR)$(BINDIR)/$$p; done
	install -m 0755 bin/secenv-owner $(DESTDIR)$(BINDIR)/secenv-owner
	ln -sf secenv-run $(DESTDIR)$(BINDIR)/secenv
	for m in docs/*.1; do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in docs/*.7; do [ -e "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man7/ || true; done

uninstall:
	for p in $(BINS) secenv secenv-owner; do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in docs/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${m##*/}; done
	for m in docs/*.7; do rm -f $(DESTDIR)$(MANDIR)/man7/$${m##*/}; done

format:
	clang-format -i $$(find src tests/unit tests/fuzz tests/tools tests/bench -name '*.[ch]')

clean:
	rm -rf $(BUILD) $(BINS:%=$(BINOUT)/%) $(BINOUT)/secenv

.PHONY: all unit check test check-asan deps demo install uninstall format \
	clean fuzz bench

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# The client modules (clients/python, clients/node): each suite is a TAP
# program that prove runs with the rest under check.
TESTS += tests/clients-python.t tests/clients-node.t
