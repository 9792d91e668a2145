/* petal/onnx.h - import a network from an ONNX model (docs/onnx.md).
 *
 * Every Conv, Gemm and MatMul node becomes a layer, in execution order: Conv as
 * a convolution (grouped, strided, dilated, padded), Gemm and MatMul with a
 * parameter operand as a fully connected layer or a matmul with weights, and a
 * product of two activations as a matmul without weights. Shapes are inferred
 * through the graph; weight data is never read, so initializers may live in an
 * external file that is absent. Operators petal does not know count as zero MACs
 * and are named in one warning (petal_set_warning_handler).
 */
#ifndef PETAL_ONNX_H
#define PETAL_ONNX_H

#include <stddef.h>

#include "petal/network.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Load the ONNX model at `path` into `net` (initialised here, named after the
 * file). A file that is empty, truncated or corrupt, a graph with a cycle, or a
 * layer whose shape cannot be inferred fails with a message naming the file and
 * the node; `net` is then empty. */
petal_status petal_network_load_onnx(const char *path, petal_network *net);

/* The same from `size` bytes in memory; `name` names the network and prefixes
 * messages. */
petal_status petal_network_load_onnx_buffer(const void *data, size_t size, const char *name,
                                            petal_network *net);

#ifdef __cplusplus
}
#endif
#endif
