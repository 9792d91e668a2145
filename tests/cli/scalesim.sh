#!/usr/bin/env bash
# `petal model --scalesim`: every SCALE-Sim v2 reference run (the public AlexNet
# runs in SHARED/reference/scalesim, and the runs of tests/reference/scalesim on
# other arrays, dataflows, strides and GEMM topologies) reproduced from its
# config.cfg and topology.csv: per layer, Total Cycles, Stall Cycles and the
# SRAM reads and writes exactly, Mapping Efficiency and Compute Util to 1e-9,
# and the DRAM reads and writes exactly (a count petal did not reproduce would
# be empty, never a guess: the public runs may have none, and the test prints
# how many there are). Then the JSON keys, the formats, a layer too large to
# replay, and bad input.
. "$(dirname "$0")/lib.sh"

cases=()
for d in "$shared"/reference/scalesim/*/ "$src"/tests/reference/scalesim/*/; do
  [ -f "$d/config.cfg" ] && cases+=("${d%/}")
done
expect_eq "SCALE-Sim reference runs found" "$([ ${#cases[@]} -ge 17 ] && echo yes)" yes

# compare CASE GOT.csv: prints "layers L dram D unreproduced U" or FAIL lines.
compare() {
  awk -F, -v name="$(basename "$1")" '
    function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
    function fail(what, want, got) {
      printf "FAIL: %s layer %d: %s is %s, SCALE-Sim %s\n", name, layer, what, got, want; bad++ }
    function exact(what, want, got) { if (want + 0 != got + 0 || got == "") fail(what, want, got) }
    function close_to(what, want, got, tol) {
      d = want - got; if (d < 0) d = -d
      if (got == "" || d > tol * (want < 0 ? -want : want) + 1e-12) fail(what, want, got) }
    function dram(what, want, got, tol) {
      ndram++
      if (got == "") { unknown++; return }
      close_to(what, want, got, tol) }
    FILENAME ~ /COMPUTE/ && FNR > 1 { cyc[FNR - 2] = trim($2); stall[FNR - 2] = trim($3)
      eff[FNR - 2] = trim($5); util[FNR - 2] = trim($6); n = FNR - 1; next }
    FILENAME ~ /DETAILED/ && FNR > 1 { sif[FNR - 2] = trim($4); sfi[FNR - 2] = trim($7)
      sof[FNR - 2] = trim($10); dif[FNR - 2] = trim($13); dfi[FNR - 2] = trim($16)
      dof[FNR - 2] = trim($19); next }
    FILENAME !~ /COMPUTE|DETAILED/ && FNR > 1 { layer = FNR - 2; got++
      exact("Total Cycles", cyc[layer], $2); exact("Stall Cycles", stall[layer], $3)
      exact("SRAM IFMAP Reads", sif[layer], $4); exact("SRAM Filter Reads", sfi[layer], $5)
      exact("SRAM OFMAP Writes", sof[layer], $6)
      dram("DRAM IFMAP Reads", dif[layer], $7, 0); dram("DRAM Filter Reads", dfi[layer], $8, 0)
      dram("DRAM OFMAP Writes", dof[layer], $9, 0)
      close_to("Mapping Efficiency %", eff[layer], $10, 1e-9)
      close_to("Compute Util %", util[layer], $11, 1e-9) }
    END {
      if (got != n) { printf "FAIL: %s: %d layers, SCALE-Sim %d\n", name, got, n; bad++ }
      printf "layers %d dram %d unreproduced %d\n", got, ndram, unknown + 0
      exit bad > 0 }' "$1/COMPUTE_REPORT.csv" "$1/DETAILED_ACCESS_REPORT.csv" "$2"
}

layers=0 drams=0 unknown=0
for c in "${cases[@]}"; do
  checks=$((checks + 1))
  if ! "$petal" model --scalesim "$c/config.cfg" --topology "$c/topology.csv" --format csv \
      > "$tmp/got.csv" 2> "$tmp/err"; then
    echo "FAIL: $(basename "$c"): petal exits non-zero: $(cat "$tmp/err")"
    failures=$((failures + 1))
    continue
  fi
  if ! compare "$c" "$tmp/got.csv" > "$tmp/cmp"; then
    grep FAIL "$tmp/cmp"
    failures=$((failures + 1))
  fi
  read -r _ l _ d _ u < <(grep '^layers' "$tmp/cmp")
  layers=$((layers + l)) drams=$((drams + d)) unknown=$((unknown + u))
  case $c in
    "$shared"/*) expect_eq "$(basename "$c"): DRAM counts not reproduced" "$u" 0 ;;
  esac
done
echo "SCALE-Sim runs: ${#cases[@]}, layers $layers, DRAM counts $drams of which petal" \
  "reproduces $((drams - unknown)) and leaves $unknown empty"

# JSON: {"layers": [...]} with exactly the documented keys, in topology order.
pub=$shared/reference/scalesim/public-google-alexnet-ws
"$petal" model --scalesim "$pub/config.cfg" --topology "$pub/topology.csv" --format json \
  > "$tmp/ws.json"
expect_eq "SCALE-Sim JSON keys" "$(jq -c '[.layers[] | keys_unsorted] | unique' "$tmp/ws.json")" \
  '[["name","total_cycles","stall_cycles","sram_ifmap_reads","sram_filter_reads","sram_ofmap_writes","dram_ifmap_reads","dram_filter_reads","dram_ofmap_writes","mapping_efficiency","compute_utilization"]]'
expect_eq "SCALE-Sim JSON order" "$(jq -c '[.layers[].name]' "$tmp/ws.json")" \
  '["Conv1","Conv2","Conv3","Conv4","Conv5"]'
expect_eq "SCALE-Sim JSON Conv1" \
  "$(jq -c '.layers[0] | [.total_cycles, .sram_filter_reads, .dram_ofmap_writes]' "$tmp/ws.json")" \
  '[7581,34848,580800]'
# Text: the table.
expect_out '^Conv2 +529 +256 +2400 +12949 +0 .* 1354240 +69984 +614400 +1354495$' \
  "$petal" model --scalesim "$pub/config.cfg" --topology "$pub/topology.csv"
expect_out '^Bandwidth 10 is not used' \
  "$petal" model --scalesim "$pub/config.cfg" --topology "$pub/topology.csv"
# A layer too large to replay SCALE-Sim's buffers (tests/data/scalesim_huge_gemm.csv, 2^34
# filter reads through 1 kB buffers): the counts petal cannot give are null in JSON, n/r in
# text, with a warning; the layer beside it is computed as usual.
tiny=$src/tests/reference/scalesim/is-32x16-gemm-tinysram/config.cfg
huge=$src/tests/data/scalesim_huge_gemm.csv
"$petal" model --scalesim "$tiny" --topology "$huge" --format json > "$tmp/huge.json" 2> "$tmp/err"
expect_eq "SCALE-Sim layer too large to replay" \
  "$(jq -c '[.layers[] | [.name, .dram_ifmap_reads, .dram_filter_reads, .dram_ofmap_writes]]' "$tmp/huge.json")" \
  '[["huge",4194304,null,null],["small",4096,16384,8207]]'
expect_out 'layer huge: too large to replay' cat "$tmp/err"
expect_out '^huge .* n/r +n/r$' "$petal" model --scalesim "$tiny" --topology "$huge"
expect_out '^n/r: not reproduced' "$petal" model --scalesim "$tiny" --topology "$huge"

# Usage and bad input (more in tests/cli/bad_input.sh).
expect_out '--scalesim CONFIG.cfg --topology TOPO.csv' "$petal" model --help
expect_exit 2 "$petal" model --scalesim "$pub/config.cfg"
expect_exit 2 "$petal" model --scalesim "$pub/config.cfg" --topology "$pub/topology.csv" \
  --format timeloop
expect_exit 2 "$petal" model --scalesim "$pub/config.cfg" --topology "$pub/topology.csv" \
  --arch eyeriss-v1
sed 's/InterfaceBandwidth: CALC/InterfaceBandwidth: USER/' "$pub/config.cfg" > "$tmp/user.cfg"
expect_exit 3 "$petal" model --scalesim "$tmp/user.cfg" --topology "$pub/topology.csv"
expect_err 'USER .*not reproduced yet' "$petal" model --scalesim "$tmp/user.cfg" \
  --topology "$pub/topology.csv"
finish
