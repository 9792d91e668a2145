/* report/report_json.h - JSON pieces the reports share with the command's
 * own writers (petal sim): library-internal. */
#ifndef PETAL_REPORT_JSON_H
#define PETAL_REPORT_JSON_H

#include <stdint.h>

#include "formats/json/jsonw.h"

/* "tile", "instances", "reads", "fills", "updates" of one data space at one level. */
void report_json_counts(jw *w, uint64_t tile, uint64_t instances, uint64_t reads, uint64_t fills,
                        uint64_t updates);

#endif
