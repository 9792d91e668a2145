/* formats/yaml/mapping_fields.h - the fields petal's mapping and constraints
 * formats share (library-internal): a dimension name, a {DIM: factor} map and
 * a list of data spaces, each resolved against a problem with positioned
 * messages. */
#ifndef PETAL_FORMATS_YAML_MAPPING_FIELDS_H
#define PETAL_FORMATS_YAML_MAPPING_FIELDS_H

#include <stdint.h>

#include "formats/yaml/ydoc.h"
#include "petal/problem.h"

/* A dimension of p by name; ctx starts the message ("level glb: order"). */
petal_status yaml_dim_of(petal_ydoc *d, yaml_node_t *n, const petal_problem *p, const char *ctx,
                         int *out);

/* {DIM: factor, ...} (factors of at least 1) into factors[]; dimensions not
 * named keep their value. */
petal_status yaml_read_factors(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                               const char *ctx, uint64_t *factors);

/* [Weights, Inputs, ...] (canonical names or the problem's) as a mask. */
petal_status yaml_read_ds_list(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                               const char *ctx, uint8_t *mask);

#endif
