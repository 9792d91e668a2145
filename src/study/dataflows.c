/* dataflows.c - the ISCA 2016 dataflow comparison: six dataflows on 256 PEs of
 * equal storage area, AlexNet CONV and FC layers, energy per MAC by level and by
 * data type (docs/eyeriss.md).
 *
 * Each dataflow gets its own variant of the eyeriss-256 preset: what the PEs'
 * register files hold is the dataflow's (a constraint set of the mapper), and
 * their size trades against the global buffer under one storage area, the
 * paper's baseline of 256 x (0.5 kB RF) + a (256 x 0.5 kB) buffer, priced with
 * petal's area rule (include/petal/energy.h). Every layer is mapped for minimum
 * energy within its dataflow's mapspace.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/json/jsonw.h"
#include "formats/yaml/ydoc.h"
#include "petal/energy.h"
#include "petal/mapper.h"
#include "petal/network.h"
#include "petal/study.h"
#include "petal/formats.h"
#include "formats/svg/svg.h"
#include "study/dataflows_internal.h"
#include "study/study_write.h"
#include "util/error.h"

const char *petal_energy_level_name(petal_energy_level l)
{
    static const char *names[PETAL_NUM_ELEVELS] = {"ALU", "RF", "NoC", "buffer", "DRAM"};
    return (unsigned)l < PETAL_NUM_ELEVELS ? names[l] : "?";
}

static const char *const ds_names[PETAL_NUM_DS] = {"weights", "ifmaps", "psums"};

/* Which of ALU, RF, NoC, buffer or DRAM a storage level's accesses count as. */
static petal_energy_level level_kind(const petal_level *l)
{
    if (l->cls == PETAL_MEM_DRAM)
        return PETAL_ELEVEL_DRAM;
    return l->instances > 1 ? PETAL_ELEVEL_RF : PETAL_ELEVEL_BUFFER;
}

static void accumulate(petal_dataflow_energy *e, const petal_arch *a, const petal_model_result *r)
{
    e->macs += r->computes;
    e->by_level[PETAL_ELEVEL_ALU] += r->mac_energy_pj;
    for (int l = 0; l < r->nlevels && l < a->nlevels; l++) {
        e->by_level[level_kind(&a->levels[l])] += r->levels[l].energy_pj;
        e->by_level[PETAL_ELEVEL_NOC] += r->levels[l].network_energy_pj;
    }
    for (int ds = 0; ds < PETAL_NUM_DS; ds++)
        e->by_data[ds] += r->energy_by_ds[ds];
}

/* Energies summed over layers become energy per MAC, in MAC energies. */
static void normalise(petal_dataflow_energy *e, double mac_pj)
{
    if (!e->found || !e->macs)
        return;
    double scale = 1.0 / ((double)e->macs * mac_pj);
    double total = 0;
    for (int l = 0; l < PETAL_NUM_ELEVELS; l++) {
        e->by_level[l] *= scale;
        total += e->by_level[l];
    }
    for (int ds = 0; ds < PETAL_NUM_DS; ds++)
        e->by_data[ds] *= scale;
    e->energy_per_mac = total;
}

petal_status dataflow_study_init(uint64_t batch, petal_dataflow_study *out)
{
    memset(out, 0, sizeof *out);
    out->batch = batch;
    out->budget_seconds = -1;
    petal_network net;
    petal_status st = petal_zoo_build("alexnet-2012", &net);
    if (st)
        return st;
    st = petal_network_set_batch(&net, batch);
    if (!st && net.nlayers > PETAL_STUDY_MAX_LAYERS)
        st = petal_error_set(PETAL_EINTERNAL, "dataflow study: alexnet-2012 has %zu layers",
                             net.nlayers);
    for (size_t i = 0; !st && i < net.nlayers; i++)
        out->layers[i] = net.layers[i];
    out->nlayers = st ? 0 : net.nlayers;
    petal_network_free(&net);
    for (size_t d = 0; !st && d < PETAL_STUDY_DATAFLOWS; d++)
        st = dataflow_build_setup(&dataflow_setup_rows[d], &out->archs[d], &out->setups[d]);
    return st;
}

petal_status dataflow_study_finish(petal_dataflow_study *out)
{
    for (size_t d = 0; d < PETAL_STUDY_DATAFLOWS; d++) {
        const petal_arch *a = &out->archs[d];
        petal_dataflow_energy *conv = &out->conv[d], *fc = &out->fc[d];
        memset(conv, 0, sizeof *conv);
        memset(fc, 0, sizeof *fc);
        conv->found = fc->found = true;
        conv->optimal = fc->optimal = true;
        for (size_t i = 0; i < out->nlayers; i++) {
            const petal_problem *layer = &out->layers[i];
            petal_dataflow_energy *e = layer->kind == PETAL_LAYER_FC ? fc : conv;
            petal_dataflow_layer *pl = &out->per_layer[d][i];
            if (!pl->found) {
                if (e->found)
                    snprintf(e->why, sizeof e->why, "%.63s: %.250s", layer->name, pl->why);
                e->found = false;
                continue;
            }
            petal_model_result r;
            petal_status st = petal_model_eval(layer, a, &pl->mapping, &r);
            if (!st && !r.valid)
                st = petal_error_set(PETAL_EMAPPING, "%s", r.why);
            if (st)
                return petal_error_prefix(st, "dataflow %s, layer %s: ", out->setups[d].name,
                                          layer->name);
            double macs = (double)r.computes * a->arith.mac_pj;
            pl->energy_per_mac = macs > 0 ? r.energy_pj / macs : 0;
            e->optimal = e->optimal && pl->optimal;
            accumulate(e, a, &r);
        }
        normalise(conv, a->arith.mac_pj);
        normalise(fc, a->arith.mac_pj);
    }
    return PETAL_OK;
}

petal_status petal_study_dataflows(uint64_t batch, unsigned threads, double budget_seconds,
                                   petal_dataflow_study *out)
{
    petal_status st = dataflow_study_init(batch, out);
    out->budget_seconds = budget_seconds;
    petal_map_result *res = st ? NULL : malloc(sizeof *res);
    if (!res && !st)
        st = petal_error_set(PETAL_ENOMEM, "dataflow study: out of memory");
    for (size_t d = 0; !st && d < PETAL_STUDY_DATAFLOWS; d++) {
        for (size_t i = 0; !st && i < out->nlayers; i++) {
            const petal_problem *layer = &out->layers[i];
            petal_map_options o;
            petal_map_options_init(&o);
            o.objective = PETAL_OBJECTIVE_ENERGY;
            o.dataflow = dataflow_setup_rows[d].dataflow;
            o.threads = threads;
            o.budget_seconds = budget_seconds;
            st = petal_map(layer, &out->archs[d], &o, res);
            if (st) {
                st = petal_error_prefix(st, "dataflow %s, layer %s: ", dataflow_setup_rows[d].name,
                                        layer->name);
                break;
            }
            petal_dataflow_layer *pl = &out->per_layer[d][i];
            pl->found = res->found;
            pl->optimal = res->complete;
            pl->evaluated = res->evaluated;
            pl->seconds = res->seconds;
            double macs = (double)petal_problem_macs(layer) * out->archs[d].arith.mac_pj;
            pl->lower_bound = macs > 0 ? res->lower_bound / macs : 0;
            if (res->found)
                pl->mapping = res->mapping;
            else
                snprintf(pl->why, sizeof pl->why, "%s", res->why);
        }
    }
    free(res);
    return st ? st : dataflow_study_finish(out);
}

/* --- writing --- */

static int best_index(const petal_dataflow_energy *e)
{
    int best = -1;
    for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++)
        if (e[d].found && (best < 0 || e[d].energy_per_mac < e[best].energy_per_mac))
            best = d;
    return best;
}

/* The CONV layers' part of the whole network's energy under one dataflow. */
static double conv_share(const petal_dataflow_energy *conv, const petal_dataflow_energy *fc)
{
    double c = conv->energy_per_mac * (double)conv->macs, f = fc->energy_per_mac * (double)fc->macs;
    return conv->found && fc->found && c + f > 0 ? c / (c + f) : NAN;
}

static void text_table(FILE *out, const char *what, const petal_dataflow_study *s,
                       const petal_dataflow_energy *e)
{
    int rs = PETAL_STUDY_DATAFLOWS - 1;
    fprintf(out, "\n%s layers: energy per MAC (in MAC energies)\n", what);
    fprintf(out, "%-6s %8s %7s |", "", "total", "RS gain");
    for (int l = 0; l < PETAL_NUM_ELEVELS; l++)
        fprintf(out, " %7s", petal_energy_level_name((petal_energy_level)l));
    fprintf(out, " |");
    for (int ds = 0; ds < PETAL_NUM_DS; ds++)
        fprintf(out, " %8s", ds_names[ds]);
    fprintf(out, "\n");
    for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++) {
        fprintf(out, "%-6s", s->setups[d].name);
        if (!e[d].found) {
            fprintf(out, " no valid mapping: %s\n", e[d].why);
            continue;
        }
        fprintf(out, " %8.3f", e[d].energy_per_mac);
        if (e[rs].found && e[rs].energy_per_mac > 0)
            fprintf(out, " %6.2fx", e[d].energy_per_mac / e[rs].energy_per_mac);
        else
            fprintf(out, " %7s", "-");
        fprintf(out, " |");
        for (int l = 0; l < PETAL_NUM_ELEVELS; l++)
            fprintf(out, " %7.3f", e[d].by_level[l]);
        fprintf(out, " |");
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            fprintf(out, " %8.3f", e[d].by_data[ds]);
        fprintf(out, "%s\n", e[d].optimal ? "" : "  (search stopped by the budget)");
    }
    int best = best_index(e);
    if (best >= 0)
        fprintf(out, "lowest: %s\n", s->setups[best].name);
}

static void write_text(FILE *out, const void *study)
{
    const petal_dataflow_study *s = study;
    fprintf(out,
            "Dataflow comparison (ISCA 2016 setup): 256 PEs, equal storage area, alexnet-2012 "
            "at batch %llu\n\n",
            (unsigned long long)s->batch);
    fprintf(out, "%-6s %-8s %10s %14s %14s %12s\n", "", "mapper", "RF words", "buffer words",
            "buffer access", "area mm^2");
    for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++) {
        const petal_dataflow_setup *u = &s->setups[d];
        fprintf(out, "%-6s %-8s %10llu %14llu %14.2f %12.2f\n", u->name, u->mapper_dataflow,
                (unsigned long long)u->rf_words, (unsigned long long)u->buffer_words,
                u->buffer_read_pj, u->area_mm2);
    }
    text_table(out, "CONV", s, s->conv);
    text_table(out, "FC", s, s->fc);
    fprintf(out, "\nshare of AlexNet's energy in the CONV layers:");
    for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++)
        fprintf(out, " %s %.1f%%", s->setups[d].name, conv_share(&s->conv[d], &s->fc[d]) * 100);
    fputc('\n', out);
    fprintf(out, "\nper layer: energy per MAC (* the search stopped before proving optimality)\n");
    fprintf(out, "%-7s", "");
    for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++)
        fprintf(out, " %9s", s->setups[d].name);
    fputc('\n', out);
    bool stopped = false;
    for (size_t i = 0; i < s->nlayers; i++) {
        fprintf(out, "%-7s", s->layers[i].name);
        for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++) {
            const petal_dataflow_layer *pl = &s->per_layer[d][i];
            if (pl->found)
                fprintf(out, " %8.3f%c", pl->energy_per_mac, pl->optimal ? ' ' : '*');
            else
                fprintf(out, " %9s", "-");
            stopped = stopped || !pl->optimal;
        }
        fputc('\n', out);
    }
    if (!stopped)
        return;
    fprintf(out, "\nsearches stopped by their budget: the optimum lies between the bound the "
                 "search proved\nand the best mapping it found\n");
    for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++)
        for (size_t i = 0; i < s->nlayers; i++) {
            const petal_dataflow_layer *pl = &s->per_layer[d][i];
            if (pl->optimal)
                continue;
            fprintf(out, "%-6s %-7s %8.3f <= optimum <= ", s->setups[d].name, s->layers[i].name,
                    pl->lower_bound);
            if (pl->found)
                fprintf(out, "%.3f (gap %.1f%%)\n", pl->energy_per_mac,
                        (pl->energy_per_mac - pl->lower_bound) / pl->energy_per_mac * 100);
            else
                fprintf(out, "? (no valid mapping found)\n");
        }
}

static void json_energy(jw *w, const petal_dataflow_study *s, const petal_dataflow_energy *e)
{
    jw_object(w);
    for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++) {
        jw_key(w, s->setups[d].name);
        jw_object(w);
        jw_key(w, "found");
        jw_bool(w, e[d].found);
        if (!e[d].found) {
            jw_key(w, "why");
            jw_string(w, e[d].why);
            jw_end(w);
            continue;
        }
        jw_key(w, "energy_per_mac");
        jw_double(w, e[d].energy_per_mac);
        jw_key(w, "by_level");
        jw_object(w);
        for (int l = 0; l < PETAL_NUM_ELEVELS; l++) {
            jw_key(w, petal_energy_level_name((petal_energy_level)l));
            jw_double(w, e[d].by_level[l]);
        }
        jw_end(w);
        jw_key(w, "by_data");
        jw_object(w);
        for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
            jw_key(w, ds_names[ds]);
            jw_double(w, e[d].by_data[ds]);
        }
        jw_end(w);
        jw_key(w, "macs");
        jw_u64(w, e[d].macs);
        jw_key(w, "optimal");
        jw_bool(w, e[d].optimal);
        jw_end(w);
    }
    jw_end(w);
}

static void write_json(FILE *out, const void *study)
{
    const petal_dataflow_study *s = study;
    jw w;
    jw_init(&w, out, true);
    jw_object(&w);
    jw_key(&w, "batch");
    jw_u64(&w, s->batch);
    jw_key(&w, "setups");
    jw_array(&w);
    for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++) {
        const petal_dataflow_setup *u = &s->setups[d];
        jw_object(&w);
        jw_key(&w, "name");
        jw_string(&w, u->name);
        jw_key(&w, "dataflow");
        jw_string(&w, u->mapper_dataflow);
        jw_key(&w, "rf_words");
        jw_u64(&w, u->rf_words);
        jw_key(&w, "buffer_words");
        jw_u64(&w, u->buffer_words);
        jw_key(&w, "buffer_access");
        jw_double(&w, u->buffer_read_pj);
        jw_key(&w, "area_mm2");
        jw_double(&w, u->area_mm2);
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "layers");
    jw_array(&w);
    for (size_t i = 0; i < s->nlayers; i++) {
        jw_object(&w);
        jw_key(&w, "name");
        jw_string(&w, s->layers[i].name);
        jw_key(&w, "macs");
        jw_u64(&w, petal_problem_macs(&s->layers[i]));
        for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++) {
            const petal_dataflow_layer *pl = &s->per_layer[d][i];
            jw_key(&w, s->setups[d].name);
            jw_object(&w);
            jw_key(&w, "found");
            jw_bool(&w, pl->found);
            jw_key(&w, "energy_per_mac");
            if (pl->found)
                jw_double(&w, pl->energy_per_mac);
            else
                jw_null(&w);
            jw_key(&w, "optimal");
            jw_bool(&w, pl->optimal);
            jw_key(&w, "lower_bound");
            jw_double(&w, pl->lower_bound);
            jw_key(&w, "evaluated");
            jw_u64(&w, pl->evaluated);
            jw_end(&w);
        }
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "conv");
    json_energy(&w, s, s->conv);
    jw_key(&w, "fc");
    json_energy(&w, s, s->fc);
    int best_conv = best_index(s->conv), best_fc = best_index(s->fc);
    jw_key(&w, "conv_share");
    jw_object(&w);
    for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++) {
        jw_key(&w, s->setups[d].name);
        jw_double(&w, conv_share(&s->conv[d], &s->fc[d]));
    }
    jw_end(&w);
    jw_key(&w, "lowest");
    jw_object(&w);
    jw_key(&w, "conv");
    jw_string(&w, best_conv >= 0 ? s->setups[best_conv].name : "");
    jw_key(&w, "fc");
    jw_string(&w, best_fc >= 0 ? s->setups[best_fc].name : "");
    jw_end(&w);
    jw_finish(&w);
}

static void write_svg(FILE *out, const void *study)
{
    const petal_dataflow_study *s = study;
    const char *labels[PETAL_STUDY_DATAFLOWS];
    const char *series[PETAL_NUM_ELEVELS];
    double conv[PETAL_STUDY_DATAFLOWS * PETAL_NUM_ELEVELS];
    double fc[PETAL_STUDY_DATAFLOWS * PETAL_NUM_ELEVELS];
    for (int l = 0; l < PETAL_NUM_ELEVELS; l++)
        series[l] = petal_energy_level_name((petal_energy_level)l);
    for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++) {
        labels[d] = s->setups[d].name;
        for (int l = 0; l < PETAL_NUM_ELEVELS; l++) {
            conv[d * PETAL_NUM_ELEVELS + l] = s->conv[d].found ? s->conv[d].by_level[l] : 0;
            fc[d * PETAL_NUM_ELEVELS + l] = s->fc[d].found ? s->fc[d].by_level[l] : 0;
        }
    }
    svg_panel panels[2] = {
        {"AlexNet CONV layers", "energy per MAC (MAC = 1)", PETAL_STUDY_DATAFLOWS, labels,
         PETAL_NUM_ELEVELS, series, conv, NULL, NULL},
        {"AlexNet FC layers", "energy per MAC (MAC = 1)", PETAL_STUDY_DATAFLOWS, labels,
         PETAL_NUM_ELEVELS, series, fc, NULL, NULL},
    };
    char title[128];
    snprintf(title, sizeof title, "Dataflows on 256 PEs of equal area, batch %llu",
             (unsigned long long)s->batch);
    svg_write_panels(out, title, panels, 2, 440, 380);
}

petal_status petal_study_dataflows_write(FILE *out, const petal_dataflow_study *s,
                                         petal_study_format fmt)
{
    static const study_writers writers = {{[PETAL_STUDY_TEXT] = write_text,
                                           [PETAL_STUDY_JSON] = write_json,
                                           [PETAL_STUDY_SVG] = write_svg},
                                          "dataflow study"};
    return study_write(out, s, fmt, &writers);
}
