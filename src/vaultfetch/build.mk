# SPDX-License-Identifier: ISC
# vaultfetch: libsodium for the store and blobs, jansson for the exec
# helper and the remote backends, libcurl for the remote backends alone.
#
# Two builds of the same sources. $(BINOUT)/vaultfetch has the file and
# exec backends and links no libcurl, whose loading would cost each run
# more than the rest of it; asked for azure or hcvault it execs the full
# build, $(BINOUT)/vaultfetch-http, from its own directory (handoff.c).
VAULTFETCH_REMOTE_SRCS = src/vaultfetch/azure.c src/vaultfetch/azure_auth.c \
	src/vaultfetch/hcvault.c src/vaultfetch/http.c
vaultfetch_SRCS = $(filter-out $(VAULTFETCH_REMOTE_SRCS), \
	$(wildcard src/vaultfetch/*.c))
vaultfetch_LIBS = $(SODIUM_LIBS) $(JANSSON_LIBS)

VAULTFETCH_FULL_OBJS = $(patsubst src/%.c,$(BUILD)/%.o, \
	$(wildcard src/vaultfetch/*.c))
$(BINOUT)/vaultfetch-http: $(VAULTFETCH_FULL_OBJS) $(COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(VAULTFETCH_FULL_OBJS) $(COMMON_LIB) \
		$(SODIUM_LIBS) $(JANSSON_LIBS) $(CURL_LIBS)

all: $(BINOUT)/vaultfetch-http

install: install-vaultfetch-http
install-vaultfetch-http: $(BINOUT)/vaultfetch-http
	mkdir -p $(DESTDIR)$(BINDIR)
	install -m 0755 $(BINOUT)/vaultfetch-http \
		$(DESTDIR)$(BINDIR)/vaultfetch-http

uninstall: uninstall-vaultfetch-http
uninstall-vaultfetch-http:
	rm -f $(DESTDIR)$(BINDIR)/vaultfetch-http

clean: clean-vaultfetch-http
clean-vaultfetch-http:
	rm -f bin/vaultfetch-http

.PHONY: install-vaultfetch-http uninstall-vaultfetch-http clean-vaultfetch-http
