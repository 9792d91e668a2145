#!/usr/bin/env bash
# browser_report.sh PETAL SOURCE_DIR - the HTML report of `make run`'s job
# (AlexNet on eyeriss-v1) in a real browser: headless Chromium loads the page
# with no console message (the page has no script, and its
# Content-Security-Policy turns any attempt to load something into one), every
# chart is in the DOM with its marks, the numbers in the DOM equal the JSON of
# the same run (tests/support/report_numbers.sh), and a screenshot is taken.
# Two control pages first show that the console check can fail. Exit 77
# (SKIP) only when Chromium is not installed: `scripts/deps --test` installs
# it, and `make test` runs that.
set -uo pipefail
petal=${1:?usage: browser_report.sh PETAL SOURCE_DIR}
src=${2:?usage: browser_report.sh PETAL SOURCE_DIR}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "SKIP: chromium is not installed (scripts/deps --test installs Debian's chromium)"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# chromium_run LOG ARGS... URL: headless, no sandbox (root in CI), its own profile.
chromium_run() {
  local log=$1; shift
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 "$@" 2>"$log"
}

# The console check fails on a page that logs, and on one that loads from outside.
printf '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<script>console.error("control")</script></body></html>\n' > "$tmp/logs.html"
printf '<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src %s"></head><body><img src="http://example.invalid/a.png" alt=""></body></html>\n' "'none'" > "$tmp/loads.html"
for control in logs loads; do
  chromium_run "$tmp/$control.log" --dump-dom "file://$tmp/$control.html" >/dev/null
  grep -q ':CONSOLE' "$tmp/$control.log" || fail "the console check misses the $control control page"
done

# The page: make run's job, with the JSON of the same run beside it.
"$petal" report --net alexnet --arch eyeriss-v1 --threads 2 -o "$tmp/report.html" \
  --json "$tmp/report.json" 2>"$tmp/petal.err"
code=$?
[ "$code" -eq 0 ] || fail "petal report exited $code: $(cat "$tmp/petal.err")"

chromium_run "$tmp/dom.log" --dump-dom "file://$tmp/report.html" >"$tmp/dom.html"
[ -s "$tmp/dom.html" ] || fail "chromium dumped no DOM"
if grep ':CONSOLE' "$tmp/dom.log"; then
  fail "the page logged to the console (above)"
fi

# Every chart, with its marks, as the browser parsed it. Eyexam's chart is
# required wherever petal has the eyexam command.
charts=(chart-energy-layers chart-energy-split chart-roofline)
have_eyexam=0
if "$petal" eyexam --help >/dev/null 2>&1; then
  have_eyexam=1
  charts+=(chart-eyexam)
fi
for chart in "${charts[@]}"; do
  grep -q "<svg[^>]*id=\"$chart\"" "$tmp/dom.html" || fail "chart $chart is not in the DOM"
done
layers=$(jq '.layers | length' "$tmp/report.json")
shapes=$(jq '[.layers | to_entries[] | select(.value.same_as == .key and .value.found)] | length' \
  "$tmp/report.json")
points=$(grep -o '<circle class="point"' "$tmp/dom.html" | wc -l)
[ "$points" -eq "$shapes" ] || fail "roofline: $points points for $shapes mapped layer shapes"
stairs=$(grep -o '<g class="staircase"' "$tmp/dom.html" | wc -l)
if [ "$have_eyexam" -eq 1 ] && [ "$stairs" -ne "$shapes" ]; then
  fail "eyexam: $stairs staircases for $shapes layer shapes"
fi
rows=$(grep -o '<tr id="layer-[0-9]*"' "$tmp/dom.html" | wc -l)
[ "$rows" -eq "$layers" ] || fail "layer table: $rows rows for $layers layers"

# The numbers in the DOM are the JSON's.
bash "$src/tests/support/report_numbers.sh" "$tmp/dom.html" eval="$tmp/report.json" ||
  fail "the DOM's numbers differ from the JSON's"

# A screenshot of the top of the page, as a laptop shows it.
chromium_run "$tmp/shot.log" --hide-scrollbars --window-size=1280,2400 \
  --screenshot="$tmp/report.png" "file://$tmp/report.html" >/dev/null
if [ ! -s "$tmp/report.png" ] || [ "$(head -c 4 "$tmp/report.png" | tail -c 3)" != "PNG" ]; then
  fail "no PNG screenshot"
fi

if [ "$failures" -ne 0 ]; then
  echo "browser_report: $failures failures"
  exit 1
fi
echo "browser_report: the page loads in $("$browser" --version 2>/dev/null | head -1) with no" \
  "console message; $points roofline points, $rows layer rows; screenshot" \
  "$(stat -c %s "$tmp/report.png") bytes"
