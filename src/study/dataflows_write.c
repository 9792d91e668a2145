/* dataflows_write.c - the dataflow study's outputs: the text tables, the JSON
 * and the SVG bar charts (petal_study_dataflows_write). */
#include <math.h>
#include <stdbool.h>

#include "formats/json/jsonw.h"
#include "formats/svg/svg.h"
#include "petal/study.h"
#include "study/study_write.h"

static const char *const ds_names[PETAL_NUM_DS] = {"weights", "ifmaps", "psums"};

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
    jw_key(&w, "energy_unit"); /* of every energy: the eyeriss-256 variants' table */
    jw_string(&w, petal_energy_unit_name(s->archs[0].energy_unit));
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
