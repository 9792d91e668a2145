/* problem.c - layer constructors (convolution, fully connected, matmul) and the
 * counts derived from a problem's dimensions and projections. */
#include "petal/problem.h"

#include <stdio.h>
#include <string.h>

#include "util/checked.h"
#include "util/error.h"
#include "util/name.h"

static void set_name(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static int add_dim(petal_problem *p, const char *name, uint64_t bound)
{
    int d = p->ndims++;
    set_name(p->dim_names[d], sizeof p->dim_names[d], name);
    p->bounds[d] = bound;
    return d;
}

/* Append a rank to a data space: up to two terms (coef1*d1 + coef2*d2); d2 < 0 for one. */
static void add_rank(petal_dataspace *ds, int d1, int64_t coef1, int d2, int64_t coef2)
{
    petal_rank *r = &ds->ranks[ds->nranks++];
    r->nterms = 0;
    r->terms[r->nterms++] = (petal_term){(uint8_t)d1, coef1};
    if (d2 >= 0)
        r->terms[r->nterms++] = (petal_term){(uint8_t)d2, coef2};
}

/* A layer name must fit in petal_problem.name whole (PETAL_NAME_MAX). */
static petal_status check_name(const char *n)
{
    size_t len = strlen(n);
    return len < PETAL_NAME_MAX
               ? PETAL_OK
               : petal_name_too_long(PETAL_NAME_MAX, "PETAL_NAME_MAX", "layer name", n, len);
}

/* Names here fit: the layer's is checked first, the others are petal's. */
static void init_problem(petal_problem *p, const char *name, petal_layer_kind kind)
{
    memset(p, 0, sizeof *p);
    set_name(p->name, sizeof p->name, name);
    p->kind = kind;
    p->batch_dim = -1;
    p->weights_are_params = true;
    set_name(p->ds[PETAL_DS_WEIGHTS].name, sizeof p->ds[0].name, "Weights");
    set_name(p->ds[PETAL_DS_INPUTS].name, sizeof p->ds[1].name, "Inputs");
    set_name(p->ds[PETAL_DS_OUTPUTS].name, sizeof p->ds[2].name, "Outputs");
}

/* Sizes beyond PETAL_BOUND_MAX are rejected before any arithmetic on them, so
 * that padded sizes and spans cannot overflow. */
static petal_status too_large(const char *layer, const char *what, int64_t v)
{
    return petal_error_set(PETAL_EINVAL, "layer %s: %s %lld is larger than %lld", layer, what,
                           (long long)v, (long long)PETAL_BOUND_MAX);
}

typedef struct named_size {
    const char *what;
    int64_t v;
} named_size;

/* Every size at least 1 and at most PETAL_BOUND_MAX. */
static petal_status check_sizes(const char *layer, const named_size *sizes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (sizes[i].v <= 0)
            return petal_error_set(PETAL_EINVAL, "layer %s: %s must be at least 1, got %lld",
                                   layer, sizes[i].what, (long long)sizes[i].v);
        if (sizes[i].v > PETAL_BOUND_MAX)
            return too_large(layer, sizes[i].what, sizes[i].v);
    }
    return PETAL_OK;
}

static int64_t or_one(int64_t v)
{
    return v == 0 ? 1 : v;
}

petal_status petal_problem_conv(petal_problem *p, const char *name, const petal_conv_params *cp)
{
    petal_conv_params c = *cp;
    const char *n = name ? name : "(unnamed)";
    petal_status st = check_name(n);
    if (st)
        return st;
    c.stride_h = or_one(c.stride_h);
    c.stride_w = or_one(c.stride_w);
    c.dilation_h = or_one(c.dilation_h);
    c.dilation_w = or_one(c.dilation_w);
    c.groups = or_one(c.groups);

    const named_size positive[] = {
        {"batch", c.batch},           {"input channels", c.in_channels},
        {"input height", c.in_h},     {"input width", c.in_w},
        {"output channels", c.out_channels}, {"kernel height", c.kernel_h},
        {"kernel width", c.kernel_w}, {"stride", c.stride_h},
        {"stride", c.stride_w},       {"dilation", c.dilation_h},
        {"dilation", c.dilation_w},   {"groups", c.groups},
    };
    st = check_sizes(n, positive, sizeof positive / sizeof positive[0]);
    if (st)
        return st;
    if (c.pad_top < 0 || c.pad_bottom < 0 || c.pad_left < 0 || c.pad_right < 0)
        return petal_error_set(PETAL_EINVAL, "layer %s: padding must not be negative", n);
    if (c.pad_top > PETAL_BOUND_MAX || c.pad_bottom > PETAL_BOUND_MAX ||
        c.pad_left > PETAL_BOUND_MAX || c.pad_right > PETAL_BOUND_MAX)
        return too_large(n, "padding", c.pad_top > c.pad_bottom ? c.pad_top : c.pad_bottom);
    if (c.in_channels % c.groups || c.out_channels % c.groups)
        return petal_error_set(PETAL_EINVAL,
                               "layer %s: %lld input and %lld output channels are not divisible "
                               "by %lld groups",
                               n, (long long)c.in_channels, (long long)c.out_channels,
                               (long long)c.groups);

    int64_t padded_h = c.in_h + c.pad_top + c.pad_bottom;
    int64_t padded_w = c.in_w + c.pad_left + c.pad_right;
    int64_t span_h = c.dilation_h * (c.kernel_h - 1) + 1;
    int64_t span_w = c.dilation_w * (c.kernel_w - 1) + 1;
    if (c.stride_h > padded_h || c.stride_w > padded_w)
        return petal_error_set(PETAL_EINVAL,
                               "layer %s: stride %lldx%lld is larger than the padded input "
                               "%lldx%lld",
                               n, (long long)c.stride_h, (long long)c.stride_w,
                               (long long)padded_h, (long long)padded_w);
    if (span_h > padded_h || span_w > padded_w)
        return petal_error_set(PETAL_EINVAL,
                               "layer %s: kernel %lldx%lld (dilated %lldx%lld) is larger than the "
                               "padded input %lldx%lld",
                               n, (long long)c.kernel_h, (long long)c.kernel_w, (long long)span_h,
                               (long long)span_w, (long long)padded_h, (long long)padded_w);

    int64_t out_h = (padded_h - span_h) / c.stride_h + 1;
    int64_t out_w = (padded_w - span_w) / c.stride_w + 1;

    init_problem(p, n, PETAL_LAYER_CONV);
    p->source.conv = c;
    int N = add_dim(p, "N", (uint64_t)c.batch);
    int G = c.groups > 1 ? add_dim(p, "G", (uint64_t)c.groups) : -1;
    int M = add_dim(p, "M", (uint64_t)(c.out_channels / c.groups));
    int C = add_dim(p, "C", (uint64_t)(c.in_channels / c.groups));
    int P = add_dim(p, "P", (uint64_t)out_h);
    int Q = add_dim(p, "Q", (uint64_t)out_w);
    int R = add_dim(p, "R", (uint64_t)c.kernel_h);
    int S = add_dim(p, "S", (uint64_t)c.kernel_w);
    p->batch_dim = (int8_t)N;

    petal_dataspace *w = &p->ds[PETAL_DS_WEIGHTS];
    if (G >= 0)
        add_rank(w, G, 1, -1, 0);
    add_rank(w, M, 1, -1, 0);
    add_rank(w, C, 1, -1, 0);
    add_rank(w, R, 1, -1, 0);
    add_rank(w, S, 1, -1, 0);

    petal_dataspace *in = &p->ds[PETAL_DS_INPUTS];
    add_rank(in, N, 1, -1, 0);
    if (G >= 0)
        add_rank(in, G, 1, -1, 0);
    add_rank(in, C, 1, -1, 0);
    add_rank(in, P, c.stride_h, R, c.dilation_h);
    add_rank(in, Q, c.stride_w, S, c.dilation_w);

    petal_dataspace *out = &p->ds[PETAL_DS_OUTPUTS];
    add_rank(out, N, 1, -1, 0);
    if (G >= 0)
        add_rank(out, G, 1, -1, 0);
    add_rank(out, M, 1, -1, 0);
    add_rank(out, P, 1, -1, 0);
    add_rank(out, Q, 1, -1, 0);
    return petal_problem_check(p);
}

petal_status petal_problem_fc(petal_problem *p, const char *name, int64_t batch,
                              int64_t in_features, int64_t out_features)
{
    petal_conv_params c = {
        .batch = batch, .in_channels = in_features, .in_h = 1, .in_w = 1,
        .out_channels = out_features, .kernel_h = 1, .kernel_w = 1,
    };
    petal_status st = petal_problem_conv(p, name, &c);
    if (st == PETAL_OK)
        p->kind = PETAL_LAYER_FC;
    return st;
}

petal_status petal_problem_matmul(petal_problem *p, const char *name,
                                  const petal_matmul_params *mm)
{
    const char *n = name ? name : "(unnamed)";
    petal_status st = check_name(n);
    if (st)
        return st;
    const named_size positive[] = {
        {"batch", mm->batch}, {"M", mm->m}, {"K", mm->k}, {"N", mm->n},
    };
    st = check_sizes(n, positive, sizeof positive / sizeof positive[0]);
    if (st)
        return st;

    init_problem(p, n, PETAL_LAYER_MATMUL);
    p->source.matmul = *mm;
    p->weights_are_params = mm->weights_are_params;
    int B = add_dim(p, "B", (uint64_t)mm->batch);
    int M = add_dim(p, "M", (uint64_t)mm->m);
    int N = add_dim(p, "N", (uint64_t)mm->n);
    int K = add_dim(p, "K", (uint64_t)mm->k);
    p->batch_dim = (int8_t)B;

    petal_dataspace *w = &p->ds[PETAL_DS_WEIGHTS];
    if (mm->weights_batched)
        add_rank(w, B, 1, -1, 0);
    add_rank(w, K, 1, -1, 0);
    add_rank(w, N, 1, -1, 0);
    petal_dataspace *in = &p->ds[PETAL_DS_INPUTS];
    add_rank(in, B, 1, -1, 0);
    add_rank(in, M, 1, -1, 0);
    add_rank(in, K, 1, -1, 0);
    petal_dataspace *out = &p->ds[PETAL_DS_OUTPUTS];
    add_rank(out, B, 1, -1, 0);
    add_rank(out, M, 1, -1, 0);
    add_rank(out, N, 1, -1, 0);
    return petal_problem_check(p);
}

petal_status petal_problem_check(const petal_problem *p)
{
    const char *n = p->name[0] ? p->name : "(unnamed)";
    if (p->ndims == 0 || p->ndims > PETAL_MAX_DIMS)
        return petal_error_set(PETAL_EINVAL,
                               "layer %s: %u dimensions, expected 1 to %d (PETAL_MAX_DIMS)", n,
                               p->ndims, PETAL_MAX_DIMS);
    for (int d = 0; d < p->ndims; d++)
        if (p->bounds[d] == 0)
            return petal_error_set(PETAL_EINVAL, "layer %s: dimension %s has bound 0", n,
                                   p->dim_names[d]);
    for (int i = 0; i <= PETAL_PRECISION_PSUMS; i++)
        if (p->precision.bits[i] > PETAL_PRECISION_MAX_BITS)
            return petal_error_set(
                PETAL_EINVAL, "layer %s: %s are %u bits wide, expected 1 to %d bits", n,
                petal_precision_name(i), p->precision.bits[i], PETAL_PRECISION_MAX_BITS);
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        const petal_dataspace *ds = &p->ds[s];
        if (ds->nranks > PETAL_MAX_RANKS)
            return petal_error_set(PETAL_EINVAL,
                                   "layer %s: data space %s has %u ranks, more than %d "
                                   "(PETAL_MAX_RANKS)",
                                   n, ds->name, ds->nranks, PETAL_MAX_RANKS);
        for (int r = 0; r < ds->nranks; r++) {
            const petal_rank *rank = &ds->ranks[r];
            if (rank->nterms == 0 || rank->nterms > PETAL_MAX_TERMS)
                return petal_error_set(PETAL_EINVAL,
                                       "layer %s: data space %s rank %d has %u terms, expected 1 "
                                       "to %d (PETAL_MAX_TERMS)",
                                       n, ds->name, r, rank->nterms, PETAL_MAX_TERMS);
            for (int t = 0; t < rank->nterms; t++)
                if (rank->terms[t].dim >= p->ndims || rank->terms[t].coef < 1)
                    return petal_error_set(PETAL_EINVAL,
                                           "layer %s: data space %s rank %d names a bad "
                                           "dimension or coefficient",
                                           n, ds->name, r);
        }
    }
    /* Counts are products of bounds: make sure every one of them fits. */
    uint64_t product = 1;
    for (int d = 0; d < p->ndims; d++)
        if (petal_mul_overflow(product, p->bounds[d], &product))
            return petal_error_set(PETAL_EOVERFLOW, "layer %s: its MACs overflow 64 bits", n);
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        uint64_t words = 1;
        for (int r = 0; r < p->ds[s].nranks; r++) {
            uint64_t extent = 1, term;
            for (int t = 0; t < p->ds[s].ranks[r].nterms; t++) {
                const petal_term *pt = &p->ds[s].ranks[r].terms[t];
                if (petal_mul_overflow((uint64_t)pt->coef, p->bounds[pt->dim] - 1, &term) ||
                    petal_add_overflow(extent, term, &extent))
                    return petal_error_set(PETAL_EOVERFLOW,
                                           "layer %s: data space %s overflows 64 bits", n,
                                           p->ds[s].name);
            }
            if (petal_mul_overflow(words, extent, &words))
                return petal_error_set(PETAL_EOVERFLOW,
                                       "layer %s: data space %s overflows 64 bits", n,
                                       p->ds[s].name);
        }
    }
    return PETAL_OK;
}

int petal_problem_dim(const petal_problem *p, const char *name)
{
    for (int d = 0; d < p->ndims; d++)
        if (strcmp(p->dim_names[d], name) == 0)
            return d;
    return -1;
}

uint64_t petal_problem_macs(const petal_problem *p)
{
    uint64_t macs = 1;
    for (int d = 0; d < p->ndims; d++)
        macs *= p->bounds[d];
    return macs;
}

uint64_t petal_problem_ds_words(const petal_problem *p, petal_dataspace_id id)
{
    const petal_dataspace *ds = &p->ds[id];
    uint64_t words = 1;
    for (int r = 0; r < ds->nranks; r++) {
        uint64_t extent = 1;
        for (int t = 0; t < ds->ranks[r].nterms; t++) {
            const petal_term *term = &ds->ranks[r].terms[t];
            extent += (uint64_t)term->coef * (p->bounds[term->dim] - 1);
        }
        words *= extent;
    }
    return words;
}

uint64_t petal_problem_weights(const petal_problem *p)
{
    return p->weights_are_params ? petal_problem_ds_words(p, PETAL_DS_WEIGHTS) : 0;
}

uint64_t petal_problem_input_words(const petal_problem *p)
{
    if (p->kind == PETAL_LAYER_CONV || p->kind == PETAL_LAYER_FC) {
        const petal_conv_params *c = &p->source.conv;
        return (uint64_t)c->batch * (uint64_t)c->in_channels * (uint64_t)c->in_h *
               (uint64_t)c->in_w;
    }
    return petal_problem_ds_words(p, PETAL_DS_INPUTS);
}

uint64_t petal_problem_output_words(const petal_problem *p)
{
    return petal_problem_ds_words(p, PETAL_DS_OUTPUTS);
}

const char *petal_layer_kind_name(petal_layer_kind kind)
{
    switch (kind) {
    case PETAL_LAYER_CONV: return "conv";
    case PETAL_LAYER_FC: return "fc";
    case PETAL_LAYER_MATMUL: return "matmul";
    case PETAL_LAYER_GENERIC: return "generic";
    }
    return "generic";
}

bool petal_problem_same_shape(const petal_problem *a, const petal_problem *b)
{
    /* Widths and densities change what fits and what costs most, so the
     * best mapping too. */
    if (a->ndims != b->ndims || memcmp(&a->precision, &b->precision, sizeof a->precision) != 0)
        return false;
    for (int s = 0; s < PETAL_NUM_DS; s++)
        if (a->density[s].kind != b->density[s].kind ||
            a->density[s].density != b->density[s].density ||
            a->density[s].band_width != b->density[s].band_width)
            return false;
    for (int d = 0; d < a->ndims; d++)
        if (a->bounds[d] != b->bounds[d] || strcmp(a->dim_names[d], b->dim_names[d]) != 0)
            return false;
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        const petal_dataspace *x = &a->ds[s], *y = &b->ds[s];
        if (x->nranks != y->nranks)
            return false;
        for (int r = 0; r < x->nranks; r++) {
            if (x->ranks[r].nterms != y->ranks[r].nterms)
                return false;
            for (int t = 0; t < x->ranks[r].nterms; t++)
                if (x->ranks[r].terms[t].dim != y->ranks[r].terms[t].dim ||
                    x->ranks[r].terms[t].coef != y->ranks[r].terms[t].coef)
                    return false;
        }
    }
    return true;
}
