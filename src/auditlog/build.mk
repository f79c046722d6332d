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

# make bench-auditlog: BENCH_APPENDS sets the appends per run (default 2000).
BENCH_APPENDS ?= 2000
bench:: bench-auditlog
bench-auditlog: $(BINOUT)/auditlog
	bash tests/bench/auditlog_bench.sh $(BINOUT)/auditlog $(BENCH_APPENDS)

.PHONY: bench-auditlog
