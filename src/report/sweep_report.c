/* sweep_report.c - `petal sweep --report`: a finished sweep as one HTML page, the
 * scatter of energy against latency with its front, the front and every row.
 *
 * The page is drawn from the rows as the results file holds them (read back by
 * petal_sweep_output_rows) and computes nothing of its own: every number is a
 * CSV field, written with the row and column it comes from and that field's
 * exact text, so that a test can hold the page against the file. The head, the
 * policy and the style are petal_report_html's (report/html_page.h). */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats/svg/svg.h"
#include "petal/report.h"
#include "petal/version.h"
#include "report/html_page.h"
#include "report/units.h"
#include "sweep/sweep_internal.h"
#include "util/error.h"

#define esc svg_escape

/* Rows listed in the table of every row; a larger sweep's page says how many more. */
#define MAX_LISTED_ROWS 2000

/* Digits after the point that show about five significant ones. */
static int decimals_for(double shown)
{
    double a = fabs(shown);
    return a == 0 ? 0 : a >= 10000 ? 1 : a >= 100 ? 2 : a >= 1 ? 3 : 5;
}

/* A CSV field that is a number: `text` is the field exactly as the CSV writes
 * it (petal_sweep_csv_row's formats), shown times `scale`. */
static void field(FILE *out, size_t row, const char *column, const char *text, const char *scale,
                  double factor)
{
    char path[96];
    snprintf(path, sizeof path, "[%zu,\"%s\"]", row, column);
    double shown = strtod(text, NULL) * factor;
    html_number(out, "sweep", path, text, scale, shown, decimals_for(shown));
}

static void field_g(FILE *out, size_t row, const char *column, double v, const char *scale,
                    double factor)
{
    char text[64];
    snprintf(text, sizeof text, "%.10g", v);
    field(out, row, column, text, scale, factor);
}

static void field_u64(FILE *out, size_t row, const char *column, uint64_t v)
{
    fprintf(out,
            "<span class=\"n\" data-src=\"sweep\" data-path='[%zu,\"%s\"]' data-value=\"%" PRIu64
            "\">%" PRIu64 "</span>",
            row, column, v, v);
}

static void area_field(FILE *out, size_t row, double area_mm2)
{
    char text[64];
    snprintf(text, sizeof text, "%.6f", area_mm2);
    field(out, row, "area_mm2", text, NULL, 1);
}

/* The parameter columns of a row: its point's values, as the CSV gives them. */
static void param_cells(FILE *out, const petal_sweep_spec *s, const petal_sweep_row *r)
{
    petal_sweep_point pt;
    if (petal_sweep_point_get(s, r->point, &pt)) {
        for (size_t k = 0; k < s->nparams; k++)
            fputs("<td>-</td>", out);
        return;
    }
    for (size_t k = 0; k < s->nparams; k++) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (f) {
            sweep_value_text(f, &s->params[k], pt.choice[k], pt.values[k], false);
            fclose(f);
        }
        fputs("<td class=\"l\">", out);
        esc(out, text ? text : "?");
        fputs("</td>", out);
        free(text);
    }
    if (s->ndataflows > 1)
        fprintf(out, "<td class=\"l\">%s</td>", pt.dataflow[0] ? pt.dataflow : "any");
    if (s->nobjectives > 1)
        fprintf(out, "<td class=\"l\">%s</td>", petal_objective_name(pt.objective));
}

static void param_heads(FILE *out, const petal_sweep_spec *s)
{
    fputs("<tr><th>row</th><th>point</th>", out);
    for (size_t k = 0; k < s->nparams; k++) {
        fputs("<th>", out);
        esc(out, s->params[k].name);
        fputs("</th>", out);
    }
    if (s->ndataflows > 1)
        fputs("<th>dataflow</th>", out);
    if (s->nobjectives > 1)
        fputs("<th>objective</th>", out);
    fputs("<th>network</th><th>batch</th>", out);
}

/* One row of the front or of the table of every row. */
static void row_cells(FILE *out, const petal_sweep_spec *s, const petal_sweep_row *r, size_t k)
{
    fprintf(out, "<tr data-row=\"%zu\"><td>%zu</td><td>", k, k);
    field_u64(out, k, "point", r->point);
    fputs("</td>", out);
    param_cells(out, s, r);
    fputs("<td class=\"l\">", out);
    esc(out, s->networks[r->network].name);
    fputs("</td><td>", out);
    field_u64(out, k, "batch", r->batch);
    fprintf(out, "</td><td class=\"l\">%s</td><td>", petal_sweep_status_name(r->status));
    if (isfinite(r->area_mm2))
        area_field(out, k, r->area_mm2);
    fputs("</td>", out);
    bool numbers = r->status == PETAL_SWEEP_OK || r->status == PETAL_SWEEP_UNMAPPED;
    if (!numbers) {
        fputs("<td></td><td></td><td></td><td></td><td></td><td></td><td></td><td></td><td "
              "class=\"why\">",
              out);
        esc(out, r->reason);
        fputs("</td></tr>\n", out);
        return;
    }
    fputs("<td>", out);
    field_u64(out, k, "macs", r->macs);
    fputs("</td><td>", out);
    field_g(out, k, "energy", r->energy, "1e-06", 1e-6);
    fputs("</td><td>", out);
    field_u64(out, k, "cycles", r->cycles);
    fputs("</td><td>", out);
    field_g(out, k, "latency_s", r->latency_s, "1000", 1e3);
    fputs("</td><td>", out);
    field_g(out, k, "inferences_per_s", r->inferences_per_s, NULL, 1);
    fputs("</td><td>", out);
    field_g(out, k, "energy_per_mac", r->energy_per_mac, NULL, 1);
    fputs("</td><td>", out);
    field_g(out, k, "dram_bytes_per_mac", r->dram_bytes_per_mac, NULL, 1);
    fputs("</td><td>", out);
    if (r->proven) {
        fputs("optimal", out);
    } else if (r->status == PETAL_SWEEP_OK) {
        fputs("gap ", out);
        char text[64];
        snprintf(text, sizeof text, "%.6g", r->worst_gap);
        field(out, k, "gap", text, NULL, 1);
    } else {
        fputs("-", out);
    }
    fputs("</td><td class=\"why\">", out);
    esc(out, r->reason);
    fputs("</td></tr>\n", out);
}

static void table_head(FILE *out, const petal_sweep_spec *s, const char *id)
{
    report_units u = report_units_of(&s->arch);
    fprintf(out, "<div class=\"scroll\"><table id=\"%s\">\n", id);
    param_heads(out, s);
    fprintf(out,
            "<th>status</th><th>area mm^2</th><th>MACs</th><th>energy %s</th><th>cycles</th>"
            "<th>latency ms</th><th>inferences/s</th><th>energy per MAC (%s)</th>"
            "<th>DRAM bytes per MAC</th><th>search</th><th>reason</th></tr>\n",
            u.big, u.per_mac);
}

static void fact(FILE *out, const char *name, const char *id)
{
    fprintf(out, "<tr><th>%s</th><td%s%s%s>", name, id ? " id=\"" : "", id ? id : "",
            id ? "\"" : "");
}

static void header(FILE *out, const petal_sweep_html_input *in, const size_t *count, size_t front)
{
    const petal_sweep_spec *s = in->spec;
    report_units u = report_units_of(&s->arch);
    fputs("<header><h1>petal sweep: ", out);
    esc(out, in->spec_name);
    fputs("</h1>\n<table class=\"facts\" id=\"setup\">\n", out);
    fact(out, "petal", "version");
    fprintf(out, "%s</td></tr>\n", petal_version());
    fact(out, "spec", "spec");
    esc(out, in->spec_name);
    fputs("</td></tr>\n", out);
    fact(out, "results", "results");
    esc(out, in->results_name);
    fputs(" (every number on this page is a field of it)</td></tr>\n", out);
    fact(out, "architecture", "arch");
    esc(out, s->arch_name);
    fprintf(out, " (%s; energies: %s)</td></tr>\n", s->arch.name,
            s->energy_table ? s->energy_table->name : "the architecture's own");
    fact(out, "networks", "networks");
    for (size_t i = 0; i < s->nnetworks; i++) {
        fputs(i ? ", " : "", out);
        esc(out, s->networks[i].name);
    }
    fputs("</td></tr>\n", out);
    fact(out, "batch", NULL);
    for (size_t i = 0; i < s->nbatches; i++)
        fprintf(out, "%s%" PRIu64, i ? ", " : "", s->batches[i]);
    fputs("</td></tr>\n", out);
    fact(out, "dataflow", NULL);
    for (size_t i = 0; i < s->ndataflows; i++)
        fprintf(out, "%s%s", i ? ", " : "",
                s->dataflows[i][0] ? s->dataflows[i] : "any (the whole mapspace)");
    fputs("</td></tr>\n", out);
    fact(out, "objective", NULL);
    for (size_t i = 0; i < s->nobjectives; i++)
        fprintf(out, "%s%s", i ? ", " : "", petal_objective_name(s->objectives[i]));
    fputs("</td></tr>\n", out);
    for (size_t k = 0; k < s->nparams; k++) {
        const petal_sweep_param *p = &s->params[k];
        fputs("<tr><th>", out);
        esc(out, p->name);
        fputs("</th><td>", out);
        for (size_t v = 0; v < p->nvalues; v++) {
            char *text = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&text, &len);
            if (f) {
                sweep_value_text(f, p, v, p->values[v], false);
                fclose(f);
            }
            fputs(v ? ", " : "", out);
            esc(out, text ? text : "?");
            free(text);
        }
        fputs("</td></tr>\n", out);
    }
    if (s->max_area_mm2 > 0 || s->max_latency_ms > 0) {
        fact(out, "constraints", NULL);
        if (s->max_area_mm2 > 0)
            fprintf(out, "area at most %g mm^2%s", s->max_area_mm2,
                    s->max_latency_ms > 0 ? ", " : "");
        if (s->max_latency_ms > 0)
            fprintf(out, "latency at most %g ms", s->max_latency_ms);
        fputs("</td></tr>\n", out);
    }
    fact(out, "search budget", NULL);
    if (in->budget_seconds < 0)
        fputs("none: every search ran until its best was proven", out);
    else
        fprintf(out, "%g s per layer shape", in->budget_seconds);
    fputs("</td></tr>\n", out);
    fact(out, "energy unit", "energy-unit");
    fprintf(out, "%s: %s</td></tr>\n", u.unit, u.legend[0] ? u.legend : "picojoules");
    if (s->sample)
        fprintf(out, "<tr><th>sample</th><td>%zu points drawn with seed %" PRIu64 "</td></tr>\n",
                s->npoints, s->seed);
    fact(out, "rows", "counts");
    fprintf(out,
            "%zu (%zu points x %zu rows each): %zu ok, %zu unmapped, %zu invalid, %zu pruned; "
            "%zu on the front</td></tr>\n</table>\n",
            in->nrows, s->npoints, petal_sweep_rows_per_point(s), count[PETAL_SWEEP_OK],
            count[PETAL_SWEEP_UNMAPPED], count[PETAL_SWEEP_INVALID], count[PETAL_SWEEP_PRUNED],
            front);
    if (count[PETAL_SWEEP_UNMAPPED])
        fprintf(out,
                "<p class=\"partial\" id=\"partial\">PARTIAL: %zu rows have layers without a "
                "valid mapping. Their totals cover the mapped layers only, so they are neither "
                "on the chart nor on the front; their reasons are listed below.</p>\n",
                count[PETAL_SWEEP_UNMAPPED]);
    fputs("</header>\n", out);
}

petal_status petal_report_sweep_html(FILE *out, const petal_sweep_html_input *in)
{
    if (!out || !in || !in->spec || (!in->rows && in->nrows))
        return petal_error_set(PETAL_EINVAL, "report: a sweep's spec and rows are needed");
    const petal_sweep_spec *s = in->spec;
    if (s->nfractions)
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "report: a NetAdapt table has no front to draw (its rows are "
                               "layers, not designs)");
    size_t count[4] = {0, 0, 0, 0}, front = 0;
    for (size_t i = 0; i < in->nrows; i++) {
        if (in->rows[i].network >= s->nnetworks || (unsigned)in->rows[i].status > 3)
            return petal_error_set(PETAL_EINVAL, "report: row %zu is not one of the spec's", i);
        count[in->rows[i].status]++;
        front += in->rows[i].on_front;
    }
    char title[400];
    snprintf(title, sizeof title, "petal sweep: %s", in->spec_name ? in->spec_name : "");
    html_page_begin(out, title);
    header(out, in, count, front);

    fputs("<section id=\"scatter\"><h2>Energy against latency</h2>\n", out);
    sweep_scatter(out, s, in->rows, in->nrows, "chart-sweep");
    fputs("<p>One panel per network and batch, one point per row whose status is ok (hover for "
          "its point). Filled points are on the front of energy, latency and area; the line "
          "joins the points that no other beats in both energy and latency.</p>\n</section>\n",
          out);

    fputs("<section id=\"front\"><h2>The Pareto front</h2>\n<p>Rows whose status is ok and that "
          "no other ok row of the same network and batch matches or beats in energy, latency and "
          "area while beating it in one.</p>\n",
          out);
    table_head(out, s, "front-table");
    for (size_t i = 0; i < in->nrows; i++)
        if (in->rows[i].on_front)
            row_cells(out, s, &in->rows[i], i);
    fputs("</table></div>\n</section>\n", out);

    size_t not_ok = in->nrows - count[PETAL_SWEEP_OK];
    if (not_ok) {
        fputs("<section id=\"not-ok\"><h2>Rows that are not ok</h2>\n<div class=\"scroll\">"
              "<table id=\"not-ok-table\">\n",
              out);
        param_heads(out, s);
        fputs("<th>status</th><th>area mm^2</th><th>reason</th></tr>\n", out);
        for (size_t i = 0; i < in->nrows; i++) {
            const petal_sweep_row *r = &in->rows[i];
            if (r->status == PETAL_SWEEP_OK)
                continue;
            fprintf(out, "<tr data-row=\"%zu\"><td>%zu</td><td>", i, i);
            field_u64(out, i, "point", r->point);
            fputs("</td>", out);
            param_cells(out, s, r);
            fputs("<td class=\"l\">", out);
            esc(out, s->networks[r->network].name);
            fputs("</td><td>", out);
            field_u64(out, i, "batch", r->batch);
            fprintf(out, "</td><td class=\"l\">%s</td><td>", petal_sweep_status_name(r->status));
            if (isfinite(r->area_mm2))
                area_field(out, i, r->area_mm2);
            fputs("</td><td class=\"why\">", out);
            esc(out, r->reason);
            fputs("</td></tr>\n", out);
        }
        fputs("</table></div>\n</section>\n", out);
    }

    fputs("<section id=\"rows\"><h2>Every row</h2>\n", out);
    if (in->nrows > MAX_LISTED_ROWS) {
        fprintf(out,
                "<p class=\"partial\" id=\"rows-cut\">The first %d of %zu rows; the others are "
                "in ",
                MAX_LISTED_ROWS, in->nrows);
        esc(out, in->results_name);
        fputs(".</p>\n", out);
    }
    table_head(out, s, "row-table");
    for (size_t i = 0; i < in->nrows && i < MAX_LISTED_ROWS; i++)
        row_cells(out, s, &in->rows[i], i);
    fputs("</table></div>\n</section>\n", out);
    fprintf(out,
            "<footer><p>Written by petal %s from the rows of its results file. Each number's "
            "data-path is [row, column] of that file (row 0 is the first under the CSV "
            "header).</p></footer>\n</body>\n</html>\n",
            petal_version());
    return ferror(out) ? petal_error_set(PETAL_EIO, "report: writing the page failed") : PETAL_OK;
}
