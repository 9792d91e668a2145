/* mapper/partial.h - a mapping being decided, as the search holds it between
 * steps (library-internal).
 *
 * Levels are decided from the innermost outwards, each in up to four steps:
 * the spatial factors of its fan-out, which data spaces it keeps, its temporal
 * factors, the order of its temporal loops. Levels below `level` are complete
 * and at `level` the steps before `phase` are done. With ms->spatial_first the
 * fan-outs are all decided before any level instead (innermost first; `level`
 * is then the fan-out being decided). `rem` holds, per dimension, the product
 * of the factors not yet given to any level.
 */
#ifndef PETAL_MAPPER_PARTIAL_H
#define PETAL_MAPPER_PARTIAL_H

#include <stdint.h>

#include "mapper/mapspace.h"
#include "mapper/objective.h"
#include "petal/mapping.h"

enum { PHASE_SPATIAL, PHASE_KEEP, PHASE_TEMPORAL, PHASE_ORDER };

typedef struct partial {
    int level;             /* the level being decided; -1 once the mapping is complete */
    int phase;             /* its next step */
    uint32_t spatial_done; /* bit l: the fan-out below level l is decided */
    petal_mapping m;
    uint64_t rem[PETAL_MAX_DIMS];
    /* Per data space, the states (ORDER_* of mapper/order.h) of its keepers
     * strictly below `level`: what the order of `level` is chosen against. */
    uint8_t states[PETAL_NUM_DS];
} partial;

/* The empty partial mapping: nothing decided, everything still to place. */
void partial_root(const mapspace *ms, partial *s);

/* Move s's order context past a completed level lm (its loops and keeps). */
void partial_advance_states(const mapspace *ms, partial *s, const petal_level_mapping *lm);

/* Whether level l has a fan-out the mapspace may use. */
bool partial_has_fanout(const mapspace *ms, int l);

/* Where the search goes after deciding the spatial factors of level l (the
 * next fan-out outwards or the innermost level's keeps, when fan-outs come
 * first; level l's keeps otherwise), and when it moves to level l. */
void partial_after_spatial(const mapspace *ms, partial *s, int l);
void partial_enter_level(const mapspace *ms, partial *s, int l);

/* The steps of a complete search path (fan-outs, then three per level), and
 * the partial mapping that complete mapping m passes through after `step` of
 * them (for tests: every bound on the way must not exceed m's). */
int partial_steps(const mapspace *ms);
void partial_from_mapping(const mapspace *ms, const petal_mapping *m, int step, partial *s);

/* The dimension whose decided factors do not divide its bound (an imperfect
 * factor, docs/model.md), or -1. The mapper makes at most one: a factor
 * filling a fan-out, the next loop of the dimension being the outermost
 * level's, which takes what is left (mapper/choices.c). */
int partial_imperfect_dim(const mapspace *ms, const partial *s);

/* Words of data space ds in a tile spanning ext[d] of every dimension. */
uint64_t tile_words(const petal_problem *p, int ds, const uint64_t *ext);

/* A lower bound on the score of every complete mapping that extends s (each
 * part slightly rounded down, except integer cycles, so that it never exceeds
 * a mapping's exact value). With by_first: by_first[d] bounds those whose
 * innermost loop not yet ordered is over dimension d (worst when it cannot
 * be); at an order step, an order whose innermost loop is d is worth trying
 * only when by_first[d] is not worse than the best. */
score bound_score(const mapspace *ms, petal_objective obj, const partial *s, score *by_first);

/* The objective part alone. */
double bound_partial(const mapspace *ms, petal_objective obj, const partial *s);

#endif
