/* onnx_layers.c - the operators that carry MACs (Conv, Gemm, MatMul): infer
 * their output shapes and add each as a petal layer, in execution order.
 *
 * A product with a parameter operand (an initializer, a Constant, or computed
 * from those alone) is a layer with weights: a fully connected layer when both
 * operands are matrices, a matmul with weights_are_params otherwise. A product
 * of two activations (attention's Q x K^T, scores x V) is a matmul whose second
 * operand is not counted as weights. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/onnx/onnx_graph.h"
#include "util/error.h"
#include "util/name.h"

static bool name_taken(const onnx_import *imp, const char *name)
{
    if (!imp->name_nslots)
        return false;
    size_t mask = imp->name_nslots - 1;
    for (size_t i = onnx_hash(name) & mask;; i = (i + 1) & mask) {
        int layer = imp->name_slots[i];
        if (layer < 0)
            return false;
        if (strcmp(imp->net->layers[layer].name, name) == 0)
            return true;
    }
}

/* Enter the network's last layer into the name table, growing it when half full. */
static petal_status remember_name(onnx_import *imp)
{
    size_t count = imp->net->nlayers;
    if (2 * count > imp->name_nslots) {
        size_t nslots = imp->name_nslots ? imp->name_nslots * 2 : 64;
        int *slots = malloc(nslots * sizeof *slots);
        if (!slots)
            return petal_error_set(PETAL_ENOMEM, "%s: out of memory", imp->g->source);
        free(imp->name_slots);
        imp->name_slots = slots;
        imp->name_nslots = nslots;
        for (size_t i = 0; i < nslots; i++)
            slots[i] = -1;
        count = 0; /* re-enter every layer */
    }
    for (size_t layer = count ? count - 1 : 0; layer < imp->net->nlayers; layer++) {
        size_t mask = imp->name_nslots - 1, i = onnx_hash(imp->net->layers[layer].name) & mask;
        while (imp->name_slots[i] >= 0)
            i = (i + 1) & mask;
        imp->name_slots[i] = (int)layer;
    }
    return PETAL_OK;
}

/* A layer name that does not fit, as an error of node n. */
static int name_too_long(onnx_import *imp, const onnx_node *n, const char *what, const char *s,
                         size_t len)
{
    petal_name_too_long(PETAL_NAME_MAX, "PETAL_NAME_MAX", what, s, len);
    return onnx_node_error(imp, n, PETAL_EINVAL, "%s", petal_error_message());
}

/* The node's name, or op_index when it has none; a suffix _2, _3, ... keeps it
 * unique. A name that does not fit in PETAL_NAME_MAX is an error, never cut. */
static int layer_name(onnx_import *imp, const onnx_node *n, char name[PETAL_NAME_MAX])
{
    char base[PETAL_NAME_MAX + 48];
    int len;
    if (n->proto->name && *n->proto->name) {
        size_t given = strlen(n->proto->name);
        if (given >= PETAL_NAME_MAX)
            return name_too_long(imp, n, "layer name (the node's name)", n->proto->name, given);
        memcpy(base, n->proto->name, given + 1);
    } else {
        const char *op = n->proto->op_type ? n->proto->op_type : "?";
        len = snprintf(base, sizeof base, "%s_%zu", op, n->index);
        if (len < 0 || len >= PETAL_NAME_MAX)
            return name_too_long(imp, n, "layer name (the node's operator and index)", base,
                                 (size_t)len);
    }
    memcpy(name, base, strlen(base) + 1);
    for (unsigned k = 2; name_taken(imp, name); k++) {
        char unique[PETAL_NAME_MAX + 16];
        len = snprintf(unique, sizeof unique, "%s_%u", base, k);
        if (len < 0 || len >= PETAL_NAME_MAX)
            return name_too_long(imp, n, "layer name (the node's, made unique)", unique,
                                 (size_t)len);
        memcpy(name, unique, (size_t)len + 1);
    }
    return 0;
}

static petal_status add_layer(onnx_import *imp, petal_problem *p, petal_status built)
{
    petal_status st = built ? built : petal_network_add(imp->net, p);
    if (st)
        return petal_error_prefix(st, "%s: ", imp->g->source);
    return remember_name(imp);
}

static bool is_param(const onnx_import *imp, const onnx_node *n, size_t i)
{
    const onnx_value *v = onnx_input(imp, n, i);
    return v && v->param;
}

int onnx_infer_conv(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL, *w = NULL;
    int r;
    if ((r = onnx_input_shape(imp, n, 0, &x)) || (r = onnx_input_shape(imp, n, 1, &w)))
        return r;
    char xs[160], ws[160];
    onnx_shape_format(x, xs, sizeof xs);
    onnx_shape_format(w, ws, sizeof ws);
    if (x->rank != 3 && x->rank != 4)
        return onnx_node_error(imp, n, PETAL_EUNSUPPORTED,
                               "petal models 1-D and 2-D convolutions; the input is %s", xs);
    if (w->rank != x->rank)
        return onnx_node_error(imp, n, PETAL_EINVAL, "weights %s do not fit input %s", ws, xs);
    int64_t groups = onnx_attr_int(n, "group", 1);
    if (groups < 1 || groups > ONNX_DIM_MAX)
        return onnx_node_error(imp, n, PETAL_EINVAL, "group %lld is out of range",
                               (long long)groups);
    if (w->dims[1] * groups != x->dims[1] || w->dims[0] % groups)
        return onnx_node_error(imp, n, PETAL_EINVAL,
                               "input %s and weights %s do not agree with %lld groups", xs, ws,
                               (long long)groups);
    const int64_t *kernel = NULL;
    size_t nk = 0;
    onnx_attr_ints(n, "kernel_shape", &kernel, &nk);
    for (size_t d = 0; d < nk; d++)
        if (nk != (size_t)x->rank - 2 || kernel[d] != w->dims[2 + d])
            return onnx_node_error(imp, n, PETAL_EINVAL,
                                   "kernel_shape does not match the weights %s", ws);
    onnx_window win;
    if ((r = onnx_window_infer(imp, n, x, w->dims + 2, false, &win)))
        return r;

    /* A 1-D convolution is a 2-D one of height 1. */
    int h = win.nspatial == 2 ? 0 : -1, wd = win.nspatial - 1;
    petal_conv_params c = {
        .batch = x->dims[0], .in_channels = x->dims[1], .out_channels = w->dims[0],
        .groups = groups,
        .in_h = h >= 0 ? win.in[h] : 1, .in_w = win.in[wd],
        .kernel_h = h >= 0 ? win.kernel[h] : 1, .kernel_w = win.kernel[wd],
        .stride_h = h >= 0 ? win.stride[h] : 1, .stride_w = win.stride[wd],
        .dilation_h = h >= 0 ? win.dilation[h] : 1, .dilation_w = win.dilation[wd],
        .pad_top = h >= 0 ? win.pad_begin[h] : 0, .pad_bottom = h >= 0 ? win.pad_end[h] : 0,
        .pad_left = win.pad_begin[wd], .pad_right = win.pad_end[wd],
    };
    /* ONNX allows a stride longer than the padded input when one window fits;
     * the output is then one position, as it is with the stride cut to the input. */
    int64_t padded_h = c.in_h + c.pad_top + c.pad_bottom;
    int64_t padded_w = c.in_w + c.pad_left + c.pad_right;
    if (c.stride_h > padded_h)
        c.stride_h = padded_h;
    if (c.stride_w > padded_w)
        c.stride_w = padded_w;

    petal_problem p;
    char name[PETAL_NAME_MAX];
    if ((r = layer_name(imp, n, name)))
        return r;
    petal_status st = petal_problem_conv(&p, name, &c);
    if (!st) {
        p.weights_are_params = is_param(imp, n, 1);
        int P = petal_problem_dim(&p, "P"), Q = petal_problem_dim(&p, "Q");
        if (p.bounds[P] != (uint64_t)(h >= 0 ? win.out[h] : 1) ||
            p.bounds[Q] != (uint64_t)win.out[wd])
            return onnx_node_error(imp, n, PETAL_EINTERNAL,
                                   "the layer's output extents disagree with the inferred shape");
    }
    if ((r = add_layer(imp, &p, st)))
        return r;
    onnx_shape out = {.rank = x->rank, .dims = {x->dims[0], w->dims[0]}};
    for (int d = 0; d < win.nspatial; d++)
        out.dims[2 + d] = win.out[d];
    return onnx_set_output(imp, n, 0, &out, NULL, 0);
}

/* Out[batch][m][n] = A[batch][m][k] x B[(batch)][k][n] as a layer. When only A
 * is a parameter the product is taken transposed (Out^T = B^T A^T), so that the
 * parameter is always the weights operand. */
static int add_product(onnx_import *imp, const onnx_node *n, int64_t batch, int64_t m,
                       int64_t k, int64_t nn, bool a_param, bool b_param, bool a_batched,
                       bool b_batched, bool matrices)
{
    if (a_param && !b_param) {
        int64_t t = m;
        m = nn;
        nn = t;
        bool tb = a_batched;
        a_batched = b_batched;
        b_batched = tb;
        b_param = true;
    }
    (void)a_batched;
    petal_problem p;
    char name[PETAL_NAME_MAX];
    int r = layer_name(imp, n, name);
    if (r)
        return r;
    if (b_param && matrices)
        return add_layer(imp, &p, petal_problem_fc(&p, name, m, k, nn));
    petal_matmul_params mm = {
        .batch = batch, .m = m, .k = k, .n = nn,
        .weights_batched = b_batched, .weights_are_params = b_param,
    };
    return add_layer(imp, &p, petal_problem_matmul(&p, name, &mm));
}

int onnx_infer_gemm(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *a = NULL, *b = NULL;
    int r;
    if ((r = onnx_input_shape(imp, n, 0, &a)) || (r = onnx_input_shape(imp, n, 1, &b)))
        return r;
    char as[160], bs[160];
    onnx_shape_format(a, as, sizeof as);
    onnx_shape_format(b, bs, sizeof bs);
    if (a->rank != 2 || b->rank != 2)
        return onnx_node_error(imp, n, PETAL_EINVAL, "expects matrices, got A %s and B %s", as,
                               bs);
    bool ta = onnx_attr_int(n, "transA", 0) != 0, tb = onnx_attr_int(n, "transB", 0) != 0;
    int64_t m = a->dims[ta ? 1 : 0], k = a->dims[ta ? 0 : 1];
    int64_t kb = b->dims[tb ? 1 : 0], nn = b->dims[tb ? 0 : 1];
    if (k != kb)
        return onnx_node_error(imp, n, PETAL_EINVAL,
                               "A %s%s and B %s%s have inner extents %lld and %lld", as,
                               ta ? " (transposed)" : "", bs, tb ? " (transposed)" : "",
                               (long long)k, (long long)kb);
    if ((r = add_product(imp, n, 1, m, k, nn, is_param(imp, n, 0), is_param(imp, n, 1), false,
                         false, true)))
        return r;
    onnx_shape out = {.rank = 2, .dims = {m, nn}};
    return onnx_set_output(imp, n, 0, &out, NULL, 0);
}

/* numpy matmul: a vector operand gains a unit dimension that the output drops;
 * the leading (batch) dimensions broadcast. */
int onnx_infer_matmul(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *a = NULL, *b = NULL;
    int r;
    if ((r = onnx_input_shape(imp, n, 0, &a)) || (r = onnx_input_shape(imp, n, 1, &b)))
        return r;
    char as[160], bs[160];
    onnx_shape_format(a, as, sizeof as);
    onnx_shape_format(b, bs, sizeof bs);
    if (a->rank < 1 || b->rank < 1)
        return onnx_node_error(imp, n, PETAL_EINVAL, "expects tensors, got A %s and B %s", as,
                               bs);
    bool a_vec = a->rank == 1, b_vec = b->rank == 1;
    int64_t m = a_vec ? 1 : a->dims[a->rank - 2], k = a->dims[a->rank - 1];
    int64_t kb = b_vec ? b->dims[0] : b->dims[b->rank - 2], nn = b_vec ? 1 : b->dims[b->rank - 1];
    if (k != kb)
        return onnx_node_error(imp, n, PETAL_EINVAL, "A %s and B %s have inner extents %lld and "
                               "%lld", as, bs, (long long)k, (long long)kb);
    int ra = a_vec ? 0 : a->rank - 2, rb = b_vec ? 0 : b->rank - 2;
    onnx_shape out = {.rank = ra > rb ? ra : rb};
    int64_t batch = 1, a_batch = 1, b_batch = 1;
    for (int d = 0; d < out.rank; d++) {
        int da = d - (out.rank - ra), db = d - (out.rank - rb);
        int64_t x = da >= 0 ? a->dims[da] : 1, y = db >= 0 ? b->dims[db] : 1;
        if (x != y && x != 1 && y != 1)
            return onnx_node_error(imp, n, PETAL_EINVAL,
                                   "the batch dimensions of A %s and B %s do not broadcast", as,
                                   bs);
        out.dims[d] = x == 1 ? y : x;
        if (__builtin_mul_overflow(batch, out.dims[d], &batch) ||
            __builtin_mul_overflow(a_batch, x, &a_batch) ||
            __builtin_mul_overflow(b_batch, y, &b_batch))
            return onnx_node_error(imp, n, PETAL_EOVERFLOW, "the batch extent overflows");
    }
    if (!a_vec)
        out.dims[out.rank++] = m;
    if (!b_vec)
        out.dims[out.rank++] = nn;
    if ((r = add_product(imp, n, batch, m, k, nn, is_param(imp, n, 0), is_param(imp, n, 1),
                         a_batch > 1, b_batch > 1, a->rank <= 2 && b->rank <= 2)))
        return r;
    return onnx_set_output(imp, n, 0, &out, NULL, 0);
}
