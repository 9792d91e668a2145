/* mapper/search.h - branch and bound over a mapspace (library-internal). */
#ifndef PETAL_MAPPER_SEARCH_H
#define PETAL_MAPPER_SEARCH_H

#include <stdbool.h>

#include "mapper/mapspace.h"
#include "petal/mapper.h"

typedef struct search_config {
    petal_objective objective;
    unsigned threads;      /* 0 or 1: the calling thread */
    double budget_seconds; /* < 0: none */
    /* Bounds plus evaluations; 0: none. With an effort the search runs in
     * deterministic rounds (search.c) and its result does not depend on the
     * threads or the clock, unless budget_seconds cuts it. */
    uint64_t effort;
    /* For tests: enumerate every permutation instead of one order per class,
     * and evaluate every valid mapping instead of pruning. */
    bool all_orders;
    bool no_pruning;
    /* For tests: also enumerate loops at a level that keeps nothing when they
     * could sit at the level above (the same accesses either way). */
    bool split_loops;
    /* Prune as if a mapping with this score had been found already (NULL:
     * none). The search then finds every mapping at least as good. */
    const double *threshold; /* {objective, tie-break} */
    /* For tests: called (under a lock) with every mapping evaluated. */
    void (*on_eval)(void *ctx, const petal_mapping *m, const petal_model_result *r);
    void *eval_ctx;
} search_config;

/* Search ms. Fills out (found, complete, mapping, stats, objective,
 * lower_bound, counts, stopped_by, seconds); `why` is left for the caller to explain an
 * empty result. Fails only when memory runs out or the model rejects its
 * arguments. */
petal_status search_run(const mapspace *ms, const search_config *cfg, petal_map_result *out);

/* Compare two mappings in the mapspace's canonical order (<0, 0, >0): the tie
 * break that makes the answer independent of the thread count. */
int search_mapping_cmp(const petal_mapping *a, const petal_mapping *b);

#endif
