/* petal/network.h - a network: a named, ordered list of layers at one batch size,
 * from the built-in zoo or a file. */
#ifndef PETAL_NETWORK_H
#define PETAL_NETWORK_H

#include <stddef.h>
#include <stdint.h>

#include "petal/limits.h"
#include "petal/problem.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct petal_network {
    char name[PETAL_NAME_MAX];
    uint64_t batch;
    size_t nlayers;
    size_t capacity;
    petal_problem *layers; /* owned; nlayers entries */
} petal_network;

typedef struct petal_network_totals {
    uint64_t macs;
    uint64_t weights;
    uint64_t layers;
} petal_network_totals;

/* Start an empty network with batch 1, called `name`. A name of PETAL_NAME_MAX
 * characters or more fails with PETAL_EINVAL; the network is then empty and
 * unnamed, never named with a cut name. */
petal_status petal_network_init(petal_network *net, const char *name);

/* Release the layers. The network may be initialised again afterwards. */
void petal_network_free(petal_network *net);

/* Append a copy of `layer`. Layer names must be unique within a network. */
petal_status petal_network_add(petal_network *net, const petal_problem *layer);

/* Scale every layer's batch dimension to `batch` (>= 1). */
petal_status petal_network_set_batch(petal_network *net, uint64_t batch);

/* Find a layer by name, or by a 0-based index written in decimal. */
const petal_problem *petal_network_find(const petal_network *net, const char *name_or_index,
                                        size_t *index_out);

/* MACs and weights summed over layers; fails with PETAL_EOVERFLOW past 2^64. */
petal_status petal_network_totals_get(const petal_network *net, petal_network_totals *out);

/* --- built-in zoo --- */

/* Number of built-in networks and the name of the i-th, in a stable order. */
size_t petal_zoo_count(void);
const char *petal_zoo_name(size_t i);
/* One line describing the i-th network (its source and what it models). */
const char *petal_zoo_description(size_t i);

/* Build a zoo network at batch 1. An unknown name fails with PETAL_ENOTFOUND and
 * a message listing the known names. */
petal_status petal_zoo_build(const char *name, petal_network *net);

#ifdef __cplusplus
}
#endif
#endif
