/* petal/eyexam.h - Eyexam: how fast one layer can run on one architecture,
 * bounded in seven steps (Sze, Chen, Yang, Emer; docs/eyexam.md).
 *
 * Each step adds one more thing that can cap a layer's MACs per cycle and
 * keeps the bound of the step before when it caps nothing new, so the seven
 * bounds never increase:
 *   1. the layer's size and shape: every MAC at once (workload parallelism);
 *   2. the dataflow's loop nest: only the dimensions it may spread over the
 *      array run in parallel (dataflow parallelism);
 *   3. the number of PEs (MAC units);
 *   4. the array's physical dimensions: what fits across X and down Y, with a
 *      dimension folded over the array when it does not fit;
 *   5. storage capacity: the smallest tiles such a spread needs must fit in
 *      every level that has to keep them;
 *   6. average bandwidth (the roofline): every level with a bandwidth limit
 *      must move at least the distinct words it has to keep;
 *   7. instantaneous bandwidth: within a pass, what the PEs may not keep is
 *      delivered from outside them every cycle.
 * Every bound is computed from the layer, the architecture and the dataflow's
 * mapspace (petal/mapper.h); none is a table of numbers. The mapper's best
 * mapping can then be set against the seventh.
 *
 * Core API: needs only the core (petal_eyexam_bounds does no search).
 */
#ifndef PETAL_EYEXAM_H
#define PETAL_EYEXAM_H

#include <stdbool.h>
#include <stdint.h>

#include "petal/arch.h"
#include "petal/limits.h"
#include "petal/mapper.h"
#include "petal/problem.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PETAL_EYEXAM_STEPS 7

typedef struct petal_eyexam_step {
    int step;                       /* 1 to 7 */
    const char *name;               /* "layer size and shape", ... (static text) */
    double macs_per_cycle;          /* the bound after this step: min(cap, previous bound) */
    double cap;                     /* what this step alone allows */
    bool limiting;                  /* cap is below the previous step's bound */
    char limited_by[PETAL_WHY_MAX]; /* in words: what caps the bound at this step */
} petal_eyexam_step;

typedef struct petal_eyexam_result {
    char layer[PETAL_NAME_MAX];
    char arch[PETAL_NAME_MAX];
    char dataflow[16]; /* "" for the whole mapspace */
    uint64_t macs;     /* of the layer */
    uint64_t pes;      /* MAC units of the architecture */
    petal_eyexam_step steps[PETAL_EYEXAM_STEPS];

    /* The spread behind steps 4 to 7: spatial extent per problem dimension
     * (the product over the array's fan-outs) on X and on Y (1 = not spread); a
     * dimension folded over the array has an extent that does not divide
     * its bound. All 1 when no spread is possible. */
    uint64_t spread_x[PETAL_MAX_DIMS], spread_y[PETAL_MAX_DIMS];

    /* The mapper's best mapping, set by petal_eyexam or petal_eyexam_best. */
    bool searched;              /* a search result was set */
    bool best_found;            /* ... and it found a valid mapping */
    bool best_complete;         /* ... and proved it optimal in its mapspace */
    double best_macs_per_cycle; /* computes / cycles of that mapping */
    uint64_t best_cycles;

    /* Step 4 in PEs: the most PEs any spread the array's dimensions allow
     * occupies at once (the product of its extents: every PE of a full pass,
     * before a folded dimension's last, shorter pass); 0 when no spread is
     * possible or the spreads were not all counted. Published "active PEs"
     * figures count PEs this way. */
    uint64_t step4_pes;

    /* When searched and !best_found: why (no mapping exists, or the budget
     * ran out before one was found: petal_map_result.why). */
    char best_why[PETAL_WHY_MAX];
} petal_eyexam_result;

/* The seven bounds for layer p on architecture a under `dataflow` (NULL or ""
 * for the whole mapspace). No search: fast. Fails on an unknown dataflow
 * (PETAL_ENOTFOUND), or a problem or architecture that fails its checks. A
 * dataflow the architecture cannot hold for this layer is not a failure: the
 * step that rules it out has a bound of 0 and says why, and so do the later
 * ones. */
petal_status petal_eyexam_bounds(const petal_problem *p, const petal_arch *a, const char *dataflow,
                                 petal_eyexam_result *out);

/* Set the best mapping's figures from a search result (for example one that
 * petal_eval_network already made, so nothing is searched twice). */
void petal_eyexam_best(petal_eyexam_result *r, const petal_map_result *best);

/* The bounds, then petal_map with options o (its dataflow is the bounds'),
 * and the best mapping's MACs per cycle. A layer with no valid mapping is not
 * a failure: best_found is false. */
petal_status petal_eyexam(const petal_problem *p, const petal_arch *a, const petal_map_options *o,
                          petal_eyexam_result *out);

/* Step names, 1 to 7; NULL out of range. */
const char *petal_eyexam_step_name(int step);

#ifdef __cplusplus
}
#endif
#endif
