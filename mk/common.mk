# SPDX-License-Identifier: ISC
# The sealed blob reader (src/common/blob.c) under libFuzzer: make fuzz-blob.
FUZZ_SECONDS ?= 60
BLOB_FUZZ_FLAGS = -g -O1 -std=c11 -D_GNU_SOURCE -Isrc/common \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	$(shell pkg-config --cflags libsodium jansson 2>/dev/null)

$(BUILD)/fuzz/blob: tests/fuzz/blob.c $(COMMON_SRCS) $(wildcard src/common/*.h)
	@mkdir -p $(@D)
	clang $(BLOB_FUZZ_FLAGS) -o $@ tests/fuzz/blob.c $(COMMON_SRCS) \
		$(SODIUM_LIBS) $(JANSSON_LIBS)

$(BUILD)/fuzz/blob_seeds: tests/fuzz/blob_seeds.c $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/fuzz/blob_seeds.c $(COMMON_LIB) \
		$(SODIUM_LIBS)

fuzz-blob: $(BUILD)/fuzz/blob $(BUILD)/fuzz/blob_seeds
	@mkdir -p $(BUILD)/fuzz/blob-corpus
	$(BUILD)/fuzz/blob_seeds $(BUILD)/fuzz/blob-corpus
	$(BUILD)/fuzz/blob -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-print_final_stats=1 $(BUILD)/fuzz/blob-corpus

fuzz:: fuzz-blob

.PHONY: fuzz-blob
