#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: jq -C of each value as a JSON string, and of a JSON
# credential parsed (colours around every key and string).
set -euo pipefail
echo "FORMS-MARKER jq_color"
IFS=, read -ra names <<<"$FORMS_NAMES"
# each value as a JSON string under its name, all by one jq (-r: the
# names' lines raw, as echo printed them; a jq started per value cost
# most of the form's run)
# (each by --arg: jq 1.6 reads a positional argument that starts with
# a dash, a PEM value's, as an option)
pairs=() i=0
for name in "${names[@]}"; do
	pairs+=(--arg "n$i" "$name" --arg "v$i" "${!name}")
	i=$((i + 1))
done
jq -C -r -n --argjson count "$i" "${pairs[@]}" '$ARGS.named as $a | range($count) |
	"\($a["n\(.)"]):", {value: $a["v\(.)"]}'
# then each parsed, on its own (not every value is JSON)
for name in "${names[@]}"; do
	jq -C . <<<"${!name}" 2>/dev/null || true
done
