# SPDX-License-Identifier: ISC
# auditlog hashes with libsodium and writes JSON with jansson.
auditlog_LIBS = $(SODIUM_LIBS) $(JANSSON_LIBS)
# The known-answer tests link the record code, not main().
UNIT_EXTRA_auditlog_record = $(BUILD)/auditlog/record.o
$(BUILD)/unit/auditlog_record: $(BUILD)/auditlog/record.o
