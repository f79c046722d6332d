# SPDX-License-Identifier: ISC
# secenv-mcp: the MCP server of `secenv mcp`. JSON through jansson; it
# starts secenv-run, secenv read and vaultfetch list, and links only the
# common helpers (libsodium for the shared secure-memory code).
PROGRAMS += secenv-mcp
secenv-mcp_LIBS = $(SODIUM_LIBS) $(JANSSON_LIBS)

# The message reader and dispatch under libFuzzer: make fuzz-mcp
# [FUZZ_SECONDS=60], seeded with a few messages of each kind.
$(eval $(call fuzz_target,mcp,mcp_message, \
	src/secenv-mcp/message.c src/secenv-mcp/protocol.c \
	src/secenv-mcp/tools.c src/secenv-mcp/calls.c src/secenv-mcp/paths.c \
	$(COMMON_SRCS),-Isrc/secenv-mcp,$(SODIUM_LIBS) $(JANSSON_LIBS), \
	tests/fixtures/mcp/fuzz-seeds,-max_len=65536))

# make bench-mcp: a run_command round trip through the official SDK
# client against the same `secenv run` started from a shell
# (BENCH_MCP_RUNS of each).
BENCH_MCP_RUNS ?= 41
bench:: bench-mcp
bench-mcp: all
	bash tests/bench/mcp_bench.sh $(BENCH_MCP_RUNS)

.PHONY: bench-mcp
