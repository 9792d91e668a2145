#!/usr/bin/env bash
# run.sh SOURCE_DIR BUILD_DIR SHARED_DIR SECONDS - the fuzz_onnx test: build the
# ONNX fuzz target with clang (libFuzzer + ASan) in BUILD_DIR/fuzz and run it for
# SECONDS. Seeds: the reference models, and the small graphs of test_onnx_graph
# (written by that test when PETAL_ONNX_SEED_DIR is set). A crash, a leak or a
# timeout fails the test; without a clang that can build libFuzzer targets the
# test is skipped (exit 77).
set -euo pipefail
src=$1
build=$2
shared=$3
seconds=${4:-30}
cc=${PETAL_FUZZ_CC:-clang}
fuzz=$build/fuzz

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)
{ (void)d; (void)n; return 0; }' > "$probe/probe.c"
if ! command -v "$cc" >/dev/null ||
   ! "$cc" -fsanitize=fuzzer,address "$probe/probe.c" -o "$probe/probe" 2>/dev/null; then
  echo "fuzz_onnx: $cc cannot build libFuzzer targets; skipped"
  exit 77
fi

cmake -S "$src" -B "$fuzz" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPETAL_FUZZ=ON -DPETAL_WERROR=OFF >/dev/null
cmake --build "$fuzz" --target fuzz_onnx -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

corpus=$fuzz/corpus
seeds=$fuzz/seeds
mkdir -p "$corpus" "$seeds"
cp "$shared"/reference/onnx/*.onnx "$seeds"/
if [ -x "$build/tests/test_onnx_graph" ]; then
  PETAL_ONNX_SEED_DIR=$seeds "$build/tests/test_onnx_graph" >/dev/null 2>&1
fi
echo "fuzz_onnx: $(ls "$seeds" | wc -l) seeds, $(ls "$corpus" | wc -l) corpus units, ${seconds}s"
cd "$fuzz"
./fuzz_onnx -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$fuzz/" -print_final_stats=1 "$corpus" "$seeds" 2>&1 | tail -25
exit "${PIPESTATUS[0]}"
