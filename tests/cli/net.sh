#!/usr/bin/env bash
# `petal net`: listing, showing every zoo network in every format, --batch, error exits.
. "$(dirname "$0")/lib.sh"

expect_exit 0 "$petal" --version
expect_exit 0 "$petal" net list
expect_exit 0 "$petal" net --help
expect_exit 0 "$petal" net show --help
expect_out "alexnet" "$petal" net list
expect_exit 0 "$petal" net show alexnet --format json
expect_out '"macs": 714188480' "$petal" net show alexnet --format json
expect_out '"weights": 61090496' "$petal" net show alexnet --format json
expect_out 'index,name,kind' "$petal" net show alexnet --format csv
expect_out '"batch": 4' "$petal" net show alexnet --batch 4 --format json
expect_exit 2 "$petal" net show alexnet --format xml
expect_exit 2 "$petal" net show alexnet --batch 0
expect_exit 2 "$petal" net show alexnet --batch many
expect_exit 2 "$petal" net show alexnet resnet18
expect_exit 2 "$petal" net
expect_exit 2 "$petal" net frobnicate
expect_exit 3 "$petal" net show no-such-net
expect_err "known networks: .*alexnet" "$petal" net show no-such-net

# Every network of the issue is listed with a description.
for name in lenet5 alexnet alexnet-2012 vgg16 googlenet resnet18 resnet50 mobilenet_v1 \
            mobilenet_v2 squeezenet1_0 bert-base; do
  expect_out "^$name +[A-Za-z].{10,}" "$petal" net list
  expect_out "\"name\": \"$name\"" "$petal" net list --format json
  expect_err "known networks: .*$name" "$petal" net show no-such-net
done

# count_matches REGEX CMD...: how many lines of the command's output match.
count_matches() {
  local pattern=$1; shift
  "$@" 2>/dev/null | grep -Ec -- "$pattern"
}

# Every zoo network in every format: the text total, the JSON layer count and
# the CSV rows agree, and --batch scales the batch dimension of every layer.
for name in $("$petal" net list | awk '{print $1}'); do
  expect_exit 0 "$petal" net show "$name"
  layers=$("$petal" net show "$name" | sed -nE 's/^total: .* ([0-9]+) layers$/\1/p')
  expect_out "^network $name, batch 1, $layers layers" "$petal" net show "$name"

  json=$("$petal" net show "$name" --format json)
  expect_eq "$name json name" "$(printf '%s\n' "$json" | sed -n 2p)" "  \"name\": \"$name\","
  expect_eq "$name json layer kinds" "$(printf '%s\n' "$json" | grep -c '"kind": ')" "$layers"
  expect_eq "$name json totals.layers" \
    "$(printf '%s\n' "$json" | sed -n '/"totals"/,$p' | sed -nE 's/.*"layers": ([0-9]+).*/\1/p')" \
    "$layers"
  for key in macs weights inputs outputs; do
    expect_eq "$name json integer $key" \
      "$(printf '%s\n' "$json" | grep -Ec "^      \"$key\": [0-9]+,?$")" "$layers"
  done

  expect_eq "$name csv rows" "$(count_matches '^[0-9]+,' "$petal" net show "$name" --format csv)" \
    "$layers"

  # At batch 3 every layer's batch dimension, its first (N; B for matmuls), is
  # 3 items (bert-base's attention products: 12 heads x 3).
  batched=$("$petal" net show "$name" --batch 3 --format json | grep -A1 '"dims": {' |
            grep -Ec '^        "(N|B)": (3|36),$')
  expect_eq "$name batch dims" "$batched" "$layers"
  expect_exit 0 "$petal" net show "$name" --batch 3 --format csv
  expect_out '"batch": 3' "$petal" net show "$name" --batch 3 --format json
done

# Batch scaling: MACs triple, weights stay.
expect_out '^total: 2142565440 MACs, 61090496 weights, 8 layers$' "$petal" net show alexnet --batch 3
expect_out '"N": 3,' "$petal" net show resnet50 --batch 3 --format json
expect_out '"B": 36,' "$petal" net show bert-base --batch 3 --format json
expect_out '^total: 931135488 MACs, 7077888 weights, 8 layers$' "$petal" net show bert-base
finish
