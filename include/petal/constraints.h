/* petal/constraints.h - limits on the mapspace that a mapper must respect.
 *
 * Constraints come from an architecture (Eyeriss's scratchpads each keep one
 * data space; a PE column unrolls only Q), from a dataflow, or from a user.
 * They restrict what the mapper may choose; they never apply to a mapping that
 * is given to evaluate (Timeloop does the same).
 *
 * Per storage level, indexed like petal_arch.levels:
 *   - factors: a fixed value per dimension (0 = free), or an upper bound
 *     (0 = none), separately for the temporal loops of the level and for the
 *     spatial loops below it (X and Y together);
 *   - loop orders: `temporal_inner` lists dimensions that must be the innermost
 *     temporal loops, innermost first; `temporal_outer` those that must be the
 *     outermost, outermost last (so a full order is temporal_inner alone, in the
 *     same innermost-first form as petal_level_mapping.perm). `spatial_order`
 *     orders the spatial dimensions, and `spatial_split` says how many of them
 *     (from the start of spatial_order) go to X; the rest go to Y;
 *   - keep / bypass: data spaces (bit 1 << ds) the level must keep or must
 *     bypass; a data space in neither is free.
 * Only dimensions whose factor is above 1 are ordered in a real loop nest; a
 * checker should skip unit factors when comparing orders.
 */
#ifndef PETAL_CONSTRAINTS_H
#define PETAL_CONSTRAINTS_H

#include <stdbool.h>
#include <stdint.h>

#include "petal/arch.h"
#include "petal/limits.h"
#include "petal/problem.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PETAL_SPLIT_FREE (-1)

typedef struct petal_level_constraints {
    uint64_t temporal_exact[PETAL_MAX_DIMS]; /* 0 = free */
    uint64_t temporal_max[PETAL_MAX_DIMS];   /* 0 = no bound */
    uint64_t spatial_exact[PETAL_MAX_DIMS];  /* X * Y; 0 = free */
    uint64_t spatial_max[PETAL_MAX_DIMS];    /* 0 = no bound */
    uint8_t temporal_inner[PETAL_MAX_DIMS];  /* innermost first */
    uint8_t n_temporal_inner;
    uint8_t temporal_outer[PETAL_MAX_DIMS]; /* outermost last */
    uint8_t n_temporal_outer;
    uint8_t spatial_order[PETAL_MAX_DIMS];
    uint8_t n_spatial_order;
    int spatial_split; /* PETAL_SPLIT_FREE or 0..ndims */
    uint8_t keep;      /* must keep (1 << ds) */
    uint8_t bypass;    /* must bypass (1 << ds) */
} petal_level_constraints;

typedef struct petal_constraints {
    uint8_t nlevels;
    petal_level_constraints levels[PETAL_MAX_LEVELS];
    double min_utilization; /* fraction of the MACs a mapping must use; 0 = none */
} petal_constraints;

/* No constraint at any level of architecture a. */
void petal_constraints_init(petal_constraints *c, const petal_arch *a);

/* True when nothing is constrained. */
bool petal_constraints_empty(const petal_constraints *c);

/* Whether mapping-like choices at level l satisfy its factor constraints:
 * temporal[d] and spatial[d] (X * Y) per dimension. */
bool petal_constraints_factors_ok(const petal_level_constraints *lc, int ndims,
                                  const uint64_t *temporal, const uint64_t *spatial);

/* Add to c (initialised for a) the constraints built-in architecture `name`
 * puts on layer p (petal_arch_preset_has_constraints): for tpu-like, the
 * array's X takes the dimensions the weights have and the outputs do not,
 * its Y those the weights have and the inputs do not, nothing else is spread
 * there, the buffer keeps Inputs and Outputs and the PEs Weights
 * (docs/presets.md). Nothing for the other presets. */
petal_status petal_arch_preset_constraints(const char *name, const petal_problem *p,
                                           const petal_arch *a, petal_constraints *c);

#ifdef __cplusplus
}
#endif
#endif
