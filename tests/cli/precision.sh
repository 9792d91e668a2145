#!/usr/bin/env bash
# Word widths on the command line (docs/precision.md): the LeNet-5 conv2
# mapping that fits eyeriss-v1's scratchpads only at 8 bits (exit 1 at 16
# bits, 0 at 8), word_bits in the JSON of model, map and eval, the simulator
# agreeing with the model at mixed widths, net show listing a network's widths,
# and one figure of docs/precision.md's table against a hand computation.
. "$(dirname "$0")/lib.sh"

mapping=$src/docs/examples/precision/lenet5_conv2.yaml
lenet=(--net lenet5 --layer conv2 --arch eyeriss-v1 --mapping "$mapping")
expect_exit 1 "$petal" model "${lenet[@]}"
expect_exit 1 "$petal" model "${lenet[@]}" --precision Weights=16,Inputs=16
expect_out 'ifmap_spad: the tiles it keeps need 240 bits but it holds 192' \
  "$petal" model "${lenet[@]}" --precision Weights=16,Inputs=16
expect_exit 0 "$petal" model "${lenet[@]}" --precision Weights=8,Inputs=8
expect_out '^filter_spad +Weights +240 ' "$petal" model "${lenet[@]}" --precision Weights=8,Inputs=8

# JSON: word_bits of every data space at every level; partial sums where added.
"$petal" model "${lenet[@]}" --precision Weights=8,Inputs=8,Outputs=8,Psums=24 --format json \
  > "$tmp/model.json"
expect_jq '[.levels[] | .data_spaces[] | select(.kept) | .word_bits] == [8, 8, 8, 8, 8, 8, 24]' \
  "$tmp/model.json"
expect_jq '.levels[] | select(.name == "psum_spad") | .capacity_used_bits == 384' "$tmp/model.json"
# The simulator counts the same at these widths (exit 0: no difference).
"$petal" sim "${lenet[@]}" --precision Weights=4,Inputs=8,Outputs=8,Psums=24 > "$tmp/sim.txt"
expect_eq "petal sim at mixed widths exits" "$?" 0
expect_out '^model: the same counts at every level' cat "$tmp/sim.txt"

# map and eval report the widths of the best mapping.
"$petal" map --net lenet5 --layer conv1 --arch eyeriss-v1 --dataflow rs --budget 0.5 \
  --precision Weights=8,Inputs=8 --format json > "$tmp/map.json"
expect_jq '.word_bits[0] == {"level": "DRAM", "Weights": 8, "Inputs": 8, "Outputs": 16}' \
  "$tmp/map.json"
"$petal" eval --net "$src/docs/examples/precision/network.yaml" --arch eyeriss-v1 --dataflow rs \
  --budget 0.2 --format json > "$tmp/eval.json"
expect_jq '.layers[1].word_bits[0] == {"level": "DRAM", "Weights": 8, "Inputs": 8, "Outputs": 8}' \
  "$tmp/eval.json"
expect_jq '.layers[0].word_bits[0].Weights == 16' "$tmp/eval.json"
"$petal" net show "$src/docs/examples/precision/network.yaml" --format json > "$tmp/net.json"
expect_jq '.layers[2].precision == {"Weights": 16, "Inputs": 8, "Outputs": 16, "Psums": 32, "float": []}' \
  "$tmp/net.json"

# docs/precision.md's table: the MAC energy of AlexNet at 8/8/8/16 is its MACs
# times an 8-bit multiply plus a 16-bit add over the 16-bit MAC of the 45 nm
# table, (0.2 + 0.05) / (0.2 x sqrt(3.1 / 0.2) + 0.1), in millions; at
# 16/16/16/16 a 16-bit multiply plus a 16-bit add over the same.
macs=$("$petal" net show alexnet --format json | jq '.totals.macs')
row() { grep -E "^\| alexnet \| $1 \|" "$src/docs/precision.md" | awk -F'|' '{printf "%.2f", $9}'; }
want8=$(awk -v m="$macs" 'BEGIN { printf "%.2f", m * 0.25 / (0.2 * sqrt(15.5) + 0.1) / 1e6 }')
want16=$(awk -v m="$macs" 'BEGIN { u = 0.2 * sqrt(15.5); printf "%.2f", m * (u + 0.05) / (u + 0.1) / 1e6 }')
expect_eq "AlexNet MAC energy at 8/8/8/16 in docs/precision.md" "$(row 8/8/8/16)" "$want8"
expect_eq "AlexNet MAC energy at 16/16/16/16 in docs/precision.md" "$(row 16/16/16/16)" "$want16"
finish
