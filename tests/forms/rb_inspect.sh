#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: Ruby's inspect (p, and a Hash's) and dump of each
# value read from ENV, in a UTF-8 locale and under the C locale, where an
# ENV value is a binary string (\xC3\xBC); and String#b's inspect.
set -euo pipefail
echo "FORMS-MARKER rb_inspect"
# shellcheck disable=SC2016
show='ENV["FORMS_NAMES"].split(",").each do |n|
	v = ENV[n]
	puts "#{n}: #{v.inspect}"
	p({n => v})
	puts "#{n}: #{v.dump}"
	puts "#{n}: #{v.b.inspect}"
end'
LC_ALL=C.UTF-8 ruby -e "$show"
LC_ALL=C ruby -e "$show"
