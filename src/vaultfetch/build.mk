# vaultfetch: libsodium for the store and blobs, jansson and libcurl for
# the remote backends.
vaultfetch_LIBS = $(SODIUM_LIBS) $(JANSSON_LIBS) $(CURL_LIBS)
