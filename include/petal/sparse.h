/* petal/sparse.h - sparsity: how dense each data space is, how a level
 * stores it, and which actions a level gates or skips on zeros.
 *
 * Three pieces, each optional and each following Sparseloop's meaning
 * (Timeloop v3; docs/sparsity.md says where petal differs and why):
 *
 *   - a density model per data space of a problem (petal_problem.density):
 *     dense, fixed_structured, hypergeometric or banded;
 *   - a representation format per data space at a storage level, rank by
 *     rank from the outermost (petal_level.sparse.format): uncompressed (U),
 *     bitmask (B), run-length (RLE), coordinate payload (CP), uncompressed
 *     offset pairs (UOP); the compressed tile (data and metadata) counts
 *     against the level's capacity and drives its traffic;
 *   - action optimizations per level (petal_level.sparse.opts): gating or
 *     skipping of a target data space's accesses conditioned on the zeros of
 *     others, and at the MACs (petal_arith.sparse) compute gating or skipping.
 *
 * Every field zero means dense and unoptimised: a problem and an
 * architecture that never mention sparsity give exactly the dense model's
 * numbers. The types live here so that petal/problem.h and petal/arch.h can
 * hold them; the functions that need a problem or an architecture are
 * declared there.
 */
#ifndef PETAL_SPARSE_H
#define PETAL_SPARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "petal/error.h"
#include "petal/limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- density models ---- */

typedef enum petal_density_kind {
    PETAL_DENSITY_DENSE = 0,        /* every value may be non-zero (the default) */
    PETAL_DENSITY_FIXED_STRUCTURED, /* every tile holds exactly density x its size non-zeros,
                                       as N:M structured sparsity does */
    PETAL_DENSITY_HYPERGEOMETRIC,   /* density x the tensor's size non-zeros, placed uniformly at
                                       random over the whole tensor */
    PETAL_DENSITY_BANDED,           /* a matrix (two ranks, each one dimension) whose
                                       non-zeros lie within band_width of its diagonal
                                       (Sparseloop's banded); density is not used */
} petal_density_kind;

typedef struct petal_density {
    uint8_t kind;        /* petal_density_kind */
    double density;      /* fraction of non-zero values, 0 to 1; 1 for DENSE */
    uint64_t band_width; /* BANDED only */
} petal_density;

/* "dense", "fixed_structured", "hypergeometric", "banded". */
const char *petal_density_kind_name(int kind);

/* Parse a distribution name as Sparseloop writes it (fixed_structured,
 * fixed-structured, hypergeometric, banded) or "dense"; false if unknown. */
bool petal_density_kind_parse(const char *s, int *kind);

/* A density a user gives (docs/densities.md): a number from 0 to 1, which is a
 * fixed_structured density as in Sparseloop (a plain number in a Timeloop
 * problem's `densities:` is fixed_structured); "dense"; or DISTRIBUTION:DENSITY
 * with fixed_structured (also fixed-structured, fixed) or hypergeometric
 * ("hypergeometric:0.35"). banded is refused here (its density follows from
 * a band width; Timeloop problem files give it). PETAL_EINVAL with a message
 * saying what was expected otherwise. "dense" reads as {DENSE, 1}. */
petal_status petal_density_parse_value(const char *text, petal_density *out);

/* Parse a list such as "Weights=0.35,Inputs=hypergeometric:0.6" into out
 * (indexed by data space: Weights, Inputs, Outputs), setting only the data
 * spaces it names (each once; others keep their value). Names as
 * petal_precision_index takes them (Weights, Inputs, ifmap, ...; not Psums).
 * PETAL_EINVAL naming the item otherwise; out is unchanged on failure. */
petal_status petal_density_parse(const char *text, petal_density out[PETAL_DATASPACES]);

/* PETAL_OK when d is a known kind with a density in [0, 1]; PETAL_EINVAL
 * with a message saying which otherwise. */
petal_status petal_density_check(const petal_density *d);

/* True when d says anything: not the all-zero "not given". */
bool petal_density_given(const petal_density *d);

/* The expected fraction of non-zero values: 1 for dense, the density for
 * fixed_structured and hypergeometric; NaN for banded (it depends on the
 * matrix's shape: petal_problem_density_fraction knows it). */
double petal_density_fraction(const petal_density *d);

/* ---- representation formats ---- */

typedef enum petal_rank_format {
    PETAL_FORMAT_U = 0, /* uncompressed: no metadata, zeros stored */
    PETAL_FORMAT_B,     /* bitmask: one bit per coordinate, non-zeros stored */
    PETAL_FORMAT_RLE,   /* run-length: a run (zeros skipped) per non-zero */
    PETAL_FORMAT_CP,    /* coordinate payload: a coordinate per non-zero */
    PETAL_FORMAT_UOP,   /* uncompressed offset pairs: a start and end offset per fiber */
    PETAL_FORMAT_UB,    /* uncompressed bitmask: a bit per coordinate, zeros stored */
    PETAL_NUM_FORMATS
} petal_rank_format;

/* "U", "B", "RLE", "CP", "UOP", "UB". */
const char *petal_rank_format_name(int format);

/* Parse a format name as Sparseloop writes it (U, B, RLE, CP, UOP, UB, in
 * any case; also "uncompressed", "bitmask", ...); false if unknown. */
bool petal_rank_format_parse(const char *s, int *format);

/* One rank of a format, outermost first. A rank covers the problem
 * dimensions in dim_mask (Sparseloop's flattened_rankIDs); a mask of 0 means
 * the rank of the same position in the data space's own ranks, counted from
 * the innermost. */
typedef struct petal_format_rank {
    uint8_t format;             /* petal_rank_format */
    uint8_t metadata_word_bits; /* bits of one metadata value; 0 = the level's
                                   metadata_word_bits, or as Sparseloop derives it */
    uint8_t payload_word_bits;  /* bits of one payload value; 0 = as Sparseloop derives it */
    uint16_t dim_mask;          /* bit d: problem dimension d is flattened into this rank */
} petal_format_rank;

#define PETAL_MAX_FORMAT_RANKS 8

typedef struct petal_format {
    uint8_t nranks; /* 0 = uncompressed, no metadata */
    petal_format_rank ranks[PETAL_MAX_FORMAT_RANKS];
} petal_format;

/* ---- action optimizations ---- */

typedef enum petal_action_opt_kind {
    PETAL_OPT_GATING = 1,   /* the access happens but costs its gated energy, no data moves */
    PETAL_OPT_SKIPPING,     /* the access does not happen: no energy, no cycle */
    PETAL_OPT_SPATIAL_SKIP, /* Sparseloop's skipping_spatial: instances whose tiles are all
                               zero take other tiles */
} petal_action_opt_kind;

/* "gating", "skipping", "spatial_skipping". */
const char *petal_action_opt_name(int kind);

/* Gate or skip the accesses of data space `target` at a level when the values
 * of the data spaces in condition_mask (bit 1 << ds) are zero. */
typedef struct petal_action_opt {
    uint8_t kind;           /* petal_action_opt_kind */
    uint8_t target;         /* petal_dataspace_id */
    uint8_t condition_mask; /* bit (1 << ds); never empty */
} petal_action_opt;

#define PETAL_MAX_ACTION_OPTS 8

/* Energies of the sparse actions of one storage level, per vector access as
 * petal_level's read_pj (Accelergy ERT actions gated_read, metadata_read,
 * ... when the architecture comes with an ERT; a documented table rule
 * otherwise, docs/sparsity.md). */
typedef struct petal_sparse_energy {
    double gated_read_pj, gated_fill_pj, gated_update_pj;
    double metadata_read_pj, metadata_fill_pj, metadata_update_pj;
    double gated_metadata_read_pj, gated_metadata_fill_pj, gated_metadata_update_pj;
    double decompression_pj, compression_pj; /* per value (de)compressed */
} petal_sparse_energy;

/* The sparse features of one storage level. All zero: none. */
typedef struct petal_level_sparse {
    petal_format format[PETAL_DATASPACES];
    uint8_t nopts;
    petal_action_opt opts[PETAL_MAX_ACTION_OPTS];
    uint32_t metadata_word_bits; /* Timeloop's metadata_datawidth; 0 = none given */
    uint32_t metadata_width;     /* bits per metadata storage word (metadata_storage_width) */
    uint64_t metadata_depth;     /* metadata words per instance; 0 = shares the data storage */
    uint32_t metadata_block_size;
    bool decompression_supported; /* decompresses what arrives from the parent */
    bool compression_supported;   /* compresses what goes back to the parent */
    petal_sparse_energy energy;
} petal_level_sparse;

/* Compute optimizations at the MACs: gate or skip a MAC when an operand is
 * zero. Sparseloop infers them from the innermost storage levels' options
 * when none is given; so does petal (docs/sparsity.md). */
typedef struct petal_arith_sparse {
    uint8_t kind;        /* 0 = none, PETAL_OPT_GATING or PETAL_OPT_SKIPPING */
    double gated_mac_pj; /* energy of a gated MAC; 0 when the table gives none */
} petal_arith_sparse;

#ifdef __cplusplus
}
#endif
#endif
