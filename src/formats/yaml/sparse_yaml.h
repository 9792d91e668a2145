/* sparse_yaml.h - the one reader of a Sparseloop `sparse_optimizations` node
 * (library-internal): Timeloop inputs and petal's own architecture YAML both
 * call it, so that one spelling means one thing everywhere. */
#ifndef PETAL_SPARSE_YAML_H
#define PETAL_SPARSE_YAML_H

#include "petal/arch.h"
#include "petal/problem.h"

#include "formats/yaml/ydoc.h"

/* Apply a `sparse_optimizations` node (a map with `targets:`, or the list of
 * targets itself) to architecture a, whose data spaces and dimensions are
 * p's. Each target names a storage level (representation_format,
 * action_optimization) or the MACs (compute_optimization). Fails with
 * "file:line:column: field: what was expected" on an unknown level, data
 * space, format or optimization type, more format ranks than p has
 * dimensions, or a condition_on naming no data space. The levels' sparse
 * formats and options are replaced, their metadata attributes and sparse
 * energies kept. */
petal_status petal_sparse_yaml_apply(petal_ydoc *d, yaml_node_t *node, const petal_problem *p,
                                     petal_arch *a);

/* One target (a map with name, representation_format, action_optimization,
 * compute_optimization) applied to a level's sparse features `ls`, or, when
 * ls is NULL, to the MACs' `as`. */
petal_status petal_sparse_yaml_target(petal_ydoc *d, yaml_node_t *target, const petal_problem *p,
                                      petal_level_sparse *ls, petal_arith_sparse *as);

/* A `sparse:` block of petal's architecture YAML (docs/formats.md): on a
 * storage level (ls) representation_format, action_optimization and
 * metadata_word_bits (the level's metadata word, for ranks that give none);
 * at the MACs (ls NULL, as) compute_optimization. The fields are those of a
 * target above, read without a problem: data spaces by petal's names, a
 * flattened rank as `all`, at most PETAL_MAX_FORMAT_RANKS ranks. ctx names
 * the level for messages ("level DRAM"). */
petal_status petal_sparse_yaml_block(petal_ydoc *d, yaml_node_t *block, const char *ctx,
                                     petal_level_sparse *ls, petal_arith_sparse *as);

#endif
