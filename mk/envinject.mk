# SPDX-License-Identifier: ISC
# envinject: the start-up benchmark (make bench).
bench:: bench-envinject

bench-envinject: $(BINOUT)/envinject $(BINOUT)/vaultfetch
	bash tests/fixtures/envinject/bench.sh $(BINOUT)

.PHONY: bench-envinject
