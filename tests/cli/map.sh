#!/usr/bin/env bash
# `petal map`: the best mapping loads back into `petal model` with the energy
# the search reported, JSON keys, budgets, Timeloop inputs, impossible
# requests (exit 1 and why) and bad flags.
. "$(dirname "$0")/lib.sh"

map=("$petal" map --net alexnet --layer conv1 --arch eyeriss-v1 --dataflow rs --threads 2)
expect_exit 0 "$petal" map --help
expect_out '^usage: petal map' "$petal" map --help
expect_exit 0 "${map[@]}"
expect_out '^# search: complete, this mapping is optimal' "${map[@]}"
expect_out '^mapping:' "${map[@]}"

# The output is a mapping: petal model reads it and finds the same energy.
"${map[@]}" > "$tmp/m.yaml"
# (eyeriss-v1's energies are normalised: in MACs, not pJ.)
energy=$(sed -n 's/^# energy \([^ ]*\) MAC .*/\1/p' "$tmp/m.yaml")
expect_out "energy ${energy} MAC " \
  "$petal" model --net alexnet --layer conv1 --arch eyeriss-v1 --mapping "$tmp/m.yaml"
# --output writes the mapping alone; it reads back the same.
expect_exit 0 "${map[@]}" --output "$tmp/out.yaml"
expect_exit 0 "$petal" model --net alexnet --layer conv1 --arch eyeriss-v1 --mapping "$tmp/out.yaml"
expect_out '^mapping:' cat "$tmp/out.yaml"

# JSON: the documented keys.
"${map[@]}" --format json > "$tmp/m.json"
for key in '"energy_pj": ' '"cycles": ' '"evaluated": ' '"lower_bound": ' '"mapping": ' \
           '"complete": true' '"gap": 0' '"level": "psum_spad"' '"dataflow": "rs"'; do
  expect_out "$key" cat "$tmp/m.json"
done
# What limits the cycles (docs/latency.md): a text line, and in JSON the
# limiting bound, with no slack and the mapping's cycles.
expect_out '^# limited by (compute|[a-z_A-Z]+ (read|write))[ ,]' "${map[@]}"
expect_jq '.limited_by as $b | .cycles as $c |
  [.bounds[] | select(.bound == $b) | .slack == 0 and .cycles == $c] == [true]' "$tmp/m.json"

# Other objectives and a thread count give a mapping too.
expect_exit 0 "$petal" map --net lenet5 --layer conv2 --arch eyeriss-v1 --objective delay --threads 1
expect_exit 0 "$petal" map --net lenet5 --layer conv2 --arch simple-ws --objective edp --dataflow ws
# A budget of 0 stops before any mapping: exit 1, the reason, the bound.
expect_exit 1 "$petal" map --net alexnet --layer conv2 --arch eyeriss-v1 --budget 0
expect_err 'budget' "$petal" map --net alexnet --layer conv2 --arch eyeriss-v1 --budget 0
expect_out '^# lower bound on the objective' "$petal" map --net alexnet --layer conv2 --arch eyeriss-v1 --budget 0
# An effort that cuts the search gives the same JSON on 1, 2 and 3 threads
# (and says what cut it); an effort too small for any mapping says so.
for t in 1 2 3; do
  "$petal" map --net alexnet --layer conv2 --arch eyeriss-v1 --effort 300k --objective delay \
    --threads $t --format json > "$tmp/eff$t.json"
done
expect_jq '.stopped_by == "effort" and .complete == false and .found' "$tmp/eff1.json"
expect_exit 0 cmp "$tmp/eff1.json" "$tmp/eff2.json"
expect_exit 0 cmp "$tmp/eff1.json" "$tmp/eff3.json"
expect_out '^# search: stopped by the effort limit' \
  "$petal" map --net alexnet --layer conv2 --arch eyeriss-v1 --effort 300k --objective delay
expect_exit 1 "$petal" map --net alexnet --layer conv2 --arch eyeriss-v1 --effort 1
expect_err 'the effort of 1 bounds and evaluations ran out' \
  "$petal" map --net alexnet --layer conv2 --arch eyeriss-v1 --effort 1
expect_exit 2 "$petal" map --net alexnet --layer conv1 --arch eyeriss-v1 --effort 1.5M
expect_exit 2 "$petal" map --net alexnet --layer conv1 --arch eyeriss-v1 --effort -3

# Impossible: a layer that fits no buffer of a DRAM-less hierarchy.
cat > "$tmp/tiny.yaml" <<'YAML'
architecture:
  name: tiny
  clock_mhz: 1000
  levels:
    - {name: buf, class: SRAM, depth: 1024, word_bits: 16, instances: 1, read_pj: 1, fill_pj: 1, update_pj: 1}
    - {name: rf, class: regfile, depth: 4, word_bits: 16, instances: 4, mesh_x: 4, read_pj: 0.1, fill_pj: 0.1, update_pj: 0.1}
  arithmetic: {name: mac, instances: 4, mesh_x: 4, word_bits: 16, mac_pj: 0.5}
YAML
if "$petal" arch show "$tmp/tiny.yaml" >/dev/null 2>&1; then
  expect_exit 1 "$petal" map --net alexnet --layer conv1 --arch "$tmp/tiny.yaml"
  expect_err 'whole layer' "$petal" map --net alexnet --layer conv1 --arch "$tmp/tiny.yaml"
  expect_out 'no valid mapping' "$petal" map --net alexnet --layer conv1 --arch "$tmp/tiny.yaml"
  expect_exit 0 "$petal" map --net lenet5 --layer fc2 --arch "$tmp/tiny.yaml" --budget 10
else
  echo "FAIL: the tiny architecture does not load: $("$petal" arch show "$tmp/tiny.yaml" 2>&1)"
  failures=$((failures + 1))
fi

# Timeloop inputs: exercise 05 fully constrained ("baked") has one mapping.
ex5=$shared/reference/timeloop-exercises/tutorial-timeloop/05-mapper-conv1d+oc-3level/ref-output
tl=("$petal" map --timeloop "$ex5/baked/parsed-processed-input.yaml" --ert "$ex5/baked/timeloop-mapper.ERT.yaml")
expect_exit 0 "${tl[@]}"
expect_out '^# search: complete' "${tl[@]}"
expect_exit 0 "$petal" map --timeloop "$ex5/freebypass/parsed-processed-input.yaml" \
  --ert "$ex5/freebypass/timeloop-mapper.ERT.yaml" --format json

# --format timeloop writes the best mapping as Timeloop directives, and that
# mapping loads back into petal model with the same energy and cycles: a
# search that completes (exercise 05) and one with spatial levels that the
# effort cuts (Timeloop's eyeriss_like design, storage-less fan-out levels).
eyeriss_like=$shared/reference/timeloop-exercises/example_designs/example_designs/eyeriss_like/ref_outputs/default_problem
for run in "$ex5/freebypass:--effort 2M" "$eyeriss_like:--effort 200k"; do
  dir=${run%%:*}
  effort=${run#*:}
  spec=(--timeloop "$dir/parsed-processed-input.yaml" --ert "$dir/timeloop-mapper.ERT.yaml")
  # shellcheck disable=SC2086
  "$petal" map "${spec[@]}" $effort --threads 2 --format timeloop --output "$tmp/tl.map.yaml" \
    > "$tmp/tl.out"
  expect_out '^  - target: .*' cat "$tmp/tl.out"
  expect_exit 0 cmp <(grep -v '^#' "$tmp/tl.out") "$tmp/tl.map.yaml"
  # shellcheck disable=SC2086
  "$petal" map "${spec[@]}" $effort --threads 2 --format json > "$tmp/tl.json"
  "$petal" model "${spec[@]}" --mapping "$tmp/tl.map.yaml" --format json > "$tmp/tl.model.json" \
    2>/dev/null
  expect_eq "Timeloop mapping round trip ($(basename "$(dirname "$(dirname "$dir")")"))" \
    "$(jq -c '[.energy_pj, .cycles]' "$tmp/tl.model.json")" \
    "$(jq -c '[.energy_pj, .cycles]' "$tmp/tl.json")"
done
expect_exit 0 grep -q 'type: spatial' "$tmp/tl.map.yaml"
# A mapping that spreads one dimension over both axes of a fan-out has no
# Timeloop form: refused (exit 3) before anything is printed or written. Here
# the fastest mapping of 16 output channels on a 4 x 4 array puts M on both.
cat > "$tmp/arr.yaml" <<'YAML'
architecture:
  name: arr
  energy: eyeriss-65nm
  levels:
    - {name: DRAM, class: DRAM}
    - {name: buf, class: SRAM, depth: 4096}
    - {name: rf, class: regfile, depth: 16, mesh_x: 4, mesh_y: 4}
  arithmetic: {name: mac, mesh_x: 4, mesh_y: 4}
YAML
printf 'name: one\nlayers:\n  - {name: fc, kind: fc, in_features: 1, out_features: 16}\n' \
  > "$tmp/one.yaml"
both=("$petal" map --net "$tmp/one.yaml" --layer fc --arch "$tmp/arr.yaml" --objective delay
  --threads 2 --format timeloop --output "$tmp/both.map.yaml")
expect_exit 3 "${both[@]}"
expect_err '^petal: level buf splits M over both X \(4\) and Y \(4\)' "${both[@]}"
expect_eq "no output for a mapping Timeloop cannot hold" "$("${both[@]}" 2>/dev/null)" ""
expect_exit 1 test -e "$tmp/both.map.yaml"

# Bad flags.
expect_exit 2 "$petal" map --net alexnet --layer conv1 --arch eyeriss-v1 --dataflow xs
expect_exit 2 "$petal" map --net alexnet --layer conv1 --arch eyeriss-v1 --objective speed
expect_exit 2 "$petal" map --net alexnet --layer conv1 --arch eyeriss-v1 --threads 0
expect_exit 2 "$petal" map --net alexnet --layer conv1 --arch eyeriss-v1 --budget -1
expect_exit 2 "$petal" map --net alexnet --layer conv1 --arch eyeriss-v1 --format csv
expect_exit 2 "$petal" map --net alexnet --layer conv1 --arch eyeriss-v1 --format timeloops
expect_exit 2 "$petal" map --net alexnet --layer conv1
expect_exit 2 "$petal" map --net alexnet --layer conv1 --arch eyeriss-v1 --mapping x.yaml
expect_exit 3 "$petal" map --net alexnet --layer conv9 --arch eyeriss-v1
expect_exit 3 "$petal" map --net alexnet --layer conv1 --arch no-such-arch
finish
