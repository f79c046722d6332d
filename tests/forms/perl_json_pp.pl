#!/usr/bin/perl
# SPDX-License-Identifier: ISC
# Conformance form: Perl's JSON::PP decoding a JSON credential and
# printing it back pretty and canonical, and Data::Dumper of the decoded
# hash (single-quoted strings with their line breaks as they are).
use strict;
use warnings;
use JSON::PP;
use Data::Dumper;
$Data::Dumper::Sortkeys = 1;
print "FORMS-MARKER perl_json_pp\n";
my $json = JSON::PP->new->pretty->canonical;
for my $name (split /,/, $ENV{FORMS_NAMES}) {
	my $doc = eval { decode_json($ENV{$name}) };
	$doc = { value => $ENV{$name} } unless ref $doc;
	print "$name: ", $json->encode($doc), Dumper($doc);
}
