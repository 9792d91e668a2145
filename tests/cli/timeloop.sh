#!/usr/bin/env bash
# `petal model` on Timeloop files: the documented example, Timeloop's own
# reference runs written in Timeloop's stats layout (the lines scripts read are
# identical to Timeloop's), the native form beside it, and bad input.
. "$(dirname "$0")/lib.sh"

ex=$src/docs/examples/timeloop
example=("$petal" model --problem "$ex/conv1d.prob.yaml" --arch "$ex/array.arch.yaml"
         --mapping "$ex/ws.map.yaml" --ert "$ex/energy.ERT.yaml")
expect_exit 0 "$petal" model --help
expect_out '.-timeloop FILE\.yaml' "$petal" model --help
expect_exit 0 "${example[@]}"
expect_out '^layer conv1d_k on chip: valid' "${example[@]}"
expect_out '"valid": true' "${example[@]}" --format json
expect_out '^Computes = 768$' "${example[@]}" --format timeloop
# The RF keeps Weights and Outputs, bypasses Inputs.
expect_out '^RF +Weights' "${example[@]}"
checks=$((checks + 1))
if "${example[@]}" | grep -Eq '^RF +Inputs'; then
  echo "FAIL: RF should bypass Inputs"; failures=$((failures + 1))
fi

# Timeloop's reference runs: the lines a script reads from --format timeloop
# equal Timeloop's stats (per level, in the same order).
key_lines() {
  awk '/^Networks$/ { net = 1 }
       !net && (/^=== / || /^    (Weights|Inputs|Outputs):$/ || /Utilized instances/ ||
                /Scalar (reads|fills|updates) \(per-instance\)/)
       /^Cycles: / || /^Computes = /' "$1"
}
tl=$shared/reference/timeloop-exercises
same_as_timeloop() {
  local name=$1 dir=$2 tool=$3; shift 3
  checks=$((checks + 1))
  "$petal" model --timeloop "$dir/parsed-processed-input.yaml" --ert "$dir/$tool.ERT.yaml" \
    "$@" --format timeloop > "$tmp/$name.txt" 2>/dev/null
  if ! diff <(key_lines "$dir/$tool.stats.txt") <(key_lines "$tmp/$name.txt") > "$tmp/$name.diff"; then
    echo "FAIL: $name: petal's stats differ from Timeloop's:"; head -20 "$tmp/$name.diff"
    failures=$((failures + 1))
  fi
}
same_as_timeloop 00 "$tl/tutorial-timeloop/00-model-conv1d-1level/ref-output" timeloop-model
same_as_timeloop 04kp "$tl/tutorial-timeloop/04-model-conv1d+oc-3levelspatial/ref-output/kp" \
  timeloop-model
eyeriss=$tl/example_designs/example_designs/eyeriss_like/ref_outputs/default_problem
same_as_timeloop eyeriss "$eyeriss" timeloop-mapper --mapping "$eyeriss/timeloop-mapper.map.yaml"
# Its total energy, to Timeloop's two decimals of fJ/compute.
expect_out '^    Total += 5469\.65$' "$petal" model --timeloop "$eyeriss/parsed-processed-input.yaml" \
  --mapping "$eyeriss/timeloop-mapper.map.yaml" --ert "$eyeriss/timeloop-mapper.ERT.yaml" \
  --format timeloop

# Separate files, as timeloop-model takes them (exercise 03's originals).
ex03=$tl/tutorial-timeloop/03-model-conv1d+oc-3level
expect_out '^RegisterFile +Outputs' "$petal" model --problem "$ex03/prob/conv1d+oc.prob.yaml" \
  --arch "$ex03/arch/3level.arch.yaml" --mapping "$ex03/map/conv1d+oc-3level-bypass.map.yaml"
expect_err 'no ERT|energies are 0' "$petal" model --problem "$ex03/prob/conv1d+oc.prob.yaml" \
  --arch "$ex03/arch/3level.arch.yaml" --mapping "$ex03/map/conv1d+oc-3level-bypass.map.yaml"

# petal's own files still work beside the Timeloop options.
expect_exit 0 "$petal" model --net lenet5 --layer conv2 --arch eyeriss-v1 \
  --mapping "$src/docs/examples/mapping.yaml"

# An invalid mapping: the register file overflows (exit 1, and says why).
cat > "$tmp/overflow.map.yaml" <<'EOF'
mapping:
- {target: Buffer, type: temporal, factors: K=2, permutation: KRP}
- {target: PE, type: spatial, factors: K=2}
- {target: RF, type: temporal, factors: K=2 R=3 P=32, permutation: RPK}
EOF
bad=("$petal" model --problem "$ex/conv1d.prob.yaml" --arch "$ex/array.arch.yaml"
     --mapping "$tmp/overflow.map.yaml")
expect_exit 1 "${bad[@]}"
expect_out 'INVALID' "${bad[@]}"

# Bad input: positions, messages and exit codes.
jinja=$tl/example_designs/layer_shapes/alexnet/0.yaml
expect_exit 3 "$petal" model --problem "$jinja" --arch "$ex/array.arch.yaml" --mapping "$ex/ws.map.yaml"
expect_err 'Jinja template' "$petal" model --problem "$jinja" --arch "$ex/array.arch.yaml" \
  --mapping "$ex/ws.map.yaml"
expect_exit 3 "$petal" model --timeloop "$eyeriss/parsed-processed-input.yaml"
expect_err 'no mapping' "$petal" model --timeloop "$eyeriss/parsed-processed-input.yaml"
expect_exit 2 "$petal" model --problem "$ex/conv1d.prob.yaml"
expect_exit 2 "${example[@]}" --format xml
expect_exit 2 "${example[@]}" --ert
expect_exit 2 "${example[@]}" --problem "$ex/conv1d.prob.yaml"
cat > "$tmp/typo.map.yaml" <<'EOF'
mapping:
- target: RF
  type: temporal
  factors: K=1 R=3 Z=32
EOF
expect_exit 3 "$petal" model --problem "$ex/conv1d.prob.yaml" --arch "$ex/array.arch.yaml" \
  --mapping "$tmp/typo.map.yaml"
expect_err 'typo.map.yaml:4:[0-9]+: .*no dimension .Z.' "$petal" model \
  --problem "$ex/conv1d.prob.yaml" --arch "$ex/array.arch.yaml" --mapping "$tmp/typo.map.yaml"
sed 's/^  type: temporal/  type: temporal\n  colour: red/' "$ex/ws.map.yaml" > "$tmp/colour.map.yaml"
expect_err "warning: .*colour.map.yaml:[0-9]+:[0-9]+: unknown key 'colour'" \
  "$petal" model --problem "$ex/conv1d.prob.yaml" --arch "$ex/array.arch.yaml" \
  --mapping "$tmp/colour.map.yaml"
# A mapping named on --mapping is the one evaluated, even when the file given
# as --arch (a processed input) carries a mapping of its own; a warning names
# what was overridden. Without the fix the processed file's OS mapping was
# evaluated and a broken --mapping was reported valid.
ex01=$tl/tutorial-timeloop/01-model-conv1d-2level
own=("$petal" model --problem "$ex01/prob/conv1d.prob.yaml" --arch "$ex01/arch/2level.arch.yaml"
     --mapping "$ex01/map/conv1d-2level-ws.map.yaml" --format json)
over=("$petal" model --problem "$ex01/prob/conv1d.prob.yaml"
      --arch "$ex01/ref-output/os/parsed-processed-input.yaml"
      --mapping "$ex01/map/conv1d-2level-ws.map.yaml" --format json)
counts='[.levels[] | [.name, (.data_spaces | map_values([.tile, .reads, .fills, .updates]))]]'
expect_exit 0 "${over[@]}"
expect_eq "--mapping beside a processed --arch: the counts" \
  "$("${over[@]}" 2>/dev/null | jq -c "$counts")" "$("${own[@]}" 2>/dev/null | jq -c "$counts")"
# (The processed file's own mapping, OS, gives other tiles: the check can tell.)
checks=$((checks + 1))
if [ "$("${own[@]}" 2>/dev/null | jq -c "$counts")" = \
     "$("$petal" model --timeloop "$ex01/ref-output/os/parsed-processed-input.yaml" --format json \
        2>/dev/null | jq -c "$counts")" ]; then
  echo "FAIL: the OS and WS mappings of exercise 01 give the same tiles and counts"; failures=$((failures + 1))
fi
expect_err "parsed-processed-input.yaml: its mapping is not used: .*conv1d-2level-ws.map.yaml's replaces it" "${over[@]}"
expect_err "parsed-processed-input.yaml: its problem is not used" "${over[@]}"
sed 's/factors: R=3 P=1/factors: R=2 P=1/' "$ex01/map/conv1d-2level-ws.map.yaml" > "$tmp/bad.map.yaml"
expect_exit 3 "$petal" model --problem "$ex01/prob/conv1d.prob.yaml" \
  --arch "$ex01/ref-output/os/parsed-processed-input.yaml" --mapping "$tmp/bad.map.yaml"
expect_err "bad.map.yaml" "$petal" model --problem "$ex01/prob/conv1d.prob.yaml" \
  --arch "$ex01/ref-output/os/parsed-processed-input.yaml" --mapping "$tmp/bad.map.yaml"

# Timeloop gives one datawidth per level (every spec in the reference does);
# a per-data-space one is refused where it stands, not read as something else
# (per-data-space widths come from --precision or the network: docs/precision.md).
sws=$tl/example_designs/example_designs/simple_weight_stationary/ref_outputs/default_problem
sed '18s/datawidth: 16/datawidth: {Weights: 8}/' "$sws/parsed-processed-input.yaml" > "$tmp/dw.yaml"
expect_exit 3 "$petal" model --timeloop "$tmp/dw.yaml"
expect_err 'dw.yaml:18:[0-9]+: datawidth: expected an integer, found a mapping' \
  "$petal" model --timeloop "$tmp/dw.yaml"

# The one loader (formats/load.c) tells Timeloop's files from petal's: a
# Timeloop problem is a network of one layer, a Timeloop architecture an
# architecture whose energies are 0 until an ERT is given (and it says so).
expect_out '^ +0 +Conv1D +generic R3 P16 +48 ' "$petal" net show "$ex01/prob/conv1d.prob.yaml"
expect_out '^Buffer +regfile +64 ' "$petal" arch show "$ex01/arch/2level.arch.yaml"
expect_err 'a Timeloop architecture without an ERT: its energies and areas are 0' \
  "$petal" arch show "$ex01/arch/2level.arch.yaml"
expect_err "expected a top-level 'architecture:'" "$petal" arch show "$ex01/prob/conv1d.prob.yaml"

finish
