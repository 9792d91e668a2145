/* model/sparse.h - the sparse part of the analytical model (library-internal):
 * compressed tiles, gating and skipping of accesses, metadata traffic and
 * compute gating or skipping, applied to the dense counts of model.c.
 * docs/sparsity.md states the rules. */
#ifndef PETAL_MODEL_SPARSE_H
#define PETAL_MODEL_SPARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "petal/arch.h"
#include "petal/mapping.h"
#include "petal/model.h"
#include "petal/problem.h"

#include "model/reuse.h"

enum { SPARSE_READ, SPARSE_FILL, SPARSE_UPDATE, SPARSE_ACTIONS };

/* Per instance, for one data space at one level. */
typedef struct sparse_counts {
    uint64_t algorithmic[SPARSE_ACTIONS];
    uint64_t gated[SPARSE_ACTIONS];
    uint64_t skipped[SPARSE_ACTIONS];
    uint64_t metadata[SPARSE_ACTIONS];      /* metadata units moved */
    uint64_t metadata_bits[SPARSE_ACTIONS]; /* and their bits */
    uint64_t gated_metadata_bits[SPARSE_ACTIONS];
    uint64_t decompressions, compressions; /* values (de)compressed on the way in/out */
} sparse_counts;

typedef struct sparse_state {
    sparse_counts c[PETAL_MAX_LEVELS][PETAL_NUM_DS];
} sparse_state;

/* True when the problem has a data space with zeros (a density below 1);
 * false means the dense model alone, exactly as before, whatever sparse
 * features the architecture has: with no zeros they change nothing. */
bool model_sparse_active(const petal_problem *p, const petal_arch *a);

/* PETAL_OK when the sparse model takes p's density models: a banded data
 * space must be a matrix (petal_problem_banded_check). */
petal_status model_sparse_check(const petal_problem *p);

/* A data space with no density model is stored and moved uncoded, whatever
 * format a level gives it (docs/sparsity.md, "Differences"): when a has such
 * formats, *copy becomes a without them and the call returns true. */
bool model_sparse_uncoded(const petal_problem *p, const petal_arch *a, petal_arch *copy);

/* Data words and metadata bits of level l's tile of data space s (per
 * instance) as stored: compressed when the level has a format for s. */
void model_sparse_tile(const petal_problem *p, const petal_arch *a, const reuse_nest *n, int l,
                       int s, uint64_t *data_words, uint64_t *metadata_bits);

/* Vector accesses of a compressed tile per naive ceil(count / block): 1,
 * or more when a level with blocks of several words holds a tile so small
 * and sparse that a block is rarely full (Sparseloop's rule, with its
 * threshold table; docs/sparsity.md). */
double model_sparse_vector_ratio(const petal_problem *p, const petal_arch *a, const reuse_nest *n,
                                 int l, int s);

/* Turn the dense per-instance counts of out (reads_per_instance, ...) into
 * actual ones, keeping the algorithmic, gated and skipped ones and the
 * metadata traffic in *st, and set out's actual, gated and skipped computes.
 * Fails (PETAL_EINVAL) when an optimization targets a data space no level at
 * or above it keeps. */
petal_status model_sparse_apply(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                                const reuse_nest *n, petal_model_result *out, sparse_state *st);

#endif
