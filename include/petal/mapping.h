/* petal/mapping.h - how one layer is scheduled on one architecture.
 *
 * A mapping has one entry per storage level of the architecture, outermost
 * first. Each entry holds
 *   - temporal loop factors, one per problem dimension (1 = no loop), and their
 *     order `perm`, innermost first (Timeloop's permutation strings also list
 *     the innermost loop first);
 *   - spatial factors over X and Y: loops unrolled across the fan-out between
 *     this level and the next level inwards (the MACs for the last level);
 *   - `keep`: the data spaces this level holds (bit 1 << ds); the others bypass
 *     it and are served by the nearest outer level that keeps them.
 * Within a level the temporal loops sit outside the spatial ones. For every
 * dimension the product of all factors over all levels must equal its bound.
 */
#ifndef PETAL_MAPPING_H
#define PETAL_MAPPING_H

#include <stdint.h>
#include <stdio.h>

#include "petal/arch.h"
#include "petal/limits.h"
#include "petal/problem.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct petal_level_mapping {
    uint64_t temporal[PETAL_MAX_DIMS];
    uint8_t perm[PETAL_MAX_DIMS];     /* dimension indices, innermost first */
    uint64_t spatial_x[PETAL_MAX_DIMS];
    uint64_t spatial_y[PETAL_MAX_DIMS];
    uint8_t keep;
} petal_level_mapping;

typedef struct petal_mapping {
    uint8_t nlevels;
    petal_level_mapping levels[PETAL_MAX_LEVELS];
} petal_mapping;

/* A mapping with every factor 1, identity orders and every level keeping what
 * the architecture allows. */
void petal_mapping_init(petal_mapping *m, const petal_problem *p, const petal_arch *a);

/* Print m as a loop nest, outermost loop first, spatial loops marked. */
void petal_mapping_print_nest(FILE *out, const petal_problem *p, const petal_arch *a,
                              const petal_mapping *m);

#ifdef __cplusplus
}
#endif
#endif
