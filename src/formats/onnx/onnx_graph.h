/* onnx_graph.h - an ONNX graph as petal holds it between decoding (onnx_read.c),
 * shape inference (onnx_ops.c, onnx_layers.c; helpers in onnx_infer.c) and
 * import (onnx_import.c); library-internal.
 *
 * Values are the tensors the file names: graph inputs, initializers and node
 * outputs. Each has a shape once petal knows it, and, when it is a small integer
 * tensor whose contents are known (a Shape result, a Constant, a small
 * initializer), its contents, so that the sub-graphs computing a Reshape target
 * fold to constants. Weight data is never read.
 */
#ifndef PETAL_FORMATS_ONNX_GRAPH_H
#define PETAL_FORMATS_ONNX_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "onnx-subset.pb-c.h"
#include "petal/network.h"

#define ONNX_MAX_RANK 12
#define ONNX_DIM_MAX INT64_C(0x7fffffff) /* larger extents and geometry values are rejected */
#define ONNX_FOLD_MAX 4096               /* elements of an integer tensor petal keeps */

/* TensorProto.DataType values petal looks at. */
enum { ONNX_FLOAT = 1, ONNX_INT32 = 6, ONNX_INT64 = 7 };

typedef struct onnx_shape {
    int rank;                    /* -1: unknown */
    int64_t dims[ONNX_MAX_RANK]; /* -1: an extent the file leaves symbolic */
} onnx_shape;

typedef struct onnx_value {
    char *name;
    int producer; /* node that computes it; -1 for graph inputs and initializers */
    bool initializer;
    bool known; /* `shape` is known and concrete */
    onnx_shape shape;
    bool stated; /* the file states a shape (value_info, graph input or output) */
    onnx_shape stated_shape;
    bool param;    /* an initializer, a Constant, or computed from those alone */
    int origin;    /* when not known: the node where inference stopped, or -1 */
    int64_t *data; /* contents of a small integer tensor, else NULL */
    size_t ndata;
    /* The width of the numbers it carries (docs/precision.md): from its element
     * type (an initializer, a graph input), from a QuantizeLinear's zero point,
     * or, for a DequantizeLinear's float output, the width it was quantized to.
     * 0: unknown. */
    uint8_t bits;
    bool is_float;
} onnx_value;

typedef struct onnx_node {
    Onnx__NodeProto *proto;
    size_t index;  /* position in the file */
    int *in, *out; /* value indices; -1 for an omitted optional input or output */
    size_t nin, nout;
    char *reason; /* why inference stopped here (set on the origin node) */
} onnx_node;

typedef struct onnx_graph {
    const char *source; /* file or buffer name, for messages */
    onnx_node *nodes;
    size_t nnodes, node_cap;
    onnx_value *values;
    size_t nvalues, value_cap;
    int *slots; /* open-addressing hash of value names */
    size_t nslots;
    size_t *order;       /* nodes in topological order */
    int64_t input_batch; /* leading extent of the first graph input, 0 if none */
} onnx_graph;

/* Decode `len` bytes of a ModelProto into `g` (which it initialises), resolve
 * node inputs to values and sort the nodes; bulk tensor data is skipped. */
petal_status onnx_graph_read(onnx_graph *g, const uint8_t *buf, size_t len, const char *source);
void onnx_graph_free(onnx_graph *g);

/* Shape and, when small and integer, contents of a tensor; `what` names it in
 * messages. */
petal_status onnx_tensor_value(const Onnx__TensorProto *t, onnx_value *v, const char *what);

/* Inference of one import. A node's function reads its input shapes and
 * attributes and sets its outputs; it returns PETAL_OK, a petal_status error
 * (bad input, the message names the node), or ONNX_CANNOT when the shape cannot
 * be inferred (reason and origin then say why and where). */
#define ONNX_CANNOT (-1)

typedef struct onnx_import {
    onnx_graph *g;
    petal_network *net;
    char reason[256];
    int origin;
    int *name_slots; /* open-addressing hash of the layer names, for uniqueness */
    size_t name_nslots;
} onnx_import;

typedef int (*onnx_infer_fn)(onnx_import *imp, const onnx_node *n);

typedef struct onnx_op {
    const char *name;
    onnx_infer_fn infer;
    bool macs;         /* a layer that carries MACs: its shape must be inferred */
    bool keeps_values; /* its outputs hold only values of input 0 (moved, selected or
                          compared, plus padding zeros), so they keep input 0's width */
} onnx_op;

/* The operator of a node of the default domain, or NULL if petal does not know
 * it (onnx_ops.c). */
const onnx_op *onnx_op_find(const char *domain, const char *op_type);

/* Layers carrying MACs (onnx_layers.c). */
int onnx_infer_conv(onnx_import *imp, const onnx_node *n);
int onnx_infer_gemm(onnx_import *imp, const onnx_node *n);
int onnx_infer_matmul(onnx_import *imp, const onnx_node *n);

/* The width of an ONNX element type (TensorProto.DataType) into *bits and
 * *is_float; false for types without one (strings, bool, complex). */
bool onnx_type_bits(int32_t elem_type, uint8_t *bits, bool *is_float);

/* The quantizing operators (onnx_layers.c): QuantizeLinear and
 * DequantizeLinear keep the shape and carry widths; QLinearConv and
 * QLinearMatMul are layers with quantized operands. */
int onnx_infer_quantize(onnx_import *imp, const onnx_node *n);
int onnx_infer_dequantize(onnx_import *imp, const onnx_node *n);
int onnx_infer_qlinear_conv(onnx_import *imp, const onnx_node *n);
int onnx_infer_qlinear_matmul(onnx_import *imp, const onnx_node *n);

/* --- helpers for inference functions (onnx_infer.c) --- */

/* FNV-1a of a name, for the hash tables of values and layer names. */
uint64_t onnx_hash(const char *s);

/* "node 'name' (Op)", or "node #index (Op)" for an unnamed node. */
void onnx_node_label(const onnx_node *n, char *buf, size_t size);

/* Fail with a message that starts with the source and the node. */
int onnx_node_error(onnx_import *imp, const onnx_node *n, petal_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Stop inference at this node for `fmt` (returns ONNX_CANNOT). */
int onnx_cannot(onnx_import *imp, const onnx_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

bool onnx_has_input(const onnx_node *n, size_t i);
const onnx_value *onnx_input(const onnx_import *imp, const onnx_node *n, size_t i);

/* The known shape of input i: an error if the input is absent, ONNX_CANNOT if
 * its shape is unknown. */
int onnx_input_shape(onnx_import *imp, const onnx_node *n, size_t i, const onnx_shape **shape);

/* The folded contents of input i (`what` names it in the reason). */
int onnx_input_data(onnx_import *imp, const onnx_node *n, size_t i, const char *what,
                    const int64_t **data, size_t *count);

/* Set output i (ignored when the node does not name it); data may be NULL. */
int onnx_set_output(onnx_import *imp, const onnx_node *n, size_t i, const onnx_shape *shape,
                    const int64_t *data, size_t ndata);

const Onnx__AttributeProto *onnx_attr(const onnx_node *n, const char *name);
int64_t onnx_attr_int(const onnx_node *n, const char *name, int64_t fallback);
/* Integers of a list attribute; *count is 0 when it is absent. */
void onnx_attr_ints(const onnx_node *n, const char *name, const int64_t **v, size_t *count);
/* Whether a string attribute equals `value`; `fallback` when it is absent. */
bool onnx_attr_is(const onnx_node *n, const char *name, const char *value, bool fallback);

/* Elements of a shape with overflow check; false when it does not fit. */
bool onnx_numel(const onnx_shape *s, int64_t *out);

/* Append to a message buffer of `size` bytes; *used never passes size - 1. */
void onnx_append(char *buf, size_t size, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* "[1, 64, 56, 56]" with "?" for a symbolic extent. */
void onnx_shape_format(const onnx_shape *s, char *buf, size_t size);

/* Normalise a possibly negative axis against `rank`; an error names the node. */
int onnx_axis(onnx_import *imp, const onnx_node *n, int64_t axis, int rank, int *out);

/* Auto-padding modes of Conv and the pooling operators. */
typedef enum {
    ONNX_PAD_NOTSET,
    ONNX_PAD_SAME_UPPER,
    ONNX_PAD_SAME_LOWER,
    ONNX_PAD_VALID
} onnx_pad_mode;

/* Geometry of a sliding window over the spatial extents of an N x C x ...
 * tensor, shared by Conv and pooling: reads kernel_shape (or `kernel` when not
 * NULL), strides, dilations, pads, auto_pad and ceil_mode. */
typedef struct onnx_window {
    int nspatial;
    int64_t in[ONNX_MAX_RANK], kernel[ONNX_MAX_RANK], stride[ONNX_MAX_RANK];
    int64_t dilation[ONNX_MAX_RANK], pad_begin[ONNX_MAX_RANK], pad_end[ONNX_MAX_RANK];
    int64_t out[ONNX_MAX_RANK];
} onnx_window;

int onnx_window_infer(onnx_import *imp, const onnx_node *n, const onnx_shape *x,
                      const int64_t *kernel, bool allow_ceil, onnx_window *w);

#endif
