/* onnx_infer.c - what every operator's inference uses: input shapes and folded
 * contents, outputs, attributes, messages that name the node, and the sliding
 * window geometry shared by Conv and pooling (declared in onnx_graph.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/onnx/onnx_graph.h"
#include "util/error.h"

/* --- helpers (declared in onnx_graph.h) --- */

uint64_t onnx_hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211u;
    return h;
}

void onnx_node_label(const onnx_node *n, char *buf, size_t size)
{
    const char *op = n->proto->op_type && *n->proto->op_type ? n->proto->op_type : "?";
    if (n->proto->name && *n->proto->name)
        snprintf(buf, size, "node '%s' (%s)", n->proto->name, op);
    else
        snprintf(buf, size, "node #%zu (%s)", n->index, op);
}

int onnx_node_error(onnx_import *imp, const onnx_node *n, petal_status st, const char *fmt, ...)
{
    char label[160], what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    onnx_node_label(n, label, sizeof label);
    return petal_error_set(st, "%s: %s: %s", imp->g->source, label, what);
}

int onnx_cannot(onnx_import *imp, const onnx_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(imp->reason, sizeof imp->reason, fmt, ap);
    va_end(ap);
    imp->origin = (int)n->index;
    return ONNX_CANNOT;
}

bool onnx_has_input(const onnx_node *n, size_t i)
{
    return i < n->nin && n->in[i] >= 0;
}

const onnx_value *onnx_input(const onnx_import *imp, const onnx_node *n, size_t i)
{
    return onnx_has_input(n, i) ? &imp->g->values[n->in[i]] : NULL;
}

int onnx_input_shape(onnx_import *imp, const onnx_node *n, size_t i, const onnx_shape **shape)
{
    if (!onnx_has_input(n, i))
        return onnx_node_error(imp, n, PETAL_EPARSE, "input %zu is missing", i);
    const onnx_value *v = &imp->g->values[n->in[i]];
    if (!v->known) {
        snprintf(imp->reason, sizeof imp->reason, "the shape of its input '%s' is unknown",
                 v->name);
        imp->origin = v->origin;
        return ONNX_CANNOT;
    }
    *shape = &v->shape;
    return PETAL_OK;
}

int onnx_input_data(onnx_import *imp, const onnx_node *n, size_t i, const char *what,
                    const int64_t **data, size_t *count)
{
    if (!onnx_has_input(n, i))
        return onnx_node_error(imp, n, PETAL_EPARSE, "input %zu (%s) is missing", i, what);
    const onnx_value *v = &imp->g->values[n->in[i]];
    if (!v->data)
        return onnx_cannot(imp, n, "its %s '%s' is not a constant petal can fold", what, v->name);
    *data = v->data;
    *count = v->ndata;
    return PETAL_OK;
}

int onnx_set_output(onnx_import *imp, const onnx_node *n, size_t i,
                    const onnx_shape *shape, const int64_t *data, size_t ndata)
{
    if (i >= n->nout || n->out[i] < 0)
        return PETAL_OK;
    onnx_value *v = &imp->g->values[n->out[i]];
    for (int d = 0; d < shape->rank; d++)
        if (shape->dims[d] < 0 || shape->dims[d] > ONNX_DIM_MAX)
            return onnx_node_error(imp, n, PETAL_EUNSUPPORTED,
                                   "output '%s' would have extent %lld in dimension %d, beyond "
                                   "what petal handles",
                                   v->name, (long long)shape->dims[d], d);
    v->known = true;
    v->shape = *shape;
    free(v->data);
    v->data = NULL;
    v->ndata = 0;
    if (data && ndata <= ONNX_FOLD_MAX) {
        if (!(v->data = malloc((ndata ? ndata : 1) * sizeof *v->data)))
            return onnx_node_error(imp, n, PETAL_ENOMEM, "out of memory");
        if (ndata)
            memcpy(v->data, data, ndata * sizeof *data);
        v->ndata = ndata;
    }
    return PETAL_OK;
}

const Onnx__AttributeProto *onnx_attr(const onnx_node *n, const char *name)
{
    for (size_t i = 0; i < n->proto->n_attribute; i++) {
        const Onnx__AttributeProto *a = n->proto->attribute[i];
        if (a->name && strcmp(a->name, name) == 0)
            return a;
    }
    return NULL;
}

int64_t onnx_attr_int(const onnx_node *n, const char *name, int64_t fallback)
{
    const Onnx__AttributeProto *a = onnx_attr(n, name);
    return a && a->has_i ? a->i : fallback;
}

void onnx_attr_ints(const onnx_node *n, const char *name, const int64_t **v, size_t *count)
{
    const Onnx__AttributeProto *a = onnx_attr(n, name);
    *v = a ? a->ints : NULL;
    *count = a ? a->n_ints : 0;
}

bool onnx_attr_is(const onnx_node *n, const char *name, const char *value, bool fallback)
{
    const Onnx__AttributeProto *a = onnx_attr(n, name);
    if (!a || !a->has_s)
        return fallback;
    return a->s.len == strlen(value) && memcmp(a->s.data, value, a->s.len) == 0;
}

bool onnx_numel(const onnx_shape *s, int64_t *out)
{
    int64_t n = 1;
    for (int d = 0; d < s->rank; d++)
        if (s->dims[d] < 0 || __builtin_mul_overflow(n, s->dims[d], &n))
            return false;
    *out = n;
    return true;
}

void onnx_append(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
    if (*used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *used, size - *used, fmt, ap);
    va_end(ap);
    if (n > 0)
        *used = *used + (size_t)n < size ? *used + (size_t)n : size - 1;
}

void onnx_shape_format(const onnx_shape *s, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    onnx_append(buf, size, &used, "[");
    for (int d = 0; d < s->rank; d++) {
        if (s->dims[d] < 0)
            onnx_append(buf, size, &used, "%s?", d ? ", " : "");
        else
            onnx_append(buf, size, &used, "%s%lld", d ? ", " : "", (long long)s->dims[d]);
    }
    onnx_append(buf, size, &used, "]");
}

int onnx_axis(onnx_import *imp, const onnx_node *n, int64_t axis, int rank, int *out)
{
    if (axis < -rank || axis >= rank)
        return onnx_node_error(imp, n, PETAL_EINVAL, "axis %lld is out of range for rank %d",
                               (long long)axis, rank);
    *out = (int)(axis < 0 ? axis + rank : axis);
    return PETAL_OK;
}

/* An optional list attribute of `count` positive values (absent: all `fallback`). */
static int geometry_list(onnx_import *imp, const onnx_node *n, const char *name, size_t count,
                         int64_t fallback, int64_t min, int64_t *out)
{
    const int64_t *v = NULL;
    size_t nv = 0;
    onnx_attr_ints(n, name, &v, &nv);
    if (nv && nv != count)
        return onnx_node_error(imp, n, PETAL_EINVAL, "%s has %zu values, expected %zu", name, nv,
                               count);
    for (size_t i = 0; i < count; i++) {
        out[i] = nv ? v[i] : fallback;
        if (out[i] < min || out[i] > ONNX_DIM_MAX)
            return onnx_node_error(imp, n, PETAL_EINVAL, "%s value %lld is out of range", name,
                                   (long long)out[i]);
    }
    return PETAL_OK;
}

int onnx_window_infer(onnx_import *imp, const onnx_node *n, const onnx_shape *x,
                      const int64_t *kernel, bool allow_ceil, onnx_window *w)
{
    char text[160];
    if (x->rank < 3) {
        onnx_shape_format(x, text, sizeof text);
        return onnx_node_error(imp, n, PETAL_EINVAL,
                               "expects an N x C x spatial input of 3 or more dimensions, got %s",
                               text);
    }
    int ns = x->rank - 2, r;
    w->nspatial = ns;
    if (kernel) {
        memcpy(w->kernel, kernel, (size_t)ns * sizeof *kernel);
    } else {
        const int64_t *k = NULL;
        size_t nk = 0;
        onnx_attr_ints(n, "kernel_shape", &k, &nk);
        if (nk != (size_t)ns)
            return onnx_node_error(imp, n, PETAL_EINVAL,
                                   "kernel_shape has %zu values for %d spatial dimensions", nk,
                                   ns);
        memcpy(w->kernel, k, (size_t)ns * sizeof *k);
    }
    for (int d = 0; d < ns; d++)
        if (w->kernel[d] < 1 || w->kernel[d] > ONNX_DIM_MAX)
            return onnx_node_error(imp, n, PETAL_EINVAL, "kernel extent %lld is out of range",
                                   (long long)w->kernel[d]);
    int64_t pads[2 * ONNX_MAX_RANK];
    if ((r = geometry_list(imp, n, "strides", (size_t)ns, 1, 1, w->stride)) ||
        (r = geometry_list(imp, n, "dilations", (size_t)ns, 1, 1, w->dilation)) ||
        (r = geometry_list(imp, n, "pads", 2 * (size_t)ns, 0, 0, pads)))
        return r;

    onnx_pad_mode mode = ONNX_PAD_NOTSET;
    const Onnx__AttributeProto *auto_pad = onnx_attr(n, "auto_pad");
    if (auto_pad && auto_pad->has_s && auto_pad->s.len) {
        if (onnx_attr_is(n, "auto_pad", "SAME_UPPER", false))
            mode = ONNX_PAD_SAME_UPPER;
        else if (onnx_attr_is(n, "auto_pad", "SAME_LOWER", false))
            mode = ONNX_PAD_SAME_LOWER;
        else if (onnx_attr_is(n, "auto_pad", "VALID", false))
            mode = ONNX_PAD_VALID;
        else if (!onnx_attr_is(n, "auto_pad", "NOTSET", false))
            return onnx_node_error(imp, n, PETAL_EINVAL,
                                   "auto_pad '%.*s' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID",
                                   (int)(auto_pad->s.len > 32 ? 32 : auto_pad->s.len),
                                   (const char *)auto_pad->s.data);
    }
    bool ceil_mode = allow_ceil && onnx_attr_int(n, "ceil_mode", 0) != 0;

    for (int d = 0; d < ns; d++) {
        int64_t in = x->dims[2 + d], stride = w->stride[d];
        int64_t span = w->dilation[d] * (w->kernel[d] - 1) + 1;
        w->in[d] = in;
        if (in < 1)
            return onnx_node_error(imp, n, PETAL_EINVAL, "spatial dimension %d has extent 0", d);
        if (mode == ONNX_PAD_SAME_UPPER || mode == ONNX_PAD_SAME_LOWER) {
            /* The output keeps ceil(in / stride) positions; padding makes up the rest,
             * the odd pixel at the end (UPPER) or at the beginning (LOWER). */
            int64_t out = (in + stride - 1) / stride;
            int64_t total = (out - 1) * stride + span - in;
            if (total < 0)
                total = 0;
            w->pad_begin[d] = mode == ONNX_PAD_SAME_UPPER ? total / 2 : total - total / 2;
            w->pad_end[d] = total - w->pad_begin[d];
        } else if (mode == ONNX_PAD_VALID) {
            w->pad_begin[d] = w->pad_end[d] = 0;
        } else {
            w->pad_begin[d] = pads[d];
            w->pad_end[d] = pads[ns + d];
        }
        int64_t padded = in + w->pad_begin[d] + w->pad_end[d];
        if (padded < span)
            return onnx_node_error(imp, n, PETAL_EINVAL,
                                   "the kernel spans %lld in spatial dimension %d but the padded "
                                   "input is %lld",
                                   (long long)span, d, (long long)padded);
        int64_t out = (padded - span) / stride + 1;
        if (ceil_mode && (padded - span) % stride) {
            /* One more window, unless it would start in the end padding (the rule of
             * PyTorch and of current ONNX shape inference). */
            out++;
            if ((out - 1) * stride >= in + w->pad_begin[d])
                out--;
        }
        w->out[d] = out;
    }
    return PETAL_OK;
}
