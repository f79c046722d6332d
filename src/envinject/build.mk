# SPDX-License-Identifier: ISC
# envinject holds values and opens the blob: libsodium only.
PROGRAMS += envinject
envinject_LIBS = $(SODIUM_LIBS)

# The unit test links the environment and limit code, not main().
$(eval $(call unit_test,envinject_env,$(BUILD)/envinject/environment.o \
	$(BUILD)/envinject/execlimits.o))

# make bench-envinject: what envinject adds to a command's start.
bench:: bench-envinject
bench-envinject: $(BINOUT)/envinject $(BINOUT)/vaultfetch
	bash tests/bench/envinject_bench.sh $(BINOUT)

.PHONY: bench-envinject
