#!/usr/bin/env bash
# `petal net show FILE.onnx`: the reference models in text and JSON, batch
# scaling, and damaged files (missing, empty, truncated, corrupt, cyclic): exit 3.
. "$(dirname "$0")/lib.sh"

models=$shared/reference/onnx
resnet=$models/resnet18.onnx
alexnet=$models/alexnet.onnx

expect_exit 0 "$petal" net show "$resnet"
expect_out '^network resnet18, batch 1, 21 layers' "$petal" net show "$resnet"
expect_out 'total: 1814073344 MACs, 11678912 weights, 21 layers' "$petal" net show "$resnet"
expect_out '/layer1/layer1.0/conv1/Conv +conv +N1 M64 C64 P56 Q56 R3 S3' "$petal" net show "$resnet"
expect_out '"macs": 1814073344' "$petal" net show "$resnet" --format json
expect_out '"name": "/fc/Gemm"' "$petal" net show "$resnet" --format json
expect_out '"kind": "fc"' "$petal" net show "$resnet" --format json
expect_out '"macs": 3628146688' "$petal" net show "$resnet" --batch 2 --format json
expect_out '^20,/fc/Gemm,fc,' "$petal" net show "$resnet" --format csv
expect_out 'total: 714188480 MACs, 61090496 weights, 8 layers' "$petal" net show "$alexnet"
expect_out 'total: 300774272 MACs' "$petal" net show "$models/mobilenet_v2.onnx"
expect_out 'total: 818924576 MACs' "$petal" net show "$models/squeezenet1_0.onnx"
expect_out 'total: 15470264320 MACs' "$petal" net show "$models/vgg16.onnx"

# Damaged files: a clear message naming the file, exit 3.
expect_exit 3 "$petal" net show "$tmp/missing.onnx"
expect_err "missing.onnx: cannot open" "$petal" net show "$tmp/missing.onnx"
: > "$tmp/empty.onnx"
expect_exit 3 "$petal" net show "$tmp/empty.onnx"
expect_err "empty.onnx: the file is empty" "$petal" net show "$tmp/empty.onnx"
head -c 6000 "$resnet" > "$tmp/truncated.onnx"
expect_exit 3 "$petal" net show "$tmp/truncated.onnx"
expect_err "truncated.onnx: not a valid ONNX model: .*truncated or corrupt" \
  "$petal" net show "$tmp/truncated.onnx"
cp "$resnet" "$tmp/corrupt.onnx"
printf '\017' | dd of="$tmp/corrupt.onnx" bs=1 seek=0 conv=notrunc status=none
expect_exit 3 "$petal" net show "$tmp/corrupt.onnx"
expect_err "corrupt.onnx: .*breaks at byte 0" "$petal" net show "$tmp/corrupt.onnx"
echo "not a model" > "$tmp/text.onnx"
expect_exit 3 "$petal" net show "$tmp/text.onnx"
mkdir "$tmp/dir.onnx"
expect_exit 3 "$petal" net show "$tmp/dir.onnx"
expect_err "dir.onnx: is a directory" "$petal" net show "$tmp/dir.onnx"

# A cycle: the ReLU after alexnet's first convolution reads the third
# convolution's output instead (a name of the same length, so the bytes stay
# well-formed): relu -> pool -> conv -> relu.
perl -0777 -pe 's{(/features/features\.0/Conv_output_0.*?)/features/features\.0/Conv_output_0}{$1/features/features.3/Conv_output_0}s' \
  "$alexnet" > "$tmp/cycle.onnx"
expect_exit 3 "$petal" net show "$tmp/cycle.onnx"
expect_err "cycle.onnx: the graph has a cycle: node '/features/features.1/Relu' \(Relu\) -> node '/features/features.2/MaxPool' \(MaxPool\) -> node '/features/features.3/Conv' \(Conv\) -> node '/features/features.1/Relu'" \
  "$petal" net show "$tmp/cycle.onnx"
finish
