#!/usr/bin/env bash
# report_numbers.sh PAGE SRC=JSON... - hold the numbers of a `petal report`
# page (the file itself, or the DOM a browser dumped from it) against the JSON
# outputs they come from. Every <span data-src data-path data-value
# [data-scale]>SHOWN</span> (petal/report.h) whose source is named here must
# have data-value equal to that JSON's value at data-path, and SHOWN must be
# data-value * data-scale rounded to the digits shown. Prints one line per
# failure and a summary; exits 1 on any failure or when no number is found.
set -uo pipefail
page=${1:?usage: report_numbers.sh PAGE SRC=JSON...}
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The spans as a JSON array (perl reads attributes in either quote style, as
# written by petal or as serialised by a browser, and decodes entities).
perl -0777 -ne '
  sub dec { my $s = shift; $s =~ s/&quot;/"/g; $s =~ s/&#39;/\x27/g; $s =~ s/&lt;/</g;
            $s =~ s/&gt;/>/g; $s =~ s/&amp;/&/g; return $s; }
  sub js { my $s = shift; $s =~ s/\\/\\\\/g; $s =~ s/"/\\"/g; return "\"$s\""; }
  my @out;
  while (/<(?:span|td)\b([^>]*\bdata-src=[^>]*)>([^<]*)</g) {
    my ($attrs, $shown) = ($1, $2);
    my %a;
    while ($attrs =~ /([\w-]+)=(?:"([^"]*)"|\x27([^\x27]*)\x27)/g) {
      $a{$1} = dec(defined $2 ? $2 : $3);
    }
    next unless defined $a{"data-path"} && defined $a{"data-value"};
    push @out, "{\"src\":" . js($a{"data-src"}) . ",\"path\":" . $a{"data-path"} .
               ",\"value\":" . js($a{"data-value"}) . ",\"scale\":" .
               (defined $a{"data-scale"} ? $a{"data-scale"} : "null") .
               ",\"shown\":" . js(dec($shown)) . "}";
  }
  print "[", join(",\n", @out), "]\n";
' "$page" > "$tmp/spans.json" || { echo "report_numbers: cannot read $page"; exit 1; }

total=0
failed=0
for pair in "$@"; do
  src=${pair%%=*}
  json=${pair#*=}
  out=$(jq -r --arg src "$src" --slurpfile doc "$json" '
    def close($a; $b; $tol): (($a - $b) | fabs) <= $tol;
    [ .[] | select(.src == $src) ] as $spans
    | ($spans | length | tostring) + " numbers",
      ( $spans[] | . as $s | ($doc[0] | getpath($s.path)) as $j
        | ( if ($j | type) == "number" then ($s.value | tonumber) == $j
            elif ($j | type) == "boolean" then ($j | tostring) == $s.value
            else $j == $s.value end ) as $same
        | ( if ($j | type) != "number" then true
            elif $s.scale == null and ($s.shown | test("^-?[0-9]+$")) then
              ($s.shown | tonumber) == ($s.value | tonumber)
            else
              (($s.shown | split(".")) as $p | if ($p | length) > 1 then ($p[1] | length) else 0 end)
                as $dec
              | close(($s.shown | tonumber); ($s.value | tonumber) * ($s.scale // 1);
                      0.5 * pow(10; -$dec) * 1.000001 + 1e-12)
            end ) as $rounded
        | select(($same and $rounded) | not)
        | "FAIL: \($src) \($s.path | tojson): page says \($s.value) shown as \($s.shown), JSON has \($j | tojson)" )
  ' "$tmp/spans.json") || { echo "report_numbers: jq failed on $json"; exit 1; }
  n=$(printf '%s\n' "$out" | head -1 | cut -d' ' -f1)
  total=$((total + n))
  bad=$(printf '%s\n' "$out" | grep -c '^FAIL' || true)
  failed=$((failed + bad))
  printf '%s\n' "$out" | grep '^FAIL' || true
  echo "report_numbers: $src: $n numbers checked against $json, $bad differ"
done
[ "$total" -gt 0 ] || { echo "report_numbers: no number found on the page"; exit 1; }
[ "$failed" -eq 0 ]
