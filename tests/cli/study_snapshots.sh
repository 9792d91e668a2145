#!/usr/bin/env bash
# Regression snapshots of the studies: petal's own earlier output, committed,
# compared with what the commands write now. docs/eyeriss.md's blocks of
# command output and its charts (docs/img), and the dataflow searches saved in
# docs/data replayed through today's model. A difference means the output
# changed, not that it is wrong: scripts/figures refreshes them. The claims
# they illustrate are also searched afresh in tests/cli/study.sh.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$petal" study --help
# --- snapshot: the dataflow results docs/eyeriss.md shows (docs/data, replayed) ---
pub="$tmp/pub.json"
"$petal" study dataflows --from "$src/docs/data/dataflows-b16" --json "$pub" --svg "$tmp/dataflows.svg" >"$tmp/df16.txt"
expect_exit 0 cmp "$tmp/dataflows.svg" "$src/docs/img/dataflows.svg"
expect_out '^<svg ' head -1 "$src/docs/img/dataflows.svg"
expect_jq '.batch == 16' "$pub"
expect_jq '[.conv, .fc] | all(to_entries | all(.value.found))' "$pub"
# RS has the lowest energy per MAC on CONV and on FC layers at batch 16, found by
# complete searches.
expect_jq '.lowest.conv == "RS" and .lowest.fc == "RS"' "$pub"
expect_jq '.conv.RS.optimal and .fc.RS.optimal' "$pub"
# The paper's breakdown: WS the lowest weight energy and NLR the lowest DRAM
# energy on CONV, DRAM the largest part on FC of every dataflow but NLR (whose
# big buffer costs more).
expect_jq '.conv | (.WS.by_data.weights == ([.[].by_data.weights] | min))' "$pub"
expect_jq '.conv | (.NLR.by_level.DRAM == ([.[].by_level.DRAM] | min))' "$pub"
expect_jq '.fc | del(.NLR) | to_entries | all(.value.by_level | .DRAM == ([.[]] | max))' "$pub"
expect_jq '.conv_share.RS > 0.75 and .conv_share.RS < 0.85' "$pub"
for b in 1 64; do
  "$petal" study dataflows --from "$src/docs/data/dataflows-b$b" --format json >"$tmp/pub$b.json"
  expect_jq ".batch == $b" "$tmp/pub$b.json"
  expect_jq '[.conv, .fc] | all(to_entries | all(.value.found))' "$tmp/pub$b.json"
done
# On CONV, RS is the lowest at every batch and more than 1.3x below every other
# dataflow's proven lower bound, so no search stopped by its budget changes that.
for f in "$pub" "$tmp/pub1.json" "$tmp/pub64.json"; do
  expect_jq '.lowest.conv == "RS"' "$f"
  expect_jq '[.layers[] | select(.name | startswith("conv"))] as $l | ($l | map(.macs) | add) as $m |
    ["WS","OS_A","OS_B","OS_C","NLR"] | all(. as $d |
      ($l | map(.[$d].lower_bound * .macs) | add) / $m > 1.3 * ($l | map(.RS.energy_per_mac * .macs) | add) / $m)' "$f"
done
# What docs/eyeriss.md says of batch 1 and 64: at batch 1 every FC weight costs
# a DRAM access per MAC, the six lie within 3% and RS is not the lowest (its RF
# copy of a weight used once costs 2 more per MAC); at 64 RS leads on FC by more
# than at 16.
expect_jq '.fc | [.[].by_level.DRAM] | all(. > 200)' "$tmp/pub1.json"
expect_jq '.fc | [.[].energy_per_mac] | max / min < 1.03' "$tmp/pub1.json"
expect_jq '.lowest.fc == "OS_C" and .fc.RS.energy_per_mac > .fc.OS_B.energy_per_mac' "$tmp/pub1.json"
expect_jq '.fc.RS.by_data.weights - .fc.OS_C.by_data.weights | fabs - 2 | fabs < 0.01' "$tmp/pub1.json"
expect_jq '.lowest.fc == "RS"' "$tmp/pub64.json"
gain() { jq '.fc | (del(.RS) | [.[].energy_per_mac] | min) / .RS.energy_per_mac' "$1"; }
expect_jq "$(gain "$tmp/pub64.json") > $(gain "$pub") and $(gain "$pub") > 1.05" "$tmp/pub64.json"
expect_jq '.conv_share.RS < 0.3' "$tmp/pub1.json"
expect_jq '.conv_share.RS > 0.85' "$tmp/pub64.json"

# --- snapshot: docs/eyeriss.md shows what the commands print now ---
# doc_block MARKER: the first ```text block after the line MARKER in the doc.
doc_block() {
  awk -v m="$1" '$0 == m { on = 1; next } on && /^```text$/ { grab = 1; next }
    grab && /^```$/ { exit } grab { print }' "$src/docs/eyeriss.md"
}
# expect_doc_block MARKER FILE: that block equals FILE, which is not empty (run
# scripts/figures to refresh).
expect_doc_block() {
  checks=$((checks + 1))
  if [ ! -s "$2" ] || ! grep -qxF -- "$1" "$src/docs/eyeriss.md" ||
     ! diff <(doc_block "$1") "$2" >/dev/null; then
    echo "FAIL: regression snapshot: docs/eyeriss.md block after '$1' differs from the command (scripts/figures refreshes it)"
    failures=$((failures + 1))
  fi
}
"$petal" study eyeriss-v1 >"$tmp/v1.txt"
expect_doc_block '`petal study eyeriss-v1`:' "$tmp/v1.txt"
"$petal" study eyeriss-v1 --mappings | awk '/^conv3:/ { on = 1 } on && /^$/ { exit } on' >"$tmp/conv3.txt"
expect_doc_block 'mappings: one loop per strip-mining step. For CONV3 (`petal study eyeriss-v1 --mappings`):' "$tmp/conv3.txt"
expect_out '^conv2: .*135 PEs; each set cut in 2, the array seen as 28x6$' "$petal" study eyeriss-v1 --mappings
expect_out '^conv1: .*output rows 49-54, 36 passes on 132 PEs$' "$petal" study eyeriss-v1 --mappings
expect_exit 2 "$petal" study eyeriss-v1 --mappings --format json
expect_doc_block '`petal study dataflows --from docs/data/dataflows-b16`:' "$tmp/df16.txt"
for b in 1 64; do
  "$petal" study dataflows --from "$src/docs/data/dataflows-b$b" >"$tmp/df$b.txt"
  expect_doc_block "\`petal study dataflows --from docs/data/dataflows-b$b\`:" "$tmp/df$b.txt"
done

# --- snapshot: the committed charts are what the commands write now ---
expect_exit 0 grep -qF '](img/eyeriss-v1.svg)' "$src/docs/eyeriss.md"
expect_exit 0 grep -qF '](img/dataflows.svg)' "$src/docs/eyeriss.md"
expect_exit 1 grep -qE '@[A-Z_]+@' "$src/docs/eyeriss.md"
"$petal" study eyeriss-v1 --format svg >"$tmp/eyeriss-v1.svg"
expect_exit 0 cmp "$tmp/eyeriss-v1.svg" "$src/docs/img/eyeriss-v1.svg"
expect_out '^<svg ' head -1 "$src/docs/img/eyeriss-v1.svg"

finish
