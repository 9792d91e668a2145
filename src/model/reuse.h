/* model/reuse.h - closed-form reuse analysis of one loop nest (library-internal):
 * tile sizes, the words that enter a tile over a run, spatial multicast groups
 * and partition sizes. docs/model.md states every rule in words. */
#ifndef PETAL_MODEL_REUSE_H
#define PETAL_MODEL_REUSE_H

#include <stdbool.h>
#include <stdint.h>

#include "petal/arch.h"
#include "petal/mapping.h"
#include "petal/problem.h"

/* A mapping's loop nest reduced to the products the counting rules need. */
typedef struct reuse_nest {
    int ndims, nlevels;
    const petal_mapping *m;
    /* Extent of each dimension over level i's loops and everything inside them;
     * ext[nlevels] is all ones (a single MAC operation). */
    uint64_t ext[PETAL_MAX_LEVELS + 1][PETAL_MAX_DIMS];
    uint64_t spatial[PETAL_MAX_LEVELS][PETAL_MAX_DIMS]; /* spatial_x * spatial_y */
    uint64_t fanout[PETAL_MAX_LEVELS];       /* product of a level's spatial factors */
    uint64_t instances[PETAL_MAX_LEVELS + 1]; /* utilised instances; [nlevels] = MACs */
    uint64_t steps_above[PETAL_MAX_LEVELS + 1]; /* product of temporal factors above */
    uint64_t iterations;                      /* all temporal factors: cycles per MAC */
    /* coef[s][r][d]: how far rank r of data space s moves per step of dim d. */
    uint8_t nranks[PETAL_NUM_DS];
    int64_t coef[PETAL_NUM_DS][PETAL_MAX_RANKS][PETAL_MAX_DIMS];
} reuse_nest;

/* Fill `n` from a mapping whose factors have been checked to multiply to the
 * problem's bounds. */
void reuse_nest_init(reuse_nest *n, const petal_problem *p, const petal_mapping *m);

/* Words of data space s in the bounding box of the operations spanned by the
 * per-dimension extents `ext`; the extent of every rank goes to rank_ext when
 * it is not NULL. */
uint64_t reuse_tile_words(const reuse_nest *n, int s, const uint64_t *ext, uint64_t *rank_ext);

/* Words of data space s entering one instance of level c's tile over the
 * whole run (c >= 1): the first tile in full, then at every step of the loops
 * above c either the part not already held (the tile slid by the same
 * translation as at the previous step) or the whole tile (anything else).
 * False when the count does not fit in 64 bits. */
bool reuse_words_entering(const reuse_nest *n, int s, int c, uint64_t *out);

/* Distinct groups among the spatial children of one instance of level i: the
 * children whose tiles of data space s coincide form one group (multicast for
 * reads, spatial reduction for Outputs). 1 when the level has no fan-out. */
uint64_t reuse_spatial_groups(const reuse_nest *n, int s, int i);

/* Partition size of every level for data space s, from the tiles of every
 * level (tile[i]): the outermost level holds its whole tile; each level
 * inwards holds its parent's partition scaled by its tile over the tile its
 * parent's fan-out spans in one step (integer division, as Timeloop). */
void reuse_partitions(const reuse_nest *n, int s, const uint64_t *tile, uint64_t *partition);

#endif
