/* mapper/mapspace.h - the mapspace of one layer on one architecture, as the
 * search sees it (library-internal).
 *
 * Every restriction on a mapping, whatever its source (the architecture, a named
 * dataflow, Timeloop constraints), is folded into one mapspace: per level, which
 * factors each dimension may take (temporally, and spatially on X and on Y), which
 * loop orders are allowed, and which data spaces may or must be kept. The search
 * enumerates exactly this set.
 */
#ifndef PETAL_MAPPER_MAPSPACE_H
#define PETAL_MAPPER_MAPSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "petal/arch.h"
#include "petal/mapper.h"
#include "petal/problem.h"

#define MS_DIM_MASK(d) ((uint8_t)(1u << (d)))

typedef struct ms_level {
    bool storage;                /* stores data (class other than none) */
    uint64_t depth;              /* words per instance; 0 = unbounded */
    uint32_t fanout_x, fanout_y; /* the fan-out below this level */

    /* Factor limits per dimension: 0 means free (exact) or unbounded (max). */
    uint64_t t_exact[PETAL_MAX_DIMS], t_max[PETAL_MAX_DIMS];
    uint64_t s_exact[PETAL_MAX_DIMS], s_max[PETAL_MAX_DIMS]; /* X * Y together */
    uint8_t x_dims, y_dims; /* dimensions that may be spatial on X, on Y */

    uint8_t keep_allowed;  /* data spaces the level may keep */
    uint8_t keep_required; /* ... and must keep (a subset) */

    /* Loop order: `inner` dims must be the innermost loops (innermost first),
     * `outer` the outermost (outermost last), among loops with a factor above 1. */
    uint8_t inner[PETAL_MAX_DIMS], n_inner;
    uint8_t outer[PETAL_MAX_DIMS], n_outer;
} ms_level;

/* The dimensions with a nonzero coefficient and a bound above 1 in one rank of
 * a data space; `alone`: one such dimension, appearing in no other rank;
 * `independent`: none of them appears in another rank. */
typedef struct ms_rank {
    int n;
    int dims[PETAL_MAX_DIMS];
    bool alone;
    bool independent;
} ms_rank;

typedef struct mapspace {
    const petal_problem *p;
    /* What the search prunes and bounds with: the architecture itself, or for
     * a layer with word widths a relaxation of it (ms_relax_widths) on which
     * no mapping costs more or needs more room than on the real one. */
    const petal_arch *a;
    const petal_arch *exact; /* what every complete mapping is evaluated on */
    int nlevels, ndims;
    ms_level lv[PETAL_MAX_LEVELS];
    /* Product of a dimension's spatial Y factors over all levels: 0 = free
     * (row stationary puts all filter rows on Y). */
    uint64_t y_total_exact[PETAL_MAX_DIMS];
    double min_utilization; /* fraction of the MACs; 0 = none */
    char conflict[160];     /* constraints that contradict each other, or "" */
    char dataflow[16];      /* "" for the whole mapspace */
    /* Search order: every fan-out before any level (true), or each fan-out
     * when the search reaches its level, innermost first (false). */
    bool spatial_first;
    /* Whether a fan-out may take a dimension imperfectly (mapper/choices.c).
     * Off by default: the bound of such branches (the first part of the
     * imperfect loop, mapper/bound.c) is too weak yet to keep the default
     * searches proving their optima within the effort (docs/model.md). */
    bool imperfect;

    /* Per data space: the dimensions it depends on (bit d), and those of them
     * that share a coordinate with another dimension of bound > 1 (a sliding
     * window: an input row is stride * P + R). */
    uint8_t relevant[PETAL_NUM_DS];
    uint8_t sliding[PETAL_NUM_DS];
    /* Per data space: distinct words the layer touches (every keeper must
     * take each of them in at least once). */
    double wmin[PETAL_NUM_DS];
    /* coef[s][r][d]: how far rank r of data space s moves per step of d. */
    int64_t coef[PETAL_NUM_DS][PETAL_MAX_RANKS][PETAL_MAX_DIMS];
    /* Per data space and rank, what the bounds (bound.c) ask of every
     * partial mapping, worked out once here. */
    ms_rank ranks[PETAL_NUM_DS][PETAL_MAX_RANKS];
    /* Word widths (docs/precision.md): the bounds price an access of data
     * space s at level l at most this share of a word's energy, the
     * narrowest width s can take there over the level's word (1 without
     * widths, and never above 1). */
    double width_scale[PETAL_MAX_LEVELS][PETAL_NUM_DS];
} mapspace;

/* The unconstrained mapspace of p on a: factors free, every order, keeps as the
 * architecture allows (DRAM-class and outermost levels must keep everything;
 * storage-less levels keep nothing and carry no temporal loops). */
void ms_init(mapspace *ms, const petal_problem *p, const petal_arch *a);

/* Point ms at p, a layer of the same shape whose bounds differ (the first
 * part of an imperfect loop, mapper/bound.c): what ms keeps of the bounds
 * follows; the constraints stay. */
void ms_set_problem(mapspace *ms, const petal_problem *p);

/* For a layer with word widths, a copy of `a` the bounds and capacity pruning
 * can use unchanged: each level as deep and its bandwidths as fast as if
 * every value were as narrow as the narrowest data space it may keep (never
 * more than the level's own word), the network likewise, the MACs at the
 * layer's energy (docs/precision.md). Accesses are priced per data space
 * through width_scale. Returns false, leaving
 * *out alone, when p gives no widths. */
bool ms_relax_widths(const petal_problem *p, const petal_arch *a, petal_arch *out);

/* The search's energy bound charges hop_pj per word delivered to a child.
 * Where a level forwards a data space (docs/systolic.md), a delivery is a
 * network entry at hop_pj or a neighbour hop at forward_pj, and a chain of k
 * children makes at least k of them; so a copy whose hop_pj is the smaller of
 * the two, at every level that forwards, keeps the bound below every
 * mapping's energy. Returns false, leaving *out alone, when nothing forwards. */
bool ms_relax_forwarding(const petal_arch *a, petal_arch *out);

/* Restrict ms to a named dataflow (mapper/dataflow.c). Returns false with `why`
 * set when the architecture cannot hold the dataflow for this layer. An unknown
 * name is the caller's to reject first (petal_dataflow_known). */
bool ms_apply_dataflow(mapspace *ms, const char *name, char *why, size_t why_size);

/* Restrict ms with user constraints (mapper/ms_constraints.c). Fails with
 * PETAL_EINVAL when they are for another architecture. */
petal_status ms_apply_constraints(mapspace *ms, const petal_constraints *c);

/* Cheap checks that no mapping can exist (an exact factor that does not divide
 * a bound, spatial demands above a fan-out, a required keep the level may not
 * hold). Returns false with `why` set. */
bool ms_feasible(const mapspace *ms, char *why, size_t why_size);

/* Whether dimension d may take temporal factor f at level l, spatial f, ... */
static inline bool ms_temporal_ok(const ms_level *lv, int d, uint64_t f)
{
    if (lv->t_exact[d] && f != lv->t_exact[d])
        return false;
    return !lv->t_max[d] || f <= lv->t_max[d];
}

static inline bool ms_spatial_ok(const ms_level *lv, int d, uint64_t f)
{
    if (lv->s_exact[d] && f != lv->s_exact[d])
        return false;
    return !lv->s_max[d] || f <= lv->s_max[d];
}

#endif
