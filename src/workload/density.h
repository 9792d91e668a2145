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

/* ---- banded (Sparseloop's banded: a matrix, non-zero where the row and
 * column coordinates differ by at most band_width) ----
 *
 * Sparseloop's meaning, which petal keeps: a tile's expected occupancy is
 * its size times the matrix's density; its chance of holding k non-zeros is
 * the fraction of the tiles of its shape, laid over the matrix on an aligned
 * grid, that hold k; the room it needs (confidence 1) is the fullest such
 * tile's. A box is {rows, columns}: the extents along the data space's two
 * ranks. Tiles at the matrix's far edges are cut to what is left. */

/* Non-zeros of the box of `rows` x `cols` at (r0, c0) in a banded matrix. */
uint64_t density_banded_box_nnz(uint64_t band_width, uint64_t r0, uint64_t c0, uint64_t rows,
                                uint64_t cols);

/* The fraction of non-zeros of a banded matrix of tensor[0] x tensor[1]. */
double density_banded_fraction(uint64_t band_width, const uint64_t tensor[2]);

/* The aligned tiles of shape tile[] over a banded matrix. */
typedef struct banded_tiles {
    uint64_t tiles;   /* how many */
    uint64_t empty;   /* of which hold no non-zero */
    uint64_t max_nnz; /* the fullest one's non-zeros */
    double blocks;    /* sum over the tiles of ceil(non-zeros / block) */
    uint64_t max_sub; /* the most non-empty sub-boxes of shape sub[] (aligned
                         in the tile) one tile holds; 0 without sub */
} banded_tiles;

void density_banded_tiles(uint64_t band_width, const uint64_t tensor[2], const uint64_t tile[2],
                          uint64_t block, const uint64_t *sub, banded_tiles *out);

#endif
