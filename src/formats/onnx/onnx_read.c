/* onnx_read.c - from the bytes of an ONNX file to an onnx_graph: walk the model
 * and graph fields, let protobuf-c unpack each node, initializer and value info
 * (bulk tensor data removed first), resolve names to values and sort the nodes.
 *
 * Why not unpack the whole ModelProto at once: protobuf-c copies every bytes
 * field it decodes, and keeps fields the schema lacks as copied unknown fields,
 * so a model with inline weights would cost its own size in memory. Walking the
 * top two levels of the wire format lets petal hand protobuf-c one small message
 * at a time, with weights cut out, while the file itself is only mapped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/onnx/onnx_graph.h"
#include "formats/onnx/onnx_wire.h"
#include "util/error.h"

/* Field numbers of the ONNX schema (onnx-subset.proto). */
enum {
    MODEL_GRAPH = 7,
    GRAPH_NODE = 1,
    GRAPH_INITIALIZER = 5,
    GRAPH_INPUT = 11,
    GRAPH_OUTPUT = 12,
    GRAPH_VALUE_INFO = 13,
};

/* Messages larger than this have bulk tensor data cut out before unpacking. */
#define STRIP_ABOVE (64 * 1024)

#define MAX_SYMBOLS 16
#define SYMBOL_LEN 48

typedef struct vi_list {
    Onnx__ValueInfoProto **items;
    size_t n, cap;
} vi_list;

/* Decoding state: value infos wait until every value exists. */
typedef struct reader {
    onnx_graph *g;
    const uint8_t *base; /* start of the file, for byte offsets in messages */
    vi_list inputs, outputs, infos;
    char symbols[MAX_SYMBOLS][SYMBOL_LEN]; /* symbolic extents of graph inputs, taken as 1 */
    size_t nsymbols;
} reader;

static petal_status broken(reader *rd, const uint8_t *at)
{
    return petal_error_set(PETAL_EPARSE,
                           "%s: not a valid ONNX model: the protobuf encoding breaks at byte %zu "
                           "(truncated or corrupt file)",
                           rd->g->source, (size_t)(at - rd->base));
}

static petal_status no_memory(const onnx_graph *g)
{
    return petal_error_set(PETAL_ENOMEM, "%s: out of memory reading the model", g->source);
}

/* --- values by name --- */

static int value_find(const onnx_graph *g, const char *name)
{
    if (!g->nslots)
        return -1;
    size_t mask = g->nslots - 1;
    for (size_t i = onnx_hash(name) & mask;; i = (i + 1) & mask) {
        int v = g->slots[i];
        if (v < 0 || strcmp(g->values[v].name, name) == 0)
            return v;
    }
}

static bool rehash(onnx_graph *g, size_t nslots)
{
    int *slots = malloc(nslots * sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < nslots; i++)
        slots[i] = -1;
    for (size_t v = 0; v < g->nvalues; v++) {
        size_t i = onnx_hash(g->values[v].name) & (nslots - 1);
        while (slots[i] >= 0)
            i = (i + 1) & (nslots - 1);
        slots[i] = (int)v;
    }
    free(g->slots);
    g->slots = slots;
    g->nslots = nslots;
    return true;
}

/* Append a value (the caller has checked the name is new); -1 when out of memory. */
static int value_add(onnx_graph *g, const char *name)
{
    if (g->nvalues >= (size_t)INT32_MAX / 2)
        return -1;
    if (g->nvalues == g->value_cap) {
        size_t cap = g->value_cap ? g->value_cap * 2 : 64;
        onnx_value *grown = realloc(g->values, cap * sizeof *grown);
        if (!grown)
            return -1;
        g->values = grown;
        g->value_cap = cap;
    }
    onnx_value *v = &g->values[g->nvalues];
    memset(v, 0, sizeof *v);
    v->name = strdup(name);
    if (!v->name)
        return -1;
    v->producer = -1;
    v->origin = -1;
    v->shape.rank = -1;
    v->stated_shape.rank = -1;
    g->nvalues++;
    if (2 * g->nvalues > g->nslots && !rehash(g, g->nslots ? g->nslots * 2 : 128)) {
        free(v->name);
        g->nvalues--;
        return -1;
    }
    size_t i = onnx_hash(name) & (g->nslots - 1);
    while (g->slots[i] >= 0)
        i = (i + 1) & (g->nslots - 1);
    g->slots[i] = (int)(g->nvalues - 1);
    return (int)(g->nvalues - 1);
}

/* --- tensors and value infos --- */

petal_status onnx_tensor_value(const Onnx__TensorProto *t, onnx_value *v, const char *what)
{
    if (t->n_dims > ONNX_MAX_RANK)
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "%s has %zu dimensions; petal handles tensors of up to %d", what,
                               t->n_dims, ONNX_MAX_RANK);
    v->shape.rank = (int)t->n_dims;
    for (size_t i = 0; i < t->n_dims; i++) {
        if (t->dims[i] < 0 || t->dims[i] > ONNX_DIM_MAX)
            return petal_error_set(PETAL_EPARSE, "%s: extent %lld of dimension %zu is out of range",
                                   what, (long long)t->dims[i], i);
        v->shape.dims[i] = t->dims[i];
    }
    v->known = true;
    if (t->has_data_type)
        onnx_type_bits(t->data_type, &v->bits, &v->is_float);
    int64_t numel;
    if (!onnx_numel(&v->shape, &numel))
        return petal_error_set(PETAL_EPARSE, "%s: its element count overflows 64 bits", what);
    if (t->has_data_location && t->data_location == 1 /* EXTERNAL */)
        return PETAL_OK;
    if (numel > ONNX_FOLD_MAX || (t->data_type != ONNX_INT64 && t->data_type != ONNX_INT32))
        return PETAL_OK;
    size_t n = (size_t)numel, width = t->data_type == ONNX_INT64 ? 8 : 4;
    size_t listed = t->data_type == ONNX_INT64 ? t->n_int64_data : t->n_int32_data;
    bool raw = t->has_raw_data && t->raw_data.len == n * width;
    if (!raw && listed != n)
        return PETAL_OK; /* contents absent (or inconsistent): the shape is all petal has */
    int64_t *data = malloc((n ? n : 1) * sizeof *data);
    if (!data)
        return petal_error_set(PETAL_ENOMEM, "%s: out of memory", what);
    for (size_t i = 0; i < n; i++) {
        if (raw) { /* little-endian, as ONNX stores raw data */
            const uint8_t *b = t->raw_data.data + i * width;
            uint64_t u = 0;
            for (size_t k = 0; k < width; k++)
                u |= (uint64_t)b[k] << (8 * k);
            data[i] = width == 8 ? (int64_t)u : (int64_t)(int32_t)(uint32_t)u;
        } else {
            data[i] = t->data_type == ONNX_INT64 ? t->int64_data[i] : t->int32_data[i];
        }
    }
    v->data = data;
    v->ndata = n;
    return PETAL_OK;
}

/* A symbolic extent's name as remembered (truncated to fit). */
static void symbol_key(const char *name, char key[SYMBOL_LEN])
{
    snprintf(key, SYMBOL_LEN, "%s", name && *name ? name : "(unnamed)");
}

static bool symbol_known(const reader *rd, const char *name)
{
    char key[SYMBOL_LEN];
    symbol_key(name, key);
    for (size_t i = 0; i < rd->nsymbols; i++)
        if (strcmp(rd->symbols[i], key) == 0)
            return true;
    return false;
}

static void note_symbol(reader *rd, const char *name)
{
    if (!symbol_known(rd, name) && rd->nsymbols < MAX_SYMBOLS)
        symbol_key(name, rd->symbols[rd->nsymbols++]);
}

/* The shape a value info states; rank -1 when it states none. A symbolic extent
 * of a graph input is taken as 1 (petal needs numbers; --batch scales the batch
 * afterwards), and the same symbol elsewhere follows; other symbols stay -1. */
static petal_status stated_shape(reader *rd, const Onnx__ValueInfoProto *vi, bool graph_input,
                                 onnx_shape *s)
{
    s->rank = -1;
    if (!vi->type || !vi->type->tensor_type || !vi->type->tensor_type->shape)
        return PETAL_OK;
    const Onnx__TensorShapeProto *shape = vi->type->tensor_type->shape;
    if (shape->n_dim > ONNX_MAX_RANK)
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "%s: value '%s' has %zu dimensions; petal handles up to %d",
                               rd->g->source, vi->name, shape->n_dim, ONNX_MAX_RANK);
    s->rank = (int)shape->n_dim;
    for (size_t i = 0; i < shape->n_dim; i++) {
        const Onnx__TensorShapeProto__Dimension *d = shape->dim[i];
        if (d->has_dim_value) {
            if (d->dim_value < 0 || d->dim_value > ONNX_DIM_MAX)
                return petal_error_set(PETAL_EPARSE,
                                       "%s: value '%s': extent %lld of dimension %zu is out of "
                                       "range",
                                       rd->g->source, vi->name, (long long)d->dim_value, i);
            s->dims[i] = d->dim_value;
        } else if (graph_input) {
            note_symbol(rd, d->dim_param);
            s->dims[i] = 1;
        } else {
            s->dims[i] = symbol_known(rd, d->dim_param) ? 1 : -1;
        }
    }
    return PETAL_OK;
}

/* --- the two levels petal walks --- */

static bool vi_push(vi_list *l, Onnx__ValueInfoProto *vi)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        Onnx__ValueInfoProto **grown = realloc(l->items, cap * sizeof *grown);
        if (!grown)
            return false;
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->n++] = vi;
    return true;
}

static void vi_free(vi_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        onnx__value_info_proto__free_unpacked(l->items[i], NULL);
    free(l->items);
}

/* Unpack one field's message; large ones lose their bulk tensor data first. */
static void *unpack(const ProtobufCMessageDescriptor *desc, const wire_field *f, wire_rule rule)
{
    if (f->len <= STRIP_ABOVE || rule == WIRE_KEEP_ALL)
        return protobuf_c_message_unpack(desc, NULL, f->len, f->data);
    long long size = wire_stripped_size(f->data, f->len, rule);
    if (size < 0)
        return NULL;
    uint8_t *copy = malloc(size ? (size_t)size : 1);
    if (!copy)
        return NULL;
    wire_strip(f->data, f->len, rule, copy);
    void *msg = protobuf_c_message_unpack(desc, NULL, (size_t)size, copy);
    free(copy);
    return msg;
}

static petal_status add_node(reader *rd, const wire_field *f)
{
    onnx_graph *g = rd->g;
    Onnx__NodeProto *proto = unpack(&onnx__node_proto__descriptor, f, WIRE_NODE);
    if (!proto)
        return petal_error_set(PETAL_EPARSE,
                               "%s: node #%zu (at byte %zu) cannot be decoded (corrupt file)",
                               g->source, g->nnodes, (size_t)(f->start - rd->base));
    if (g->nnodes == g->node_cap) {
        size_t cap = g->node_cap ? g->node_cap * 2 : 64;
        onnx_node *grown = realloc(g->nodes, cap * sizeof *grown);
        if (!grown) {
            onnx__node_proto__free_unpacked(proto, NULL);
            return no_memory(g);
        }
        g->nodes = grown;
        g->node_cap = cap;
    }
    onnx_node *n = &g->nodes[g->nnodes];
    memset(n, 0, sizeof *n);
    n->proto = proto;
    n->index = g->nnodes++;
    return PETAL_OK;
}

static petal_status add_initializer(reader *rd, const wire_field *f)
{
    onnx_graph *g = rd->g;
    Onnx__TensorProto *t = unpack(&onnx__tensor_proto__descriptor, f, WIRE_TENSOR);
    if (!t)
        return petal_error_set(PETAL_EPARSE,
                               "%s: an initializer (at byte %zu) cannot be decoded (corrupt file)",
                               g->source, (size_t)(f->start - rd->base));
    petal_status st = PETAL_OK;
    const char *name = t->name ? t->name : "";
    char what[160];
    snprintf(what, sizeof what, "%s: initializer '%s'", g->source, name);
    if (!*name) {
        st = petal_error_set(PETAL_EPARSE, "%s has no name", what);
    } else if (value_find(g, name) >= 0) {
        st = petal_error_set(PETAL_EPARSE, "%s is defined twice", what);
    } else {
        int v = value_add(g, name);
        if (v < 0) {
            st = no_memory(g);
        } else {
            g->values[v].initializer = true;
            g->values[v].param = true;
            st = onnx_tensor_value(t, &g->values[v], what);
        }
    }
    onnx__tensor_proto__free_unpacked(t, NULL);
    return st;
}

static petal_status add_value_info(reader *rd, const wire_field *f, vi_list *list)
{
    Onnx__ValueInfoProto *vi = unpack(&onnx__value_info_proto__descriptor, f, WIRE_KEEP_ALL);
    if (!vi)
        return petal_error_set(PETAL_EPARSE,
                               "%s: a value info (at byte %zu) cannot be decoded (corrupt file)",
                               rd->g->source, (size_t)(f->start - rd->base));
    if (!vi_push(list, vi)) {
        onnx__value_info_proto__free_unpacked(vi, NULL);
        return no_memory(rd->g);
    }
    return PETAL_OK;
}

static petal_status read_graph(reader *rd, const uint8_t *data, size_t len)
{
    wire_reader r;
    wire_field f;
    int got;
    wire_init(&r, data, len);
    while ((got = wire_next(&r, &f)) == 1) {
        petal_status st = PETAL_OK;
        bool message = f.type == WIRE_BYTES;
        switch (f.number) {
        case GRAPH_NODE: st = message ? add_node(rd, &f) : broken(rd, f.start); break;
        case GRAPH_INITIALIZER: st = message ? add_initializer(rd, &f) : broken(rd, f.start); break;
        case GRAPH_INPUT:
            st = message ? add_value_info(rd, &f, &rd->inputs) : broken(rd, f.start);
            break;
        case GRAPH_OUTPUT:
            st = message ? add_value_info(rd, &f, &rd->outputs) : broken(rd, f.start);
            break;
        case GRAPH_VALUE_INFO:
            st = message ? add_value_info(rd, &f, &rd->infos) : broken(rd, f.start);
            break;
        default: break; /* name, doc_string, sparse initializers, annotations */
        }
        if (st)
            return st;
    }
    return got < 0 ? broken(rd, r.pos) : PETAL_OK;
}

/* --- names to values --- */

static petal_status define_inputs(reader *rd)
{
    onnx_graph *g = rd->g;
    for (size_t i = 0; i < rd->inputs.n; i++) {
        const Onnx__ValueInfoProto *vi = rd->inputs.items[i];
        const char *name = vi->name ? vi->name : "";
        int v = value_find(g, name);
        if (v >= 0 && g->values[v].initializer)
            continue; /* before IR 4 initializers were listed as inputs too */
        if (!*name || v >= 0)
            return petal_error_set(PETAL_EPARSE, "%s: graph input '%s' is %s", g->source, name,
                                   *name ? "listed twice" : "unnamed");
        onnx_shape s;
        petal_status st = stated_shape(rd, vi, true, &s);
        if (st)
            return st;
        if ((v = value_add(g, name)) < 0)
            return no_memory(g);
        onnx_value *val = &g->values[v];
        if (s.rank >= 0) {
            val->stated = val->known = true;
            val->stated_shape = val->shape = s;
        }
        if (vi->type && vi->type->tensor_type && vi->type->tensor_type->has_elem_type)
            onnx_type_bits(vi->type->tensor_type->elem_type, &val->bits, &val->is_float);
        if (!g->input_batch && s.rank >= 2)
            g->input_batch = s.dims[0];
    }
    if (rd->nsymbols) {
        char list[MAX_SYMBOLS * (SYMBOL_LEN + 2)] = "";
        size_t used = 0;
        for (size_t i = 0; i < rd->nsymbols; i++)
            onnx_append(list, sizeof list, &used, "%s%s", i ? ", " : "", rd->symbols[i]);
        petal_warn("%s: symbolic extents of the graph inputs are taken as 1: %s", g->source,
                   list);
    }
    return PETAL_OK;
}

static int *name_list(const onnx_graph *g, char **names, size_t n)
{
    int *ids = malloc((n ? n : 1) * sizeof *ids);
    if (ids)
        for (size_t i = 0; i < n; i++)
            ids[i] = names[i] && *names[i] ? value_find(g, names[i]) : -1;
    return ids;
}

static petal_status define_node_values(reader *rd)
{
    onnx_graph *g = rd->g;
    char label[160];
    for (size_t i = 0; i < g->nnodes; i++) {
        onnx_node *n = &g->nodes[i];
        n->nout = n->proto->n_output;
        if (!(n->out = malloc((n->nout ? n->nout : 1) * sizeof *n->out)))
            return no_memory(g);
        for (size_t k = 0; k < n->nout; k++) {
            const char *name = n->proto->output[k];
            n->out[k] = -1;
            if (!name || !*name)
                continue;
            int v = value_find(g, name);
            if (v >= 0) {
                onnx_node_label(n, label, sizeof label);
                return petal_error_set(PETAL_EPARSE,
                                       "%s: %s: output '%s' is already %s (a value is defined "
                                       "once)",
                                       g->source, label, name,
                                       g->values[v].producer >= 0 ? "another node's output"
                                                                  : "an input or initializer");
            }
            if ((v = value_add(g, name)) < 0)
                return no_memory(g);
            g->values[v].producer = (int)i;
            n->out[k] = v;
        }
    }
    for (size_t i = 0; i < g->nnodes; i++) {
        onnx_node *n = &g->nodes[i];
        n->nin = n->proto->n_input;
        if (!(n->in = name_list(g, n->proto->input, n->nin)))
            return no_memory(g);
        for (size_t k = 0; k < n->nin; k++)
            if (n->in[k] < 0 && n->proto->input[k] && *n->proto->input[k]) {
                onnx_node_label(n, label, sizeof label);
                return petal_error_set(PETAL_EPARSE,
                                       "%s: %s: input '%s' is not a graph input, an initializer "
                                       "or any node's output",
                                       g->source, label, n->proto->input[k]);
            }
    }
    return PETAL_OK;
}

static petal_status define_stated(reader *rd, const vi_list *list)
{
    onnx_graph *g = rd->g;
    for (size_t i = 0; i < list->n; i++) {
        const Onnx__ValueInfoProto *vi = list->items[i];
        int v = vi->name ? value_find(g, vi->name) : -1;
        if (v < 0 || g->values[v].initializer || g->values[v].stated)
            continue;
        onnx_shape s;
        petal_status st = stated_shape(rd, vi, false, &s);
        if (st)
            return st;
        if (s.rank >= 0) {
            g->values[v].stated = true;
            g->values[v].stated_shape = s;
        }
    }
    return PETAL_OK;
}

/* --- execution order --- */

/* Name a cycle among the nodes Kahn's algorithm could not place: walk from one
 * of them to an unplaced producer until a node repeats. */
static petal_status cycle_error(onnx_graph *g, const size_t *pending)
{
    size_t *step = calloc(g->nnodes, sizeof *step); /* 1-based position in the walk */
    size_t *path = malloc(g->nnodes * sizeof *path);
    if (!step || !path) {
        free(step);
        free(path);
        return no_memory(g);
    }
    size_t cur = 0, len = 0;
    while (!pending[cur])
        cur++;
    while (!step[cur]) {
        step[cur] = ++len;
        path[len - 1] = cur;
        const onnx_node *n = &g->nodes[cur];
        for (size_t k = 0; k < n->nin; k++) {
            int v = n->in[k];
            if (v >= 0 && g->values[v].producer >= 0 && pending[g->values[v].producer]) {
                cur = (size_t)g->values[v].producer;
                break;
            }
        }
    }
    /* path[step[cur]-1 .. len-1] is the cycle, each node consuming the next;
     * print it in data-flow order from the node that comes first in the file. */
    size_t first = step[cur] - 1, count = len - first, start = 0;
    for (size_t i = 0; i < count; i++)
        if (path[len - 1 - i] < path[len - 1 - start])
            start = i;
    char text[700] = "", label[160];
    size_t used = 0;
    for (size_t i = 0; i <= count; i++) {
        if (i == 7 && i < count) {
            onnx_append(text, sizeof text, &used, "... -> ");
            i = count;
        }
        onnx_node_label(&g->nodes[path[len - 1 - (start + i) % count]], label, sizeof label);
        onnx_append(text, sizeof text, &used, "%s%s", label, i < count ? " -> " : "");
    }
    free(step);
    free(path);
    return petal_error_set(PETAL_EINVAL, "%s: the graph has a cycle: %s (ONNX graphs are acyclic)",
                           g->source, text);
}

static void heap_push(size_t *heap, size_t *n, size_t x)
{
    size_t i = (*n)++;
    for (; i > 0 && heap[(i - 1) / 2] > x; i = (i - 1) / 2)
        heap[i] = heap[(i - 1) / 2];
    heap[i] = x;
}

static size_t heap_pop(size_t *heap, size_t *n)
{
    size_t top = heap[0], last = heap[--*n], i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= *n)
            break;
        if (c + 1 < *n && heap[c + 1] < heap[c])
            c++;
        if (heap[c] >= last)
            break;
        heap[i] = heap[c];
        i = c;
    }
    heap[i] = last;
    return top;
}

/* Kahn's algorithm, always taking the ready node that comes first in the file,
 * so that a sorted file keeps its order. */
static petal_status sort_nodes(onnx_graph *g)
{
    size_t nn = g->nnodes, nedges = 0;
    for (size_t i = 0; i < nn; i++)
        nedges += g->nodes[i].nin;
    size_t *pending = calloc(nn + 1, sizeof *pending); /* producers not yet placed */
    size_t *first = calloc(nn + 1, sizeof *first);     /* consumers of node i: CSR */
    size_t *edges = malloc((nedges + 1) * sizeof *edges);
    size_t *heap = malloc((nn + 1) * sizeof *heap);
    g->order = malloc((nn + 1) * sizeof *g->order);
    petal_status st = PETAL_OK;
    if (!pending || !first || !edges || !heap || !g->order) {
        st = no_memory(g);
        goto done;
    }
    for (size_t i = 0; i < nn; i++)
        for (size_t k = 0; k < g->nodes[i].nin; k++) {
            int v = g->nodes[i].in[k];
            if (v >= 0 && g->values[v].producer >= 0) {
                first[g->values[v].producer + 1]++;
                pending[i]++;
            }
        }
    for (size_t i = 0; i < nn; i++)
        first[i + 1] += first[i];
    size_t *fill = heap; /* reused as a cursor while filling */
    memcpy(fill, first, nn * sizeof *fill);
    for (size_t i = 0; i < nn; i++)
        for (size_t k = 0; k < g->nodes[i].nin; k++) {
            int v = g->nodes[i].in[k];
            if (v >= 0 && g->values[v].producer >= 0)
                edges[fill[g->values[v].producer]++] = i;
        }
    size_t nheap = 0, placed = 0;
    for (size_t i = 0; i < nn; i++)
        if (!pending[i])
            heap_push(heap, &nheap, i);
    while (nheap) {
        size_t i = heap_pop(heap, &nheap);
        g->order[placed++] = i;
        for (size_t e = first[i]; e < first[i + 1]; e++)
            if (--pending[edges[e]] == 0)
                heap_push(heap, &nheap, edges[e]);
    }
    if (placed < nn)
        st = cycle_error(g, pending);
done:
    free(pending);
    free(first);
    free(edges);
    free(heap);
    return st;
}

petal_status onnx_graph_read(onnx_graph *g, const uint8_t *buf, size_t len, const char *source)
{
    memset(g, 0, sizeof *g);
    g->source = source;
    if (len == 0)
        return petal_error_set(PETAL_EPARSE, "%s: the file is empty, not an ONNX model", source);
    reader rd = {.g = g, .base = buf};
    wire_reader r;
    wire_field f;
    int got;
    bool has_graph = false;
    petal_status st = PETAL_OK;
    wire_init(&r, buf, len);
    /* The operator set version is not needed: where an operator's form changed
     * (axes or pads as attribute or input), both forms are accepted. */
    while (!st && (got = wire_next(&r, &f)) == 1) {
        if (f.number != MODEL_GRAPH)
            continue;
        if (f.type != WIRE_BYTES)
            st = broken(&rd, f.start);
        has_graph = true; /* repeated graph fields merge, as protobuf does */
        if (!st)
            st = read_graph(&rd, f.data, f.len);
    }
    if (!st && got < 0)
        st = broken(&rd, r.pos);
    if (!st && !has_graph)
        st = petal_error_set(PETAL_EPARSE, "%s: no graph in the file: not an ONNX model", source);
    if (!st)
        st = define_inputs(&rd);
    if (!st)
        st = define_node_values(&rd);
    if (!st)
        st = define_stated(&rd, &rd.outputs);
    if (!st)
        st = define_stated(&rd, &rd.infos);
    if (!st)
        st = sort_nodes(g);
    vi_free(&rd.inputs);
    vi_free(&rd.outputs);
    vi_free(&rd.infos);
    return st;
}

void onnx_graph_free(onnx_graph *g)
{
    for (size_t i = 0; i < g->nnodes; i++) {
        onnx__node_proto__free_unpacked(g->nodes[i].proto, NULL);
        free(g->nodes[i].in);
        free(g->nodes[i].out);
        free(g->nodes[i].reason);
    }
    for (size_t i = 0; i < g->nvalues; i++) {
        free(g->values[i].name);
        free(g->values[i].data);
    }
    free(g->nodes);
    free(g->values);
    free(g->slots);
    free(g->order);
    memset(g, 0, sizeof *g);
}
