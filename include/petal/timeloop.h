/* petal/timeloop.h - reading Timeloop/Accelergy specifications and writing
 * Timeloop-style statistics.
 *
 * petal reads the YAML files that Timeloop users already have:
 *   - problems (v0.3 and v0.4 `problem:` with a shape of dimensions,
 *     coefficients and data spaces with projections, and an instance);
 *   - architectures (v0.4 `nodes:` with !Container / !Component / !Parallel,
 *     the v0.3 `subtree` / `local` form, and the form Timeloop writes to
 *     parsed-processed-input.yaml);
 *   - mappings (`mapping:` directives: temporal, spatial, datatype/bypass);
 *   - mapspace constraints (on v0.4 components, or `architecture_constraints`,
 *     `mapspace_constraints`, `constraints` lists of targets);
 *   - Accelergy energy (ERT) and area (ART) tables.
 * Jinja-templated files are not read: render them first. docs/timeloop.md says
 * what is supported and where petal's semantics differ on purpose.
 *
 * Architecture translation. Levels are numbered outermost first, like
 * petal_arch. A v0.4 container with a spatial mesh becomes a storage-less level
 * (PETAL_MEM_NONE) named "inter_<container>_spatial" holding the fan-out, as
 * Timeloop's front end does; mapping directives may target either that name or
 * the container's. Word bits come from `datawidth`, the block size from
 * width / (datawidth * cluster_size) unless `block_size` is given, and the depth
 * in words is depth * block size divided by the multiple-buffering factor.
 *
 * Every reader fails with a positioned message ("file:line:column: ...") on
 * malformed input, PETAL_EUNSUPPORTED naming the feature for what petal does not
 * model, and warns (petal_set_warning_handler) about keys it ignores.
 */
#ifndef PETAL_TIMELOOP_H
#define PETAL_TIMELOOP_H

#include <stdbool.h>
#include <stdio.h>

#include "petal/arch.h"
#include "petal/constraints.h"
#include "petal/mapping.h"
#include "petal/model.h"
#include "petal/problem.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Read the `problem:` of a file. Dimensions keep the file's order; the data
 * space marked read_write becomes Outputs, the other two Weights then Inputs in
 * listed order (names Weights/Inputs/Outputs are matched first). The result is a
 * PETAL_LAYER_GENERIC problem whose projections carry the coefficient values. */
petal_status petal_timeloop_read_problem(const char *path, petal_problem *p);

/* Read the `architecture:` of a file. Energies and areas stay 0 until an ERT
 * and ART are read. */
petal_status petal_timeloop_read_arch(const char *path, petal_arch *a);

/* Read the `mapping:` of a file (or a file that is a bare list of directives)
 * for problem p on architecture a. Unmentioned levels get factors 1; a level
 * with no datatype directive keeps every data space (Timeloop's default);
 * storage-less levels keep nothing. Factors must multiply to the bounds. */
petal_status petal_timeloop_read_mapping(const char *path, const petal_problem *p,
                                         const petal_arch *a, petal_mapping *m);

/* Add the mapspace constraints found in a file to c (initialise c with
 * petal_constraints_init first): those written on v0.4 architecture
 * components, and `architecture_constraints`, `mapspace_constraints` or
 * `constraints` lists. */
petal_status petal_timeloop_read_constraints(const char *path, const petal_problem *p,
                                             const petal_arch *a, petal_constraints *c);

/* Set per-action energies of a's levels and MACs from an Accelergy ERT
 * (`ERT:` tables). Table names match levels by their last dotted component
 * without an instance range ("system_top_level.DRAM[1..1]" -> DRAM). Reads use
 * the `read` action, fills `write`, updates `update` (then `write`), the MACs
 * `compute` (or `mac`), static energy `leak`; an action listed several times
 * with different arguments costs its most expensive entry. An ERT is in pJ:
 * an architecture whose energy_unit is not pJ is refused (PETAL_EINVAL). */
petal_status petal_timeloop_read_ert(const char *path, petal_arch *a);

/* Set per-instance areas from an Accelergy ART (`ART:` tables). */
petal_status petal_timeloop_read_art(const char *path, petal_arch *a);

/* The files of one Timeloop run. Any may be NULL. `combined` holds several
 * parts at once (parsed-processed-input.yaml). A part given on its own (problem,
 * arch, mapping, ert, art) comes from that file, even when another file holds
 * it too (a processed input given as `arch` carries a problem and a mapping);
 * every file whose part is so replaced is named in a warning. Without its own
 * file a part comes from the first of problem, arch, mapping, constraints,
 * ert, art, combined that has it. Constraints add up over the files. */
typedef struct petal_timeloop_files {
    const char *combined;
    const char *problem;
    const char *arch;
    const char *mapping;
    const char *constraints;
    const char *ert;
    const char *art;
    /* Sparseloop's sparse optimizations (a file with a top-level
     * `sparse_optimizations:`); when given they replace the architecture
     * file's own. Without it, the architecture file's top-level
     * `sparse_optimizations:` applies (docs/sparsity.md). */
    const char *sparse_opts;
} petal_timeloop_files;

/* What was read. A missing mapping leaves has_mapping false and `mapping`
 * initialised by petal_mapping_init. */
typedef struct petal_timeloop_spec {
    petal_problem problem;
    petal_arch arch;
    petal_mapping mapping;
    petal_constraints constraints;
    bool has_mapping;
    bool has_energy; /* an ERT was read */
    bool has_area;   /* an ART was read */
} petal_timeloop_spec;

/* Read a problem and an architecture (both required), then the mapping,
 * constraints, ERT and ART when given. */
petal_status petal_timeloop_load(const petal_timeloop_files *files, petal_timeloop_spec *out);

/* True when the file is in Timeloop's form: a `problem:`, an `architecture:`
 * with nodes, subtree or local, a `mapping:` list, an ERT, ART or constraints
 * (petal's own architecture and mapping formats have `levels` instead). Used to
 * tell Timeloop files from petal's own; false for a file that cannot be read. */
bool petal_timeloop_is_spec(const char *path);

/* Write mapping m of problem p on architecture a as Timeloop mapping
 * directives (`mapping:` with datatype, temporal and spatial directives per
 * level, innermost first, as timeloop-mapper writes its .map.yaml), which
 * petal_timeloop_read_mapping reads back to m. A level that splits one
 * dimension over both X and Y cannot be written (PETAL_EUNSUPPORTED). */
petal_status petal_timeloop_write_mapping(FILE *out, const petal_problem *p, const petal_arch *a,
                                          const petal_mapping *m);

/* Write the statistics of a model result laid out like Timeloop's
 * timeloop-model.stats.txt: levels innermost first (the MACs are level 0),
 * each storage level with its specs and, per data space it keeps, the
 * utilised capacity and instances and the scalar reads, fills and updates per
 * instance; then the summary (utilisation, cycles, energy, computes and
 * fJ/compute per level). Storage-less levels are numbered but not printed.
 * An architecture whose energies are not in pJ (a normalised table) is refused
 * with PETAL_EUNSUPPORTED: the layout states pJ. */
petal_status petal_timeloop_write_stats(FILE *out, const petal_problem *p, const petal_arch *a,
                                        const petal_mapping *m, const petal_model_result *r);

#ifdef __cplusplus
}
#endif
#endif
