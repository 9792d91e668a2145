/* mapspace.c - the unconstrained mapspace of a layer on an architecture, and the
 * cheap checks that tell an impossible request before any search. */
#include "mapper/mapspace.h"

#include "petal/energy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Dimensions a data space depends on, and those among them in a coordinate
 * shared with another dimension whose bound is above 1. */
static void dataspace_roles(const petal_problem *p, int ds, uint8_t *relevant, uint8_t *sliding)
{
    const petal_dataspace *s = &p->ds[ds];
    *relevant = 0;
    *sliding = 0;
    for (int r = 0; r < s->nranks; r++) {
        const petal_rank *rk = &s->ranks[r];
        int live = 0;
        for (int t = 0; t < rk->nterms; t++) {
            *relevant |= MS_DIM_MASK(rk->terms[t].dim);
            if (p->bounds[rk->terms[t].dim] > 1)
                live++;
        }
        if (live > 1)
            for (int t = 0; t < rk->nterms; t++)
                if (p->bounds[rk->terms[t].dim] > 1)
                    *sliding |= MS_DIM_MASK(rk->terms[t].dim);
    }
    /* A dimension in two coordinates of one data space is treated like a
     * sliding one: its tiles overlap in ways a single product does not say. */
    for (int d = 0; d < p->ndims; d++) {
        int seen = 0;
        for (int r = 0; r < s->nranks; r++)
            for (int t = 0; t < s->ranks[r].nterms; t++)
                if (s->ranks[r].terms[t].dim == d)
                    seen++;
        if (seen > 1 && p->bounds[d] > 1)
            *sliding |= MS_DIM_MASK(d);
    }
}

/* Distinct values of sum coef_k * x_k with 0 <= x_k < bound_k over the terms
 * of one coordinate; a lower bound (the largest single count) when the range
 * is too wide to enumerate. */
static double rank_values(const petal_problem *p, const petal_rank *rk)
{
    double largest = 1;
    uint64_t span = 0;
    int live = 0;
    for (int t = 0; t < rk->nterms; t++) {
        uint64_t b = p->bounds[rk->terms[t].dim];
        if (b > 1) {
            live++;
            span += (uint64_t)rk->terms[t].coef * (b - 1);
        }
        if ((double)b > largest)
            largest = (double)b;
    }
    if (live <= 1 || span >= (1u << 20))
        return largest;
    uint8_t *seen = calloc(span + 1, 1);
    if (!seen)
        return largest;
    seen[0] = 1;
    uint64_t reach = 0;
    for (int t = 0; t < rk->nterms; t++) {
        uint64_t b = p->bounds[rk->terms[t].dim], c = (uint64_t)rk->terms[t].coef;
        if (b <= 1)
            continue;
        for (uint64_t v = reach + 1; v-- > 0;)
            if (seen[v])
                for (uint64_t x = 1; x < b; x++)
                    seen[v + c * x] = 1;
        reach += c * (b - 1);
    }
    double n = 0;
    for (uint64_t v = 0; v <= span; v++)
        n += seen[v];
    free(seen);
    return n;
}

/* Distinct words of data space ds that some operation touches. */
static double touched_words(const petal_problem *p, int ds)
{
    const petal_dataspace *s = &p->ds[ds];
    double product = 1, shared = 1;
    for (int r = 0; r < s->nranks; r++) {
        bool independent = true;
        for (int t = 0; t < s->ranks[r].nterms; t++)
            for (int r2 = 0; r2 < s->nranks; r2++)
                for (int t2 = 0; r2 != r && t2 < s->ranks[r2].nterms; t2++)
                    if (s->ranks[r2].terms[t2].dim == s->ranks[r].terms[t].dim &&
                        p->bounds[s->ranks[r].terms[t].dim] > 1)
                        independent = false;
        double v = rank_values(p, &s->ranks[r]);
        if (independent)
            product *= v;
        else if (v > shared)
            shared = v;
    }
    return product * shared;
}

/* ms->ranks[ds] from ms->coef and the bounds. */
static void rank_roles(mapspace *ms, int ds)
{
    const petal_problem *p = ms->p;
    int nr = p->ds[ds].nranks;
    for (int r = 0; r < nr; r++) {
        ms_rank *rd = &ms->ranks[ds][r];
        rd->n = 0;
        for (int d = 0; d < p->ndims; d++)
            if (ms->coef[ds][r][d] && p->bounds[d] > 1)
                rd->dims[rd->n++] = d;
    }
    for (int r = 0; r < nr; r++) {
        ms_rank *rd = &ms->ranks[ds][r];
        rd->independent = true;
        for (int k = 0; k < rd->n; k++)
            for (int r2 = 0; r2 < nr; r2++)
                if (r2 != r && ms->coef[ds][r2][rd->dims[k]])
                    rd->independent = false;
        rd->alone = rd->n == 1 && rd->independent;
    }
}

void ms_init(mapspace *ms, const petal_problem *p, const petal_arch *a)
{
    memset(ms, 0, sizeof *ms);
    ms->p = p;
    ms->a = a;
    ms->exact = a;
    for (int l = 0; l < a->nlevels; l++)
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            uint32_t w = a->levels[l].word_bits;
            uint32_t b = petal_precision_bits(&p->precision, s, w);
            if (s == PETAL_DS_OUTPUTS) {
                uint32_t psum = petal_precision_bits(&p->precision, PETAL_PRECISION_PSUMS, w);
                b = psum < b ? psum : b;
            }
            ms->width_scale[l][s] = w && b < w ? (double)b / w : 1;
        }
    ms->nlevels = a->nlevels;
    ms->ndims = p->ndims;
    uint8_t all_dims = (uint8_t)((1u << p->ndims) - 1);
    for (int l = 0; l < a->nlevels; l++) {
        const petal_level *pl = &a->levels[l];
        ms_level *lv = &ms->lv[l];
        lv->storage = pl->cls != PETAL_MEM_NONE;
        lv->depth = pl->depth;
        petal_arch_fanout(a, l, &lv->fanout_x, &lv->fanout_y);
        lv->x_dims = lv->fanout_x > 1 ? all_dims : 0;
        lv->y_dims = lv->fanout_y > 1 ? all_dims : 0;
        if (!lv->storage) {
            /* Loops of a storage-less level would sit between two fan-outs with
             * nothing to reuse: the mapper keeps them at 1. */
            for (int d = 0; d < p->ndims; d++)
                lv->t_exact[d] = 1;
            lv->keep_allowed = 0;
        } else {
            lv->keep_allowed = pl->may_keep & PETAL_KEEP_ALL;
            /* Every data space starts in the outermost level (and in DRAM). */
            if (l == 0 || pl->cls == PETAL_MEM_DRAM)
                lv->keep_required = lv->keep_allowed;
        }
    }
    for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
        dataspace_roles(p, ds, &ms->relevant[ds], &ms->sliding[ds]);
        ms->wmin[ds] = touched_words(p, ds);
        for (int r = 0; r < p->ds[ds].nranks; r++)
            for (int t = 0; t < p->ds[ds].ranks[r].nterms; t++)
                ms->coef[ds][r][p->ds[ds].ranks[r].terms[t].dim] +=
                    p->ds[ds].ranks[r].terms[t].coef;
        rank_roles(ms, ds);
    }
}

void ms_set_problem(mapspace *ms, const petal_problem *p)
{
    ms->p = p;
    for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
        dataspace_roles(p, ds, &ms->relevant[ds], &ms->sliding[ds]);
        ms->wmin[ds] = touched_words(p, ds);
    }
}

bool ms_feasible(const mapspace *ms, char *why, size_t why_size)
{
    const petal_problem *p = ms->p;
    const petal_arch *a = ms->a;
    if (ms->conflict[0]) {
        snprintf(why, why_size, "%s", ms->conflict);
        return false;
    }
    if (a->levels[0].cls == PETAL_MEM_NONE) {
        snprintf(why, why_size, "the outermost level %s stores nothing", a->levels[0].name);
        return false;
    }
    if ((ms->lv[0].keep_allowed & PETAL_KEEP_ALL) != PETAL_KEEP_ALL) {
        snprintf(why, why_size, "the outermost level %s may not hold every data space",
                 a->levels[0].name);
        return false;
    }
    for (int d = 0; d < p->ndims; d++) {
        /* The exact factors of a dimension must divide its bound together. */
        uint64_t fixed = 1;
        for (int l = 0; l < ms->nlevels; l++) {
            const ms_level *lv = &ms->lv[l];
            uint64_t f[2] = {lv->t_exact[d], lv->s_exact[d]};
            for (int k = 0; k < 2; k++) {
                if (!f[k])
                    continue;
                if ((p->bounds[d] / fixed) % f[k]) {
                    snprintf(why, why_size,
                             "%s needs a %s factor of %llu for %s at %s, which does not divide "
                             "the %llu left of its bound %llu",
                             ms->dataflow[0] ? ms->dataflow : "the constraints",
                             k ? "spatial" : "temporal", (unsigned long long)f[k], p->dim_names[d],
                             a->levels[l].name, (unsigned long long)(p->bounds[d] / fixed),
                             (unsigned long long)p->bounds[d]);
                    return false;
                }
                fixed *= f[k];
            }
            if (lv->s_exact[d] > 1 && !((lv->x_dims | lv->y_dims) & MS_DIM_MASK(d))) {
                snprintf(why, why_size,
                         "%s needs %s spread %llu ways at %s, which may not put it on the array",
                         ms->dataflow[0] ? ms->dataflow : "the constraints", p->dim_names[d],
                         (unsigned long long)lv->s_exact[d], a->levels[l].name);
                return false;
            }
            uint64_t room = (uint64_t)((lv->x_dims & MS_DIM_MASK(d)) ? lv->fanout_x : 1) *
                            ((lv->y_dims & MS_DIM_MASK(d)) ? lv->fanout_y : 1);
            if (lv->s_exact[d] > room) {
                snprintf(why, why_size,
                         "%s needs %s spread %llu ways below %s, but the fan-out there holds "
                         "%llu",
                         ms->dataflow[0] ? ms->dataflow : "the constraints", p->dim_names[d],
                         (unsigned long long)lv->s_exact[d], a->levels[l].name,
                         (unsigned long long)room);
                return false;
            }
        }
        if (ms->y_total_exact[d]) {
            uint64_t room = 1;
            for (int l = 0; l < ms->nlevels; l++)
                if (ms->lv[l].y_dims & MS_DIM_MASK(d))
                    room *= ms->lv[l].fanout_y;
            if (ms->y_total_exact[d] > room) {
                snprintf(why, why_size,
                         "%s needs all %llu of %s across the array's Y axis, which has %llu",
                         ms->dataflow[0] ? ms->dataflow : "the constraints",
                         (unsigned long long)ms->y_total_exact[d], p->dim_names[d],
                         (unsigned long long)room);
                return false;
            }
        }
    }
    for (int l = 0; l < ms->nlevels; l++) {
        const ms_level *lv = &ms->lv[l];
        uint8_t bad = lv->keep_required & (uint8_t)~lv->keep_allowed;
        if (bad) {
            int ds = bad & 1 ? 0 : bad & 2 ? 1 : 2;
            snprintf(why, why_size, "%s must keep %s, which it may not hold", a->levels[l].name,
                     p->ds[ds].name);
            return false;
        }
    }
    return true;
}

bool ms_relax_widths(const petal_problem *p, const petal_arch *a, petal_arch *out)
{
    const petal_precision *pr = &p->precision;
    if (!petal_precision_any(pr))
        return false;
    *out = *a;
    uint32_t narrowest_all = UINT32_MAX;
    for (int l = 0; l < a->nlevels; l++)
        for (int i = 0; i <= PETAL_PRECISION_PSUMS; i++) {
            uint32_t b = petal_precision_bits(pr, i, a->levels[l].word_bits);
            if (b && b < narrowest_all)
                narrowest_all = b;
        }
    for (int l = 0; l < a->nlevels; l++) {
        const petal_level *src = &a->levels[l];
        petal_level *lv = &out->levels[l];
        uint32_t w = src->word_bits;
        if (w == 0)
            continue;
        uint32_t narrowest = w;
        for (int i = 0; i <= PETAL_PRECISION_PSUMS; i++) {
            int s = i == PETAL_PRECISION_PSUMS ? PETAL_DS_OUTPUTS : i;
            uint32_t b = petal_precision_bits(pr, i, w);
            if ((src->may_keep & (1u << s)) && b < narrowest)
                narrowest = b;
        }
        double ratio = (double)narrowest / w; /* <= 1 */
        if (src->depth) {
            __extension__ unsigned __int128 d = (unsigned __int128)src->depth * w / narrowest;
            lv->depth = d > UINT64_MAX ? UINT64_MAX : (uint64_t)d;
        }
        lv->read_bw = src->read_bw / ratio;
        lv->write_bw = src->write_bw / ratio;
        if (narrowest_all < w)
            lv->hop_pj = src->hop_pj * narrowest_all / w;
    }
    out->arith.mac_pj = a->arith.mac_pj * petal_energy_mac_scale(p, a);
    return true;
}

bool ms_relax_forwarding(const petal_arch *a, petal_arch *out)
{
    if (!petal_arch_forwards(a))
        return false;
    *out = *a;
    for (int l = 0; l < out->nlevels; l++) {
        petal_level *lv = &out->levels[l];
        bool any = false;
        for (int s = 0; s < PETAL_NUM_DS; s++)
            any |= lv->forward[s] != PETAL_FORWARD_NONE;
        if (any && lv->forward_pj < lv->hop_pj)
            lv->hop_pj = lv->forward_pj;
    }
    return true;
}
