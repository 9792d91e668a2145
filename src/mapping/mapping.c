/* mapping.c - constructing mappings, and the rule by which factors cover a bound. */
#include "petal/mapping.h"

#include <stdbool.h>
#include <string.h>

void petal_mapping_init(petal_mapping *m, const petal_problem *p, const petal_arch *a)
{
    memset(m, 0, sizeof *m);
    m->nlevels = a->nlevels;
    for (int l = 0; l < a->nlevels; l++) {
        petal_level_mapping *lm = &m->levels[l];
        for (int d = 0; d < PETAL_MAX_DIMS; d++) {
            lm->temporal[d] = 1;
            lm->spatial_x[d] = 1;
            lm->spatial_y[d] = 1;
            lm->perm[d] = (uint8_t)(d < p->ndims ? d : 0);
        }
        lm->keep = a->levels[l].cls == PETAL_MEM_NONE ? 0 : a->levels[l].may_keep;
    }
}

petal_factor_fit petal_mapping_factor_fit(const petal_mapping *m, int d, uint64_t bound,
                                          uint64_t *product, uint64_t *outer, uint64_t *inner)
{
    /* The factors in nest order; the product inside the outermost one above 1
     * is everything after it. */
    uint64_t total = 1, first = 1, after = 1;
    bool found = false, overflow = false;
    for (int l = 0; l < m->nlevels; l++) {
        const petal_level_mapping *lm = &m->levels[l];
        uint64_t f[3] = {lm->temporal[d], lm->spatial_y[d], lm->spatial_x[d]};
        for (int k = 0; k < 3; k++) {
            if (f[k] == 0)
                return PETAL_FACTORS_ZERO;
            overflow |= __builtin_mul_overflow(total, f[k], &total);
            if (found)
                overflow |= __builtin_mul_overflow(after, f[k], &after);
            else if (f[k] > 1) {
                found = true;
                first = f[k];
            }
        }
    }
    if (product)
        *product = total;
    if (outer)
        *outer = first;
    if (inner)
        *inner = after;
    if (overflow)
        return PETAL_FACTORS_OVERFLOW;
    if (total == bound)
        return PETAL_FACTORS_EXACT;
    if (total < bound)
        return PETAL_FACTORS_SHORT;
    /* total = first * after > bound: the last iteration runs when
     * (first - 1) * after < bound. */
    return (first - 1) * after < bound ? PETAL_FACTORS_IMPERFECT : PETAL_FACTORS_EMPTY_LOOP;
}
