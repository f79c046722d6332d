# envinject holds values and opens the blob: libsodium only.
envinject_LIBS = $(SODIUM_LIBS)
