#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# Conformance form: HTML::Entities::encode_entities, named references
# where a character has one, of a value's characters and of its bytes
# as read from the environment (not decoded: each byte a character).
use strict;
use warnings;
use HTML::Entities ();
print "FORMS-MARKER perl_html_entities\n";
binmode STDOUT, ":encoding(UTF-8)";
for my $name (split /,/, $ENV{FORMS_NAMES}) {
	my $bytes = $ENV{$name};
	my $chars = $bytes;
	utf8::decode($chars);
	print "<td>", HTML::Entities::encode_entities($chars), "</td>\n";
	print "<td>", HTML::Entities::encode_entities($bytes), "</td>\n";
}
