#!/usr/bin/env bash
# `petal study eyeriss-v1`: JSON shape, AlexNet's MAC total, the chip's active
# PEs, the published comparisons, usage errors, and the committed chart in
# docs/img equal to what the command writes now.
set -u
petal=$1
src=$3
. "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect_jq FILTER FILE: the jq filter is true for the JSON in FILE.
expect_jq() {
  checks=$((checks + 1))
  if ! jq -e "$1" "$2" >/dev/null 2>&1; then
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

# --- docs/eyeriss.md shows what the commands print now ---
# doc_block MARKER: the first ```text block after the line MARKER in the doc.
doc_block() {
  awk -v m="$1" '$0 == m { on = 1; next } on && /^```text$/ { grab = 1; next }
    grab && /^```$/ { exit } grab { print }' "$src/docs/eyeriss.md"
}
# expect_doc_block MARKER FILE: that block equals FILE (run scripts/figures to refresh).
expect_doc_block() {
  checks=$((checks + 1))
  if ! diff <(doc_block "$1") "$2" >/dev/null; then
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

# --- the committed charts are what the commands write now ---
"$petal" study eyeriss-v1 --format svg >"$tmp/eyeriss-v1.svg"
expect_exit 0 cmp "$tmp/eyeriss-v1.svg" "$src/docs/img/eyeriss-v1.svg"
expect_out '^<svg ' head -1 "$src/docs/img/eyeriss-v1.svg"

finish
