#!/usr/bin/env bash
# `petal study eyeriss-v1` and `petal study dataflows`: JSON shape, AlexNet's MAC
# totals, the chip's active PEs, the published comparisons, a dataflow search
# saved and replayed, usage errors, and docs/eyeriss.md's charts and blocks of
# command output equal to what the commands write now.
. "$(dirname "$0")/lib.sh"

# expect_jq FILTER FILE: the jq filter is true for the JSON in FILE (which must
# not be empty: jq 1.6 -e accepts an empty input).
expect_jq() {
  checks=$((checks + 1))
  if [ ! -s "$2" ] || ! jq -e "$1" "$2" >/dev/null 2>&1; then
    echo "FAIL: jq '$1' is not true for $2"; failures=$((failures + 1))
  fi
}

expect_exit 0 "$petal" study --help
expect_exit 0 "$petal" study eyeriss-v1 --help
expect_exit 2 "$petal" study
expect_exit 2 "$petal" study frobnicate
expect_exit 2 "$petal" study eyeriss-v1 --format xml
expect_exit 2 "$petal" study eyeriss-v1 extra
expect_out 'study +reproduce' "$petal" --help
expect_exit 2 "$petal" study dataflows --batch 0
expect_exit 2 "$petal" study dataflows --batch many
expect_exit 2 "$petal" study dataflows --threads 0
expect_exit 2 "$petal" study dataflows --budget -1
expect_exit 2 "$petal" study dataflows --budget soon
expect_exit 2 "$petal" study dataflows --from "$tmp" --batch 4
expect_exit 2 "$petal" study dataflows --mappings --format json
expect_exit 2 "$petal" study eyeriss-v1 --batch 4
expect_err "--batch is an option of 'petal study dataflows'" "$petal" study eyeriss-v1 --batch 4
expect_err "--from=x is an option of 'petal study dataflows'" "$petal" study eyeriss-v1 --from=x
expect_err "unexpected argument '--batcher'" "$petal" study eyeriss-v1 --batcher
expect_exit 3 "$petal" study dataflows --from "$tmp/no-such-dir"
expect_err 'no-such-dir/results.yaml' "$petal" study dataflows --from "$tmp/no-such-dir"
expect_exit 3 "$petal" study eyeriss-v1 --json "$tmp/no-such-dir/v1.json"

# --- Eyeriss v1 ---
v1="$tmp/v1.json"
"$petal" study eyeriss-v1 --format json >"$v1"
expect_jq '.layers | length == 5' "$v1"
expect_jq '[.layers[].name] == ["conv1","conv2","conv3","conv4","conv5"]' "$v1"
expect_jq '.layers | all(has("name") and has("macs") and has("active_pes") and
  has("processing_ms") and has("buffer_mb") and has("dram_mb"))' "$v1"
expect_jq '.totals | has("macs") and has("processing_ms") and has("buffer_mb") and has("dram_mb")' "$v1"
# CONV1-5 at batch 4: 2.66 G MACs, the per-image MACs of the two-tower AlexNet x 4.
expect_jq '.totals.macs == 2663139456' "$v1"
expect_jq '(.totals.macs / 1e9 * 100 | round) == 266' "$v1"
expect_jq '[.layers[].macs] == [421660800, 895795200, 598081536, 448561152, 299040768]' "$v1"
# The chip's mapping: 154, 135, 156, 156, 156 active PEs.
expect_jq '[.layers[].active_pes] == [154, 135, 156, 156, 156]' "$v1"
# Within 15% of the published 103.5 ms processing latency; per-layer errors listed.
expect_jq '(.totals.processing_ms - 103.5) / 103.5 | fabs < 0.15' "$v1"
expect_jq '.layers | all(.published.processing_ms.error_pct | type == "number")' "$v1"
# Every layer within 15% of the recalled per-layer figures too (a sanity range).
expect_jq '.layers | all(.published.processing_ms.error_pct | fabs < 15)' "$v1"
expect_jq '.totals.published.dram_mb.value == 15.4' "$v1"
# DRAM: the dense count (what the model says) and the run-length coded estimate.
expect_jq '.totals.dram_rlc_mb < .totals.dram_mb' "$v1"
expect_jq '(.totals.dram_rlc_mb - 15.4) / 15.4 | fabs < 0.15' "$v1"
expect_out '^conv1 +421\.7 ' "$petal" study eyeriss-v1
expect_out '^total +2663\.1 ' "$petal" study eyeriss-v1

# --- dataflows: a short search, saved and replayed ---
# (A complete search takes hours on two cores; this one stops each layer after
# 0.2 s, so it checks the shape and the bookkeeping, not which dataflow wins.)
df="$tmp/df.json"
"$petal" study dataflows --budget 0.2 --threads 2 --json "$df" --save "$tmp/saved" >"$tmp/df.txt"
expect_jq '.batch == 16' "$df"
expect_jq '.layers | length == 8' "$df"
expect_jq '.setups | length == 6' "$df"
expect_jq '[.setups[] | select(.name != "NLR") | .rf_words] | all(. == 256)' "$df"
expect_jq '(.setups[] | select(.name == "NLR") | .rf_words) == 0' "$df"
# Equal storage area for every setup (within one buffer word).
expect_jq '[.setups[].area_mm2] | (max - min) < 1e-4' "$df"
for part in conv fc; do
  expect_jq ".$part | keys == [\"NLR\",\"OS_A\",\"OS_B\",\"OS_C\",\"RS\",\"WS\"]" "$df"
  expect_jq ".$part | to_entries | all(.value.found)" "$df"
  expect_jq ".$part | to_entries | all(.value | has(\"energy_per_mac\") and has(\"by_level\") and has(\"by_data\"))" "$df"
  expect_jq ".$part | to_entries | all(.value.by_level | keys == [\"ALU\",\"DRAM\",\"NoC\",\"RF\",\"buffer\"])" "$df"
  expect_jq ".$part | to_entries | all(.value.by_data | keys == [\"ifmaps\",\"psums\",\"weights\"])" "$df"
  # The parts add up to the whole, and a MAC costs one MAC.
  expect_jq ".$part | to_entries | all(.value | ((.by_level | add) - .energy_per_mac | fabs) < 1e-9 * .energy_per_mac)" "$df"
  expect_jq ".$part | to_entries | all(.value | ((.by_data | add) + .by_level.ALU - .energy_per_mac | fabs) < 1e-6 * .energy_per_mac)" "$df"
  expect_jq ".$part | to_entries | all(.value.by_level.ALU == 1)" "$df"
done
# No mapping is cheaper than the mapper's proven bound.
expect_jq '[.layers[] | to_entries[] | select(.value | type == "object") | .value |
  select(.found) | .energy_per_mac >= .lower_bound * (1 - 1e-9)] | all' "$df"
# CONV MACs at batch 16: four times the batch-4 total; FC6-8 at 16 images.
expect_jq '.conv.RS.macs == 2663139456 * 4' "$df"
expect_jq '.fc.WS.macs == (9216 * 4096 + 4096 * 4096 + 4096 * 1000) * 16' "$df"
# NLR keeps nothing in the PEs: no RF energy.
expect_jq '.conv.NLR.by_level.RF == 0 and .fc.NLR.by_level.RF == 0' "$df"
# The saved search replays to the same output, without searching.
"$petal" study dataflows --from "$tmp/saved" >"$tmp/replay.txt"
expect_exit 0 cmp "$tmp/df.txt" "$tmp/replay.txt"
expect_out '^WS, conv1: [0-9.]+ per MAC' "$petal" study dataflows --from "$tmp/saved" --mappings
# A damaged results file is named with its line.
sed 's/layer: conv3/layer: conv9/' "$tmp/saved/results.yaml" >"$tmp/bad.yaml"
mv "$tmp/bad.yaml" "$tmp/saved/results.yaml"
expect_exit 3 "$petal" study dataflows --from "$tmp/saved"
expect_err "results.yaml:[0-9]+:[0-9]+: entry: no layer 'conv9'" "$petal" study dataflows --from "$tmp/saved"

# --- the dataflow results docs/eyeriss.md shows (docs/data, replayed) ---
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

# --- docs/eyeriss.md shows what the commands print now ---
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
    echo "FAIL: docs/eyeriss.md block after '$1' differs from the command (scripts/figures)"
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

# --- the committed charts are what the commands write now, and the doc shows them ---
expect_exit 0 grep -qF '](img/eyeriss-v1.svg)' "$src/docs/eyeriss.md"
expect_exit 0 grep -qF '](img/dataflows.svg)' "$src/docs/eyeriss.md"
expect_exit 1 grep -qE '@[A-Z_]+@' "$src/docs/eyeriss.md"
"$petal" study eyeriss-v1 --format svg >"$tmp/eyeriss-v1.svg"
expect_exit 0 cmp "$tmp/eyeriss-v1.svg" "$src/docs/img/eyeriss-v1.svg"
expect_out '^<svg ' head -1 "$src/docs/img/eyeriss-v1.svg"

finish
