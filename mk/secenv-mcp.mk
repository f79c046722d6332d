# SPDX-License-Identifier: ISC
# secenv-mcp: the message fuzz target and the round-trip benchmark.
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
MCP_FUZZ_FLAGS = -g -O1 -std=c11 -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Isrc/common -Isrc/secenv-mcp \
	$(shell pkg-config --cflags libsodium jansson 2>/dev/null)
MCP_FUZZ_SRCS = tests/fuzz/mcp_message.c src/secenv-mcp/message.c \
	src/secenv-mcp/protocol.c src/secenv-mcp/tools.c \
	src/secenv-mcp/calls.c src/secenv-mcp/paths.c $(COMMON_SRCS)

fuzz:: fuzz-mcp
bench:: bench-mcp

$(BUILD)/fuzz/mcp_message: $(MCP_FUZZ_SRCS) src/secenv-mcp/mcp.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(MCP_FUZZ_FLAGS) -o $@ $(MCP_FUZZ_SRCS) \
		$(SODIUM_LIBS) $(JANSSON_LIBS)

# Runs FUZZ_SECONDS (default 60); the corpus grows under build/fuzz,
# seeded with a few messages of each kind.
fuzz-mcp: $(BUILD)/fuzz/mcp_message
	@mkdir -p $(BUILD)/fuzz/mcp-corpus
	cp tests/fixtures/mcp/fuzz-seeds/* $(BUILD)/fuzz/mcp-corpus/
	$(BUILD)/fuzz/mcp_message -max_total_time=$(FUZZ_SECONDS) \
		-max_len=65536 -print_final_stats=1 -timeout=10 \
		$(BUILD)/fuzz/mcp-corpus

# A run_command round trip through the official SDK client against the
# same `secenv run` started from a shell (BENCH_MCP_RUNS of each).
BENCH_MCP_RUNS ?= 41
bench-mcp: all
	bash tests/fixtures/mcp/bench.sh $(BENCH_MCP_RUNS)

.PHONY: fuzz-mcp bench-mcp
