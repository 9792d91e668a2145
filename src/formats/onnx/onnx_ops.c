/* onnx_ops.c - shape inference for the operators that carry no MACs, the
 * folding of small integer tensors (the Shape/Gather/Concat/... sub-graphs that
 * compute a Reshape target) and the operator table.
 *
 * Each operator is one function: it reads the shapes of its inputs and its
 * attributes, checks them as the ONNX specification states, and sets its
 * outputs. Contents are folded only for integer tensors of at most
 * ONNX_FOLD_MAX elements, which is all a shape computation needs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/onnx/onnx_graph.h"

/* --- elementwise and normalisation operators --- */

static int infer_unary(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    int r = onnx_input_shape(imp, n, 0, &x);
    return r ? r : onnx_set_output(imp, n, 0, x, NULL, 0);
}

/* Identity and Squeeze-like passes keep the contents. */
static int infer_identity(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    int r = onnx_input_shape(imp, n, 0, &x);
    const onnx_value *v = onnx_input(imp, n, 0);
    return r ? r : onnx_set_output(imp, n, 0, x, v->data, v->ndata);
}

static int infer_cast(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r)
        return r;
    /* Integer contents stay exact only when cast to an integer type. */
    int64_t to = onnx_attr_int(n, "to", 0);
    bool integer =
        to == 2 || to == 3 || to == 4 || to == 5 || to == 6 || to == 7 || to == 12 || to == 13;
    const onnx_value *v = onnx_input(imp, n, 0);
    return onnx_set_output(imp, n, 0, x, integer ? v->data : NULL, v->ndata);
}

/* Dropout's mask and MaxPool's indices have the shape of the first output. */
static int infer_dropout(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (!r)
        r = onnx_set_output(imp, n, 0, x, NULL, 0);
    return r ? r : onnx_set_output(imp, n, 1, x, NULL, 0);
}

static int infer_batchnorm(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL, *mean = NULL, *var = NULL;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (!r && n->nout > 1)
        r = onnx_input_shape(imp, n, 3, &mean);
    if (!r && n->nout > 2)
        r = onnx_input_shape(imp, n, 4, &var);
    if (!r)
        r = onnx_set_output(imp, n, 0, x, NULL, 0);
    if (!r && mean) /* training mode: running mean and variance */
        r = onnx_set_output(imp, n, 1, mean, NULL, 0);
    if (!r && var)
        r = onnx_set_output(imp, n, 2, var, NULL, 0);
    return r;
}

static int infer_layernorm(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    int r = onnx_input_shape(imp, n, 0, &x), axis = 0;
    if (r || (r = onnx_axis(imp, n, onnx_attr_int(n, "axis", -1), x->rank, &axis)))
        return r;
    onnx_shape stats = *x; /* mean and inverse deviation: 1 over the normalised axes */
    for (int d = axis; d < stats.rank; d++)
        stats.dims[d] = 1;
    if ((r = onnx_set_output(imp, n, 0, x, NULL, 0)) ||
        (r = onnx_set_output(imp, n, 1, &stats, NULL, 0)))
        return r;
    return onnx_set_output(imp, n, 2, &stats, NULL, 0);
}

/* --- broadcasting operators --- */

static int broadcast(onnx_import *imp, const onnx_node *n, const onnx_shape *a, const onnx_shape *b,
                     onnx_shape *out)
{
    onnx_shape r = {.rank = a->rank > b->rank ? a->rank : b->rank};
    for (int d = 0; d < r.rank; d++) {
        int da = d - (r.rank - a->rank), db = d - (r.rank - b->rank);
        int64_t x = da >= 0 ? a->dims[da] : 1, y = db >= 0 ? b->dims[db] : 1;
        if (x != y && x != 1 && y != 1) {
            char sa[160], sb[160];
            onnx_shape_format(a, sa, sizeof sa);
            onnx_shape_format(b, sb, sizeof sb);
            return onnx_node_error(imp, n, PETAL_EINVAL, "shapes %s and %s do not broadcast", sa,
                                   sb);
        }
        r.dims[d] = x == 1 ? y : x;
    }
    *out = r;
    return PETAL_OK;
}

/* Flat index into `in` of element `flat` of the broadcast shape `out`. */
static size_t broadcast_index(const onnx_shape *out, const onnx_shape *in, size_t flat)
{
    size_t index = 0, stride = 1;
    for (int d = out->rank - 1, e = in->rank - 1; d >= 0; d--, e--) {
        size_t coord = flat % (size_t)out->dims[d];
        flat /= (size_t)out->dims[d];
        if (e >= 0) {
            if (in->dims[e] != 1)
                index += coord * stride;
            stride *= (size_t)in->dims[e];
        }
    }
    return index;
}

typedef enum {
    FOLD_NONE,
    FOLD_ADD,
    FOLD_SUB,
    FOLD_MUL,
    FOLD_DIV,
    FOLD_MAX,
    FOLD_MIN,
    FOLD_EQUAL,
    FOLD_WHERE
} fold_kind;

/* One element of a folded operation; false when it cannot be represented. */
static bool fold_one(fold_kind k, const int64_t *x, int64_t *out)
{
    switch (k) {
    case FOLD_ADD:
        return !__builtin_add_overflow(x[0], x[1], out);
    case FOLD_SUB:
        return !__builtin_sub_overflow(x[0], x[1], out);
    case FOLD_MUL:
        return !__builtin_mul_overflow(x[0], x[1], out);
    case FOLD_DIV:
        if (x[1] == 0 || (x[0] == INT64_MIN && x[1] == -1))
            return false;
        *out = x[0] / x[1];
        return true;
    case FOLD_MAX:
        *out = x[0] > x[1] ? x[0] : x[1];
        return true;
    case FOLD_MIN:
        *out = x[0] < x[1] ? x[0] : x[1];
        return true;
    case FOLD_EQUAL:
        *out = x[0] == x[1];
        return true;
    case FOLD_WHERE:
        *out = x[0] ? x[1] : x[2];
        return true;
    case FOLD_NONE:
        return false;
    }
    return false;
}

static fold_kind fold_kind_of(const char *op, size_t nin)
{
    static const struct {
        const char *op;
        fold_kind kind;
        size_t nin;
    } folds[] = {
        {"Add", FOLD_ADD, 2},     {"Sub", FOLD_SUB, 2},     {"Mul", FOLD_MUL, 2},
        {"Div", FOLD_DIV, 2},     {"Max", FOLD_MAX, 2},     {"Min", FOLD_MIN, 2},
        {"Equal", FOLD_EQUAL, 2}, {"Where", FOLD_WHERE, 3},
    };
    for (size_t i = 0; i < sizeof folds / sizeof folds[0]; i++)
        if (strcmp(folds[i].op, op) == 0 && folds[i].nin == nin)
            return folds[i].kind;
    return FOLD_NONE;
}

/* Add, Mul, Where, ...: the output has the broadcast shape of all inputs. */
static int infer_broadcast(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *s = NULL;
    onnx_shape out = {.rank = 0};
    bool any = false, all_data = true;
    int r;
    for (size_t i = 0; i < n->nin; i++) {
        if (!onnx_has_input(n, i)) {
            all_data = false; /* an omitted operand: nothing to fold */
            continue;
        }
        if ((r = onnx_input_shape(imp, n, i, &s)) || (r = broadcast(imp, n, &out, s, &out)))
            return r;
        any = true;
        all_data = all_data && onnx_input(imp, n, i)->data;
    }
    if (!any)
        return onnx_node_error(imp, n, PETAL_EPARSE, "has no inputs");
    fold_kind kind = fold_kind_of(n->proto->op_type, n->nin);
    int64_t numel;
    if (!all_data || kind == FOLD_NONE || !onnx_numel(&out, &numel) || numel > ONNX_FOLD_MAX)
        return onnx_set_output(imp, n, 0, &out, NULL, 0);
    int64_t data[ONNX_FOLD_MAX];
    for (size_t e = 0; e < (size_t)numel; e++) {
        int64_t x[3];
        for (size_t i = 0; i < n->nin; i++) {
            const onnx_value *v = onnx_input(imp, n, i);
            x[i] = v->data[broadcast_index(&out, &v->shape, e)];
        }
        if (!fold_one(kind, x, &data[e]))
            return onnx_set_output(imp, n, 0, &out, NULL, 0);
    }
    return onnx_set_output(imp, n, 0, &out, data, (size_t)numel);
}

/* --- pooling --- */

static int infer_pool(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    onnx_window w;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r || (r = onnx_window_infer(imp, n, x, NULL, true, &w)))
        return r;
    onnx_shape out = *x;
    for (int d = 0; d < w.nspatial; d++)
        out.dims[2 + d] = w.out[d];
    if ((r = onnx_set_output(imp, n, 0, &out, NULL, 0)))
        return r;
    return onnx_set_output(imp, n, 1, &out, NULL, 0); /* MaxPool's indices */
}

static int infer_global_pool(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r)
        return r;
    if (x->rank < 3)
        return onnx_node_error(imp, n, PETAL_EINVAL,
                               "expects an N x C x spatial input, got rank %d", x->rank);
    onnx_shape out = *x;
    for (int d = 2; d < out.rank; d++)
        out.dims[d] = 1;
    return onnx_set_output(imp, n, 0, &out, NULL, 0);
}

/* --- shape manipulation --- */

static int infer_concat(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *first = NULL, *s = NULL;
    int r = onnx_input_shape(imp, n, 0, &first), axis = 0;
    if (r)
        return r;
    if (!onnx_attr(n, "axis"))
        return onnx_node_error(imp, n, PETAL_EINVAL, "has no axis attribute");
    if (first->rank == 0)
        return onnx_node_error(imp, n, PETAL_EINVAL, "cannot concatenate scalars");
    if ((r = onnx_axis(imp, n, onnx_attr_int(n, "axis", 0), first->rank, &axis)))
        return r;
    onnx_shape out = *first;
    out.dims[axis] = 0;
    bool all_data = true;
    for (size_t i = 0; i < n->nin; i++) {
        if (!onnx_has_input(n, i))
            continue;
        if ((r = onnx_input_shape(imp, n, i, &s)))
            return r;
        for (int d = 0; d < out.rank; d++)
            if (s->rank != out.rank || (d != axis && s->dims[d] != out.dims[d])) {
                char a[160], b[160];
                onnx_shape_format(first, a, sizeof a);
                onnx_shape_format(s, b, sizeof b);
                return onnx_node_error(imp, n, PETAL_EINVAL,
                                       "inputs %s and %s differ outside axis %d", a, b, axis);
            }
        out.dims[axis] += s->dims[axis];
        all_data = all_data && onnx_input(imp, n, i)->data;
    }
    int64_t numel;
    if (!all_data || !onnx_numel(&out, &numel) || numel > ONNX_FOLD_MAX)
        return onnx_set_output(imp, n, 0, &out, NULL, 0);
    /* Contents: for each index before the axis, each input's slab in turn. */
    int64_t data[ONNX_FOLD_MAX];
    size_t outer = 1, inner = 1, used = 0;
    for (int d = 0; d < axis; d++)
        outer *= (size_t)out.dims[d];
    for (int d = axis + 1; d < out.rank; d++)
        inner *= (size_t)out.dims[d];
    for (size_t o = 0; o < outer; o++)
        for (size_t i = 0; i < n->nin; i++) {
            const onnx_value *v = onnx_input(imp, n, i);
            if (!v)
                continue;
            size_t slab = (size_t)v->shape.dims[axis] * inner;
            memcpy(data + used, v->data + o * slab, slab * sizeof *data);
            used += slab;
        }
    return onnx_set_output(imp, n, 0, &out, data, used);
}

static int infer_split(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    int r = onnx_input_shape(imp, n, 0, &x), axis = 0;
    if (r)
        return r;
    if (x->rank == 0)
        return onnx_node_error(imp, n, PETAL_EINVAL, "cannot split a scalar");
    if ((r = onnx_axis(imp, n, onnx_attr_int(n, "axis", 0), x->rank, &axis)))
        return r;
    const int64_t *sizes = NULL;
    size_t nsizes = 0;
    onnx_attr_ints(n, "split", &sizes, &nsizes); /* before opset 13 */
    if (!nsizes && onnx_has_input(n, 1) &&
        (r = onnx_input_data(imp, n, 1, "split sizes", &sizes, &nsizes)))
        return r;
    if (n->nout == 0)
        return onnx_node_error(imp, n, PETAL_EPARSE, "has no outputs");
    if (nsizes && nsizes != n->nout)
        return onnx_node_error(imp, n, PETAL_EINVAL, "has %zu split sizes for %zu outputs", nsizes,
                               n->nout);
    int64_t total = 0, extent = x->dims[axis], count = (int64_t)n->nout;
    int64_t chunk = (extent + count - 1) / count; /* equal parts, the last one smaller */
    for (size_t i = 0; i < n->nout; i++) {
        int64_t size = nsizes ? sizes[i] : (i + 1 < n->nout ? chunk : extent - chunk * (count - 1));
        if (size < 0 || size > ONNX_DIM_MAX)
            return onnx_node_error(imp, n, PETAL_EINVAL, "split size %lld is out of range",
                                   (long long)size);
        total += size;
    }
    if (total != extent)
        return onnx_node_error(imp, n, PETAL_EINVAL,
                               "split sizes add up to %lld but axis %d has extent %lld",
                               (long long)total, axis, (long long)extent);
    for (size_t i = 0; i < n->nout; i++) {
        onnx_shape out = *x;
        out.dims[axis] =
            nsizes ? sizes[i] : (i + 1 < n->nout ? chunk : extent - chunk * (count - 1));
        if ((r = onnx_set_output(imp, n, i, &out, NULL, 0)))
            return r;
    }
    return PETAL_OK;
}

static int infer_flatten(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r)
        return r;
    int64_t axis = onnx_attr_int(n, "axis", 1);
    if (axis < -x->rank || axis > x->rank)
        return onnx_node_error(imp, n, PETAL_EINVAL, "axis %lld is out of range for rank %d",
                               (long long)axis, x->rank);
    if (axis < 0)
        axis += x->rank;
    onnx_shape out = {.rank = 2, .dims = {1, 1}};
    for (int d = 0; d < x->rank; d++)
        if (__builtin_mul_overflow(out.dims[d >= axis], x->dims[d], &out.dims[d >= axis]))
            return onnx_node_error(imp, n, PETAL_EOVERFLOW, "the output extent overflows");
    const onnx_value *v = onnx_input(imp, n, 0);
    return onnx_set_output(imp, n, 0, &out, v->data, v->ndata);
}

static int infer_reshape(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    const int64_t *target = NULL;
    size_t count = 0;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r || (r = onnx_input_data(imp, n, 1, "target shape", &target, &count)))
        return r;
    if (count > ONNX_MAX_RANK)
        return onnx_node_error(imp, n, PETAL_EUNSUPPORTED,
                               "target shape has %zu dimensions; petal handles up to %d", count,
                               ONNX_MAX_RANK);
    bool allow_zero = onnx_attr_int(n, "allowzero", 0) != 0;
    onnx_shape out = {.rank = (int)count};
    int infer_at = -1;
    int64_t known = 1, numel;
    if (!onnx_numel(x, &numel))
        return onnx_node_error(imp, n, PETAL_EOVERFLOW, "the input's element count overflows");
    for (int d = 0; d < out.rank; d++) {
        int64_t t = target[d];
        if (t == 0 && !allow_zero) {
            if (d >= x->rank)
                return onnx_node_error(imp, n, PETAL_EINVAL,
                                       "target dimension %d is 0 (copy) but the input has rank %d",
                                       d, x->rank);
            t = x->dims[d];
        } else if (t == -1) {
            if (infer_at >= 0)
                return onnx_node_error(imp, n, PETAL_EINVAL, "target shape has two -1 extents");
            infer_at = d;
            continue;
        } else if (t < 0 || t > ONNX_DIM_MAX) {
            return onnx_node_error(imp, n, PETAL_EINVAL, "target extent %lld is out of range",
                                   (long long)t);
        }
        out.dims[d] = t;
        if (__builtin_mul_overflow(known, t, &known))
            return onnx_node_error(imp, n, PETAL_EOVERFLOW, "the target's element count overflows");
    }
    if (infer_at >= 0) {
        if (known == 0 || numel % known)
            return onnx_node_error(imp, n, PETAL_EINVAL,
                                   "cannot infer the -1 extent: %lld elements over %lld",
                                   (long long)numel, (long long)known);
        out.dims[infer_at] = numel / known;
        known = numel;
    }
    if (known != numel) {
        char a[160], b[160];
        onnx_shape_format(x, a, sizeof a);
        onnx_shape_format(&out, b, sizeof b);
        return onnx_node_error(imp, n, PETAL_EINVAL,
                               "cannot reshape %s (%lld elements) to %s (%lld elements)", a,
                               (long long)numel, b, (long long)known);
    }
    const onnx_value *v = onnx_input(imp, n, 0);
    return onnx_set_output(imp, n, 0, &out, v->data, v->ndata);
}

static int infer_transpose(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r)
        return r;
    const int64_t *perm = NULL;
    size_t nperm = 0;
    onnx_attr_ints(n, "perm", &perm, &nperm);
    if (nperm && nperm != (size_t)x->rank)
        return onnx_node_error(imp, n, PETAL_EINVAL, "perm has %zu values for rank %d", nperm,
                               x->rank);
    onnx_shape out = {.rank = x->rank};
    bool seen[ONNX_MAX_RANK] = {false};
    for (int d = 0; d < x->rank; d++) {
        int64_t p = nperm ? perm[d] : x->rank - 1 - d;
        if (p < 0 || p >= x->rank || seen[p])
            return onnx_node_error(imp, n, PETAL_EINVAL, "perm is not a permutation of 0..%d",
                                   x->rank - 1);
        seen[p] = true;
        out.dims[d] = x->dims[p];
    }
    const onnx_value *v = onnx_input(imp, n, 0);
    return onnx_set_output(imp, n, 0, &out, x->rank <= 1 ? v->data : NULL, v->ndata);
}

/* Axes of Squeeze, Unsqueeze and the reductions: the attribute (older opsets) or
 * input 1 (newer); *present is false when neither gives any. */
static int axes_of(onnx_import *imp, const onnx_node *n, const int64_t **axes, size_t *count,
                   bool *present)
{
    onnx_attr_ints(n, "axes", axes, count);
    *present = onnx_attr(n, "axes") != NULL;
    if (!*present && onnx_has_input(n, 1)) {
        *present = true;
        return onnx_input_data(imp, n, 1, "axes", axes, count);
    }
    return PETAL_OK;
}

static int infer_squeeze(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    const int64_t *axes = NULL;
    size_t count = 0;
    bool present;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r || (r = axes_of(imp, n, &axes, &count, &present)))
        return r;
    bool drop[ONNX_MAX_RANK] = {false};
    for (size_t i = 0; i < count; i++) {
        int axis = 0;
        if ((r = onnx_axis(imp, n, axes[i], x->rank, &axis)))
            return r;
        if (x->dims[axis] != 1)
            return onnx_node_error(imp, n, PETAL_EINVAL,
                                   "cannot squeeze dimension %d of extent %lld", axis,
                                   (long long)x->dims[axis]);
        drop[axis] = true;
    }
    onnx_shape out = {.rank = 0};
    for (int d = 0; d < x->rank; d++)
        if (!(count ? drop[d] : x->dims[d] == 1))
            out.dims[out.rank++] = x->dims[d];
    const onnx_value *v = onnx_input(imp, n, 0);
    return onnx_set_output(imp, n, 0, &out, v->data, v->ndata);
}

static int infer_unsqueeze(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    const int64_t *axes = NULL;
    size_t count = 0;
    bool present;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r || (r = axes_of(imp, n, &axes, &count, &present)))
        return r;
    if (!present || !count)
        return onnx_node_error(imp, n, PETAL_EINVAL, "has no axes");
    if ((size_t)x->rank + count > ONNX_MAX_RANK)
        return onnx_node_error(imp, n, PETAL_EUNSUPPORTED,
                               "the output would have %zu dimensions; petal handles up to %d",
                               (size_t)x->rank + count, ONNX_MAX_RANK);
    onnx_shape out = {.rank = x->rank + (int)count};
    bool inserted[ONNX_MAX_RANK] = {false};
    for (size_t i = 0; i < count; i++) {
        int axis = 0;
        if ((r = onnx_axis(imp, n, axes[i], out.rank, &axis)))
            return r;
        if (inserted[axis])
            return onnx_node_error(imp, n, PETAL_EINVAL, "axis %d is listed twice", axis);
        inserted[axis] = true;
    }
    for (int d = 0, k = 0; d < out.rank; d++)
        out.dims[d] = inserted[d] ? 1 : x->dims[k++];
    const onnx_value *v = onnx_input(imp, n, 0);
    return onnx_set_output(imp, n, 0, &out, v->data, v->ndata);
}

static int infer_pad(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    const int64_t *pads = NULL, *axes = NULL;
    size_t npads, naxes = 0;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r)
        return r;
    onnx_attr_ints(n, "pads", &pads, &npads); /* before opset 11 */
    if (!onnx_attr(n, "pads") && (r = onnx_input_data(imp, n, 1, "pads", &pads, &npads)))
        return r;
    if (onnx_has_input(n, 3) && (r = onnx_input_data(imp, n, 3, "axes", &axes, &naxes)))
        return r;
    size_t nax = axes ? naxes : (size_t)x->rank;
    if (npads != 2 * nax)
        return onnx_node_error(imp, n, PETAL_EINVAL, "has %zu pads for %zu axes", npads, nax);
    onnx_shape out = *x;
    for (size_t i = 0; i < nax; i++) {
        int axis = (int)i;
        if (axes && (r = onnx_axis(imp, n, axes[i], x->rank, &axis)))
            return r;
        int64_t begin = pads[i], end = pads[nax + i];
        if (begin < -ONNX_DIM_MAX || begin > ONNX_DIM_MAX || end < -ONNX_DIM_MAX ||
            end > ONNX_DIM_MAX || out.dims[axis] + begin + end < 0)
            return onnx_node_error(imp, n, PETAL_EINVAL,
                                   "pads %lld, %lld on axis %d are out of "
                                   "range",
                                   (long long)begin, (long long)end, axis);
        out.dims[axis] += begin + end;
    }
    return onnx_set_output(imp, n, 0, &out, NULL, 0);
}

/* --- shape computations, folded --- */

static int infer_shape(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r)
        return r;
    int64_t start = onnx_attr_int(n, "start", 0), end = onnx_attr_int(n, "end", x->rank);
    if (start < 0)
        start += x->rank;
    if (end < 0)
        end += x->rank;
    start = start < 0 ? 0 : start > x->rank ? x->rank : start;
    end = end < 0 ? 0 : end > x->rank ? x->rank : end;
    onnx_shape out = {.rank = 1, .dims = {end > start ? end - start : 0}};
    return onnx_set_output(imp, n, 0, &out, x->dims + start, (size_t)out.dims[0]);
}

static int infer_size(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    int64_t numel;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r)
        return r;
    if (!onnx_numel(x, &numel))
        return onnx_node_error(imp, n, PETAL_EOVERFLOW, "the element count overflows");
    onnx_shape out = {.rank = 0};
    return onnx_set_output(imp, n, 0, &out, &numel, 1);
}

static int infer_gather(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL, *idx = NULL;
    int r = onnx_input_shape(imp, n, 0, &x), axis = 0;
    if (r || (r = onnx_input_shape(imp, n, 1, &idx)))
        return r;
    if (x->rank == 0)
        return onnx_node_error(imp, n, PETAL_EINVAL, "cannot gather from a scalar");
    if ((r = onnx_axis(imp, n, onnx_attr_int(n, "axis", 0), x->rank, &axis)))
        return r;
    if (x->rank - 1 + idx->rank > ONNX_MAX_RANK)
        return onnx_node_error(imp, n, PETAL_EUNSUPPORTED, "the output has too many dimensions");
    onnx_shape out = {.rank = 0};
    for (int d = 0; d < axis; d++)
        out.dims[out.rank++] = x->dims[d];
    for (int d = 0; d < idx->rank; d++)
        out.dims[out.rank++] = idx->dims[d];
    for (int d = axis + 1; d < x->rank; d++)
        out.dims[out.rank++] = x->dims[d];
    const onnx_value *data = onnx_input(imp, n, 0), *indices = onnx_input(imp, n, 1);
    int64_t extent = x->dims[axis], numel;
    if (indices->data)
        for (size_t i = 0; i < indices->ndata; i++)
            if (indices->data[i] < -extent || indices->data[i] >= extent)
                return onnx_node_error(imp, n, PETAL_EINVAL,
                                       "index %lld is out of range for extent %lld",
                                       (long long)indices->data[i], (long long)extent);
    if (!data->data || !indices->data || !onnx_numel(&out, &numel) || numel > ONNX_FOLD_MAX)
        return onnx_set_output(imp, n, 0, &out, NULL, 0);
    int64_t folded[ONNX_FOLD_MAX];
    size_t outer = 1, inner = 1, used = 0;
    for (int d = 0; d < axis; d++)
        outer *= (size_t)x->dims[d];
    for (int d = axis + 1; d < x->rank; d++)
        inner *= (size_t)x->dims[d];
    for (size_t o = 0; o < outer; o++)
        for (size_t i = 0; i < indices->ndata; i++) {
            int64_t k = indices->data[i] < 0 ? indices->data[i] + extent : indices->data[i];
            memcpy(folded + used, data->data + (o * (size_t)extent + (size_t)k) * inner,
                   inner * sizeof *folded);
            used += inner;
        }
    return onnx_set_output(imp, n, 0, &out, folded, used);
}

static int infer_constant(onnx_import *imp, const onnx_node *n)
{
    const Onnx__AttributeProto *a;
    char label[160];
    onnx_node_label(n, label, sizeof label);
    if ((a = onnx_attr(n, "value")) && a->t) {
        onnx_value v = {.shape.rank = -1};
        char what[200];
        snprintf(what, sizeof what, "%s: %s: its value", imp->g->source, label);
        petal_status st = onnx_tensor_value(a->t, &v, what);
        if (!st)
            st = onnx_set_output(imp, n, 0, &v.shape, v.data, v.ndata);
        free(v.data);
        return st;
    }
    onnx_shape scalar = {.rank = 0}, list = {.rank = 1};
    if ((a = onnx_attr(n, "value_int")))
        return onnx_set_output(imp, n, 0, &scalar, &a->i, 1);
    if ((a = onnx_attr(n, "value_ints"))) {
        list.dims[0] = (int64_t)a->n_ints;
        return onnx_set_output(imp, n, 0, &list, a->ints, a->n_ints);
    }
    if ((a = onnx_attr(n, "value_floats"))) {
        list.dims[0] = (int64_t)a->n_floats;
        return onnx_set_output(imp, n, 0, &list, NULL, 0);
    }
    if ((a = onnx_attr(n, "value_strings"))) {
        list.dims[0] = (int64_t)a->n_strings;
        return onnx_set_output(imp, n, 0, &list, NULL, 0);
    }
    if (onnx_attr(n, "value_float") || onnx_attr(n, "value_string"))
        return onnx_set_output(imp, n, 0, &scalar, NULL, 0);
    return onnx_cannot(imp, n, "petal reads only dense constants");
}

static int infer_constant_of_shape(onnx_import *imp, const onnx_node *n)
{
    const int64_t *dims = NULL;
    size_t count = 0;
    int r = onnx_input_data(imp, n, 0, "shape", &dims, &count);
    if (r)
        return r;
    if (count > ONNX_MAX_RANK)
        return onnx_node_error(imp, n, PETAL_EUNSUPPORTED, "the output has %zu dimensions", count);
    onnx_shape out = {.rank = (int)count};
    for (size_t d = 0; d < count; d++) {
        if (dims[d] < 0 || dims[d] > ONNX_DIM_MAX)
            return onnx_node_error(imp, n, PETAL_EINVAL, "extent %lld is out of range",
                                   (long long)dims[d]);
        out.dims[d] = dims[d];
    }
    /* Contents only for an integer fill value (the default fill is float 0). */
    const Onnx__AttributeProto *a = onnx_attr(n, "value");
    onnx_value fill = {.shape.rank = -1};
    int64_t numel, data[ONNX_FOLD_MAX];
    if (a && a->t && onnx_tensor_value(a->t, &fill, "ConstantOfShape value") == PETAL_OK &&
        fill.data && fill.ndata == 1 && onnx_numel(&out, &numel) && numel <= ONNX_FOLD_MAX) {
        for (int64_t i = 0; i < numel; i++)
            data[i] = fill.data[0];
        free(fill.data);
        return onnx_set_output(imp, n, 0, &out, data, (size_t)numel);
    }
    petal_error_clear();
    free(fill.data);
    return onnx_set_output(imp, n, 0, &out, NULL, 0);
}

/* Python-style slice bounds as ONNX defines them; returns the element count. */
static int64_t slice_range(int64_t extent, int64_t *start, int64_t *end, int64_t step)
{
    /* Steps beyond any extent behave like the largest one that fits. */
    const int64_t far = INT64_C(1) << 33;
    step = step > far ? far : step < -far ? -far : step;
    int64_t s = *start < 0 ? *start + extent : *start;
    int64_t e = *end < 0 ? *end + extent : *end;
    if (step > 0) {
        s = s < 0 ? 0 : s > extent ? extent : s;
        e = e < 0 ? 0 : e > extent ? extent : e;
    } else {
        s = s < 0 ? 0 : s > extent - 1 ? extent - 1 : s;
        e = e < -1 ? -1 : e > extent - 1 ? extent - 1 : e;
    }
    *start = s;
    *end = e;
    int64_t count = step > 0 ? (e - s + step - 1) / step : (s - e - step - 1) / -step;
    return count > 0 ? count : 0;
}

static int infer_slice(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    const int64_t *starts = NULL, *ends = NULL, *axes = NULL, *steps = NULL;
    size_t ns, ne, na = 0, nst = 0;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r)
        return r;
    if (onnx_attr(n, "starts")) { /* before opset 10 */
        onnx_attr_ints(n, "starts", &starts, &ns);
        onnx_attr_ints(n, "ends", &ends, &ne);
        onnx_attr_ints(n, "axes", &axes, &na);
        if (!onnx_attr(n, "axes"))
            axes = NULL;
    } else if ((r = onnx_input_data(imp, n, 1, "starts", &starts, &ns)) ||
               (r = onnx_input_data(imp, n, 2, "ends", &ends, &ne)) ||
               (onnx_has_input(n, 3) && (r = onnx_input_data(imp, n, 3, "axes", &axes, &na))) ||
               (onnx_has_input(n, 4) && (r = onnx_input_data(imp, n, 4, "steps", &steps, &nst)))) {
        return r;
    }
    if (ne != ns || (axes && na != ns) || (steps && nst != ns) || ns > (size_t)x->rank)
        return onnx_node_error(imp, n, PETAL_EINVAL,
                               "starts, ends, axes and steps differ in length");
    onnx_shape out = *x;
    int64_t first = 0, step1 = 1;
    bool seen[ONNX_MAX_RANK] = {false};
    for (size_t i = 0; i < ns; i++) {
        int axis = (int)i;
        if (axes && (r = onnx_axis(imp, n, axes[i], x->rank, &axis)))
            return r;
        int64_t step = steps ? steps[i] : 1, s = starts[i], e = ends[i];
        if (step == 0 || seen[axis])
            return onnx_node_error(imp, n, PETAL_EINVAL,
                                   step ? "axis %d is sliced twice" : "step 0 on axis %d", axis);
        seen[axis] = true;
        out.dims[axis] = slice_range(x->dims[axis], &s, &e, step);
        first = s;
        step1 = step;
    }
    const onnx_value *v = onnx_input(imp, n, 0);
    if (x->rank != 1 || !v->data || ns != 1)
        return onnx_set_output(imp, n, 0, &out, NULL, 0);
    int64_t data[ONNX_FOLD_MAX];
    for (int64_t i = 0; i < out.dims[0]; i++)
        data[i] = v->data[first + i * step1];
    return onnx_set_output(imp, n, 0, &out, data, (size_t)out.dims[0]);
}

static int infer_expand(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    const int64_t *dims = NULL;
    size_t count = 0;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r || (r = onnx_input_data(imp, n, 1, "shape", &dims, &count)))
        return r;
    if (count > ONNX_MAX_RANK)
        return onnx_node_error(imp, n, PETAL_EUNSUPPORTED, "the shape has %zu dimensions", count);
    onnx_shape target = {.rank = (int)count}, out;
    for (size_t d = 0; d < count; d++) {
        if (dims[d] < 0 || dims[d] > ONNX_DIM_MAX)
            return onnx_node_error(imp, n, PETAL_EINVAL, "extent %lld is out of range",
                                   (long long)dims[d]);
        target.dims[d] = dims[d];
    }
    if ((r = broadcast(imp, n, x, &target, &out)))
        return r;
    return onnx_set_output(imp, n, 0, &out, NULL, 0);
}

static int infer_tile(onnx_import *imp, const onnx_node *n)
{
    const onnx_shape *x = NULL;
    const int64_t *repeats = NULL;
    size_t count = 0;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r || (r = onnx_input_data(imp, n, 1, "repeats", &repeats, &count)))
        return r;
    if (count != (size_t)x->rank)
        return onnx_node_error(imp, n, PETAL_EINVAL, "has %zu repeats for rank %d", count, x->rank);
    onnx_shape out = *x;
    for (int d = 0; d < x->rank; d++)
        if (repeats[d] < 0 || repeats[d] > ONNX_DIM_MAX ||
            __builtin_mul_overflow(out.dims[d], repeats[d], &out.dims[d]))
            return onnx_node_error(imp, n, PETAL_EINVAL, "repeat %lld is out of range",
                                   (long long)repeats[d]);
    return onnx_set_output(imp, n, 0, &out, NULL, 0);
}

static int infer_range(onnx_import *imp, const onnx_node *n)
{
    const int64_t *start = NULL, *limit = NULL, *delta = NULL;
    size_t n0 = 0, n1 = 0, n2 = 0;
    int r;
    if ((r = onnx_input_data(imp, n, 0, "start", &start, &n0)) ||
        (r = onnx_input_data(imp, n, 1, "limit", &limit, &n1)) ||
        (r = onnx_input_data(imp, n, 2, "delta", &delta, &n2)))
        return r;
    int64_t span;
    if (n0 != 1 || n1 != 1 || n2 != 1 || *delta == 0 ||
        __builtin_sub_overflow(*limit, *start, &span))
        return onnx_node_error(imp, n, PETAL_EINVAL, "expects scalar start, limit and delta != 0");
    int64_t count = *delta > 0 ? (span > 0 ? (span - 1) / *delta + 1 : 0)
                               : (span < 0 ? (span + 1) / *delta + 1 : 0);
    onnx_shape out = {.rank = 1, .dims = {count}};
    if (count > ONNX_FOLD_MAX)
        return onnx_set_output(imp, n, 0, &out, NULL, 0);
    int64_t data[ONNX_FOLD_MAX];
    for (int64_t i = 0; i < count; i++)
        data[i] = *start + i * *delta;
    return onnx_set_output(imp, n, 0, &out, data, (size_t)count);
}

/* ReduceMean, ReduceSum, ... and ArgMax/ArgMin (one axis). */
static int reduce(onnx_import *imp, const onnx_node *n, const int64_t *axes, size_t count,
                  bool all_when_empty)
{
    const onnx_shape *x = NULL;
    int r = onnx_input_shape(imp, n, 0, &x);
    if (r)
        return r;
    bool keep = onnx_attr_int(n, "keepdims", 1) != 0, reduced[ONNX_MAX_RANK] = {false};
    for (size_t i = 0; i < count; i++) {
        int axis = 0;
        if ((r = onnx_axis(imp, n, axes[i], x->rank, &axis)))
            return r;
        reduced[axis] = true;
    }
    onnx_shape out = {.rank = 0};
    for (int d = 0; d < x->rank; d++) {
        bool red = count ? reduced[d] : all_when_empty;
        if (!red)
            out.dims[out.rank++] = x->dims[d];
        else if (keep)
            out.dims[out.rank++] = 1;
    }
    return onnx_set_output(imp, n, 0, &out, NULL, 0);
}

static int infer_reduce(onnx_import *imp, const onnx_node *n)
{
    const int64_t *axes = NULL;
    size_t count = 0;
    bool present;
    int r = axes_of(imp, n, &axes, &count, &present);
    if (r)
        return r;
    bool noop = onnx_attr_int(n, "noop_with_empty_axes", 0) != 0;
    return reduce(imp, n, axes, count, !noop);
}

static int infer_argreduce(onnx_import *imp, const onnx_node *n)
{
    int64_t axis = onnx_attr_int(n, "axis", 0);
    return reduce(imp, n, &axis, 1, false);
}

/* --- the table --- */

#define UNARY(name)                                                                                \
    {                                                                                              \
        name, infer_unary, false                                                                   \
    }

static const onnx_op ops[] = {
    /* carrying MACs (onnx_layers.c) */
    {"Conv", onnx_infer_conv, true},
    {"ConvInteger", onnx_infer_conv, true},
    {"QLinearConv", onnx_infer_qlinear_conv, true},
    {"QLinearMatMul", onnx_infer_qlinear_matmul, true},
    {"Gemm", onnx_infer_gemm, true},
    {"MatMul", onnx_infer_matmul, true},
    {"MatMulInteger", onnx_infer_matmul, true},
    /* same shape as the first input */
    UNARY("Abs"),
    UNARY("Acos"),
    UNARY("Acosh"),
    UNARY("Asin"),
    UNARY("Asinh"),
    UNARY("Atan"),
    UNARY("Atanh"),
    UNARY("Ceil"),
    UNARY("Celu"),
    UNARY("Clip"),
    UNARY("Cos"),
    UNARY("Cosh"),
    UNARY("CumSum"),
    UNARY("Elu"),
    UNARY("Erf"),
    UNARY("Exp"),
    UNARY("Floor"),
    UNARY("Gelu"),
    UNARY("GroupNormalization"),
    UNARY("Hardmax"),
    UNARY("HardSigmoid"),
    UNARY("HardSwish"),
    UNARY("InstanceNormalization"),
    UNARY("IsInf"),
    UNARY("IsNaN"),
    UNARY("LeakyRelu"),
    UNARY("Log"),
    UNARY("LogSoftmax"),
    UNARY("LRN"),
    UNARY("Mish"),
    UNARY("Neg"),
    UNARY("Not"),
    UNARY("PRelu"),
    UNARY("Reciprocal"),
    {"Relu", infer_unary, false, true},
    UNARY("Round"),
    UNARY("Selu"),
    UNARY("Shrink"),
    UNARY("Sigmoid"),
    UNARY("Sign"),
    UNARY("Sin"),
    UNARY("Sinh"),
    UNARY("Softmax"),
    UNARY("Softplus"),
    UNARY("Softsign"),
    UNARY("Sqrt"),
    UNARY("Tan"),
    UNARY("Tanh"),
    UNARY("ThresholdedRelu"),
    UNARY("Trilu"),
    {"QuantizeLinear", onnx_infer_quantize, false},
    {"DequantizeLinear", onnx_infer_dequantize, false},
    {"BatchNormalization", infer_batchnorm, false},
    {"Cast", infer_cast, false},
    {"Dropout", infer_dropout, false, true},
    {"Identity", infer_identity, false, true},
    {"LayerNormalization", infer_layernorm, false},
    /* broadcasting */
    {"Add", infer_broadcast, false},
    {"And", infer_broadcast, false},
    {"BitShift", infer_broadcast, false},
    {"Div", infer_broadcast, false},
    {"Equal", infer_broadcast, false},
    {"Greater", infer_broadcast, false},
    {"GreaterOrEqual", infer_broadcast, false},
    {"Less", infer_broadcast, false},
    {"LessOrEqual", infer_broadcast, false},
    {"Max", infer_broadcast, false},
    {"Mean", infer_broadcast, false},
    {"Min", infer_broadcast, false},
    {"Mod", infer_broadcast, false},
    {"Mul", infer_broadcast, false},
    {"Or", infer_broadcast, false},
    {"Pow", infer_broadcast, false},
    {"Sub", infer_broadcast, false},
    {"Sum", infer_broadcast, false},
    {"Where", infer_broadcast, false},
    {"Xor", infer_broadcast, false},
    /* pooling */
    {"AveragePool", infer_pool, false},
    {"LpPool", infer_pool, false},
    {"MaxPool", infer_pool, false, true},
    {"GlobalAveragePool", infer_global_pool, false},
    {"GlobalLpPool", infer_global_pool, false},
    {"GlobalMaxPool", infer_global_pool, false, true},
    /* shapes */
    {"Concat", infer_concat, false},
    {"ConstantOfShape", infer_constant_of_shape, false},
    {"Constant", infer_constant, false},
    {"Expand", infer_expand, false, true},
    {"Flatten", infer_flatten, false, true},
    {"Gather", infer_gather, false, true},
    {"Pad", infer_pad, false, true},
    {"Range", infer_range, false},
    {"Reshape", infer_reshape, false, true},
    {"Shape", infer_shape, false},
    {"Size", infer_size, false},
    {"Slice", infer_slice, false, true},
    {"Split", infer_split, false, true},
    {"Squeeze", infer_squeeze, false, true},
    {"Tile", infer_tile, false, true},
    {"Transpose", infer_transpose, false, true},
    {"Unsqueeze", infer_unsqueeze, false, true},
    /* reductions */
    {"ArgMax", infer_argreduce, false},
    {"ArgMin", infer_argreduce, false},
    {"ReduceL1", infer_reduce, false},
    {"ReduceL2", infer_reduce, false},
    {"ReduceLogSum", infer_reduce, false},
    {"ReduceLogSumExp", infer_reduce, false},
    {"ReduceMax", infer_reduce, false},
    {"ReduceMean", infer_reduce, false},
    {"ReduceMin", infer_reduce, false},
    {"ReduceProd", infer_reduce, false},
    {"ReduceSum", infer_reduce, false},
    {"ReduceSumSquare", infer_reduce, false},
};

const onnx_op *onnx_op_find(const char *domain, const char *op_type)
{
    if (domain && *domain && strcmp(domain, "ai.onnx") != 0)
        return NULL;
    if (!op_type)
        return NULL;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(ops[i].name, op_type) == 0)
            return &ops[i];
    return NULL;
}
