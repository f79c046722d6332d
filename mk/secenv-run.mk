# SPDX-License-Identifier: ISC
# secenv-run links the five programs' code: every object but main.o of
# each (vaultfetch's light build: the remote backends stay in
# vaultfetch-http), and calls their entry points (vaultfetch.h,
# envinject.h, auditlog.h, redactor.h, guard.h). Read after the program
# rules, so the object lists are known.
SECENV_RUN_LINKED = vaultfetch envinject redact cmdguard auditlog
SECENV_RUN_PARTS = $(filter-out %/main.o, \
	$(foreach p,$(SECENV_RUN_LINKED),$($(p)_OBJS)))

$(BINOUT)/secenv-run: $(SECENV_RUN_PARTS)
