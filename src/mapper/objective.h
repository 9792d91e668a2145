/* mapper/objective.h - what the mapper minimises and how two mappings or two
 * results compare (library-internal): the one place that says so.
 *
 * A mapping is ranked by its score: the objective (energy, cycles or EDP),
 * then a tie-break (cycles for energy, energy for delay and EDP), then
 * search_mapping_cmp (mapper/search.h). The search, its bounds, the local
 * walks and petal_map all rank with the functions below.
 */
#ifndef PETAL_MAPPER_OBJECTIVE_H
#define PETAL_MAPPER_OBJECTIVE_H

#include <stdbool.h>

#include "petal/mapper.h"
#include "petal/model.h"

/* What mappings are ranked by: the objective, then a tie-break. */
typedef struct score {
    double p; /* the objective */
    double s; /* the tie-break */
} score;

/* A mapping's score. */
score score_of(petal_objective obj, const petal_model_result *r);

/* Whether a is worse than b (lexicographically greater). */
static inline bool score_worse(score a, score b)
{
    return a.p > b.p || (a.p == b.p && a.s > b.s);
}

/* -1, 0 or 1 as a is better than, ties with or is worse than b. */
static inline int score_cmp(score a, score b)
{
    if (a.p != b.p)
        return a.p < b.p ? -1 : 1;
    if (a.s != b.s)
        return a.s < b.s ? -1 : 1;
    return 0;
}

/* The worse of a and b (a when they tie). */
static inline score score_max(score a, score b)
{
    return score_cmp(a, b) >= 0 ? a : b;
}

/* Bounds on energy and cycles as a score; energy is shaved by 1e-9 so that
 * rounding never puts it above a mapping's exact value. */
static inline score score_bound(petal_objective obj, double energy, double cycles)
{
    const double shave = 1.0 - 1e-9;
    switch (obj) {
    case PETAL_OBJECTIVE_ENERGY:
        return (score){energy * shave, cycles};
    case PETAL_OBJECTIVE_DELAY:
        return (score){cycles, energy * shave};
    case PETAL_OBJECTIVE_EDP:
        return (score){energy * cycles * shave, energy * shave};
    }
    return (score){0, 0};
}

/* r's score as {objective, tie-break}: the form search_config.threshold takes. */
void score_pair(petal_objective obj, const petal_model_result *r, double *out);

/* Whether search result a ranks before b: objective, then cycles or energy,
 * then the canonical order of their mappings. */
bool result_better(petal_objective obj, const petal_map_result *a, const petal_map_result *b);

#endif
