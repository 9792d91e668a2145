/* eyeriss_rs.c - the Eyeriss v1 chip's row-stationary mapping as petal mappings,
 * and a latency model of the chip's processing passes (docs/eyeriss.md).
 *
 * The chip maps a convolution in three steps (JSSC 2017, section IV):
 *   1. a logical PE set of R filter rows x e output rows computes e output rows
 *      of one 2-D convolution: each PE slides one filter row over one ifmap row
 *      (a 1-D convolution), partial sums flow up the set's columns;
 *   2. a PE holds p filters x q channels of its filter row, so one set runs
 *      p x q 2-D convolutions; r sets on other channels and t sets on other
 *      filters fill the 12 x 14 array (a set wider than the array is folded);
 *   3. what does not fit is strip-mined: output strips of e rows, channel groups
 *      of q x r, filter groups of p x t inside the m output channels whose
 *      partial sums the global buffer holds, n images per pass.
 * In petal's terms that is one temporal loop per step at the DRAM, buffer and
 * scratchpad levels, and spatial R and P across the array.
 */
#include <math.h>
#include <string.h>

#include "petal/study.h"
#include "util/error.h"

typedef struct rs_dims {
    int n, g, m, c, p, q, r, s;
} rs_dims;

typedef struct rs_levels {
    int dram, glb, ifmap, filter, psum;
} rs_levels;

static petal_status find_dims(const petal_problem *p, rs_dims *d)
{
    d->n = petal_problem_dim(p, "N");
    d->g = petal_problem_dim(p, "G");
    d->m = petal_problem_dim(p, "M");
    d->c = petal_problem_dim(p, "C");
    d->p = petal_problem_dim(p, "P");
    d->q = petal_problem_dim(p, "Q");
    d->r = petal_problem_dim(p, "R");
    d->s = petal_problem_dim(p, "S");
    if (p->kind != PETAL_LAYER_CONV || d->n < 0 || d->m < 0 || d->c < 0 || d->p < 0 || d->q < 0 ||
        d->r < 0 || d->s < 0)
        return petal_error_set(PETAL_EINVAL,
                               "layer %s: the row-stationary mapping needs a convolution "
                               "(dimensions N, M, C, P, Q, R, S)",
                               p->name);
    return PETAL_OK;
}

/* The chip's structure: DRAM, a buffer, then ifmap, filter and psum scratchpads
 * with the array's instances, each keeping one data space. */
static petal_status find_levels(const petal_arch *a, rs_levels *lv)
{
    if (a->nlevels == 5 && a->levels[0].cls == PETAL_MEM_DRAM && a->levels[1].instances == 1 &&
        a->levels[1].cls != PETAL_MEM_NONE && a->levels[2].instances > 1 &&
        a->levels[2].may_keep == (1u << PETAL_DS_INPUTS) &&
        a->levels[3].may_keep == (1u << PETAL_DS_WEIGHTS) &&
        a->levels[4].may_keep == (1u << PETAL_DS_OUTPUTS) &&
        a->levels[3].instances == a->levels[2].instances &&
        a->levels[4].instances == a->levels[2].instances &&
        a->arith.instances == a->levels[2].instances &&
        (a->levels[1].may_keep & ((1u << PETAL_DS_INPUTS) | (1u << PETAL_DS_OUTPUTS))) ==
            ((1u << PETAL_DS_INPUTS) | (1u << PETAL_DS_OUTPUTS))) {
        *lv = (rs_levels){0, 1, 2, 3, 4};
        return PETAL_OK;
    }
    return petal_error_set(PETAL_EINVAL,
                           "architecture %s: the row-stationary mapping needs the eyeriss-v1 "
                           "structure (DRAM, a buffer keeping ifmaps and psums, then ifmap, "
                           "filter and psum scratchpads, one per PE)",
                           a->name);
}

/* Temporal order innermost first: the listed dimensions, then every other one. */
static void set_perm(petal_level_mapping *lm, const petal_problem *p, const int *dims, int ndims)
{
    uint8_t used = 0;
    int k = 0;
    for (int i = 0; i < ndims; i++)
        if (dims[i] >= 0 && !(used & (1u << dims[i]))) {
            lm->perm[k++] = (uint8_t)dims[i];
            used |= (uint8_t)(1u << dims[i]);
        }
    for (int d = 0; d < p->ndims; d++)
        if (!(used & (1u << d)))
            lm->perm[k++] = (uint8_t)d;
}

static bool divides(uint64_t a, uint64_t b)
{
    return a && b % a == 0;
}

static petal_status check_params(const petal_problem *l, const rs_dims *d, const petal_arch *a,
                                 const rs_levels *lv, const petal_rs_params *rs)
{
    const uint64_t *b = l->bounds;
    const char *name = l->name;
    if (!rs->n || !rs->p || !rs->q || !rs->e || !rs->r || !rs->t || !rs->m)
        return petal_error_set(PETAL_EINVAL, "layer %s: RS parameters must all be at least 1",
                               name);
    if (rs->p > PETAL_RS_MAX_P || rs->q > PETAL_RS_MAX_Q)
        return petal_error_set(PETAL_EINVAL,
                               "layer %s: the chip's RS mapping allows p <= %d filters and "
                               "q <= %d channels per PE (p %u, q %u)",
                               name, PETAL_RS_MAX_P, PETAL_RS_MAX_Q, rs->p, rs->q);
    if (!divides(rs->n, b[d->n]))
        return petal_error_set(PETAL_EINVAL, "layer %s: n = %u does not divide the batch %llu",
                               name, rs->n, (unsigned long long)b[d->n]);
    if (!divides((uint64_t)rs->q * rs->r, b[d->c]))
        return petal_error_set(PETAL_EINVAL,
                               "layer %s: q x r = %u does not divide the %llu channels", name,
                               rs->q * rs->r, (unsigned long long)b[d->c]);
    if (!divides(rs->m, b[d->m]) || !divides((uint64_t)rs->p * rs->t, rs->m))
        return petal_error_set(PETAL_EINVAL,
                               "layer %s: need p x t | m | M (p x t = %u, m = %u, M = %llu)", name,
                               rs->p * rs->t, rs->m, (unsigned long long)b[d->m]);
    if (rs->e > b[d->p])
        return petal_error_set(PETAL_EINVAL, "layer %s: e = %u exceeds the %llu output rows", name,
                               rs->e, (unsigned long long)b[d->p]);
    uint64_t filter_words = (uint64_t)rs->p * rs->q * b[d->s];
    if (filter_words > a->levels[lv->filter].depth)
        return petal_error_set(PETAL_EINVAL,
                               "layer %s: p x q x S = %llu filter weights exceed the %s (%llu)",
                               name, (unsigned long long)filter_words, a->levels[lv->filter].name,
                               (unsigned long long)a->levels[lv->filter].depth);
    if ((uint64_t)rs->q * b[d->s] > a->levels[lv->ifmap].depth)
        return petal_error_set(PETAL_EINVAL,
                               "layer %s: q x S = %llu ifmap values exceed the %s (%llu)", name,
                               (unsigned long long)rs->q * b[d->s], a->levels[lv->ifmap].name,
                               (unsigned long long)a->levels[lv->ifmap].depth);
    if (rs->p > a->levels[lv->psum].depth)
        return petal_error_set(PETAL_EINVAL, "layer %s: p = %u psums exceed the %s (%llu)", name,
                               rs->p, a->levels[lv->psum].name,
                               (unsigned long long)a->levels[lv->psum].depth);
    return PETAL_OK;
}

/* Where the sets go on the logical array: the set's R rows down Y and e columns
 * across X; a set wider than the array is cut into `fold` pieces stacked down
 * the rows (the array viewed as fold x wider and 1/fold as tall). Replicas (t,
 * then r) go beside the set on X when they fit, else below it on Y. */
typedef struct rs_layout {
    uint32_t fold, mesh_x, mesh_y;
    bool t_on_x, r_on_x;
    uint32_t used_x, used_y;
} rs_layout;

static petal_status place_sets(const char *name, uint64_t R, const petal_rs_params *rs,
                               uint32_t phys_x, uint32_t phys_y, rs_layout *out)
{
    uint32_t fold = 1;
    while ((uint64_t)phys_x * fold < rs->e)
        fold++;
    if (phys_y % fold || R > phys_y / fold)
        return petal_error_set(PETAL_EINVAL,
                               "layer %s: a PE set of %llu x %u does not fit the %ux%u array "
                               "even folded",
                               name, (unsigned long long)R, rs->e, phys_x, phys_y);
    out->fold = fold;
    out->mesh_x = phys_x * fold;
    out->mesh_y = phys_y / fold;
    uint64_t x = rs->e, y = R;
    const uint32_t factors[2] = {rs->t, rs->r};
    bool on_x[2] = {false, false};
    for (int i = 0; i < 2; i++) {
        if (x * factors[i] <= out->mesh_x) {
            x *= factors[i];
            on_x[i] = true;
        } else if (y * factors[i] <= out->mesh_y) {
            y *= factors[i];
            on_x[i] = false;
        } else {
            return petal_error_set(PETAL_EINVAL,
                                   "layer %s: %u x %u PE sets of %llu x %u do not fit the %ux%u "
                                   "array",
                                   name, rs->t, rs->r, (unsigned long long)R, rs->e, phys_x,
                                   phys_y);
        }
    }
    out->t_on_x = on_x[0];
    out->r_on_x = on_x[1];
    out->used_x = (uint32_t)x;
    out->used_y = (uint32_t)y;
    return PETAL_OK;
}

static void build_segment(petal_rs_segment *seg, const petal_problem *layer, const rs_dims *d,
                          const petal_arch *a, const rs_levels *lv, const rs_layout *lay,
                          const petal_rs_params *rs, uint64_t first_row, uint64_t rows,
                          uint64_t strip_rows)
{
    petal_problem *p = &seg->problem;
    *p = *layer;
    p->bounds[d->p] = rows;
    if (rows != layer->bounds[d->p]) {
        /* The input rows this segment reads; padding stays the layer's. */
        int64_t stride = layer->source.conv.stride_h ? layer->source.conv.stride_h : 1;
        int64_t dil = layer->source.conv.dilation_h ? layer->source.conv.dilation_h : 1;
        p->source.conv.in_h =
            ((int64_t)rows - 1) * stride + (layer->source.conv.kernel_h - 1) * dil + 1;
        p->source.conv.pad_top = p->source.conv.pad_bottom = 0;
        snprintf(p->name, sizeof p->name, "%.40s rows %llu-%llu", layer->name,
                 (unsigned long long)first_row, (unsigned long long)(first_row + rows - 1));
    }
    const uint64_t *b = p->bounds;
    seg->first_row = first_row;
    seg->strip_rows = strip_rows;
    seg->strips = rows / strip_rows;

    petal_mapping *m = &seg->mapping;
    petal_mapping_init(m, p, a);
    const uint8_t W = 1u << PETAL_DS_WEIGHTS, I = 1u << PETAL_DS_INPUTS, O = 1u << PETAL_DS_OUTPUTS;

    /* DRAM: groups, image groups, filter groups of m, output strips, channel groups. */
    petal_level_mapping *dram = &m->levels[lv->dram];
    if (d->g >= 0)
        dram->temporal[d->g] = b[d->g];
    dram->temporal[d->n] = b[d->n] / rs->n;
    dram->temporal[d->m] = b[d->m] / rs->m;
    dram->temporal[d->p] = seg->strips;
    dram->temporal[d->c] = b[d->c] / ((uint64_t)rs->q * rs->r);
    const int dram_order[] = {d->c, d->p, d->m, d->n, d->g};
    set_perm(dram, p, dram_order, 5);
    dram->keep = W | I | O;

    /* Buffer: filter groups of p x t within m, the n images, the output columns;
     * spatially the sets. */
    petal_level_mapping *glb = &m->levels[lv->glb];
    glb->temporal[d->m] = rs->m / ((uint64_t)rs->p * rs->t);
    glb->temporal[d->n] = rs->n;
    glb->temporal[d->q] = b[d->q];
    const int glb_order[] = {d->q, d->n, d->m};
    set_perm(glb, p, glb_order, 3);
    glb->spatial_x[d->p] = strip_rows;
    glb->spatial_y[d->r] = b[d->r];
    if (lay->t_on_x)
        glb->spatial_x[d->m] = rs->t;
    else
        glb->spatial_y[d->m] = rs->t;
    if (lay->r_on_x)
        glb->spatial_x[d->c] = rs->r;
    else
        glb->spatial_y[d->c] = rs->r;
    glb->keep = I | O;

    m->levels[lv->ifmap].keep = I;

    /* Filter scratchpad: the PE's q channels of its filter row. */
    petal_level_mapping *filt = &m->levels[lv->filter];
    filt->temporal[d->c] = rs->q;
    filt->temporal[d->s] = b[d->s];
    const int filt_order[] = {d->s, d->c};
    set_perm(filt, p, filt_order, 2);
    filt->keep = W;

    /* Psum scratchpad: the p filters of one output pixel. */
    petal_level_mapping *psum = &m->levels[lv->psum];
    psum->temporal[d->m] = rs->p;
    const int psum_order[] = {d->m};
    set_perm(psum, p, psum_order, 1);
    psum->keep = O;

    uint64_t groups = d->g >= 0 ? b[d->g] : 1;
    seg->passes = groups * (b[d->n] / rs->n) * (b[d->m] / rs->m) * seg->strips *
                  (b[d->c] / ((uint64_t)rs->q * rs->r)) * (rs->m / ((uint64_t)rs->p * rs->t));
    seg->active_pes = b[d->r] * strip_rows * rs->r * rs->t;
    seg->pe_macs_per_pass = (uint64_t)rs->n * b[d->q] * rs->p * rs->q * b[d->s];
}

petal_status petal_rs_plan_build(const petal_problem *layer, const petal_arch *chip,
                                 const petal_rs_params *rs, petal_rs_plan *out)
{
    memset(out, 0, sizeof *out);
    rs_dims d;
    rs_levels lv;
    petal_status st = find_dims(layer, &d);
    if (!st)
        st = find_levels(chip, &lv);
    if (!st)
        st = check_params(layer, &d, chip, &lv, rs);
    if (st)
        return st;
    const uint64_t R = layer->bounds[d.r];
    const petal_level *spad = &chip->levels[lv.ifmap];
    rs_layout lay = {0};
    st = place_sets(layer->name, R, rs, spad->mesh_x, spad->mesh_y, &lay);
    if (st)
        return st;

    out->params = *rs;
    out->arch = *chip;
    out->fold = lay.fold;
    out->set_x = lay.used_x;
    out->set_y = lay.used_y;
    out->active_pes = R * rs->e * rs->r * rs->t;
    if (lay.fold > 1) {
        for (int l = lv.ifmap; l <= lv.psum; l++) {
            out->arch.levels[l].mesh_x = lay.mesh_x;
            out->arch.levels[l].mesh_y = lay.mesh_y;
        }
        out->arch.arith.mesh_x = lay.mesh_x;
        out->arch.arith.mesh_y = lay.mesh_y;
        st = petal_arch_check(&out->arch);
        if (st)
            return petal_error_prefix(PETAL_EINTERNAL, "layer %s: folded array: ", layer->name);
    }

    const uint64_t E = layer->bounds[d.p];
    const uint64_t full = E / rs->e * rs->e, rest = E - full;
    out->nsegments = 0;
    if (full)
        build_segment(&out->segments[out->nsegments++], layer, &d, &out->arch, &lv, &lay, rs, 0,
                      full, rs->e);
    if (rest)
        build_segment(&out->segments[out->nsegments++], layer, &d, &out->arch, &lv, &lay, rs, full,
                      rest, rest);
    return PETAL_OK;
}

petal_status petal_rs_plan_eval(const petal_rs_plan *plan, petal_model_result *results)
{
    for (int i = 0; i < plan->nsegments; i++) {
        const petal_rs_segment *seg = &plan->segments[i];
        petal_status st = petal_model_eval(&seg->problem, &plan->arch, &seg->mapping, &results[i]);
        if (st)
            return petal_error_prefix(st, "layer %s: ", seg->problem.name);
    }
    return PETAL_OK;
}

void petal_rs_noc_eyeriss_v1(const petal_arch *chip, petal_rs_noc *out)
{
    /* JSSC 2017: the global input network carries ifmaps on a 16-bit bus and
     * filters (and partial sums into the array) on a 64-bit bus; the global
     * output network returns partial sums on 64 bits. The preset's buffer
     * carries them as its networks (petal_level.network_bits), in bits: the
     * study reads them there, in words, so that the chip is described once. */
    double words[PETAL_NUM_DS] = {0}; /* 0: no network given, refused by the timing */
    const petal_level *g = chip->nlevels > 1 ? &chip->levels[1] : NULL;
    for (int s = 0; g && g->word_bits && s < PETAL_NUM_DS; s++)
        words[s] = (double)g->network_bits[s] / (double)g->word_bits;
    out->ifmap = words[PETAL_DS_INPUTS];
    out->filter = words[PETAL_DS_WEIGHTS];
    out->psum_in = words[PETAL_DS_OUTPUTS];
    out->psum_out = words[PETAL_DS_OUTPUTS];
    out->dram = chip->nlevels > 0 ? chip->levels[0].read_bw : 0;
}

petal_status petal_rs_timing_eval(const petal_rs_plan *plan, const petal_model_result *results,
                                  const petal_rs_noc *noc, petal_rs_timing *out)
{
    memset(out, 0, sizeof *out);
    if (noc->ifmap <= 0 || noc->filter <= 0 || noc->psum_in <= 0 || noc->psum_out <= 0)
        return petal_error_set(PETAL_EINVAL,
                               "RS timing: every bus needs a rate: give the buffer (level 1) "
                               "network_bits for Weights, Inputs and Outputs");
    const int dram = 0, glb = 1;
    double stall_ifmap = 0, stall_psum = 0, dram_words = 0;
    for (int i = 0; i < plan->nsegments; i++) {
        const petal_rs_segment *seg = &plan->segments[i];
        const petal_model_result *r = &results[i];
        if (!r->valid)
            return petal_error_set(PETAL_EINVAL, "layer %s: the RS mapping is invalid: %s",
                                   seg->problem.name, r->why);
        const petal_level_stats *D = &r->levels[dram], *G = &r->levels[glb];
        double passes = (double)seg->passes;
        /* Words on each bus per pass: distinct words, multicast counted once. */
        double filter = (double)D->ds[PETAL_DS_WEIGHTS].reads / passes;
        double ifmap = (double)G->ds[PETAL_DS_INPUTS].reads / passes;
        /* Partial sums come back into the array for every arrival at the buffer
         * but the first of each output (which starts from zero); each output
         * leaves for DRAM once. */
        double arrivals = (double)G->ds[PETAL_DS_OUTPUTS].updates;
        double psum_in = (arrivals - (double)D->ds[PETAL_DS_OUTPUTS].updates) / passes;
        double psum_out = arrivals / passes;
        if (psum_in < 0)
            psum_in = 0;
        double macs = (double)seg->pe_macs_per_pass;
        double t_ifmap = ifmap / noc->ifmap, t_in = psum_in / noc->psum_in,
               t_out = psum_out / noc->psum_out;
        double t_psum = t_in > t_out ? t_in : t_out;
        double busy = macs;
        if (t_ifmap > busy)
            busy = t_ifmap;
        if (t_psum > busy)
            busy = t_psum;
        if (busy > macs) {
            if (t_psum >= t_ifmap)
                stall_psum += passes * (busy - macs);
            else
                stall_ifmap += passes * (busy - macs);
        }
        out->passes += seg->passes;
        out->mac_cycles += passes * macs;
        out->filter_cycles += passes * ceil(filter / noc->filter);
        out->noc_stall_cycles += passes * (busy - macs);
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            dram_words += (double)D->ds[ds].reads + (double)D->ds[ds].updates;
    }
    out->array_cycles = out->mac_cycles + out->filter_cycles + out->noc_stall_cycles;
    out->dram_cycles = noc->dram > 0 ? dram_words / noc->dram : 0;
    out->cycles = out->array_cycles;
    out->bound = stall_psum > 0 && stall_psum >= stall_ifmap ? "psum bus"
                 : stall_ifmap > 0                           ? "ifmap bus"
                                                             : "MACs";
    if (out->dram_cycles > out->array_cycles) {
        out->cycles = out->dram_cycles;
        out->bound = "DRAM";
    }
    return PETAL_OK;
}
