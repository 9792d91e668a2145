#!/usr/bin/env bash
# The bad-input suite: for each input of tests/bad_input/ (and a few bad
# names and flags), the documented exit code (2 bad flags, 3 bad input, 1 an
# invalid mapping) and a message that names the file, the line and column
# where there is one, and what was expected. Never a crash, never a number.
. "$(dirname "$0")/lib.sh"
d=$src/tests/bad_input
tl=$shared/reference/timeloop-exercises/tutorial-timeloop/01-model-conv1d-2level

# bad EXIT REGEX ARGS...: petal ARGS exits with EXIT, and what it prints on
# standard error (and standard output) matches the extended regex.
bad() {
  local want=$1 pattern=$2; shift 2
  checks=$((checks + 1))
  "$petal" "$@" > "$tmp/out" 2>&1
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: exit $got, expected $want: petal $*"; head -3 "$tmp/out"
    failures=$((failures + 1))
  elif ! grep -Eq -- "$pattern" "$tmp/out"; then
    echo "FAIL: the message lacks /$pattern/: petal $*"; head -3 "$tmp/out"
    failures=$((failures + 1))
  fi
}

# petal's network YAML.
bad 3 'net_tab\.yaml:3:1: .*a tab; YAML indents with spaces only' net show "$d/net_tab.yaml"
bad 3 'net_negative_stride\.yaml:3:[0-9]+: stride of layer c1 must be at least 1, found -1' \
  net show "$d/net_negative_stride.yaml"
bad 3 'net_unknown_kind\.yaml:3:[0-9]+: layer a1: kind: expected conv, fc or matmul' \
  net show "$d/net_unknown_kind.yaml"
bad 3 'tpu\.txt: the file exists, but petal reads networks from .*YAML.*ONNX' \
  net show "$d/tpu.txt"
bad 3 "unknown network 'nosuchnet'; known networks: lenet5, alexnet" net show nosuchnet
# Widths (docs/precision.md): 0 or above 64 bits, a data space the layer lacks.
bad 3 'net_precision_zero\.yaml:4:[0-9]+: layer c1: precision: Weights: a width of 0 bits is out of range \(1 to 64\)' \
  net show "$d/net_precision_zero.yaml"
bad 3 'net_precision_wide\.yaml:2:[0-9]+: the network: precision: Inputs: a width of 65 bits is out of range' \
  net show "$d/net_precision_wide.yaml"
bad 3 "net_precision_bias\\.yaml:9:[0-9]+: layer f1: precision: 'Bias' is not a data space of the layer" \
  net show "$d/net_precision_bias.yaml"
bad 2 '--precision: Weights: a width of 0 bits is out of range' \
  map --net alexnet --layer conv1 --arch eyeriss-v1 --precision Weights=0
bad 2 '--precision: Outputs: a width of 65 bits is out of range' \
  eval --net alexnet --arch eyeriss-v1 --precision Outputs=65
bad 2 "--precision: 'Bias' is not a data space of a layer \\(expected Weights, Inputs, Outputs or Psums\\)" \
  model --net alexnet --layer conv1 --arch eyeriss-v1 --mapping "$d/map_bad_factors.yaml" --precision Bias=8
bad 3 'layer conv1: Weights are 16 bits wide but level weight_spad of architecture eyeriss-v2-pe holds at most 8-bit values' \
  map --net alexnet --layer conv1 --arch eyeriss-v2-pe --precision Weights=16,Inputs=8
bad 3 'layer conv1: Psums are 24 bits wide but level glb_cluster of architecture eyeriss-v2-pe holds at most 20-bit values' \
  eval --net lenet5 --arch eyeriss-v2-pe --precision Weights=8,Inputs=8,Psums=24
# Densities (docs/densities.md): outside [0, 1], an unknown distribution, a
# profile naming a layer the network lacks; the same on the command line.
bad 3 'net_density_range\.yaml:10:[0-9]+: layer c1: density of Inputs: a density of 1\.2 is out of range' \
  net show "$d/net_density_range.yaml"
bad 3 "net_density_distribution\\.yaml:3:[0-9]+: the network: density of Weights: distribution: expected fixed_structured, hypergeometric or dense, found 'uniform'" \
  net show "$d/net_density_distribution.yaml"
bad 3 "profile_unknown_layer\\.yaml:3:3: densities: network lenet5 has no layer named 'conv7'" \
  eval --net lenet5 --arch eyeriss-v1 --density-profile "$d/profile_unknown_layer.yaml"
bad 3 'profile_negative\.yaml:3:[0-9]+: layer conv2: density of Weights: density: a density of -0\.25 is out of range' \
  sheet --net lenet5 --arch eyeriss-v1 --density-profile "$d/profile_negative.yaml"
bad 2 '--density: Inputs: a density of 1\.5 is out of range' \
  eval --net lenet5 --arch eyeriss-v1 --density Inputs=1.5
bad 2 "--density: Weights: 'gaussian' is not a density distribution" \
  report --net lenet5 --arch eyeriss-v1 -o - --density Weights=gaussian:0.5
# ONNX.
bad 3 'not_a_model\.onnx: not a valid ONNX model' net show "$d/not_a_model.onnx"
# SCALE-Sim configurations and topologies (docs/systolic.md).
ss=$shared/reference/scalesim/public-google-alexnet-os
bad 3 "scalesim_bad_dataflow\\.cfg:13: Dataflow in \\[architecture_presets\\]: expected os, ws or is, got 'rs'" \
  model --scalesim "$d/scalesim_bad_dataflow.cfg" --topology "$ss/topology.csv"
bad 3 "scalesim_negative_width\\.cfg:6: ArrayWidth in \\[architecture_presets\\]: expected a whole number of columns, at least 1, got '-4'" \
  model --scalesim "$d/scalesim_negative_width.cfg" --topology "$ss/topology.csv"
bad 3 'scalesim_missing_ofmap\.cfg: no OfmapSramSzkB in \[architecture_presets\] \(expected a whole number of kB' \
  model --scalesim "$d/scalesim_missing_ofmap.cfg" --topology "$ss/topology.csv"
bad 3 "scalesim_no_section\\.cfg:1: expected 'key: value' or 'key = value' inside a \\[section\\]" \
  model --scalesim "$d/scalesim_no_section.cfg" --topology "$ss/topology.csv"
bad 3 "scalesim_bad_channels\\.csv:3: field 6 \\(Channels\\): expected a whole number from 1 to 2\\^32, got 'many'" \
  model --scalesim "$ss/config.cfg" --topology "$d/scalesim_bad_channels.csv"
bad 3 'scalesim_short_gemm\.csv:2: expected 4 fields \(name, M, N, K\), got 3' \
  model --scalesim "$ss/config.cfg" --topology "$d/scalesim_short_gemm.csv"
bad 3 'scalesim_big_filter\.csv:2: the filter \(7 x 3\) is larger than the IFMAP \(5 x 5\)' \
  model --scalesim "$ss/config.cfg" --topology "$d/scalesim_big_filter.csv"
bad 3 'nosuch\.cfg: cannot open' model --scalesim "$d/nosuch.cfg" --topology "$ss/topology.csv"
# petal's architecture YAML.
bad 3 'arch_no_levels\.yaml:2:3: architecture: levels is missing; expected a list of storage levels' \
  arch show "$d/arch_no_levels.yaml"
bad 3 "arch_bad_class\\.yaml:6:[0-9]+: level rf: class: expected DRAM, SRAM, regfile or none, found 'flipflop'" \
  arch show "$d/arch_bad_class.yaml"
bad 3 'arch_fanout\.yaml:7:[0-9]+: arithmetic: instances: a 4x1 mesh is not a whole multiple of the 3x1 mesh' \
  arch show "$d/arch_fanout.yaml"
bad 3 'arch_negative_bw\.yaml:5:[0-9]+: level DRAM: read_bw: expected a number >= 0, found -4' \
  arch show "$d/arch_negative_bw.yaml"
# Neighbour forwarding (docs/systolic.md): along an axis the fan-out lacks, of a
# data space that does not exist, along no axis.
bad 3 'arch_forward_axis\.yaml:9:[0-9]+: level buf: forward: Outputs along Y, but the fan-out below the level has 1 child along Y \(8x1\)' \
  arch show "$d/arch_forward_axis.yaml"
bad 3 "arch_forward_ds\\.yaml:6:[0-9]+: level buf: forward: 'Bias' is not a data space \\(expected Weights, Inputs or Outputs\\)" \
  arch show "$d/arch_forward_ds.yaml"
bad 3 "arch_forward_value\\.yaml:6:[0-9]+: level buf: forward: Inputs: expected X, Y or none, found 'diagonal'" \
  arch show "$d/arch_forward_value.yaml"
bad 3 "arch_unknown_table\\.yaml:3:[0-9]+: architecture: energy: no energy table named 'horowitz-7nm' \\(known tables" \
  arch show "$d/arch_unknown_table.yaml"
bad 3 'arch_mixed_units\.yaml:4:[0-9]+: .*energy_unit pJ mixes units with energy table eyeriss-65nm' \
  arch show "$d/arch_mixed_units.yaml"
bad 3 'tpu\.txt: the file exists, but petal reads architectures from' arch show "$d/tpu.txt"
bad 3 "no architecture named 'nope' \\(known architectures: eyeriss-v1" arch show nope
# petal's mapping YAML.
layer=(--net alexnet --layer conv1 --arch eyeriss-v1)
bad 3 "map_unknown_level\\.yaml:3:[0-9]+: level: architecture eyeriss-v1 has no level 'L3cache' \\(its levels: DRAM" \
  model "${layer[@]}" --mapping "$d/map_unknown_level.yaml"
bad 3 "map_unknown_dim\\.yaml:4:[0-9]+: level DRAM: temporal: 'Z' is not a dimension of layer conv1 \\(expected one of N, M" \
  model "${layer[@]}" --mapping "$d/map_unknown_dim.yaml"
bad 1 'INVALID' model "${layer[@]}" --mapping "$d/map_bad_factors.yaml"
bad 3 "network alexnet has no layer named or numbered '99': give a layer's name or an index from 0 to 7" \
  map --net alexnet --layer 99 --arch eyeriss-v1
# Timeloop's files.
bad 3 "tl_problem_bad_dim\\.yaml:11:[0-9]+: projection: 'Q' is not one of the shape's dimensions" \
  model --problem "$d/tl_problem_bad_dim.yaml" --arch "$tl/arch/2level.arch.yaml" \
  --mapping "$tl/map/conv1d-2level-ws.map.yaml"
bad 3 "tl_mapping_bad_target\\.yaml:2:[0-9]+: target 'Scratchpad' is not a level of architecture System \\(levels: MainMemory, Buffer\\)" \
  model --problem "$tl/prob/conv1d.prob.yaml" --arch "$tl/arch/2level.arch.yaml" \
  --mapping "$d/tl_mapping_bad_target.yaml"
bad 3 'tl_ert_bad\.yaml:3:[0-9]+: ERT: tables: expected a list' \
  model --problem "$tl/prob/conv1d.prob.yaml" --arch "$tl/arch/2level.arch.yaml" \
  --mapping "$tl/map/conv1d-2level-ws.map.yaml" --ert "$d/tl_ert_bad.yaml"
# Flags.
bad 2 '--dataflow takes one of ws, os, is, rs, nlr, os_a, os_b, os_c' eval --net alexnet --arch eyeriss-v1 --dataflow xyz
bad 2 '--batch takes a whole number of at least 1' eval --net alexnet --arch eyeriss-v1 --batch 0
bad 2 '--threads takes a whole number from 1 to 256' \
  map --net alexnet --layer conv1 --arch eyeriss-v1 --threads -1
bad 2 '--mapping is what petal map finds; it takes none' \
  map --net alexnet --layer conv1 --arch eyeriss-v1 --mapping "$d/map_unknown_dim.yaml"

# Every file of the corpus is used by a case above.
for f in "$d"/*; do
  checks=$((checks + 1))
  if ! grep -q "$(basename "$f")" "$0"; then
    echo "FAIL: tests/bad_input/$(basename "$f") is in no case"; failures=$((failures + 1))
  fi
done
finish
