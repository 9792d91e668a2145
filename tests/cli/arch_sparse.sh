#!/usr/bin/env bash
# Sparse features in petal's architecture YAML (docs/formats.md, "Sparse
# features"): the documented example is the eyeriss-v1 preset written as a
# file, so the two inputs must print and model alike; its gated counts are
# checked against numbers worked by hand and against the simulator's actual
# counts on real sparse tensors; bad blocks fail with file, line and field.
. "$(dirname "$0")/lib.sh"

example=$src/docs/examples/eyeriss-v1-sparse.yaml
mapping=$src/docs/examples/mapping.yaml   # LeNet-5 conv2 on eyeriss-v1
expect_doc_example '### Sparse features' "$src/docs/formats.md" "$example"

# arch show: the sparse lines of the preset, and JSON equal but for the name.
expect_out '^  DRAM: Inputs stored as RLE \(5-bit runs, 16-bit values\)$' "$petal" arch show "$example"
expect_out '^  filter_spad: gating of Weights accesses when the Inputs value is zero$' \
  "$petal" arch show "$example"
expect_out '^  mac: gating of MACs' "$petal" arch show "$example"
"$petal" arch show eyeriss-v1 --format json | grep -v '"name": "eyeriss-v1' > "$tmp/preset.json"
"$petal" arch show "$example" --format json | grep -v '"name": "eyeriss-v1' > "$tmp/file.json"
checks=$((checks + 1))
if ! diff "$tmp/preset.json" "$tmp/file.json" >/dev/null; then
  echo "FAIL: arch show --format json: the example differs from the eyeriss-v1 preset"
  failures=$((failures + 1))
fi

# petal model with Inputs half zero (fixed_structured): the file and the preset
# give the same model, to the last field.
model() {
  "$petal" model --net lenet5 --layer conv2 --arch "$1" --mapping "$mapping" \
    --density Inputs=0.5 --format json 2>/dev/null
}
model eyeriss-v1 > "$tmp/preset_model.json"
model "$example" > "$tmp/file_model.json"
checks=$((checks + 1))
if [ ! -s "$tmp/preset_model.json" ] || ! diff "$tmp/preset_model.json" "$tmp/file_model.json" >/dev/null; then
  echo "FAIL: petal model: the example and the eyeriss-v1 preset give different results"
  failures=$((failures + 1))
fi

# By hand (docs/sparsity.md, rules 2-6): conv2 has 16x6x10x10x5x5 = 240000 MACs.
# Each filter_spad read serves one MAC, whose single Inputs value is zero with
# probability 0.5, so half of its 240000 reads are gated; that cuts the MACs
# too (rule 5: 120000 remain). psum_spad's 224000 reads and 240000 updates
# are each halved the same way. DRAM sends the 1176 Inputs words run-length
# coded: 588 non-zeros, each with one 5-bit run.
f=$tmp/file_model.json
lvl() { printf '.levels[] | select(.name == "%s") | .data_spaces.%s' "$1" "$2"; }
expect_jq '.computes == 240000 and .actual_computes == 120000' "$f"
expect_jq "$(lvl filter_spad Weights) | .algorithmic_reads == 240000 and .gated_reads == 120000 and .reads == 120000" "$f"
expect_jq "$(lvl psum_spad Outputs) | .algorithmic_reads == 224000 and .gated_reads == 112000 and .reads == 112000" "$f"
expect_jq "$(lvl psum_spad Outputs) | .gated_updates == 120000 and .updates == 120000" "$f"
expect_jq "$(lvl DRAM Inputs) | .algorithmic_reads == 1176 and .reads == 588 and .metadata_reads == 588" "$f"
expect_jq "$(lvl ifmap_spad Inputs) | .gated_reads == 0 and .reads == 240000" "$f"

# The simulator runs the mapping on real tensors with half the Inputs zero and
# counts the accesses the gating leaves; it does not run flattened RLE ranks
# yet, so it takes the example without its DRAM coding. Its actual counts at
# the gated scratchpads must be the model's.
awk '/^      sparse:$/ && !done { skip = 1; done = 1; next }
     skip && /^    - name:/ { skip = 0 } !skip' "$example" > "$tmp/gating.yaml"
"$petal" sim --net lenet5 --layer conv2 --arch "$tmp/gating.yaml" --mapping "$mapping" \
  --density Inputs=0.5 --format json > "$tmp/sim.json" 2>/dev/null
s=$tmp/sim.json
expect_jq "$(lvl filter_spad Weights) | .reads == 120000" "$s"
expect_jq "$(lvl psum_spad Outputs) | .reads == 112000 and .updates == 120000" "$s"
expect_jq "$(lvl DRAM Inputs) | .reads == 1176" "$s"
# Its JSON carries the sparse counts under the model's keys: the gating it
# applied to the zeros it drew, the operations done on non-zero ifmaps (half), and the
# model agrees with every count (multicast taken per algorithmic read).
expect_jq "$(lvl psum_spad Outputs) | .algorithmic_reads == 224000 and .gated_reads == 112000" "$s"
expect_jq "$(lvl ifmap_spad Inputs) | .gated_reads == 0 and .skipped_reads == 0" "$s"
expect_jq '.computes == 240000 and .actual_computes == 120000 and .model_agrees' "$s"
# Its text says how many cycles wait beyond the compute's: never more than all.
read -r cyc comp wait < <("$petal" sim --net lenet5 --layer conv2 --arch "$tmp/gating.yaml" \
  --mapping "$mapping" --density Inputs=0.5 2>/dev/null |
  sed -n 's/^cycles: \([0-9]*\) (compute \([0-9]*\)), of which \([0-9]*\) wait.*/\1 \2 \3/p') || true
expect_eq "sim text: cycles - compute = wait" "$((cyc - comp))" "${wait:-none}"

# Bad blocks: file, line, column and field; exit 3.
bad_arch() { # NAME LEVEL_SPARSE_BLOCK (indented 6) [ARITH_SPARSE]
  { printf 'architecture:\n  energy: eyeriss-65nm\n  levels:\n'
    printf '    - name: DRAM\n      class: DRAM\n'
    printf '    - name: pe\n      class: regfile\n      depth: 16\n      data_spaces: [Weights, Inputs]\n'
    printf '%s\n' "$2"
    printf '  arithmetic:\n    instances: 1\n%s\n' "${3-}"; } > "$tmp/$1.yaml"
}
expect_bad() { # NAME REGEX
  expect_exit 3 "$petal" arch show "$tmp/$1.yaml"
  expect_err "$2" "$petal" arch show "$tmp/$1.yaml"
}
bad_arch unknown_format '      sparse:
        representation_format:
          data_spaces: [{name: Inputs, ranks: [{format: CSR}]}]'
expect_bad unknown_format "unknown_format\\.yaml:12:57: format: 'CSR' is not a format \\(expected U, B, RLE, CP, UOP or UB\\)"
bad_arch no_space '      sparse:
        action_optimization:
          - type: gating
            options: [{target: Weights, condition_on: [Bias]}]'
expect_bad no_space "no_space\\.yaml:13:56: condition_on: 'Bias' names no data space \\(expected Weights, Inputs or Outputs\\)"
bad_arch empty_condition '      sparse:
        action_optimization:
          - type: gating
            options: [{target: Weights, condition_on: []}]'
expect_bad empty_condition "empty_condition\\.yaml:13:55: condition_on: expected a list naming at least one data space"
bad_arch bad_name '      sparse:
        representation_format:
          data_spaces: [{name: Activations, ranks: [{format: B}]}]'
expect_bad bad_name "bad_name\\.yaml:12:32: representation_format: name: 'Activations' names no data space"
bad_arch many_ranks '      sparse:
        representation_format:
          data_spaces: [{name: Inputs, ranks: [{format: U}, {format: U}, {format: U}, {format: U}, {format: U}, {format: U}, {format: U}, {format: U}, {format: CP}]}]'
expect_bad many_ranks "many_ranks\\.yaml:12:47: representation_format: ranks: 9 ranks for Inputs, but its tiles have at most 8 dimensions"
bad_arch dim_names '      sparse:
        representation_format:
          data_spaces: [{name: Inputs, ranks: [{format: RLE, flattened_rankIDs: [[C, P, Q]]}]}]'
expect_bad dim_names "dim_names\\.yaml:12:83: flattened_rankIDs: 'C': an architecture read without a layer cannot resolve dimension names; expected \`all\`"
bad_arch not_held '      sparse:
        representation_format:
          data_spaces: [{name: Outputs, ranks: [{format: B}]}]'
expect_bad not_held "not_held\\.yaml:11:9: level pe: sparse: Outputs is coded or gated here, but the level does not hold it \\(data_spaces\\)"
bad_arch compute_at_level '      sparse:
        compute_optimization: gating'
expect_bad compute_at_level "compute_at_level\\.yaml:11:31: compute_optimization belongs to the compute level"
bad_arch format_at_mac '' '    sparse:
      representation_format: {data_spaces: [{name: Inputs, ranks: [{format: B}]}]}'
expect_bad format_at_mac "format_at_mac\\.yaml:14:30: the MACs hold no data: representation_format and action_optimization belong to storage levels"
bad_arch bad_type '' '    sparse: {compute_optimization: sometimes}'
expect_bad bad_type "bad_type\\.yaml:13:36: compute_optimization: type: expected gating or skipping"

bad_arch depth_no_width '      sparse:
        metadata_storage_depth: 128'
expect_bad depth_no_width "depth_no_width\\.yaml:11:33: level pe: sparse: metadata_storage_depth needs metadata_storage_width"
bad_arch zero_width '      sparse: {metadata_storage_width: 0}'
expect_bad zero_width "zero_width\\.yaml:10:40: level pe: sparse: metadata_storage_width: 0, expected 1 to 65536"
bad_arch md_energy_no_width '      sparse:
        gated_read_pj: 0.5
        metadata_read_pj: 2'
expect_bad md_energy_no_width "md_energy_no_width\\.yaml:12:27: level pe: sparse: metadata_read_pj: needs metadata_storage_width: metadata energy is per metadata storage word"
bad_arch negative_energy '      sparse: {gated_update_pj: -1}'
expect_bad negative_energy "negative_energy\\.yaml:10:33: level pe: sparse: gated_update_pj: expected an energy in pJ >= 0, found -1"
bad_arch mac_energy_at_level '      sparse: {gated_mac_pj: 0.1}'
expect_bad mac_energy_at_level "mac_energy_at_level\\.yaml:10:30: level pe: sparse: gated_mac_pj belongs to the MACs"
bad_arch width_at_mac '' '    sparse: {metadata_storage_width: 8}'
expect_bad width_at_mac "width_at_mac\\.yaml:13:38: arithmetic: sparse: metadata_storage_width belongs to a storage level, not the MACs"

# Metadata storage and sparse energies (docs/formats.md, "Sparse features"),
# by hand on the example without filter_spad's gating: conv2 with half its
# Inputs zero. psum_spad: 112000 actual and 112000 gated reads at 1 and 0.2,
# 120000 actual and 120000 gated updates at 1 and 0.3; the MACs: 120000 actual
# at 1 and 120000 gated at 0.1; DRAM: 588 five-bit runs, 2940 bits, in
# ceil(2940 / 64) = 46 metadata words at 100 beside 588 words at 200.
energy_example=$src/docs/examples/sparse-energy.yaml
"$petal" model --net lenet5 --layer conv2 --arch "$energy_example" --mapping "$mapping" \
  --density Inputs=0.5 --format json > "$tmp/energy.json" 2>/dev/null
e=$tmp/energy.json
expect_jq '.actual_computes == 120000 and .gated_computes == 120000 and .mac_energy_pj == 132000' "$e"
expect_jq "$(lvl psum_spad Outputs) | .gated_reads == 112000 and .read_energy_pj == 134400 and .update_energy_pj == 156000" "$e"
expect_jq "$(lvl DRAM Inputs) | .metadata_reads == 588 and .read_energy_pj == 122200" "$e"
"$petal" arch show "$energy_example" --format json > "$tmp/energy_arch.json"
expect_jq '.levels[] | select(.name == "DRAM") | .sparse | .metadata_storage_width == 64 and .energy.metadata_read_pj == 100' "$tmp/energy_arch.json"

# A key in the wrong place is refused, not warned about and ignored.
expect_exit 3 "$petal" arch show "$tmp/compute_at_level.yaml"
checks=$((checks + 1))
if "$petal" arch show "$tmp/compute_at_level.yaml" 2>&1 | grep -q warning; then
  echo "FAIL: compute_optimization on a level: a warning beside the error"
  failures=$((failures + 1))
fi

finish
