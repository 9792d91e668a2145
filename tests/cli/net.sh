#!/usr/bin/env bash
# `petal net`: listing, showing, formats and error exits.
set -u
petal=$1
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$petal" --version
expect_exit 0 "$petal" net list
expect_out "alexnet" "$petal" net list
expect_exit 0 "$petal" net show alexnet --format json
expect_out '"macs": 714188480' "$petal" net show alexnet --format json
expect_out '"weights": 61090496' "$petal" net show alexnet --format json
expect_out 'index,name,kind' "$petal" net show alexnet --format csv
expect_out '"batch": 4' "$petal" net show alexnet --batch 4 --format json
expect_exit 2 "$petal" net show alexnet --format xml
expect_exit 2 "$petal" net show alexnet --batch 0
expect_exit 2 "$petal" net
expect_exit 3 "$petal" net show no-such-net
expect_err "known networks: .*alexnet" "$petal" net show no-such-net
finish
