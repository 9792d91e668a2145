#!/usr/bin/env bash
# sweep_rows_json.sh RESULTS.csv - a `petal sweep` results file as JSON for
# report_numbers.sh: an array with one object per row under the CSV header
# (element K is the K-th row), keyed by the header's column names. A field
# that is a JSON number is written as its own text, so the value a page gives
# for it must be the same number; every other field is a string. Written
# independently of petal's CSV code: quoted fields with "" escapes, per RFC 4180.
set -uo pipefail
csv=${1:?usage: sweep_rows_json.sh RESULTS.csv}
perl -e '
  use strict; use warnings;
  sub fields { my $line = shift; my @f; my $cur = ""; my $q = 0; my $i = 0;
    while ($i < length $line) { my $c = substr($line, $i, 1);
      if ($q) { if ($c eq "\"") { if (substr($line, $i + 1, 1) eq "\"") { $cur .= "\""; $i++ }
                                  else { $q = 0 } } else { $cur .= $c } }
      elsif ($c eq "\"") { $q = 1 } elsif ($c eq ",") { push @f, $cur; $cur = "" }
      else { $cur .= $c } $i++ }
    push @f, $cur; return @f }
  sub js { my $s = shift; $s =~ s/\\/\\\\/g; $s =~ s/"/\\"/g; $s =~ s/([\x00-\x1f])/sprintf("\\u%04x", ord $1)/ge; "\"$s\"" }
  my $num = qr/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
  open my $in, "<", $ARGV[0] or die "cannot read $ARGV[0]\n";
  my $first = <$in>; die "$ARGV[0]: not a petal sweep output\n" unless $first =~ /^# petal sweep /;
  my $head = <$in>; chomp $head; my @keys = fields($head);
  my @rows;
  while (my $line = <$in>) { chomp $line; my @f = fields($line);
    die "$ARGV[0]:$.: " . scalar(@f) . " fields, the header has " . scalar(@keys) . "\n" if @f != @keys;
    push @rows, "{" . join(",", map { js($keys[$_]) . ":" . ($f[$_] =~ $num ? $f[$_] : js($f[$_])) } 0 .. $#keys) . "}" }
  print "[", join(",\n", @rows), "]\n";
' "$csv"
