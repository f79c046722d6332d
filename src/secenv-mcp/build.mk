# SPDX-License-Identifier: ISC
# secenv-mcp: the MCP server of `secenv mcp`. JSON through jansson; it
# starts secenv-run, secenv read and vaultfetch list, and links only the
# common helpers (libsodium for the shared secure-memory code).
secenv-mcp_LIBS = $(SODIUM_LIBS) $(JANSSON_LIBS)
