#!/usr/bin/env bash
# bench_eval.sh - (c) the main job on a big network: wall time and peak
# resident memory of `petal eval --net resnet50 --arch eyeriss-v1` on 2
# threads, from /usr/bin/time -v. Figures only.
# Arguments: $1 the petal binary.
set -uo pipefail
petal=${1:-build/petal}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "(c) petal eval --net resnet50 --arch eyeriss-v1 --threads 2 (default: the effort 2M per shape)"
if ! /usr/bin/time -v "$petal" eval --net resnet50 --arch eyeriss-v1 --threads 2 \
    > /dev/null 2> "$out"; then
  echo "petal eval failed:"; cat "$out"; exit 1
fi
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out")
cpu=$(sed -n 's/.*Percent of CPU this job got: //p' "$out")
echo "wall time $wall, peak RSS $((rss / 1024)) MB ($rss kB), CPU $cpu"
