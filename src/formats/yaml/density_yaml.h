/* formats/yaml/density_yaml.h - a `density` mapping of petal's YAML files
 * (docs/densities.md): data space -> a density, read by the network format
 * (network_yaml.c) and the per-layer density profile (density_profile.c). */
#ifndef PETAL_FORMATS_DENSITY_YAML_H
#define PETAL_FORMATS_DENSITY_YAML_H

#include "formats/yaml/ydoc.h"
#include "petal/problem.h"

/* Read `node`, a mapping such as {Weights: 0.35, Inputs: {distribution:
 * hypergeometric, density: 0.6}}, into out: the data spaces it names are
 * overwritten (petal_density_given then holds for them), the others kept.
 * A value is a number from 0 to 1 (fixed_structured, as Sparseloop reads a
 * plain number), "dense", "DISTRIBUTION:DENSITY", or a mapping with
 * `distribution` (fixed_structured when left out) and `density`. `whose`
 * names the network or layer in messages, which carry file:line:column and
 * the field. */
petal_status petal_yread_densities(petal_ydoc *d, yaml_node_t *node, const char *whose,
                                   petal_density out[PETAL_NUM_DS]);

#endif
