# SPDX-License-Identifier: ISC
# Conformance form: Rack's escape_html (Debian's ruby-rack 2: / as
# &#x2F;, ' as &#x27;), as Sinatra's escape_html helper writes a value
# into a page.
require "rack/utils"

puts "FORMS-MARKER rb_rack_escape"
ENV.fetch("FORMS_NAMES").split(",").each do |name|
  value = ENV.fetch(name).dup.force_encoding("UTF-8")
  puts "#{name}: <p title=\"#{Rack::Utils.escape_html(value)}\">#{Rack::Utils.escape_html(value)}</p>"
end
