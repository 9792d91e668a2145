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
 * dimension the factors over all levels cover its bound: they multiply to it,
 * or, imperfectly, to more, the last tile of a loop being clipped at the bound
 * (docs/model.md, "Imperfect factors"; petal_mapping_factor_fit).
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
    uint8_t perm[PETAL_MAX_DIMS]; /* dimension indices, innermost first */
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

/* How a dimension's factors cover its bound B. With f its outermost factor
 * above 1 in nest order (levels outermost first; in a level temporal, Y, X)
 * and t the product of its factors inside that loop, they fit when
 * ceil(B / t) = f: exactly (f t = B) or imperfectly (f t > B, every loop's
 * last iteration runs at least once). */
typedef enum petal_factor_fit {
    PETAL_FACTORS_EXACT = 0, /* the factors multiply to the bound */
    PETAL_FACTORS_IMPERFECT, /* they cover it on the clipped grid */
    PETAL_FACTORS_ZERO,      /* a factor is 0 */
    PETAL_FACTORS_OVERFLOW,  /* their product does not fit in 64 bits */
    PETAL_FACTORS_SHORT,     /* they multiply to less than the bound */
    PETAL_FACTORS_EMPTY_LOOP /* the outermost loop's last iteration would never run */
} petal_factor_fit;

/* Classify dimension d's factors in m against `bound`. *product gets their
 * product (when it fits), *outer the outermost factor above 1 (1 if none)
 * and *inner the product inside it; any of them may be NULL. */
petal_factor_fit petal_mapping_factor_fit(const petal_mapping *m, int d, uint64_t bound,
                                          uint64_t *product, uint64_t *outer, uint64_t *inner);

/* Print m as a loop nest, outermost loop first, spatial loops marked. */
void petal_mapping_print_nest(FILE *out, const petal_problem *p, const petal_arch *a,
                              const petal_mapping *m);

#ifdef __cplusplus
}
#endif
#endif
