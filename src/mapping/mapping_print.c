/* mapping_print.c - a mapping as a loop nest, outermost loop first, one block per
 * storage level, spatial loops marked with the axis they are unrolled over. */
#include <stdio.h>

#include "petal/mapping.h"

static void put_loop(FILE *out, int depth, const char *dim, uint64_t factor, const char *axis)
{
    fprintf(out, "|%*sfor %s in [0:%llu)", 2 * depth + 1, "", dim, (unsigned long long)factor);
    if (axis)
        fprintf(out, " (spatial %s)", axis);
    fputc('\n', out);
}

static void put_header(FILE *out, const petal_level *l, uint8_t keep)
{
    fprintf(out, "%s [", l->name);
    if (l->cls == PETAL_MEM_NONE && !keep) {
        fputs("no storage", out);
    } else if (!keep) {
        fputs("keeps nothing", out);
    } else {
        fputs("keeps", out);
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            if (keep & (1u << ds))
                fprintf(out, " %s", petal_ds_canonical_name(ds));
    }
    fputs("]\n", out);
}

void petal_mapping_print_nest(FILE *out, const petal_problem *p, const petal_arch *a,
                              const petal_mapping *m)
{
    int depth = 0;
    int nlevels = m->nlevels < a->nlevels ? m->nlevels : a->nlevels;
    for (int l = 0; l < nlevels; l++) {
        const petal_level_mapping *lm = &m->levels[l];
        put_header(out, &a->levels[l], lm->keep);
        /* perm[] is innermost first; print from its far end. */
        for (int k = p->ndims - 1; k >= 0; k--) {
            int dim = lm->perm[k];
            if (dim < p->ndims && lm->temporal[dim] != 1)
                put_loop(out, depth++, p->dim_names[dim], lm->temporal[dim], NULL);
        }
        for (int dim = 0; dim < p->ndims; dim++)
            if (lm->spatial_x[dim] != 1)
                put_loop(out, depth++, p->dim_names[dim], lm->spatial_x[dim], "X");
        for (int dim = 0; dim < p->ndims; dim++)
            if (lm->spatial_y[dim] != 1)
                put_loop(out, depth++, p->dim_names[dim], lm->spatial_y[dim], "Y");
    }
    fprintf(out, "|%*s<< compute: %s, %llu MACs >>\n", 2 * depth + 1, "", a->arith.name,
            (unsigned long long)a->arith.instances);
}
