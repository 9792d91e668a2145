#!/usr/bin/env bash
# bench_report.sh - what the HTML report costs beside the job it shows:
# `petal report` and `petal eval --format json` on the same deterministic job
# (AlexNet on eyeriss-v1 under rs, every search to its optimum, 2 threads),
# wall time of each and the page's size; then, when Chromium is installed,
# the time headless Chromium takes to load the page and dump its DOM.
# Figures only. Arguments: $1 the petal binary.
set -uo pipefail
petal=${1:-build/petal}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
job=(--net alexnet --arch eyeriss-v1 --dataflow rs --budget none --threads 2)
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
echo "petal eval / petal report ${job[*]}"
t0=$(now)
"$petal" eval "${job[@]}" --format json > "$tmp/e.json" || { echo "petal eval failed"; exit 1; }
t1=$(now)
"$petal" report "${job[@]}" -o "$tmp/r.html" || { echo "petal report failed"; exit 1; }
t2=$(now)
echo "eval $(secs "$t0" "$t1") s, report $(secs "$t1" "$t2") s (the same search; report also" \
  "computes Eyexam's bounds and writes the page)"
echo "page: $(stat -c %s "$tmp/r.html") bytes, $(grep -o '<svg ' "$tmp/r.html" | wc -l) charts," \
  "$(grep -o 'data-src=' "$tmp/r.html" | wc -l) numbers tied to JSON"
if browser=$(command -v chromium); then
  t0=$(now)
  "$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/profile" \
    --dump-dom "file://$tmp/r.html" > /dev/null 2>&1
  t1=$(now)
  echo "headless chromium: load and dump the DOM in $(secs "$t0" "$t1") s (browser start included)"
else
  echo "no chromium: the browser figure is not measured"
fi
