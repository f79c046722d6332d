# SPDX-License-Identifier: ISC
# The build's rules and templates. Each src/<dir>/build.mk says what its
# program is made of and calls these; nothing here names a program, a
# compiler or a directory but through the variables of the Makefile
# (CC, FUZZ_CC, BUILD, BINOUT).

# Objects: src/DIR/NAME.c -> $(BUILD)/DIR/NAME.o, with dependency files.
$(BUILD)/%.o: src/%.c $(wildcard src/common/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(<D) -MMD -MP -c -o $@ $<

# $(call program_objects,NAME): NAME_SRCS (default: every src/NAME/*.c)
# and NAME_OBJS. Evaluated for every program before any program's link
# rule, so that one program may link another's objects.
define program_objects
$(1)_SRCS ?= $$(wildcard src/$(1)/*.c)
$(1)_OBJS = $$($(1)_SRCS:src/%.c=$$(BUILD)/%.o)
endef

# $(call program,NAME): $(BINOUT)/NAME from its objects, the common
# archive and NAME_LIBS; NAME_DEPS are further prerequisites (objects of
# other programs that NAME_LIBS links).
define program
$$(BINOUT)/$(1): $$($(1)_OBJS) $$(COMMON_LIB) $$($(1)_DEPS)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(LDFLAGS) -o $$@ $$($(1)_OBJS) $$(COMMON_LIB) \
		$$($(1)_LIBS)
endef

# C unit tests: tests/unit/NAME.c -> $(BUILD)/unit/NAME, each printing
# TAP, linked with the common archive and the libraries; the objects of a
# program it tests come from $(call unit_test,NAME,OBJECTS).
$(BUILD)/unit/%: tests/unit/%.c $(COMMON_LIB) $(wildcard tests/unit/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Isrc -Itests/unit $(LDFLAGS) -o $@ $< \
		$(UNIT_EXTRA_$*) $(COMMON_LIB) $(SODIUM_LIBS) $(JANSSON_LIBS) \
		$(CURL_LIBS)

define unit_test
UNIT_EXTRA_$(1) = $(2)
$$(BUILD)/unit/$(1): $(2)
endef

# $(call c_tool,OUTPUT,SOURCE,OBJECTS,LIBS): a program the tests or the
# benches use (tests/tools/, tests/bench/), linked with OBJECTS, the
# common archive and LIBS.
define c_tool
$(1): $(2) $(3) $$(COMMON_LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) -Isrc $$(LDFLAGS) -o $$@ $(2) $(3) $$(COMMON_LIB) $(4)
endef

# libFuzzer targets. FUZZ_SECONDS bounds each run (make fuzz runs all).
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS = -g -O1 -std=c11 -D_GNU_SOURCE \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-Isrc/common $(PKG_CFLAGS)
FUZZ_OPTIONS = -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	-timeout=10

# $(call fuzz_target,NAME,HARNESS,SOURCES,FLAGS,LIBS,SEEDS,OPTIONS):
# $(BUILD)/fuzz/HARNESS from tests/fuzz/HARNESS.c and SOURCES (compiled
# again, instrumented), and make fuzz-NAME: it runs FUZZ_SECONDS on the
# corpus $(BUILD)/fuzz/NAME-corpus, which grows from SEEDS (directories,
# or targets that make them), with libFuzzer OPTIONS; a crash is written
# as $(BUILD)/fuzz/NAME-crash-*.
define fuzz_target
$$(BUILD)/fuzz/$(2): tests/fuzz/$(2).c $(3) \
		$$(wildcard $$(addsuffix *.h,$$(sort $$(dir $(3)))))
	@mkdir -p $$(@D)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $(4) -o $$@ tests/fuzz/$(2).c $(3) $(5)

fuzz-$(1): $$(BUILD)/fuzz/$(2) $(6)
	@mkdir -p $$(BUILD)/fuzz/$(1)-corpus
	$$(BUILD)/fuzz/$(2) $$(FUZZ_OPTIONS) $(7) \
		-artifact_prefix=$$(BUILD)/fuzz/$(1)- \
		$$(BUILD)/fuzz/$(1)-corpus $(6)

fuzz:: fuzz-$(1)
.PHONY: fuzz-$(1)
endef
