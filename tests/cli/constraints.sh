#!/usr/bin/env bash
# Mapspace constraints on petal's own architectures (docs/formats.md,
# "Constraints"): in the architecture file and as --constraints for map and
# eval. The TPU-like weight-stationary example keeps input channels across
# and output channels down its array; what the search finds obeys every
# constraint, and its counts agree with the reference simulator. Bad entries
# are refused with file, line and field.
. "$(dirname "$0")/lib.sh"
ex=$src/docs/examples/mapper
tpu=$ex/tpu_ws.yaml

# The architecture's own constraints: X holds only C, Y only M, the array's
# registers keep only weights, the unified buffer inputs and outputs.
"$petal" map --net alexnet --layer conv3 --arch "$tpu" --threads 2 --format json > "$tmp/tpu.json"
expect_jq '.found and .complete' "$tmp/tpu.json"
expect_jq '[.mapping.levels[] | .spatial_x | keys[]] | unique == ["C"]' "$tmp/tpu.json"
expect_jq '[.mapping.levels[] | .spatial_y | keys[]] | unique == ["M"]' "$tmp/tpu.json"
expect_jq '.mapping.levels[2].keep == ["Weights"] and .mapping.levels[1].keep == ["Inputs", "Outputs"]' \
  "$tmp/tpu.json"
# On conv1 (3 input channels) the same array without them also puts output
# channels across it: the constraints did narrow the search.
sed '/^  constraints:/,$d' "$tpu" > "$tmp/free.yaml"
for arch in "$tpu" "$tmp/free.yaml"; do
  "$petal" map --net alexnet --layer conv1 --arch "$arch" --threads 2 --format json
done | jq -s . > "$tmp/conv1.json"
expect_jq '.[0].mapping.levels[1].spatial_x == {"C": 3} and
  (.[1].mapping.levels[1].spatial_x | has("M")) and .[1].energy_pj <= .[0].energy_pj' \
  "$tmp/conv1.json"

# A mapping found under the constraints runs on the reference simulator with
# the model's counts (petal sim exits 0 only when outputs and counts agree).
"$petal" map --net lenet5 --layer conv2 --arch "$tpu" --threads 2 --output "$tmp/m.yaml" >/dev/null
expect_exit 0 "$petal" sim --net lenet5 --layer conv2 --arch "$tpu" --mapping "$tmp/m.yaml"

# --constraints adds to the architecture's: a fixed spatial factor, a bound,
# and the innermost loop order.
"$petal" map --net alexnet --layer conv3 --arch "$tpu" --constraints "$ex/tpu_fixed.yaml" \
  --threads 2 --format json > "$tmp/fixed.json"
expect_jq '.mapping.levels[1].spatial_x == {"C": 4} and .mapping.levels[1].spatial_y == {"M": 8}' \
  "$tmp/fixed.json"
expect_jq '.mapping.levels[1].temporal.M <= 2 and .mapping.levels[1].order[-2:] == ["C", "M"]' \
  "$tmp/fixed.json"
# On a preset, --constraints alone.
cat > "$tmp/eyeriss.yaml" <<'YAML'
constraints:
  - level: glb
    spatial_x: [Q]
    spatial_y: [R]
  - level: psum_spad
    keep: [Outputs]
YAML
"$petal" map --net alexnet --layer conv1 --arch eyeriss-v1 --constraints "$tmp/eyeriss.yaml" \
  --effort 300k --threads 2 --format json > "$tmp/ey.json"
expect_jq '[.mapping.levels[] | .spatial_x | keys[]] - ["Q"] == []' "$tmp/ey.json"
expect_jq '[.mapping.levels[] | .spatial_y | keys[]] - ["R"] == [] and .mapping.levels[4].keep == ["Outputs"]' \
  "$tmp/ey.json"

# eval: every layer under the architecture's constraints, and --constraints.
expect_exit 0 "$petal" eval --net lenet5 --arch "$tpu" --threads 2
printf 'constraints:\n  - level: ubuf\n    temporal_max: {M: 2}\n    order: [C, M]\n' > "$tmp/m2.yaml"
expect_exit 0 "$petal" eval --net lenet5 --arch "$tpu" --constraints "$tmp/m2.yaml" --threads 2
# A constraint a layer cannot meet leaves it unmapped with the reason: lenet5's
# conv1 has one input channel, not the four tpu_fixed.yaml spreads.
expect_exit 1 "$petal" eval --net lenet5 --arch "$tpu" --constraints "$ex/tpu_fixed.yaml" --threads 2
expect_out '^no valid mapping for 1 layer \(#0 conv1\): .*spatial factor of 4 for C at ubuf' \
  "$petal" eval --net lenet5 --arch "$tpu" --constraints "$ex/tpu_fixed.yaml" --threads 2

# An unknown key is a warning with its place, given once however many layers
# the file is read for (eval reads it per layer), and the file still applies.
printf 'constraints:\n  - level: ubuf\n    colour: red\n' > "$tmp/colour.yaml"
"$petal" eval --net lenet5 --arch "$tpu" --constraints "$tmp/colour.yaml" --threads 2 \
  --effort 100k 2> "$tmp/colour.err" >/dev/null
expect_eq "unknown-key warnings for a 5-layer eval" \
  "$(grep -c "colour.yaml:3:5: unknown key 'colour' in constraints: level ubuf" "$tmp/colour.err")" 1

# Bad entries: file, line, field.
bad() { # bad NAME LINE REGEX YAML: map refuses it (exit 3) naming file:line and the field
  printf '%s' "$4" > "$tmp/$1.yaml"
  expect_exit 3 "$petal" map --net alexnet --layer conv3 --arch "$tpu" --constraints "$tmp/$1.yaml"
  expect_err "$1.yaml:$2:[0-9]+: .*$3" \
    "$petal" map --net alexnet --layer conv3 --arch "$tpu" --constraints "$tmp/$1.yaml"
}
bad level 2 "no level 'gbuf' \(its levels: DRAM, ubuf, wreg\)" $'constraints:\n  - level: gbuf\n'
bad dim 3 "spatial_x: 'K' is not a dimension of layer conv3" \
  $'constraints:\n  - level: ubuf\n    spatial_x: [K]\n'
bad axes 4 "M is in both spatial_x and spatial_y" \
  $'constraints:\n  - level: ubuf\n    spatial_x: [M]\n    spatial_y: [M, C]\n'
bad fanout 2 "level wreg has no fan-out below it" \
  $'constraints:\n  - level: wreg\n    spatial_x: [C]\n'
bad hold 3 "keep: Inputs, but the level cannot hold it" \
  $'constraints:\n  - level: wreg\n    keep: [Inputs]\n'
bad factor 3 "temporal: M: expected a factor of at least 1" \
  $'constraints:\n  - level: ubuf\n    temporal: {M: 0}\n'
bad twice 3 "level ubuf is constrained twice \(also at line 2\)" \
  $'constraints:\n  - level: ubuf\n  - level: ubuf\n'
bad form 1 "expected a top-level 'constraints:' list" $'levels: []\n'
# In an architecture file, a bad entry is refused as the file loads.
sed 's/level: wreg /level: vreg /' "$tpu" > "$tmp/badarch.yaml"
expect_exit 3 "$petal" arch show "$tmp/badarch.yaml"
expect_err "badarch.yaml:[0-9]+:[0-9]+: constraints: level: architecture tpu-ws has no level 'vreg'" \
  "$petal" arch show "$tmp/badarch.yaml"
expect_exit 2 "$petal" eval --net lenet5 --arch "$tpu" --constraints
finish
