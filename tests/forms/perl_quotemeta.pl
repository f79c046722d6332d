#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# Conformance form: quotemeta of a value's bytes, alone and in a qr//
# pattern printed as Perl prints it ((?^:...)).
use strict;
use warnings;
print "FORMS-MARKER perl_quotemeta\n";
for my $name (split /,/, $ENV{FORMS_NAMES}) {
	my $bytes = $ENV{$name};
	utf8::encode($bytes) if utf8::is_utf8($bytes);
	my $re = qr/\Q$bytes\E/;
	print "$name: ", quotemeta($bytes), " $re\n";
}
