/* mapper_report.c - what `petal map` and `petal eval` print: one layer's best
 * mapping with its search summary, and a network's per-layer table and totals,
 * as text, JSON or CSV. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats/csv/csvw.h"
#include "formats/json/jsonw.h"
#include "petal/eval.h"
#include "petal/formats.h"
#include "petal/report.h"
#include "report/latency.h"
#include "report/report_json.h"
#include "report/units.h"
#include "util/error.h"

static const char *dataflow_label(const petal_map_options *o)
{
    return o && o->dataflow && o->dataflow[0] ? o->dataflow : "whole mapspace";
}

static petal_objective objective_of(const petal_map_options *o)
{
    return o ? o->objective : PETAL_OBJECTIVE_ENERGY;
}

/* "optimal", "gap 1.23%", or why nothing was found. */
static void search_label(char *buf, size_t size, const petal_map_result *r)
{
    if (!r->found)
        snprintf(buf, size, "no mapping");
    else if (r->complete)
        snprintf(buf, size, "optimal");
    else if (petal_map_gap(r) < 0.00005)
        snprintf(buf, size, "gap < 0.005%%%s", /* not proven: never "gap 0.00%" */
                 r->stopped_by == PETAL_LIMIT_TIME ? " (time limit)" : "");
    else
        snprintf(buf, size, "gap %.2f%%%s", 100.0 * petal_map_gap(r),
                 r->stopped_by == PETAL_LIMIT_TIME ? " (time limit)" : "");
}

/* --- one layer --- */

/* Copy what fn writes to out with "# " in front of every line. */
static void commented_nest(FILE *out, const petal_problem *p, const petal_arch *a,
                           const petal_mapping *m)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return;
    petal_mapping_print_nest(mem, p, a, m);
    fclose(mem);
    const char *line = text;
    while (line && *line) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        fprintf(out, "#   %.*s\n", (int)n, line);
        line = end ? end + 1 : NULL;
    }
    free(text);
}

static void map_text(FILE *out, const petal_problem *p, const petal_arch *a,
                     const petal_map_options *o, const petal_map_result *r)
{
    fprintf(out, "# petal map: layer %s on %s, %s, objective %s\n", p->name, a->name,
            dataflow_label(o), petal_objective_name(objective_of(o)));
    if (!r->found) {
        fprintf(out, "# no valid mapping: %s\n", r->why);
        if (isfinite(r->lower_bound) && r->lower_bound > 0)
            fprintf(out, "# lower bound on the objective: %.6g\n", r->lower_bound);
        return;
    }
    const petal_model_result *s = &r->stats;
    petal_energy_split e;
    petal_energy_split_of(a, s, &e);
    double macs = (double)s->computes;
    report_units u = report_units_of(a);
    if (u.legend[0])
        fprintf(out, "# %s\n", u.legend);
    fprintf(out,
            "# energy %.2f %s (%.4f %s): DRAM %.4f, buffer %.4f, NoC %.4f, RF %.4f, MAC "
            "%.4f %s\n",
            s->energy_pj, u.unit, s->energy_pj / macs, u.per_mac, e.dram_pj / macs,
            e.buffer_pj / macs, e.noc_pj / macs, e.rf_pj / macs, e.mac_pj / macs, u.per_mac);
    fprintf(out, "# cycles %" PRIu64, s->cycles);
    if (a->clock_hz > 0)
        fprintf(out, " (%.6g ms at %g MHz)", 1e3 * (double)s->cycles / a->clock_hz,
                a->clock_hz / 1e6);
    fprintf(out, ", utilization %.2f%%, %" PRIu64 " of %" PRIu64 " MACs in use\n",
            100.0 * s->utilization, s->utilized_macs, a->arith.instances);
    report_latency_text(out, "# ", p, a, s);
    fprintf(out,
            "# search: %s; %" PRIu64 " mappings evaluated, %" PRIu64
            " partial ones bounded, %.3f s (best found after %.3f s)\n",
            r->complete                           ? "complete, this mapping is optimal"
            : r->stopped_by == PETAL_LIMIT_EFFORT ? "stopped by the effort limit"
                                                  : "stopped by the time limit",
            r->evaluated, r->bounded, r->seconds, r->found_seconds);
    fprintf(out, "# lower bound %.6g, gap %.4f%%\n#\n", r->lower_bound, 100.0 * petal_map_gap(r));
    commented_nest(out, p, a, &r->mapping);
    petal_mapping_write_yaml(out, p, a, &r->mapping);
}

static void json_factors(jw *w, const char *key, const petal_problem *p, const uint64_t *f)
{
    jw_key(w, key);
    jw_object(w);
    for (int d = 0; d < p->ndims; d++)
        if (f[d] != 1) {
            jw_key(w, p->dim_names[d]);
            jw_u64(w, f[d]);
        }
    jw_end(w);
}

static void json_mapping(jw *w, const petal_problem *p, const petal_arch *a, const petal_mapping *m)
{
    jw_object(w);
    jw_key(w, "levels");
    jw_array(w);
    for (int l = 0; l < a->nlevels; l++) {
        const petal_level_mapping *lm = &m->levels[l];
        jw_object(w);
        jw_key(w, "level");
        jw_string(w, a->levels[l].name);
        json_factors(w, "temporal", p, lm->temporal);
        jw_key(w, "order"); /* outermost first, loops above 1 only */
        jw_array(w);
        for (int k = p->ndims - 1; k >= 0; k--)
            if (lm->perm[k] < p->ndims && lm->temporal[lm->perm[k]] > 1)
                jw_string(w, p->dim_names[lm->perm[k]]);
        jw_end(w);
        json_factors(w, "spatial_x", p, lm->spatial_x);
        json_factors(w, "spatial_y", p, lm->spatial_y);
        jw_key(w, "keep");
        jw_array(w);
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            if (lm->keep & (1u << ds))
                jw_string(w, petal_ds_canonical_name(ds));
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

/* "word_bits": per level, the width of each data space it keeps in the best
 * mapping (docs/precision.md), and the MACs' cycles per operation. */
static void json_word_bits(jw *w, const petal_problem *p, const petal_arch *a,
                           const petal_model_result *stats)
{
    jw_key(w, "word_bits");
    jw_array(w);
    for (int l = 0; l < a->nlevels; l++) {
        jw_object(w);
        jw_key(w, "level");
        jw_string(w, a->levels[l].name);
        for (int s = 0; s < PETAL_NUM_DS; s++)
            if (stats->levels[l].ds[s].kept) {
                jw_key(w, petal_ds_canonical_name(s));
                jw_u64(w, stats->levels[l].ds[s].word_bits);
            }
        jw_end(w);
    }
    jw_end(w);
    (void)p;
}

/* The architecture a result is for, and the unit of its energies. */
static void json_arch(jw *w, const petal_arch *a)
{
    jw_key(w, "arch");
    jw_string(w, a->name);
    jw_key(w, "energy_unit");
    jw_string(w, report_units_of(a).unit);
}

/* What the search was asked for. */
static void json_setup(jw *w, const petal_map_options *o)
{
    jw_key(w, "objective");
    jw_string(w, petal_objective_name(objective_of(o)));
    jw_key(w, "dataflow");
    if (o && o->dataflow && o->dataflow[0])
        jw_string(w, o->dataflow);
    else
        jw_null(w);
}

static void json_split(jw *w, const petal_energy_split *e)
{
    jw_key(w, "energy_split_pj");
    jw_object(w);
    jw_key(w, "dram");
    jw_double(w, e->dram_pj);
    jw_key(w, "buffer");
    jw_double(w, e->buffer_pj);
    jw_key(w, "noc");
    jw_double(w, e->noc_pj);
    jw_key(w, "rf");
    jw_double(w, e->rf_pj);
    jw_key(w, "mac");
    jw_double(w, e->mac_pj);
    jw_end(w);
}

/* The search figures every result has, found or not; the wall-clock times
 * only when asked for (they differ from run to run, the rest does not). */
static void json_search(jw *w, const petal_map_result *r, bool timings)
{
    jw_key(w, "found");
    jw_bool(w, r->found);
    if (!r->found) {
        jw_key(w, "why");
        jw_string(w, r->why);
    }
    jw_key(w, "complete");
    jw_bool(w, r->complete);
    jw_key(w, "evaluated");
    jw_u64(w, r->evaluated);
    jw_key(w, "bounded");
    jw_u64(w, r->bounded);
    jw_key(w, "lower_bound");
    if (isfinite(r->lower_bound))
        jw_double(w, r->lower_bound);
    else
        jw_null(w);
    jw_key(w, "gap");
    jw_double(w, petal_map_gap(r));
    jw_key(w, "stopped_by"); /* null when complete, else "effort" or "time" */
    if (r->stopped_by == PETAL_LIMIT_NONE)
        jw_null(w);
    else
        jw_string(w, petal_map_limit_name(r->stopped_by));
    if (timings) {
        jw_key(w, "seconds");
        jw_double(w, r->seconds);
        jw_key(w, "found_seconds");
        jw_double(w, r->found_seconds);
    }
}

/* Where the architecture forwards between neighbours (docs/systolic.md):
 * the fill and drain cycles, and per level and data space forwarded the
 * word-hops and their energy, so that a reader sees the mapping use them. */
static void json_forwarding(jw *w, const petal_problem *p, const petal_arch *a,
                            const petal_model_result *s)
{
    jw_key(w, "fill_drain_cycles");
    jw_u64(w, s->fill_drain_cycles);
    jw_key(w, "forwarding");
    jw_array(w);
    for (int l = 0; l < a->nlevels; l++)
        for (int d = 0; d < PETAL_NUM_DS; d++) {
            if (!a->levels[l].forward[d])
                continue;
            jw_object(w);
            jw_key(w, "level");
            jw_string(w, a->levels[l].name);
            jw_key(w, "data_space");
            jw_string(w, p->ds[d].name);
            jw_key(w, "axis");
            jw_string(w, petal_forward_name((petal_forward)a->levels[l].forward[d]));
            jw_key(w, "forwards");
            jw_u64(w, s->levels[l].ds[d].forwards);
            jw_key(w, "forward_energy_pj");
            jw_double(w, s->levels[l].ds[d].forward_energy_pj);
            jw_end(w);
        }
    jw_end(w);
}

static void json_costs(jw *w, const petal_problem *p, const petal_arch *a,
                       const petal_map_result *r)
{
    const petal_model_result *s = &r->stats;
    petal_energy_split e;
    petal_energy_split_of(a, s, &e);
    jw_key(w, "energy_pj");
    jw_double(w, s->energy_pj);
    jw_key(w, "pj_per_mac");
    jw_double(w, s->computes ? s->energy_pj / (double)s->computes : 0);
    json_split(w, &e);
    jw_key(w, "cycles");
    jw_u64(w, s->cycles);
    jw_key(w, "latency_s");
    jw_double(w, a->clock_hz > 0 ? (double)s->cycles / a->clock_hz : 0);
    jw_key(w, "utilization");
    jw_double(w, s->utilization);
    report_latency_json(w, p, a, s);
    if (petal_arch_forwards(a))
        json_forwarding(w, p, a, s);
}

/* The finer splits eval adds: by data space (storage and network; the MACs
 * are in energy_split_pj.mac) and by named level (accesses and leakage, and
 * the network energy of moving its words to its children). */
static void json_fine_split(jw *w, const petal_arch *a, const double *by_ds, const double *by_level,
                            const double *network_by_level)
{
    jw_key(w, "energy_by_data_space_pj");
    jw_object(w);
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        jw_key(w, petal_ds_canonical_name(s));
        jw_double(w, by_ds[s]);
    }
    jw_end(w);
    jw_key(w, "energy_by_level_pj");
    jw_object(w);
    for (int l = 0; l < a->nlevels; l++) {
        jw_key(w, a->levels[l].name);
        jw_double(w, by_level[l]);
    }
    jw_end(w);
    jw_key(w, "network_energy_by_level_pj");
    jw_object(w);
    for (int l = 0; l < a->nlevels; l++) {
        jw_key(w, a->levels[l].name);
        jw_double(w, network_by_level[l]);
    }
    jw_end(w);
}

static void map_json(FILE *out, const petal_problem *p, const petal_arch *a,
                     const petal_map_options *o, const petal_map_result *r, bool timings)
{
    jw w;
    jw_init(&w, out, true);
    jw_object(&w);
    jw_key(&w, "layer");
    jw_string(&w, p->name);
    json_arch(&w, a);
    json_setup(&w, o);
    jw_key(&w, "macs");
    jw_u64(&w, petal_problem_macs(p));
    /* The layer's densities and expected non-zero MACs, when it has any
     * (docs/densities.md). */
    if (petal_problem_has_density(p)) {
        report_json_density(&w, p);
        report_json_number_or_null(&w, "nonzero_macs", petal_problem_nonzero_macs(p));
    }
    json_search(&w, r, timings);
    if (r->found) {
        json_costs(&w, p, a, r);
        jw_key(&w, "mapping");
        json_mapping(&w, p, a, &r->mapping);
        json_word_bits(&w, p, a, &r->stats);
    }
    jw_end(&w);
    jw_finish(&w);
}

petal_status petal_report_map(FILE *out, const petal_problem *p, const petal_arch *a,
                              const petal_map_options *o, const petal_map_result *r,
                              petal_report_format fmt)
{
    if (fmt == PETAL_REPORT_JSON || fmt == PETAL_REPORT_JSON_TIMINGS)
        map_json(out, p, a, o, r, fmt == PETAL_REPORT_JSON_TIMINGS);
    else
        map_text(out, p, a, o, r);
    return ferror(out) ? petal_error_set(PETAL_EIO, "writing the result failed") : PETAL_OK;
}

/* --- a network --- */

/* x per non-zero MAC (docs/densities.md); NaN when the non-zero MACs are not
 * known (a banded density) or none are expected. */
static double per_nonzero(double x, double nonzero_macs)
{
    return isfinite(nonzero_macs) && nonzero_macs > 0 ? x / nonzero_macs : NAN;
}

/* The widest layer name, so that no name is cut short in the table. */
static int name_width(const petal_network *net)
{
    size_t w = 5; /* "layer" */
    for (size_t i = 0; i < net->nlayers; i++)
        if (strlen(net->layers[i].name) > w)
            w = strlen(net->layers[i].name);
    return (int)w;
}

/* The layers without a mapping, one line per distinct reason naming its rows
 * (one reason repeated on 21 rows is one line, not 21). */
static void unmapped_reasons(FILE *out, const petal_network *net, const petal_eval_result *r)
{
    for (size_t i = 0; i < r->nlayers; i++) {
        const char *why = r->layers[i].map.why;
        if (r->layers[i].map.found)
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !r->layers[j].map.found && strcmp(r->layers[j].map.why, why) == 0;
        if (seen)
            continue;
        size_t count = 0;
        for (size_t j = i; j < r->nlayers; j++)
            count += !r->layers[j].map.found && strcmp(r->layers[j].map.why, why) == 0;
        fprintf(out, "no valid mapping for %zu %s (", count, count == 1 ? "layer" : "layers");
        const char *sep = "";
        for (size_t j = i; j < r->nlayers; j++)
            if (!r->layers[j].map.found && strcmp(r->layers[j].map.why, why) == 0) {
                fprintf(out, "%s#%zu %s", sep, j, net->layers[j].name);
                sep = ", ";
            }
        fprintf(out, "): %s\n", why);
    }
}

/* The second table: energy per MAC by named level (storage, then all the
 * network energy, then the MACs) and by data space. */
static void eval_text_fine(FILE *out, const petal_network *net, const petal_arch *a,
                           const petal_eval_result *r, int nw)
{
    report_units u = report_units_of(a);
    int lw[PETAL_MAX_LEVELS];
    fprintf(out,
            "\nenergy per MAC (%s) by level and by data space (storage and network)\n%3s  %-*s",
            u.per_mac, "#", nw, "layer");
    for (int l = 0; l < a->nlevels; l++) {
        lw[l] = (int)strlen(a->levels[l].name);
        if (lw[l] < 7)
            lw[l] = 7;
        fprintf(out, " %*s", lw[l], a->levels[l].name);
    }
    fprintf(out, " %7s %7s | %7s %7s %7s\n", "NoC", "MAC", "Weights", "Inputs", "Outputs");
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_layer_eval *le = &r->layers[i];
        if (!le->map.found)
            continue;
        double m = (double)le->map.stats.computes, noc = 0;
        fprintf(out, "%3zu  %-*s", i, nw, net->layers[i].name);
        for (int l = 0; l < a->nlevels; l++) {
            fprintf(out, " %*.3f", lw[l], le->energy_by_level_pj[l] / m);
            noc += le->network_by_level_pj[l];
        }
        fprintf(out, " %7.3f %7.3f | %7.3f %7.3f %7.3f\n", noc / m, le->split.mac_pj / m,
                le->energy_by_ds_pj[0] / m, le->energy_by_ds_pj[1] / m, le->energy_by_ds_pj[2] / m);
    }
}

static void eval_text(FILE *out, const petal_network *net, const petal_arch *a,
                      const petal_map_options *o, const petal_eval_result *r)
{
    report_units u = report_units_of(a);
    int nw = name_width(net);
    char energy_head[24];
    snprintf(energy_head, sizeof energy_head, "energy %s", u.big);
    fprintf(out, "network %s (batch %" PRIu64 ") on %s: %s, objective %s\n", net->name, net->batch,
            a->name, dataflow_label(o), petal_objective_name(objective_of(o)));
    if (u.legend[0])
        fprintf(out, "%s\n", u.legend);
    fprintf(out, "\n%3s  %-*s %13s %12s %7s | %7s %7s %7s %7s %7s | %12s %10s %6s  %-30s  %s\n",
            "#", nw, "layer", "MACs", energy_head, u.per_mac, "DRAM", "buffer", "NoC", "RF", "MAC",
            "cycles", "ms", "util", "limited by (next bound)", "search");
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_layer_eval *le = &r->layers[i];
        const petal_problem *p = &net->layers[i];
        uint64_t macs = petal_problem_macs(p);
        fprintf(out, "%3zu  %-*s %13" PRIu64 " ", i, nw, p->name, macs);
        if (!le->map.found) {
            fprintf(out, "no mapping (see below)\n");
            continue;
        }
        const petal_model_result *s = &le->map.stats;
        double m = (double)s->computes;
        char search[64];
        if (le->same_as != i)
            snprintf(search, sizeof search, "as #%zu", le->same_as);
        else
            search_label(search, sizeof search, &le->map);
        char limit[2 * PETAL_NAME_MAX + 48];
        report_latency_cell(a, s, limit, sizeof limit);
        fprintf(out,
                "%12.3f %7.3f | %7.3f %7.3f %7.3f %7.3f %7.3f | %12" PRIu64
                " %10.4f %5.1f%%  %-30s  %s\n",
                s->energy_pj / 1e6, s->energy_pj / m, le->split.dram_pj / m,
                le->split.buffer_pj / m, le->split.noc_pj / m, le->split.rf_pj / m,
                le->split.mac_pj / m, s->cycles, 1e3 * le->latency_s, 100.0 * s->utilization, limit,
                search);
    }
    eval_text_fine(out, net, a, r, nw);
    double macs = (double)r->macs, batch = (double)(net->batch ? net->batch : 1);
    fprintf(out, "\n");
    /* Totals that leave layers out say so on the same line. */
    char partial[96] = "";
    if (r->unmapped)
        snprintf(partial, sizeof partial, " [PARTIAL: %zu of %zu layers have no mapping]",
                 r->unmapped, r->nlayers);
    if (r->macs) {
        fprintf(out,
                "total%s: %" PRIu64 " MACs, %.6g %s (%.4f %s: DRAM %.4f, buffer %.4f, NoC "
                "%.4f, RF %.4f, MAC %.4f)\n",
                partial, r->macs, r->energy_pj / 1e6, u.big, r->energy_pj / macs, u.per_mac,
                r->split.dram_pj / macs, r->split.buffer_pj / macs, r->split.noc_pj / macs,
                r->split.rf_pj / macs, r->split.mac_pj / macs);
        fprintf(out, "per inference%s: %.6g %s", partial, r->energy_pj / 1e6 / batch, u.big);
        if (r->latency_s > 0)
            fprintf(out, ", latency %.6g ms (batch of %.0f), %.6g inferences/s", 1e3 * r->latency_s,
                    batch, batch / r->latency_s);
        fprintf(out, "\nDRAM%s: %.4f bytes per MAC (%" PRIu64 " bytes)\n", partial,
                (double)r->dram_bytes / macs, r->dram_bytes);
        /* The tutorial's sparse metrics, when the layers have densities. */
        if (r->sparse && isfinite(r->nonzero_macs) && r->nonzero_macs > 0)
            fprintf(out,
                    "non-zero MACs%s: %.6g expected (a MAC whose weight and input are both "
                    "non-zero: MACs x density of Weights x density of Inputs); %.4f %s per "
                    "non-zero MAC, %.4f DRAM bytes per non-zero MAC\n",
                    partial, r->nonzero_macs, r->energy_pj / r->nonzero_macs, u.unit,
                    (double)r->dram_bytes / r->nonzero_macs);
        else if (r->sparse)
            fprintf(out, "non-zero MACs%s: %s; no figures per non-zero MAC\n", partial,
                    isfinite(r->nonzero_macs) ? "none expected (a density of 0)"
                                              : "not known (a banded density)");
    }
    /* An architecture that states no areas has a total of 0: say so rather
     * than print 0 mm2 as if it were measured. */
    if (r->area_um2 > 0)
        fprintf(out, "area: %.4g mm2 (%.4g mm2 per MAC unit, %" PRIu64 " MAC units)\n",
                r->area_um2 / 1e6, r->area_um2 / 1e6 / (double)a->arith.instances,
                a->arith.instances);
    else
        fprintf(out, "area: not given (%s states no areas; %" PRIu64 " MAC units)\n", a->name,
                a->arith.instances);
    unmapped_reasons(out, net, r);
    fprintf(out, "%zu layers, %zu distinct shapes searched in %.2f s", r->nlayers, r->searches,
            r->seconds);
    if (r->unmapped)
        fprintf(out, "; %zu %s no valid mapping", r->unmapped,
                r->unmapped == 1 ? "layer has" : "layers have");
    fprintf(out, "\n");
    /* A search the clock cut is the one result that depends on the machine. */
    size_t timed = 0;
    for (size_t i = 0; i < r->nlayers; i++)
        timed += r->layers[i].same_as == i && r->layers[i].map.stopped_by == PETAL_LIMIT_TIME;
    if (timed)
        fprintf(out,
                "the time limit (--budget) cut %zu %s: %s on the machine, its load "
                "and the thread count\n",
                timed, timed == 1 ? "search" : "searches",
                timed == 1 ? "its result depends" : "their results depend");
}

static void eval_json(FILE *out, const petal_network *net, const petal_arch *a,
                      const petal_map_options *o, const petal_eval_result *r, bool timings)
{
    jw w;
    jw_init(&w, out, true);
    jw_object(&w);
    jw_key(&w, "net");
    jw_string(&w, net->name);
    json_arch(&w, a);
    jw_key(&w, "complete"); /* the totals cover every layer */
    jw_bool(&w, r->unmapped == 0);
    jw_key(&w, "batch");
    jw_u64(&w, net->batch);
    json_setup(&w, o);
    jw_key(&w, "layers");
    jw_array(&w);
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_layer_eval *le = &r->layers[i];
        jw_object(&w);
        jw_key(&w, "name");
        jw_string(&w, net->layers[i].name);
        jw_key(&w, "same_as");
        jw_u64(&w, le->same_as);
        jw_key(&w, "macs");
        jw_u64(&w, petal_problem_macs(&net->layers[i]));
        json_search(&w, &le->map, timings);
        if (le->map.found) {
            json_costs(&w, &net->layers[i], a, &le->map);
            jw_key(&w, "dram_bytes");
            jw_u64(&w, le->dram_bytes);
            report_json_density(&w, &net->layers[i]);
            report_json_number_or_null(&w, "nonzero_macs", le->nonzero_macs);
            report_json_number_or_null(&w, "pj_per_nonzero_mac",
                                       per_nonzero(le->map.stats.energy_pj, le->nonzero_macs));
            report_json_number_or_null(&w, "dram_bytes_per_nonzero_mac",
                                       per_nonzero((double)le->dram_bytes, le->nonzero_macs));
            json_fine_split(&w, a, le->energy_by_ds_pj, le->energy_by_level_pj,
                            le->network_by_level_pj);
            json_word_bits(&w, &net->layers[i], a, &le->map.stats);
            jw_key(&w, "mapping");
            json_mapping(&w, &net->layers[i], a, &le->map.mapping);
        }
        jw_end(&w);
    }
    jw_end(&w);
    double batch = (double)(net->batch ? net->batch : 1);
    jw_key(&w, "totals");
    jw_object(&w);
    jw_key(&w, "energy_pj");
    jw_double(&w, r->energy_pj);
    jw_key(&w, "cycles");
    jw_u64(&w, r->cycles);
    jw_key(&w, "latency_s");
    jw_double(&w, r->latency_s);
    jw_key(&w, "macs");
    jw_u64(&w, r->macs);
    jw_key(&w, "energy_per_inference_pj");
    jw_double(&w, r->energy_pj / batch);
    jw_key(&w, "inferences_per_second");
    jw_double(&w, r->latency_s > 0 ? batch / r->latency_s : 0);
    jw_key(&w, "dram_bytes_per_mac");
    jw_double(&w, r->macs ? (double)r->dram_bytes / (double)r->macs : 0);
    /* The tutorial's sparse metrics (docs/densities.md); per MAC when dense. */
    jw_key(&w, "sparse");
    jw_bool(&w, r->sparse);
    report_json_number_or_null(&w, "nonzero_macs", r->nonzero_macs);
    report_json_number_or_null(&w, "energy_per_nonzero_mac_pj",
                               per_nonzero(r->energy_pj, r->nonzero_macs));
    report_json_number_or_null(&w, "dram_bytes_per_nonzero_mac",
                               per_nonzero((double)r->dram_bytes, r->nonzero_macs));
    json_split(&w, &r->split);
    jw_key(&w, "unmapped");
    jw_u64(&w, r->unmapped);
    if (timings) {
        jw_key(&w, "seconds");
        jw_double(&w, r->seconds);
    }
    json_fine_split(&w, a, r->energy_by_ds_pj, r->energy_by_level_pj, r->network_by_level_pj);
    /* null when the architecture states no areas (a total of 0) */
    jw_key(&w, "area_um2");
    if (r->area_um2 > 0)
        jw_double(&w, r->area_um2);
    else
        jw_null(&w);
    jw_key(&w, "area_mm2");
    if (r->area_um2 > 0)
        jw_double(&w, r->area_um2 / 1e6);
    else
        jw_null(&w);
    jw_end(&w);
    jw_key(&w, "failed"); /* the layers the totals leave out, and why */
    jw_array(&w);
    for (size_t i = 0; i < r->nlayers; i++) {
        if (r->layers[i].map.found)
            continue;
        jw_object(&w);
        jw_key(&w, "name");
        jw_string(&w, net->layers[i].name);
        jw_key(&w, "why");
        jw_string(&w, r->layers[i].map.why);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    jw_finish(&w);
}

static void eval_csv(FILE *out, const petal_network *net, const petal_arch *a,
                     const petal_eval_result *r)
{
    const char *u = report_units_of(a).csv; /* energy columns name their unit */
    fprintf(
        out,
        "index,name,same_as,macs,found,energy_%s,%s_per_mac,dram_%s,buffer_%s,noc_%s,"
        "rf_%s,mac_%s,cycles,latency_s,utilization,evaluated,lower_bound,gap,complete,limited_by,"
        "why",
        u, u, u, u, u, u, u);
    /* Added columns, after the first ones: by data space, then per level its
     * storage and its network energy. */
    for (int s = 0; s < PETAL_NUM_DS; s++)
        fprintf(out, ",ds_%s_%s", petal_ds_canonical_name(s), u);
    for (int l = 0; l < a->nlevels; l++) {
        fprintf(out, ",");
        char col[PETAL_NAME_MAX + 16];
        snprintf(col, sizeof col, "level_%s_%s", a->levels[l].name, u);
        csv_field(out, col);
        snprintf(col, sizeof col, "network_%s_%s", a->levels[l].name, u);
        fprintf(out, ",");
        csv_field(out, col);
    }
    fprintf(out, ",nonzero_macs,%s_per_nonzero_mac,dram_bytes,dram_bytes_per_nonzero_mac\n", u);
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_layer_eval *le = &r->layers[i];
        const petal_map_result *m = &le->map;
        fprintf(out, "%zu,", i);
        csv_field(out, net->layers[i].name);
        fprintf(out, ",%zu,%" PRIu64 ",%d,", le->same_as, petal_problem_macs(&net->layers[i]),
                m->found);
        if (m->found) {
            const petal_model_result *s = &m->stats;
            fprintf(out, "%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%" PRIu64 ",%.17g,%.17g,",
                    s->energy_pj, s->energy_pj / (double)s->computes, le->split.dram_pj,
                    le->split.buffer_pj, le->split.noc_pj, le->split.rf_pj, le->split.mac_pj,
                    s->cycles, le->latency_s, s->utilization);
        } else {
            fputs(",,,,,,,,,,", out);
        }
        fprintf(out, "%" PRIu64 ",", m->evaluated);
        if (isfinite(m->lower_bound))
            fprintf(out, "%.17g", m->lower_bound);
        fprintf(out, ",%.17g,%d,", petal_map_gap(m), m->complete);
        if (m->found && m->stats.nbounds) {
            char limit[PETAL_NAME_MAX + 16];
            report_bound_name(a, &m->stats.bounds[m->stats.limited_by], limit, sizeof limit);
            csv_field(out, limit);
        }
        fputc(',', out);
        csv_field(out, m->found ? "" : m->why);
        for (int s = 0; s < PETAL_NUM_DS; s++)
            m->found ? fprintf(out, ",%.17g", le->energy_by_ds_pj[s]) : fputc(',', out);
        for (int l = 0; l < a->nlevels; l++) {
            if (m->found)
                fprintf(out, ",%.17g,%.17g", le->energy_by_level_pj[l], le->network_by_level_pj[l]);
            else
                fputs(",,", out);
        }
        /* Empty where not known: no mapping, a banded density, no non-zero MAC. */
        if (m->found) {
            double nz = le->nonzero_macs, e = per_nonzero(m->stats.energy_pj, nz),
                   b = per_nonzero((double)le->dram_bytes, nz);
            isfinite(nz) ? fprintf(out, ",%.17g", nz) : fputc(',', out);
            isfinite(e) ? fprintf(out, ",%.17g", e) : fputc(',', out);
            fprintf(out, ",%" PRIu64, le->dram_bytes);
            isfinite(b) ? fprintf(out, ",%.17g", b) : fputc(',', out);
        } else {
            fputs(",,,,", out);
        }
        fputc('\n', out);
    }
}

petal_status petal_report_eval(FILE *out, const petal_network *net, const petal_arch *a,
                               const petal_map_options *o, const petal_eval_result *r,
                               petal_report_format fmt)
{
    switch (fmt) {
    case PETAL_REPORT_JSON:
    case PETAL_REPORT_JSON_TIMINGS:
        eval_json(out, net, a, o, r, fmt == PETAL_REPORT_JSON_TIMINGS);
        break;
    case PETAL_REPORT_CSV:
        eval_csv(out, net, a, r);
        break;
    case PETAL_REPORT_TEXT:
        eval_text(out, net, a, o, r);
        break;
    }
    return ferror(out) ? petal_error_set(PETAL_EIO, "writing the result failed") : PETAL_OK;
}
