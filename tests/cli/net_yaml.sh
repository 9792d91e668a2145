#!/usr/bin/env bash
# petal's YAML network format: the documented example loads with the right
# counts, and bad files fail with exit 3 and a message that says where and what.
. "$(dirname "$0")/lib.sh"
example=$src/docs/examples/network.yaml
data=$src/tests/data

# The example of docs/formats.md, at its own batch 2 and with --batch.
expect_exit 0 "$petal" net show "$example"
expect_out '^network tiny-cnn, batch 2, 6 layers$' "$petal" net show "$example"
expect_out '^total: 5808768 MACs, 2176 weights, 6 layers$' "$petal" net show "$example"
expect_out '^network tiny-cnn, batch 1, 6 layers$' "$petal" net show "$example" --batch 1
expect_out '^total: 2904384 MACs, 2176 weights, 6 layers$' "$petal" net show "$example" --batch 1
# conv2_dw: depthwise, asymmetric padding -> 16x16; conv3: [1, 3] kernel, dilation [1, 2].
expect_out '^ +1  conv2_dw +conv +N2 G16 M1 C1 P16 Q16 R3 S3 ' "$petal" net show "$example"
expect_out '^ +3  conv3 +conv +N2 G4 M8 C8 P16 Q16 R1 S3 ' "$petal" net show "$example"
# attn_scores: activation x activation, so no weights; B = 2 heads x 2 items.
expect_out '^4,attn_scores,matmul,B4 M256 N256 K16,4194304,0,' "$petal" net show "$example" \
  --format csv
expect_out '^5,fc,fc,N2 M10 C32 P1 Q1 R1 S1,640,320,64,20$' "$petal" net show "$example" \
  --format csv
expect_out '"batch": 2,' "$petal" net show "$example" --format json
checks=$((checks + 1))
if [ -n "$("$petal" net show "$example" 2>&1 >/dev/null)" ]; then
  echo "FAIL: the example prints warnings or errors"; failures=$((failures + 1))
fi

# Anchors and merge keys share fields between layers.
expect_out '^total: 331776 MACs, 1728 weights, 3 layers$' "$petal" net show "$data/net_merge.yaml"

# Names that CSV must quote and JSON must escape; without `name` the network is
# named after its file.
expect_out '^network net_odd_names, batch 1, 1 layers$' "$petal" net show "$data/net_odd_names.yaml"
expect_out '^0,"a,b ""q""",fc,' "$petal" net show "$data/net_odd_names.yaml" --format csv
expect_out '"name": "a,b \\"q\\"",' "$petal" net show "$data/net_odd_names.yaml" --format json

# Unknown keys load with a warning that says file:line:column.
expect_exit 0 "$petal" net show "$data/net_warnings.yaml"
expect_err "net_warnings.yaml:10:5: unknown key 'strides' in layer conv1" \
  "$petal" net show "$data/net_warnings.yaml"
expect_err "net_warnings.yaml:15:5: unknown key 'bias' in layer fc" \
  "$petal" net show "$data/net_warnings.yaml"

# bad FILE REGEX: exit 3, one message on stderr matching REGEX, nothing on stdout.
bad() {
  local file=$data/$1 pattern=$2
  expect_exit 3 "$petal" net show "$file"
  expect_err "^petal: .*$1:$pattern" "$petal" net show "$file"
  checks=$((checks + 1))
  if [ -n "$("$petal" net show "$file" 2>/dev/null)" ]; then
    echo "FAIL: output on stdout for $1"; failures=$((failures + 1))
  fi
}

bad net_malformed.yaml "6:11: malformed YAML: did not find expected ',' or ']'"
bad net_empty.yaml " expected a network: a mapping with name, batch and layers"
bad net_no_layers.yaml "2:9: layers: expected a non-empty list of layers"
bad net_bad_batch.yaml "1:8: batch must be at least 1"
bad net_zero_channels.yaml "5:18: in_channels of layer conv1 must be at least 1, found 0"
bad net_negative_kernel.yaml "7:17: kernel of layer conv1 must be at least 1, found -1"
bad net_too_large.yaml "4:18: in_features of layer huge must be at most 2147483647"
bad net_not_integer.yaml "8:13: stride of layer conv1: expected an integer, found 'two'"
bad net_bad_pair.yaml "5:14: in_size of layer conv1: expected an integer or \[height, width\]"
bad net_missing_field.yaml "2:5: layer conv1: 'out_channels' is missing"
bad net_unknown_kind.yaml "3:11: layer pool1: kind: expected conv, fc or matmul, found 'maxpool'"
bad net_kind_list.yaml "2:21: layer x: kind: expected conv, fc or matmul, found a list"
bad net_layer_scalar.yaml "2:5: layer 0: expected a mapping with name and kind"
bad net_bad_weights.yaml "7:14: weights of layer mm: expected parameter or activation"
bad net_big_stride.yaml "6:5: layer strided: stride 9x9 is larger than the padded input 4x4"
bad net_big_kernel.yaml "2:5: layer wide: kernel 7x7 .* is larger than the padded input 6x10"
bad net_groups.yaml "2:5: layer grouped: 6 input and 4 output channels are not divisible by 4"
bad net_duplicate.yaml "3:5: .*layer name fc is used twice"
bad net_overflow.yaml "3:5: layer enormous: its MACs overflow 64 bits"
bad net_self_merge.yaml "2:5: layer loop: 'kind' is missing"
bad net_merge_cycle.yaml "2:5: layer x: 'kind' is missing"
bad net_merge_bomb.yaml "43:5: layer boom: 'kind' is missing"

# Names: 63 characters (PETAL_NAME_MAX - 1) are kept whole, 64 fail naming the
# limit, whether the name is written or taken from the file name.
a63=$(printf 'a%.0s' {1..63})
l63=$(printf 'l%.0s' {1..63})
o64=$(printf 'o%.0s' {1..64})
limit="is 64 characters; petal keeps at most PETAL_NAME_MAX - 1 = 63"
expect_out "^network $a63, batch 1, 1 layers\$" "$petal" net show "$data/net_long_names.yaml"
expect_out "^0,$l63,fc," "$petal" net show "$data/net_long_names.yaml" --format csv
bad net_name_too_long.yaml "2:7: network name 'o{63}\.\.\.' $limit"
bad net_layer_name_too_long.yaml "3:12: layer name 'o{63}\.\.\.' $limit"
cp "$data/net_odd_names.yaml" "$tmp/$a63.yaml"
expect_out "^network $a63, batch 1, 1 layers\$" "$petal" net show "$tmp/$a63.yaml"
cp "$data/net_odd_names.yaml" "$tmp/$o64.yaml"
expect_exit 3 "$petal" net show "$tmp/$o64.yaml"
expect_err "$o64.yaml: network name \(the file name\) 'o{63}\.\.\.' $limit" \
  "$petal" net show "$tmp/$o64.yaml"

# Every YAML snippet of the Networks section of docs/formats.md loads cleanly.
awk -v dir="$tmp" '
  /^## / { in_networks = ($0 == "## Networks") }
  in_networks && /^```yaml$/ { n++; file = dir "/snippet" n ".yaml"; next }
  file && /^```$/ { close(file); file = ""; next }
  file { print > file }
' "$src/docs/formats.md"
snippets=("$tmp"/snippet*.yaml)
checks=$((checks + 1))
if [ ! -e "${snippets[0]}" ]; then
  echo "FAIL: no yaml snippets found in docs/formats.md"; failures=$((failures + 1))
fi
for f in "${snippets[@]}"; do
  expect_exit 0 "$petal" net show "$f"
  checks=$((checks + 1))
  if [ -n "$("$petal" net show "$f" 2>&1 >/dev/null)" ]; then
    echo "FAIL: docs/formats.md snippet $(basename "$f") prints warnings or errors"
    failures=$((failures + 1))
  fi
done

# The table of built-in networks in docs/formats.md says what petal prints.
rows=0
while IFS='|' read -r _ name _ layers macs weights _; do
  name=$(echo "$name" | tr -d ' `')
  layers=$(echo "$layers" | tr -d ' ,')
  macs=$(echo "$macs" | tr -d ' ,')
  weights=$(echo "$weights" | tr -d ' ,')
  rows=$((rows + 1))
  expect_out "^total: $macs MACs, $weights weights, $layers layers\$" "$petal" net show "$name"
done < <(sed -n '/^### Built-in networks/,/^#/p' "$src/docs/formats.md" | grep -E '^\| `')
expect_eq "rows of the built-in network table" "$rows" "$("$petal" net list | wc -l)"

# A file that is not there.
expect_exit 3 "$petal" net show "$data/no-such-file.yaml"
expect_err "no-such-file.yaml: cannot open" "$petal" net show "$data/no-such-file.yaml"
finish
