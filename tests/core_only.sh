#!/usr/bin/env bash
# core_only.sh SOURCE_DIR BUILD_DIR SHARED_DIR - the core as a library of its
# own: configure with -DPETAL_CORE_ONLY=ON in BUILD_DIR/core-only (CMake looks
# for neither libyaml nor protobuf-c there), build the core library, shared and
# static, and the core's own unit tests, run the short ones, check that libpetal.so needs
# neither library, and that examples/best_mapping.c runs against it.
set -euo pipefail
src=${1:?usage: core_only.sh SOURCE_DIR BUILD_DIR SHARED_DIR}
build=${2:?}/core-only
shared=${3:?}
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$2/CMakeCache.txt")
type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$2/CMakeCache.txt")
sanitize=$(sed -n 's/^PETAL_SANITIZE:[A-Z]*=//p' "$2/CMakeCache.txt")

cmake -S "$src" -B "$build" -DPETAL_CORE_ONLY=ON -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_BUILD_TYPE="${type:-RelWithDebInfo}" -DPETAL_SANITIZE="${sanitize:-OFF}" \
  -DPETAL_SHARED_DIR="$shared" >/dev/null
grep -Eq '^(YAML|PROTOBUFC)_FOUND' "$build/CMakeCache.txt" &&
  { echo "core_only: the core-only configure looked for libyaml or protobuf-c"; exit 1; }
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

needed=$(readelf -d "$build/libpetal.so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
echo "core_only: libpetal.so needs: $needed"
if grep -Eq 'yaml|protobuf' <<<"$needed"; then
  echo "core_only: the core library depends on libyaml or protobuf-c"
  exit 1
fi
extra=$(comm -13 <(sort -u "$build/petal_api.txt") \
  <(nm -D --defined-only "$build/libpetal.so" | awk 'NF == 3 {print $3}' | sort -u))
[ -z "$extra" ] || { echo "core_only: libpetal.so exports undeclared names:"; echo "$extra" | head; exit 1; }
grep -q '#define PETAL_HAVE_FORMATS 0' "$build/include/petal/config.h" ||
  { echo "core_only: config.h does not say the build is core-only"; exit 1; }

tests=$(cd "$build" && ctest -N | sed -n 's/^ *Test *#[0-9]*: //p' | tr '\n' ' ')
echo "core_only: the core's tests: $tests"
[ -n "$tests" ] || { echo "core_only: no test was built"; exit 1; }
# Every core test is built above; the long ones (label "long": the property and
# brute-force tests) ran in the full build on the same core sources.
(cd "$build" && ctest --output-on-failure -LE long -j "$(nproc 2>/dev/null || echo 2)")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
PKG_CONFIG_PATH=$(dirname "$(find "$tmp/prefix" -name petal.pc | head -n 1)")
export PKG_CONFIG_PATH
libdir=$(pkg-config --variable=libdir petal)
san=()
[ "${sanitize:-OFF}" = ON ] && san=(-fsanitize=address,undefined)
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Werror "${san[@]}" "$src/examples/best_mapping.c" \
  $(pkg-config --cflags --libs petal) -o "$tmp/best"
LD_LIBRARY_PATH=$libdir "$tmp/best" alexnet conv1 eyeriss-v1 | sed -n 2p | sed 's/^/core_only: /'
