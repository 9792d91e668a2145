#!/usr/bin/env bash
# `petal model` and `petal sim` on petal's own files: the worked example of
# docs/model.md (every figure the document derives by hand), JSON keys, an
# invalid mapping (exit 1 and the reason), the simulator agreeing with the
# model, and bad input.
. "$(dirname "$0")/lib.sh"

ex=$src/docs/examples/model
args=(--net "$ex/network.yaml" --layer conv1d --arch "$ex/arch.yaml" --mapping "$ex/mapping.yaml")
model=("$petal" model "${args[@]}")
sim=("$petal" sim "${args[@]}")

expect_exit 0 "$petal" model --help
expect_exit 0 "$petal" sim --help
expect_out '^usage: petal sim' "$petal" sim --help
expect_exit 0 "${model[@]}"
# The figures docs/model.md works out by hand.
expect_out '^computes 192, cycles 88 \(compute-bound 48\)' "${model[@]}"
expect_out 'energy 8992\.00 pJ' "${model[@]}"
expect_out '^DRAM +Weights +24 +24 +0 +0 ' "${model[@]}"
expect_out '^DRAM +Inputs +20 +20 +0 +0 ' "${model[@]}"
expect_out '^DRAM +Outputs +32 +0 +0 +32 ' "${model[@]}"
expect_out '^buf +Inputs +12 +20 +20 +0 ' "${model[@]}"
expect_out '^buf +Outputs +16 +0 +0 +32 ' "${model[@]}"
expect_out '^rf +Weights +6 +192 +24 +0 ' "${model[@]}"
expect_out '^rf +Inputs +6 +192 +40 +0 ' "${model[@]}"
expect_out '^rf +Outputs +8 +128 +0 +192 ' "${model[@]}"
expect_out '^DRAM +needs 88 cycles for its bandwidth' "${model[@]}"
# docs/latency.md: what limits the cycles, worked by hand there.
expect_out '^limited by DRAM read \(Weights most\), 88 cycles; slack: compute 40, DRAM write 24$' \
  "${model[@]}"
expect_eq "model JSON limited_by and bounds" \
  "$("${model[@]}" --format json | jq -c '[.limited_by, [.bounds[] | [.bound, .kind, .level, .data_space, .words, .cycles, .slack]]]')" \
  '["DRAM read",[["compute","compute",null,null,48,48,40],["DRAM read","read","DRAM","Weights",44,88,0],["DRAM write","write","DRAM","Outputs",32,64,24]]]'
# docs/latency.md, networks with a width: the same layer with 16-bit links.
net=("$petal" model --net "$src/docs/examples/model/network.yaml" --layer conv1d
     --arch "$src/docs/examples/model/arch-network.yaml" --mapping "$src/docs/examples/model/mapping.yaml")
expect_out '^limited by compute, 48 cycles; slack: buf Inputs network 28, buf Outputs network 16, rf Weights network 0$' \
  "${net[@]}"
expect_out '^limited by buf Outputs network, 64 cycles; slack: compute 16, buf Inputs network 44, rf Weights network 16$' \
  "${net[@]}" --precision Outputs=32
expect_eq "model JSON network bounds" \
  "$("${net[@]}" --format json | jq -c '[.bounds[] | select(.kind == "network") | [.bound, .level, .data_space, .words, .cycles]]')" \
  '[["buf Inputs network","buf","Inputs",20,20],["buf Outputs network","buf","Outputs",32,32],["rf Weights network","rf","Weights",48,48]]'
expect_out '^network from buf to the next keeper inwards: Inputs 16 bits per cycle, Outputs 16 bits per cycle$' \
  "$petal" arch show "$src/docs/examples/model/arch-network.yaml"

# JSON: the documented keys.
"${model[@]}" --format json > "$tmp/model.json"
for key in '"valid": true' '"computes": 192' '"cycles": 88' '"energy_pj": 8992' \
           '"name": "rf"' '"instances": 4' '"tile": 8' '"reads": 128' '"updates": 192' \
           '"multicast": 2' '"spatial_reduction": 2' '"partition": 16'; do
  checks=$((checks + 1))
  grep -q -- "$key" "$tmp/model.json" || { echo "FAIL: model JSON lacks $key"; failures=$((failures + 1)); }
done

# A level's network energy is the sum of its data spaces', those it bypasses
# included: in docs/examples/mapping.yaml the weights go from DRAM through the
# glb's network to the PEs without the glb keeping them.
"$petal" model --net lenet5 --layer conv2 --arch eyeriss-v1 \
  --mapping "$src/docs/examples/mapping.yaml" --format json > "$tmp/bypass.json"
for filter in \
    'all(.levels[]; .network_energy_pj as $n
         | ($n - ([.data_spaces[].network_energy_pj] | add // 0))
         | (if . < 0 then -. else . end) <= 1e-9 * (1 + $n))' \
    '.levels[] | select(.name == "glb") | .network_energy_pj > 0
       and .data_spaces.Weights.kept == false and .data_spaces.Weights.network_energy_pj > 0'; do
  checks=$((checks + 1))
  if [ ! -s "$tmp/bypass.json" ] || ! jq -e "$filter" "$tmp/bypass.json" > /dev/null 2>&1; then
    echo "FAIL: jq '$filter' is not true for petal model's JSON"; failures=$((failures + 1))
  fi
done

# The simulator: outputs right, counts equal to the model's.
expect_exit 0 "${sim[@]}"
expect_out '^outputs: 32 words, all equal to the direct evaluation' "${sim[@]}"
expect_out '^model: the same counts at every level' "${sim[@]}"
expect_out '^cycles: 88 \(compute 48\), of which 40 wait on bandwidth$' "${sim[@]}"
expect_out '"cycles": 88' "${sim[@]}" --format json
expect_out '^rf +Outputs +8 +128 +0 +192$' "${sim[@]}"
expect_out '"model_agrees": true' "${sim[@]}" --format json
expect_out '"outputs_match": true' "${sim[@]}" --format json --seed 7
# A real layer on a preset, with the mapping of docs/formats.md.
expect_out '^model: the same counts at every level' "$petal" sim --net lenet5 --layer conv2 \
  --arch eyeriss-v1 --mapping "$src/docs/examples/mapping.yaml"
expect_exit 3 "$petal" sim --net lenet5 --layer conv2 --arch eyeriss-v1 \
  --mapping "$src/docs/examples/mapping.yaml" --max-macs 1000
expect_err 'more than the simulator.s limit' "$petal" sim --net lenet5 --layer conv2 \
  --arch eyeriss-v1 --mapping "$src/docs/examples/mapping.yaml" --max-macs 1000

# An invalid mapping: the register file cannot hold the tiles: exit 1, reason named.
sed -e 's/depth: 32$/depth: 8/' "$ex/arch.yaml" > "$tmp/small.yaml"
small=("$petal" model --net "$ex/network.yaml" --layer conv1d --arch "$tmp/small.yaml" --mapping "$ex/mapping.yaml")
expect_exit 1 "${small[@]}"
expect_out 'INVALID' "${small[@]}"
expect_out 'level rf: the tiles it keeps need 20 words but it holds 8' "${small[@]}"
expect_out '"reason": "capacity"' "${small[@]}" --format json
expect_out '"level": "rf"' "${small[@]}" --format json
expect_exit 1 "$petal" sim --net "$ex/network.yaml" --layer conv1d --arch "$tmp/small.yaml" \
  --mapping "$ex/mapping.yaml"
expect_err 'level rf: an instance holds 20 words at once but its depth is 8' "$petal" sim \
  --net "$ex/network.yaml" --layer conv1d --arch "$tmp/small.yaml" --mapping "$ex/mapping.yaml"
# Spatial factors beyond the fan-out.
sed -e 's/spatial_x: {M: 2}/spatial_x: {M: 4}/; s/temporal: {M: 2, Q: 4, S: 3}/temporal: {Q: 4, S: 3}/' \
  "$ex/mapping.yaml" > "$tmp/wide.yaml"
expect_exit 1 "$petal" model "${args[@]:0:6}" --mapping "$tmp/wide.yaml"
expect_out 'level buf: spatial factors need 4 columns \(X\) but the fan-out below it has 2' \
  "$petal" model "${args[@]:0:6}" --mapping "$tmp/wide.yaml"

# The loop nest docs/model.md prints for the example is what petal prints.
checks=$((checks + 1))
if ! diff <(awk '/^## A worked example/ { on = 1 } on && /^```$/ { if (grab) exit; grab = 1; next }
              grab { print }' "$src/docs/model.md") \
          <("$petal" mapping show "${args[@]}" | tail -n +3) > "$tmp/nest.diff"; then
  echo "FAIL: docs/model.md's loop nest differs from petal mapping show:"; cat "$tmp/nest.diff"
  failures=$((failures + 1))
fi

# The refill example of docs/model.md: Outputs refills cross the network into
# mid, which bypasses Outputs, on their way to the register files, and are
# counted there (24 words below buf, 16 partial sums up and 8 refills down).
rx=$src/docs/examples/model/refill
rargs=(--net "$rx/network.yaml" --layer fc --arch "$rx/arch.yaml" --mapping "$rx/mapping.yaml")
expect_out 'energy 888\.00 pJ' "$petal" model "${rargs[@]}"
expect_out '^buf +Outputs +8 +8 +0 +16 ' "$petal" model "${rargs[@]}"
expect_out '^pe +Outputs +1 +16 +16 +32 ' "$petal" model "${rargs[@]}"
expect_out '^buf +network 64\.00 pJ' "$petal" model "${rargs[@]}"
expect_out '^mid +network 96\.00 pJ' "$petal" model "${rargs[@]}"
"$petal" model "${rargs[@]}" --format json > "$tmp/refill.json"
for filter in '[.levels[] | .data_spaces.Outputs.network_energy_pj] == [24, 48, 0]' \
              '[.levels[] | .data_spaces.Weights.network_energy_pj] == [32, 32, 0]' \
              '[.levels[] | .data_spaces.Inputs.network_energy_pj] == [8, 16, 0]'; do
  checks=$((checks + 1))
  if [ ! -s "$tmp/refill.json" ] || ! jq -e "$filter" "$tmp/refill.json" > /dev/null 2>&1; then
    echo "FAIL: jq '$filter' is not true for the refill example"; failures=$((failures + 1))
  fi
done
expect_out '^model: the same counts at every level' "$petal" sim "${rargs[@]}"
checks=$((checks + 1))
if ! diff <(awk '/^## Refills through a level/ { on = 1 } on && /^```$/ { if (grab) exit; grab = 1; next }
              grab { print }' "$src/docs/model.md") \
          <("$petal" mapping show "${rargs[@]}" | tail -n +3) > "$tmp/refill-nest.diff"; then
  echo "FAIL: docs/model.md's refill loop nest differs from petal mapping show:"
  cat "$tmp/refill-nest.diff"; failures=$((failures + 1))
fi

# Bad input.
expect_exit 2 "$petal" model --net "$ex/network.yaml" --layer conv1d --arch "$ex/arch.yaml"
expect_exit 2 "$petal" sim --net "$ex/network.yaml" --layer conv1d --arch "$ex/arch.yaml"
expect_exit 2 "${sim[@]}" --format csv
expect_exit 2 "${sim[@]}" --seed x
expect_exit 2 "${sim[@]}" --bogus
expect_exit 3 "$petal" sim "${args[@]:0:6}" --mapping "$tmp/missing.yaml"
expect_exit 3 "$petal" model --net "$ex/network.yaml" --layer conv9 --arch "$ex/arch.yaml" \
  --mapping "$ex/mapping.yaml"
finish
