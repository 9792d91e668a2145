#!/usr/bin/env bash
# Densities from the user (docs/densities.md): --density and --density-profile
# reach every command that evaluates layers (map's and eval's JSON name the
# layer's densities), network YAML densities per network and per layer, the
# expected non-zero MACs worked out by hand, eval's and sheet's figures per
# non-zero MAC as their quotients, dense runs unchanged by the flags' absence,
# and the eyeriss-v1 preset's sparse features in `arch show`.
. "$(dirname "$0")/lib.sh"
ex=$src/docs/examples/densities

# The docs' YAML blocks are the example files.
expect_doc_example '## Where densities come from' "$src/docs/densities.md" "$ex/network.yaml"
expect_doc_example '## Density profiles' "$src/docs/densities.md" "$ex/alexnet-eyeriss-v1.yaml"

# Network YAML: the network's density, overridden data space by data space.
"$petal" net show "$ex/network.yaml" --format json > "$tmp/net.json"
expect_jq '.layers[0].density == {"Weights": {"distribution": "fixed_structured", "density": 0.5}}' \
  "$tmp/net.json"
expect_jq '.layers[1].density.Inputs == {"distribution": "fixed_structured", "density": 0.6}' \
  "$tmp/net.json"
expect_jq '.layers[2].density.Weights == {"distribution": "hypergeometric", "density": 0.1}' \
  "$tmp/net.json"
expect_jq '.layers[2].density.Outputs.density == 0.9' "$tmp/net.json"
# 42336 x 0.5 + 165888 x 0.5 x 0.6 + 10240 x 0.1 x 0.6 = 71548.8.
expect_jq '(.totals.nonzero_macs - 71548.8 | fabs) < 1e-6' "$tmp/net.json"
expect_jq '.totals.nonzero_weights == 1708' "$tmp/net.json"

# --density over the file; a profile under --density.
"$petal" net show "$ex/network.yaml" --density Weights=dense --format json > "$tmp/net2.json"
expect_jq '.layers[0] | has("density") | not' "$tmp/net2.json"
expect_jq '(.totals.nonzero_macs - (42336 + 165888 * 0.6 + 10240 * 0.6) | fabs) < 1e-6' \
  "$tmp/net2.json"
"$petal" net show alexnet-2012 --density-profile "$ex/alexnet-eyeriss-v1.yaml" \
  --density Weights=hypergeometric:0.5 --format json > "$tmp/alex.json"
expect_jq '[.layers[] | .density.Inputs.density // 1] == [0.9999, 0.613, 0.275, 0.207, 0.224, 1, 1, 1]' \
  "$tmp/alex.json"
expect_jq '[.layers[] | .density.Weights.distribution] | unique == ["hypergeometric"]' "$tmp/alex.json"

# The flags reach map's problem (JSON: density, nonzero_macs) and its Timeloop form.
"$petal" map --net lenet5 --layer conv2 --arch eyeriss-v1 --dataflow rs --effort 2000 \
  --density Weights=0.25,Inputs=hypergeometric:0.5 --format json > "$tmp/map.json"
expect_jq '.density.Weights.density == 0.25 and .density.Inputs.distribution == "hypergeometric"' \
  "$tmp/map.json"
expect_jq '.nonzero_macs == 240000 * 0.25 * 0.5' "$tmp/map.json"
"$petal" map --net lenet5 --layer conv2 --arch eyeriss-v1 --dataflow rs --effort 2000 \
  --density-profile "$tmp/none.yaml" > /dev/null 2>&1
expect_eq "map with a missing profile exits" "$?" 3
tl=$shared/reference/timeloop-exercises/tutorial-timeloop/01-model-conv1d-2level
expect_exit 2 "$petal" map --problem "$tl/prob/conv1d.prob.yaml" --arch "$tl/arch/2level.arch.yaml" \
  --density-profile "$ex/alexnet-eyeriss-v1.yaml"
expect_exit 0 "$petal" model --problem "$tl/prob/conv1d.prob.yaml" --arch "$tl/arch/2level.arch.yaml" \
  --mapping "$tl/map/conv1d-2level-os.map.yaml" --density Inputs=0.5
# model and sim take the flags (the counts with densities are the sparse model's).
lenet=(--net lenet5 --layer conv2 --arch eyeriss-v1 --mapping "$src/docs/examples/precision/lenet5_conv2.yaml"
  --precision Weights=8,Inputs=8)
expect_exit 0 "$petal" model "${lenet[@]}" --density Weights=0.5
expect_exit 2 "$petal" model "${lenet[@]}" --density Weights=uniform:0.5
expect_err "alexnet-eyeriss-v1\\.yaml:12:3: densities: network lenet5 has no layer named 'conv4'" \
  "$petal" sim "${lenet[@]}" --density-profile "$ex/alexnet-eyeriss-v1.yaml"

# eval: the expected non-zero MACs, and the figures per non-zero MAC are the
# energy and DRAM bytes over them (whatever the model counts).
"$petal" eval --net "$ex/network.yaml" --arch eyeriss-v1 --dataflow rs --effort 20000 --format json > "$tmp/eval.json"
expect_jq '.totals.sparse == true and ((.totals.nonzero_macs - 71548.8) | fabs) < 1e-6' "$tmp/eval.json"
expect_jq '.totals | ((.energy_per_nonzero_mac_pj * .nonzero_macs / .energy_pj) - 1 | fabs) < 1e-12' \
  "$tmp/eval.json"
expect_jq '[.layers[] | (.dram_bytes_per_nonzero_mac * .nonzero_macs - .dram_bytes | fabs) < 1e-6] | all' \
  "$tmp/eval.json"
expect_jq '[.layers[] | .nonzero_macs] == [21168, 49766.4, 614.4]' "$tmp/eval.json"
"$petal" eval --net "$ex/network.yaml" --arch eyeriss-v1 --dataflow rs --effort 20000 > "$tmp/eval.txt"
expect_out '^non-zero MACs: 71548.8 expected \(a MAC whose weight and input are both non-zero' \
  cat "$tmp/eval.txt"
"$petal" eval --net "$ex/network.yaml" --arch eyeriss-v1 --dataflow rs --effort 20000 --format csv > "$tmp/eval.csv"
expect_out ',nonzero_macs,mac_per_nonzero_mac,dram_bytes,dram_bytes_per_nonzero_mac$' head -1 "$tmp/eval.csv"
expect_out '^2,f1,.*,614\.[0-9]+,[0-9.e+-]+,[0-9]+,[0-9.e+-]+$' cat "$tmp/eval.csv"
# A density of 0: no non-zero MAC, so no figure per non-zero MAC (null, not a division by 0).
"$petal" eval --net "$ex/network.yaml" --arch eyeriss-v1 --dataflow rs --effort 20000 --density Inputs=0 \
  --format json > "$tmp/zero.json"
expect_jq '.totals.nonzero_macs == 0 and .totals.energy_per_nonzero_mac_pj == null' "$tmp/zero.json"

# Dense: no densities, no sparse line, and the figures per non-zero MAC equal those per MAC.
"$petal" eval --net lenet5 --arch simple-ws --dataflow ws --effort 20000 --format json > "$tmp/dense.json"
expect_jq '.totals.sparse == false and .totals.nonzero_macs == .totals.macs' "$tmp/dense.json"
expect_jq '.totals | (.dram_bytes_per_nonzero_mac - .dram_bytes_per_mac | fabs) < 1e-15' "$tmp/dense.json"
expect_jq '[.layers[] | has("density")] | any | not' "$tmp/dense.json"

# sheet: non-zero counts from the densities, the rows per non-zero MAC as quotients.
"$petal" sheet --net "$ex/network.yaml" --arch eyeriss-v1 --dataflow rs --effort 20000 --format json > "$tmp/sheet.json"
expect_jq '.dense == false and .nonzero_macs == 71549 and .nonzero_weights == 1708' "$tmp/sheet.json"
expect_jq '.architectures[0] | ((.energy_per_nonzero_mac * 71548.8 / .energy_per_inference) - 1 | fabs) < 1e-12' \
  "$tmp/sheet.json"
"$petal" sheet --net "$ex/network.yaml" --arch eyeriss-v1 --dataflow rs --effort 20000 > "$tmp/sheet.txt"
expect_out '^energy per non-zero MAC ' cat "$tmp/sheet.txt"
expect_out '^DRAM bytes per MAC ' cat "$tmp/sheet.txt"
expect_out '^non-zero counts expected from the layers. densities' cat "$tmp/sheet.txt"

# The eyeriss-v1 preset's sparse features, as data.
"$petal" arch show eyeriss-v1 > "$tmp/arch.txt"
expect_out '^  filter_spad: gating of Weights accesses when the Inputs value is zero$' cat "$tmp/arch.txt"
expect_out '^  psum_spad: gating of Outputs accesses when the Inputs value is zero$' cat "$tmp/arch.txt"
expect_out '^  DRAM: Inputs stored as RLE \(5-bit runs, 16-bit values\)$' cat "$tmp/arch.txt"
expect_out '^  DRAM: Outputs stored as RLE \(5-bit runs, 16-bit values\)$' cat "$tmp/arch.txt"
expect_out '^  mac: gating of MACs' cat "$tmp/arch.txt"
"$petal" arch show eyeriss-v1 --format json > "$tmp/arch.json"
expect_jq '.arithmetic.sparse == "gating"' "$tmp/arch.json"
expect_jq '[.levels[] | select(.name == "filter_spad") | .sparse.action_optimization[0]] == [{"type": "gating", "target": "Weights", "condition_on": ["Inputs"]}]' \
  "$tmp/arch.json"
expect_jq '.levels[0].sparse.representation_format.Weights == null' "$tmp/arch.json"
"$petal" arch show eyeriss-256 > "$tmp/plain.txt"
checks=$((checks + 1))
if grep -q 'sparse features' "$tmp/plain.txt"; then
  echo "FAIL: eyeriss-256 has no sparse features but arch show lists some"; failures=$((failures + 1))
fi
finish
