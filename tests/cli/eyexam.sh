#!/usr/bin/env bash
# `petal eyexam`: AlexNet CONV1-5 on eyeriss-v1 under row stationary give seven
# numbered, named, explained bounds that never increase, and the mapper's best
# mapping stays at or below the last; the JSON has exactly the issue's keys;
# bad flags and inputs get their exit codes. (The bounds' numbers are checked
# by hand and against the Eyeriss v1 chip in tests/unit/test_eyexam.c.)
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$petal" eyexam --help
expect_out '^usage: petal eyexam' "$petal" eyexam --help

for layer in conv1 conv2 conv3 conv4 conv5; do
  # Any valid mapping must stay under the bounds, whatever the objective; the
  # search for the least energy-delay product runs to its end in seconds on
  # these layers (the default, delay, takes longer), so the test does not
  # depend on the machine's speed.
  "$petal" eyexam --net alexnet --layer $layer --arch eyeriss-v1 --dataflow rs --threads 2 \
    --objective edp --budget none --format json > "$tmp/$layer.json"
  expect_exit 0 test $? -eq 0
  f=$tmp/$layer.json
  expect_jq 'keys == ["best_macs_per_cycle", "layer", "steps"]' "$f"
  expect_jq ".layer == \"$layer\"" "$f"
  expect_jq '.steps | length == 7' "$f"
  expect_jq '[.steps[] | keys == ["limited_by", "macs_per_cycle", "name", "step"]] | all' "$f"
  expect_jq '[.steps[].step] == [1, 2, 3, 4, 5, 6, 7]' "$f"
  expect_jq '[.steps[].name] == ["layer size and shape", "dataflow loop nest", "number of PEs", "physical array dimensions", "storage capacity", "average bandwidth", "instantaneous bandwidth"]' "$f"
  expect_jq '[.steps[] | .limited_by | length > 0] | all' "$f"
  expect_jq '[.steps[].macs_per_cycle] as $b | [range(1; 7) | $b[.] <= $b[. - 1]] | all' "$f"
  expect_jq '.steps[2].macs_per_cycle == 168 and .steps[2].limited_by == "168 PEs (MAC units)"' "$f"
  expect_jq '.best_macs_per_cycle > 0 and .best_macs_per_cycle <= .steps[6].macs_per_cycle' "$f"
done

# Text: a row per step, then the best mapping against step 7.
"$petal" eyexam --net alexnet --layer 0 --arch eyeriss-v1 --dataflow rs --threads 2 --budget none \
  > "$tmp/conv1.txt"
expect_out '^   4  physical array dimensions +151\.25  the best spread on the 14x12 array: .*at most 154 PEs busy at once' \
  cat "$tmp/conv1.txt"
# 132 = the best spread of whole factors, C 3 x M 4 columns by R 11 rows (docs/eyexam.md).
expect_out '^best mapping: 132\.00 MACs/cycle \(532400 cycles, optimal in its mapspace\), 87\.3% of step 7$' \
  cat "$tmp/conv1.txt"
# The FC layers are held by DRAM's bandwidth (step 6).
expect_out '^   6  average bandwidth +1\.20  DRAM reads' \
  "$petal" eyexam --net alexnet --layer fc6 --arch eyeriss-v1 --dataflow rs --threads 2 --effort 50k

# A layer too big for a DRAM-less architecture: the outermost level must hold
# the whole layer (512 + 512 x 512 + 512 words = 263168), so step 5 falls to 0
# and says why, steps 6 and 7 follow, the best mapping says why none exists,
# and the exit code is 1.
big=("$petal" eyexam --net "$src/docs/examples/mapper/three.yaml" --layer big \
  --arch "$src/docs/examples/mapper/small.yaml" --threads 2)
expect_exit 1 "${big[@]}"
expect_out '^   5  storage capacity +0\.00  no spread.s smallest tiles fit: buf must keep at least 263168 words, but holds 512$' "${big[@]}"
expect_out '^   7  instantaneous bandwidth +0\.00 ' "${big[@]}"
expect_out '^best mapping: none found: buf must keep' "${big[@]}"
expect_err 'layer big on small: no valid mapping: buf must keep' "${big[@]}"
"${big[@]}" --format json > "$tmp/big.json" 2>/dev/null
expect_jq '.best_macs_per_cycle == null and .steps[4].macs_per_cycle == 0' "$tmp/big.json"

expect_exit 2 "$petal" eyexam --net alexnet --arch eyeriss-v1
expect_exit 2 "$petal" eyexam --net alexnet --layer conv1
expect_exit 2 "$petal" eyexam --layer conv1 --arch eyeriss-v1
expect_exit 2 "$petal" eyexam --net alexnet --layer conv1 --arch eyeriss-v1 --dataflow zz
expect_exit 2 "$petal" eyexam --net alexnet --layer conv1 --arch eyeriss-v1 --format csv
expect_exit 2 "$petal" eyexam --net alexnet --layer conv1 --arch eyeriss-v1 --bogus
expect_exit 3 "$petal" eyexam --net alexnet --layer conv9 --arch eyeriss-v1
expect_err 'conv9' "$petal" eyexam --net alexnet --layer conv9 --arch eyeriss-v1
expect_exit 3 "$petal" eyexam --net alexnet --layer conv1 --arch no-such-arch
finish
