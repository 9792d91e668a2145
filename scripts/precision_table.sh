#!/usr/bin/env bash
# precision_table.sh - the table of docs/precision.md, made by petal itself:
# AlexNet and ResNet-18 on eyeriss-v1 with the row-stationary dataflow at
# several word widths (weights/inputs/outputs/partial sums), from
# `petal eval --format json`. Energies are in multiples of one 16-bit MAC
# (eyeriss-65nm), per inference, split by level.
#
#   scripts/precision_table.sh PETAL [EFFORT]
#
# Each layer shape's search has eval's default effort (or EFFORT), so the
# table is the same on any machine; the "gap" column says how far from proven
# optimal the worst layer stayed.
set -euo pipefail
petal=$1
effort=()
[ $# -ge 2 ] && effort=(--effort "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

configs=(
  "16/16/16/16 Weights=16,Inputs=16,Outputs=16,Psums=16"
  "8/8/8/16 Weights=8,Inputs=8,Outputs=8,Psums=16"
  "8/8/8/24 Weights=8,Inputs=8,Outputs=8,Psums=24"
  "4/8/8/24 Weights=4,Inputs=8,Outputs=8,Psums=24"
)
echo "| network | W/I/O/Psum bits | energy per inference (M) | DRAM | buffer | NoC | RF | MAC | DRAM bytes per MAC | layers whose best mapping changed | largest gap |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for net in alexnet resnet18; do
  for k in "${!configs[@]}"; do
    set -- ${configs[$k]}
    label=$1 widths=$2
    "$petal" eval --net "$net" --arch eyeriss-v1 --dataflow rs "${effort[@]}" \
      --precision "$widths" --format json > "$tmp/$net-$k.json"
    base=$tmp/$net-0.json
    jq -r --arg cfg "$label" --slurpfile base "$base" '
      def m: . / 1e6 | (. * 100 | round) / 100;
      def sp(k): [.layers[].energy_split_pj[k]] | add;
      ([.layers | to_entries[] | select(.value.mapping != $base[0].layers[.key].mapping)]
        | length) as $changed
      | ([.layers[].gap // 0] | max * 100 | . * 10 | round / 10) as $gap
      | "| \(.net) | \($cfg) | \(.totals.energy_per_inference_pj | m) | \(sp("dram") | m) | "
        + "\(sp("buffer") | m) | \(sp("noc") | m) | \(sp("rf") | m) | \(sp("mac") | m) | "
        + "\(.totals.dram_bytes_per_mac * 10000 | round / 10000) | \($changed) of \(.layers | length) | \($gap)% |"
    ' "$tmp/$net-$k.json"
  done
done
