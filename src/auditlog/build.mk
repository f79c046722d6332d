# SPDX-License-Identifier: ISC
# auditlog hashes with libsodium and writes JSON with jansson.
PROGRAMS += auditlog
auditlog_LIBS = $(SODIUM_LIBS) $(JANSSON_LIBS)

# The known-answer tests link the record code, not main().
$(eval $(call unit_test,auditlog_record,$(BUILD)/auditlog/record.o))

# The record parser under libFuzzer: make fuzz-auditlog [FUZZ_SECONDS=60].
$(eval $(call fuzz_target,auditlog,auditlog_record, \
	src/auditlog/record.c src/common/util.c src/common/secmem.c, \
	-Isrc/auditlog,$(SODIUM_LIBS) $(JANSSON_LIBS), \
	tests/fixtures/auditlog/fuzz-seeds,-max_len=8192))

# make bench-auditlog: BENCH_APPENDS sets the appends per run (default 300).
BENCH_APPENDS ?= 300
bench:: bench-auditlog
bench-auditlog: $(BINOUT)/auditlog
	bash tests/bench/auditlog_bench.sh $(BINOUT)/auditlog $(BENCH_APPENDS)

.PHONY: bench-auditlog

# make bench-report: auditlog report over a generated sound log of
# BENCH_RECORDS records (default 50000, about 25 MB; the 1,000,000 of
# the report's goal is BENCH_RECORDS=1000000) against jq reading it.
BENCH_RECORDS ?= 50000
$(eval $(call c_tool,$(BUILD)/bench/audit_gen,tests/bench/audit_gen.c, \
	$(BUILD)/auditlog/record.o,$(SODIUM_LIBS) $(JANSSON_LIBS)))
bench:: bench-report
bench-report: $(BINOUT)/auditlog $(BUILD)/bench/audit_gen
	bash tests/bench/audit_report_bench.sh $(BINOUT)/auditlog \
		$(BUILD)/bench/audit_gen $(BENCH_RECORDS)

.PHONY: bench-report

# The appender kill storm of tests/faults.bats with 1,000 SIGKILLs (and 500
# of store writers): minutes of CPU, so make stress runs it, not make bench
# (which stays under 90 s); the suite runs 100 and 60.
stress:: bench-auditlog-kills
bench-auditlog-kills: all
	SECENV_FAULT_KILLS=1000 SECENV_FAULT_WRITER_KILLS=500 SECENV_BIN=$(CURDIR)/$(BINOUT) bats --tap \
		-f "SIGKILLs of (concurrent appenders|store writers)" tests/faults.bats

.PHONY: bench-auditlog-kills stress

# The tests' aid for two appends in one process (what the first keeps).
TEST_TOOLS += $(BUILD)/test/append_twice
$(eval $(call c_tool,$(BUILD)/test/append_twice,tests/tools/append_twice.c, \
	$(BUILD)/auditlog/append.o $(BUILD)/auditlog/logfile.o \
	$(BUILD)/auditlog/mackey.o $(BUILD)/auditlog/record.o, \
	$(SODIUM_LIBS) $(JANSSON_LIBS)))
