/* mapper/local.h - iterated local search over complete mappings: a good
 * incumbent fast, for branch and bound to prune with (library-internal).
 *
 * Branch and bound spends its time bounding partial mappings and evaluates few
 * complete ones, so on a large mapspace its first incumbents can be poor for
 * long. The model itself is cheap (about a million evaluations a second), so a
 * walk over complete mappings, moving one prime factor, swapping two loops or
 * toggling one keep at a time, finds a good mapping in a fraction of a second.
 * It only proposes an incumbent: what is optimal is still decided by the
 * complete search, so the answer of a finished search does not depend on it.
 */
#ifndef PETAL_MAPPER_LOCAL_H
#define PETAL_MAPPER_LOCAL_H

#include <stdbool.h>
#include <stdint.h>

#include "mapper/mapspace.h"
#include "petal/mapper.h"

/* Whether the complete mapping m is in ms: every factor, spatial axis, keep
 * and loop order allowed, and the factors of each dimension multiply to its
 * bound. (Capacities are the model's to check.) */
bool ms_contains(const mapspace *ms, const petal_mapping *m);

typedef struct local_config {
    petal_objective objective;
    /* Threads (0 or 1: the calling thread). */
    unsigned threads;
    /* Independent walks, each from its own seed, shared among the threads;
     * 0: one per thread. A fixed count makes the result independent of the
     * thread count (with max_moves and no deadline). */
    unsigned walks;
    /* Moves tried per walk (each is evaluated unless it leaves the
     * mapspace); 0: no limit, and then a deadline or patience is needed. */
    uint64_t max_moves;
    /* Per walk: stop after this many moves that did not improve its best;
     * 0: no limit. */
    uint64_t patience;
    /* Wall-time limit; < 0: none. */
    double seconds;
    uint64_t seed;
} local_config;

/* Walk from the valid mapping *m (with its evaluation *r) and replace both by
 * the best mapping found, when better. Returns the number of evaluations, or
 * fails (out of memory, a model error). */
petal_status local_search(const mapspace *ms, const local_config *cfg, petal_mapping *m,
                          petal_model_result *r, uint64_t *evaluations);

#endif
