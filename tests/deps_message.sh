#!/usr/bin/env bash
# deps_message.sh SOURCE_DIR - configuring petal where pkg-config finds none of
# its libraries stops with one message that names the missing Debian packages
# and the command that installs them (cmake/deps.cmake), not CMake's bare
# "A required package was not found".
set -uo pipefail
src=${1:?usage: deps_message.sh SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if PKG_CONFIG_LIBDIR=$tmp/none cmake -S "$src" -B "$tmp/build" >"$tmp/out" 2>&1; then
  echo "deps_message: configuring without libraries succeeded"
  exit 1
fi
for want in 'petal needs these Debian packages' libyaml-dev libprotobuf-c-dev libcmocka-dev \
            'make deps'; do
  if ! tr '\n' ' ' <"$tmp/out" | grep -q -- "$want"; then
    echo "deps_message: the message does not say '$want':"
    cat "$tmp/out"
    exit 1
  fi
done
echo "deps_message: $(grep -m1 'petal needs' "$tmp/out" | sed 's/^ *//')"
