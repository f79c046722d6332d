#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# Conformance form: Carp's stack trace (confess) of a sub given the value,
# as a failed connect reports its arguments: of its bytes (an %ENV value:
# "p\x{c3}\x{a4}ss") and of its characters ("p\x{e4}ss"), each past
# ASCII or a control as \x{..}. (Carp cuts an argument past 64
# characters: that is no form a value of that length prints whole.)
use strict;
use warnings;
use Carp;
use Encode qw(decode);

sub connect_db { Carp::confess("connect failed") }

print "FORMS-MARKER perl_carp\n";
for my $name (split /,/, $ENV{FORMS_NAMES}) {
	my $bytes = $ENV{$name};
	eval { connect_db("dbi:Pg:dbname=app", $bytes) };
	print "$name: $@";
	eval { connect_db(decode('UTF-8', $bytes)) };
	print "$name chars: $@";
}
