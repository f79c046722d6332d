#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# Conformance form: Data::Dumper's default single quotes ('it\'s').
use strict;
use warnings;
use Data::Dumper;

$Data::Dumper::Terse = 1;
print "FORMS-MARKER perl_dumper\n";
for my $name (split /,/, $ENV{FORMS_NAMES}) {
	print "$name: ", Dumper({ key => $ENV{$name} });
}
