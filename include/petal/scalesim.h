/* petal/scalesim.h - SCALE-Sim v2's inputs and its numbers (docs/systolic.md).
 *
 * SCALE-Sim models a systolic array of ArrayHeight x ArrayWidth MACs fed by
 * three double-buffered SRAMs (ifmap, filter, ofmap). petal reads its
 * configuration (.cfg) and topology (.csv, conv rows or M, N, K rows) files
 * unchanged, maps each layer as SCALE-Sim does (os, ws or is) and gives, per
 * layer, SCALE-Sim's cycles, utilisation and SRAM reads and writes (exactly,
 * in closed form) and its DRAM reads and writes and stall cycles (exactly: in
 * closed form where each word is fetched once, else by replaying SCALE-Sim's
 * buffers in its demand order, in time proportional to the SRAM counts). A
 * layer too large for the replay (over 2^28 SRAM accesses of one operand)
 * leaves a DRAM count out (dram_*_known false) or gives the ofmap writes
 * within 1% (dram_ofmap_exact false), with a warning. Only InterfaceBandwidth
 * CALC is computed; USER is read and refused by petal_scalesim_run.
 */
#ifndef PETAL_SCALESIM_H
#define PETAL_SCALESIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "petal/error.h"
#include "petal/limits.h"
#include "petal/report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum petal_scalesim_dataflow {
    PETAL_SCALESIM_OS = 0, /* output stationary */
    PETAL_SCALESIM_WS,     /* weight stationary */
    PETAL_SCALESIM_IS,     /* input stationary */
} petal_scalesim_dataflow;

/* A SCALE-Sim configuration file: [general], [architecture_presets], [run_presets]. */
typedef struct petal_scalesim_config {
    char run_name[PETAL_NAME_MAX];
    uint64_t array_rows, array_cols;                       /* ArrayHeight, ArrayWidth */
    uint64_t ifmap_sram_kb, filter_sram_kb, ofmap_sram_kb; /* *SramSzkB, kB of 1-byte words */
    uint64_t ifmap_offset, filter_offset, ofmap_offset;    /* trace addresses only */
    petal_scalesim_dataflow dataflow;
    bool user_bandwidth; /* InterfaceBandwidth USER (else CALC) */
    uint64_t bandwidth;  /* the first Bandwidth value (words per cycle; USER only), 0 if absent */
} petal_scalesim_config;

/* One topology row, as SCALE-Sim takes it (a GEMM row M, N, K becomes an
 * M x K ifmap, a 1 x K filter, 1 channel, N filters, stride 1). */
typedef struct petal_scalesim_layer {
    char name[PETAL_NAME_MAX];
    uint64_t ifmap_h, ifmap_w, filter_h, filter_w, channels, filters, stride_h, stride_w;
    int line; /* in the topology file */
} petal_scalesim_layer;

typedef struct petal_scalesim_topology {
    bool gemm; /* the header names M, N, K */
    size_t nlayers;
    petal_scalesim_layer *layers; /* depthwise "DP" rows already split per channel */
} petal_scalesim_topology;

/* Read a configuration file. Errors name the file, the line and the field
 * (PETAL_EPARSE for the layout, PETAL_EINVAL for a value). Keys are found as
 * SCALE-Sim's reader finds them (any case, ':' or '='). */
petal_status petal_scalesim_load_config(const char *path, petal_scalesim_config *out);

/* Read a topology file; its form (conv or M, N, K) is told from the header
 * line. Free with petal_scalesim_topology_free. */
petal_status petal_scalesim_load_topology(const char *path, petal_scalesim_topology *out);
void petal_scalesim_topology_free(petal_scalesim_topology *t);

/* SCALE-Sim's numbers for one layer. */
typedef struct petal_scalesim_result_layer {
    char name[PETAL_NAME_MAX];
    uint64_t ofmap_h, ofmap_w; /* ceil((H - R + stride) / stride), as SCALE-Sim */
    uint64_t m, n, k;          /* ifmap M x K, filter K x N, ofmap M x N */
    uint64_t macs;             /* M * N * K, invalid windows included */
    uint64_t row_folds, col_folds;
    uint64_t total_cycles, stall_cycles;
    double overall_utilization; /* per cent, as COMPUTE_REPORT.csv */
    double mapping_efficiency;  /* per cent */
    double compute_utilization; /* per cent */
    uint64_t sram_ifmap_reads, sram_filter_reads, sram_ofmap_writes;
    uint64_t dram_ifmap_reads, dram_filter_reads, dram_ofmap_writes;
    /* Whether each DRAM count is reproduced: ifmap and filter reads exactly;
     * ofmap writes exactly when dram_ofmap_exact, else within 1%. A count
     * not reproduced (a layer too large to replay) is 0 and its flag false
     * (docs/systolic.md, "DRAM"). */
    bool dram_ifmap_known, dram_filter_known, dram_ofmap_known, dram_ofmap_exact;
} petal_scalesim_result_layer;

typedef struct petal_scalesim_result {
    size_t nlayers;
    petal_scalesim_result_layer *layers; /* in topology order */
} petal_scalesim_result;

/* Compute every layer of t under c. Fails with PETAL_EUNSUPPORTED for
 * InterfaceBandwidth USER, PETAL_EOVERFLOW when a count does not fit in 64
 * bits. Free with petal_scalesim_result_free. */
petal_status petal_scalesim_run(const petal_scalesim_config *c, const petal_scalesim_topology *t,
                                petal_scalesim_result *out);
void petal_scalesim_result_free(petal_scalesim_result *r);

/* Write the result: a table (text), {"layers": [...]} (JSON, the keys of
 * docs/systolic.md) or one CSV row per layer. */
petal_status petal_report_scalesim(FILE *out, const petal_scalesim_config *c,
                                   const petal_scalesim_result *r, petal_report_format fmt);

#ifdef __cplusplus
}
#endif
#endif
