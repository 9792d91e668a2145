#!/usr/bin/env bash
# bench_sweep.sh - the sweep benchmark of issue 17: the 64 eyeriss-like points of
# examples/sweep/eyeriss-alexnet.yaml (PE array 8x8 to 16x16, RF and buffer
# sizes) x AlexNet under rs, every layer searched to its proven optimum
# (--budget none), on 1 and on 2 MPI ranks (one search thread each). Prints
# points per second on each, the ratio, whether the two files are identical,
# and the share of searches the shape memo answered. Figures only.
# Arguments: $1 the petal binary. BENCH_SWEEP_SAMPLE=N runs N sampled points
# instead of 64 (for a busy machine); the output says which. BENCH_SWEEP_KEEP=DIR
# keeps the 1-rank results, front and scatter in DIR.
set -uo pipefail
petal=${1:-build/petal}
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
spec=$src/examples/sweep/eyeriss-alexnet.yaml
if [ -n "${BENCH_SWEEP_SAMPLE:-}" ]; then
  { cat "$spec"; printf '  sample: %d\n  seed: 1\n' "$BENCH_SWEEP_SAMPLE"; } > "$tmp/spec.yaml"
  spec=$tmp/spec.yaml
fi
if ! command -v mpirun >/dev/null; then
  echo "mpirun not found (scripts/deps installs openmpi-bin): sweep benchmark not run"
  exit 0
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
rate=()
for np in 1 2; do
  start=$(date +%s.%N)
  if ! mpirun --oversubscribe -np "$np" "$petal" sweep "$spec" --budget none --threads 1 \
      -o "$tmp/np$np.csv" 2> "$tmp/np$np.err"; then
    echo "petal sweep on $np rank(s) failed:"; cat "$tmp/np$np.err"; exit 1
  fi
  end=$(date +%s.%N)
  points=$(sed -n 's/^petal sweep: \([0-9]*\) points.*/\1/p' "$tmp/np$np.err")
  r=$(awk -v p="$points" -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", p / (b - a) }')
  rate+=("$r")
  [ -n "${BENCH_SWEEP_SAMPLE:-}" ] && echo "(reduced: a sample of $BENCH_SWEEP_SAMPLE of the 64 points)"
  echo "$np rank(s): $points points in $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }') s, $r points/s"
  echo "  $(sed -n 's/^petal sweep: .*; \(shape memo: .*\)/\1/p' "$tmp/np$np.err")"
done
echo "ratio 2 ranks / 1 rank: $(awk -v a="${rate[0]}" -v b="${rate[1]}" 'BEGIN { printf "%.2f", b / a }')x"
if cmp -s "$tmp/np1.csv" "$tmp/np2.csv"; then
  echo "outputs of 1 and 2 ranks: identical"
else
  echo "outputs of 1 and 2 ranks: DIFFER"
fi
echo "front: $(($(wc -l < "$tmp/np1.front.csv") - 1)) of $points designs"
echo "rows not ok: $(awk -F, 'NR > 2 && $0 !~ /,ok,/' "$tmp/np1.csv" | wc -l)"
if [ -n "${BENCH_SWEEP_KEEP:-}" ]; then
  mkdir -p "$BENCH_SWEEP_KEEP" && cp "$tmp"/np1.* "$BENCH_SWEEP_KEEP"/
fi
