# SPDX-License-Identifier: ISC
# redact: libsodium (secure memory, blob) and jansson (--stats).
redact_LIBS = $(SODIUM_LIBS) $(JANSSON_LIBS)

# The unit tests link the engine, not main.c.
REDACT_ENGINE_OBJS = $(BUILD)/redact/engine.o $(BUILD)/redact/patterns.o \
	$(BUILD)/redact/forms.o $(BUILD)/redact/forms_parts.o \
	$(BUILD)/redact/detect.o
UNIT_EXTRA_redact_prop = $(REDACT_ENGINE_OBJS)
UNIT_EXTRA_redact_patterns = $(REDACT_ENGINE_OBJS)
$(BUILD)/unit/redact_prop $(BUILD)/unit/redact_patterns: $(REDACT_ENGINE_OBJS) \
	src/redact/engine.h tests/unit/redact_reference.h
