# SPDX-License-Identifier: ISC
# secenv-run: `secenv run` in one program. It links the five programs'
# code: vaultfetch, envinject and auditlog run in forked children through
# their main(), redact's masking in a forked child through its functions,
# cmdguard's decision in the run itself; a run loads no program but the
# command.
PROGRAMS += secenv-run
secenv-run_SRCS = $(wildcard src/secenv-run/*.c)
secenv-run_LIBS = $(SECENV_RUN_MAINS) $(SECENV_RUN_PARTS) $(COMMON_LIB) \
	$(SODIUM_LIBS) $(JANSSON_LIBS)
$(BUILD)/secenv-run/%.o: override CFLAGS += -Isrc/redact -Isrc/cmdguard

# It links every object but main.o of each (vaultfetch's light build: the
# remote backends stay in vaultfetch-http), and, for the three it starts
# as they are, main() compiled a second time as <program>_main. The
# object lists are known when the link rule is made (after every
# program's objects), so these stay recursive.
SECENV_RUN_LINKED = vaultfetch envinject redact cmdguard auditlog
SECENV_RUN_MAINS = $(patsubst %,$(BUILD)/secenv-run/linked/%_main.o, \
	vaultfetch envinject auditlog)
SECENV_RUN_PARTS = $(filter-out %/main.o, \
	$(foreach p,$(SECENV_RUN_LINKED),$($(p)_OBJS)))
secenv-run_DEPS = $(SECENV_RUN_MAINS) $(SECENV_RUN_PARTS)

$(BUILD)/secenv-run/linked/%_main.o: src/%/main.c $(wildcard src/common/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Dmain=$*_main -Wno-missing-prototypes -Isrc/$* \
		-MMD -MP -c -o $@ $<

# make bench-secenv (part of make bench): what `secenv run` adds to a
# command.
bench:: bench-secenv
bench-secenv: all
	bash demo/bench-secenv

.PHONY: bench-secenv
