# SPDX-License-Identifier: ISC
# vaultfetch remote backends: the benchmark (make bench).
bench:: bench-remote

# 50 secrets, 50 ms per request: parallel fetch against one at a time.
bench-remote: $(BINOUT)/vaultfetch
	bash tests/fixtures/azure/bench.sh $(BINOUT)

.PHONY: bench-remote

# The unit test of the HTTP helpers links the helpers' objects.
UNIT_EXTRA_vaultfetch_http = $(BUILD)/vaultfetch/http.o \
	$(BUILD)/vaultfetch/secjson.o
$(BUILD)/unit/vaultfetch_http: $(UNIT_EXTRA_vaultfetch_http)
