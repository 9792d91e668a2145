#!/usr/bin/env bash
# `petal eval`: the per-layer table and totals in three formats, identical
# shapes mapped once, a layer without a mapping reported with the others, no
# progress bar when standard error is not a terminal, the same JSON on any
# thread count by default, bad flags.
. "$(dirname "$0")/lib.sh"

ev=("$petal" eval --net lenet5 --arch eyeriss-v1 --dataflow rs --threads 2)
expect_exit 0 "$petal" eval --help
expect_out '^usage: petal eval' "$petal" eval --help
"${ev[@]}" > "$tmp/e.txt" 2> "$tmp/err"
expect_exit 0 test $? -eq 0
expect_out '^ +0 +conv1 +117600 ' cat "$tmp/e.txt"
expect_out '^total: 416520 MACs' cat "$tmp/e.txt"
expect_out '^per inference: .* inferences/s' cat "$tmp/e.txt"
expect_out '^DRAM: .* bytes per MAC' cat "$tmp/e.txt"
expect_out 'optimal' cat "$tmp/e.txt"
# Standard error is not a terminal here: no progress bar on it.
expect_exit 1 test -s "$tmp/err"

"${ev[@]}" --format json > "$tmp/e.json"
for key in '"net": "lenet5"' '"arch": "eyeriss-v1"' '"layers": ' '"totals": ' '"energy_pj": ' \
           '"cycles": ' '"latency_s": ' '"macs": 416520' '"inferences_per_second": ' \
           '"energy_split_pj": ' '"dram_bytes_per_mac": '; do
  expect_out "$key" cat "$tmp/e.json"
done
"${ev[@]}" --format csv > "$tmp/e.csv"
# eyeriss-v1's table is normalised: the energy columns say MAC, not pj.
expect_out '^index,name,same_as,macs,found,energy_mac,mac_per_mac,dram_mac' cat "$tmp/e.csv"
expect_out '^4,fc2,4,840,1,' cat "$tmp/e.csv"

# make run's job (alexnet on eyeriss-v1, on a small deterministic effort per
# layer to keep it quick; every layer is mapped at it): every layer names the
# bound that set its cycles, in text, JSON and CSV (docs/latency.md); in JSON
# that bound is the one with the most cycles and no slack, and every other
# bound's cycles plus slack are the layer's cycles.
run=("$petal" eval --net alexnet --arch eyeriss-v1 --threads 2 --effort 100k)
"${run[@]}" --format json > "$tmp/run.json" 2>/dev/null
expect_jq '[.layers[] | select(.found)] | length == 8' "$tmp/run.json"
expect_jq '[.layers[] | select(.found) | (.limited_by | type == "string") and
  (.bounds | length >= 1) and
  (. as $l | [.bounds[] | .cycles + .slack == $l.cycles] | all) and
  (. as $l | [.bounds[] | select(.bound == $l.limited_by) | .slack == 0 and .cycles == $l.cycles] == [true]) and
  (. as $l | [.bounds[].cycles] | max == $l.cycles)] | all' "$tmp/run.json"
if sanitized; then
  skip_sanitized "the text and CSV forms of make run's job"
else
  "${run[@]}" > "$tmp/run.txt" 2>/dev/null
  expect_out 'limited by \(next bound\) +search$' cat "$tmp/run.txt"
  expect_eq "make run's job: rows with a limited-by cell or no mapping" \
    "$(grep -cE '^ +[0-9]+ +(conv|fc)[0-9] +[0-9]+ +(.*% +(compute|DRAM read|DRAM write|glb read|glb write|glb (Weights|Inputs|Outputs) network)( \(|  )|no mapping)' "$tmp/run.txt")" 8
  "${run[@]}" --format csv > "$tmp/run.csv" 2>/dev/null
  expect_out '^index,name,.*,complete,limited_by,why(,|$)' cat "$tmp/run.csv"
  expect_eq "make run's job: CSV rows with a mapping and no limited_by" \
    "$(awk -F, 'NR > 1 && $5 == 1 && $20 == ""' "$tmp/run.csv" | wc -l)" 0
  expect_eq "make run's job: CSV rows with a mapping and a limited_by" \
    "$(awk -F, 'NR > 1 && $5 == 1 && $20 ~ /^(compute|DRAM read|DRAM write|glb read|glb write|glb (Weights|Inputs|Outputs) network)$/' "$tmp/run.csv" | wc -l)" \
    "$(awk -F, 'NR > 1 && $5 == 1' "$tmp/run.csv" | wc -l)"
fi

# Batch 4 quadruples the MACs; energy per inference is per item.
expect_out '^total: 1666080 MACs' "$petal" eval --net lenet5 --arch eyeriss-v1 --dataflow nlr --batch 4

# A network file with two identical layers and one too big for a DRAM-less
# hierarchy: exit 1, the big one says why, the others are mapped.
# The files are docs/cli.md's examples (docs/examples/mapper).
examples=$src/docs/examples/mapper
small=("$petal" eval --net "$examples/three.yaml" --arch "$examples/small.yaml" --threads 1)
expect_exit 1 "${small[@]}"
expect_out '^ +2 +big .*no mapping' "${small[@]}"
expect_out '^no valid mapping for 1 layer \(#2 big\): .*whole layer' "${small[@]}"
# Totals that leave a layer out say so on the same line, and in JSON.
expect_out '^total \[PARTIAL: 1 of 3 layers have no mapping\]: 256 MACs' "${small[@]}"
expect_out '^per inference \[PARTIAL: 1 of 3 layers have no mapping\]: ' "${small[@]}"
expect_eq "eval JSON complete, failed" \
  "$("${small[@]}" --format json 2>/dev/null | jq -c '[.complete, .failed]')" \
  '[false,[{"name":"big","why":"buf must keep Weights, Inputs, Outputs: at least 263168 words (the whole layer), but it holds 512"}]]'
expect_eq "eval JSON complete when every layer maps" \
  "$("${ev[@]}" --format json 2>/dev/null | jq -c '[.complete, .failed]')" '[true,[]]'
checks=$((checks + 1))
if "${ev[@]}" 2>/dev/null | grep -q PARTIAL; then
  echo "FAIL: a complete evaluation says PARTIAL"; failures=$((failures + 1))
fi
expect_out '^ +1 +b .* as #0$' "${small[@]}"
expect_err 'layer big: no valid mapping' "${small[@]}"
expect_out '1 layer has no valid mapping' "${small[@]}"

# Default settings give the same JSON on 1 and 2 threads, and under load: the
# two runs go at the same time, each loading the machine for the other. The
# default effort cuts the conv layer's search (so this is not only a search
# that completes) and proves the fc layer; no timings are in the JSON.
det=("$petal" eval --net "$src/tests/data/net_effort.yaml" --arch eyeriss-v1 --format json)
if sanitized; then
  # A tenth of the default effort: still cuts the conv layer, proves the fc one.
  skip_sanitized "the default effort (2M) of this comparison; it runs at 200k"
  det+=(--effort 200k)
fi
"${det[@]}" --threads 1 > "$tmp/d1.json" 2>/dev/null &
p1=$!
"${det[@]}" --threads 2 > "$tmp/d2.json" 2>/dev/null
wait $p1
expect_exit 0 cmp "$tmp/d1.json" "$tmp/d2.json"
expect_jq '.layers[0].stopped_by == "effort" and .layers[0].complete == false' "$tmp/d1.json"
expect_jq '.layers[1].stopped_by == null and .layers[1].complete == true' "$tmp/d1.json"
expect_jq '[.. | objects | has("seconds") or has("found_seconds")] | any | not' "$tmp/d1.json"
# --timings adds them.
"${small[@]}" --format json --timings > "$tmp/t.json" 2>/dev/null
expect_jq '(.totals.seconds | type) == "number" and (.layers[0].found_seconds | type) == "number"' \
  "$tmp/t.json"
# The time limit is a safety net: a search it cuts says so.
"$petal" eval --net "$src/tests/data/net_effort.yaml" --arch eyeriss-v1 --budget 0 --format json \
  > "$tmp/b0.json" 2>/dev/null
expect_jq '.layers[0].stopped_by == "time"' "$tmp/b0.json"
expect_out '^the time limit \(--budget\) cut 2 searches: their results depend on the machine' \
  "$petal" eval --net "$src/tests/data/net_effort.yaml" --arch eyeriss-v1 --budget 0
expect_exit 2 "$petal" eval --net lenet5 --arch eyeriss-v1 --effort 0
expect_exit 2 "$petal" eval --net lenet5 --arch eyeriss-v1 --effort 3G
expect_exit 2 "$petal" eval --net lenet5 --arch eyeriss-v1 --effort
# The finer splits: per layer, the named levels (storage), their network
# energy and the MACs add up to the layer's energy, and so do the data
# spaces and the MACs; the totals are the sums over the layers. The figures
# come from the model's own per-level counts, so this checks the bookkeeping.
nlr=("$petal" eval --net lenet5 --arch eyeriss-v1 --dataflow nlr --threads 2 --budget none)
"${nlr[@]}" --format json --save-mappings "$tmp/maps" > "$tmp/e.json"
expect_jq '[.layers[] | select(.found) | .energy_pj as $e | (.energy_by_level_pj | add) + (.network_energy_by_level_pj | add) + .energy_split_pj.mac - $e | if . < 0 then -. else . end < 1e-6 * $e] | all' "$tmp/e.json"
expect_jq '[.layers[] | select(.found) | .energy_pj as $e | (.energy_by_data_space_pj | add) + .energy_split_pj.mac - $e | if . < 0 then -. else . end < 1e-6 * $e] | all' "$tmp/e.json"
expect_jq '(.layers[0].energy_by_level_pj | keys_unsorted) == ["DRAM", "glb", "ifmap_spad", "filter_spad", "psum_spad"]' "$tmp/e.json"
expect_jq '.totals.energy_pj as $e | ([.layers[].energy_by_level_pj.glb] | add) - .totals.energy_by_level_pj.glb | if . < 0 then -. else . end < 1e-6 * $e' "$tmp/e.json"
expect_jq '(.totals.energy_by_data_space_pj | keys_unsorted) == ["Weights", "Inputs", "Outputs"]' "$tmp/e.json"
# The area is the architecture's, as petal arch show states it.
"$petal" arch show eyeriss-v1 --format json > "$tmp/arch.json"
expect_eq "eval area = arch area" "$(jq .totals.area_um2 "$tmp/e.json")" "$(jq .total_area_um2 "$tmp/arch.json")"
expect_out '^area: 10.07 mm2 \(0.05993 mm2 per MAC unit, 168 MAC units\)' "${nlr[@]}"
expect_out '^area: not given \(small states no areas; 4 MAC units\)' "${small[@]}"
# CSV: the old columns first, then one per data space and two per level.
expect_out '^index,name,.*,complete,limited_by,why,ds_Weights_mac,ds_Inputs_mac,ds_Outputs_mac,level_DRAM_mac,network_DRAM_mac,level_glb_mac,' "${nlr[@]}" --format csv

# --save-mappings: one file per layer, which petal model loads back to the
# same energy and cycles as eval reported (the model evaluates it afresh).
expect_eq "saved mappings" "$(ls "$tmp/maps" | tr '\n' ' ')" "conv1.yaml conv2.yaml conv3.yaml fc1.yaml fc2.yaml "
for layer in conv1 conv3 fc2; do
  got=$("$petal" model --net lenet5 --layer $layer --arch eyeriss-v1 --mapping "$tmp/maps/$layer.yaml" \
        --format json | jq -c '[.energy_pj, .cycles, .computes]')
  want=$(jq -c --arg l $layer '.layers[] | select(.name == $l) | [.energy_pj, .cycles, .macs]' "$tmp/e.json")
  expect_eq "petal model on the saved $layer mapping" "$got" "$want"
done
# Layer names that are no file names: '/' becomes '_'; two layers that would
# share a file are refused (exit 3), never one written over the other.
printf 'name: slashes\nlayers:\n  - {name: "x/y", kind: fc, in_features: 16, out_features: 8}\n  - {name: "..", kind: fc, in_features: 8, out_features: 4}\n' > "$tmp/slashes.yaml"
expect_exit 0 "$petal" eval --net "$tmp/slashes.yaml" --arch eyeriss-v1 --threads 2 --save-mappings "$tmp/sl"
expect_eq "sanitised file names" "$(ls "$tmp/sl" | tr '\n' ' ')" "__.yaml x_y.yaml "
printf '  - {name: "x_y", kind: fc, in_features: 4, out_features: 2}\n' >> "$tmp/slashes.yaml"
expect_exit 3 "$petal" eval --net "$tmp/slashes.yaml" --arch eyeriss-v1 --threads 2 --save-mappings "$tmp/sl2"
expect_err 'layers x/y and x_y would both be saved as .*/x_y.yaml' "$petal" eval --net "$tmp/slashes.yaml" --arch eyeriss-v1 --threads 2 --save-mappings "$tmp/sl2"
expect_exit 3 "${nlr[@]}" --save-mappings /proc/no-such-dir/maps
expect_exit 2 "${nlr[@]}" --save-mappings

expect_exit 2 "$petal" eval --net lenet5
expect_exit 2 "$petal" eval --arch eyeriss-v1
expect_exit 2 "$petal" eval --net lenet5 --arch eyeriss-v1 --format xml
expect_exit 2 "$petal" eval --net lenet5 --arch eyeriss-v1 --dataflow zz
expect_exit 3 "$petal" eval --net no-such-net --arch eyeriss-v1
finish
