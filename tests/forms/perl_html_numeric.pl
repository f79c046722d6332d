#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# Conformance form: HTML::Entities::encode_entities_numeric, " & ' < >,
# controls and characters past ASCII as &#xHH; in upper case, in an
# attribute.
use strict;
use warnings;
use HTML::Entities ();
print "FORMS-MARKER perl_html_numeric\n";
binmode STDOUT;
for my $name (split /,/, $ENV{FORMS_NAMES}) {
	my $value = $ENV{$name};
	utf8::decode($value);
	print "<input name=\"$name\" value=\"", HTML::Entities::encode_entities_numeric($value), "\">\n";
}
