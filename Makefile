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
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow \
	-Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Wvla \
	-Wno-unused-parameter -Isrc/common \
	$(shell pkg-config --cflags libsodium jansson libcurl 2>/dev/null)

SODIUM_LIBS = $(shell pkg-config --libs libsodium)
JANSSON_LIBS = $(shell pkg-config --libs jansson)
CURL_LIBS = $(shell pkg-config --libs libcurl)

# BUILD holds objects; BINOUT the programs (check-asan uses its own pair).
BUILD ?= build
BINOUT ?= bin

PROGRAMS = vaultfetch envinject redact cmdguard auditlog secenv-run secenv-mcp

COMMON_SRCS = $(wildcard src/common/*.c)
COMMON_OBJS = $(COMMON_SRCS:src/%.c=$(BUILD)/%.o)
COMMON_LIB = $(BUILD)/libsecenv.a

all: $(PROGRAMS:%=$(BINOUT)/%)

$(BUILD)/%.o: src/%.c $(wildcard src/common/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(<D) -MMD -MP -c -o $@ $<

$(COMMON_LIB): $(COMMON_OBJS)
	@rm -f $@
	ar rcs $@ $(COMMON_OBJS)

# Each program's fragment sets <prog>_LIBS (and may add rules); the link
# line takes only its own objects, the common archive and those libs.
include $(wildcard src/*/build.mk)

define program_rule
$(1)_SRCS ?= $$(wildcard src/$(1)/*.c)
$(1)_OBJS = $$($(1)_SRCS:src/%.c=$$(BUILD)/%.o)
$$(BINOUT)/$(1): $$($(1)_OBJS) $$(COMMON_LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$($(1)_OBJS) $$(COMMON_LIB) $$($(1)_LIBS)
endef
$(foreach p,$(PROGRAMS),$(eval $(call program_rule,$(p))))

# C unit tests: tests/unit/NAME.c -> $(BUILD)/unit/NAME, each printing TAP.
UNIT_SRCS = $(wildcard tests/unit/*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)
$(BUILD)/unit/%: tests/unit/%.c $(COMMON_LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc -Itests/unit $(LDFLAGS) -o $@ $< \
		$(UNIT_EXTRA_$*) $(COMMON_LIB) $(SODIUM_LIBS) $(JANSSON_LIBS) $(CURL_LIBS)

unit: $(UNIT_BINS)

# Tests run under prove: BATS files through bats --tap, unit tests as
# TAP executables. SECENV_BIN tells the tests which programs to run.
PROVE_JOBS ?= 2
TESTS ?= $(wildcard tests/*.bats)
check: all unit
	SECENV_BIN=$(CURDIR)/$(BINOUT) prove -j$(PROVE_JOBS) --timer \
		--exec tests/helpers/run-test $(UNIT_BINS) $(TESTS)

test: deps
	$(MAKE) --no-print-directory check

ASAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=all
check-asan:
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) --no-print-directory BUILD=build/asan BINOUT=build/asan/bin \
		CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" check

deps:
	@sh tests/helpers/deps.sh

include $(wildcard mk/*.mk)

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	for p in $(PROGRAMS); do install -m 0755 $(BINOUT)/$$p $(DESTDIR)$(BINDIR)/$$p; done
	install -m 0755 bin/secenv $(DESTDIR)$(BINDIR)/secenv
	for m in docs/*.1; do install -m 0644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in docs/*.7; do [ -e "$$m" ] && install -m 0644 $$m $(DESTDIR)$(MANDIR)/man7/ || true; done

uninstall:
	for p in $(PROGRAMS) secenv; do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in docs/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${m##*/}; done
	for m in docs/*.7; do rm -f $(DESTDIR)$(MANDIR)/man7/$${m##*/}; done

format:
	clang-format -i $$(find src tests/unit tests/fuzz -name '*.[ch]')

clean:
	rm -rf build $(PROGRAMS:%=bin/%)

.PHONY: all unit check test check-asan deps install uninstall format clean

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
