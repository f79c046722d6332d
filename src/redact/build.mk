# SPDX-License-Identifier: ISC
# redact: libsodium (secure memory, blob) and jansson (--stats).
PROGRAMS += redact
redact_LIBS = $(SODIUM_LIBS) $(JANSSON_LIBS)

# The unit tests link the engine, not main.c.
REDACT_ENGINE_OBJS = $(BUILD)/redact/engine.o $(BUILD)/redact/patterns.o \
	$(BUILD)/redact/detect.o $(BUILD)/redact/pieces.o \
	$(BUILD)/redact/noise.o $(BUILD)/redact/format.o \
	$(BUILD)/redact/forms.o $(BUILD)/redact/forms_parts.o \
	$(BUILD)/redact/forms_printable.o $(BUILD)/redact/forms_node.o \
	$(BUILD)/redact/forms_entities.o $(BUILD)/redact/forms_quotemeta.o
$(eval $(call unit_test,redact_prop,$(REDACT_ENGINE_OBJS)))
$(eval $(call unit_test,redact_patterns,$(REDACT_ENGINE_OBJS)))
$(eval $(call unit_test,redact_image_file,$(BUILD)/redact/image_file.o))
$(BUILD)/unit/redact_prop $(BUILD)/unit/redact_patterns: \
	src/redact/engine.h tests/unit/redact_reference.h \
	tests/unit/redact_plainmem.h

# redact: the fuzz target and the benchmark (make fuzz, make bench).
REDACT_FUZZ_SRCS = src/redact/engine.c src/redact/patterns.c \
	src/redact/detect.c src/redact/pieces.c src/redact/forms.c \
	src/redact/noise.c src/redact/format.c \
	src/redact/forms_parts.c src/redact/forms_printable.c \
	src/redact/forms_node.c src/redact/forms_entities.c \
	src/redact/forms_quotemeta.c \
	src/common/util.c src/common/secjson.c
$(eval $(call fuzz_target,redact,redact_stream,$(REDACT_FUZZ_SRCS), \
	-Isrc -Itests/unit,$(SODIUM_LIBS) $(JANSSON_LIBS), \
	tests/fixtures/redact/fuzz-seeds,-max_len=4096))
$(BUILD)/fuzz/redact_stream: tests/unit/redact_reference.h \
	tests/unit/redact_plainmem.h

# The dump views: tests/fuzz/redact_views.c says what it checks.
$(eval $(call fuzz_target,redact-views,redact_views, \
	src/redact/views.c $(REDACT_FUZZ_SRCS) src/common/secmem.c, \
	-Isrc -Itests/unit,$(SODIUM_LIBS) $(JANSSON_LIBS), \
	tests/fixtures/redact-dumps/fuzz-seeds,-max_len=4096))

$(eval $(call c_tool,$(BUILD)/bench/redact_corpus,tests/bench/redact_corpus.c))
$(eval $(call c_tool,$(BUILD)/bench/redact_naive,tests/bench/redact_naive.c, \
	$(REDACT_ENGINE_OBJS),$(SODIUM_LIBS) $(JANSSON_LIBS)))

# BENCH_MB sizes the corpus (default 100); the memory run streams 1 GiB.
bench:: bench-redact
bench-redact: $(BINOUT)/redact $(BUILD)/bench/redact_corpus \
		$(BUILD)/bench/redact_naive
	bash tests/bench/redact_bench.sh $(BINOUT)/redact \
		$(BUILD)/bench/redact_corpus $(BUILD)/bench/redact_naive

.PHONY: bench-redact
