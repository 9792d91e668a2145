#!/usr/bin/env bash
# `petal sweep`: rows for every point, rows that say why a point did not run,
# a resumed run equal byte for byte to an uninterrupted one, a changed spec
# refused, the front and its scatter, and under Open MPI (3 ranks) the same file
# as one process. Every search is run to its proven optimum (--budget none), so
# no output depends on time or load.
. "$(dirname "$0")/lib.sh"

data=$(cd "$src/tests/data/sweep" && pwd)
run=("$petal" sweep --budget none --threads 2)
expect_exit 0 "$petal" sweep --help
expect_out '^usage: petal sweep' "$petal" sweep --help
expect_exit 2 "$petal" sweep
expect_exit 2 "$petal" sweep "$data/small.yaml" --dataflow rs
expect_exit 2 "$petal" sweep "$data/small.yaml" --bogus

# The whole run, to a file (standard output is the statuses run below).
"${run[@]}" "$data/small.yaml" -o "$tmp/full.csv" 2> "$tmp/err"
expect_eq "exit of a whole run" $? 0
tail -n +2 "$tmp/full.csv" > "$tmp/stdout.csv"
expect_eq "rows" "$(wc -l < "$tmp/stdout.csv")" 7
expect_out '^# petal sweep [0-9a-f]{16}: 6 points, 1 rows each; files: tiny_net.yaml [0-9a-f]{16}$' head -1 "$tmp/full.csv"
expect_out '^point,array.mesh_x,rf.depth,dataflow,objective,network,batch,status,area_mm2,' cat "$tmp/stdout.csv"
expect_out '^0,4,64,rs,energy,tiny,1,ok,.*,MAC,.*,yes,0,$' cat "$tmp/stdout.csv"
expect_out '^1,4,160,rs,energy,tiny,1,ok,' cat "$tmp/stdout.csv"
expect_out '^5,8,256,rs,energy,tiny,1,ok,' cat "$tmp/stdout.csv"
expect_out 'shape memo: ' cat "$tmp/err"
# The test network has 8x8x8x4x3x3 + 16x128 = 20480 MACs whatever the point.
expect_eq "MACs of every row" "$(tail -n +2 "$tmp/stdout.csv" | cut -d, -f10 | sort -u)" 20480
# The front and the scatter beside the file; the front's rows are rows of the file.
expect_exit 0 test -s "$tmp/full.front.csv"
expect_exit 0 test -s "$tmp/full.svg"
expect_out '<circle ' cat "$tmp/full.svg"
expect_out '<polyline ' cat "$tmp/full.svg"
front_rows=$(tail -n +2 "$tmp/full.front.csv")
expect_exit 0 test -n "$front_rows"
while IFS= read -r row; do
  expect_exit 0 grep -qxF -- "$row" "$tmp/full.csv"
done <<< "$front_rows"

# The HTML page (--report): drawn from the finished file, so a rerun on it maps
# nothing and writes the page. Every number on it is a field of the CSV (the
# same checker as petal report's, against the CSV read by an independent
# reader); each chart point is an ok row and the front table is the front file.
expect_exit 2 "${run[@]}" "$data/small.yaml" --report "$tmp/page.html"
"${run[@]}" "$data/small.yaml" -o "$tmp/full.csv" --report "$tmp/page.html" 2> "$tmp/err"
expect_eq "exit of a page from a finished file" $? 0
expect_out '0 run now, 6 already' cat "$tmp/err"
bash "$src/tests/support/sweep_rows_json.sh" "$tmp/full.csv" > "$tmp/rows.json"
checks=$((checks + 1))
if ! bash "$src/tests/support/report_numbers.sh" "$tmp/page.html" sweep="$tmp/rows.json" > "$tmp/numbers"; then
  echo "FAIL: the sweep page's numbers differ from the CSV:"; cat "$tmp/numbers"
  failures=$((failures + 1))
fi
expect_out 'sweep: 1[0-9][0-9] numbers checked' cat "$tmp/numbers"
sed 's/data-value="20480"/data-value="20481"/' "$tmp/page.html" > "$tmp/changed.html"
expect_exit 1 bash "$src/tests/support/report_numbers.sh" "$tmp/changed.html" sweep="$tmp/rows.json"
expect_out "Content-Security-Policy\" content=\"default-src 'none'" cat "$tmp/page.html"
expect_exit 1 grep -qi '<script' "$tmp/page.html"
expect_out '<svg [^>]*id="chart-sweep" class="chart"' cat "$tmp/page.html"
expect_eq "chart points are the ok rows" \
  "$(grep -o '<circle data-row="[0-9]*"' "$tmp/page.html" | grep -o '[0-9]*' | sort -n | tr '\n' ' ')" \
  "$(awk -F, 'NR > 2 && $8 == "ok" { printf "%d ", NR - 3 }' "$tmp/full.csv")"
sed -n '/<table id="front-table">/,/<\/table>/p' "$tmp/page.html" | grep -o '<tr data-row="[0-9]*"' |
  grep -o '[0-9]*' | while read -r k; do sed -n "$((k + 3))p" "$tmp/full.csv"; done > "$tmp/page_front"
expect_exit 0 cmp "$tmp/page_front" <(tail -n +2 "$tmp/full.front.csv")
# A page with rows that did not run: they are listed with their reasons, and
# unmapped rows make the page say PARTIAL.
"${run[@]}" "$data/statuses.yaml" -o "$tmp/st_page.csv" --report "$tmp/st_page.html" 2> /dev/null
expect_eq "exit of a page with unrunnable rows" $? 0
expect_out 'PARTIAL: 1 rows have layers without a valid mapping' cat "$tmp/st_page.html"
expect_out '<table id="not-ok-table">' cat "$tmp/st_page.html"
expect_out 'does not divide the 16x16 instances below it' cat "$tmp/st_page.html"
bash "$src/tests/support/sweep_rows_json.sh" "$tmp/st_page.csv" > "$tmp/st_rows.json"
expect_exit 0 bash "$src/tests/support/report_numbers.sh" "$tmp/st_page.html" sweep="$tmp/st_rows.json"
expect_exit 3 "${run[@]}" "$data/small.yaml" -o "$tmp/full.csv" --report "$tmp/nodir/page.html"

# Resume 1: an interruption that left 3 whole points and half a row.
{ head -n 5 "$tmp/full.csv"; sed -n 6p "$tmp/full.csv" | cut -c1-20 | tr -d '\n'; } > "$tmp/cut.csv"
"${run[@]}" "$data/small.yaml" -o "$tmp/cut.csv" 2> "$tmp/err"
expect_eq "exit of a resumed run" $? 0
expect_out '3 run now, 3 already in the output' cat "$tmp/err"
expect_exit 0 cmp "$tmp/cut.csv" "$tmp/full.csv"
expect_exit 0 cmp "$tmp/cut.front.csv" "$tmp/full.front.csv"
# Resume 2: points finished out of order (as threads and ranks finish them).
{ head -n 2 "$tmp/full.csv"; sed -n '7p;4p;6p' "$tmp/full.csv"; } > "$tmp/shuffled.csv"
"${run[@]}" "$data/small.yaml" -o "$tmp/shuffled.csv" 2> /dev/null
expect_exit 0 cmp "$tmp/shuffled.csv" "$tmp/full.csv"
# Resume 3: a run killed while it works (whatever it had written is kept).
"${run[@]}" --threads 1 "$data/small.yaml" -o "$tmp/killed.csv" 2> /dev/null &
pid=$!
for _ in $(seq 100); do
  [ -f "$tmp/killed.csv" ] && [ "$(wc -l < "$tmp/killed.csv")" -ge 4 ] && break
  sleep 0.02
done
kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
"${run[@]}" "$data/small.yaml" -o "$tmp/killed.csv" 2> /dev/null
expect_exit 0 cmp "$tmp/killed.csv" "$tmp/full.csv"
# A finished file: nothing to run, same bytes.
cp "$tmp/full.csv" "$tmp/again.csv"
"${run[@]}" "$data/small.yaml" -o "$tmp/again.csv" 2> "$tmp/err"
expect_out '0 run now, 6 already' cat "$tmp/err"
expect_exit 0 cmp "$tmp/again.csv" "$tmp/full.csv"

# A changed spec (or budget) is refused, naming the file; the file is untouched.
sed -e 's/to: 256/to: 160/' -e "s|tiny_net.yaml|$data/tiny_net.yaml|" "$data/small.yaml" > "$tmp/changed.yaml"
cp "$tmp/full.csv" "$tmp/keep.csv"
expect_exit 3 "${run[@]}" "$tmp/changed.yaml" -o "$tmp/keep.csv"
expect_err "keep.csv: begun with another spec or budget" "${run[@]}" "$tmp/changed.yaml" -o "$tmp/keep.csv"
expect_exit 3 "$petal" sweep --budget 5 "$data/small.yaml" -o "$tmp/keep.csv"
expect_exit 0 cmp "$tmp/keep.csv" "$tmp/full.csv"
echo "not a sweep" > "$tmp/other.csv"
expect_err "other.csv: not a petal sweep output" "${run[@]}" "$data/small.yaml" -o "$tmp/other.csv"

# Points that cannot run are rows with their reason.
"${run[@]}" "$data/statuses.yaml" > "$tmp/st.csv" 2> /dev/null
expect_eq "exit with unrunnable points" $? 0
expect_out '^point,rf.mesh_x,rf.depth,dataflow,objective,network,batch,status,' head -1 "$tmp/st.csv"
expect_eq "rows on standard output" "$(wc -l < "$tmp/st.csv")" 7
expect_out '^0,16,1,rs,energy,tiny,1,unmapped,.*"2 of 2 layers without a mapping \(totals cover the others\); layer conv: rf must keep' cat "$tmp/st.csv"
expect_out '^1,16,64,rs,energy,tiny,1,ok,' cat "$tmp/st.csv"
expect_out '^2,16,256,rs,energy,tiny,1,pruned,1[0-9.]+,,,,,,,,,,,area .* over the cap of 10 mm\^2$' cat "$tmp/st.csv"
expect_out '^5,3,256,rs,energy,tiny,1,invalid,,.*does not divide' cat "$tmp/st.csv"

# The latency cap: before mapping (every MAC busy is too slow), and after it.
for cap in 0.0001 0.005; do
  printf 'sweep:\n  arch: eyeriss-256\n  networks: %s\n  dataflow: rs\n  vary:\n    rf.depth: [64]\n  constraints: {latency_ms: %s}\n' "$data/tiny_net.yaml" "$cap" > "$tmp/lat$cap.yaml"
  "${run[@]}" "$tmp/lat$cap.yaml" > "$tmp/lat$cap.csv" 2> /dev/null
done
# 20480 MACs / 256 MAC units / 200 MHz = 0.0004 ms at best.
expect_out '^0,64,.*,pruned,.*"?latency at least 0.0004 ms \(every MAC busy\), over the cap of 0.0001 ms"?$' cat "$tmp/lat0.0001.csv"
expect_out '^0,64,.*,pruned,.*"?latency 0.[0-9]+ ms as mapped, over the cap of 0.005 ms"?$' cat "$tmp/lat0.005.csv"

# NetAdapt: one row per layer and fraction. At fraction 1 a row is the layer as
# `petal eval` maps it; at 0.5 a layer has half its output channels and MACs.
"${run[@]}" "$data/netadapt.yaml" -o "$tmp/lut.csv" 2> /dev/null
expect_eq "exit of a netadapt table" $? 0
expect_out '^point,dataflow,objective,network,batch,layer,fraction,out_channels,status,area_mm2,macs,energy,energy_unit,cycles,latency_s,energy_per_mac,proven,gap,reason$' sed -n 2p "$tmp/lut.csv"
expect_eq "LUT rows" "$(tail -n +3 "$tmp/lut.csv" | wc -l)" 8
expect_out '^0,rs,energy,tiny,1,conv,0.5,4,ok,[0-9.]+,9216,' cat "$tmp/lut.csv"
expect_out '^0,rs,energy,tiny,1,fc,0.25,4,ok,[0-9.]+,512,' cat "$tmp/lut.csv"
expect_exit 1 test -e "$tmp/lut.front.csv"
expect_err "a NetAdapt table has none" "${run[@]}" "$data/netadapt.yaml" -o "$tmp/lut.csv" --report "$tmp/lut.html"
"$petal" eval --net "$data/tiny_net.yaml" --arch eyeriss-v1 --dataflow rs --budget none --threads 1 --format csv \
  | tail -n +2 | cut -d, -f2,6,13 > "$tmp/eval_layers"
awk -F, '$7 == 1 { print $6 "," $12 "," $14 }' "$tmp/lut.csv" > "$tmp/lut_layers"
expect_exit 0 cmp "$tmp/eval_layers" "$tmp/lut_layers"
printf 'sweep:\n  arch: eyeriss-v1\n  networks: [lenet5, alexnet]\n  netadapt: {fractions: [0.5]}\n' > "$tmp/na2.yaml"
expect_err "netadapt tables are for one network at one batch size" "$petal" sweep "$tmp/na2.yaml"

# Bad specs: file, line and what was expected.
printf 'sweep:\n  arch: eyeriss-256\n  networks: lenet5\n  vary:\n    rf.width: [1]\n' > "$tmp/bad.yaml"
expect_exit 3 "$petal" sweep "$tmp/bad.yaml"
expect_err "bad.yaml:5:5: .*unknown field 'width'" "$petal" sweep "$tmp/bad.yaml"
printf 'sweep:\n  arch: eyeriss-256\n  networks: lenet5\n  vary:\n    precision.Bias: [8]\n' > "$tmp/bits.yaml"
expect_err "bits.yaml:5:5: .*'Bias' is not a width of a layer" "$petal" sweep "$tmp/bits.yaml"
printf 'sweep:\n  arch: eyeriss-256\n  networks: lenet5\n  vary:\n    precision.Weights: [8, 65]\n' > "$tmp/bits.yaml"
expect_err "bits.yaml:5:28: a width of 65 bits is out of range" "$petal" sweep "$tmp/bits.yaml"
printf 'sweep:\n  arch: eyeriss-256\n  networks: lenet5\n  vary:\n    precision: ["Weights=8,Bias=8"]\n' > "$tmp/bits.yaml"
expect_err "bits.yaml:5:17: .*Bias" "$petal" sweep "$tmp/bits.yaml"
printf 'sweep:\n  arch: eyeriss-256\n  networks: lenet5\n  vary:\n    mac.word_bits: [0]\n' > "$tmp/bits.yaml"
expect_exit 3 "$petal" sweep "$tmp/bits.yaml"
printf 'sweep:\n  arch: eyeriss-256\n  networks: nosuchnet\n' > "$tmp/net.yaml"
expect_err "net.yaml:3:13: .*nosuchnet" "$petal" sweep "$tmp/net.yaml"

# Word widths as places. Each row is `petal eval` with the same widths on the
# same hardware given as an architecture file priced by the same table (a
# different reader and pricing path: the YAML architecture's table fill).
"${run[@]}" "$data/widths.yaml" -o "$tmp/widths.csv" 2> /dev/null
expect_eq "exit of a widths sweep" $? 0
expect_out '^point,precision,bits,dataflow,' sed -n 2p "$tmp/widths.csv"
expect_out '^0,"Weights=8,Inputs=8,Psums=24",8,rs,energy,tiny,1,ok,' cat "$tmp/widths.csv"
expect_out '^3,Inputs=16f,16,rs,energy,tiny,1,ok,' cat "$tmp/widths.csv"
for row in 0 1 2 3; do
  line=$(sed -n "$((row + 3))p" "$tmp/widths.csv")
  prec=$(printf '%s\n' "$line" | sed -E 's/^[0-9]+,"?([^"]*[^",])"?,[0-9]+,rs,.*/\1/')
  bits=$(printf '%s\n' "$line" | sed -E 's/.*,([0-9]+),rs,energy,.*/\1/')
  printf 'architecture:\n  name: e256\n  clock_mhz: 200\n  energy: eyeriss-65nm\n  word_bits: 16\n  levels:\n    - {name: DRAM, class: DRAM}\n    - {name: glb, class: SRAM, depth: 65536}\n    - {name: rf, class: regfile, depth: 256, mesh_x: 16, mesh_y: 16, word_bits: %s}\n  arithmetic: {name: mac, mesh_x: 16, mesh_y: 16, word_bits: %s}\n' "$bits" "$bits" > "$tmp/wa$bits.yaml"
  want=$("$petal" eval --net "$data/tiny_net.yaml" --arch "$tmp/wa$bits.yaml" --dataflow rs --budget none \
    --threads 1 --precision "$prec" --format json | jq -r '.totals | "\(.energy_pj) \(.cycles)"' |
    awk '{ printf "%.10g,MAC,%d\n", $1, $2 }')
  expect_eq "widths row $row ($prec, $bits bits) against petal eval" \
    "$(printf '%s\n' "$line" | cut -d, -f"$( [ "$row" -lt 2 ] && echo 13-15 || echo 11-13)")" "$want"
done
# The area moves by the RF's bits alone: 256 PEs x 256 words x 8 bits at the
# table's register-file area per bit (eyeriss-256's 16-bit RF: 51275.9 um^2 per
# 4096 bits, `petal arch show eyeriss-256`), plus the MACs' 16- against 8-bit area.
# Rows 2 and 3 differ only there (their precision has no comma to quote).
rf_um2=$(awk -F, 'NR == 6 { a = $9 } NR == 5 { b = $9 } END { printf "%.0f", (a - b) * 1e6 }' "$tmp/widths.csv")
mac16=$("$petal" arch show "$tmp/wa16.yaml" --format json | jq '.arithmetic.total_area_um2')
mac8=$("$petal" arch show "$tmp/wa8.yaml" --format json | jq '.arithmetic.total_area_um2')
rf16=$("$petal" arch show eyeriss-256 --format json | jq '.levels[2].area_um2')
expect_eq "area of 8 more RF bits per word, to 1 um^2" "$(awk -v m16="$mac16" -v m8="$mac8" -v rf="$rf16" \
  -v got="$rf_um2" 'BEGIN { d = 256 * rf / 2 + m16 - m8 - got; print (d < 1.5 && d > -1.5) ? "yes" : d }')" yes
# An architecture file's own table does not re-price a sweep's levels: a spec
# that changes a width on one must name energy_table.
printf 'sweep:\n  arch: %s\n  networks: lenet5\n  vary:\n    rf.word_bits: [8]\n' "$tmp/wa8.yaml" > "$tmp/bits.yaml"
expect_err "changes a word width, so an energy table must re-price the level" "$petal" sweep "$tmp/bits.yaml"

# Files the spec names are part of what a resume must match: a changed network
# or architecture file is refused, naming it; restored, the run resumes.
mkdir -p "$tmp/named"
cp "$data/tiny_net.yaml" "$tmp/named/net.yaml"
cp "$tmp/wa16.yaml" "$tmp/named/arch.yaml"
printf 'sweep:\n  arch: arch.yaml\n  energy_table: eyeriss-65nm\n  networks: net.yaml\n  dataflow: rs\n  vary:\n    rf.depth: [64, 128]\n' > "$tmp/named/spec.yaml"
"${run[@]}" "$tmp/named/spec.yaml" -o "$tmp/named.csv" 2> /dev/null
expect_out '; files: arch.yaml [0-9a-f]{16}, net.yaml [0-9a-f]{16}$' head -1 "$tmp/named.csv"
cp "$tmp/named.csv" "$tmp/named.keep"
echo "# changed" >> "$tmp/named/net.yaml"
expect_exit 3 "${run[@]}" "$tmp/named/spec.yaml" -o "$tmp/named.csv"
expect_err "named.csv: the file $tmp/named/net.yaml has changed since this output was begun" \
  "${run[@]}" "$tmp/named/spec.yaml" -o "$tmp/named.csv"
cp "$data/tiny_net.yaml" "$tmp/named/net.yaml"
sed -i 's/depth: 65536/depth: 32768/' "$tmp/named/arch.yaml"
expect_err "named.csv: the file $tmp/named/arch.yaml has changed" "${run[@]}" "$tmp/named/spec.yaml" -o "$tmp/named.csv"
expect_exit 0 cmp "$tmp/named.csv" "$tmp/named.keep"
cp "$tmp/wa16.yaml" "$tmp/named/arch.yaml"
"${run[@]}" "$tmp/named/spec.yaml" -o "$tmp/named.csv" 2> "$tmp/err"
expect_out '0 run now, 2 already' cat "$tmp/err"

# Open MPI: three ranks (oversubscribed on this machine) write the same bytes.
if [ "${PETAL_TEST_MPI:-0}" = 1 ]; then
  # Open MPI's own allocations at exit are not petal's: leak checking stays on
  # for every single-process run above.
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 OMPI_ALLOW_RUN_AS_ROOT=1 \
    OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 \
    mpirun --oversubscribe -np 3 "$petal" sweep --budget none "$data/small.yaml" \
    -o "$tmp/mpi.csv" --report "$tmp/mpi.html" > "$tmp/mpi.out" 2>&1
  rc=$?
  expect_eq "exit under mpirun" "$rc" 0
  [ "$rc" -ne 0 ] && cat "$tmp/mpi.out"
  expect_exit 0 cmp "$tmp/mpi.csv" "$tmp/full.csv"
  expect_exit 0 cmp "$tmp/mpi.front.csv" "$tmp/full.front.csv"
  # The same page, but for the results file's name it shows.
  expect_exit 0 cmp <(sed 's|/mpi.csv|/full.csv|' "$tmp/mpi.html") "$tmp/page.html"
  # Resume under MPI: the cut file completed by three ranks.
  { head -n 4 "$tmp/full.csv"; } > "$tmp/mpicut.csv"
  ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 OMPI_ALLOW_RUN_AS_ROOT=1 \
    OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
    mpirun --oversubscribe -np 3 "$petal" sweep --budget none "$data/small.yaml" \
    -o "$tmp/mpicut.csv" > /dev/null 2>&1
  expect_exit 0 cmp "$tmp/mpicut.csv" "$tmp/full.csv"
else
  echo "note: petal was built without Open MPI; the MPI comparison did not run"
fi

echo "$checks checks, $failures failures"
[ "$failures" -eq 0 ]
