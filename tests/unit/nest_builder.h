/* nest_builder.h - test helpers: problems, architecture levels and mapping
 * levels written compactly ("R|R+2P|P", "C4 M2", "MCRSNPQ"). Dimensions are
 * single letters. Everything is static inline so each test takes what it uses. */
#ifndef PETAL_TEST_NEST_BUILDER_H
#define PETAL_TEST_NEST_BUILDER_H

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "petal/arch.h"
#include "petal/mapping.h"
#include "petal/problem.h"

static inline int nb_dim(const petal_problem *p, char c)
{
    for (int d = 0; d < p->ndims; d++)
        if (p->dim_names[d][0] == c)
            return d;
    return -1;
}

/* ranks: "N|C|R+2P|S+Q": ranks split by '|', terms by '+', an optional
 * integer coefficient before each dimension letter. Returns 0 on success. */
static inline int nb_dataspace(petal_problem *p, int s, const char *name, const char *ranks)
{
    petal_dataspace *ds = &p->ds[s];
    memset(ds, 0, sizeof *ds);
    snprintf(ds->name, sizeof ds->name, "%s", name);
    const char *c = ranks;
    while (*c) {
        if (ds->nranks >= PETAL_MAX_RANKS)
            return -1;
        petal_rank *r = &ds->ranks[ds->nranks++];
        for (;;) {
            int64_t coef = 0;
            while (isdigit((unsigned char)*c))
                coef = coef * 10 + (*c++ - '0');
            int d = nb_dim(p, *c);
            if (d < 0 || r->nterms >= PETAL_MAX_TERMS)
                return -1;
            c++;
            r->terms[r->nterms++] = (petal_term){(uint8_t)d, coef ? coef : 1};
            if (*c == '+') {
                c++;
                continue;
            }
            break;
        }
        if (*c == '|')
            c++;
        else if (*c)
            return -1;
    }
    return 0;
}

static inline int nb_problem(petal_problem *p, const char *name, const char *dims,
                             const uint64_t *bounds, const char *w, const char *i, const char *o)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "%s", name);
    p->kind = PETAL_LAYER_GENERIC;
    p->batch_dim = -1;
    p->weights_are_params = true;
    p->ndims = (uint8_t)strlen(dims);
    for (int d = 0; d < p->ndims; d++) {
        p->dim_names[d][0] = dims[d];
        p->bounds[d] = bounds[d];
    }
    if (nb_dataspace(p, PETAL_DS_WEIGHTS, "Weights", w) ||
        nb_dataspace(p, PETAL_DS_INPUTS, "Inputs", i) ||
        nb_dataspace(p, PETAL_DS_OUTPUTS, "Outputs", o))
        return -1;
    return petal_problem_check(p) == PETAL_OK ? 0 : -1;
}

/* "C4 M2": factors per dimension, 1 for those not named. */
static inline int nb_factors(const petal_problem *p, const char *spec, uint64_t *f)
{
    for (int d = 0; d < PETAL_MAX_DIMS; d++)
        f[d] = 1;
    const char *c = spec;
    while (*c) {
        while (*c == ' ')
            c++;
        if (!*c)
            break;
        int d = nb_dim(p, *c++);
        if (d < 0 || !isdigit((unsigned char)*c))
            return -1;
        f[d] = strtoull(c, (char **)&c, 10);
    }
    return 0;
}

/* "MCRSNPQ": the loop order innermost first; dimensions not named follow. */
static inline int nb_perm(const petal_problem *p, const char *order, uint8_t *perm)
{
    int k = 0;
    unsigned seen = 0;
    for (const char *c = order; *c; c++) {
        int d = nb_dim(p, *c);
        if (d < 0 || (seen & (1u << d)))
            return -1;
        seen |= 1u << d;
        perm[k++] = (uint8_t)d;
    }
    for (int d = 0; d < p->ndims; d++)
        if (!(seen & (1u << d)))
            perm[k++] = (uint8_t)d;
    return 0;
}

static inline int nb_level_mapping(const petal_problem *p, petal_level_mapping *lm,
                                   const char *temporal, const char *perm, const char *sx,
                                   const char *sy, uint8_t keep)
{
    memset(lm, 0, sizeof *lm);
    if (nb_factors(p, temporal, lm->temporal) || nb_perm(p, perm, lm->perm) ||
        nb_factors(p, sx, lm->spatial_x) || nb_factors(p, sy, lm->spatial_y))
        return -1;
    lm->keep = keep;
    return 0;
}

/* A storage level with unit energies unless set afterwards. */
static inline void nb_level(petal_level *l, const char *name, petal_mem_class cls, uint64_t depth,
                            uint32_t block, uint32_t mesh_x, uint32_t mesh_y, uint8_t may_keep)
{
    memset(l, 0, sizeof *l);
    snprintf(l->name, sizeof l->name, "%s", name);
    l->cls = cls;
    l->depth = depth;
    l->word_bits = 16;
    l->block_size = block;
    l->mesh_x = mesh_x;
    l->mesh_y = mesh_y;
    l->instances = (uint64_t)mesh_x * mesh_y;
    l->may_keep = cls == PETAL_MEM_NONE ? 0 : may_keep;
    l->read_pj = l->fill_pj = l->update_pj = 1;
}

/* A chain of n levels, outermost first, each with the class and mesh given,
 * unit energies and keeping all it may, above mac_x x mac_y MACs. Returns 0
 * when petal_arch_check accepts it. */
static inline int nb_chain(petal_arch *a, int n, const char *const *names,
                           const petal_mem_class *cls, const uint32_t *mx, const uint32_t *my,
                           uint32_t mac_x, uint32_t mac_y)
{
    memset(a, 0, sizeof *a);
    a->nlevels = (uint8_t)n;
    for (int l = 0; l < n; l++)
        nb_level(&a->levels[l], names[l], cls[l], 0, 1, mx[l], my[l], PETAL_KEEP_ALL);
    a->arith.mesh_x = mac_x;
    a->arith.mesh_y = mac_y;
    a->arith.instances = (uint64_t)mac_x * mac_y;
    return petal_arch_check(a) == PETAL_OK ? 0 : -1;
}

#endif
