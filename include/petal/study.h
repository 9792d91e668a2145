/* petal/study.h - reproductions of published Eyeriss results (docs/eyeriss.md).
 *
 * Two studies:
 *   eyeriss-v1  the JSSC 2017 chip running AlexNet CONV1-5 at batch 4 with its own
 *               row-stationary (RS) mapping: MACs, active PEs, processing latency,
 *               global-buffer and DRAM traffic beside the published figures.
 *   dataflows   the ISCA 2016 comparison: WS, OS_A, OS_B, OS_C, NLR and RS on 256
 *               PEs of equal storage area, energy per MAC by level and data type.
 *
 * The row-stationary mapping is written with the chip's mapping parameters
 * (JSSC 2017, section IV): a logical PE set is R filter rows by e output rows; r
 * sets work on different channels and t sets on different filters; each PE runs
 * 1-D convolutions of p filters by q channels; n images share a pass; the global
 * buffer holds the partial sums of m output channels. petal_rs_plan_build turns
 * them into petal mappings on an eyeriss-v1-shaped architecture.
 */
#ifndef PETAL_STUDY_H
#define PETAL_STUDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "petal/arch.h"
#include "petal/mapping.h"
#include "petal/model.h"
#include "petal/problem.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- the row-stationary mapping of the chip --- */

/* Limits of the chip's RS mapping [JSSC 2017]: p filters per PE are bounded by
 * the psum scratchpad (24 entries), q channels per PE by 4. */
#define PETAL_RS_MAX_P 24
#define PETAL_RS_MAX_Q 4

typedef struct petal_rs_params {
    uint32_t n; /* images processed in one pass */
    uint32_t p; /* filters per PE */
    uint32_t q; /* channels per PE */
    uint32_t e; /* output rows per PE set (the set's width; strips of the output) */
    uint32_t r; /* PE sets working on different channels */
    uint32_t t; /* PE sets working on different filters */
    uint32_t m; /* output channels whose partial sums the global buffer holds */
} petal_rs_params;

/* A layer whose output height is not a multiple of e is processed in full strips
 * of e rows, then one strip of the remaining rows: two segments, each a mapping
 * of the layer restricted to its output rows. */
#define PETAL_RS_MAX_SEGMENTS 2

typedef struct petal_rs_segment {
    petal_problem problem; /* the layer restricted to this segment's output rows */
    petal_mapping mapping; /* on the plan's architecture */
    uint64_t first_row;    /* first output row (P) of the segment */
    uint64_t strip_rows;   /* output rows per strip: e, or the remainder */
    uint64_t strips;
    uint64_t passes;           /* processing passes: one set of filters in the scratchpads */
    uint64_t active_pes;       /* PEs holding a filter row and an output row */
    uint64_t pe_macs_per_pass; /* n x F x p x q x S: MACs of one PE in one pass */
} petal_rs_segment;

typedef struct petal_rs_plan {
    petal_rs_params params;
    /* The architecture the mappings are written for: the given one, with the PE
     * array's mesh reshaped when a PE set is wider than the array and must be
     * folded (the chip's ID-addressed buses deliver to any PE, so a folded set
     * is a wider logical array of the same PEs). */
    petal_arch arch;
    uint32_t fold;         /* 1, or the number of pieces a PE set is cut into */
    uint32_t set_x, set_y; /* the logical PE sets, all replicas: columns and rows used */
    uint64_t active_pes;   /* R x e x r x t */
    int nsegments;
    petal_rs_segment segments[PETAL_RS_MAX_SEGMENTS];
} petal_rs_plan;

/* Build the RS mappings of a convolution `layer` (its batch already set) with
 * parameters `rs` on an Eyeriss-shaped architecture `chip`: DRAM, one global
 * buffer, and per-PE ifmap, filter and psum scratchpads (in that order, outside
 * in), as the eyeriss-v1 preset. Loop nest, outermost first:
 *   DRAM:   G, N/n, M/m, output strips, C/(q r)      (keeps all)
 *   buffer: M: m/(p t), N: n, Q: F; spatial R and the strip's rows P, with the
 *           t and r replicas on X or Y                (keeps ifmaps and psums)
 *   filter scratchpad: C: q, S                        (a 1-D convolution per PE)
 *   psum scratchpad:   M: p
 * Fails (PETAL_EINVAL, naming the layer and the rule) when the parameters break
 * the chip's limits or do not divide the layer, or the sets do not fit the array.
 * The buffer's capacity is not checked here: petal_model_eval judges it. */
petal_status petal_rs_plan_build(const petal_problem *layer, const petal_arch *chip,
                                 const petal_rs_params *rs, petal_rs_plan *out);

/* Evaluate every segment of a plan with petal_model_eval; results[] has one entry
 * per segment. */
petal_status petal_rs_plan_eval(const petal_rs_plan *plan, petal_model_result *results);

/* Delivery rates of the chip's networks, words per core cycle. */
typedef struct petal_rs_noc {
    double ifmap;    /* global input network, ifmap bus: 16 bits = 1 word */
    double filter;   /* global input network, filter bus: 64 bits = 4 words */
    double psum_in;  /* partial sums read back into the array: 64 bits */
    double psum_out; /* global output network: 64 bits */
    double dram;     /* the off-chip link: the DRAM level's read bandwidth */
} petal_rs_noc;

/* The chip's networks and the DRAM bandwidth of `chip`'s level 0: each bus
 * from the buffer's (level 1's) network_bits over its word (eyeriss-v1 gives
 * 64, 16 and 64 bits); a bus the architecture leaves unlimited gets rate 0,
 * which petal_rs_timing_eval refuses. */
void petal_rs_noc_eyeriss_v1(const petal_arch *chip, petal_rs_noc *out);

/* Latency of a plan: a pass loads its filters into the scratchpads (not
 * overlapped: the filter scratchpad holds one pass's filters), then runs its
 * MACs while the buses stream ifmaps and partial sums; the pass takes as long as
 * the slowest of those. DRAM transfers overlap processing; a layer is DRAM-bound
 * when the link needs longer than the array. Word counts per pass come from the
 * model's results (one per segment). */
typedef struct petal_rs_timing {
    uint64_t passes;
    double mac_cycles;       /* sum over passes of one PE's MACs */
    double filter_cycles;    /* loading filters, between passes */
    double noc_stall_cycles; /* passes whose bus delivery outlasts the MACs */
    double array_cycles;     /* mac + filter + stall */
    double dram_cycles;      /* DRAM words / link bandwidth */
    double cycles;           /* max(array, dram) */
    const char *bound;       /* "MACs", "ifmap bus", "psum bus" or "DRAM" */
} petal_rs_timing;

petal_status petal_rs_timing_eval(const petal_rs_plan *plan, const petal_model_result *results,
                                  const petal_rs_noc *noc, petal_rs_timing *out);

/* --- study: Eyeriss v1 running AlexNet --- */

#define PETAL_EYERISS_LAYERS 5

/* A published figure and where it comes from (shared/reference/eyeriss.md):
 * 'V' verified, '2' secondary source, 'U' recalled (a sanity range only); 0 none. */
typedef struct petal_published {
    double value;
    char source;
} petal_published;

typedef struct petal_eyeriss_layer {
    char name[PETAL_NAME_MAX];
    uint64_t macs;
    petal_rs_params rs;
    uint64_t active_pes;
    uint32_t fold;
    petal_rs_timing timing;
    double processing_ms;
    double compute_ms; /* MACs alone, at the active PEs */
    double model_ms;   /* petal_model_eval's bandwidth-bound cycles, for contrast */
    double buffer_mb;  /* global-buffer reads + fills + updates, 16-bit words, 10^6 B */
    double dram_mb;    /* DRAM reads + updates as the model counts them (dense) */
    double buffer_mb_by_ds[PETAL_NUM_DS], dram_mb_by_ds[PETAL_NUM_DS];
    double dram_rlc_mb;    /* the sparse model's DRAM traffic with ifmaps and ofmaps as
                              sparse as ifmap_zeros and ofmap_zeros say, run-length coded
                              at DRAM as the preset says: values and 5-bit runs */
    double energy_per_mac; /* normalised (eyeriss-65nm): total / MACs, dense */
    double pe_energy, pe_energy_ungated; /* the sparse model's scratchpad + MAC energy, with
                                            the preset's zero-gating and without it */
    double ifmap_zeros, ofmap_zeros;     /* zero fractions given to the sparse model */
    petal_published pub_processing_ms, pub_active_pes, pub_buffer_mb, pub_dram_mb;
} petal_eyeriss_layer;

typedef struct petal_eyeriss_study {
    char net[PETAL_NAME_MAX];
    char arch[PETAL_NAME_MAX];
    petal_energy_unit energy_unit; /* the chip's table: normalised MAC energies */
    uint64_t batch;
    size_t nlayers;
    petal_eyeriss_layer layers[PETAL_EYERISS_LAYERS];
    uint64_t macs;
    double processing_ms, buffer_mb, dram_mb, dram_rlc_mb;
    double pe_energy, pe_energy_ungated;
    petal_published pub_macs, pub_processing_ms, pub_dram_mb, pub_buffer_mb;
    petal_published pub_gating_saving_pct; /* zero-gating's saving of PE power, per cent */
} petal_eyeriss_study;

/* AlexNet (alexnet-2012) CONV1-5 at batch 4 on the eyeriss-v1 preset with the
 * chip's mapping parameters. */
petal_status petal_study_eyeriss_v1(petal_eyeriss_study *out);

/* Print the chip's mapping of every CONV layer (each segment) as a loop nest. */
petal_status petal_study_eyeriss_v1_mappings(FILE *out);

/* The chip's RS parameters for AlexNet's CONV layers (index 0-4). */
petal_status petal_eyeriss_alexnet_params(size_t index, petal_rs_params *out);

typedef enum petal_study_format {
    PETAL_STUDY_TEXT,
    PETAL_STUDY_JSON,
    PETAL_STUDY_SVG,
} petal_study_format;

/* Text: a table, published value and error beside each figure. JSON:
 * {"net", "arch", "batch", "layers": [{"name", "macs", "active_pes",
 * "processing_ms", "buffer_mb", "dram_mb", ...}], "totals": {...}}. SVG: bar
 * charts of latency and DRAM traffic per layer with the published marks. */
petal_status petal_study_eyeriss_v1_write(FILE *out, const petal_eyeriss_study *s,
                                          petal_study_format fmt);

/* --- study: the ISCA 2016 dataflow comparison --- */

#define PETAL_STUDY_DATAFLOWS 6

typedef enum petal_energy_level {
    PETAL_ELEVEL_ALU,
    PETAL_ELEVEL_RF,
    PETAL_ELEVEL_NOC,
    PETAL_ELEVEL_BUFFER,
    PETAL_ELEVEL_DRAM,
    PETAL_NUM_ELEVELS
} petal_energy_level;

/* "ALU", "RF", "NoC", "buffer", "DRAM". */
const char *petal_energy_level_name(petal_energy_level l);

/* One dataflow's storage on 256 PEs: what each PE's RF holds and the buffer
 * that equal area leaves. */
typedef struct petal_dataflow_setup {
    char name[16];            /* "WS", "OS_A", ... */
    char mapper_dataflow[16]; /* the mapper's constraint set */
    uint64_t rf_words;        /* per PE, 16-bit words; 0: no RF */
    uint64_t buffer_words;
    double buffer_read_pj; /* one buffer access, in MAC energies (the size rule) */
    double area_mm2;       /* storage area (RFs + buffer) */
} petal_dataflow_setup;

typedef struct petal_dataflow_energy {
    bool found;    /* every layer had a valid mapping */
    char why[320]; /* when not found: the first layer without a mapping, and why */
    uint64_t macs;
    double energy_per_mac; /* total energy / MACs, in MAC energies */
    double by_level[PETAL_NUM_ELEVELS];
    double by_data[PETAL_NUM_DS]; /* weights, ifmaps, psums: storage and network, no ALU */
    bool optimal;                 /* every layer's search completed */
} petal_dataflow_energy;

#define PETAL_STUDY_MAX_LAYERS 8 /* AlexNet: CONV1-5, FC6-8 */

/* The best mapping of one layer under one dataflow. */
typedef struct petal_dataflow_layer {
    bool found, optimal;
    double energy_per_mac; /* in MAC energies */
    double lower_bound;    /* the mapper's proven bound, per MAC */
    uint64_t evaluated;    /* mappings the mapper evaluated */
    double seconds;
    petal_mapping mapping; /* when found */
    char why[256];         /* when not found */
} petal_dataflow_layer;

typedef struct petal_dataflow_study {
    uint64_t batch;
    uint64_t effort;       /* per layer and dataflow (petal_map_options.effort); 0 none */
    double budget_seconds; /* per layer and dataflow; < 0 none */
    petal_dataflow_setup setups[PETAL_STUDY_DATAFLOWS];
    petal_arch archs[PETAL_STUDY_DATAFLOWS]; /* the setups as architectures */
    size_t nlayers;
    petal_problem layers[PETAL_STUDY_MAX_LAYERS];
    petal_dataflow_layer per_layer[PETAL_STUDY_DATAFLOWS][PETAL_STUDY_MAX_LAYERS];
    petal_dataflow_energy conv[PETAL_STUDY_DATAFLOWS];
    petal_dataflow_energy fc[PETAL_STUDY_DATAFLOWS];
} petal_dataflow_study;

/* The six dataflows on their eyeriss-256 variants, AlexNet (alexnet-2012) CONV
 * and FC layers at `batch`, each layer mapped for minimum energy under the
 * dataflow's constraints. threads: for the mapper (0 or 1: one). effort and
 * budget_seconds limit each search as petal_map_options' fields of those names
 * do (0 and < 0: no limit, every search completes); under an effort alone the
 * study's answer is the same on any machine and thread count. */
petal_status petal_study_dataflows(uint64_t batch, unsigned threads, uint64_t effort,
                                   double budget_seconds, petal_dataflow_study *out);

/* Save a study's search results in directory `dir` (created if missing):
 * results.yaml (per layer and dataflow: optimal, lower bound, mappings
 * evaluated, the mapping's file) and one file per mapping in petal's mapping
 * format. A full search takes long; a saved one is replayed in a second. */
petal_status petal_study_dataflows_save(const petal_dataflow_study *s, const char *dir);

/* Rebuild a study from a saved directory without searching: the setups are
 * built again and every saved mapping is evaluated by the model, so the energies
 * are what petal's model gives now for the mappings the search found then.
 * Errors name the file and line. */
petal_status petal_study_dataflows_load(const char *dir, petal_dataflow_study *out);

/* Print every layer's best mapping under every dataflow as a loop nest. */
petal_status petal_study_dataflows_mappings(FILE *out, const petal_dataflow_study *s);

/* Text: tables by level and by data type. JSON: {"batch", "setups": [...],
 * "conv": {DATAFLOW: {"energy_per_mac", "by_level": {...}, "by_data": {...}}},
 * "fc": {...}}. SVG: stacked bars by level, CONV and FC side by side. */
petal_status petal_study_dataflows_write(FILE *out, const petal_dataflow_study *s,
                                         petal_study_format fmt);

#ifdef __cplusplus
}
#endif
#endif
