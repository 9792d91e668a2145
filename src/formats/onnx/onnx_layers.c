/* onnx_layers.c - the operators that carry MACs (Conv, Gemm, MatMul): infer
 * their output shapes and add each as a petal layer, in execution order.
 *
 * A product with a parameter operand (an initializer, a Constant, or computed
 * from those alone) is a layer with weights: a fully connected layer when both
 * operands are matrices, a matmul with weights_are_params otherwise. A product
 * of two activations (attention's Q x K^T, scores x V) is a matmul whose second
 * operand is not counted as weights.
 *
 * Widths (docs/precision.md): a layer whose operands are quantized (the
 * outputs of DequantizeLinear, integer or fp16/bf16 tensors, or the operands
 * of QLinearConv, QLinearMatMul, ConvInteger, MatMulInteger) gets their
 * widths; its outputs the width of the QuantizeLinear that takes them (or
 * QLinear's output zero point's, or ConvInteger's int32), and integer
 * operands accumulate in 32 bits, as ONNX's integer operators do. A float32
 * graph keeps no widths: the hardware's words, as before. */
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

bool onnx_type_bits(int32_t elem_type, uint8_t *bits, bool *is_float)
{
    /* TensorProto.DataType: 1 float, 2 uint8, 3 int8, 4 uint16, 5 int16, 6 int32,
     * 7 int64, 10 float16, 11 double, 12 uint32, 13 uint64, 16 bfloat16,
     * 17-20 float8 variants, 21 uint4, 22 int4. */
    static const struct {
        int32_t type;
        uint8_t bits;
        bool is_float;
    } types[] = {
        {1, 32, true},   {2, 8, false},  {3, 8, false},  {4, 16, false}, {5, 16, false},
        {6, 32, false},  {7, 64, false}, {10, 16, true}, {11, 64, true}, {12, 32, false},
        {13, 64, false}, {16, 16, true}, {17, 8, true},  {18, 8, true},  {19, 8, true},
        {20, 8, true},   {21, 4, false}, {22, 4, false},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (types[i].type == elem_type) {
            *bits = types[i].bits;
            *is_float = types[i].is_float;
            return true;
        }
    return false;
}

static bool is_param(const onnx_import *imp, const onnx_node *n, size_t i)
{
    const onnx_value *v = onnx_input(imp, n, i);
    return v && v->param;
}

static bool op_is(const onnx_node *n, const char *op)
{
    return n->proto->op_type && strcmp(n->proto->op_type, op) == 0;
}

/* Every scale and zero point of a QLinear operator is a required input. */
static int require_inputs(onnx_import *imp, const onnx_node *n, const char *const *names,
                          size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (!onnx_has_input(n, i))
            return onnx_node_error(imp, n, PETAL_EINVAL,
                                   "input %zu (%s) is missing; a quantized operator needs its "
                                   "scales and zero points to say how wide its numbers are",
                                   i, names[i]);
    return 0;
}

/* The width a QuantizeLinear node produces: its output_dtype attribute, else
 * its zero point's type, else uint8 (ONNX's default). */
static void quantized_bits(const onnx_import *imp, const onnx_node *q, uint8_t *bits,
                           bool *is_float)
{
    *bits = 8;
    *is_float = false;
    int64_t dtype = onnx_attr_int(q, "output_dtype", 0);
    if (dtype && onnx_type_bits((int32_t)dtype, bits, is_float))
        return;
    const onnx_value *zp = onnx_has_input(q, 2) ? onnx_input(imp, q, 2) : NULL;
    if (zp && zp->bits) {
        *bits = zp->bits;
        *is_float = zp->is_float;
    }
}

static bool narrow(const onnx_value *v)
{
    return v && v->bits && !(v->is_float && v->bits == 32);
}

static void set_width(petal_problem *p, int index, uint8_t bits, bool is_float)
{
    if (!bits)
        return;
    p->precision.bits[index] = bits;
    if (is_float)
        p->precision.float_mask |= (uint8_t)(1u << index);
}

/* The widths of the layer node n computes from operands xi (inputs) and wi
 * (weights), as the file comment says. */
static void layer_widths(const onnx_import *imp, const onnx_node *n, size_t xi, size_t wi,
                         petal_problem *p)
{
    const onnx_value *x = onnx_input(imp, n, xi), *w = onnx_input(imp, n, wi);
    bool qlinear = op_is(n, "QLinearConv") || op_is(n, "QLinearMatMul");
    bool integer = op_is(n, "ConvInteger") || op_is(n, "MatMulInteger");
    if (!qlinear && !integer && !narrow(x) && !narrow(w))
        return;
    memset(&p->precision, 0, sizeof p->precision);
    if (x)
        set_width(p, PETAL_DS_INPUTS, x->bits, x->is_float);
    if (w)
        set_width(p, PETAL_DS_WEIGHTS, w->bits, w->is_float);
    bool ints = x && w && x->bits && w->bits && !x->is_float && !w->is_float;
    if (qlinear) {
        const onnx_value *yzp = onnx_input(imp, n, 7);
        set_width(p, PETAL_DS_OUTPUTS, yzp && yzp->bits ? yzp->bits : 8, yzp && yzp->is_float);
    } else if (integer) {
        set_width(p, PETAL_DS_OUTPUTS, 32, false);
    } else if (n->nout > 0 && n->out[0] >= 0) {
        /* QDQ: the QuantizeLinear that takes the output says its width. */
        for (size_t k = 0; k < imp->g->nnodes; k++) {
            const onnx_node *q = &imp->g->nodes[k];
            if (q->nin > 0 && q->in[0] == n->out[0] && op_is(q, "QuantizeLinear")) {
                uint8_t bits;
                bool is_float;
                quantized_bits(imp, q, &bits, &is_float);
                set_width(p, PETAL_DS_OUTPUTS, bits, is_float);
                break;
            }
        }
    }
    if (ints || qlinear || integer)
        set_width(p, PETAL_PRECISION_PSUMS, 32, false);
}

/* The width of output 0 of a QLinear or integer layer, for a DequantizeLinear
 * that reads it. */
static void output_width(onnx_import *imp, const onnx_node *n, const petal_problem *p)
{
    if (n->nout > 0 && n->out[0] >= 0 && p->precision.bits[PETAL_DS_OUTPUTS]) {
        onnx_value *v = &imp->g->values[n->out[0]];
        v->bits = p->precision.bits[PETAL_DS_OUTPUTS];
        v->is_float = p->precision.float_mask & (1u << PETAL_DS_OUTPUTS);
    }
}

int onnx_infer_quantize(onnx_import *imp, const onnx_node *n)
{
    static const char *const names[] = {"x", "y_scale"};
    int r = require_inputs(imp, n, names, 2);
    const onnx_shape *x = NULL;
    if (!r)
        r = onnx_input_shape(imp, n, 0, &x);
    if (!r)
        r = onnx_set_output(imp, n, 0, x, NULL, 0);
    if (!r && n->nout > 0 && n->out[0] >= 0) {
        onnx_value *v = &imp->g->values[n->out[0]];
        quantized_bits(imp, n, &v->bits, &v->is_float);
    }
    return r;
}

int onnx_infer_dequantize(onnx_import *imp, const onnx_node *n)
{
    static const char *const names[] = {"x", "x_scale"};
    int r = require_inputs(imp, n, names, 2);
    const onnx_shape *x = NULL;
    if (!r)
        r = onnx_input_shape(imp, n, 0, &x);
    if (!r)
        r = onnx_set_output(imp, n, 0, x, NULL, 0);
    const onnx_value *in = onnx_input(imp, n, 0);
    if (!r && in && n->nout > 0 && n->out[0] >= 0) {
        /* Float numbers, but only as many distinct ones as the quantized input had. */
        onnx_value *v = &imp->g->values[n->out[0]];
        v->bits = in->bits;
        v->is_float = in->is_float;
    }
    return r;
}

static int conv_layer(onnx_import *imp, const onnx_node *n, size_t xi, size_t wi)
{
    const onnx_shape *x = NULL, *w = NULL;
    int r;
    if ((r = onnx_input_shape(imp, n, xi, &x)) || (r = onnx_input_shape(imp, n, wi, &w)))
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
        p.weights_are_params = is_param(imp, n, wi);
        layer_widths(imp, n, xi, wi, &p);
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
    if ((r = onnx_set_output(imp, n, 0, &out, NULL, 0)))
        return r;
    output_width(imp, n, &p);
    return 0;
}

int onnx_infer_conv(onnx_import *imp, const onnx_node *n)
{
    return conv_layer(imp, n, 0, 1);
}

int onnx_infer_qlinear_conv(onnx_import *imp, const onnx_node *n)
{
    static const char *const names[] = {"x",       "x_scale",      "x_zero_point", "w",
                                        "w_scale", "w_zero_point", "y_scale",      "y_zero_point"};
    int r = require_inputs(imp, n, names, 8);
    return r ? r : conv_layer(imp, n, 0, 3);
}

/* Out[batch][m][n] = A[batch][m][k] x B[(batch)][k][n] as a layer. When only A
 * is a parameter the product is taken transposed (Out^T = B^T A^T), so that the
 * parameter is always the weights operand. */
static int add_product(onnx_import *imp, const onnx_node *n, size_t ai, size_t bi, int64_t batch,
                       int64_t m, int64_t k, int64_t nn, bool a_param, bool b_param, bool a_batched,
                       bool b_batched, bool matrices)
{
    if (a_param && !b_param) {
        size_t ti = ai;
        ai = bi;
        bi = ti;
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
    petal_status st;
    if (b_param && matrices) {
        st = petal_problem_fc(&p, name, m, k, nn);
    } else {
        petal_matmul_params mm = {
            .batch = batch,
            .m = m,
            .k = k,
            .n = nn,
            .weights_batched = b_batched,
            .weights_are_params = b_param,
        };
        st = petal_problem_matmul(&p, name, &mm);
    }
    if (!st)
        layer_widths(imp, n, ai, bi, &p);
    if ((r = add_layer(imp, &p, st)))
        return r;
    output_width(imp, n, &p);
    return 0;
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
    if ((r = add_product(imp, n, 0, 1, 1, m, k, nn, is_param(imp, n, 0), is_param(imp, n, 1), false,
                         false, true)))
        return r;
    onnx_shape out = {.rank = 2, .dims = {m, nn}};
    return onnx_set_output(imp, n, 0, &out, NULL, 0);
}

/* numpy matmul: a vector operand gains a unit dimension that the output drops;
 * the leading (batch) dimensions broadcast. */
static int matmul_layer(onnx_import *imp, const onnx_node *n, size_t ai, size_t bi)
{
    const onnx_shape *a = NULL, *b = NULL;
    int r;
    if ((r = onnx_input_shape(imp, n, ai, &a)) || (r = onnx_input_shape(imp, n, bi, &b)))
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
    if ((r = add_product(imp, n, ai, bi, batch, m, k, nn, is_param(imp, n, ai),
                         is_param(imp, n, bi), a_batch > 1, b_batch > 1,
                         a->rank <= 2 && b->rank <= 2)))
        return r;
    return onnx_set_output(imp, n, 0, &out, NULL, 0);
}

int onnx_infer_matmul(onnx_import *imp, const onnx_node *n)
{
    return matmul_layer(imp, n, 0, 1);
}

int onnx_infer_qlinear_matmul(onnx_import *imp, const onnx_node *n)
{
    static const char *const names[] = {"a",       "a_scale",      "a_zero_point", "b",
                                        "b_scale", "b_zero_point", "y_scale",      "y_zero_point"};
    int r = require_inputs(imp, n, names, 8);
    return r ? r : matmul_layer(imp, n, 0, 3);
}
