#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# Conformance form: sprintf("%vd"), a value's bytes in decimal joined by
# dots, on a line of its own.
use strict;
use warnings;
print "FORMS-MARKER perl_vd\n";
for my $name (split /,/, $ENV{FORMS_NAMES}) {
	my $bytes = $ENV{$name};
	utf8::encode($bytes) if utf8::is_utf8($bytes);
	printf "%vd\n", $bytes;
}
