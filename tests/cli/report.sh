#!/usr/bin/env bash
# `petal report`: the HTML page of a whole-network evaluation. Its --json is
# `petal eval --format json` of the same job; every number on the page equals
# that JSON (and the sheet's and Eyexam's JSON where the page has them); the
# page is self-contained; a partial evaluation says so; units are named;
# bad flags and unwritable outputs are refused before any search. (The page in
# a real browser: tests/browser_report.sh.)
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$petal" report --help
expect_out '^usage: petal report' "$petal" report --help
expect_exit 2 "$petal" report --net lenet5 --arch eyeriss-v1
expect_exit 2 "$petal" report --arch eyeriss-v1 -o "$tmp/x.html"
expect_exit 2 "$petal" report --net lenet5 -o "$tmp/x.html"
expect_exit 2 "$petal" report --net lenet5 --arch eyeriss-v1 -o "$tmp/x.html" --format json
expect_exit 2 "$petal" report --net lenet5 --arch eyeriss-v1 -o "$tmp/x.html" --accuracy high
expect_exit 2 "$petal" report --net lenet5 --arch eyeriss-v1 -o "$tmp/x.html" --accuracy -1
expect_exit 2 "$petal" report --net lenet5 --arch eyeriss-v1 -o - --json -
expect_exit 3 "$petal" report --net no-such-net --arch eyeriss-v1 -o "$tmp/x.html"
# An output that cannot be written: refused at once, with its name (a budget of
# an hour would otherwise run first).
expect_exit 3 "$petal" report --net alexnet --arch eyeriss-v1 --budget 3600 -o "$tmp/no/x.html"
expect_err "$tmp/no/x.html: cannot write" "$petal" report --net lenet5 --arch eyeriss-v1 \
  -o "$tmp/no/x.html"
expect_exit 1 test -e "$tmp/x.html"

# A deterministic job (every search runs to its proven optimum), twice: once
# as the page with its JSON, once as `petal eval`.
job=(--net lenet5 --arch eyeriss-v1 --dataflow nlr --budget none --threads 2)
"$petal" report "${job[@]}" -o "$tmp/r.html" --json "$tmp/r.json" 2>"$tmp/err"
expect_exit 0 test $? -eq 0
expect_exit 1 test -s "$tmp/err" # not a terminal: no progress bar
"$petal" eval "${job[@]}" --format json > "$tmp/e.json"
# (Less the search's own timings and counts, which threads make vary.)
strip='walk(if type == "object" then del(.seconds, .found_seconds, .evaluated, .bounded) else . end)'
expect_eq "report --json is eval's JSON" "$(jq -S "$strip" "$tmp/r.json")" \
  "$(jq -S "$strip" "$tmp/e.json")"

# Every number on the page is eval's (and the sheet's and Eyexam's, where the
# page has them and petal has those commands; the bounds need no search, so
# eyexam's own search gets a short effort).
sources=(eval="$tmp/e.json")
if grep -q 'data-src="sheet"' "$tmp/r.html"; then
  "$petal" sheet "${job[@]}" --format json > "$tmp/sheet.json"
  sources+=(sheet="$tmp/sheet.json")
fi
for i in $(grep -o 'data-src="eyexam/[0-9]*"' "$tmp/r.html" | sort -u | grep -o '[0-9]*'); do
  layer=$(jq -r ".layers[$i].name" "$tmp/e.json")
  "$petal" eyexam --net lenet5 --layer "$layer" --arch eyeriss-v1 --dataflow nlr --effort 20k \
    --threads 2 --format json > "$tmp/eyexam$i.json"
  sources+=(eyexam/"$i"="$tmp/eyexam$i.json")
done
checks=$((checks + 1))
if ! bash "$src/tests/support/report_numbers.sh" "$tmp/r.html" "${sources[@]}" > "$tmp/numbers"; then
  echo "FAIL: the page's numbers differ from the JSON:"; cat "$tmp/numbers"
  failures=$((failures + 1))
fi
# The checker itself catches a changed number.
sed 's/data-value="416520"/data-value="416521"/' "$tmp/r.html" > "$tmp/changed.html"
expect_exit 1 bash "$src/tests/support/report_numbers.sh" "$tmp/changed.html" eval="$tmp/e.json"

# Self-contained: a policy that forbids loading anything, no script, nothing
# fetched or linked from elsewhere.
expect_out "Content-Security-Policy\" content=\"default-src 'none'" cat "$tmp/r.html"
for banned in '<script' ' src=' '<link' '@import' 'url(' 'href="http'; do
  checks=$((checks + 1))
  if grep -qiF -- "$banned" "$tmp/r.html"; then
    echo "FAIL: the page has '$banned'"; failures=$((failures + 1))
  fi
done
for chart in chart-energy-layers chart-energy-split chart-roofline; do
  expect_out "<svg [^>]*id=\"$chart\"" cat "$tmp/r.html"
done
if "$petal" eyexam --help >/dev/null 2>&1; then
  expect_out '<svg [^>]*id="chart-eyexam"' cat "$tmp/r.html"
  expect_eq "one Eyexam staircase per lenet5 layer" \
    "$(grep -o '<g class="staircase"' "$tmp/r.html" | wc -l)" 5
  expect_eq "seven Eyexam bounds per lenet5 layer" \
    "$(grep -o 'data-src="eyexam/[0-9]*"' "$tmp/r.html" | wc -l)" 35
fi
expect_out '<circle class="point"' cat "$tmp/r.html"
expect_out 'data-roof="compute"' cat "$tmp/r.html"
expect_out 'data-roof="dram"' cat "$tmp/r.html"
expect_out '<pre>DRAM' cat "$tmp/r.html"
# A normalised energy table is never called pJ or uJ (but to say it is not pJ).
checks=$((checks + 1))
if sed 's/<[^>]*>//g' "$tmp/r.html" | grep -v 'not pJ' | grep -Eq '[pu]J'; then
  echo "FAIL: the eyeriss-v1 page prints pJ or uJ"; failures=$((failures + 1))
fi
expect_out 'energy \(M MAC' cat "$tmp/r.html"
"$petal" report --net lenet5 --arch simple-ws --dataflow nlr --effort 20k --threads 2 -o - > "$tmp/ws.html" 2>/dev/null
expect_out '^<!DOCTYPE html>' head -1 "$tmp/ws.html"
expect_out 'energy \(uJ' cat "$tmp/ws.html"

# On a terminal (`script` gives it one), a progress bar with the time left.
if command -v script >/dev/null 2>&1; then
  script -qec "'$petal' report --net lenet5 --arch eyeriss-v1 --dataflow nlr --effort 50k --threads 1 \
    -o '$tmp/tty.html'" /dev/null | tr '\r' '\n' > "$tmp/tty"
  expect_out '^\[#* *\] [0-9]/5 .* left' cat "$tmp/tty"
else
  echo "FAIL: script (util-linux) is needed to give petal report a terminal"
  failures=$((failures + 1))
fi

# A layer without a mapping: exit 1, the page says PARTIAL and why.
examples=$src/docs/examples/mapper
expect_exit 1 "$petal" report --net "$examples/three.yaml" --arch "$examples/small.yaml" \
  --threads 1 -o "$tmp/p.html"
expect_out 'PARTIAL: 1 of 3 layers have no valid mapping' cat "$tmp/p.html"
expect_out 'big: buf must keep' cat "$tmp/p.html"
expect_out 'PARTIAL sheet: 1 layer has no valid mapping' cat "$tmp/p.html"
expect_out 'PARTIAL totals: 1 of 3 layers' cat "$tmp/p.html"
# small.yaml states no areas: the sheet's area is not given (null in its JSON), never 0.
expect_out 'area</th><td>not given by the architecture' cat "$tmp/p.html"

finish
