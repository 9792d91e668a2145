#!/usr/bin/env bash
# run.sh - build and run petal's libFuzzer harnesses (docs/fuzzing.md).
#
#   run.sh [--build-only] [--no-build] [--replay] SOURCE_DIR BUILD_DIR SHARED_DIR SECONDS [HARNESS...]
#
# Builds every harness once with clang (libFuzzer + ASan + UBSan) in
# BUILD_DIR/fuzz, then fuzzes each named HARNESS (all of them when none is
# named) for SECONDS, one after the other, starting from its seeds (the files of
# docs/examples, tests/data and SHARED_DIR/reference that its reader takes, and
# tests/fuzz/seeds/HARNESS), its saved corpus (BUILD_DIR/fuzz/corpus/HARNESS)
# and its regressions (tests/fuzz/regressions/HARNESS); the YAML harnesses get
# the dictionary tests/fuzz/yaml.dict. A crash, a leak, undefined behaviour or a
# timeout fails the run and leaves the input as BUILD_DIR/fuzz/HARNESS-crash-*.
#   --build-only  build the harnesses, run nothing (the ctest fixture);
#   --no-build    use the harnesses already built (the ctest tests after the fixture);
#   --replay      run each harness once on each of its regression inputs, without
#                 fuzzing (SECONDS is ignored).
# Without a clang that can build libFuzzer targets, exit 77 (ctest: skipped).
set -euo pipefail

all_harnesses=(fuzz_onnx fuzz_net_yaml fuzz_arch_yaml fuzz_mapping_yaml fuzz_constraints_yaml
  fuzz_tl_problem fuzz_tl_arch fuzz_tl_mapping fuzz_tl_constraints fuzz_tl_ert fuzz_tl_sparse
  fuzz_sweep_yaml fuzz_sweep_output fuzz_scalesim fuzz_density_profile)

do_build=yes
mode=fuzz
while [ $# -gt 0 ]; do
  case $1 in
    --build-only) mode=build; shift ;;
    --no-build) do_build=no; shift ;;
    --replay) mode=replay; shift ;;
    *) break ;;
  esac
done
if [ $# -lt 4 ]; then
  sed -n 4p "$0" >&2
  exit 2
fi
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
shared=$3
seconds=$4
shift 4
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=("${all_harnesses[@]}")
for h in "${harnesses[@]}"; do
  case " ${all_harnesses[*]} " in
    *" $h "*) ;;
    *) echo "run.sh: unknown harness $h (known: ${all_harnesses[*]})" >&2; exit 2 ;;
  esac
done
cc=${PETAL_FUZZ_CC:-clang}
fuzz=$build/fuzz
regressions=$src/tests/fuzz/regressions

can_fuzz() {
  local probe
  probe=$(mktemp -d)
  echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)
{ (void)d; (void)n; return 0; }' > "$probe/probe.c"
  local ok=0
  command -v "$cc" >/dev/null &&
    "$cc" -fsanitize=fuzzer,address,undefined "$probe/probe.c" -o "$probe/probe" 2>/dev/null ||
    ok=1
  rm -rf "$probe"
  return $ok
}

if ! can_fuzz; then
  echo "run.sh: $cc cannot build libFuzzer targets; skipped"
  exit 77
fi

if [ "$do_build" = yes ]; then
  cmake -S "$src" -B "$fuzz" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPETAL_FUZZ=ON -DPETAL_WERROR=OFF -DPETAL_SHARED_DIR="$shared" >/dev/null
  cmake --build "$fuzz" --target "${all_harnesses[@]}" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
fi
[ "$mode" != build ] || exit 0

for h in "${harnesses[@]}"; do
  if [ ! -x "$fuzz/$h" ]; then
    echo "run.sh: $fuzz/$h is not built (run.sh --build-only first)" >&2
    exit 1
  fi
done

# The inputs of one harness's reader, each copied once under its hash.
add_seeds() {
  local dir=$1
  shift
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp "$f" "$dir/$(sha1sum < "$f" | cut -c1-16)"
  done
}

# Files (at most 64 KiB, at most $2 of them, smallest first) under $1 with a
# line matching the extended regex $3.
files_with() {
  local dir=$1 max=$2 pattern=$3
  [ -d "$dir" ] || return 0
  find "$dir" -name '*.yaml' -size -64k -print0 2>/dev/null |
    xargs -0 -r grep -lE "$pattern" 2>/dev/null |
    xargs -r ls -1S -r 2>/dev/null | head -n "$max" || true
}

seed() {
  local h=$1 dir=$2 ref=$shared/reference/timeloop-exercises ex=$src/docs/examples
  local -a files=()
  case $h in
    fuzz_onnx)
      files=("$shared"/reference/onnx/*.onnx)
      if [ -x "$build/tests/test_onnx_graph" ]; then
        PETAL_ONNX_SEED_DIR=$dir "$build/tests/test_onnx_graph" >/dev/null 2>&1 || true
      fi
      ;;
    fuzz_net_yaml)
      mapfile -t files < <(files_with "$ex" 20 '^layers:'; ls "$src"/tests/data/*.yaml) ;;
    fuzz_arch_yaml)
      mapfile -t files < <(files_with "$ex" 20 '^  levels:') ;;
    fuzz_mapping_yaml)
      mapfile -t files < <(files_with "$ex" 20 '^mapping:' | xargs -r grep -l 'levels:') ;;
    fuzz_constraints_yaml)
      mapfile -t files < <(files_with "$ex" 20 '^  constraints:'; files_with "$ex" 20 '^constraints:') ;;
    fuzz_tl_problem)
      mapfile -t files < <(files_with "$ex/timeloop" 10 '^problem:'
        files_with "$ref" 40 '^problem:') ;;
    fuzz_tl_arch)
      mapfile -t files < <(files_with "$ex/timeloop" 10 '^architecture:'
        files_with "$ref" 40 '^architecture:') ;;
    fuzz_tl_mapping)
      mapfile -t files < <(files_with "$ex/timeloop" 10 '^mapping:'
        files_with "$ref/tutorial-timeloop" 40 '^mapping:') ;;
    fuzz_tl_constraints)
      mapfile -t files < <(
        files_with "$ref" 40 '^(architecture_constraints|mapspace_constraints|constraints):'
        files_with "$ref/tutorial-timeloop" 10 '^ +constraints:') ;;
    fuzz_tl_ert)
      mapfile -t files < <(files_with "$ex/timeloop" 10 '^(ERT|ART):'
        files_with "$ref" 40 '^(ERT|ART):') ;;
    fuzz_tl_sparse)
      mapfile -t files < <(files_with "$ref/example_designs/example_designs" 40 \
        '^sparse_optimizations:') ;;
    fuzz_sweep_yaml)
      mapfile -t files < <(files_with "$src/examples/sweep" 10 '^sweep:'
        files_with "$src/tests/data/sweep" 10 '^sweep:') ;;
    fuzz_density_profile)
      mapfile -t files < <(files_with "$ex" 10 '^densities:'; ls "$src"/tests/bad_input/profile_*.yaml) ;;
    fuzz_sweep_output)
      files=() ;; # its own seeds only: rows of its fixed spec
    fuzz_scalesim)
      files=("$shared"/reference/scalesim/*/config.cfg "$shared"/reference/scalesim/*/topology.csv
        "$src"/tests/reference/scalesim/*/config.cfg "$src"/tests/reference/scalesim/*/topology.csv
        "$src"/tests/bad_input/scalesim_*) ;;
  esac
  add_seeds "$dir" "${files[@]}" "$src"/tests/fuzz/seeds/"$h"/*
}

status=0
for h in "${harnesses[@]}"; do
  reg=$regressions/$h
  if [ "$mode" = replay ]; then
    mapfile -t inputs < <(find "$reg" -type f ! -name '*.md' 2>/dev/null | sort)
    if [ ${#inputs[@]} -eq 0 ]; then
      echo "$h: no regression inputs"
      continue
    fi
    echo "$h: replaying ${#inputs[@]} regression inputs"
    (cd "$fuzz" && PETAL_SHARED_DIR=$shared "./$h" -timeout=10 -rss_limit_mb=2048 "${inputs[@]}" 2>&1 | tail -5
     exit "${PIPESTATUS[0]}") || status=1
    continue
  fi
  corpus=$fuzz/corpus/$h
  seeds=$fuzz/seeds/$h
  rm -rf "$seeds"
  mkdir -p "$corpus" "$seeds"
  seed "$h" "$seeds"
  dirs=("$corpus" "$seeds")
  [ -d "$reg" ] && dirs+=("$reg")
  dict=()
  case $h in
    fuzz_onnx | fuzz_scalesim | fuzz_sweep_output) ;;
    *) dict=(-dict="$src/tests/fuzz/yaml.dict") ;;
  esac
  echo "$h: $(ls "$seeds" | wc -l) seeds, $(ls "$corpus" | wc -l) corpus units, ${seconds}s"
  (cd "$fuzz" && PETAL_SHARED_DIR=$shared "./$h" -max_total_time="$seconds" \
     -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$fuzz/$h-" -print_final_stats=1 \
     "${dict[@]}" "${dirs[@]}" 2>&1 | tail -25
   exit "${PIPESTATUS[0]}") || status=1
done
exit $status
