# SPDX-License-Identifier: ISC
# vaultfetch's test aid: prints a blob's names with a hash of each value,
# so the tests can check values without ever printing one.
VAULTFETCH_BLOBCHECK = $(BUILD)/test/blobcheck
$(VAULTFETCH_BLOBCHECK): tests/fixtures/vaultfetch/blobcheck.c $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/fixtures/vaultfetch/blobcheck.c \
		$(COMMON_LIB) $(SODIUM_LIBS) $(JANSSON_LIBS) $(CURL_LIBS)

check: $(VAULTFETCH_BLOBCHECK)

# Fuzz the .env reader: make fuzz-vaultfetch [FUZZ_SECONDS=60]. Its
# messages are silenced (-close_fd_mask=2); libFuzzer still reports.
FUZZ_SECONDS ?= 60
VAULTFETCH_FUZZ = build/fuzz/vaultfetch_dotenv
$(VAULTFETCH_FUZZ): tests/fixtures/vaultfetch/fuzz_dotenv.c \
		src/vaultfetch/dotenv.c $(COMMON_SRCS)
	@mkdir -p $(@D)
	clang -g -O1 -std=c11 -D_GNU_SOURCE -Isrc/common -Isrc/vaultfetch \
		-fsanitize=fuzzer,address,undefined -o $@ \
		tests/fixtures/vaultfetch/fuzz_dotenv.c src/vaultfetch/dotenv.c \
		$(COMMON_SRCS) $(SODIUM_LIBS) $(JANSSON_LIBS) $(CURL_LIBS)

fuzz-vaultfetch: $(VAULTFETCH_FUZZ)
	@mkdir -p tests/fuzz/corpus-vaultfetch-dotenv
	$(VAULTFETCH_FUZZ) -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-close_fd_mask=2 tests/fuzz/corpus-vaultfetch-dotenv

fuzz:: fuzz-vaultfetch

.PHONY: fuzz-vaultfetch

# Timings of the file backend and the cache.
bench-vaultfetch: $(BINOUT)/vaultfetch
	bash tests/fixtures/vaultfetch/bench.sh $(CURDIR)/$(BINOUT)

bench:: bench-vaultfetch

.PHONY: bench-vaultfetch
