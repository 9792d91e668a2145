/* petal/report.h - printing networks and results as text tables, JSON and CSV. */
#ifndef PETAL_REPORT_H
#define PETAL_REPORT_H

#include <stdio.h>

#include "petal/network.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum petal_report_format {
    PETAL_REPORT_TEXT,
    PETAL_REPORT_JSON,
    PETAL_REPORT_CSV,
} petal_report_format;

/* A network's layers and totals. JSON: {"name", "batch", "layers": [{"name",
 * "kind", "dims": {DIM: bound}, "macs", "weights", "inputs", "outputs"}],
 * "totals": {"macs", "weights", "layers"}}. */
petal_status petal_report_network(FILE *out, const petal_network *net, petal_report_format fmt);

#ifdef __cplusplus
}
#endif
#endif
