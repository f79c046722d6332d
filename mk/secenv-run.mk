# SPDX-License-Identifier: ISC
# secenv-run links the five programs' code: every object but main.o of
# each (vaultfetch's light build: the remote backends stay in
# vaultfetch-http), and, for the three it starts as they are, main()
# compiled a second time as <program>_main. Read after the program rules,
# so the object lists are known.
SECENV_RUN_LINKED = vaultfetch envinject redact cmdguard auditlog
SECENV_RUN_MAINS = $(patsubst %,$(BUILD)/secenv-run/linked/%_main.o, \
	vaultfetch envinject auditlog)
SECENV_RUN_PARTS = $(filter-out %/main.o, \
	$(foreach p,$(SECENV_RUN_LINKED),$($(p)_OBJS)))

$(BINOUT)/secenv-run: $(SECENV_RUN_MAINS) $(SECENV_RUN_PARTS)

$(BUILD)/secenv-run/linked/%_main.o: src/%/main.c $(wildcard src/common/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Dmain=$*_main -Wno-missing-prototypes -Isrc/$* \
		-MMD -MP -c -o $@ $<
