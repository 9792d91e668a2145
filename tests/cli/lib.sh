# lib.sh - what every command-line test starts with, and helpers to run a
# command and check its exit code or output. A test sources it first, its own
# arguments still in place: $1 the petal binary, $2 the shared directory, $3 the
# source tree, kept as petal, shared and src; tmp is a scratch directory
# removed on exit.
set -u
petal=$1
shared=${2-}
src=${3-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failures=0
checks=0

# sanitized: true in the ASan + UBSan pass (CMake sets PETAL_TEST_SANITIZED).
# A search under an effort gives the same answer in both builds, and runs
# about ten times slower under the sanitizers; a script may then run a long
# search smaller, or skip a claim about its answer (checked in the normal
# pass), saying so with `skip_sanitized WHAT`.
sanitized() { [ "${PETAL_TEST_SANITIZED:-0}" = 1 ]; }
skip_sanitized() { echo "NOTE: under the sanitizers: $* (checked in the normal pass)"; }

# expect_exit CODE CMD...: the command exits with CODE.
expect_exit() {
  local want=$1; shift
  checks=$((checks + 1))
  "$@" >/dev/null 2>&1
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: exit $got, expected $want: $*"; failures=$((failures + 1))
  fi
}

# expect_out REGEX CMD...: standard output matches the extended regex.
expect_out() {
  local pattern=$1; shift
  checks=$((checks + 1))
  if ! "$@" 2>/dev/null | grep -Eq -- "$pattern"; then
    echo "FAIL: stdout lacks /$pattern/: $*"; failures=$((failures + 1))
  fi
}

# expect_err REGEX CMD...: standard error matches the extended regex.
expect_err() {
  local pattern=$1; shift
  checks=$((checks + 1))
  if ! "$@" 2>&1 >/dev/null | grep -Eq -- "$pattern"; then
    echo "FAIL: stderr lacks /$pattern/: $*"; failures=$((failures + 1))
  fi
}

# expect_eq WHAT GOT WANT: two values are the same string.
expect_eq() {
  checks=$((checks + 1))
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1: got '$2', expected '$3'"; failures=$((failures + 1))
  fi
}

# expect_jq FILTER FILE: the jq filter is true for the JSON in FILE (which must
# not be empty: jq 1.6 -e accepts an empty input).
expect_jq() {
  checks=$((checks + 1))
  if [ ! -s "$2" ] || ! jq -e "$1" "$2" >/dev/null 2>&1; then
    echo "FAIL: jq '$1' is not true for $2"; failures=$((failures + 1))
  fi
}

finish() {
  echo "$((checks - failures)) passed, $failures failed"
  [ "$failures" -eq 0 ]
}

# expect_doc_example HEADING DOC FILE: the first ```yaml block after the line
# HEADING in DOC equals FILE without its comment lines, word for word.
expect_doc_example() {
  local heading=$1 doc=$2 file=$3
  checks=$((checks + 1))
  if ! diff <(awk -v h="$heading" '$0 == h { on = 1 } on && /^```yaml$/ { grab = 1; next }
      grab && /^```$/ { exit } grab { print }' "$doc") <(grep -v '^#' "$file") >/dev/null; then
    echo "FAIL: the example under '$heading' in $doc differs from $file"
    failures=$((failures + 1))
  fi
}
