# lib.sh - helpers for command-line tests: run a command, check its exit code or output.
failures=0
checks=0

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
