/* model/split.h - imperfect factors the model counts (library-internal): an
 * imperfect outermost loop splits the run into two perfect nests, counted
 * apart and joined at the one step between them (docs/model.md, "Imperfect
 * factors"). */
#ifndef PETAL_MODEL_SPLIT_H
#define PETAL_MODEL_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "petal/arch.h"
#include "petal/mapping.h"
#include "petal/problem.h"

#include "model/reuse.h"

typedef struct model_split {
    int dim;                   /* the imperfect dimension d */
    uint64_t outer;            /* f: the factor of its loop L, the outermost of the nest */
    uint64_t inner;            /* t: the product of d's factors inside L */
    petal_problem pa;          /* the first f - 1 iterations of L: d's bound (f - 1) t */
    petal_problem pb;          /* the last: d's bound r = B - (f - 1) t */
    petal_mapping ma;          /* L at f - 1 */
    petal_mapping mb;          /* L at 1, the next loop of d inside it at q = r / (its tile) */
    bool shared[PETAL_NUM_DS]; /* d does not index s: both parts handle the same words */
} model_split;

/* Whether m, whose only imperfect dimension is d (outermost factor f above 1,
 * product t inside it), takes the form the model counts; fills sp, or writes
 * a sentence saying what is not counted yet into why. */
bool split_plan(const petal_problem *p, const petal_arch *a, const petal_mapping *m, int d,
                uint64_t f, uint64_t t, model_split *sp, char *why, size_t len);

/* Words fewer (negative: more) entering one instance of keeper c (c >= 1) of
 * data space s that runs in both parts than the two parts count apart: the
 * step of L between them slides or reloads by the rule of docs/model.md, and
 * the second part's first move follows from it. False when that first move
 * starts a slide/reload pattern the parts' own counts cannot follow (the
 * innermost loop of the second part has two iterations); not counted yet. */
bool split_correction(const model_split *sp, const reuse_nest *na, const reuse_nest *nb, int s,
                      int c, int64_t *corr);

#endif
