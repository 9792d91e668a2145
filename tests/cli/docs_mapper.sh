#!/usr/bin/env bash
# The examples of docs/dataflows.md, cli.md, sweep.md, eyexam.md, report.md, precision.md,
# latency.md, systolic.md, sparsity.md, densities.md and presets.md: every ```console block is run (its `$ ` lines are
# commands, run from the source directory with `petal`
# being the binary under test) and must print what the block shows, apart from
# times and the counts of mappings evaluated and bounded, which vary by run.
. "$(dirname "$0")/lib.sh"
mkdir "$tmp/bin"
ln -s "$(cd "$(dirname "$petal")" && pwd)/$(basename "$petal")" "$tmp/bin/petal"

# Blank out what changes from run to run.
mask() {
  sed -E \
    -e 's/[0-9]+ mappings evaluated, [0-9]+ partial ones bounded, [0-9.]+ s \(best found after [0-9.]+ s\)/N mappings evaluated, N partial ones bounded, T s (best found after T s)/' \
    -e 's/searched in [0-9.]+ s/searched in T s/' \
    -e 's/"(seconds|found_seconds|evaluated|bounded)": [0-9.e+-]+/"\1": N/' \
    -e 's/^([0-9]+,([^,"]*,){14})[0-9]+,/\1N,/'
}

# run_blocks DOC MIN: run every console block of DOC; it must have MIN at least.
run_blocks() {
  local doc=$1 min=$2 n=0
  rm -rf "$tmp/blocks"; mkdir "$tmp/blocks"
  # One file per command: line 1 the command, the rest its output.
  awk -v dir="$tmp/blocks" '
    /^```console$/ { on = 1; next }
    on && /^```$/ { on = 0; next }
    on && /^\$ / { f = sprintf("%s/%03d", dir, ++k); print substr($0, 3) > f; next }
    on { print > f }' "$src/$doc"
  for f in "$tmp/blocks"/*; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    checks=$((checks + 1))
    local cmd
    cmd=$(head -n 1 "$f")
    (cd "$src" && PATH="$tmp/bin:$PATH" bash -c "$cmd" 2>/dev/null) | mask > "$tmp/got"
    tail -n +2 "$f" | mask > "$tmp/want"
    if ! diff "$tmp/want" "$tmp/got" > "$tmp/diff"; then
      echo "FAIL: $doc: \`$cmd\` prints something else:"; cat "$tmp/diff"
      failures=$((failures + 1))
    fi
  done
  checks=$((checks + 1))
  if [ "$n" -lt "$min" ]; then
    echo "FAIL: $doc has $n examples, expected at least $min"; failures=$((failures + 1))
  fi
}

run_blocks docs/dataflows.md 6
run_blocks docs/cli.md 11
run_blocks docs/sweep.md 3
run_blocks docs/eyexam.md 2
run_blocks docs/report.md 3
run_blocks docs/precision.md 3
run_blocks docs/latency.md 2
run_blocks docs/systolic.md 5
run_blocks docs/sparsity.md 1
run_blocks docs/densities.md 4
run_blocks docs/presets.md 1

# docs/dataflows.md: a search that completes gives the same mapping and figures
# for any thread count (only the work counts and times may differ).
for t in 1 3; do
  "$petal" map --net alexnet --layer conv1 --arch eyeriss-v1 --dataflow os --threads $t \
    --format json | grep -Ev '"(seconds|found_seconds|evaluated|bounded)"' > "$tmp/os$t.json"
done
expect_out '"complete": true' cat "$tmp/os1.json"
expect_exit 0 cmp -s "$tmp/os1.json" "$tmp/os3.json"

# docs/cli.md: on a terminal, petal eval draws a progress bar on standard error
# that counts the layers done and names the last one. `script` (util-linux)
# gives the command a terminal.
if command -v script >/dev/null 2>&1; then
  script -qec "'$petal' eval --net '$src/docs/examples/mapper/three.yaml' \
    --arch '$src/docs/examples/mapper/small.yaml' --threads 1 >/dev/null" /dev/null \
    | tr '\r' '\n' > "$tmp/tty"
  expect_out '^\[#+ *\] 1/3 a ' cat "$tmp/tty"
  expect_out '^\[#{30}\] 3/3 big ' cat "$tmp/tty"
else
  echo "FAIL: script (util-linux) is needed to give petal eval a terminal"
  failures=$((failures + 1))
fi
finish
