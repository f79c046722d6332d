#!/bin/bash
# SPDX-License-Identifier: ISC
# Conformance form: Ruby's Shellwords.escape and Array#shelljoin of each
# value, as a script logs the command it builds, in a UTF-8 locale (a
# backslash before a character past ASCII) and under the C locale (one
# before each byte).
set -euo pipefail
echo "FORMS-MARKER rb_shellwords"
# shellcheck disable=SC2016
show='require "shellwords"
ENV["FORMS_NAMES"].split(",").each do |n|
	v = ENV[n]
	puts "#{n}: #{v.shellescape}"
	puts ["deploy", "--token", v].shelljoin
end'
LC_ALL=C.UTF-8 ruby -e "$show"
LC_ALL=C ruby -e "$show"
