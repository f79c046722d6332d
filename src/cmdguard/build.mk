# SPDX-License-Identifier: ISC
# cmdguard reads blob headers (libsodium for the common code) and prints
# JSON verdicts (jansson).
cmdguard_LIBS = $(SODIUM_LIBS) $(JANSSON_LIBS)

# The default policy is a readable file, compiled in as a C string.
$(BUILD)/cmdguard/default_policy.h: src/cmdguard/default.policy
	@mkdir -p $(@D)
	{ echo '#define DEFAULT_POLICY \'; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' \
	      -e 's/^/"/' -e 's/$$/\\n" \\/' $<; echo '""'; } > $@.tmp
	mv $@.tmp $@
$(BUILD)/cmdguard/policy.o: $(BUILD)/cmdguard/default_policy.h
$(BUILD)/cmdguard/policy.o: override CFLAGS += -I$(BUILD)/cmdguard

# The engine without main(): for the unit test, the bench and the fuzzer.
CMDGUARD_ENGINE_SRCS = $(filter-out src/cmdguard/main.c src/cmdguard/decide.c, \
	$(wildcard src/cmdguard/*.c))
CMDGUARD_ENGINE_OBJS = $(CMDGUARD_ENGINE_SRCS:src/%.c=$(BUILD)/%.o)
UNIT_EXTRA_cmdguard_glob = $(CMDGUARD_ENGINE_OBJS)
$(BUILD)/unit/cmdguard_glob: $(CMDGUARD_ENGINE_OBJS)
