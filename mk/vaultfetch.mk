# vaultfetch's test aid: prints a blob's names with a hash of each value,
# so the tests can check values without ever printing one.
VAULTFETCH_BLOBCHECK = $(BUILD)/test/blobcheck
$(VAULTFETCH_BLOBCHECK): tests/fixtures/vaultfetch/blobcheck.c $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/fixtures/vaultfetch/blobcheck.c \
		$(COMMON_LIB) $(SODIUM_LIBS) $(JANSSON_LIBS) $(CURL_LIBS)

check: $(VAULTFETCH_BLOBCHECK)
