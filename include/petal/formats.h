/* petal/formats.h - petal's own file formats (docs/formats.md), and the one
 * place that picks a reader for a name or a path.
 *
 * Networks, architectures and mappings are YAML files; networks may also come
 * from the built-in zoo or an ONNX model (petal/onnx.h), architectures from the
 * built-in presets. Timeloop's files have readers of their own (petal/timeloop.h).
 * None of this is in the core library (PETAL_CORE_ONLY builds leave it out).
 */
#ifndef PETAL_FORMATS_H
#define PETAL_FORMATS_H

#include <stdio.h>

#include "petal/arch.h"
#include "petal/constraints.h"
#include "petal/mapping.h"
#include "petal/network.h"
#include "petal/problem.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- choosing a reader --- */

/* A network by zoo name or from a file: .yaml/.yml (a Timeloop problem, as a
 * network of one layer, or else petal's format) or .onnx.
 * A name that is neither a zoo network nor such a file, but is a file on disk,
 * fails with PETAL_EINVAL saying the file was found and which forms petal
 * reads; an unknown name with PETAL_ENOTFOUND listing the zoo. */
petal_status petal_network_load(const char *name_or_path, petal_network *net);

/* An architecture by preset name or from a .yaml/.yml file: a Timeloop
 * architecture (its energies and areas 0, with a warning: an ERT and ART come
 * through petal/timeloop.h) or else petal's format. Other files and unknown
 * names fail as petal_network_load's do. */
petal_status petal_arch_load(const char *name_or_path, petal_arch *a);

/* --- petal's YAML formats --- */

/* Load petal's YAML network format. */
petal_status petal_network_load_yaml(const char *path, petal_network *net);

/* Load petal's YAML architecture format. */
petal_status petal_arch_load_yaml(const char *path, petal_arch *a);

/* Load petal's YAML mapping format for problem p on architecture a: level and
 * dimension names are resolved against them. */
petal_status petal_mapping_load_yaml(const char *path, const petal_problem *p, const petal_arch *a,
                                     petal_mapping *m);

/* Add petal's YAML mapspace constraints (docs/formats.md, "Constraints") for
 * problem p on architecture a to c (initialise it with petal_constraints_init
 * first). path is a constraints file (a top-level `constraints:` list) or a
 * petal architecture file (its `constraints:` under `architecture:`; none
 * there adds nothing). Level, dimension and data-space names are resolved
 * against a and p; a bad entry fails with file:line:column and the field. */
petal_status petal_constraints_load_yaml(const char *path, const petal_problem *p,
                                         const petal_arch *a, petal_constraints *c);

/* Apply a per-layer density profile (docs/densities.md) to net: a YAML file
 * with a mapping `densities:` from layer name to a `density` mapping as a
 * network file's ({Weights: 0.35, Inputs: 0.6}, or {Weights: {distribution:
 * hypergeometric, density: 0.35}}). Each named layer's densities are
 * overwritten data space by data space; layers and data spaces the profile
 * leaves out keep theirs. A layer name the network lacks, one named twice, a
 * density outside [0, 1] or an unknown distribution fail with
 * file:line:column and the field; net is then unchanged. */
petal_status petal_network_apply_density_profile(petal_network *net, const char *path);

/* Write m in petal's YAML mapping format (loadable by petal_mapping_load_yaml). */
petal_status petal_mapping_write_yaml(FILE *out, const petal_problem *p, const petal_arch *a,
                                      const petal_mapping *m);

#ifdef __cplusplus
}
#endif
#endif
