/* study/scalesim_internal.h - the replay of SCALE-Sim's read buffers that
 * scalesim.c falls back on (library-internal). */
#ifndef PETAL_STUDY_SCALESIM_INTERNAL_H
#define PETAL_STUDY_SCALESIM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "petal/scalesim.h"

/* The replay takes time in proportion to the SRAM reads and memory in
 * proportion to the operand's address space; beyond these it is not tried. */
#define SCALESIM_REPLAY_MAX_READS (UINT64_C(1) << 28)
#define SCALESIM_REPLAY_MAX_WORDS (UINT64_C(1) << 26)

/* SCALE-Sim's DRAM reads of layer l's ifmap (or filter) under c, from the
 * SRAM counts, folds and sizes already in r: sets *fetched and *done, or
 * leaves *done false when the replay is beyond its bounds. Fails only when
 * memory runs out. */
petal_status scalesim_replay_reads(const petal_scalesim_config *c, const petal_scalesim_layer *l,
                                   const petal_scalesim_result_layer *r, bool ifmap,
                                   uint64_t *fetched, bool *done);

/* SCALE-Sim's DRAM ofmap writes and stall cycles for the layer of r under c:
 * every ofmap write replayed, cycle by cycle, through its write buffer. Sets
 * *written, *stalls and *done, or leaves *done false beyond the bounds. Fails
 * only when memory runs out. */
petal_status scalesim_replay_writes(const petal_scalesim_config *c,
                                    const petal_scalesim_result_layer *r, uint64_t *written,
                                    uint64_t *stalls, bool *done);

#endif
