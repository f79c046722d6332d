#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# Conformance form: quotemeta of a value's characters (the value
# decoded, printed through a :utf8 layer), alone and in a qr// pattern
# printed as Perl prints it ((?^u:...)).
use strict;
use warnings;
binmode STDOUT, ':utf8';
print "FORMS-MARKER perl_quotemeta_chars\n";
for my $name (split /,/, $ENV{FORMS_NAMES}) {
	my $chars = $ENV{$name};
	utf8::decode($chars);
	my $re = qr/\Q$chars\E/;
	print "$name: ", quotemeta($chars), " $re\n";
}
