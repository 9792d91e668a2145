/* mapper/partial.h - a mapping decided from the innermost level outwards, as the
 * search holds it between steps (library-internal).
 *
 * Each level is decided in four steps: its spatial factors (the fan-out below
 * it), which data spaces it keeps, its temporal factors, then the order of its
 * temporal loops. Levels below `level` are complete; at `level` the steps
 * before `phase` are done. Whatever is undecided is still to be placed: `rem`
 * holds, per dimension, the product of the factors not yet given to any level.
 */
#ifndef PETAL_MAPPER_PARTIAL_H
#define PETAL_MAPPER_PARTIAL_H

#include <stdint.h>

#include "mapper/mapspace.h"
#include "petal/mapping.h"

enum { PHASE_SPATIAL, PHASE_KEEP, PHASE_TEMPORAL, PHASE_ORDER };

typedef struct partial {
    int level;     /* the level being decided; -1 once the mapping is complete */
    int phase;     /* its next step */
    petal_mapping m;
    uint64_t rem[PETAL_MAX_DIMS];
    /* Per data space, the states (ORDER_* of mapper/order.h) of its keepers
     * strictly below `level`: what the order of `level` is chosen against. */
    uint8_t states[PETAL_NUM_DS];
} partial;

/* Words of data space ds in a tile spanning ext[d] of every dimension. */
uint64_t tile_words(const petal_problem *p, int ds, const uint64_t *ext);

/* A lower bound on the objective of every complete mapping that extends s,
 * slightly rounded down so that it never exceeds a mapping's exact value. */
double bound_partial(const mapspace *ms, petal_objective obj, const partial *s);

#endif
