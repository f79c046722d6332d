# SPDX-License-Identifier: ISC
# secenv-run: `secenv run` in one program. It links the five programs'
# code: vaultfetch, envinject and auditlog run in forked children through
# their main(), redact's masking in a forked child through its functions,
# cmdguard's decision in the run itself; a run loads no program but the
# command (mk/secenv-run.mk has the rules).
secenv-run_SRCS = $(wildcard src/secenv-run/*.c)
secenv-run_LIBS = $(SECENV_RUN_MAINS) $(SECENV_RUN_PARTS) $(COMMON_LIB) \
	$(SODIUM_LIBS) $(JANSSON_LIBS)
$(BUILD)/secenv-run/%.o: override CFLAGS += -Isrc/redact -Isrc/cmdguard
