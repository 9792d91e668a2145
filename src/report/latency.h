/* report/latency.h - what set a result's cycles (petal_model_result's
 * bounds), as the model, map and eval reports print it: library-internal. */
#ifndef PETAL_REPORT_LATENCY_H
#define PETAL_REPORT_LATENCY_H

#include <stddef.h>
#include <stdio.h>

#include "formats/json/jsonw.h"
#include "petal/model.h"

/* "compute", "<level> read" or "<level> write" into buf. */
void report_bound_name(const petal_arch *a, const petal_bound *b, char *buf, size_t size);

/* One line: "limited by <bound> (<data space> most), N cycles; slack: <bound> N, ...".
 * `prefix` starts the line ("" or "# "). */
void report_latency_text(FILE *out, const char *prefix, const petal_problem *p, const petal_arch *a,
                         const petal_model_result *r);

/* Short form for a table cell: "<bound> (<next bound> X%)", X the cycles the
 * bound with the least slack after it needs, in per cent of the cycles. */
void report_latency_cell(const petal_arch *a, const petal_model_result *r, char *buf, size_t size);

/* "limited_by": "<bound>" and "bounds": [{bound, kind, level, data_space, words, cycles,
 * slack}] as two keys of the enclosing object. */
void report_latency_json(jw *w, const petal_problem *p, const petal_arch *a,
                         const petal_model_result *r);

#endif
