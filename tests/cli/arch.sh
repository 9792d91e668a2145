#!/usr/bin/env bash
# `petal arch`: presets, the documented example file, JSON fields, bad files with
# positions and exit codes.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$petal" arch --help
expect_exit 0 "$petal" arch list
for preset in eyeriss-v1 eyeriss-256 simple-ws simple-os; do
  expect_out "^$preset " "$petal" arch list
  expect_exit 0 "$petal" arch show "$preset"
  expect_exit 0 "$petal" arch show "$preset" --format json
done
expect_out '"name": "eyeriss-256"' "$petal" arch list --format json

# eyeriss-v1 as the chip: 168 PEs on a 14x12 mesh below a 108 kB buffer, 200 MHz.
expect_out '"clock_hz": 200000000' "$petal" arch show eyeriss-v1 --format json
expect_out '"depth": 55296' "$petal" arch show eyeriss-v1 --format json
expect_out '"fanout": 168' "$petal" arch show eyeriss-v1 --format json
expect_out '"fanout_x": 14' "$petal" arch show eyeriss-v1 --format json
expect_out '"depth": 224' "$petal" arch show eyeriss-v1 --format json
expect_out '"mac_pj": 1,' "$petal" arch show eyeriss-v1 --format json
expect_out '"total_area_um2"' "$petal" arch show eyeriss-v1 --format json
expect_out '^glb +SRAM +55296 +16 +1 +1 \(1x1\) +168 \(14x12\)' "$petal" arch show eyeriss-v1
expect_out '^filter_spad +regfile +224 .*Weights$' "$petal" arch show eyeriss-v1
expect_out '^total area: [0-9]+ um2' "$petal" arch show eyeriss-v1

# The example in docs/formats.md.
example=$src/docs/examples/arch.yaml
expect_exit 0 "$petal" arch show "$example"
expect_out '^architecture example-accel: 4 storage levels, 64 MACs, clock 500 MHz' "$petal" arch show "$example"
expect_out '^cluster +none .* 4 \(2x2\) +16 \(4x4\)' "$petal" arch show "$example"
expect_out '"hop_pj": 0.5' "$petal" arch show "$example" --format json
expect_out '"read_pj": 0.3' "$petal" arch show "$example" --format json

# An architecture whose figures give no area says so, not "0 um2".
cat > "$tmp/no_area.yaml" <<'YAML'
architecture:
  levels:
    - {name: DRAM, class: DRAM, read_pj: 100, fill_pj: 100}
    - {name: rf, class: regfile, depth: 64, read_pj: 1, fill_pj: 1}
  arithmetic: {name: mac, mac_pj: 1}
YAML
expect_out '^total area: not given' "$petal" arch show "$tmp/no_area.yaml"

# Bad files: position, field, exit 3.
cat > "$tmp/bad_class.yaml" <<'YAML'
architecture:
  energy: eyeriss-65nm
  levels:
    - name: DRAM
      class: DRAM
    - name: buf
      class: SRMA
      depth: 1024
  arithmetic: {instances: 1}
YAML
expect_exit 3 "$petal" arch show "$tmp/bad_class.yaml"
expect_err 'bad_class.yaml:7:14: level buf: class: expected DRAM, SRAM, regfile or none' \
  "$petal" arch show "$tmp/bad_class.yaml"

cat > "$tmp/bad_fanout.yaml" <<'YAML'
architecture:
  energy: horowitz-45nm
  levels:
    - {name: DRAM, class: DRAM}
    - {name: buf, class: SRAM, depth: 1024, mesh_x: 3}
    - {name: rf, class: regfile, depth: 16, mesh_x: 16}
  arithmetic: {mesh_x: 16}
YAML
expect_exit 3 "$petal" arch show "$tmp/bad_fanout.yaml"
expect_err 'bad_fanout.yaml:6:53: rf: instances: a 16x1 mesh is not a whole multiple of the 3x1' \
  "$petal" arch show "$tmp/bad_fanout.yaml"

# A link narrower than one word, and a network for something that is no data space.
sed 's/network_bits: {Weights: 16}/network_bits: {Weights: 8}/' \
  "$src/docs/examples/model/arch-network.yaml" > "$tmp/bad_link.yaml"
expect_exit 3 "$petal" arch show "$tmp/bad_link.yaml"
expect_err 'bad_link.yaml:22:21: level rf: network_bits: the Weights link carries 8 bits per cycle, narrower than one 16-bit word of the level' \
  "$petal" arch show "$tmp/bad_link.yaml"
sed 's/network_bits: {Weights: 16}/network_bits: {Bias: 16}/' \
  "$src/docs/examples/model/arch-network.yaml" > "$tmp/bad_link_ds.yaml"
expect_err "bad_link_ds.yaml:22:22: level rf: network_bits: 'Bias' is not a data space" \
  "$petal" arch show "$tmp/bad_link_ds.yaml"

printf 'architecture:\n  levels: [\n' > "$tmp/bad_syntax.yaml"
expect_exit 3 "$petal" arch show "$tmp/bad_syntax.yaml"
expect_err 'bad_syntax.yaml:[0-9]+:[0-9]+: malformed YAML' "$petal" arch show "$tmp/bad_syntax.yaml"

cat > "$tmp/unknown_key.yaml" <<'YAML'
architecture:
  energy: eyeriss-65nm
  levels:
    - {name: DRAM, class: DRAM, colour: blue}
  arithmetic: {}
YAML
expect_exit 0 "$petal" arch show "$tmp/unknown_key.yaml"
expect_err "warning: .*unknown_key.yaml:4:33: unknown key 'colour' in level DRAM" \
  "$petal" arch show "$tmp/unknown_key.yaml"

expect_exit 3 "$petal" arch show no-such-arch
expect_err 'known architectures: eyeriss-v1, eyeriss-256, simple-ws, simple-os' \
  "$petal" arch show no-such-arch
expect_exit 3 "$petal" arch show "$tmp/missing.yaml"
expect_exit 2 "$petal" arch
expect_exit 2 "$petal" arch show
expect_exit 2 "$petal" arch show eyeriss-v1 --format csv
expect_exit 2 "$petal" arch show eyeriss-v1 extra
expect_exit 2 "$petal" arch frobnicate
expect_doc_example "## Architectures" "$src/docs/formats.md" "$src/docs/examples/arch.yaml"
finish
