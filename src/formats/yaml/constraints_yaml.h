/* formats/yaml/constraints_yaml.h - reading a `constraints:` list of petal's
 * YAML (library-internal; petal_constraints_load_yaml is the public entry). */
#ifndef PETAL_FORMATS_YAML_CONSTRAINTS_YAML_H
#define PETAL_FORMATS_YAML_CONSTRAINTS_YAML_H

#include "formats/yaml/ydoc.h"
#include "petal/arch.h"
#include "petal/constraints.h"
#include "petal/problem.h"

/* Add the entries of `list` to c (initialised for a). With p NULL only the
 * form, the level names and the data-space names are checked (dimensions are
 * a layer's), and c is left with nothing that depends on dimensions. */
petal_status yaml_constraints_read(petal_ydoc *d, yaml_node_t *list, const petal_problem *p,
                                   const petal_arch *a, petal_constraints *c);

#endif
