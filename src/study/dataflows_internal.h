/* dataflows_internal.h - what the files of the dataflow study (dataflows*.c)
 * share; internal to the library. */
#ifndef PETAL_STUDY_DATAFLOWS_INTERNAL_H
#define PETAL_STUDY_DATAFLOWS_INTERNAL_H

#include <stdint.h>

#include "petal/study.h"

/* One dataflow's row of the setup table (dataflows_setup.c). */
typedef struct setup_row {
    const char *name;
    const char *dataflow; /* the mapper's constraint set (docs/dataflows.md) */
    uint64_t rf_bytes;    /* per PE */
} setup_row;

extern const setup_row dataflow_setup_rows[PETAL_STUDY_DATAFLOWS];

/* The variant of eyeriss-256 for one dataflow: RF of rf_bytes per PE (none when
 * 0) and the buffer that the rest of the baseline area buys. */
petal_status dataflow_build_setup(const setup_row *row, petal_arch *a, petal_dataflow_setup *out);

/* The study before any mapping: the layers at `batch` and the six setups. */
petal_status dataflow_study_init(uint64_t batch, petal_dataflow_study *out);

/* Evaluate every layer's mapping with the model and sum CONV and FC. A fresh
 * search and a reloaded one go through here alike, so both print the same. */
petal_status dataflow_study_finish(petal_dataflow_study *out);

#endif
