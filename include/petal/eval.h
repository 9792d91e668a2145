/* petal/eval.h - the main job: every layer of a network mapped on one
 * architecture, and what that costs per layer and per inference.
 *
 * Each layer gets its best mapping from petal_map (layers of the same shape are
 * mapped once); its energy is split the way the Eyeriss tutorial splits it:
 * DRAM, global buffer (storage shared by the whole array), network on chip,
 * register files (storage in or beside each PE) and MACs. A layer without a
 * valid mapping is reported with the reason, and the totals cover the others.
 * Writing the result as a table, JSON or CSV: petal/report.h.
 */
#ifndef PETAL_EVAL_H
#define PETAL_EVAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "petal/arch.h"
#include "petal/mapper.h"
#include "petal/network.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where the energy of a mapping goes. */
typedef struct petal_energy_split {
    double dram_pj;   /* DRAM-class levels */
    double buffer_pj; /* storage shared by the whole array (one instance per array) */
    double noc_pj;    /* moving words between levels (network energy) */
    double rf_pj;     /* storage replicated with the PEs */
    double mac_pj;
} petal_energy_split;

/* Split a model result's energy; leakage goes with its level. */
void petal_energy_split_of(const petal_arch *a, const petal_model_result *r,
                           petal_energy_split *out);

typedef struct petal_layer_eval {
    size_t same_as;           /* index of the first layer of this shape (its own when first) */
    petal_map_result map;     /* the search's result for that shape */
    petal_energy_split split; /* when map.found */
    double latency_s;         /* cycles at the architecture's clock */
    uint64_t dram_bytes;      /* off-chip bytes: petal_eval_offchip_bytes of the mapping,
                                 when map.found */
    double nonzero_macs;      /* petal_problem_nonzero_macs of the layer (expected MACs whose
                                 weight and input are both non-zero; = the MACs when dense) */
    /* Finer splits of map.stats.energy_pj (when map.found): by data space
     * (storage and network, as petal_model_result.energy_by_ds; the MACs'
     * energy is apart, in split.mac_pj), and by named storage level: each
     * level's accesses and leakage, and its network energy (moving words to
     * its children). MACs + every level + every level's network = the total. */
    double energy_by_ds_pj[PETAL_NUM_DS];
    double energy_by_level_pj[PETAL_MAX_LEVELS];
    double network_by_level_pj[PETAL_MAX_LEVELS];
} petal_layer_eval;

typedef struct petal_eval_result {
    size_t nlayers;
    petal_layer_eval *layers; /* one per network layer */
    size_t unmapped;          /* layers with no valid mapping */
    size_t searches;          /* distinct shapes searched */
    /* Totals over the layers that were mapped, for the whole batch. */
    uint64_t macs;
    double energy_pj;
    petal_energy_split split;
    uint64_t cycles;
    double latency_s;
    uint64_t dram_bytes;
    double nonzero_macs; /* expected non-zero MACs of the mapped layers; NaN when a layer is
                            banded on a data space that is not a matrix. The tutorial's sparse
                            metrics are energy_pj / nonzero_macs and dram_bytes / nonzero_macs
                            (docs/densities.md) */
    bool sparse;         /* some layer has a density (petal_problem_has_density) */
    double seconds;      /* wall time of the whole job */
    /* The same splits summed over the mapped layers (a.nlevels entries of
     * the level arrays used), and the architecture's area. */
    uint8_t nlevels;
    double energy_by_ds_pj[PETAL_NUM_DS];
    double energy_by_level_pj[PETAL_MAX_LEVELS];
    double network_by_level_pj[PETAL_MAX_LEVELS];
    double area_um2; /* every storage level and the MACs (petal_arch_area); 0 when
                        the architecture states no areas (reports say "not given") */
} petal_eval_result;

/* Off-chip bytes of one evaluated mapping: at every DRAM-class level, the
 * data words moved (reads, fills and updates: the actual ones of a sparse
 * model, what the level really transfers) times each data space's width,
 * plus the metadata words moved (metadata reads, fills and updates) times
 * the level's metadata word bits (sparse.metadata_word_bits; else the
 * widest metadata_word_bits of the data space's format ranks; else the
 * level's word bits), over 8. A dense result has no metadata: the data
 * words alone, as before sparsity. */
double petal_eval_offchip_bytes(const petal_arch *a, const petal_model_result *r);

/* Called after each layer (done of total; `layer` its name). */
typedef void (*petal_eval_progress_fn)(void *ctx, size_t done, size_t total, const char *layer);

/* Map every layer of net on a with options o (each distinct shape once).
 * Fails only on bad arguments or when memory runs out; layers without a
 * mapping are counted in out->unmapped. Free with petal_eval_free. */
petal_status petal_eval_network(const petal_network *net, const petal_arch *a,
                                const petal_map_options *o, petal_eval_progress_fn progress,
                                void *ctx, petal_eval_result *out);
void petal_eval_free(petal_eval_result *r);

/* How petal_eval_network_using finds one layer's best mapping: petal_map's
 * contract (a caller may answer from results it keeps, as the sweep's memo does). */
typedef petal_status (*petal_eval_search_fn)(void *ctx, const petal_problem *p, const petal_arch *a,
                                             const petal_map_options *o, petal_map_result *out);

/* petal_eval_network with the search given: `search` NULL is petal_map. */
petal_status petal_eval_network_using(const petal_network *net, const petal_arch *a,
                                      const petal_map_options *o, petal_eval_search_fn search,
                                      void *search_ctx, petal_eval_progress_fn progress, void *ctx,
                                      petal_eval_result *out);
/* Write each mapped layer's best mapping into directory dir (which must
 * exist) as DIR/<layer>.yaml in petal's mapping YAML (docs/formats.md), the
 * file `petal model --mapping` loads: one file per network layer, layers of
 * the same shape included. A layer name that cannot be a file name (a '/',
 * or "." or "..") is written with those characters replaced by '_'; two
 * layers that would share a file fail with PETAL_EINVAL. Fails with
 * PETAL_EIO naming the file that could not be written. */
petal_status petal_eval_save_mappings(const petal_network *net, const petal_arch *a,
                                      const petal_eval_result *r, const char *dir);

#ifdef __cplusplus
}
#endif
#endif
