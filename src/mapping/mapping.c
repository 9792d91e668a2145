/* mapping.c - constructing mappings. */
#include "petal/mapping.h"

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
