/* html_report.c - `petal report`: one self-contained HTML page (inline CSS and
 * SVG, no script, no network) drawn from the whole-network evaluation.
 *
 * The page is drawn from the structures petal_report_eval writes as JSON and
 * computes no figure of its own beyond ratios of them (percentages, MACs per
 * byte). Every number shown that the JSON also has carries that JSON's path
 * and exact text (data-path, data-value; data-scale when it is shown in
 * other units), so a test can hold the page against `petal eval --format
 * json`. A Content-Security-Policy forbids loading anything, so a page that
 * tried would show errors in the browser test.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats/json/jsonw.h"
#include "formats/svg/svg.h"
#include "petal/eval.h"
#include "petal/report.h"
#include "petal/version.h"
#include "report/html_page.h"
#include "report/units.h"
#include "util/error.h"

static const char css[] =
    "body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1120px;padding:0 16px 32px;"
    "color:#222;line-height:1.4}\n"
    "h1{font-size:1.5em;margin:16px 0 4px}h2{font-size:1.2em;margin:28px 0 8px;"
    "border-bottom:1px solid #ccc}\n"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:0.9em}\n"
    "th,td{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}#layer-table "
    "td{white-space:nowrap}\n"
    "th:first-child,td:first-child,td.l{text-align:left}\n"
    "table.facts td{text-align:left}\n"
    ".scroll{overflow-x:auto}td.why{text-align:left;min-width:24em}\n"
    ".partial{background:#fde2e1;border:1px solid #d55e00;padding:6px 10px}\n"
    ".notyet{color:#666;font-style:italic}\n"
    "svg.chart{max-width:100%;height:auto;display:block;margin:8px 0}\n"
    "pre{background:#f6f6f6;padding:8px;font-size:0.8em;overflow-x:auto}\n"
    ".nests{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:8px}\n"
    "@media print{body{max-width:none}section{break-inside:avoid}"
    ".nests{display:block}pre{white-space:pre-wrap}}\n";

#define esc svg_escape

/* --- numbers tied to the JSON --- */

/* <span data-src="SRC" data-path='PATH' data-value="EXACT">SHOWN</span>;
 * shown = value * scale with `decimals` digits after the point. */
void html_number(FILE *out, const char *src, const char *path, const char *exact, const char *scale,
                 double shown, int decimals)
{
    fprintf(out, "<span class=\"n\" data-src=\"%s\" data-path='%s' data-value=\"%s\"", src, path,
            exact);
    if (scale)
        fprintf(out, " data-scale=\"%s\"", scale);
    fprintf(out, ">%.*f</span>", decimals, shown);
}

static void num_at(FILE *out, const char *src, const char *path, double v, double scale,
                   int decimals)
{
    char exact[JW_DOUBLE_MAX], scale_text[JW_DOUBLE_MAX];
    if (!isfinite(v)) {
        fputs("-", out);
        return;
    }
    html_number(out, src, path, jw_format_double(exact, v),
                scale != 1 ? jw_format_double(scale_text, scale) : NULL, v * scale, decimals);
}

static void num_u64_at(FILE *out, const char *src, const char *path, uint64_t v)
{
    fprintf(out,
            "<span class=\"n\" data-src=\"%s\" data-path='%s' data-value=\"%" PRIu64 "\">%" PRIu64
            "</span>",
            src, path, v, v);
}

static void num_double(FILE *out, const char *path, double v, double scale, int decimals)
{
    num_at(out, "eval", path, v, scale, decimals);
}

static void num_u64(FILE *out, const char *path, uint64_t v)
{
    num_u64_at(out, "eval", path, v);
}

/* "optimal", "gap 1.23%", "as conv4" or "no mapping". */
static void search_status(FILE *out, const petal_network *net, const petal_eval_result *r, size_t i)
{
    const petal_layer_eval *le = &r->layers[i];
    if (!le->map.found)
        fputs("no mapping", out);
    else if (le->same_as != i) {
        fputs("as ", out);
        esc(out, net->layers[le->same_as].name);
    } else if (le->map.complete)
        fputs("optimal", out);
    else if (petal_map_gap(&le->map) < 0.00005)
        fputs("gap &lt; 0.005%", out);
    else
        fprintf(out, "gap %.2f%%", 100.0 * petal_map_gap(&le->map));
}

/* --- header and tables --- */

static void header(FILE *out, const petal_html_input *in)
{
    const petal_network *net = in->net;
    const petal_arch *a = in->arch;
    const petal_eval_result *r = in->eval;
    report_units u = report_units_of(a);
    const char *dataflow = in->options && in->options->dataflow && in->options->dataflow[0]
                               ? in->options->dataflow
                               : "whole mapspace";
    fputs("<header><h1>", out);
    esc(out, net->name);
    fputs(" on ", out);
    esc(out, a->name);
    fputs("</h1>\n<table class=\"facts\" id=\"setup\">\n", out);
    fprintf(out, "<tr><th>petal</th><td id=\"version\">%s</td></tr>\n", petal_version());
    fputs("<tr><th>network</th><td id=\"net\">", out);
    esc(out, net->name);
    fprintf(out, "</td></tr>\n<tr><th>architecture</th><td id=\"arch\">");
    esc(out, a->name);
    fprintf(out, "</td></tr>\n<tr><th>MACs</th><td>%" PRIu64 " units of %u bits, ",
            a->arith.instances, a->arith.word_bits);
    if (a->clock_hz > 0)
        fprintf(out, "clock %.6g MHz</td></tr>\n", a->clock_hz / 1e6);
    else
        fputs("no clock given (so no latency or throughput)</td></tr>\n", out);
    fputs("<tr><th>batch</th><td>", out);
    num_u64(out, "[\"batch\"]", net->batch);
    fputs("</td></tr>\n<tr><th>dataflow</th><td id=\"dataflow\">", out);
    esc(out, dataflow);
    fprintf(out, "</td></tr>\n<tr><th>objective</th><td>%s</td></tr>\n",
            petal_objective_name(in->options ? in->options->objective : PETAL_OBJECTIVE_ENERGY));
    fprintf(out,
            "<tr><th>energy unit</th><td id=\"energy-unit\" data-src=\"eval\" "
            "data-path='[\"energy_unit\"]' "
            "data-value=\"%s\">%s",
            u.unit, u.unit);
    if (u.legend[0])
        fprintf(out, ": %s (the unit MAC is %u bits)", u.legend, a->mac_unit_bits);
    else
        fputs(": picojoules", out);
    fputs("</td></tr>\n", out);
    size_t shapes = 0, proven = 0;
    for (size_t i = 0; i < r->nlayers; i++)
        if (r->layers[i].same_as == i) {
            shapes++;
            proven += r->layers[i].map.found && r->layers[i].map.complete;
        }
    fprintf(out,
            "<tr><th>search</th><td id=\"search\">%zu of %zu distinct layer shapes proven "
            "optimal (each layer's status is in the table below)</td></tr>\n</table>\n",
            proven, shapes);
    if (r->unmapped) {
        fprintf(out,
                "<p class=\"partial\" id=\"partial\">PARTIAL: %zu of %zu layers have no valid "
                "mapping; every total and chart below covers the others only.",
                r->unmapped, r->nlayers);
        for (size_t i = 0; i < r->nlayers; i++)
            if (!r->layers[i].map.found) {
                fputs("<br>", out);
                esc(out, net->layers[i].name);
                fputs(": ", out);
                esc(out, r->layers[i].map.why);
            }
        fputs("</p>\n", out);
    }
    fputs("</header>\n", out);
}

static void totals(FILE *out, const petal_html_input *in)
{
    const petal_eval_result *r = in->eval;
    report_units u = report_units_of(in->arch);
    double batch = (double)(in->net->batch ? in->net->batch : 1);
    fputs("<section id=\"totals\"><h2>Per inference</h2>\n", out);
    if (r->unmapped)
        fprintf(out,
                "<p class=\"partial\">PARTIAL totals: %zu of %zu layers have no valid mapping "
                "and are left out.</p>\n",
                r->unmapped, r->nlayers);
    fputs("<table class=\"facts\">\n", out);
    fprintf(out, "<tr><th>energy</th><td>");
    num_double(out, "[\"totals\",\"energy_per_inference_pj\"]", r->energy_pj / batch, 1e-6, 3);
    fprintf(out, " %s", u.big);
    if (r->macs) {
        fputs(" (", out);
        num_double(out, "[\"totals\",\"energy_pj\"]", r->energy_pj, 1.0 / (double)r->macs, 3);
        fprintf(out, " %s over the batch)", u.per_mac);
    }
    if (in->arch->clock_hz > 0) {
        fputs("</td></tr>\n<tr><th>latency</th><td>", out);
        num_double(out, "[\"totals\",\"latency_s\"]", r->latency_s, 1e3, 3);
        fprintf(out, " ms for the batch of %" PRIu64 "</td></tr>\n<tr><th>throughput</th><td>",
                in->net->batch);
        num_double(out, "[\"totals\",\"inferences_per_second\"]",
                   r->latency_s > 0 ? batch / r->latency_s : 0, 1, 2);
        fputs(" inferences/s", out);
    } else {
        fputs("</td></tr>\n<tr><th>latency, throughput</th><td>not known: the architecture "
              "gives no clock",
              out);
    }
    fputs("</td></tr>\n<tr><th>MACs</th><td>", out);
    num_u64(out, "[\"totals\",\"macs\"]", r->macs);
    fputs(" (the batch)</td></tr>\n<tr><th>DRAM traffic</th><td>", out);
    num_double(out, "[\"totals\",\"dram_bytes_per_mac\"]",
               r->macs ? (double)r->dram_bytes / (double)r->macs : 0, 1, 4);
    fputs(" bytes per MAC</td></tr>\n</table>\n</section>\n", out);
}

static void layer_table(FILE *out, const petal_html_input *in)
{
    const petal_network *net = in->net;
    const petal_eval_result *r = in->eval;
    report_units u = report_units_of(in->arch);
    fprintf(out,
            "<section id=\"layers\"><h2>Layers</h2>\n<table id=\"layer-table\">\n"
            "<tr><th>layer</th><th>MACs</th><th>energy %s</th><th>%s</th><th>DRAM</th>"
            "<th>buffer</th><th>NoC</th><th>RF</th><th>MAC</th><th>cycles</th><th>ms</th>"
            "<th>util %%</th><th>DRAM bytes</th><th>search</th></tr>\n",
            u.big, u.per_mac);
    char path[96];
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_layer_eval *le = &r->layers[i];
        fprintf(out, "<tr id=\"layer-%zu\"><td>", i);
        esc(out, net->layers[i].name);
        fputs("</td><td>", out);
        snprintf(path, sizeof path, "[\"layers\",%zu,\"macs\"]", i);
        num_u64(out, path, petal_problem_macs(&net->layers[i]));
        fputs("</td>", out);
        if (!le->map.found) {
            fputs("<td colspan=\"11\" class=\"l\">no valid mapping: ", out);
            esc(out, le->map.why);
            fputs("</td><td>no mapping</td></tr>\n", out);
            continue;
        }
        const petal_model_result *s = &le->map.stats;
        double per_mac = s->computes ? 1.0 / (double)s->computes : 0;
        fputs("<td>", out);
        snprintf(path, sizeof path, "[\"layers\",%zu,\"energy_pj\"]", i);
        num_double(out, path, s->energy_pj, 1e-6, 3);
        fputs("</td><td>", out);
        snprintf(path, sizeof path, "[\"layers\",%zu,\"pj_per_mac\"]", i);
        num_double(out, path, s->computes ? s->energy_pj / (double)s->computes : 0, 1, 3);
        const char *keys[5] = {"dram", "buffer", "noc", "rf", "mac"};
        const double split[5] = {le->split.dram_pj, le->split.buffer_pj, le->split.noc_pj,
                                 le->split.rf_pj, le->split.mac_pj};
        for (int k = 0; k < 5; k++) {
            fputs("</td><td>", out);
            snprintf(path, sizeof path, "[\"layers\",%zu,\"energy_split_pj\",\"%s\"]", i, keys[k]);
            num_double(out, path, split[k], per_mac, 3);
        }
        fputs("</td><td>", out);
        snprintf(path, sizeof path, "[\"layers\",%zu,\"cycles\"]", i);
        num_u64(out, path, s->cycles);
        fputs("</td><td>", out);
        snprintf(path, sizeof path, "[\"layers\",%zu,\"latency_s\"]", i);
        if (in->arch->clock_hz > 0)
            num_double(out, path, le->latency_s, 1e3, 4);
        else
            fputs("-", out); /* no clock: no time */
        fputs("</td><td>", out);
        snprintf(path, sizeof path, "[\"layers\",%zu,\"utilization\"]", i);
        num_double(out, path, s->utilization, 100, 1);
        fputs("</td><td>", out);
        snprintf(path, sizeof path, "[\"layers\",%zu,\"dram_bytes\"]", i);
        num_u64(out, path, le->dram_bytes);
        fputs("</td><td>", out);
        search_status(out, net, r, i);
        fputs("</td></tr>\n", out);
    }
    fprintf(out,
            "</table>\n<p>Energy per MAC columns (DRAM to MAC) are %s; they add up to "
            "the %s column.</p>\n</section>\n",
            u.per_mac, u.per_mac);
}

/* --- energy charts --- */

#define NLEVEL_KINDS 5
static const char *const level_kinds[NLEVEL_KINDS] = {"DRAM", "buffer", "NoC", "RF", "MAC"};
#define NDATA_KINDS 5
static const char *const data_kinds[NDATA_KINDS] = {"Weights", "Inputs", "Outputs", "MAC",
                                                    "leakage"};
/* Data types get colours of their own (Paul Tol's muted scheme, colour-blind
 * safe), so that no colour means a level in one chart and a data type in the
 * next; the MACs keep the colour they have by level. */
static const char *const level_colors[NLEVEL_KINDS] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                                       "#56B4E9"};
static const char *const data_colors[NDATA_KINDS] = {"#882255", "#DDCC77", "#44AA99", "#56B4E9",
                                                     "#999999"};

static void level_values(const petal_energy_split *e, double *v)
{
    v[0] = e->dram_pj;
    v[1] = e->buffer_pj;
    v[2] = e->noc_pj;
    v[3] = e->rf_pj;
    v[4] = e->mac_pj;
}

/* Energy by data space (storage and network: eval's energy_by_data_space_pj),
 * the MACs, and the rest (leakage, which the model charges per level, not
 * per data space), from a layer's or the totals' figures. */
static void data_values(const double *by_ds, double mac_pj, double energy_pj, double *v)
{
    double rest = energy_pj - mac_pj;
    for (int d = 0; d < PETAL_NUM_DS; d++) {
        v[d] = by_ds[d];
        rest -= v[d];
    }
    v[3] = mac_pj;
    v[4] = rest > 1e-9 * energy_pj ? rest : 0;
}

static void layer_data_values(const petal_layer_eval *le, double *v)
{
    data_values(le->energy_by_ds_pj, le->split.mac_pj, le->map.stats.energy_pj, v);
}

/* The by-data-type bars as numbers: each layer's energy per data space. */
static void data_table(FILE *out, const petal_html_input *in)
{
    const petal_eval_result *r = in->eval;
    report_units u = report_units_of(in->arch);
    fprintf(out, "<table id=\"data-table\">\n<tr><th>layer (%s)</th>", u.big);
    for (int d = 0; d < PETAL_NUM_DS; d++)
        fprintf(out, "<th>%s</th>", petal_ds_canonical_name(d));
    fputs("<th>MAC</th></tr>\n", out);
    char path[128];
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_layer_eval *le = &r->layers[i];
        if (!le->map.found)
            continue;
        fputs("<tr><td>", out);
        esc(out, in->net->layers[i].name);
        fputs("</td>", out);
        for (int d = 0; d < PETAL_NUM_DS; d++) {
            snprintf(path, sizeof path, "[\"layers\",%zu,\"energy_by_data_space_pj\",\"%s\"]", i,
                     petal_ds_canonical_name(d));
            fputs("<td>", out);
            num_double(out, path, le->energy_by_ds_pj[d], 1e-6, 3);
            fputs("</td>", out);
        }
        snprintf(path, sizeof path, "[\"layers\",%zu,\"energy_split_pj\",\"mac\"]", i);
        fputs("<td>", out);
        num_double(out, path, le->split.mac_pj, 1e-6, 3);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n", out);
}

static void energy_bars(FILE *out, const petal_html_input *in)
{
    const petal_network *net = in->net;
    const petal_eval_result *r = in->eval;
    report_units u = report_units_of(in->arch);
    size_t n = r->nlayers;
    /* Leakage gets a series of its own only when some layer has any. */
    size_t nd = NDATA_KINDS - 1;
    for (size_t i = 0; i < n; i++) {
        double v[NDATA_KINDS];
        if (r->layers[i].map.found) {
            layer_data_values(&r->layers[i], v);
            if (v[4] > 0)
                nd = NDATA_KINDS;
        }
    }
    const char **labels = calloc(n ? n : 1, sizeof *labels);
    double *by_level = calloc(n ? n * NLEVEL_KINDS : 1, sizeof *by_level);
    double *by_data = calloc(n ? n * nd : 1, sizeof *by_data);
    fputs("<section id=\"energy\"><h2>Energy per layer</h2>\n", out);
    if (!labels || !by_level || !by_data) {
        fputs("<p class=\"notyet\">out of memory drawing this chart</p>\n", out);
    } else {
        for (size_t i = 0; i < n; i++) {
            labels[i] = net->layers[i].name;
            const petal_layer_eval *le = &r->layers[i];
            if (!le->map.found)
                continue; /* an empty bar: the table says why */
            double lv[NLEVEL_KINDS], dv[NDATA_KINDS];
            level_values(&le->split, lv);
            layer_data_values(le, dv);
            for (size_t k = 0; k < NLEVEL_KINDS; k++)
                by_level[i * NLEVEL_KINDS + k] = lv[k] * 1e-6;
            for (size_t k = 0; k < nd; k++)
                by_data[i * nd + k] = dv[k] * 1e-6;
        }
        char ylabel[48];
        snprintf(ylabel, sizeof ylabel, "energy (%s)", u.big);
        svg_panel panels[2] = {
            {"by level", ylabel, n, labels, NLEVEL_KINDS, level_kinds, by_level, NULL, NULL,
             level_colors},
            {"by data type", ylabel, n, labels, nd, data_kinds, by_data, NULL, NULL, data_colors},
        };
        char title[160];
        snprintf(title, sizeof title, "Energy per layer (%s, batch of %" PRIu64 ")", u.big,
                 net->batch);
        /* Side by side for a short network; one above the other, each the page's
         * width, when the bars would get thin. */
        if (n <= 12) {
            svg_write_panels_inline(out, "chart-energy-layers", title, panels, 2, 540, 400);
        } else {
            svg_write_panels_inline(out, "chart-energy-layers", title, &panels[0], 1, 1080, 420);
            snprintf(title, sizeof title,
                     "Energy per layer by data type (%s, batch of %" PRIu64 ")", u.big, net->batch);
            svg_write_panels_inline(out, "chart-energy-layers-data", title, &panels[1], 1, 1080,
                                    420);
        }
        fputs("<p>Each bar is one layer's energy for the whole batch. By level: DRAM, the "
              "global buffer (storage shared by the array), the network on chip, the "
              "register files (storage in each PE) and the MACs. By data type: the storage "
              "and network energy of each data space, and the MACs",
              out);
        fputs(nd == NDATA_KINDS
                  ? "; leakage is charged per level, so it is a series of its own.</p>\n"
                  : ".</p>\n",
              out);
        data_table(out, in);
    }
    free(labels);
    free(by_level);
    free(by_data);
    fputs("</section>\n", out);
}

/* One horizontal bar of shares, labelled with names and percentages. */
static void share_bar(FILE *out, svg_labeler *lab, double x, double y, double w, double h,
                      const char *title, const char *const *names, const char *const *colors,
                      const double *v, size_t n)
{
    double total = 0;
    for (size_t k = 0; k < n; k++)
        total += v[k] > 0 ? v[k] : 0;
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" font-weight=\"bold\">", x, y - 6);
    esc(out, title);
    fputs("</text>\n", out);
    double acc = x;
    for (size_t k = 0; k < n && total > 0; k++) {
        if (!(v[k] > 0))
            continue;
        double sw = v[k] / total * w;
        fprintf(out,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\">"
                "<title>",
                acc, y, sw, h, colors[k]);
        esc(out, names[k]);
        fprintf(out, ": %.2f%%</title></rect>\n", 100 * v[k] / total);
        char label[64];
        snprintf(label, sizeof label, "%s %.1f%%", names[k], 100 * v[k] / total);
        svg_label(out, lab, acc + sw / 2, y + h + 2, label, 11);
        acc += sw;
    }
}

static void network_split(FILE *out, const petal_html_input *in)
{
    const petal_eval_result *r = in->eval;
    double lv[NLEVEL_KINDS], dv[NDATA_KINDS];
    level_values(&r->split, lv);
    data_values(r->energy_by_ds_pj, r->split.mac_pj, r->energy_pj, dv);
    const double w = 1000, h = 220, bar_h = 26, x = 20;
    fprintf(out,
            "<section id=\"split\"><h2>The whole network's energy</h2>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-energy-split\" class=\"chart\" "
            "role=\"img\" aria-label=\"The whole network's energy split\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
            w, h, w, h);
    svg_labeler lab;
    svg_labeler_init(&lab, 0, 0, w, h);
    /* The bars themselves are taken: labels go around them. */
    lab.boxes[lab.n++] = (struct svg_box){x, 30, x + w - 2 * x, 30 + bar_h};
    lab.boxes[lab.n++] = (struct svg_box){x, 130 - 20, x + w - 2 * x, 130 + bar_h};
    share_bar(out, &lab, x, 30, w - 2 * x, bar_h, "by level", level_kinds, level_colors, lv,
              NLEVEL_KINDS);
    share_bar(out, &lab, x, 130, w - 2 * x, bar_h, "by data type", data_kinds, data_colors, dv,
              NDATA_KINDS);
    fputs("</svg>\n", out);
    char path[64];
    report_units u = report_units_of(in->arch);
    fprintf(out, "<p>By level, in %s: ", u.big);
    const char *keys[NLEVEL_KINDS] = {"dram", "buffer", "noc", "rf", "mac"};
    for (size_t k = 0; k < NLEVEL_KINDS; k++) {
        snprintf(path, sizeof path, "[\"totals\",\"energy_split_pj\",\"%s\"]", keys[k]);
        fprintf(out, "%s%s ", k ? ", " : "", level_kinds[k]);
        num_double(out, path, lv[k], 1e-6, 3);
    }
    fputs("; by data type: ", out);
    for (int d = 0; d < PETAL_NUM_DS; d++) {
        snprintf(path, sizeof path, "[\"totals\",\"energy_by_data_space_pj\",\"%s\"]",
                 petal_ds_canonical_name(d));
        fprintf(out, "%s%s ", d ? ", " : "", petal_ds_canonical_name(d));
        num_double(out, path, dv[d], 1e-6, 3);
    }
    fputs(" (the whole batch).</p>\n</section>\n", out);
}

/* --- roofline --- */

/* Bytes per cycle DRAM-class levels can move at most: read plus write
 * bandwidth of every instance (a level needs max(reads / read_bw, writes /
 * write_bw) cycles, never fewer than (reads + writes) / (read_bw + write_bw)).
 * 0 when some DRAM level's bandwidth is unlimited (no roof). */
static double dram_roof(const petal_arch *a)
{
    double bytes = 0;
    for (int l = 0; l < a->nlevels; l++) {
        const petal_level *lv = &a->levels[l];
        if (lv->cls != PETAL_MEM_DRAM)
            continue;
        if (!(lv->read_bw > 0) || !(lv->write_bw > 0))
            return 0;
        bytes += (lv->read_bw + lv->write_bw) * (double)lv->instances * lv->word_bits / 8.0;
    }
    return bytes;
}

static void roofline(FILE *out, const petal_html_input *in)
{
    const petal_network *net = in->net;
    const petal_eval_result *r = in->eval;
    const petal_arch *a = in->arch;
    double peak = (double)a->arith.instances, bw = dram_roof(a);
    double xlo = INFINITY, xhi = 0, ylo = INFINITY;
    size_t npoints = 0;
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_layer_eval *le = &r->layers[i];
        if (le->same_as != i || !le->map.found || !le->dram_bytes || !le->map.stats.cycles)
            continue;
        double x = (double)le->map.stats.computes / (double)le->dram_bytes;
        double y = (double)le->map.stats.computes / (double)le->map.stats.cycles;
        xlo = fmin(xlo, x);
        xhi = fmax(xhi, x);
        ylo = fmin(ylo, y);
        npoints++;
    }
    fputs("<section id=\"roofline\"><h2>Roofline</h2>\n", out);
    if (!npoints) {
        fputs("<p class=\"notyet\">No layer has both DRAM traffic and cycles to place on a "
              "roofline.</p>\n</section>\n",
              out);
        return;
    }
    if (bw > 0) {
        xlo = fmin(xlo, peak / bw / 4); /* show the ridge and the slope before it */
        xhi = fmax(xhi, peak / bw * 4);
    }
    const double w = 760, h = 460;
    svg_plot p = {80, 30, w - 80 - 30, h - 30 - 110, {0, 0, true}, {0, 0, true}};
    svg_log_range(xlo, xhi, &p.xa);
    svg_log_range(fmin(ylo, bw > 0 ? bw * p.xa.min : ylo), peak * 1.5, &p.ya);
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-roofline\" class=\"chart\" "
            "role=\"img\" aria-label=\"Roofline\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 "
            "%.0f %.0f\" font-family=\"sans-serif\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
            w, h, w, h);
    svg_axes(out, &p, true, "operational intensity (MACs per DRAM byte)", "MACs per cycle");
    /* The roofs: compute (the MAC count) and DRAM (bandwidth times intensity). */
    double ridge = bw > 0 ? peak / bw : p.xa.min;
    if (ridge < p.xa.min)
        ridge = p.xa.min;
    fprintf(out,
            "<line class=\"roof\" data-roof=\"compute\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
            "y2=\"%.1f\" stroke=\"#000000\" stroke-width=\"2\"/>\n",
            svg_px(&p, ridge), svg_py(&p, peak), svg_px(&p, p.xa.max), svg_py(&p, peak));
    if (bw > 0)
        fprintf(out,
                "<line class=\"roof\" data-roof=\"dram\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\" stroke=\"#000000\" stroke-width=\"2\" "
                "stroke-dasharray=\"6,3\"/>\n",
                svg_px(&p, p.xa.min), svg_py(&p, bw * p.xa.min), svg_px(&p, ridge),
                svg_py(&p, peak));
    svg_labeler lab;
    svg_labeler_init(&lab, p.x, p.y, p.w, p.h);
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_layer_eval *le = &r->layers[i];
        if (le->same_as != i || !le->map.found || !le->dram_bytes || !le->map.stats.cycles)
            continue;
        double x = (double)le->map.stats.computes / (double)le->dram_bytes;
        double y = (double)le->map.stats.computes / (double)le->map.stats.cycles;
        svg_labeler_block(&lab, svg_px(&p, x), svg_py(&p, y), 5);
    }
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_layer_eval *le = &r->layers[i];
        if (le->same_as != i || !le->map.found || !le->dram_bytes || !le->map.stats.cycles)
            continue;
        double x = (double)le->map.stats.computes / (double)le->dram_bytes;
        double y = (double)le->map.stats.computes / (double)le->map.stats.cycles;
        double cx = svg_px(&p, x), cy = svg_py(&p, y);
        char label[PETAL_NAME_MAX + 48];
        size_t same = 0;
        for (size_t j = i + 1; j < r->nlayers; j++)
            same += r->layers[j].same_as == i;
        if (same)
            snprintf(label, sizeof label, "%s (and %zu alike)", net->layers[i].name, same);
        else
            snprintf(label, sizeof label, "%s", net->layers[i].name);
        fprintf(out,
                "<circle class=\"point\" data-layer=\"%zu\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
                "fill=\"%s\"><title>",
                i, cx, cy, svg_color(0));
        esc(out, label);
        fprintf(out, ": %.4g MACs per DRAM byte, %.4g MACs per cycle</title></circle>\n", x, y);
        svg_label(out, &lab, cx, cy, label, 11);
    }
    char roof_label[96], dram_label[96];
    snprintf(roof_label, sizeof roof_label, "compute roof: %" PRIu64 " MACs per cycle",
             a->arith.instances);
    if (bw > 0)
        snprintf(dram_label, sizeof dram_label, "DRAM roof: %.4g bytes per cycle", bw);
    else
        snprintf(dram_label, sizeof dram_label, "no DRAM roof: its bandwidth is unlimited");
    svg_legend_item items[3] = {
        {"layer (best mapping)", svg_color(0), false, false},
        {roof_label, "#000000", true, false},
        {dram_label, "#000000", true, true},
    };
    svg_legend(out, p.x, p.y + p.h + 50, p.w, items, 3);
    fputs("</svg>\n", out);
    fprintf(out,
            "<p>Each distinct layer shape at its best mapping: MACs per byte moved at DRAM "
            "against MACs per cycle achieved. The compute roof is the number of MACs; the DRAM "
            "roof is the DRAM levels' read plus write bandwidth in bytes per cycle (%.4g), an "
            "upper bound, since the model charges reads and writes against separate "
            "bandwidths. A layer below both roofs is held back by something else: the "
            "array's shape, the on-chip bandwidth or its mapping.</p>\n</section>\n",
            bw);
}

/* --- loop nests --- */

static void loop_nests(FILE *out, const petal_html_input *in)
{
    const petal_network *net = in->net;
    const petal_eval_result *r = in->eval;
    fputs("<section id=\"mappings\"><h2>Best mapping of each layer</h2>\n<div class=\"nests\">\n",
          out);
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_layer_eval *le = &r->layers[i];
        fprintf(out, "<div class=\"nest\" id=\"nest-%zu\"><h3>", i);
        esc(out, net->layers[i].name);
        fputs("</h3>\n", out);
        if (!le->map.found) {
            fputs("<p>no valid mapping: ", out);
            esc(out, le->map.why);
            fputs("</p></div>\n", out);
            continue;
        }
        if (le->same_as != i) {
            fputs("<p>the same shape as ", out);
            esc(out, net->layers[le->same_as].name);
            fputs(": the same mapping</p></div>\n", out);
            continue;
        }
        char *text = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&text, &len);
        if (mem) {
            petal_mapping_print_nest(mem, &net->layers[i], in->arch, &le->map.mapping);
            fclose(mem);
        }
        fputs("<pre>", out);
        esc(out, text ? text : "(out of memory)");
        fputs("</pre></div>\n", out);
        free(text);
    }
    fputs("</div>\n</section>\n", out);
}

/* --- the benchmark sheet --- */

static void sheet_row(FILE *out, const char *metric, const char *key, double v, double scale,
                      int decimals, const char *unit)
{
    char path[96];
    snprintf(path, sizeof path, "[\"architectures\",0,\"%s\"]", key);
    if (!isfinite(v)) { /* the sheet's JSON has null: not known, never 0 */
        fprintf(out, "<tr><th>%s</th><td>not given by the architecture</td></tr>\n", metric);
        return;
    }
    fprintf(out, "<tr><th>%s</th><td>", metric);
    num_at(out, "sheet", path, v, scale, decimals);
    fprintf(out, " %s</td></tr>\n", unit);
}

static void sheet_section(FILE *out, const petal_html_input *in)
{
    const petal_sheet *sh = in->sheet;
    fputs("<section id=\"sheet\"><h2>Benchmark sheet</h2>\n", out);
    if (!sh || sh->narchs < 1) {
        fputs("<p class=\"notyet\">Not in this page: the benchmark sheet (petal sheet) could "
              "not be built in this build of petal.</p>\n</section>\n",
              out);
        return;
    }
    const petal_sheet_arch *sa = &sh->archs[0];
    report_units u = report_units_of(in->arch);
    fputs("<table class=\"facts\" id=\"sheet-table\">\n", out);
    fputs("<tr><th>weights</th><td>", out);
    num_u64_at(out, "sheet", "[\"weights\"]", sh->weights);
    fputs(" (", out);
    if (sh->nonzero_known)
        num_u64_at(out, "sheet", "[\"nonzero_weights\"]", sh->nonzero_weights);
    else
        fputs("not known", out);
    fputs(" non-zero)</td></tr>\n<tr><th>MACs per inference</th><td>", out);
    num_u64_at(out, "sheet", "[\"macs\"]", sh->macs);
    fputs(" (", out);
    if (sh->nonzero_known)
        num_u64_at(out, "sheet", "[\"nonzero_macs\"]", sh->nonzero_macs);
    else
        fputs("not known", out);
    fprintf(out, " non-zero)%s</td></tr>\n",
            sh->dense           ? "; no densities are given, so the network is dense"
            : sh->nonzero_known ? "; expected from the layers' densities (MACs x density of "
                                  "Weights x density of Inputs)"
                                : "; a layer is banded on a data space that is not a matrix");
    if (sh->has_accuracy)
        fprintf(out, "<tr><th>accuracy</th><td>%.6g (as given)</td></tr>\n", sh->accuracy);
    char unit[48];
    snprintf(unit, sizeof unit, "%s per inference, DRAM included", u.big);
    sheet_row(out, "energy", "energy_per_inference", sa->energy_per_inference, 1e-6, 3, unit);
    if (sa->clock_known) {
        sheet_row(out, "latency", "latency_s", sa->latency_s, 1e3, 3, "ms (the batch)");
        sheet_row(out, "throughput", "inferences_per_second", sa->inferences_per_second, 1, 2,
                  "inferences/s");
    } else {
        fputs("<tr><th>latency, throughput</th><td>not known: the architecture gives no "
              "clock</td></tr>\n",
              out);
    }
    sheet_row(out, "energy per MAC", "energy_per_mac", sa->energy_per_mac, 1, 3, u.per_mac);
    sheet_row(out, "off-chip traffic", "dram_bytes_per_mac", sa->dram_bytes_per_mac, 1, 4,
              "bytes per MAC");
    if (!sh->dense && isfinite(sa->energy_per_nonzero_mac)) {
        sheet_row(out, "energy per non-zero MAC", "energy_per_nonzero_mac",
                  sa->energy_per_nonzero_mac, 1, 3, u.unit);
        sheet_row(out, "off-chip traffic per non-zero MAC", "dram_bytes_per_nonzero_mac",
                  sa->dram_bytes_per_nonzero_mac, 1, 4, "bytes per non-zero MAC");
    } else if (!sh->dense) {
        fputs("<tr><th>per non-zero MAC</th><td>not known: no non-zero MACs are known "
              "(banded on a data space that is not a matrix, or a density of 0)</td></tr>\n",
              out);
    }
    sheet_row(out, "area", "mm2_per_multiplier", sa->mm2_per_multiplier, 1, 4,
              "mm&sup2; per multiplier");
    sheet_row(out, "on-chip storage", "kb_per_multiplier", sa->kb_per_multiplier, 1, 3,
              "kB per multiplier");
    sheet_row(out, "PE utilisation", "utilization", sa->utilization, 100, 1, "%");
    fprintf(out,
            "<tr><th>mappings</th><td data-src=\"sheet\" "
            "data-path='[\"architectures\",0,\"proven\"]' data-value=\"%s\">%s</td></tr>\n",
            sa->proven ? "true" : "false",
            sa->proven ? "every layer's mapping proven optimal"
                       : "not every layer's mapping is proven optimal (see the search column)");
    fputs("</table>\n", out);
    if (sa->unmapped)
        fprintf(out,
                "<p class=\"partial\">PARTIAL sheet: %zu %s no valid mapping; the sheet "
                "covers the others only.</p>\n",
                sa->unmapped, sa->unmapped == 1 ? "layer has" : "layers have");
    fputs("<p>The survey's benchmarking metrics (Sze et al., section 8) for this network on "
          "this architecture; <code>petal sheet</code> sets several architectures side by "
          "side.</p>\n</section>\n",
          out);
}

/* --- Eyexam: the falling staircase --- */

static bool eyexam_ready(const petal_html_input *in, size_t i)
{
    return in->eyexam && in->eval->layers[i].same_as == i && in->eyexam[i].steps[0].step == 1;
}

static void eyexam_chart(FILE *out, const petal_html_input *in, size_t nready)
{
    const petal_network *net = in->net;
    const petal_eval_result *r = in->eval;
    double lo = INFINITY, hi = 0;
    for (size_t i = 0; i < r->nlayers; i++) {
        if (!eyexam_ready(in, i))
            continue;
        const petal_eyexam_result *e = &in->eyexam[i];
        for (int k = 0; k < PETAL_EYEXAM_STEPS; k++)
            if (e->steps[k].macs_per_cycle > 0) {
                lo = fmin(lo, e->steps[k].macs_per_cycle);
                hi = fmax(hi, e->steps[k].macs_per_cycle);
            }
        if (e->best_found && e->best_macs_per_cycle > 0)
            lo = fmin(lo, e->best_macs_per_cycle);
    }
    const size_t cols = nready < 4 ? nready : 4;
    const size_t rows = (nready + cols - 1) / cols;
    const double pw = 270, ph = 210, title_h = 30, legend_h = 30;
    double w = pw * (double)cols, h = title_h + ph * (double)rows + legend_h;
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"chart-eyexam\" class=\"chart\" "
            "role=\"img\" aria-label=\"Eyexam bounds per layer\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n"
            "<text x=\"%.1f\" y=\"18\" text-anchor=\"middle\" font-size=\"15\" "
            "font-weight=\"bold\">Eyexam: the bound on MACs per cycle after each step</text>\n",
            w, h, w, h, w / 2);
    svg_axis ya; /* a decade below the lowest bound, so that its bar shows */
    svg_log_range(lo / 10, hi, &ya);
    size_t cell = 0;
    for (size_t i = 0; i < r->nlayers; i++) {
        if (!eyexam_ready(in, i))
            continue;
        const petal_eyexam_result *e = &in->eyexam[i];
        double x0 = pw * (double)(cell % cols), y0 = title_h + ph * (double)(cell / cols);
        cell++;
        svg_plot p = {x0 + 62, y0 + 24, pw - 62 - 12, ph - 24 - 40, {0.5, 7.5, false}, ya};
        fprintf(out, "<g class=\"staircase\" data-layer=\"%zu\">\n", i);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\">",
                p.x + p.w / 2, y0 + 14);
        esc(out, net->layers[i].name);
        fputs("</text>\n", out);
        svg_axes(out, &p, false, NULL, "MACs/cycle");
        double slot = p.w / PETAL_EYEXAM_STEPS;
        for (int k = 0; k < PETAL_EYEXAM_STEPS; k++) {
            const petal_eyexam_step *st = &e->steps[k];
            double bx = p.x + slot * k + slot * 0.1, top = svg_py(&p, st->macs_per_cycle);
            if (!(st->macs_per_cycle > 0))
                top = p.y + p.h;
            fprintf(out,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    "<title>%d %s: %.6g MACs/cycle, ",
                    bx, top, slot * 0.8, p.y + p.h - top,
                    st->limiting || k == 0 ? svg_color(0) : "#b0b0b0", st->step,
                    st->name ? st->name : "", st->macs_per_cycle);
            esc(out, st->limited_by);
            fputs("</title></rect>\n", out);
            fprintf(out,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">%d"
                    "</text>\n",
                    bx + slot * 0.4, p.y + p.h + 14, st->step);
        }
        if (e->best_found && e->best_macs_per_cycle > 0) {
            double by = svg_py(&p, e->best_macs_per_cycle);
            fprintf(out,
                    "<line class=\"best\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    "stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"5,3\"><title>best "
                    "mapping: %.6g MACs/cycle</title></line>\n",
                    p.x, by, p.x + p.w, by, svg_color(5), e->best_macs_per_cycle);
        }
        fprintf(out,
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">step"
                "</text>\n</g>\n",
                p.x + p.w / 2, p.y + p.h + 28);
    }
    svg_legend_item items[3] = {
        {"a step that lowers the bound", svg_color(0), false, false},
        {"a step that keeps it", "#b0b0b0", false, false},
        {"the best mapping found", svg_color(5), true, true},
    };
    svg_legend(out, 20, h - legend_h + 8, w - 40, items, 3);
    fputs("</svg>\n", out);
}

static void eyexam_section(FILE *out, const petal_html_input *in)
{
    const petal_network *net = in->net;
    const petal_eval_result *r = in->eval;
    size_t nready = 0, shapes = 0;
    for (size_t i = 0; i < r->nlayers; i++) {
        shapes += r->layers[i].same_as == i;
        nready += eyexam_ready(in, i);
    }
    fputs("<section id=\"eyexam\"><h2>Eyexam bounds</h2>\n", out);
    if (!nready) {
        fputs("<p class=\"notyet\">Not in this page: Eyexam's bounds (petal eyexam) could not "
              "be computed in this build of petal.</p>\n</section>\n",
              out);
        return;
    }
    eyexam_chart(out, in, nready);
    fputs("<table id=\"eyexam-table\">\n<tr><th>layer</th>", out);
    for (int k = 1; k <= PETAL_EYEXAM_STEPS; k++)
        fprintf(out, "<th title=\"%s\">%d</th>", petal_eyexam_step_name(k), k);
    fputs("<th>best mapping</th></tr>\n", out);
    for (size_t i = 0; i < r->nlayers; i++) {
        if (!eyexam_ready(in, i))
            continue;
        const petal_eyexam_result *e = &in->eyexam[i];
        char src[32], path[64];
        snprintf(src, sizeof src, "eyexam/%zu", i);
        fputs("<tr><td>", out);
        esc(out, net->layers[i].name);
        fputs("</td>", out);
        for (int k = 0; k < PETAL_EYEXAM_STEPS; k++) {
            fputs("<td title=\"", out);
            esc(out, e->steps[k].limited_by);
            fputs("\">", out);
            snprintf(path, sizeof path, "[\"steps\",%d,\"macs_per_cycle\"]", k);
            num_at(out, src, path, e->steps[k].macs_per_cycle, 1,
                   e->steps[k].macs_per_cycle >= 1000 ? 0 : 1);
            fputs("</td>", out);
        }
        fputs("<td>", out);
        if (e->best_found) {
            fprintf(out, "%.1f", e->best_macs_per_cycle);
        } else {
            fputs("<span title=\"", out);
            esc(out, e->best_why);
            fputs("\">no mapping</span>", out);
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n<p>Steps: ", out);
    for (int k = 1; k <= PETAL_EYEXAM_STEPS; k++)
        fprintf(out, "%s%d %s", k > 1 ? ", " : "", k, petal_eyexam_step_name(k));
    fprintf(out,
            ". Each step's bound is the lower of what it allows and the bound before it, so "
            "the bars never rise; what caps a step is in its cell's tooltip. The best "
            "mapping is the search's (its MACs per cycle are MACs / cycles of the layer "
            "table).%s</p>\n</section>\n",
            nready < shapes ? " Layers missing here had no bounds computed." : "");
}

void html_page_begin(FILE *out, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"petal ",
          out);
    fputs(petal_version(), out);
    fputs("\">\n<title>", out);
    esc(out, title);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
}

petal_status petal_report_html(FILE *out, const petal_html_input *in)
{
    if (!out || !in || !in->net || !in->arch || !in->eval)
        return petal_error_set(PETAL_EINVAL, "report: a network, an architecture and an "
                                             "evaluation are needed");
    if (in->eval->nlayers != in->net->nlayers)
        return petal_error_set(PETAL_EINVAL,
                               "report: the evaluation has %zu layers, the network %zu",
                               in->eval->nlayers, in->net->nlayers);
    char title[2 * PETAL_NAME_MAX + 32];
    snprintf(title, sizeof title, "petal report: %s on %s", in->net->name, in->arch->name);
    html_page_begin(out, title);
    header(out, in);
    totals(out, in);
    sheet_section(out, in);
    layer_table(out, in);
    energy_bars(out, in);
    network_split(out, in);
    roofline(out, in);
    eyexam_section(out, in);
    loop_nests(out, in);
    fprintf(out,
            "<footer><p>Written by petal %s from the same result as <code>petal eval "
            "--format json</code> (petal report --json writes it beside the page).</p>"
            "</footer>\n</body>\n</html>\n",
            petal_version());
    return ferror(out) ? petal_error_set(PETAL_EIO, "report: writing the page failed") : PETAL_OK;
}
