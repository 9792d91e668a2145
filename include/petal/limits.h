/* petal/limits.h - every fixed size in the public structs, in one place.
 *
 * The public structs hold their names, messages and lists in fixed-size arrays,
 * so that a problem, an architecture or a result can be copied by assignment and
 * kept on the stack. Each size is named here. A name limit counts the
 * terminating NUL: a name keeps at most LIMIT - 1 characters. Readers and
 * constructors never truncate: an input that exceeds a limit fails with a
 * message that names the limit (docs/formats.md).
 *
 * Study-only sizes (the Eyeriss row-stationary studies) are in petal/study.h.
 */
#ifndef PETAL_LIMITS_H
#define PETAL_LIMITS_H

#include <stdint.h>

/* Loop dimensions of one problem (petal_problem.bounds, dim_names). */
#define PETAL_MAX_DIMS 8
/* Coordinates (ranks) of one data space (petal_dataspace.ranks). */
#define PETAL_MAX_RANKS 6
/* Terms coef * dim of one coordinate (petal_rank.terms). */
#define PETAL_MAX_TERMS 3
/* Data spaces of a problem: Weights, Inputs, Outputs (petal_dataspace_id). */
#define PETAL_DATASPACES 3
/* Storage levels of one architecture, DRAM included (petal_arch.levels), and so
 * the levels of a mapping and of a model result. */
#define PETAL_MAX_LEVELS 10

/* Names of layers, networks, architectures, storage levels and MAC units, with
 * the NUL (petal_problem.name, petal_network.name, petal_arch.name,
 * petal_level.name, petal_arith.name). */
#define PETAL_NAME_MAX 64
/* Names of loop dimensions ("N", "M", "C", ...), with the NUL
 * (petal_problem.dim_names). */
#define PETAL_DIM_NAME_MAX 8
/* Names of data spaces as the source calls them ("Weights", "ifmap", ...), with
 * the NUL (petal_dataspace.name). */
#define PETAL_DS_NAME_MAX 32
/* Sentences that say why a mapping is invalid or why none was found, with the
 * NUL (petal_model_result.why, petal_map_result.why). One size for both, so that
 * a model's reason copied into a mapper result is never cut. These are messages
 * for people, written by petal itself: a longer one is shortened, not an error. */
#define PETAL_WHY_MAX 256

/* Capacity ranges of one energy table (petal_energy_table.anchors). */
#define PETAL_ENERGY_MAX_POINTS 4

/* Largest size, stride, padding or channel count a constructor accepts (2^31 - 1). */
#define PETAL_BOUND_MAX ((int64_t)2147483647)

#endif
