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

/* A format laid over a level's tile as Sparseloop lays it (docs/sim.md):
 * rank r takes the r-th loop over the data space's dimensions inside the
 * tile, outermost first; a rank left without a loop has one coordinate. */
typedef struct sim_rank_plan {
    int nranks;
    uint8_t format[PETAL_MAX_FORMAT_RANKS];
    uint64_t fiber[PETAL_MAX_FORMAT_RANKS]; /* coordinates per fiber */
    int dim[PETAL_MAX_FORMAT_RANKS];        /* the loop's dimension; -1: none */
    /* Operations of one element of rank r along each dimension of the problem. */
    uint64_t element[PETAL_MAX_FORMAT_RANKS][PETAL_MAX_DIMS];
} sim_rank_plan;

/* How a data space's ranks follow the problem's dimensions (its projection). */
typedef struct sim_projection {
    int nranks;
    int nterms[PETAL_MAX_RANKS];
    int dim[PETAL_MAX_RANKS][PETAL_MAX_TERMS];
    int64_t coef[PETAL_MAX_RANKS][PETAL_MAX_TERMS];
} sim_projection;

/* Metadata units (metadata plus payload, Sparseloop's units) of the tile
 * whose data begins at coordinates lo, encoded by plan on the actual values:
 * per rank, with F the non-empty fibers and E the non-empty elements, UOP
 * F x (fiber + 1), CP and RLE 2 E, B F x fiber + E, UB 2 x fibers x fiber;
 * a rank of one coordinate other than the outermost holds nothing, and the
 * innermost rank that holds something has no payload (it is the data). */
uint64_t sim_tile_metadata(const sim_rank_plan *plan, const sim_projection *proj,
                           const sim_shape *sh, const int64_t *lo, const int64_t *values);

#endif
