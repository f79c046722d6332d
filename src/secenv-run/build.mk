# SPDX-License-Identifier: ISC
# secenv-run: `secenv run`, `secenv read` and revoke's stopping in one
# program. It links the five programs' code and calls their entry
# points: vaultfetch, envinject, auditlog and redact's masking in forked
# children, cmdguard's decision in the run itself; a run loads no program
# but the command (mk/secenv-run.mk has the rules).
secenv-run_SRCS = $(wildcard src/secenv-run/*.c)
secenv-run_LIBS = $(SECENV_RUN_PARTS) $(COMMON_LIB) \
	$(SODIUM_LIBS) $(JANSSON_LIBS)
$(BUILD)/secenv-run/%.o: override CFLAGS += -Isrc/redact -Isrc/cmdguard \
	-Isrc/vaultfetch -Isrc/envinject -Isrc/auditlog
