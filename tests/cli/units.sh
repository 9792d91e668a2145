#!/usr/bin/env bash
# Energy units: an architecture priced by a normalised table (eyeriss-65nm:
# multiples of one 16-bit MAC) never prints its energies as pJ or uJ; every
# JSON output names the unit; one architecture cannot mix units.
. "$(dirname "$0")/lib.sh"

mapping() {  # mapping ARCH: the best rs mapping of lenet5 conv1 on ARCH, to $tmp/ARCH.yaml
  "$petal" map --net lenet5 --layer conv1 --arch "$1" --dataflow rs --threads 2 \
    --output "$tmp/$1.yaml" >/dev/null 2>&1
}
for arch in eyeriss-v1 simple-ws; do
  mapping "$arch"
  unit=MAC; [ "$arch" = simple-ws ] && unit=pJ
  model=("$petal" model --net lenet5 --layer conv1 --arch "$arch" --mapping "$tmp/$arch.yaml")
  map=("$petal" map --net lenet5 --layer conv1 --arch "$arch" --dataflow rs --threads 2)
  eval=("$petal" eval --net lenet5 --arch "$arch" --dataflow rs --threads 2)
  for cmd in model map eval; do
    declare -n c=$cmd
    expect_eq "$cmd on $arch: JSON energy_unit" \
      "$("${c[@]}" --format json 2>/dev/null | jq -r .energy_unit)" "$unit"
  done
  expect_eq "arch show $arch: JSON energy_unit" \
    "$("$petal" arch show "$arch" --format json | jq -r .energy_unit)" "$unit"
  if [ "$unit" = MAC ]; then
    # No pJ or uJ anywhere in the text of a normalised architecture (but the
    # line that says its energies are not pJ).
    for cmd in model map eval; do
      declare -n c=$cmd
      checks=$((checks + 1))
      if "${c[@]}" 2>/dev/null | grep -v 'not pJ$' | grep -Eq '[pu]J'; then
        echo "FAIL: $cmd on $arch prints pJ or uJ:"
        "${c[@]}" 2>/dev/null | grep -v 'not pJ$' | grep -E '[pu]J' | head -3
        failures=$((failures + 1))
      fi
      expect_out "not pJ" "${c[@]}"
    done
    expect_out 'read_MAC +fill_MAC' "$petal" arch show "$arch"
    # Timeloop's stats layout states pJ: refused for a normalised architecture.
    expect_exit 3 "${model[@]}" --format timeloop
    expect_err "counts energy in MAC energies, not pJ, and Timeloop's stats layout states pJ" \
      "${model[@]}" --format timeloop
    expect_out '^total: [0-9]+ MACs, [0-9.]+ M MAC \([0-9.]+ MAC/MAC' "${eval[@]}"
    expect_out '^index,name,same_as,macs,found,energy_mac,mac_per_mac,' "${eval[@]}" --format csv
  else
    expect_out '^total: [0-9]+ MACs, [0-9.]+ uJ \([0-9.]+ pJ/MAC' "${eval[@]}"
    expect_out '^index,name,same_as,macs,found,energy_pj,pj_per_mac,' "${eval[@]}" --format csv
    expect_out 'read_pJ +fill_pJ' "$petal" arch show "$arch"
  fi
done

# The studies run on normalised tables and say so.
expect_eq "study eyeriss-v1: JSON energy_unit" \
  "$("$petal" study eyeriss-v1 --format json | jq -r .energy_unit)" MAC
expect_out 'energy/MAC in multiples of one MAC.s energy.*not pJ' "$petal" study eyeriss-v1
expect_eq "study dataflows: JSON energy_unit" \
  "$("$petal" study dataflows --from "$src/docs/data/dataflows-b16" --format json | jq -r .energy_unit)" MAC
expect_out 'energy per MAC \(in MAC energies\)' "$petal" study dataflows --from "$src/docs/data/dataflows-b16"

# One architecture, one unit: a declared unit other than the table's is an error
# naming the file, the line and both units; the table's own unit is accepted.
cat > "$tmp/mixed.yaml" <<'YAML'
architecture:
  name: mixed
  energy: eyeriss-65nm
  energy_unit: pJ
  levels:
    - {name: DRAM, class: DRAM}
    - {name: rf, class: regfile, depth: 64}
  arithmetic: {name: mac}
YAML
expect_exit 3 "$petal" arch show "$tmp/mixed.yaml"
expect_err 'mixed\.yaml:4:[0-9]+: .*energy_unit pJ mixes units with energy table eyeriss-65nm, whose figures are in MAC' \
  "$petal" arch show "$tmp/mixed.yaml"
sed 's/energy_unit: pJ/energy_unit: MAC/' "$tmp/mixed.yaml" > "$tmp/same.yaml"
expect_exit 0 "$petal" arch show "$tmp/same.yaml"
sed 's/energy_unit: pJ/energy_unit: joules/' "$tmp/mixed.yaml" > "$tmp/bad.yaml"
expect_err 'bad\.yaml:4:[0-9]+: .*expected pJ or MAC' "$petal" arch show "$tmp/bad.yaml"
# Figures without a table, declared normalised, print as such.
cat > "$tmp/norm.yaml" <<'YAML'
architecture:
  name: norm
  energy_unit: MAC
  levels:
    - {name: DRAM, class: DRAM, read_pj: 200, fill_pj: 200}
    - {name: rf, class: regfile, depth: 64, read_pj: 1, fill_pj: 1}
  arithmetic: {name: mac, mac_pj: 1}
YAML
expect_eq "a declared MAC unit without a table" \
  "$("$petal" arch show "$tmp/norm.yaml" --format json | jq -r .energy_unit)" MAC

finish
