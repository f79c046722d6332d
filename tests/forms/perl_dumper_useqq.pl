#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# Conformance form: Data::Dumper with Useqq of the value's bytes
# ("\303\274") and of its characters ("\x{fc}").
use strict;
use warnings;
use Data::Dumper;
use Encode qw(decode);

$Data::Dumper::Useqq = 1;
$Data::Dumper::Terse = 1;
print "FORMS-MARKER perl_dumper_useqq\n";
for my $name (split /,/, $ENV{FORMS_NAMES}) {
	my $bytes = $ENV{$name};
	print "$name: ", Dumper($bytes);
	print "$name chars: ", Dumper(decode('UTF-8', $bytes));
}
