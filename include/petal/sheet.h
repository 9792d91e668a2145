/* petal/sheet.h - the benchmark sheet: the survey's metrics (Sze et al., Proc.
 * IEEE 2017, section 8) for one network on several architectures side by side.
 *
 * Per network: weights and non-zero weights, MACs and non-zero MACs, and an
 * accuracy the user states (petal does not measure it). Per architecture:
 * energy per inference including DRAM, latency and throughput at the batch,
 * energy and off-chip bytes per (non-zero) MAC, mm^2 and on-chip kB per
 * multiplier, PE utilisation, and whether every layer's mapping was proven
 * optimal. The non-zero counts follow from the layers' densities
 * (docs/densities.md): the expected non-zero weights, and the expected MACs
 * whose weight and input are both non-zero (MACs x density of Weights x
 * density of Inputs, petal_problem_nonzero_macs). A network without
 * densities is dense and its non-zero counts equal its totals (`dense` says
 * so). Energies are in each architecture's unit (pJ, or multiples of one MAC
 * for a normalised table; `energy_unit`).
 *
 * Full library (it runs the whole-network job, petal/eval.h).
 */
#ifndef PETAL_SHEET_H
#define PETAL_SHEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "petal/arch.h"
#include "petal/eval.h"
#include "petal/mapper.h"
#include "petal/network.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct petal_sheet_arch {
    char arch[PETAL_NAME_MAX];
    petal_energy_unit energy_unit;
    double energy_per_inference;       /* DRAM included, in energy_unit */
    bool clock_known;                  /* the architecture gives a clock; else the
                                          latency and throughput are 0 (not known) */
    double latency_s;                  /* the whole batch, layer after layer */
    double inferences_per_second;      /* batch / latency_s */
    double energy_per_mac;             /* per MAC (= per non-zero MAC when dense) */
    double dram_bytes_per_mac;         /* off-chip bytes per MAC (petal_eval_offchip_bytes) */
    double energy_per_nonzero_mac;     /* per expected non-zero MAC of the mapped layers;
                                          NaN when not known (banded, not a matrix) or none */
    double dram_bytes_per_nonzero_mac; /* likewise */
    double mm2_per_multiplier;         /* total area (storage + MACs) / MAC units;
                                          NaN when the architecture states no areas */
    double kb_per_multiplier;          /* on-chip storage (every non-DRAM level, all
                                          instances; kB = 1024 bytes) / MAC units;
                                          NaN when a level has no stated depth */
    double utilization;                /* MACs / (cycles x MAC units), whole network */
    bool proven;                       /* every layer's search proved its optimum */

    uint64_t multipliers;   /* MAC units */
    double area_mm2;        /* 0 when the architecture states no areas */
    double onchip_kb;       /* NaN when a level has no stated depth */
    size_t unmapped;        /* layers without a valid mapping: the figures
                               above then cover the others only (partial) */
    petal_eval_result eval; /* the per-layer results behind the figures */
} petal_sheet_arch;

typedef struct petal_sheet {
    char net[PETAL_NAME_MAX];
    uint64_t batch;
    /* Per inference (batch 1 equivalents). */
    uint64_t weights, nonzero_weights; /* non-zero: expected, rounded */
    uint64_t macs, nonzero_macs;
    bool nonzero_known; /* false when a layer is banded on a non-matrix: the non-zero
                           counts are then 0, not known */
    bool dense;         /* true: no densities given, non-zero = totals */
    bool has_accuracy;  /* set by the caller: petal does not measure it */
    double accuracy;
    size_t narchs;
    petal_sheet_arch *archs; /* narchs entries, in the order given */
    double seconds;          /* wall time */
} petal_sheet;

/* Evaluate net (at its batch) on each of the narchs architectures with
 * options o (petal_eval_network per architecture) and fill the sheet.
 * progress, when not NULL, is called after each layer of each architecture,
 * with done and total counted over all of them. Fails on bad arguments or
 * memory; layers without a mapping are counted per architecture (unmapped).
 * Free with petal_sheet_free. */
petal_status petal_sheet_build(const petal_network *net, const petal_arch *archs, size_t narchs,
                               const petal_map_options *o, petal_eval_progress_fn progress,
                               void *ctx, petal_sheet *out);
void petal_sheet_free(petal_sheet *s);

#ifdef __cplusplus
}
#endif
#endif
