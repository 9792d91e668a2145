/* formats/timeloop/timeloop_internal.h - what the Timeloop readers share: opening a spec
 * (refusing Jinja templates), instance-range names, dimension and data space
 * lists, factor and permutation strings, and mapping targets. */
#ifndef PETAL_FORMATS_TIMELOOP_INTERNAL_H
#define PETAL_FORMATS_TIMELOOP_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "formats/yaml/ydoc.h"
#include "petal/arch.h"
#include "petal/mapping.h"
#include "petal/problem.h"
#include "util/name.h"

/* Load a Timeloop YAML file. A file with Jinja markup ({{ or {%) fails with
 * PETAL_EUNSUPPORTED naming the line. */
petal_status petal_tl_open(petal_ydoc *d, const char *path);

/* The value of a top-level key, or NULL. */
yaml_node_t *petal_tl_top(petal_ydoc *d, const char *key);

/* Warn about top-level keys that no Timeloop reader knows. */
void petal_tl_warn_top_keys(petal_ydoc *d);

/* Split "PE[0..15]" into "PE" and 16 instances (a name without a range has
 * one). The base is the text after the last '.', so Accelergy's
 * "system_top_level.PE[1..16]" gives "PE" too. Fails on a malformed range and
 * on a base that does not fit in base[size], the limit called `limit` (pass
 * the three with PETAL_NAME_FIELD). */
petal_status petal_tl_split_name(petal_ydoc *d, yaml_node_t *at, const char *name, char *base,
                                 size_t size, const char *limit, uint64_t *count);

/* The tag of a node without its leading '!' ("Container"), or "" when the
 * node has libyaml's default tag. */
const char *petal_tl_tag(const yaml_node_t *n);

/* Index of the problem's data space named `name`, or -1. */
int petal_tl_dataspace(const petal_problem *p, const char *name);

/* A list of data space names (a sequence, or one name) -> mask of 1 << ds. */
petal_status petal_tl_dataspace_mask(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                                     const char *what, uint8_t *mask);

/* Factors written "R=3 P=1", "R3 P1", "R=1,P=16", or as a list of such
 * strings. exact[d] receives "=" factors, max[d] (when max is not NULL)
 * "<=" bounds; dimensions not named are left untouched. A factor of 0 means the
 * whole bound, as in Timeloop. Imperfect factors ("P14,12": 14 iterations, 12
 * in the loop's last occurrence) put the residual in residual[d] when
 * residual is not NULL and are refused otherwise. */
petal_status petal_tl_factors(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                              const char *what, uint64_t *exact, uint64_t *max, uint8_t *named,
                              uint64_t *residual);

/* A permutation written "RPK" (one letter per dimension), "R P K", "R,P,K" or
 * as a list: dimension indices in order, innermost first. `ellipsis` (may be
 * NULL) receives the position of a "..." item in a list, or -1. */
petal_status petal_tl_permutation(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                                  const char *what, uint8_t *dims, int *count, int *ellipsis);

/* The level a mapping or constraint `target` names: a level name, or a v0.4
 * container name whose fan-out level is "inter_<name>_spatial". -1 if none. */
int petal_tl_level(const petal_arch *a, const char *target);

/* Read the `architecture:` of a loaded document. level_constraints (may be
 * NULL) receives, per level, the node of constraints written on it (v0.4), or
 * NULL; asking for them means the file was read before, so warnings are not
 * repeated. */
petal_status petal_tl_arch_from_doc(petal_ydoc *d, petal_arch *a, yaml_node_t **level_constraints);

/* Read the mapping of a loaded document (`mapping:` or a bare list). */
petal_status petal_tl_mapping_from_doc(petal_ydoc *d, const petal_problem *p, const petal_arch *a,
                                       petal_mapping *m);

#endif
