#!/usr/bin/env bash
# `petal sheet`: the benchmark sheet of AlexNet on eyeriss-v1, simple-ws and
# simple-os has every field of the issue filled; the network's counts are
# torchvision's (shared/reference/onnx/truth.json) and dense; areas and
# storage follow from the architectures as `petal arch show` states them; with
# every search proven, the figures are `petal eval`'s; a progress bar only on a
# terminal; bad flags.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$petal" sheet --help
expect_out '^usage: petal sheet' "$petal" sheet --help

if sanitized; then
  skip_sanitized "the AlexNet sheet on three architectures (lenet5 sheets below run the same code)"
else
  # A short search per layer shape (searching AlexNet to the end on three
  # architectures takes minutes): an effort of 200k partial mappings bounded
  # plus mappings evaluated, deterministic, so the same sheet on any machine.
  # It maps every layer on the three architectures.
  "$petal" sheet --net alexnet --arch eyeriss-v1,simple-ws,simple-os --threads 2 --effort 200k \
    --accuracy 0.571 --format json > "$tmp/s.json" 2> "$tmp/err"
  expect_eq "exit code of the AlexNet sheet" "$?" 0
  # Not a terminal: no progress bar on standard error, and nothing else there.
  expect_exit 1 test -s "$tmp/err"
  f=$tmp/s.json
  expect_jq '.net == "alexnet" and .batch == 1' "$f"
  expect_jq '[.architectures[].arch] == ["eyeriss-v1", "simple-ws", "simple-os"]' "$f"
  expect_jq '[.architectures[].energy_unit] == ["MAC", "pJ", "pJ"]' "$f"
  # Every key of the issue, filled (no null) and of the right type.
  for key in arch energy_unit energy_per_inference latency_s inferences_per_second energy_per_mac \
             dram_bytes_per_mac mm2_per_multiplier kb_per_multiplier utilization proven; do
    expect_jq "[.architectures[] | has(\"$key\") and .$key != null] | all" "$f"
  done
  expect_jq '[.architectures[] | .energy_per_inference > 0 and .latency_s > 0 and .inferences_per_second > 0 and .energy_per_mac > 0 and .dram_bytes_per_mac > 0 and .mm2_per_multiplier > 0 and .kb_per_multiplier > 0 and .utilization > 0 and .utilization <= 1 and (.proven | type) == "boolean"] | all' "$f"
  expect_jq '[.architectures[] | (.inferences_per_second * .latency_s - 1) | if . < 0 then -. else . end < 1e-9] | all' "$f"
  # The network: torchvision's counts, dense, accuracy as given.
  truth=$shared/reference/onnx/truth.json
  expect_eq "weights" "$(jq .weights "$f")" "$(jq .alexnet.weights "$truth")"
  expect_eq "MACs" "$(jq .macs "$f")" "$(jq .alexnet.macs "$truth")"
  expect_jq '.nonzero_weights == .weights and .nonzero_macs == .macs and .dense == true' "$f"
  expect_jq '.sparsity | test("no densities are given")' "$f"
  expect_jq '.accuracy == 0.571' "$f"
  # Areas and on-chip storage per multiplier from the architecture's own table.
  for i in 0 1 2; do
    arch=$(jq -r ".architectures[$i].arch" "$f")
    "$petal" arch show "$arch" --format json > "$tmp/a.json"
    expect_eq "$arch mm2 per multiplier" \
      "$(jq '.total_area_um2 / 1e6 / .arithmetic.instances * 1e9 | round' "$tmp/a.json")" \
      "$(jq ".architectures[$i].mm2_per_multiplier * 1e9 | round" "$f")"
    expect_eq "$arch kB per multiplier" \
      "$(jq '.arithmetic.instances as $n | [.levels[] | select(.class != "DRAM") | .depth * .word_bits * .instances] | add / 8 / 1024 / $n * 1e9 | round' "$tmp/a.json")" \
      "$(jq ".architectures[$i].kb_per_multiplier * 1e9 | round" "$f")"
  done
fi

# With every search run to its end the sheet is eval's, reduced: energy per
# inference, latency, DRAM bytes per MAC and utilisation (MACs over cycles x
# MAC units), at batch 4 too; and every mapping is proven.
for batch in 1 4; do
  "$petal" sheet --net lenet5 --arch eyeriss-v1,simple-ws --dataflow nlr --threads 2 \
    --budget none --batch $batch --format json > "$tmp/l.json"
  for i in 0 1; do
    arch=$(jq -r ".architectures[$i].arch" "$tmp/l.json")
    "$petal" eval --net lenet5 --arch "$arch" --dataflow nlr --threads 2 --budget none \
      --batch $batch --format json > "$tmp/e.json"
    "$petal" arch show "$arch" --format json > "$tmp/a.json"
    units=$(jq .arithmetic.instances "$tmp/a.json")
    expect_eq "$arch batch $batch vs eval" \
      "$(jq -c ".architectures[$i] | [.energy_per_inference, .latency_s, .dram_bytes_per_mac, .proven]" "$tmp/l.json")" \
      "$(jq -c '[.totals.energy_per_inference_pj, .totals.latency_s, .totals.dram_bytes_per_mac, ([.layers[].complete] | all)]' "$tmp/e.json")"
    expect_eq "$arch batch $batch utilisation" \
      "$(jq ".architectures[$i].utilization * 1e12 | round" "$tmp/l.json")" \
      "$(jq ".totals.macs / (.totals.cycles * $units) * 1e12 | round" "$tmp/e.json")"
    expect_jq ".architectures[$i].inferences_per_second * .architectures[$i].latency_s - $batch | if . < 0 then -. else . end < 1e-9" "$tmp/l.json"
  done
  expect_jq '[.architectures[].proven] == [true, true] and .batch == '$batch "$tmp/l.json"
done

# Text and CSV.
lenet=("$petal" sheet --net lenet5 --arch eyeriss-v1,simple-ws --dataflow nlr --threads 2 --budget none)
"${lenet[@]}" > "$tmp/s.txt"
expect_out '^dense: no densities are given' cat "$tmp/s.txt"
expect_out '^accuracy not given' cat "$tmp/s.txt"
expect_out '^every mapping proven optimal +yes +yes$' cat "$tmp/s.txt"
expect_out '^energy unit +MAC +pJ$' cat "$tmp/s.txt"
"${lenet[@]}" --format csv > "$tmp/s.csv"
expect_out '^net,batch,arch,energy_unit,energy_per_inference,latency_s,inferences_per_second,energy_per_mac,dram_bytes_per_mac,mm2_per_multiplier,kb_per_multiplier,utilization,proven,' cat "$tmp/s.csv"
expect_eq "CSV rows" "$(wc -l < "$tmp/s.csv")" 3
expect_out '^lenet5,1,simple-ws,pJ,' cat "$tmp/s.csv"

# On a terminal, a progress bar with the time left on standard error.
if command -v script >/dev/null 2>&1; then
  script -qec "'$petal' sheet --net lenet5 --arch eyeriss-v1,simple-ws --dataflow nlr \
    --threads 1 --budget none >/dev/null" /dev/null | tr '\r' '\n' > "$tmp/tty"
  expect_out '^\[#* *\] [0-9]+/10 .* left' cat "$tmp/tty"
  expect_out '^\[#{30}\] 10/10 fc2 ' cat "$tmp/tty"
else
  echo "FAIL: script (util-linux) is needed to give petal sheet a terminal"
  failures=$((failures + 1))
fi

# A layer without a mapping: exit 1, the figures say they are partial; an
# architecture that states no areas has no mm2 per multiplier (not 0).
three=("$petal" sheet --net "$src/docs/examples/mapper/three.yaml" \
  --arch "$src/docs/examples/mapper/small.yaml" --threads 2)
"${three[@]}" > "$tmp/t.txt" 2> "$tmp/t.err"
expect_eq "partial sheet's exit code" "$?" 1
expect_out "^PARTIAL: small's figures leave out the 1 of 3 layers that have no valid mapping" cat "$tmp/t.txt"
expect_out '^mm2 per multiplier +not given$' cat "$tmp/t.txt"
expect_out '^petal: small: 1 layer has no valid mapping' cat "$tmp/t.err"
"${three[@]}" --format json > "$tmp/t.json" 2>/dev/null
expect_jq '.architectures[0] | .mm2_per_multiplier == null and .area_mm2 == null and .complete == false and .unmapped == 1 and .proven == false' "$tmp/t.json"

expect_exit 2 "$petal" sheet --net lenet5
expect_exit 2 "$petal" sheet --arch eyeriss-v1
expect_exit 2 "$petal" sheet --net lenet5 --arch eyeriss-v1,,simple-ws
expect_exit 2 "$petal" sheet --net lenet5 --arch eyeriss-v1 --accuracy high
expect_exit 2 "$petal" sheet --net lenet5 --arch eyeriss-v1 --accuracy -1
expect_exit 2 "$petal" sheet --net lenet5 --arch eyeriss-v1 --format xml
expect_exit 2 "$petal" sheet --net lenet5 --arch eyeriss-v1 --batch 0
expect_exit 3 "$petal" sheet --net lenet5 --arch eyeriss-v1,no-such-arch
expect_err 'no-such-arch' "$petal" sheet --net lenet5 --arch eyeriss-v1,no-such-arch
expect_exit 3 "$petal" sheet --net no-such-net --arch eyeriss-v1
finish
