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

/* One temporal loop with more than one iteration. */
typedef struct reuse_loop {
    uint8_t level, dim;
    uint64_t count;
    uint64_t stride;   /* operations of its dimension inside one iteration */
    uint64_t advances; /* times it steps over the whole run: (count - 1) * loops outside */
} reuse_loop;

/* One spatial loop of a level's fan-out. */
typedef struct reuse_spatial_loop {
    uint8_t dim;
    uint64_t count, stride;
} reuse_spatial_loop;

/* A mapping's loop nest reduced to the products the counting rules need. */
typedef struct reuse_nest {
    int ndims, nlevels;
    const petal_mapping *m;
    /* Temporal loops with more than one iteration, outermost first; the loops
     * above level c are the first loops_above[c]. */
    int nloops;
    reuse_loop loops[PETAL_MAX_LEVELS * PETAL_MAX_DIMS];
    int loops_above[PETAL_MAX_LEVELS + 1];
    uint8_t nspatial[PETAL_MAX_LEVELS];
    reuse_spatial_loop spatial_loops[PETAL_MAX_LEVELS][2 * PETAL_MAX_DIMS];
    /* Extent of each dimension over level i's loops and everything inside them;
     * ext[nlevels] is all ones (a single MAC operation). */
    uint64_t ext[PETAL_MAX_LEVELS + 1][PETAL_MAX_DIMS];
    uint64_t spatial[PETAL_MAX_LEVELS][PETAL_MAX_DIMS]; /* spatial_x * spatial_y */
    uint64_t fanout[PETAL_MAX_LEVELS];                  /* product of a level's spatial factors */
    uint64_t instances[PETAL_MAX_LEVELS + 1];           /* utilised instances; [nlevels] = MACs */
    uint64_t steps_above[PETAL_MAX_LEVELS + 1];         /* product of temporal factors above */
    uint64_t iterations;                                /* all temporal factors: cycles per MAC */
    uint64_t used_x[PETAL_MAX_LEVELS], used_y[PETAL_MAX_LEVELS]; /* fan-out used per axis */
    bool overflow; /* a product of factors does not fit in 64 bits */
    /* How data space s's ranks move with the dimensions, two ways round:
     * each rank's terms (dimension, coefficient; a dimension named twice in a
     * rank is one term), and each dimension's ranks (rank, coefficient). */
    uint8_t nranks[PETAL_NUM_DS];
    uint8_t rank_nterms[PETAL_NUM_DS][PETAL_MAX_RANKS];
    uint8_t rank_dim[PETAL_NUM_DS][PETAL_MAX_RANKS][PETAL_MAX_TERMS];
    int64_t rank_coef[PETAL_NUM_DS][PETAL_MAX_RANKS][PETAL_MAX_TERMS];
    uint8_t dim_nranks[PETAL_NUM_DS][PETAL_MAX_DIMS];
    uint8_t dim_rank[PETAL_NUM_DS][PETAL_MAX_DIMS][PETAL_MAX_RANKS];
    int64_t dim_coef[PETAL_NUM_DS][PETAL_MAX_DIMS][PETAL_MAX_RANKS];
    bool coupled[PETAL_NUM_DS]; /* some dimension moves two ranks */
    /* Every level's tile of every data space, and its extent along each rank. */
    uint64_t tile[PETAL_NUM_DS][PETAL_MAX_LEVELS];
    uint64_t tile_ext[PETAL_NUM_DS][PETAL_MAX_LEVELS][PETAL_MAX_RANKS];
} reuse_nest;

/* Fill `n` from a mapping. The factors are not checked: ext[0] holds their
 * products per dimension (0 when a factor is 0; `overflow` set when one does
 * not fit), and the tiles are meaningful only once they match the bounds.
 * False when the problem or the level count is out of the range that
 * petal_problem_check and petal_arch_check accept (nothing else is checked). */
bool reuse_nest_init(reuse_nest *n, const petal_problem *p, const petal_mapping *m);

/* Words of data space s in the bounding box of the operations spanned by the
 * per-dimension extents `ext`; the extent of every rank goes to rank_ext when
 * it is not NULL. */
uint64_t reuse_tile_words(const reuse_nest *n, int s, const uint64_t *ext, uint64_t *rank_ext);

/* Words of data space s entering one instance of level c's tile over the
 * whole run (c >= 1): the first tile in full, then at every step of the loops
 * above c either the part not already held (the tile slid by the same
 * translation as at the previous step) or the whole tile (anything else).
 * False when the count, or a tile's translation, does not fit in 64 bits. */
bool reuse_words_entering(const reuse_nest *n, int s, int c, uint64_t *out);

/* Distinct groups among the spatial children of one instance of level i: the
 * children whose tiles of data space s coincide form one group (multicast for
 * reads, spatial reduction for Outputs). 1 when the level has no fan-out; 0
 * when counting them needed memory that could not be allocated (never for
 * offsets within a 65536-bit stack bitset in a data space whose dimensions
 * each move one rank). */
uint64_t reuse_spatial_groups(const reuse_nest *n, int s, int i);

/* Partition size of every level for data space s, from the tiles of every
 * level (tile[i]): the outermost level holds its whole tile; each level
 * inwards holds its parent's partition scaled by its tile over the tile its
 * parent's fan-out spans in one step (integer division, as Timeloop). */
void reuse_partitions(const reuse_nest *n, int s, const uint64_t *tile, uint64_t *partition);

#endif
