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
 * instances), by action: [0] reads, [1] fills, [2] updates. */
typedef struct report_sparse_counts {
    uint64_t algorithmic[3], gated[3], skipped[3], metadata[3];
} report_sparse_counts;

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
