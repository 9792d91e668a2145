/* ms_constraints.c - folding user mapspace constraints (petal/constraints.h,
 * e.g. read from Timeloop files) into a mapspace: they only ever narrow it. */
#include <stdio.h>

#include "mapper/mapspace.h"
#include "petal/constraints.h"
#include "util/error.h"

/* Narrow an exact/max pair by another; a clash of exact values is recorded. */
static void narrow(mapspace *ms, const char *level, const char *dim, const char *kind,
                   uint64_t *exact, uint64_t *max, uint64_t new_exact, uint64_t new_max)
{
    if (new_exact) {
        if (*exact && *exact != new_exact && !ms->conflict[0])
            snprintf(ms->conflict, sizeof ms->conflict,
                     "the constraints fix the %s factor of %s at %s to %llu, the dataflow to %llu",
                     kind, dim, level, (unsigned long long)new_exact, (unsigned long long)*exact);
        *exact = new_exact;
    }
    if (new_max && (!*max || new_max < *max))
        *max = new_max;
    if (*exact && *max && *exact > *max && !ms->conflict[0])
        snprintf(ms->conflict, sizeof ms->conflict,
                 "the %s factor of %s at %s must be %llu but at most %llu", kind, dim, level,
                 (unsigned long long)*exact, (unsigned long long)*max);
}

petal_status ms_apply_constraints(mapspace *ms, const petal_constraints *c)
{
    const petal_problem *p = ms->p;
    const petal_arch *a = ms->a;
    if (c->nlevels != ms->nlevels)
        return petal_error_set(PETAL_EINVAL,
                               "constraints are for %u levels, architecture %s has %d", c->nlevels,
                               a->name, ms->nlevels);
    for (int l = 0; l < ms->nlevels; l++) {
        const petal_level_constraints *lc = &c->levels[l];
        ms_level *lv = &ms->lv[l];
        const char *name = a->levels[l].name;
        for (int d = 0; d < ms->ndims; d++) {
            narrow(ms, name, p->dim_names[d], "temporal", &lv->t_exact[d], &lv->t_max[d],
                   lc->temporal_exact[d], lc->temporal_max[d]);
            narrow(ms, name, p->dim_names[d], "spatial", &lv->s_exact[d], &lv->s_max[d],
                   lc->spatial_exact[d], lc->spatial_max[d]);
        }
        /* The spatial order's split sends the dimensions before it to X and
         * the others (listed or not) to Y. */
        if (lc->spatial_split != PETAL_SPLIT_FREE) {
            uint8_t x = 0;
            for (int k = 0; k < lc->n_spatial_order && k < lc->spatial_split; k++)
                x |= MS_DIM_MASK(lc->spatial_order[k]);
            if (lc->spatial_split >= p->ndims)
                x = (uint8_t)((1u << p->ndims) - 1);
            lv->x_dims &= x;
            lv->y_dims &= (uint8_t)~x;
        }
        lv->keep_required |= lc->keep & PETAL_KEEP_ALL;
        lv->keep_allowed &= (uint8_t)~lc->bypass;
        if (lc->keep & lc->bypass && !ms->conflict[0])
            snprintf(ms->conflict, sizeof ms->conflict,
                     "the constraints both keep and bypass a data space at %s", name);
        if (lc->n_temporal_inner) {
            for (int k = 0; k < lc->n_temporal_inner; k++)
                lv->inner[k] = lc->temporal_inner[k];
            lv->n_inner = lc->n_temporal_inner;
        }
        if (lc->n_temporal_outer) {
            for (int k = 0; k < lc->n_temporal_outer; k++)
                lv->outer[k] = lc->temporal_outer[k];
            lv->n_outer = lc->n_temporal_outer;
        }
    }
    if (c->min_utilization > ms->min_utilization)
        ms->min_utilization = c->min_utilization;
    return PETAL_OK;
}
