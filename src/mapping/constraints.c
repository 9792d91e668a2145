/* constraints.c - an empty set of mapspace constraints, and the factor test a
 * mapper applies to each candidate. */
#include "petal/constraints.h"

#include <string.h>

void petal_constraints_init(petal_constraints *c, const petal_arch *a)
{
    memset(c, 0, sizeof *c);
    c->nlevels = a->nlevels;
    for (int l = 0; l < PETAL_MAX_LEVELS; l++)
        c->levels[l].spatial_split = PETAL_SPLIT_FREE;
}

bool petal_constraints_empty(const petal_constraints *c)
{
    if (c->min_utilization > 0)
        return false;
    for (int l = 0; l < c->nlevels; l++) {
        const petal_level_constraints *lc = &c->levels[l];
        if (lc->keep || lc->bypass || lc->n_temporal_inner || lc->n_temporal_outer ||
            lc->n_spatial_order || lc->spatial_split != PETAL_SPLIT_FREE)
            return false;
        for (int d = 0; d < PETAL_MAX_DIMS; d++)
            if (lc->temporal_exact[d] || lc->temporal_max[d] || lc->spatial_exact[d] ||
                lc->spatial_max[d])
                return false;
    }
    return true;
}

bool petal_constraints_factors_ok(const petal_level_constraints *lc, int ndims,
                                  const uint64_t *temporal, const uint64_t *spatial)
{
    for (int d = 0; d < ndims; d++) {
        if (lc->temporal_exact[d] && temporal[d] != lc->temporal_exact[d])
            return false;
        if (lc->temporal_max[d] && temporal[d] > lc->temporal_max[d])
            return false;
        if (lc->spatial_exact[d] && spatial[d] != lc->spatial_exact[d])
            return false;
        if (lc->spatial_max[d] && spatial[d] > lc->spatial_max[d])
            return false;
    }
    return true;
}
