# SPDX-License-Identifier: ISC
# The common code is the archive $(COMMON_LIB) (the Makefile's rule, as
# every program links it); here, its fuzz target.

# The sealed blob reader under libFuzzer: make fuzz-blob
# [FUZZ_SECONDS=60]. Seeds: blobs sealed to the target's fixed key,
# written by tests/fuzz/blob_seeds.c.
$(eval $(call fuzz_target,blob,blob,$(COMMON_SRCS),, \
	$(SODIUM_LIBS) $(JANSSON_LIBS),$(BUILD)/fuzz/blob-seeds,-max_len=4096))

$(eval $(call c_tool,$(BUILD)/fuzz/blob_seeds,tests/fuzz/blob_seeds.c,, \
	$(SODIUM_LIBS)))
$(BUILD)/fuzz/blob-seeds: $(BUILD)/fuzz/blob_seeds
	@rm -rf $@ && mkdir -p $@
	$(BUILD)/fuzz/blob_seeds $@
