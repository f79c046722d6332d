#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# Conformance form: a value's bytes taken for characters by a serializer
# (an %ENV value is bytes in Perl unless decoded), so its UTF-8 comes out
# as Latin-1 mojibake, escaped: YAML::XS's double quotes ("Ã\x9F") and
# JSON::PP's ascii ("\u00c3\u009f").
use strict;
use warnings;
use JSON::PP;
use YAML::XS;

print "FORMS-MARKER perl_bytes_serialized\n";
my $json = JSON::PP->new->ascii->canonical;
for my $name (split /,/, $ENV{FORMS_NAMES}) {
	my $bytes = $ENV{$name};
	print Dump({$name => $bytes});
	print $json->encode({$name => $bytes}), "\n";
}
