# SPDX-License-Identifier: ISC
# cmdguard reads blob headers (libsodium for the common code) and prints
# JSON verdicts (jansson).
PROGRAMS += cmdguard
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

# ... and parsed by the build, with policy.c, into a table of rules
# (builtin.c): a guard does not parse it again at every start.
$(eval $(call c_tool,$(BUILD)/cmdguard/policy_gen, \
	src/cmdguard/gen/policy_gen.c,$(BUILD)/cmdguard/policy.o, \
	$(SODIUM_LIBS)))
$(BUILD)/cmdguard/policy_table.h: $(BUILD)/cmdguard/policy_gen
	$< > $@.tmp
	mv $@.tmp $@
$(BUILD)/cmdguard/builtin.o: $(BUILD)/cmdguard/policy_table.h
$(BUILD)/cmdguard/builtin.o: override CFLAGS += -I$(BUILD)/cmdguard

# The engine without main(): for the unit test, the bench and the fuzzer.
CMDGUARD_ENGINE_SRCS = $(filter-out src/cmdguard/main.c src/cmdguard/decide.c, \
	$(wildcard src/cmdguard/*.c))
CMDGUARD_ENGINE_OBJS = $(CMDGUARD_ENGINE_SRCS:src/%.c=$(BUILD)/%.o)
$(eval $(call unit_test,cmdguard_glob,$(CMDGUARD_ENGINE_OBJS)))

# The lexer, parser and checker under libFuzzer: make fuzz-cmdguard
# [FUZZ_SECONDS=60]. Seeds: every command of the verdict table, one file
# each.
$(eval $(call fuzz_target,cmdguard,cmdguard_lexer, \
	$(CMDGUARD_ENGINE_SRCS) src/common/util.c src/common/secmem.c, \
	-Isrc/cmdguard -I$(BUILD)/cmdguard,$(SODIUM_LIBS), \
	$(BUILD)/fuzz/cmdguard-seeds,-max_len=4096))
$(BUILD)/fuzz/cmdguard_lexer: $(BUILD)/cmdguard/default_policy.h \
	$(BUILD)/cmdguard/policy_table.h

$(BUILD)/fuzz/cmdguard-seeds: tests/fixtures/cmdguard/verdicts.tsv
	@rm -rf $@ && mkdir -p $@
	n=0; cut -f2- $< | grep -v '^#' | while IFS= read -r line; do \
		n=$$((n + 1)); printf '%s' "$$line" | sed 's/<NL>/\n/g' \
			> $@/seed$$n; done

# make bench-cmdguard: BENCH_CHECKS sets the number of checks (default
# 30000); BENCH_BATCH the commands of the --batch against separate runs
# ratio (default 300).
$(eval $(call c_tool,$(BUILD)/bench/cmdguard_bench, \
	tests/bench/cmdguard_bench.c,$(CMDGUARD_ENGINE_OBJS),$(SODIUM_LIBS)))
BENCH_CHECKS ?= 30000
BENCH_BATCH ?= 300
bench:: bench-cmdguard
bench-cmdguard: $(BUILD)/bench/cmdguard_bench $(BINOUT)/cmdguard
	$(BUILD)/bench/cmdguard_bench $(BENCH_CHECKS)
	bash tests/bench/cmdguard_batch.sh $(BINOUT)/cmdguard \
		tests/fixtures/cmdguard/verdicts.tsv $(BENCH_BATCH)

.PHONY: bench-cmdguard
