#!/usr/bin/env bash
# install.sh SOURCE_DIR BUILD_DIR - libpetal as a third party gets it: install
# into a temporary prefix, then
#   - a C file calling petal_version() builds with `pkg-config --cflags --libs
#     petal` and prints the version `petal --version` prints;
#   - examples/best_mapping.c builds the same way, against the shared and the
#     static library, and finds a mapping;
#   - the shared and the static library define exactly the functions the
#     public headers declare: no internal helper, nothing outside petal_.
set -euo pipefail
src=${1:?usage: install.sh SOURCE_DIR BUILD_DIR}
build=${2:?usage: install.sh SOURCE_DIR BUILD_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cc=${CC:-cc}

cmake --install "$build" --prefix "$prefix" >/dev/null
pcdir=$(dirname "$(find "$prefix" -name petal.pc | head -n 1)")
[ -n "$pcdir" ] || { echo "install: no petal.pc under $prefix"; exit 1; }
export PKG_CONFIG_PATH=$pcdir
libdir=$(pkg-config --variable=libdir petal)
for f in "$prefix/include/petal/petal.h" "$prefix/include/petal/version.h" \
         "$prefix/include/petal/config.h" "$libdir/libpetal.so" "$libdir/libpetal.a" \
         "$prefix/bin/petal"; do
  [ -e "$f" ] || { echo "install: $f was not installed"; exit 1; }
done

cat > "$tmp/version.c" <<'C'
#include <stdio.h>
#include <petal/petal.h>
int main(void)
{
    printf("petal %s\n", petal_version());
    return 0;
}
C
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Werror "$tmp/version.c" $(pkg-config --cflags --libs petal) -o "$tmp/version"
got=$(LD_LIBRARY_PATH=$libdir "$tmp/version")
want=$("$prefix/bin/petal" --version)
[ "$got" = "$want" ] || { echo "install: the library says '$got', petal --version '$want'"; exit 1; }
echo "install: $got through pkg-config, as petal --version"

# The example, against the shared library, then the static one alone.
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Werror "$src/examples/best_mapping.c" $(pkg-config --cflags --libs petal) \
  -o "$tmp/best_shared"
LD_LIBRARY_PATH=$libdir "$tmp/best_shared" alexnet conv1 eyeriss-v1 > "$tmp/shared.out"
grep -q 'alexnet conv1 on eyeriss-v1, row stationary: energy' "$tmp/shared.out" ||
  { echo "install: the example printed:"; cat "$tmp/shared.out"; exit 1; }
# shellcheck disable=SC2046
"$cc" -std=c11 -Wall -Werror "$src/examples/best_mapping.c" $(pkg-config --cflags petal) \
  "$libdir/libpetal.a" $(pkg-config --libs-only-l --static petal | sed 's/-lpetal//') \
  -o "$tmp/best_static"
"$tmp/best_static" alexnet conv1 eyeriss-v1 > "$tmp/static.out"
cmp -s "$tmp/shared.out" "$tmp/static.out" ||
  { echo "install: static and shared examples differ"; diff "$tmp/shared.out" "$tmp/static.out"; exit 1; }
echo "install: examples/best_mapping.c: $(sed -n 2p "$tmp/shared.out")"

# Exported names: exactly the functions the public headers declare (the list
# CMake wrote from include/petal, build/petal_api.txt), in both libraries.
api=$build/petal_api.txt
for lib in "$libdir/libpetal.so" "$libdir/libpetal.a"; do
  if [ "${lib##*.}" = so ]; then
    nm -D --defined-only "$lib" | awk 'NF == 3 {print $3}' | sort -u > "$tmp/exported"
  else
    nm -g --defined-only "$lib" | awk 'NF == 3 {print $3}' | sort -u > "$tmp/exported"
  fi
  extra=$(comm -13 <(sort -u "$api") "$tmp/exported")
  missing=$(comm -23 <(sort -u "$api") "$tmp/exported")
  [ -z "$extra" ] || { echo "install: $(basename "$lib") exports names no public header declares:"; echo "$extra" | head; exit 1; }
  [ -z "$missing" ] || { echo "install: $(basename "$lib") lacks declared functions:"; echo "$missing" | head; exit 1; }
  grep -qv '^petal_' "$tmp/exported" && { echo "install: $(basename "$lib") exports a name outside petal_"; exit 1; }
done
echo "install: libpetal.so and libpetal.a export the $(wc -l < "$api") functions the public headers declare, nothing else"
