# vaultfetch remote backends: the benchmark (make bench).
bench:: bench-remote

# 50 secrets, 50 ms per request: parallel fetch against one at a time.
bench-remote: $(BINOUT)/vaultfetch
	bash tests/fixtures/azure/bench.sh $(BINOUT)

.PHONY: bench-remote
