#!/usr/bin/env bash
# `petal mapping show`: the documented example as a loop nest and as YAML that
# reads back the same, bad files with positions and exit codes.
. "$(dirname "$0")/lib.sh"

example=$src/docs/examples/mapping.yaml
show=("$petal" mapping show --net lenet5 --layer conv2 --arch eyeriss-v1)

expect_exit 0 "$petal" mapping --help
expect_exit 0 "${show[@]}" --mapping "$example"
expect_out '^layer conv2 on eyeriss-v1' "${show[@]}" --mapping "$example"
expect_out '^glb \[keeps Inputs Outputs\]' "${show[@]}" --mapping "$example"
expect_out '^\|       for P in \[0:10\) \(spatial X\)$' "${show[@]}" --mapping "$example"
expect_out '^\|           for R in \[0:5\) \(spatial Y\)$' "${show[@]}" --mapping "$example"
expect_out '<< compute: mac, 168 MACs >>' "${show[@]}" --mapping "$example"
# By index too.
expect_out 'for S in \[0:5\)' "$petal" mapping show --net lenet5 --layer 1 --arch eyeriss-v1 \
  --mapping "$example"

# --format yaml writes a mapping that reads back to the same loop nest.
"${show[@]}" --mapping "$example" --format yaml > "$tmp/again.yaml"
"${show[@]}" --mapping "$example" > "$tmp/nest1.txt"
"${show[@]}" --mapping "$tmp/again.yaml" > "$tmp/nest2.txt"
checks=$((checks + 1))
if ! cmp -s "$tmp/nest1.txt" "$tmp/nest2.txt"; then
  echo "FAIL: the YAML written by --format yaml does not read back to the same nest"
  failures=$((failures + 1))
fi
expect_out '^    - level: ifmap_spad$' "${show[@]}" --mapping "$example" --format yaml

cat > "$tmp/bad_dim.yaml" <<'YAML'
mapping:
  levels:
    - level: glb
      temporal: {M: 2, K: 4}
YAML
expect_exit 3 "${show[@]}" --mapping "$tmp/bad_dim.yaml"
expect_err "bad_dim.yaml:4:24: level glb: temporal: 'K' is not a dimension of layer conv2" \
  "${show[@]}" --mapping "$tmp/bad_dim.yaml"

cat > "$tmp/bad_level.yaml" <<'YAML'
mapping:
  levels:
    - level: DRAM
    - level: gbuf
YAML
expect_exit 3 "${show[@]}" --mapping "$tmp/bad_level.yaml"
expect_err "bad_level.yaml:4:14: level: architecture eyeriss-v1 has no level 'gbuf'" \
  "${show[@]}" --mapping "$tmp/bad_level.yaml"

cat > "$tmp/bad_factor.yaml" <<'YAML'
mapping:
  levels:
    - level: DRAM
      spatial_x: {Q: 0}
YAML
expect_exit 3 "${show[@]}" --mapping "$tmp/bad_factor.yaml"
expect_err "bad_factor.yaml:4:22: level DRAM: spatial_x: Q: expected a factor of at least 1" \
  "${show[@]}" --mapping "$tmp/bad_factor.yaml"

# A mapping written for another layer still loads, with a warning.
printf 'mapping:\n  layer: conv1\n' > "$tmp/other_layer.yaml"
expect_exit 0 "${show[@]}" --mapping "$tmp/other_layer.yaml"
expect_err 'other_layer.yaml:2:10: mapping written for layer conv1, used for layer conv2' \
  "${show[@]}" --mapping "$tmp/other_layer.yaml"

expect_exit 3 "${show[@]}" --mapping "$tmp/missing.yaml"
expect_exit 3 "$petal" mapping show --net lenet5 --layer conv99 --arch eyeriss-v1 --mapping "$example"
expect_exit 3 "$petal" mapping show --net lenet5 --layer conv2 --arch nope --mapping "$example"
expect_exit 3 "$petal" mapping show --net nope --layer conv2 --arch eyeriss-v1 --mapping "$example"
expect_exit 2 "$petal" mapping show --net lenet5 --layer conv2 --arch eyeriss-v1
expect_exit 2 "${show[@]}" --mapping "$example" --format json
expect_exit 2 "${show[@]}" --mapping
expect_exit 2 "$petal" mapping
expect_exit 2 "$petal" mapping draw
expect_doc_example "## Mappings" "$src/docs/formats.md" "$src/docs/examples/mapping.yaml"
finish
