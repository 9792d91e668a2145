/* onnx_build.h - build ONNX models in tests and benchmarks with protobuf-c's
 * generated messages (the schema subset petal reads), then pack them to bytes.
 *
 *   onnx_build b;
 *   ob_init(&b, 13);
 *   ob_input(&b, "x", 4, DIMS(1, 3, 8, 8));
 *   ob_weight(&b, "w", 4, DIMS(4, 3, 3, 3));
 *   Onnx__NodeProto *conv = ob_node(&b, "Conv", "conv", "x,w", "y");
 *   ob_ints(&b, conv, "pads", 4, DIMS(1, 1, 1, 1));
 *   st = ob_load(&b, &net);   // packs and calls petal_network_load_onnx_buffer
 *   ob_free(&b);
 */
#ifndef PETAL_TESTS_ONNX_BUILD_H
#define PETAL_TESTS_ONNX_BUILD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onnx-subset.pb-c.h"
#include "petal/onnx.h"

#define DIMS(...) ((const int64_t[]){__VA_ARGS__})
#define OB_MAX 512
#define OB_SYMBOLIC (-1) /* a dimension written as dim_param "N" */

typedef struct onnx_build {
    Onnx__ModelProto model;
    Onnx__GraphProto graph;
    Onnx__OperatorSetIdProto opset;
    Onnx__OperatorSetIdProto *opsets[1];
    Onnx__NodeProto *nodes[OB_MAX];
    Onnx__TensorProto *inits[OB_MAX];
    Onnx__ValueInfoProto *inputs[OB_MAX], *outputs[OB_MAX], *infos[OB_MAX];
    void *allocs[16 * OB_MAX];
    size_t nallocs;
    uint8_t *packed;
} onnx_build;

static inline void *ob_alloc(onnx_build *b, size_t size)
{
    void *p = calloc(1, size ? size : 1);
    b->allocs[b->nallocs++] = p;
    return p;
}

static inline char *ob_str(onnx_build *b, const char *s)
{
    char *copy = ob_alloc(b, strlen(s) + 1);
    memcpy(copy, s, strlen(s) + 1);
    return copy;
}

static inline void ob_init(onnx_build *b, int64_t opset)
{
    memset(b, 0, sizeof *b);
    onnx__model_proto__init(&b->model);
    onnx__graph_proto__init(&b->graph);
    onnx__operator_set_id_proto__init(&b->opset);
    b->model.has_ir_version = 1;
    b->model.ir_version = 8;
    b->model.graph = &b->graph;
    b->opset.has_version = 1;
    b->opset.version = opset;
    b->opset.domain = ob_str(b, "");
    b->opsets[0] = &b->opset;
    b->model.n_opset_import = 1;
    b->model.opset_import = b->opsets;
    b->graph.name = ob_str(b, "test");
    b->graph.node = b->nodes;
    b->graph.initializer = b->inits;
    b->graph.input = b->inputs;
    b->graph.output = b->outputs;
    b->graph.value_info = b->infos;
}

/* A value info; a dimension OB_SYMBOLIC is written as dim_param "N"; rank < 0
 * states no shape. */
static inline Onnx__ValueInfoProto *ob_value_info(onnx_build *b, const char *name, int rank,
                                                  const int64_t *dims)
{
    Onnx__ValueInfoProto *vi = ob_alloc(b, sizeof *vi);
    onnx__value_info_proto__init(vi);
    vi->name = ob_str(b, name);
    Onnx__TypeProto *type = ob_alloc(b, sizeof *type);
    onnx__type_proto__init(type);
    Onnx__TypeProto__Tensor *tensor = ob_alloc(b, sizeof *tensor);
    onnx__type_proto__tensor__init(tensor);
    tensor->has_elem_type = 1;
    tensor->elem_type = 1;
    type->tensor_type = tensor;
    vi->type = type;
    if (rank < 0)
        return vi;
    Onnx__TensorShapeProto *shape = ob_alloc(b, sizeof *shape);
    onnx__tensor_shape_proto__init(shape);
    shape->n_dim = (size_t)rank;
    shape->dim = ob_alloc(b, (size_t)rank * sizeof *shape->dim);
    for (int i = 0; i < rank; i++) {
        Onnx__TensorShapeProto__Dimension *d = ob_alloc(b, sizeof *d);
        onnx__tensor_shape_proto__dimension__init(d);
        if (dims[i] == OB_SYMBOLIC) {
            d->dim_param = ob_str(b, "N");
        } else {
            d->has_dim_value = 1;
            d->dim_value = dims[i];
        }
        shape->dim[i] = d;
    }
    tensor->shape = shape;
    return vi;
}

static inline void ob_input(onnx_build *b, const char *name, int rank, const int64_t *dims)
{
    b->inputs[b->graph.n_input++] = ob_value_info(b, name, rank, dims);
}

static inline void ob_output(onnx_build *b, const char *name, int rank, const int64_t *dims)
{
    b->outputs[b->graph.n_output++] = ob_value_info(b, name, rank, dims);
}

static inline void ob_info(onnx_build *b, const char *name, int rank, const int64_t *dims)
{
    b->infos[b->graph.n_value_info++] = ob_value_info(b, name, rank, dims);
}

/* A tensor: float with `raw_bytes` bytes of raw data (0: none), or int64 with
 * `ints` as its contents (numel values). */
static inline Onnx__TensorProto *ob_tensor(onnx_build *b, const char *name, int rank,
                                           const int64_t *dims, const int64_t *ints,
                                           size_t raw_bytes)
{
    Onnx__TensorProto *t = ob_alloc(b, sizeof *t);
    onnx__tensor_proto__init(t);
    if (name)
        t->name = ob_str(b, name);
    t->n_dims = (size_t)rank;
    t->dims = ob_alloc(b, (size_t)rank * sizeof *t->dims);
    size_t numel = 1;
    for (int i = 0; i < rank; i++) {
        t->dims[i] = dims[i];
        numel *= (size_t)dims[i];
    }
    t->has_data_type = 1;
    t->data_type = ints ? 7 : 1;
    if (ints) {
        t->n_int64_data = numel;
        t->int64_data = ob_alloc(b, numel * sizeof *t->int64_data);
        memcpy(t->int64_data, ints, numel * sizeof *ints);
    } else if (raw_bytes) {
        t->has_raw_data = 1;
        t->raw_data.len = raw_bytes;
        t->raw_data.data = ob_alloc(b, raw_bytes);
    }
    return t;
}

/* A float weight whose data lives in an absent external file. */
static inline void ob_weight(onnx_build *b, const char *name, int rank, const int64_t *dims)
{
    Onnx__TensorProto *t = ob_tensor(b, name, rank, dims, NULL, 0);
    t->has_data_location = 1;
    t->data_location = 1;
    Onnx__StringStringEntryProto *loc = ob_alloc(b, sizeof *loc);
    onnx__string_string_entry_proto__init(loc);
    loc->key = ob_str(b, "location");
    loc->value = ob_str(b, "absent.weights");
    t->n_external_data = 1;
    t->external_data = ob_alloc(b, sizeof *t->external_data);
    t->external_data[0] = loc;
    b->inits[b->graph.n_initializer++] = t;
}

/* An initializer of element type `type` (TensorProto.DataType: 2 uint8, 3 int8,
 * 10 float16, 16 bfloat16, 22 int4, ...) whose data lives in an absent
 * external file, as ob_weight's: a quantized weight, a scale, a zero point. */
static inline void ob_typed(onnx_build *b, const char *name, int rank, const int64_t *dims,
                            int type)
{
    ob_weight(b, name, rank, dims);
    b->inits[b->graph.n_initializer - 1]->data_type = type;
}

/* A graph input of element type `type`. */
static inline void ob_input_typed(onnx_build *b, const char *name, int rank, const int64_t *dims,
                                  int type)
{
    ob_input(b, name, rank, dims);
    b->inputs[b->graph.n_input - 1]->type->tensor_type->elem_type = type;
}

static inline void ob_ints_init(onnx_build *b, const char *name, int rank, const int64_t *dims,
                                const int64_t *ints)
{
    b->inits[b->graph.n_initializer++] = ob_tensor(b, name, rank, dims, ints, 0);
}

/* Split "a,b,,c" into strings ("" for an omitted optional input). */
static inline size_t ob_names(onnx_build *b, const char *list, char ***out)
{
    size_t n = *list ? 1 : 0;
    for (const char *p = list; *p; p++)
        n += *p == ',';
    *out = ob_alloc(b, n * sizeof **out);
    for (size_t i = 0; i < n; i++) {
        const char *end = strchr(list, ',');
        size_t len = end ? (size_t)(end - list) : strlen(list);
        char *s = ob_alloc(b, len + 1);
        memcpy(s, list, len);
        (*out)[i] = s;
        list += len + (end ? 1 : 0);
    }
    return n;
}

static inline Onnx__NodeProto *ob_node(onnx_build *b, const char *op, const char *name,
                                       const char *inputs, const char *outputs)
{
    Onnx__NodeProto *n = ob_alloc(b, sizeof *n);
    onnx__node_proto__init(n);
    n->op_type = ob_str(b, op);
    n->name = ob_str(b, name ? name : "");
    n->n_input = ob_names(b, inputs, &n->input);
    n->n_output = ob_names(b, outputs, &n->output);
    n->attribute = ob_alloc(b, 16 * sizeof *n->attribute);
    b->nodes[b->graph.n_node++] = n;
    return n;
}

static inline Onnx__AttributeProto *ob_attr(onnx_build *b, Onnx__NodeProto *n, const char *name,
                                            int type)
{
    Onnx__AttributeProto *a = ob_alloc(b, sizeof *a);
    onnx__attribute_proto__init(a);
    a->name = ob_str(b, name);
    a->has_type = 1;
    a->type = type;
    n->attribute[n->n_attribute++] = a;
    return a;
}

static inline void ob_int(onnx_build *b, Onnx__NodeProto *n, const char *name, int64_t v)
{
    Onnx__AttributeProto *a = ob_attr(b, n, name, 2);
    a->has_i = 1;
    a->i = v;
}

static inline void ob_ints(onnx_build *b, Onnx__NodeProto *n, const char *name, size_t count,
                           const int64_t *v)
{
    Onnx__AttributeProto *a = ob_attr(b, n, name, 7);
    a->n_ints = count;
    a->ints = ob_alloc(b, count * sizeof *a->ints);
    memcpy(a->ints, v, count * sizeof *v);
}

static inline void ob_string(onnx_build *b, Onnx__NodeProto *n, const char *name, const char *s)
{
    Onnx__AttributeProto *a = ob_attr(b, n, name, 3);
    a->has_s = 1;
    a->s.len = strlen(s);
    a->s.data = (uint8_t *)ob_str(b, s);
}

static inline void ob_tensor_attr(onnx_build *b, Onnx__NodeProto *n, const char *name,
                                  Onnx__TensorProto *t)
{
    ob_attr(b, n, name, 4)->t = t;
}

/* A Constant node holding int64 contents. */
static inline void ob_const(onnx_build *b, const char *output, int rank, const int64_t *dims,
                            const int64_t *ints)
{
    Onnx__NodeProto *n = ob_node(b, "Constant", NULL, "", output);
    ob_tensor_attr(b, n, "value", ob_tensor(b, NULL, rank, dims, ints, 0));
}

static inline uint8_t *ob_pack(onnx_build *b, size_t *len)
{
    *len = onnx__model_proto__get_packed_size(&b->model);
    free(b->packed);
    b->packed = malloc(*len ? *len : 1);
    onnx__model_proto__pack(&b->model, b->packed);
    return b->packed;
}

/* Pack and load. With PETAL_ONNX_SEED_DIR set, each model is also written
 * there (seed-N.onnx), as a seed for the fuzz target. */
static inline petal_status ob_load(onnx_build *b, petal_network *net)
{
    static unsigned seeds;
    size_t len;
    uint8_t *bytes = ob_pack(b, &len);
    const char *dir = getenv("PETAL_ONNX_SEED_DIR");
    if (dir) {
        char path[4096];
        snprintf(path, sizeof path, "%s/seed-%u.onnx", dir, seeds++);
        FILE *f = fopen(path, "wb");
        if (f) {
            fwrite(bytes, 1, len, f);
            fclose(f);
        }
    }
    return petal_network_load_onnx_buffer(bytes, len, "test.onnx", net);
}

static inline void ob_free(onnx_build *b)
{
    for (size_t i = 0; i < b->nallocs; i++)
        free(b->allocs[i]);
    free(b->packed);
    b->nallocs = 0;
    b->packed = NULL;
}

#endif
