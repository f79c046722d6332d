# SPDX-License-Identifier: ISC
# envinject holds values and opens the blob: libsodium only.
envinject_LIBS = $(SODIUM_LIBS)
# The unit test links the environment and limit code, not main().
UNIT_EXTRA_envinject_env = $(BUILD)/envinject/environment.o \
	$(BUILD)/envinject/execlimits.o
$(BUILD)/unit/envinject_env: $(BUILD)/envinject/environment.o \
	$(BUILD)/envinject/execlimits.o
