/* petal/model.h - analysis of one mapping: accesses, energy, cycles, validity.
 *
 * petal_model_eval is the mapper's inner loop: it keeps no state between
 * calls, so any number of threads may call it at once. It counts in closed
 * form (work proportional to levels x loops, never to the loop trip counts)
 * and allocates nothing, with one exception: the multicast groups of a
 * fan-out are counted exactly by enumerating its children (work and heap
 * memory proportional to the fan-out) when a dimension unrolled there moves
 * two ranks of one data space, or when the children's offsets spread over
 * more than 65536 words. If that allocation fails the call returns
 * PETAL_ENOMEM; it never falls back to an approximate count. docs/model.md
 * states the counting rules in words; the reference simulator (petal/sim.h)
 * executes the loop nest and must agree with this model to the access.
 */
#ifndef PETAL_MODEL_H
#define PETAL_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "petal/arch.h"
#include "petal/limits.h"
#include "petal/mapping.h"
#include "petal/problem.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One data space at one storage level. Counts are totals over all utilised
 * instances; the _per_instance figures are those of the busiest instance. */
typedef struct petal_ds_stats {
    bool kept;
    uint64_t tile;      /* utilised capacity per instance, words */
    uint64_t instances; /* utilised instances holding this data space */
    uint64_t reads, fills, updates;
    uint64_t reads_per_instance, fills_per_instance, updates_per_instance;
    double multicast;         /* average destinations per word read and sent inwards */
    double energy_pj;         /* accesses at this level */
    double network_energy_pj; /* moving this data space to the children */

    /* Added by the model. */
    uint64_t partition;       /* words one instance handles over the whole run; the
                                 first read of each Outputs word is elided */
    double spatial_reduction; /* Outputs: partial sums combined in the network per
                                 update arriving here (1 when none); 0 otherwise */
    double read_energy_pj, fill_energy_pj, update_energy_pj; /* energy_pj by action */
    uint64_t vector_reads_per_instance, vector_fills_per_instance,
        vector_updates_per_instance; /* ceil(scalar / block size); with widths
                                        (docs/precision.md) ceil(scalar x word_bits /
                                        (block size x the level's word bits)) */
    uint32_t word_bits;              /* width of one value here: the layer's width for the data
                                        space (Outputs: partial sums' where this level adds
                                        partial sums, i.e. reads > 0), or the level's word bits
                                        when the layer gives none */

    /* Sparsity (petal/sparse.h, docs/sparsity.md). reads, fills and updates
     * above are the actual accesses; the algorithmic ones are what a dense
     * run of the same mapping does; gated and skipped ones are the
     * accesses the level's optimizations turned off. For a dense problem
     * on an architecture without sparse features the algorithmic counts
     * equal the actual ones and the rest are 0. Totals over instances. */
    uint64_t algorithmic_reads, algorithmic_fills, algorithmic_updates;
    uint64_t gated_reads, skipped_reads;
    uint64_t gated_fills, skipped_fills;
    uint64_t gated_updates, skipped_updates;
    uint64_t metadata_reads, metadata_fills, metadata_updates; /* metadata words */
    uint64_t tile_metadata_bits; /* metadata of the kept tile per instance */
    uint64_t tile_data_words;    /* data words of the kept (compressed) tile per instance;
                                    `tile` when uncompressed */

    /* Neighbour forwarding below this level (petal_level.forward, docs/systolic.md),
     * whether or not the level keeps the data space: words times the hops they make
     * between neighbouring children, over all instances, and their energy at the
     * level's forward_pj (included in network_energy_pj). 0 without forwarding. */
    uint64_t forwards;
    double forward_energy_pj;
} petal_ds_stats;

typedef struct petal_level_stats {
    petal_ds_stats ds[PETAL_NUM_DS];
    uint64_t utilized_instances;
    uint64_t cycles;  /* cycles this level's bandwidth needs */
    double energy_pj; /* accesses, all data spaces */
    double network_energy_pj;
    double leak_pj;
    double area_um2; /* all instances */

    /* Added by the model. */
    uint64_t capacity_used;       /* sum of the kept tiles per instance, words */
    double read_words_per_cycle;  /* per instance, at the compute-bound cycle count */
    double write_words_per_cycle; /* fills + updates, likewise */
    uint64_t capacity_used_bits;  /* sum of the kept tiles times their word_bits */
} petal_level_stats;

typedef enum petal_invalid_reason {
    PETAL_VALID = 0,
    PETAL_INVALID_FACTORS,   /* factors do not multiply to the bounds */
    PETAL_INVALID_CAPACITY,  /* a tile overflows a level */
    PETAL_INVALID_FANOUT,    /* spatial factors exceed a fan-out */
    PETAL_INVALID_BYPASS,    /* keeps a data space the level may not hold, or DRAM bypasses */
    PETAL_INVALID_STRUCTURE, /* the mapping does not match the architecture's levels */
} petal_invalid_reason;

/* What can set a mapping's cycles (docs/latency.md). The model's cycles are
 * the largest of: the compute bound (one operation per utilised MAC per
 * cycle), and for each storage level with a finite bandwidth, the cycles its
 * busiest instance needs to read every word it sends inwards at read_bw and
 * to write every word it receives (fills and updates) at write_bw. The data
 * spaces a level keeps share its bandwidth, so a bandwidth bound is one per
 * level and direction; `ds` names the data space moving the most words
 * through it, the one to move elsewhere or shrink first. */
typedef enum petal_bound_kind {
    PETAL_BOUND_COMPUTE = 0,
    PETAL_BOUND_READ,      /* a level's read bandwidth */
    PETAL_BOUND_WRITE,     /* a level's write bandwidth (fills and updates) */
    PETAL_BOUND_NETWORK,   /* the network carrying one data space from a level inwards
                              (petal_level.network_bits): its reads, and Outputs' updates */
    PETAL_BOUND_FILL_DRAIN /* compute plus the fill and drain of forwarding chains
                              (petal_level.forward): `words` are the cycles they add,
                              `level` the level adding the most */
} petal_bound_kind;

typedef struct petal_bound {
    petal_bound_kind kind;
    int level;       /* storage level; -1 for compute */
    int ds;          /* petal_dataspace_id moving the most words this way; -1 for compute or none */
    uint64_t words;  /* words the busiest instance moves this way (operations for compute) */
    uint64_t cycles; /* cycles this bound alone needs */
    uint64_t slack;  /* result cycles - cycles: 0 for the bound that set them */
} petal_bound;

/* Room for compute, fill/drain, and a read, a write and a network bound per
 * data space per level. */
#define PETAL_MAX_BOUNDS (2 + (2 + PETAL_NUM_DS) * PETAL_MAX_LEVELS)

typedef struct petal_model_result {
    bool valid;
    petal_invalid_reason reason;
    int invalid_level;       /* the level that broke the rule, or -1 */
    char why[PETAL_WHY_MAX]; /* a sentence for people */

    uint64_t computes;         /* MACs (algorithmic: every MAC of the loop nest) */
    uint64_t actual_computes;  /* MACs done with their full energy; = computes when dense */
    uint64_t gated_computes;   /* MACs gated (charged arith.sparse.gated_mac_pj) */
    uint64_t skipped_computes; /* MACs skipped (free) */
    uint64_t cycles;           /* max(compute cycles, every level's bandwidth cycles) */
    uint64_t compute_cycles;   /* operations per MAC x cycles_per_mac */
    uint64_t cycles_per_mac;   /* 1, or more for bit-serial MACs (petal_arch_cycles_per_mac) */
    double utilization;        /* computes * cycles_per_mac / (cycles * MAC instances) */
    uint64_t utilized_macs;    /* MAC instances used */

    double energy_pj;                  /* everything below */
    double mac_energy_pj;              /* computes x arith.mac_pj x mac_energy_scale */
    double mac_energy_scale;           /* the layer's widths (petal_energy_mac_scale); 1 without */
    double energy_by_ds[PETAL_NUM_DS]; /* storage + network, per data space */
    double area_um2;
    /* Cycles the fill and drain of forwarding chains add to the compute cycles
     * (docs/latency.md, the fill/drain bound): per tile of the children of a level
     * that forwards, the longest read-only chain's hops plus the longest Outputs
     * chain's. 0 without forwarding. */
    uint64_t fill_drain_cycles;

    /* What set `cycles`: bounds[limited_by] (docs/latency.md). bounds[0] is
     * compute; then, level by level from the outermost, a read bound where
     * read_bw is finite and a write bound where write_bw is (and a network
     * bound per data space with a width); a fill/drain bound follows compute
     * when forwarding adds cycles. On a tie compute
     * wins, then the first listed, as the cycles are taken. nbounds is 0 for
     * an invalid mapping. */
    uint8_t nbounds;
    uint8_t limited_by;

    uint8_t nlevels;
    petal_level_stats levels[PETAL_MAX_LEVELS];
    petal_bound bounds[PETAL_MAX_BOUNDS]; /* the first nbounds; after levels, which the
                                             model clears level by level */
} petal_model_result;

/* Evaluate `m` for problem `p` on architecture `a`. An invalid mapping is not a
 * failure: the call returns PETAL_OK with out->valid false and the reason set.
 * Only inconsistent arguments fail, with the status and message of the check
 * that rejects them: an architecture that fails petal_arch_check (no MACs, a
 * NaN or negative energy or bandwidth, ...), a mapping for another number of
 * levels, a problem that fails petal_problem_check. A count this mapping
 * needs that does not fit in 64 bits (accesses, the tiles a level keeps,
 * cycles at a tiny bandwidth) is PETAL_EOVERFLOW, naming the level; never a
 * wrapped or saturated number. The mapper checks its problem and
 * architecture once and skips those checks per evaluation. */
petal_status petal_model_eval(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                              petal_model_result *out);

#ifdef __cplusplus
}
#endif
#endif
