# secenv-run links the five programs: each main() compiled a second time
# as <program>_main, and every other object of theirs (vaultfetch's light
# build: the remote backends stay in vaultfetch-http). Read after the
# program rules, so the object lists are known.
SECENV_RUN_LINKED = vaultfetch envinject redact cmdguard auditlog
SECENV_RUN_MAINS = $(SECENV_RUN_LINKED:%=$(BUILD)/secenv-run/linked/%_main.o)
SECENV_RUN_PARTS = $(filter-out %/main.o, \
	$(foreach p,$(SECENV_RUN_LINKED),$($(p)_OBJS)))

$(BINOUT)/secenv-run: $(SECENV_RUN_MAINS) $(SECENV_RUN_PARTS)

$(BUILD)/secenv-run/linked/%_main.o: src/%/main.c $(wildcard src/common/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Dmain=$*_main -Wno-missing-prototypes -Isrc/$* \
		-MMD -MP -c -o $@ $<
