# SPDX-License-Identifier: ISC
# auditlog: the record-parser fuzz target and the append benchmark.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
AUDITLOG_FUZZ_FLAGS = -g -O1 -std=c11 -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Isrc/common -Isrc/auditlog \
	$(shell pkg-config --cflags libsodium jansson 2>/dev/null)
AUDITLOG_FUZZ_SRCS = tests/fuzz/auditlog_record.c src/auditlog/record.c \
	src/common/util.c src/common/secmem.c

fuzz:: fuzz-auditlog
bench:: bench-auditlog

$(BUILD)/fuzz/auditlog_record: $(AUDITLOG_FUZZ_SRCS) src/auditlog/record.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(AUDITLOG_FUZZ_FLAGS) -o $@ $(AUDITLOG_FUZZ_SRCS) \
		$(SODIUM_LIBS) $(JANSSON_LIBS)

# Runs FUZZ_SECONDS (default 60); the corpus grows under build/fuzz.
fuzz-auditlog: $(BUILD)/fuzz/auditlog_record
	@mkdir -p $(BUILD)/fuzz/auditlog-corpus
	$(BUILD)/fuzz/auditlog_record -max_total_time=$(FUZZ_SECONDS) \
		-max_len=8192 -print_final_stats=1 -timeout=10 \
		$(BUILD)/fuzz/auditlog-corpus tests/fixtures/auditlog/fuzz-seeds

# BENCH_APPENDS sets the appends per run (default 2000).
BENCH_APPENDS ?= 2000
bench-auditlog: $(BINOUT)/auditlog
	bash tests/fixtures/auditlog/bench.sh $(BINOUT)/auditlog $(BENCH_APPENDS)

.PHONY: fuzz-auditlog bench-auditlog

# The appender kill storm of tests/faults.bats with 1,000 SIGKILLs.
bench:: bench-auditlog-kills
bench-auditlog-kills: all
	SECENV_FAULT_KILLS=1000 SECENV_FAULT_WRITER_KILLS=500 SECENV_BIN=$(CURDIR)/$(BINOUT) bats --tap \
		-f "SIGKILLs of (concurrent appenders|store writers)" tests/faults.bats

.PHONY: bench-auditlog-kills
