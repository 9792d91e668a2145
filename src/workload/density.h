/* workload/density.h - the density models' arithmetic (library-internal):
 * what a tile of a data space holds under each model of petal/sparse.h, as
 * Sparseloop's density models define it (docs/sparsity.md). */
#ifndef PETAL_WORKLOAD_DENSITY_H
#define PETAL_WORKLOAD_DENSITY_H

#include <stdbool.h>
#include <stdint.h>

#include "petal/sparse.h"

/* The fraction of non-zeros: 1 for a dense data space. */
double density_of(const petal_density *d);

/* The fraction of a tensor of `tensor` values that is non-zero: density_of,
 * except for a hypergeometric tensor, which holds ceil(d x tensor) non-zeros
 * (the count its emptiness probabilities use; Sparseloop counts accesses with
 * d itself, docs/sparsity.md says why petal does not). */
double density_expected(const petal_density *d, uint64_t tensor);

/* True when the model says every value may be non-zero. */
bool density_is_dense(const petal_density *d);

/* Probability that a tile of `shape` values of a tensor of `tensor` values
 * holds no non-zero at all. fixed_structured: a tile holds floor or ceil of
 * shape x density non-zeros, ceil with the fractional part's probability, so
 * it is empty only when shape x density < 1, with probability 1 - shape x
 * density; hypergeometric: ceil(density x tensor) non-zeros placed at random,
 * C(tensor - nnz, shape) / C(tensor, shape); dense: 0. */
double density_prob_empty(const petal_density *d, uint64_t shape, uint64_t tensor);

/* The most non-zeros a tile of `shape` values holds (what its compressed
 * form must make room for): fixed_structured ceil(shape x density);
 * hypergeometric min(shape, ceil(density x tensor)); dense shape. */
uint64_t density_max_occupancy(const petal_density *d, uint64_t shape, uint64_t tensor);

/* Probability that a tile of `shape` values holds exactly `nonzeros`
 * non-zeros. */
double density_occupancy_prob(const petal_density *d, uint64_t shape, uint64_t tensor,
                              uint64_t nonzeros);

#endif
