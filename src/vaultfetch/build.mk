# SPDX-License-Identifier: ISC
# vaultfetch: libsodium for the store and blobs, jansson for the exec
# helper and the remote backends, libcurl for the remote backends alone.
#
# Two builds of the same sources. $(BINOUT)/vaultfetch has the file and
# exec backends and links no libcurl, whose loading would cost each run
# more than the rest of it; asked for azure or hcvault it execs the full
# build, $(BINOUT)/vaultfetch-http, from its own directory (handoff.c).
PROGRAMS += vaultfetch
VAULTFETCH_REMOTE_SRCS = src/vaultfetch/azure.c src/vaultfetch/azure_auth.c \
	src/vaultfetch/hcvault.c src/vaultfetch/http.c
vaultfetch_SRCS = $(filter-out $(VAULTFETCH_REMOTE_SRCS), \
	$(wildcard src/vaultfetch/*.c))
vaultfetch_LIBS = $(SODIUM_LIBS) $(JANSSON_LIBS)

BINS += vaultfetch-http
VAULTFETCH_FULL_OBJS = $(patsubst src/%.c,$(BUILD)/%.o, \
	$(wildcard src/vaultfetch/*.c))
$(BINOUT)/vaultfetch-http: $(VAULTFETCH_FULL_OBJS) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(VAULTFETCH_FULL_OBJS) $(COMMON_LIB) \
		$(SODIUM_LIBS) $(JANSSON_LIBS) $(CURL_LIBS)

# The unit test of the HTTP helpers links the helpers' objects.
$(eval $(call unit_test,vaultfetch_http,$(BUILD)/vaultfetch/http.o))

# vaultfetch's test aid: prints a blob's names with a hash of each value,
# so the tests can check values without ever printing one.
TEST_TOOLS += $(BUILD)/test/blobcheck
$(eval $(call c_tool,$(BUILD)/test/blobcheck,tests/tools/blobcheck.c,, \
	$(SODIUM_LIBS) $(JANSSON_LIBS) $(CURL_LIBS)))

# The .env reader under libFuzzer: make fuzz-vaultfetch [FUZZ_SECONDS=60].
# Its messages are silenced (-close_fd_mask=2); libFuzzer still reports.
$(eval $(call fuzz_target,vaultfetch,vaultfetch_dotenv, \
	src/vaultfetch/dotenv.c $(COMMON_SRCS),-Isrc/vaultfetch, \
	$(SODIUM_LIBS) $(JANSSON_LIBS) $(CURL_LIBS),, \
	-max_len=4096 -close_fd_mask=2))

# Timings of the file backend and the cache.
bench:: bench-vaultfetch
bench-vaultfetch: $(BINOUT)/vaultfetch
	bash tests/bench/vaultfetch_bench.sh $(CURDIR)/$(BINOUT)

# 50 secrets, 50 ms per request: parallel fetch against one at a time.
bench:: bench-remote
bench-remote: $(BINOUT)/vaultfetch
	bash tests/bench/remote_bench.sh $(BINOUT)

.PHONY: bench-vaultfetch bench-remote
