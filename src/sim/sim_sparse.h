/* sim_sparse.h - the reference simulator's sparse tensors and compressed
 * tiles: drawing a tensor from its density model, and counting the metadata
 * of a set of words encoded in a representation format (docs/sim.md). */
#ifndef PETAL_SIM_SPARSE_H
#define PETAL_SIM_SPARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "petal/sparse.h"

/* The shape of one tensor: ranks outermost first, the address of a point
 * being the sum of coordinate x stride. */
typedef struct sim_shape {
    int nranks;
    const int64_t *ext, *stride;
    uint64_t words;
} sim_shape;

/* Draw the values of a tensor: non-zeros from -7..-1 and 1..7, zeros where the
 * density model puts them (docs/sim.md). *rng is the xorshift state. Returns
 * false only when out of memory (hypergeometric needs a scratch array). */
bool sim_draw_tensor(const petal_density *d, const sim_shape *sh, int64_t *values, uint64_t *rng);

/* Whether a format drops zeros: one of its ranks is B, RLE or CP. */
bool sim_format_compresses(const petal_format *f);

/* Metadata values of the words at addr[0..n) (ascending) encoded as one
 * fibertree over their bounding box in format f; `values` gives which are
 * zero. */
uint64_t sim_format_metadata(const petal_format *f, const sim_shape *sh, const uint64_t *addr,
                             uint64_t n, const int64_t *values);

/* Metadata values read to locate one non-zero word: per rank, 1 for B, UB,
 * CP and RLE, 2 for UOP (its fiber's offsets), 0 for U. */
uint64_t sim_format_scalar_metadata(const petal_format *f);

#endif
