/* report/report_json.h - JSON pieces the reports share with the command's
 * own writers (petal sim): library-internal. */
#ifndef PETAL_REPORT_JSON_H
#define PETAL_REPORT_JSON_H

#include <stdint.h>

#include "formats/json/jsonw.h"
#include "petal/problem.h"

/* "tile", "instances", "reads", "fills", "updates" of one data space at one level. */
void report_json_counts(jw *w, uint64_t tile, uint64_t instances, uint64_t reads, uint64_t fills,
                        uint64_t updates);

/* One data space's sparse counts at one level (petal/sparse.h; totals over
 * instances), by kind (algorithmic, gated, skipped, metadata) and action
 * (reads, fills, updates). REPORT_SPARSE_COUNTS(ds) fills one from the model's
 * petal_ds_stats or the simulator's petal_sim_ds_stats, which name them alike. */
typedef struct report_sparse_counts {
    uint64_t count[4][3];
} report_sparse_counts;
#define REPORT_SPARSE_COUNTS(ds)                                                                   \
    ((report_sparse_counts){                                                                       \
        {{(ds)->algorithmic_reads, (ds)->algorithmic_fills, (ds)->algorithmic_updates},            \
         {(ds)->gated_reads, (ds)->gated_fills, (ds)->gated_updates},                              \
         {(ds)->skipped_reads, (ds)->skipped_fills, (ds)->skipped_updates},                        \
         {(ds)->metadata_reads, (ds)->metadata_fills, (ds)->metadata_updates}}})

/* "algorithmic_reads" ... "metadata_updates": the twelve keys of docs/sparsity.md,
 * the same for petal model and petal sim. */
void report_json_sparse_counts(jw *w, const report_sparse_counts *c);

/* "density": {Weights: {"distribution", "density"[, "band_width"]}, ...}
 * for the data spaces of p that have one (docs/densities.md); nothing for a
 * dense layer. */
void report_json_density(jw *w, const petal_problem *p);

/* key: v, or null when v is not finite (a figure that is not known). */
void report_json_number_or_null(jw *w, const char *key, double v);

#endif
