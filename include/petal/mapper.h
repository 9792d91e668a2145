/* petal/mapper.h - the best mapping of one layer on one architecture.
 *
 * The mapspace of a layer on an architecture is every way to split each
 * dimension's bound into factors over the storage levels (a temporal factor per
 * level and spatial X and Y factors per fan-out), to order each level's
 * temporal loops, and to keep or bypass each data space at each level, under
 * constraints: the architecture's (which data spaces a level may hold, its
 * capacity and fan-out), a named dataflow's, and a user's (Timeloop mapspace
 * constraints). Loop orders that give the same accesses are enumerated once.
 *
 * petal_map searches that space exhaustively with branch and bound: a partial
 * mapping (the inner levels decided) is dropped when a proven lower bound on
 * every completion of it is worse than the best mapping found so far. So the
 * result carries, beside the best mapping, a lower bound on the objective over
 * the whole mapspace: equal to the best when the search completed, below it when
 * a budget stopped the search (the gap). Among mappings with the same objective
 * value the one with the better other objective (cycles for energy, energy for
 * delay and EDP) wins, then the first in the mapspace's canonical order.
 *
 * Two budgets stop a search. The effort is counted in work, not time: partial
 * mappings bounded plus complete mappings evaluated. A search under an effort
 * is deterministic: the same mapping, figures and counts on any machine, under
 * any load and on any number of threads (docs/dataflows.md, "Threads and
 * determinism", says how). The time limit (budget_seconds) is a safety net:
 * when it cuts a search, the answer depends on the machine, and the result
 * says so (stopped_by).
 */
#ifndef PETAL_MAPPER_H
#define PETAL_MAPPER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "petal/arch.h"
#include "petal/limits.h"
#include "petal/mapping.h"
#include "petal/model.h"
#include "petal/problem.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Mapspace constraints (petal/constraints.h); only a pointer is needed here. */
typedef struct petal_constraints petal_constraints;

typedef enum petal_objective {
    PETAL_OBJECTIVE_ENERGY, /* pJ */
    PETAL_OBJECTIVE_DELAY,  /* cycles */
    PETAL_OBJECTIVE_EDP     /* pJ x cycles */
} petal_objective;

/* "energy", "delay", "edp". */
const char *petal_objective_name(petal_objective objective);
/* Parse one of those names; false if unknown. */
bool petal_objective_parse(const char *name, petal_objective *out);

/* --- dataflows: named constraint sets (docs/dataflows.md) --- */

/* The named dataflows, in a stable order: ws, os, is, rs, nlr, then the ISCA 2016
 * study's three output-stationary variants os_a, os_b, os_c. */
size_t petal_dataflow_count(void);
const char *petal_dataflow_name(size_t i);
const char *petal_dataflow_description(size_t i);
/* True when `name` is a known dataflow (case-insensitive). */
bool petal_dataflow_known(const char *name);
/* Every dataflow's name, in that order, comma-separated into buf (cut short,
 * still terminated, when size is too small: 64 bytes hold them all), for
 * messages that list the choices. */
void petal_dataflow_names(char *buf, size_t size);

/* --- search --- */

/* The effort `petal map` and `petal eval` use when none is given: about 1 to
 * 3 s per layer on one thread of this project's machines (bench_mapper prints
 * it), proving AlexNet's conv1 and fc layers on eyeriss-v1 optimal. */
#define PETAL_MAP_DEFAULT_EFFORT UINT64_C(2000000)

typedef struct petal_map_options {
    petal_objective objective;
    const char *dataflow;                 /* NULL: the whole mapspace */
    const petal_constraints *constraints; /* NULL: none beyond the architecture's */
    unsigned threads;                     /* 0 or 1: the calling thread only */
    /* The deterministic budget: at most about this many partial mappings
     * bounded plus complete mappings evaluated, over the whole search;
     * 0: no limit. */
    uint64_t effort;
    double budget_seconds; /* wall-clock safety net; < 0: no limit; 0: only the first bound */
    /* Constraints written for an architecture rather than a layer (their
     * dimensions are named, so they are resolved per layer): when set and
     * `constraints` is NULL, petal_map calls it with the layer and a c that
     * petal_constraints_init has set up for a, and searches under what it
     * adds. It returns PETAL_OK or a failure status, as an int; a failure, with its
     * message, is petal_map's. petal_eval_network so constrains every layer.
     * NULL: none. */
    int (*constraints_for)(void *ctx, const petal_problem *p, const petal_arch *a,
                           petal_constraints *c);
    void *constraints_ctx;
} petal_map_options;

/* Energy objective, whole mapspace, one thread, no effort limit, no time
 * limit (a search that runs until its best is proven). */
void petal_map_options_init(petal_map_options *o);

/* What stopped a search before it covered the whole mapspace. */
typedef enum petal_map_limit {
    PETAL_LIMIT_NONE,   /* nothing: the search completed */
    PETAL_LIMIT_EFFORT, /* the effort ran out (deterministic) */
    PETAL_LIMIT_TIME    /* the time limit cut it (depends on the machine) */
} petal_map_limit;

/* "none", "effort", "time". */
const char *petal_map_limit_name(petal_map_limit limit);

typedef struct petal_map_result {
    bool found;                 /* a valid mapping was found */
    bool complete;              /* the whole mapspace was searched: the best is optimal */
    petal_mapping mapping;      /* the best mapping (when found) */
    petal_model_result stats;   /* its evaluation */
    double objective;           /* its objective value */
    double lower_bound;         /* no mapping in the mapspace has a smaller objective */
    uint64_t evaluated;         /* complete mappings evaluated by the model */
    uint64_t bounded;           /* partial mappings whose lower bound was computed */
    uint64_t pruned;            /* partial mappings dropped by their bound */
    petal_map_limit stopped_by; /* what cut the search (PETAL_LIMIT_NONE when complete) */
    double seconds;             /* wall time of the search */
    double found_seconds;       /* when a mapping as good as the best was first found,
                                   from the start */
    char why[PETAL_WHY_MAX];    /* when !found: why there is no valid mapping */
} petal_map_result;

/* Search the mapspace of problem p on architecture a. Finding no valid mapping
 * is not a failure: the call returns PETAL_OK with out->found false and `why`
 * saying what cannot be satisfied (a tile that fits no buffer, a dataflow the
 * array cannot hold, a budget that ran out first). Only bad arguments fail:
 * an unknown dataflow (PETAL_ENOTFOUND), a problem or architecture that fails
 * its checks, constraints for another architecture (PETAL_EINVAL). */
petal_status petal_map(const petal_problem *p, const petal_arch *a, const petal_map_options *o,
                       petal_map_result *out);

/* The gap between the best mapping and the lower bound, relative to the best
 * (0 when the search completed); 1 when nothing was found. */
double petal_map_gap(const petal_map_result *r);

/* The objective value of a model result. */
double petal_objective_value(petal_objective objective, const petal_model_result *r);

#ifdef __cplusplus
}
#endif
#endif
