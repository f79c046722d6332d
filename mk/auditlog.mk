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

# The report benchmark: BENCH_RECORDS records (default 200000, about
# 100 MB; the 1,000,000 of the report's goal is BENCH_RECORDS=1000000).
BENCH_RECORDS ?= 200000
bench:: bench-report
$(BUILD)/bench/audit_gen: tests/bench/audit_gen.c $(BUILD)/auditlog/record.o \
		$(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ tests/bench/audit_gen.c \
		$(BUILD)/auditlog/record.o $(COMMON_LIB) $(SODIUM_LIBS) $(JANSSON_LIBS)

bench-report: $(BINOUT)/auditlog $(BUILD)/bench/audit_gen
	bash tests/bench/audit_report_bench.sh $(BINOUT)/auditlog \
		$(BUILD)/bench/audit_gen $(BENCH_RECORDS)

.PHONY: bench-report
