/* onnx_import.c - petal_network_load_onnx: map the file, read the graph, infer
 * shapes node by node in execution order, and collect the layers that carry MACs.
 *
 * Where petal cannot infer a node's outputs (an operator it does not know, a
 * Reshape target that is not a constant) it takes the shapes the file states;
 * failing that the outputs stay unknown, remembering the node where inference
 * stopped, and only a layer that needs them fails, naming that node. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "formats/onnx/onnx_graph.h"
#include "petal/onnx.h"
#include "util/error.h"
#include "util/name.h"

/* --- operators petal does not know, for the one warning --- */

#define MAX_UNKNOWN 12

typedef struct unknown_ops {
    char names[MAX_UNKNOWN][40];
    size_t counts[MAX_UNKNOWN];
    size_t n, others, nodes;
} unknown_ops;

static void note_unknown(unknown_ops *u, const onnx_node *n)
{
    char name[40];
    const char *domain = n->proto->domain;
    snprintf(name, sizeof name, "%s%s%s", domain && *domain ? domain : "",
             domain && *domain ? "." : "", n->proto->op_type ? n->proto->op_type : "?");
    u->nodes++;
    for (size_t i = 0; i < u->n; i++)
        if (strcmp(u->names[i], name) == 0) {
            u->counts[i]++;
            return;
        }
    if (u->n == MAX_UNKNOWN) {
        u->others++;
        return;
    }
    memcpy(u->names[u->n], name, sizeof name);
    u->counts[u->n++] = 1;
}

static void warn_unknown(const unknown_ops *u, const char *source)
{
    if (!u->nodes)
        return;
    char list[MAX_UNKNOWN * 64 + 32] = "";
    size_t used = 0;
    for (size_t i = 0; i < u->n; i++)
        onnx_append(list, sizeof list, &used, "%s%s (%zu)", i ? ", " : "", u->names[i],
                    u->counts[i]);
    if (u->others)
        onnx_append(list, sizeof list, &used, " and %zu more", u->others);
    petal_warn("%s: %zu node%s with operators petal does not know, counted as zero MACs: %s",
               source, u->nodes, u->nodes == 1 ? "" : "s", list);
}

/* --- outputs --- */

static bool concrete(const onnx_shape *s)
{
    if (s->rank < 0)
        return false;
    for (int d = 0; d < s->rank; d++)
        if (s->dims[d] < 0)
            return false;
    return true;
}

static bool value_stated(const onnx_graph *g, int v)
{
    return g->values[v].stated && concrete(&g->values[v].stated_shape);
}

/* Outputs that inference left unset take the file's shapes, or stay unknown
 * with the node where inference stopped. */
static int settle_outputs(onnx_import *imp, onnx_node *n)
{
    onnx_graph *g = imp->g;
    int origin = imp->origin >= 0 ? imp->origin : (int)n->index;
    for (size_t i = 0; i < n->nout; i++) {
        int v = n->out[i];
        if (v < 0 || g->values[v].known)
            continue;
        if (value_stated(g, v)) {
            petal_status st = onnx_set_output(imp, n, i, &g->values[v].stated_shape, NULL, 0);
            if (st)
                return st;
            continue;
        }
        if (origin == (int)n->index && !n->reason) {
            if (!imp->reason[0])
                snprintf(imp->reason, sizeof imp->reason,
                         "petal does not infer output %zu of this operator", i);
            if (!(n->reason = strdup(imp->reason)))
                return petal_error_set(PETAL_ENOMEM, "out of memory");
        }
        g->values[v].origin = origin;
    }
    return PETAL_OK;
}

static int check_stated(onnx_import *imp, const onnx_node *n)
{
    const onnx_graph *g = imp->g;
    for (size_t i = 0; i < n->nout; i++) {
        if (n->out[i] < 0)
            continue;
        const onnx_value *v = &g->values[n->out[i]];
        if (!v->stated || !v->known)
            continue;
        bool same = v->stated_shape.rank == v->shape.rank;
        for (int d = 0; same && d < v->shape.rank; d++)
            same = v->stated_shape.dims[d] < 0 || v->stated_shape.dims[d] == v->shape.dims[d];
        if (!same) {
            char inferred[160], stated[160];
            onnx_shape_format(&v->shape, inferred, sizeof inferred);
            onnx_shape_format(&v->stated_shape, stated, sizeof stated);
            return onnx_node_error(imp, n, PETAL_EINVAL,
                                   "output '%s' has shape %s by petal's inference but the file "
                                   "states %s",
                                   v->name, inferred, stated);
        }
    }
    return PETAL_OK;
}

/* A layer's shape could not be inferred: say where inference stopped. */
static int layer_unknown(onnx_import *imp, const onnx_node *n)
{
    const onnx_graph *g = imp->g;
    if (imp->origin < 0 || imp->origin == (int)n->index)
        return onnx_node_error(imp, n, PETAL_EINVAL, "cannot infer the layer's shape: %s",
                               imp->reason);
    const onnx_node *o = &g->nodes[imp->origin];
    char label[160];
    onnx_node_label(o, label, sizeof label);
    return onnx_node_error(imp, n, PETAL_EINVAL,
                           "%s: it depends on %s, where %s, and the file does not state the "
                           "shape there",
                           imp->reason, label, o->reason ? o->reason : "inference stopped");
}

/* Outputs are parameters when computed from parameters alone (a transposed or
 * dequantised weight); a Constant is one. Layers compute activations. */
static void mark_params(onnx_graph *g, const onnx_node *n, const onnx_op *op)
{
    bool param = strcmp(n->proto->op_type, "Constant") == 0;
    if (!param && !(op && op->macs)) {
        size_t inputs = 0, params = 0;
        for (size_t i = 0; i < n->nin; i++)
            if (n->in[i] >= 0) {
                inputs++;
                params += g->values[n->in[i]].param;
            }
        param = inputs && inputs == params;
    }
    for (size_t i = 0; i < n->nout; i++)
        if (n->out[i] >= 0)
            g->values[n->out[i]].param = param;
}

/* A node that only moves or selects values (a MaxPool or Reshape between a
 * DequantizeLinear and a layer) passes the quantized width of its data input
 * on to its outputs, over the float type the file may state for them. */
static void keep_width(onnx_import *imp, const onnx_node *n)
{
    const onnx_value *in = onnx_input(imp, n, 0);
    if (!in || !in->bits)
        return;
    for (size_t i = 0; i < n->nout; i++)
        if (n->out[i] >= 0 && (i == 0 || strcmp(n->proto->op_type, "Split") == 0)) {
            onnx_value *v = &imp->g->values[n->out[i]];
            v->bits = in->bits;
            v->is_float = in->is_float;
        }
}

static petal_status run_nodes(onnx_import *imp, unknown_ops *unknown)
{
    onnx_graph *g = imp->g;
    for (size_t k = 0; k < g->nnodes; k++) {
        onnx_node *n = &g->nodes[g->order[k]];
        if (!n->proto->op_type)
            return onnx_node_error(imp, n, PETAL_EPARSE, "has no operator type");
        const onnx_op *op = onnx_op_find(n->proto->domain, n->proto->op_type);
        imp->reason[0] = '\0';
        imp->origin = -1;
        int r;
        if (op) {
            r = op->infer(imp, n);
        } else {
            note_unknown(unknown, n);
            r = onnx_cannot(imp, n, "petal does not know the operator");
        }
        if (r > 0)
            return (petal_status)r;
        if (r == ONNX_CANNOT && op && op->macs)
            return layer_unknown(imp, n);
        if (r == PETAL_OK && (r = check_stated(imp, n)))
            return (petal_status)r;
        if ((r = settle_outputs(imp, n)))
            return (petal_status)r;
        if (op && op->keeps_values)
            keep_width(imp, n);
        mark_params(g, n, op);
    }
    return PETAL_OK;
}

/* The network's batch is the leading extent of the model's input when every
 * layer's batch dimension is a multiple of it, so that --batch scales from there. */
static void set_batch(petal_network *net, int64_t input_batch)
{
    if (input_batch <= 1)
        return;
    for (size_t i = 0; i < net->nlayers; i++) {
        const petal_problem *p = &net->layers[i];
        if (p->batch_dim >= 0 && p->bounds[p->batch_dim] % (uint64_t)input_batch)
            return;
    }
    net->batch = (uint64_t)input_batch;
}

static petal_status import(const uint8_t *data, size_t size, const char *source, const char *name,
                           petal_network *net)
{
    onnx_graph g;
    unknown_ops unknown = {.n = 0};
    petal_status st = petal_network_init(net, name);
    if (st)
        return petal_error_prefix(st, "%s: ", source);
    st = onnx_graph_read(&g, data, size, source);
    if (!st) {
        onnx_import imp = {.g = &g, .net = net, .origin = -1};
        st = run_nodes(&imp, &unknown);
        free(imp.name_slots);
    }
    if (!st) {
        set_batch(net, g.input_batch);
        warn_unknown(&unknown, source);
    }
    onnx_graph_free(&g);
    if (st)
        petal_network_free(net);
    return st;
}

petal_status petal_network_load_onnx_buffer(const void *data, size_t size, const char *name,
                                            petal_network *net)
{
    const char *source = name && *name ? name : "(buffer)";
    return import(data, size, source, source, net);
}

/* --- the file --- */

/* The file's bytes: mapped when it is a regular file (pages of weight data are
 * then never touched), read into memory otherwise (a pipe). */
typedef struct file_bytes {
    uint8_t *data;
    size_t size;
    bool mapped;
} file_bytes;

static petal_status read_all(int fd, const char *path, file_bytes *f)
{
    size_t cap = 1 << 16;
    f->data = malloc(cap);
    f->size = 0;
    for (;;) {
        if (!f->data)
            return petal_error_set(PETAL_ENOMEM, "%s: out of memory reading the file", path);
        ssize_t got = read(fd, f->data + f->size, cap - f->size);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return petal_error_set(PETAL_EIO, "%s: cannot read: %s", path, strerror(errno));
        if (got == 0)
            return PETAL_OK;
        f->size += (size_t)got;
        if (f->size == cap) {
            uint8_t *grown = realloc(f->data, cap * 2);
            if (!grown)
                free(f->data);
            f->data = grown;
            cap *= 2;
        }
    }
}

static petal_status open_file(const char *path, file_bytes *f)
{
    memset(f, 0, sizeof *f);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return petal_error_set(PETAL_EIO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    petal_status status = PETAL_OK;
    if (fstat(fd, &st) != 0) {
        status = petal_error_set(PETAL_EIO, "%s: cannot read: %s", path, strerror(errno));
    } else if (S_ISDIR(st.st_mode)) {
        status = petal_error_set(PETAL_EIO, "%s: is a directory, not an ONNX file", path);
    } else if (S_ISREG(st.st_mode) && st.st_size > 0) {
        void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED) {
            /* Only headers are read; do not let read-ahead pull in the weights. */
            posix_madvise(map, (size_t)st.st_size, POSIX_MADV_RANDOM);
            f->data = map;
            f->size = (size_t)st.st_size;
            f->mapped = true;
        } else {
            status = read_all(fd, path, f);
        }
    } else if (!S_ISREG(st.st_mode)) {
        status = read_all(fd, path, f);
    }
    close(fd);
    return status;
}

static void close_file(file_bytes *f)
{
    if (f->mapped)
        munmap(f->data, f->size);
    else
        free(f->data);
}

petal_status petal_network_load_onnx(const char *path, petal_network *net)
{
    file_bytes f;
    petal_status st = open_file(path, &f);
    if (st) {
        close_file(&f);
        petal_network_init(net, "");
        return st;
    }
    /* The network is named after the file: "models/resnet18.onnx" -> "resnet18". */
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char name[PETAL_NAME_MAX];
    size_t len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".onnx") == 0)
        len -= 5;
    st = petal_name_copyn(PETAL_NAME_FIELD(name, PETAL_NAME_MAX), "network name (the file name)",
                          base, len);
    if (st) {
        close_file(&f);
        petal_network_init(net, "");
        return petal_error_prefix(st, "%s: ", path);
    }
    st = import(f.data, f.size, path, name, net);
    close_file(&f);
    return st;
}
