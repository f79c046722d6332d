# SPDX-License-Identifier: ISC
# secenv-run: `secenv run`, `secenv read` and revoke's stopping in one
# program. It links the five programs' code and calls their entry points
# (vaultfetch.h, envinject.h, auditlog.h, redactor.h, guard.h):
# vaultfetch, envinject, auditlog and redact's masking in forked
# children, cmdguard's decision in the run itself; a run loads no program
# but the command.
PROGRAMS += secenv-run
secenv-run_SRCS = $(wildcard src/secenv-run/*.c)
secenv-run_LIBS = $(SECENV_RUN_PARTS) $(COMMON_LIB) $(SECENV_RUN_LINK)

# It is linked as a static PIE (libc, libsodium and jansson inside it,
# still at a random address): every `secenv run` starts it, and the
# dynamic loader's work (three libraries mapped, their symbols bound)
# and the mappings each later fork copies cost a run a fifth to a
# quarter of its CPU time (see secenv-run(1)). SECENV_RUN_STATIC= links
# it as the others are, and a sanitizer build always does (the
# sanitizers need the dynamic loader).
SECENV_RUN_STATIC ?= -static-pie
ifneq ($(findstring -fsanitize,$(CFLAGS) $(LDFLAGS)),)
SECENV_RUN_STATIC =
endif
# Static, it reads accounts from /etc/passwd and /etc/group itself
# (accounts.c says why).
ifeq ($(SECENV_RUN_STATIC),)
secenv-run_SRCS := $(filter-out %/accounts.c,$(secenv-run_SRCS))
SECENV_RUN_LINK = $(SODIUM_LIBS) $(JANSSON_LIBS)
else
SECENV_RUN_LINK = $(SECENV_RUN_STATIC) \
	-Wl,--wrap=getpwnam,--wrap=initgroups \
	$(shell pkg-config --static --libs libsodium jansson)
endif
$(BUILD)/secenv-run/%.o: override CFLAGS += -Isrc/redact -Isrc/cmdguard \
	-Isrc/vaultfetch -Isrc/envinject -Isrc/auditlog

# It links every object but main.o of each (vaultfetch's light build: the
# remote backends stay in vaultfetch-http). The object lists are known
# when the link rule is made (after every program's objects), so these
# stay recursive.
SECENV_RUN_LINKED = vaultfetch envinject redact cmdguard auditlog
SECENV_RUN_PARTS = $(filter-out %/main.o, \
	$(foreach p,$(SECENV_RUN_LINKED),$($(p)_OBJS)))
secenv-run_DEPS = $(SECENV_RUN_PARTS)

# The blob's seal (children.c's memfd_seal), alone.
$(eval $(call unit_test,secenv_run_seal,$(BUILD)/secenv-run/children.o))

# secenv is this program under the name users type: run, read and revoke
# start no shell; it hands the owner's subcommands to bin/secenv-owner.
all: $(BINOUT)/secenv
$(BINOUT)/secenv: $(BINOUT)/secenv-run
	ln -sf secenv-run $@

# make bench-secenv (part of make bench): what `secenv run` adds to a
# command, as ratios to sh -c true (20 and 200 secrets, audit on and off).
bench:: bench-secenv
bench-secenv: all
	bash tests/bench/secenv_run_bench.sh $(BINOUT)

.PHONY: bench-secenv
