# SPDX-License-Identifier: ISC
# redact: the fuzz target and the benchmark (make fuzz, make bench).
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
REDACT_FUZZ_FLAGS = -g -O1 -std=c11 -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Isrc/common -Isrc -Itests/unit
REDACT_FUZZ_SRCS = tests/fuzz/redact_stream.c src/redact/engine.c \
	src/redact/patterns.c src/redact/detect.c src/common/secmem.c \
	src/redact/forms.c src/redact/forms_parts.c src/common/util.c \
	src/common/secjson.c

fuzz:: fuzz-redact
bench:: bench-redact

$(BUILD)/fuzz/redact_stream: $(REDACT_FUZZ_SRCS) src/redact/engine.h \
		tests/unit/redact_reference.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(REDACT_FUZZ_FLAGS) -o $@ $(REDACT_FUZZ_SRCS) $(SODIUM_LIBS) \
		$(JANSSON_LIBS)

# Runs FUZZ_SECONDS (default 60); the corpus grows under build/fuzz.
fuzz-redact: $(BUILD)/fuzz/redact_stream
	@mkdir -p $(BUILD)/fuzz/redact-corpus
	$(BUILD)/fuzz/redact_stream -max_total_time=$(FUZZ_SECONDS) \
		-max_len=4096 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/fuzz/redact- \
		$(BUILD)/fuzz/redact-corpus tests/fixtures/redact/fuzz-seeds

$(BUILD)/bench/redact_corpus: tests/bench/redact_corpus.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/bench/redact_corpus.c

$(BUILD)/bench/redact_naive: tests/bench/redact_naive.c $(REDACT_ENGINE_OBJS) \
		$(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ tests/bench/redact_naive.c \
		$(REDACT_ENGINE_OBJS) $(COMMON_LIB) $(SODIUM_LIBS) $(JANSSON_LIBS)

# BENCH_MB sizes the corpus (default 100); the memory run streams 1 GiB.
bench-redact: $(BINOUT)/redact $(BUILD)/bench/redact_corpus \
		$(BUILD)/bench/redact_naive
	bash tests/bench/redact_bench.sh $(BINOUT)/redact \
		$(BUILD)/bench/redact_corpus $(BUILD)/bench/redact_naive

.PHONY: fuzz-redact bench-redact
