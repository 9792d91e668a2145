/* petal/sim.h - the reference simulator: executes a mapping's loop nest.
 *
 * The simulator runs every operation of the nest on real integer tensors
 * (small random weights and inputs), keeps an explicit buffer per storage
 * level, data space and instance (which words it holds and their values),
 * moves words between levels as tiles change, and counts every read, fill and
 * update by the rules of docs/model.md, as well as the words crossing every
 * network (multicast and spatial reduction included) and the cycles each
 * level's bandwidth needs. It shares no code with the analytical
 * model (petal/model.h): it enumerates operations where the model multiplies
 * factors, so the two agreeing to the access is a check on both. At the end
 * the outermost level's output buffer is compared with a direct evaluation of
 * the problem. Slow and simple on purpose: use it on small layers.
 */
#ifndef PETAL_SIM_H
#define PETAL_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "petal/arch.h"
#include "petal/limits.h"
#include "petal/mapping.h"
#include "petal/problem.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct petal_sim_options {
    uint64_t seed;      /* for the random tensor values and where their zeros fall
                           (petal_problem.density); the same seed, the same tensors */
    uint64_t max_macs;  /* refuse larger problems (PETAL_EUNSUPPORTED); 0: no limit */
    uint64_t max_bytes; /* refuse runs whose buffers would need more memory; 0: no limit */
} petal_sim_options;

/* Seed 1, at most 2^24 MACs and 1 GiB of buffers. */
void petal_sim_options_init(petal_sim_options *o);

/* One data space at one storage level, as observed. */
typedef struct petal_sim_ds_stats {
    bool kept;
    uint64_t tile;                              /* most words one instance held at once */
    uint64_t instances;                         /* utilised instances of the level */
    uint64_t reads, fills, updates;             /* totals over instances */
    uint64_t reads_max, fills_max, updates_max; /* the busiest instance */
    uint64_t distinct_max; /* most distinct words one instance held over the run */
    /* Vector accesses (docs/precision.md: each instance's accesses in bits,
     * rounded up to whole blocks of block_size words), summed over instances. */
    uint64_t vector_reads, vector_fills, vector_updates;

    /* The network between this level and its children (the next level inwards, or
     * the MACs below the last level), whether or not this level keeps the data
     * space: every word that crosses it is counted on the link into the child
     * instance that takes it in or sends it, summed over the child instances.
     * Read-only words go down once per distinct request of a child (a child that
     * bypasses the data space passes on its own children's requests, grouped);
     * Outputs partial sums go up once per child (before the network adds those
     * of coinciding children), and refilled partial sums go down, grouped like
     * read-only words, on their way to the keeper that takes them back. */
    uint64_t link_words_down, link_words_up;
    /* Outputs refills crossing this network into a child that bypasses Outputs,
     * on their way to a keeper further in (included in link_words_down). */
    uint64_t link_refills_passed;
    /* Neighbour forwarding on this network (petal_level.forward, docs/systolic.md):
     * the words the level's network delivers into chains (or, for partial sums,
     * takes from their ends), and the words times the hops they make between
     * neighbours along the chains; the deliveries above count every child that
     * takes a word, whichever way it came. 0 without forwarding. */
    uint64_t forward_entries, forwards;

    /* Where this level keeps the data space: each word it reads and sends
     * inwards reaches some number of child keeper instances (or MACs) at once;
     * `destinations` sums that number over the algorithmic reads (multicast =
     * destinations / algorithmic_reads). Each Outputs update it receives adds
     * the partial sums of some number of child keeper instances (or MACs),
     * summed over the algorithmic updates in `sources` (spatial reduction =
     * sources / algorithmic_updates). Dense, algorithmic = actual. */
    uint64_t destinations, sources;
    /* The width of one value here (docs/precision.md): the layer's for the data
     * space, or the level's word bits when it gives none; Outputs at the
     * partial sums' width where the level read a partial sum back to add to it. */
    uint32_t word_bits;

    /* Sparsity (petal/sparse.h; what is counted: docs/sim.md, "The simulator on
     * sparse tensors"). reads, fills and updates above are the actual accesses;
     * the algorithmic ones are what the dense run of the same mapping does;
     * gated and skipped ones are those the level's action optimizations turned
     * off. An algorithmic access of a zero the level keeps compressed is none
     * of actual, gated or skipped (Sparseloop counts it so). Without sparse
     * features algorithmic = actual and the rest are 0. Totals over instances;
     * the _max fields above are the busiest instance's actual accesses. */
    uint64_t algorithmic_reads, algorithmic_fills, algorithmic_updates;
    uint64_t gated_reads, skipped_reads;
    uint64_t gated_fills, skipped_fills;
    uint64_t gated_updates, skipped_updates;
    uint64_t metadata_reads, metadata_fills, metadata_updates; /* metadata values */
    uint64_t tile_data_words; /* compressed: most non-zero words one instance held at
                                 once; otherwise `tile` */
} petal_sim_ds_stats;

/* One storage level as a whole, as observed. */
typedef struct petal_sim_level_stats {
    uint64_t instances; /* utilised instances, whether or not the level keeps anything */
    /* The busiest instance's reads, and its writes (fills plus updates), over
     * every data space the level keeps. */
    uint64_t reads_max, writes_max;
    /* Cycles the level's bandwidth needs: the least whole number of cycles in
     * which the busiest instance moves its reads at read_bw words per cycle and
     * its writes at write_bw (0, unlimited: no cycles; a bandwidth means the
     * decimal it is written as), and never fewer than the compute cycles: the MACs
     * cannot go faster than one operation per cycle. */
    uint64_t cycles;
    /* The same in bits (values times their word_bits). When a level keeps a
     * value narrower or wider than its word, its bandwidth moves
     * read_bw x word_bits bits per cycle and these give its cycles. */
    uint64_t read_bits_max, write_bits_max;
    /* Per data space the level keeps with a network width (petal_level.network_bits):
     * the busiest instance's bits on that network in its busier direction (its actual
     * reads sent inwards or, for Outputs, its actual updates taken back, whichever are
     * more), times the value's width; and the cycles they need at network_bits per
     * cycle, rounded up (0 without a width). Included in `cycles`. */
    uint64_t network_bits_max[PETAL_NUM_DS];
    uint64_t network_cycles[PETAL_NUM_DS];
} petal_sim_level_stats;

typedef struct petal_sim_result {
    uint64_t computes; /* operations executed (algorithmic: every operation of the nest) */
    /* With sparse features (docs/sim.md): operations done at full cost, gated
     * and skipped at the MACs; an operation whose operand read a storage level
     * gated or skipped is none of the three, as in Sparseloop. Dense:
     * actual_computes = computes. */
    uint64_t actual_computes, gated_computes, skipped_computes;
    double densities[PETAL_NUM_DS]; /* non-zero fraction of each tensor as drawn
                                       (Outputs: of the final values) */
    uint64_t steps;                 /* time steps: operations per MAC */
    uint64_t cycles_per_mac;        /* 1; bit-serial MACs: ceil(weight bits / bits_per_cycle) */
    uint64_t compute_cycles;        /* steps x cycles_per_mac; with sparse features the busiest
                                       MAC's operations done or gated (not skipped) x
                                       cycles_per_mac */
    uint64_t cycles; /* the most cycles any level needs (at least the compute cycles, plus
                        the fill and drain) */
    /* Forwarding chains: per tile the children of a forwarding level start, the
     * longest read-only chain's hops (fill) plus the longest Outputs chain's
     * (drain), summed; 0 without forwarding. */
    uint64_t fill_drain_cycles;
    uint64_t macs; /* MAC instances used */
    uint64_t output_words, output_mismatches;
    bool outputs_match; /* the outermost level's outputs equal the direct evaluation */
    uint8_t nlevels;
    struct {
        petal_sim_ds_stats ds[PETAL_NUM_DS];
        petal_sim_level_stats bw;
    } levels[PETAL_MAX_LEVELS];
} petal_sim_result;

/* Run mapping m of problem p on architecture a. The tensors follow the
 * problem's density models (petal_problem.density), drawn from the seed, and
 * the architecture's formats and action optimizations decide which accesses
 * are actual, gated or skipped (docs/sim.md). Sparse features the simulator
 * does not execute yet fail with PETAL_EUNSUPPORTED naming them, never with a
 * dense count in their place. An invalid mapping (factors
 * that do not multiply to the bounds, a bypass the level does not allow, the
 * outermost level not keeping everything, spatial factors over a fan-out, or
 * a level found holding more words than its depth, or with word widths more
 * bits than depth x word_bits) fails with PETAL_EMAPPING
 * and a message naming the level. */
petal_status petal_sim_run(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                           const petal_sim_options *options, petal_sim_result *out);

#ifdef __cplusplus
}
#endif
#endif
