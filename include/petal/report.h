/* petal/report.h - networks, architectures, search and evaluation results as
 * text tables, JSON and CSV. */
#ifndef PETAL_REPORT_H
#define PETAL_REPORT_H

#include <stdio.h>

#include "petal/arch.h"
#include "petal/eval.h"
#include "petal/eyexam.h"
#include "petal/mapper.h"
#include "petal/model.h"
#include "petal/network.h"
#include "petal/sheet.h"
#include "petal/sweep.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum petal_report_format {
    PETAL_REPORT_TEXT,
    PETAL_REPORT_JSON,
    PETAL_REPORT_CSV,
    /* JSON with the wall-clock times too (petal_report_map and
     * petal_report_eval: "seconds", "found_seconds", totals' "seconds"); plain
     * JSON leaves them out, so that a deterministic search writes the same
     * bytes on every run. Elsewhere: the same as PETAL_REPORT_JSON. */
    PETAL_REPORT_JSON_TIMINGS,
} petal_report_format;

/* A network's layers and totals. JSON: {"name", "batch", "layers": [{"name",
 * "kind", "dims": {DIM: bound}, "macs", "weights", "inputs", "outputs"}],
 * "totals": {"macs", "weights", "layers"}}. */
petal_status petal_report_network(FILE *out, const petal_network *net, petal_report_format fmt);

/* One mapping's evaluation (petal_model_eval's result) as text or JSON (CSV:
 * PETAL_EUNSUPPORTED). Text: whether it is valid (and why not), computes,
 * cycles, utilisation and energy, then per storage level and kept data space
 * the tile, reads, fills, updates (totals over instances) and energy, the MACs'
 * energy, each level's network and leakage energy, and any level whose
 * bandwidth sets the cycles. JSON: {"energy_unit", "valid", "computes",
 * "cycles", "energy_pj", "mac_energy_pj", "compute_cycles", "utilization",
 * "utilized_macs", "area_um2", "energy_by_data_space_pj", "levels": [{"name",
 * "instances", "utilized_instances", "cycles", "capacity_used", "energy_pj",
 * "network_energy_pj", "leak_pj", "data_spaces": {NAME:
 * {"kept", "tile", "instances", "reads", "fills", "updates", "energy_pj",
 * "network_energy_pj", ...}}}]}, with "reason", "level", "why" when invalid
 * (docs/cli.md lists every key). Energies are in the architecture's unit. */
petal_status petal_report_model(FILE *out, const petal_problem *p, const petal_arch *a,
                                const petal_model_result *r, petal_report_format fmt);

/* An architecture as JSON: {"name", "energy_unit" ("pJ" or "MAC": the unit of
 * every *_pj field), "clock_hz", "levels": [{"name", "class", "depth",
 * "word_bits", "block_size", "instances", "mesh_x", "mesh_y", "fanout",
 * "fanout_x", "fanout_y", "read_bw", "write_bw", "data_spaces": [NAME],
 * "read_pj", "fill_pj", "update_pj", "leak_pj", "hop_pj", "area_um2",
 * "total_area_um2"}], "arithmetic": {"name", "instances", "mesh_x", "mesh_y",
 * "word_bits", "mac_pj", "area_um2", "total_area_um2"}, "total_area_um2"}.
 * (The text table is petal_arch_print.) */
void petal_arch_write_json(FILE *out, const petal_arch *a);

/* The per-layer table and the totals: energy per inference, latency,
 * inferences per second, DRAM bytes per MAC. JSON: {"net", "arch", "batch",
 * "objective", "dataflow", "layers": [{"name", "same_as", "macs", "found",
 * "why", "energy_pj", "pj_per_mac", "energy_split_pj": {"dram", "buffer",
 * "noc", "rf", "mac"}, "cycles", "latency_s", "utilization", "dram_bytes",
 * "evaluated", "lower_bound", "gap", "complete", "stopped_by"}], "totals":
 * {"energy_pj", "cycles", "latency_s", "macs", "energy_per_inference_pj",
 * "inferences_per_second", "dram_bytes_per_mac", "energy_split_pj",
 * "unmapped"}} (with PETAL_REPORT_JSON_TIMINGS also each layer's "seconds" and
 * "found_seconds" and the totals' "seconds"). CSV: one row per layer. */
petal_status petal_report_eval(FILE *out, const petal_network *net, const petal_arch *a,
                               const petal_map_options *o, const petal_eval_result *r,
                               petal_report_format fmt);

/* What the HTML report is drawn from: the structures the JSON writers write
 * (petal_report_eval, petal_report_sheet, petal_report_eyexam), never
 * computed again. options may be NULL (the whole mapspace, objective energy).
 * sheet, when not NULL, is the sheet of net on this one architecture (its
 * archs[0].eval is then normally `eval` itself, so nothing is searched twice);
 * eyexam, when not NULL, has one entry per network layer, of which those with
 * same_as == their index are read, and an entry whose steps[0].step is 0 was
 * not computed. A section whose structure is missing says so on the page. */
typedef struct petal_html_input {
    const petal_network *net;
    const petal_arch *arch;
    const petal_map_options *options;
    const petal_eval_result *eval; /* petal_eval_network's result for net on arch */
    const petal_sheet *sheet;
    const petal_eyexam_result *eyexam;
} petal_html_input;

/* One self-contained HTML page (inline CSS and SVG, no script, nothing loaded
 * from elsewhere: its Content-Security-Policy forbids it) for a whole-network
 * evaluation: what was evaluated (petal version, network, architecture,
 * batch, dataflow, energy unit, search status), the totals per inference, the
 * benchmark sheet, the per-layer table, energy per layer by level and by data
 * type, the whole network's split, a roofline, Eyexam's seven bounds per
 * layer as a falling staircase, and each layer's best mapping as a loop nest.
 * Every number that a JSON output also has is written as <span
 * data-src="SRC" data-path='["layers",3,"energy_pj"]' data-value="EXACT"
 * data-scale="S">SHOWN</span>: SRC names the JSON ("eval": petal eval
 * --format json; "sheet": petal sheet --format json; "eyexam/I": petal eyexam
 * --format json for layer I), EXACT is that JSON's text at the path, and
 * SHOWN is EXACT * S (S = 1 when absent) rounded. Charts are <svg
 * class="chart"> with ids chart-energy-layers, chart-energy-split,
 * chart-roofline and chart-eyexam. docs/report.md describes the page. */
petal_status petal_report_html(FILE *out, const petal_html_input *in);

/* What a sweep's HTML page is drawn from: the spec, and the rows as the results
 * file holds them (petal_sweep_output_rows: row k is the k-th row under the CSV
 * header, the front marked). The names are shown as given. */
typedef struct petal_sweep_html_input {
    const petal_sweep_spec *spec;
    const char *spec_name;    /* the spec file */
    const char *results_name; /* the results CSV the rows are from */
    double budget_seconds;    /* the search budget per layer shape; < 0: none */
    const petal_sweep_row *rows;
    size_t nrows;
} petal_sweep_html_input;

/* One self-contained HTML page for a finished sweep (the same head, policy and
 * style as petal_report_html; no script): what was swept (spec, template,
 * networks, batches, dataflows, objectives, parameters and their values,
 * constraints, budget, energy unit, how many rows are ok, unmapped, invalid or
 * pruned), the scatter of energy against latency with the front (<svg
 * id="chart-sweep" class="chart">, each point's <circle data-row="K">), the
 * front as a table (id "front-table"), the rows that are not ok with their
 * reasons (id "not-ok-table") and every row (id "row-table", at most 2000; the
 * page says when there are more). Every number a row has in the CSV is written
 * as <span data-src="sweep" data-path='[K,"COLUMN"]' data-value="EXACT"
 * [data-scale="S"]>SHOWN</span>: K the row's index under the header, COLUMN
 * the CSV column, EXACT its text in the file, SHOWN = EXACT x S rounded
 * (docs/sweep.md). A NetAdapt table has no front: PETAL_EUNSUPPORTED. */
petal_status petal_report_sweep_html(FILE *out, const petal_sweep_html_input *in);

/* One layer's search result: text (a summary as YAML comments, then the
 * mapping in petal's YAML format, so the whole output loads as a mapping) or
 * JSON ({"layer", "arch", "objective", "dataflow", "found", "why", "complete",
 * "energy_pj", "pj_per_mac", "cycles", "utilization", "evaluated", "bounded",
 * "lower_bound", "gap", "stopped_by" (null, "effort" or "time"), "seconds" and
 * "found_seconds" (PETAL_REPORT_JSON_TIMINGS only), "energy_split_pj", "mapping": {"levels":
 * [{"level", "temporal", "order", "spatial_x", "spatial_y", "keep"}]}}, the
 * mapping as in the YAML format). */
petal_status petal_report_map(FILE *out, const petal_problem *p, const petal_arch *a,
                              const petal_map_options *o, const petal_map_result *r,
                              petal_report_format fmt);

/* Eyexam's seven bounds for one layer (petal/eyexam.h). Text: one line per
 * step (number, name, MACs/cycle, what limits it), then the best mapping's
 * MACs/cycle. JSON: {"layer", "steps": [{"step", "name", "macs_per_cycle",
 * "limited_by"}], "best_macs_per_cycle"} (null when no mapping was found or
 * none searched). CSV: PETAL_EUNSUPPORTED. */
petal_status petal_report_eyexam(FILE *out, const petal_eyexam_result *r, petal_report_format fmt);

/* The benchmark sheet (petal/sheet.h): one column per architecture (text),
 * one row per architecture (CSV), or JSON {"net", "batch", "architectures":
 * [{"arch", "energy_unit", "energy_per_inference", "latency_s",
 * "inferences_per_second", "energy_per_mac", "dram_bytes_per_mac",
 * "mm2_per_multiplier", "kb_per_multiplier", "utilization", "proven"}]} with
 * the network's figures beside "net" (docs/cli.md lists the added keys). */
petal_status petal_report_sheet(FILE *out, const petal_sheet *s, petal_report_format fmt);

#ifdef __cplusplus
}
#endif
#endif
