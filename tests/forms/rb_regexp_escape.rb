# SPDX-License-Identifier: ISC
# Conformance form: Ruby's Regexp.escape, as a program prints the pattern
# it built from a secret to find or scrub it: the quoted text, its
# inspect, and the Regexp's inspect (/ escaped).
puts "FORMS-MARKER rb_regexp_escape"
ENV["FORMS_NAMES"].split(",").each do |n|
  quoted = Regexp.escape(ENV[n].dup.force_encoding("UTF-8"))
  puts "#{n}: #{quoted}"
  puts "#{n}: #{quoted.inspect} #{Regexp.new(quoted).inspect}"
end
