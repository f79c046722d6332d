# SPDX-License-Identifier: ISC
# cmdguard: the lexer fuzz target and the per-command benchmark.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
CMDGUARD_FUZZ_FLAGS = -g -O1 -std=c11 -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Isrc/common -Isrc/cmdguard -I$(BUILD)/cmdguard
CMDGUARD_FUZZ_SRCS = tests/fuzz/cmdguard_lexer.c $(CMDGUARD_ENGINE_SRCS) \
	src/common/util.c src/common/secmem.c

fuzz:: fuzz-cmdguard
bench:: bench-cmdguard

$(BUILD)/fuzz/cmdguard_lexer: $(CMDGUARD_FUZZ_SRCS) \
		$(wildcard src/cmdguard/*.h) $(BUILD)/cmdguard/default_policy.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CMDGUARD_FUZZ_FLAGS) -o $@ $(CMDGUARD_FUZZ_SRCS) \
		$(SODIUM_LIBS)

# Seeds: every command of the verdict table, one file each.
$(BUILD)/fuzz/cmdguard-seeds: tests/fixtures/cmdguard/verdicts.tsv
	@rm -rf $@ && mkdir -p $@
	n=0; cut -f2- $< | grep -v '^#' | while IFS= read -r line; do \
		n=$$((n + 1)); printf '%s' "$$line" | sed 's/<NL>/\n/g' \
			> $@/seed$$n; done

# Runs FUZZ_SECONDS (default 60); the corpus grows under build/fuzz.
fuzz-cmdguard: $(BUILD)/fuzz/cmdguard_lexer $(BUILD)/fuzz/cmdguard-seeds
	@mkdir -p $(BUILD)/fuzz/cmdguard-corpus
	$(BUILD)/fuzz/cmdguard_lexer -max_total_time=$(FUZZ_SECONDS) \
		-max_len=4096 -print_final_stats=1 -timeout=10 \
		$(BUILD)/fuzz/cmdguard-corpus $(BUILD)/fuzz/cmdguard-seeds

$(BUILD)/bench/cmdguard_bench: tests/bench/cmdguard_bench.c \
		$(CMDGUARD_ENGINE_OBJS) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ tests/bench/cmdguard_bench.c \
		$(CMDGUARD_ENGINE_OBJS) $(COMMON_LIB) $(SODIUM_LIBS)

# BENCH_CHECKS sets the number of checks (default 100000); BENCH_BATCH
# the commands of the --batch against separate runs ratio (default 1000).
BENCH_CHECKS ?= 100000
BENCH_BATCH ?= 1000
bench-cmdguard: $(BUILD)/bench/cmdguard_bench $(BINOUT)/cmdguard
	$(BUILD)/bench/cmdguard_bench $(BENCH_CHECKS)
	bash tests/bench/cmdguard_batch.sh $(BINOUT)/cmdguard \
		tests/fixtures/cmdguard/verdicts.tsv $(BENCH_BATCH)

.PHONY: fuzz-cmdguard bench-cmdguard
