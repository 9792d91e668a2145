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
