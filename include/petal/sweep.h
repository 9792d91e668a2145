/* petal/sweep.h - design-space exploration: an architecture template, the
 * parameters to vary, the networks to run; every point built, checked, priced and
 * mapped; one row per (point, network, batch); the Pareto front of energy,
 * latency and area (docs/sweep.md).
 *
 * A point is one architecture (the template with one value of every varied
 * parameter), one dataflow and one objective. Points are numbered in the order of
 * the spec: the first varied parameter changes slowest, then the dataflows, then
 * the objectives; a random sample keeps N of them in that order. When every
 * search completes (no time budget stops one), everything a point gives is a pure
 * function of the spec and the point's number, so points may run in any order, on
 * any process, and be put back in point order: a resumed or distributed sweep
 * writes the same bytes as one run.
 *
 * A place is where a parameter lands in the architecture: LEVEL.FIELD with FIELD
 * one of depth, mesh_x, mesh_y, read_bw, write_bw, word_bits (LEVEL a storage
 * level's name, or the arithmetic level's name for mesh_x, mesh_y and
 * word_bits). The place `array.mesh_x` (`array.mesh_y`) is every level
 * replicated with the MACs and the MACs themselves. A level whose mesh changes
 * gets instances = mesh_x x mesh_y; a level whose depth or word_bits changes
 * gets its energies and area from the energy table again (the table's scaling
 * rule, docs/energy.md), and so do the MACs when their word_bits change. A
 * place may also be in the networks: `precision.NAME` (NAME Weights, Inputs,
 * Outputs or Psums) sets that width on every layer of every network, and
 * `precision` alone takes whole lists such as "Weights=8,Inputs=8"
 * (petal_precision_parse), as `--precision` does for `petal eval`.
 */
#ifndef PETAL_SWEEP_H
#define PETAL_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "petal/arch.h"
#include "petal/energy.h"
#include "petal/eval.h"
#include "petal/mapper.h"
#include "petal/network.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PETAL_SWEEP_MAX_PARAMS 8
#define PETAL_SWEEP_MAX_PLACES 8
#define PETAL_SWEEP_MAX_VALUES 256
#define PETAL_SWEEP_MAX_NETWORKS 8
#define PETAL_SWEEP_MAX_BATCHES 8
#define PETAL_SWEEP_MAX_CHOICES 8 /* dataflows, objectives */
/* Points a spec may describe before sampling (the product of the choices). */
#define PETAL_SWEEP_MAX_SPACE 1000000

typedef enum petal_sweep_field {
    PETAL_SWEEP_DEPTH,
    PETAL_SWEEP_MESH_X,
    PETAL_SWEEP_MESH_Y,
    PETAL_SWEEP_READ_BW,
    PETAL_SWEEP_WRITE_BW,
    PETAL_SWEEP_WORD_BITS, /* a level's or the MACs' word_bits */
    PETAL_SWEEP_PRECISION  /* the layers' widths (level unused) */
} petal_sweep_field;

/* One place: a level (index into the template, or -1 for the MACs) and a field.
 * For PETAL_SWEEP_PRECISION, `width` is the index into petal_precision.bits of
 * the width it sets (petal_precision_index), or -1 for whole lists. */
typedef struct petal_sweep_place {
    int level;
    petal_sweep_field field;
    int width;
} petal_sweep_place;

/* One varied parameter: the places that move together and their values. A
 * parameter with a precision place has its values as widths too: precisions[v]
 * is what value v sets on the layers (for a width place, the width at the
 * places' index; for a whole-list place, the list, and values[v] is then v). */
typedef struct petal_sweep_param {
    char name[PETAL_NAME_MAX]; /* as the spec writes it (a CSV column) */
    size_t nplaces;
    petal_sweep_place places[PETAL_SWEEP_MAX_PLACES];
    size_t nvalues;
    double values[PETAL_SWEEP_MAX_VALUES];
    petal_precision precisions[PETAL_SWEEP_MAX_VALUES];
} petal_sweep_param;

/* A file the spec names (its architecture, its networks): a resumed output
 * must have been begun with the same bytes (petal_sweep_output_open). */
#define PETAL_SWEEP_MAX_FILES (1 + PETAL_SWEEP_MAX_NETWORKS)
typedef struct petal_sweep_file {
    char name[256];       /* as the spec gives it */
    char path[1024];      /* as read (beside the spec) */
    uint64_t fingerprint; /* FNV-1a of its bytes, set by petal_sweep_spec_finish */
} petal_sweep_file;

typedef struct petal_sweep_spec {
    petal_arch arch;                        /* the template, energies filled */
    char arch_name[PETAL_NAME_MAX];         /* as the spec names it */
    const petal_energy_table *energy_table; /* re-prices a level whose depth changes */
    size_t nnetworks;
    petal_network networks[PETAL_SWEEP_MAX_NETWORKS]; /* owned; batch 1 */
    size_t nbatches;
    uint64_t batches[PETAL_SWEEP_MAX_BATCHES];
    size_t ndataflows;
    char dataflows[PETAL_SWEEP_MAX_CHOICES][PETAL_NAME_MAX]; /* "" = whole mapspace */
    size_t nobjectives;
    petal_objective objectives[PETAL_SWEEP_MAX_CHOICES];
    size_t nparams;
    petal_sweep_param params[PETAL_SWEEP_MAX_PARAMS];
    uint64_t sample; /* 0: every point; else this many, drawn with `seed` */
    uint64_t seed;
    double max_area_mm2;   /* 0: no cap; a point over it is pruned before mapping */
    double max_latency_ms; /* 0: no cap; pruned before mapping when even every MAC busy
                              is slower, and after mapping when the mapped latency is */
    /* NetAdapt mode (nfractions > 0): one network at one batch; each point's rows
     * are a look-up table, one row per layer and fraction, the layer alone with its
     * output channels scaled by the fraction (docs/sweep.md). */
    size_t nfractions;
    double fractions[PETAL_SWEEP_MAX_CHOICES];
    /* The files the spec names, in the order it names them (the readers fill
     * name and path; petal_sweep_spec_finish reads each for its fingerprint). */
    size_t nfiles;
    petal_sweep_file files[PETAL_SWEEP_MAX_FILES];
    /* Derived: the points, as indices into the full product (ascending). */
    size_t npoints;
    uint64_t *points; /* owned */
} petal_sweep_spec;

/* Finish a spec whose fields are filled (the readers call it): check the places
 * against the template, choose the points and fingerprint the files it names.
 * Fails with a message naming what is wrong (or the file that cannot be read). */
petal_status petal_sweep_spec_finish(petal_sweep_spec *s);
void petal_sweep_spec_free(petal_sweep_spec *s);

/* Rows per point: networks x batches, or in NetAdapt mode layers x fractions. */
size_t petal_sweep_rows_per_point(const petal_sweep_spec *s);

/* The values of point i (one per parameter), its dataflow and objective. */
typedef struct petal_sweep_point {
    size_t index;                          /* 0 .. npoints-1 */
    double values[PETAL_SWEEP_MAX_PARAMS]; /* one per parameter */
    size_t choice[PETAL_SWEEP_MAX_PARAMS]; /* the index of each one in its values */
    const char *dataflow;                  /* "" = whole mapspace */
    petal_objective objective;
} petal_sweep_point;

petal_status petal_sweep_point_get(const petal_sweep_spec *s, size_t i, petal_sweep_point *out);

/* The architecture of a point: the template with the point's values placed, its
 * meshes and instances updated, re-priced where its depth changed. Fails (with
 * the reason) when the result breaks petal_arch_check. */
petal_status petal_sweep_point_arch(const petal_sweep_spec *s, const petal_sweep_point *pt,
                                    petal_arch *out);

/* The widths a point sets on every layer (all 0 when it varies none):
 * petal_precision_apply puts them over each layer's own. */
void petal_sweep_point_precision(const petal_sweep_spec *s, const petal_sweep_point *pt,
                                 petal_precision *out);

/* The shape memo (NULL: none, every layer searched): a search result kept per (layer shape,
 * architecture, objective, dataflow, budget), shared by every network and point a process runs.
 * It keeps the latest 4096 results (about 50 MB), so a long sweep's memory stays bounded.
 * Thread-compatible, not thread-safe: one memo per thread of work. */
typedef struct petal_sweep_memo petal_sweep_memo;
petal_status petal_sweep_memo_new(petal_sweep_memo **out);
void petal_sweep_memo_free(petal_sweep_memo *m);
/* Searches asked for and searches run (the rest came from the memo). */
void petal_sweep_memo_counts(const petal_sweep_memo *m, uint64_t *asked, uint64_t *searched);

typedef enum petal_sweep_status {
    PETAL_SWEEP_OK,       /* every layer mapped */
    PETAL_SWEEP_UNMAPPED, /* some layer has no valid mapping; totals are partial */
    PETAL_SWEEP_INVALID,  /* the architecture fails its checks */
    PETAL_SWEEP_PRUNED    /* over a constraint; not mapped */
} petal_sweep_status;

/* "ok", "unmapped", "invalid", "pruned". */
const char *petal_sweep_status_name(petal_sweep_status st);

typedef struct petal_sweep_row {
    size_t point;
    size_t network; /* index into spec->networks */
    uint64_t batch;
    petal_sweep_status status;
    char reason[PETAL_WHY_MAX]; /* when not ok */
    double area_mm2;            /* also for pruned points */
    uint64_t macs;
    double energy;   /* in the architecture's energy unit, whole batch */
    uint64_t cycles; /* whole batch */
    double latency_s;
    double inferences_per_s;
    double energy_per_mac;
    double dram_bytes_per_mac;
    bool proven;      /* every layer's search completed */
    double worst_gap; /* largest relative gap over the layers (0 when proven) */
    bool on_front;    /* set by petal_sweep_front */
    /* NetAdapt mode: the layer (index into the network), the fraction and the
     * output channels it gives. */
    size_t layer;
    double fraction;
    uint64_t out_channels;
} petal_sweep_row;

/* Run point i: build its architecture and map every layer of every network at
 * every batch (rows_per_point rows, in network then batch order; in NetAdapt
 * mode, in layer then fraction order). `o` gives the
 * threads and the budget; the point's dataflow and objective replace o's. A point
 * that cannot run is rows with a reason, not a failure: only bad arguments and
 * running out of memory fail. */
petal_status petal_sweep_run_point(const petal_sweep_spec *s, size_t i, const petal_map_options *o,
                                   petal_sweep_memo *memo, petal_sweep_row *rows);

/* The CSV header line and one row (each ends with a newline). Numbers are
 * written with fixed precision, so the same row is the same bytes. */
void petal_sweep_csv_header(FILE *out, const petal_sweep_spec *s);
void petal_sweep_csv_row(FILE *out, const petal_sweep_spec *s, const petal_sweep_row *row);

/* Mark the rows that lie on the Pareto front of energy, latency and area among the
 * rows with status ok of the same network and batch (no other such row is at
 * least as good in all three and better in one). */
void petal_sweep_front(petal_sweep_row *rows, size_t nrows);

/* An SVG scatter of energy against latency, one panel per network and batch, the
 * front's points joined. */
void petal_sweep_svg(FILE *out, const petal_sweep_spec *s, const petal_sweep_row *rows,
                     size_t nrows);

/* A fingerprint of the spec file's bytes and of the search budget (the one
 * setting outside the spec that changes rows), for refusing to resume an output
 * begun with another spec. Fails when the file cannot be read. */
petal_status petal_sweep_fingerprint(const char *spec_path, double budget_seconds, uint64_t *out);

/* --- the output file, written as points finish, and resuming it ---
 *
 * Line 1 is "# petal sweep SPEC_FINGERPRINT: N points, R rows each", followed,
 * when the spec names files, by "; files: NAME FINGERPRINT, NAME FINGERPRINT"
 * (s->files); line 2 is the CSV header, then the rows of each point as it
 * finishes, a point's rows together. Finishing rewrites the file in point order.
 * Opening an existing file keeps the points whose rows are all there (a cut last
 * line is dropped) and refuses a file begun with another spec fingerprint, or
 * with a named file whose bytes have changed since (naming that file). */
typedef struct petal_sweep_output petal_sweep_output;

petal_status petal_sweep_output_open(const char *path, const petal_sweep_spec *s,
                                     uint64_t fingerprint, petal_sweep_output **out);
/* Whether point i's rows are in the file; how many points are. */
bool petal_sweep_output_has(const petal_sweep_output *o, size_t point);
size_t petal_sweep_output_count(const petal_sweep_output *o);
/* Append point i's rows (text from petal_sweep_rows_text) and flush. */
petal_status petal_sweep_output_add(petal_sweep_output *o, size_t point, const char *rows_text);
/* Rewrite the file in point order; when every point is there and a path is given,
 * write the front (header and the front's rows, in point order) and the SVG
 * scatter. Then close. Returns the first failure; closes in any case. */
petal_status petal_sweep_output_finish(petal_sweep_output *o, const char *front_path,
                                       const char *svg_path);
/* Every row kept so far, read back from the file's text (so resumed and new
 * points are alike), in the file's final order: point order, a point's rows in
 * network then batch order. Row k is the k-th row under the CSV header once
 * the output is finished. The front is marked (petal_sweep_front). *rows is
 * malloc'd (free it). A NetAdapt table fails with PETAL_EUNSUPPORTED. */
petal_status petal_sweep_output_rows(const petal_sweep_output *o, petal_sweep_row **rows,
                                     size_t *nrows);
/* Close without rewriting (an interrupted run). */
void petal_sweep_output_close(petal_sweep_output *o);

/* Point i's rows as CSV text, malloc'd (free it). */
petal_status petal_sweep_rows_text(const petal_sweep_spec *s, const petal_sweep_row *rows,
                                   char **text);

/* Read a sweep spec (docs/sweep.md): relative file names in it are taken from the
 * spec's folder. Errors name the file, line and what was expected. */
petal_status petal_sweep_spec_load(const char *path, petal_sweep_spec *out);

#ifdef __cplusplus
}
#endif
#endif
