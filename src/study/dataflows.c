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

/* The study before any mapping: the layers at `batch` and the six setups. */
static petal_status study_init(uint64_t batch, petal_dataflow_study *out)
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

/* Evaluate every layer's mapping with the model and sum CONV and FC. A fresh
 * search and a reloaded one go through here alike, so both print the same. */
static petal_status study_finish(petal_dataflow_study *out)
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
    petal_status st = study_init(batch, out);
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
    return st ? st : study_finish(out);
}

/* --- saving and reloading the search's results --- */

#define RESULTS_FILE "results.yaml"

static void mapping_file(char *buf, size_t size, const petal_dataflow_study *s, size_t d, size_t i)
{
    snprintf(buf, size, "%s-%s.yaml", s->setups[d].name, s->layers[i].name);
}

/* A double-quoted YAML string. */
static void put_quoted(FILE *f, const char *text)
{
    fputc('"', f);
    for (const char *c = text; *c; c++) {
        if (*c == '"' || *c == '\\')
            fputc('\\', f);
        fputc(*c == '\n' ? ' ' : *c, f);
    }
    fputc('"', f);
}

petal_status petal_study_dataflows_save(const petal_dataflow_study *s, const char *dir)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return petal_error_set(PETAL_EIO, "%s: cannot create the directory: %s", dir,
                               strerror(errno));
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, RESULTS_FILE);
    FILE *f = fopen(path, "w");
    if (!f)
        return petal_error_set(PETAL_EIO, "%s: cannot write: %s", path, strerror(errno));
    fprintf(f,
            "# petal study dataflows: the best mapping of every layer under every dataflow,\n"
            "# as petal_map found it. `petal study dataflows --from DIR` evaluates them again.\n"
            "dataflow_results:\n  network: alexnet-2012\n  batch: %llu\n  entries:\n",
            (unsigned long long)s->batch);
    petal_status st = PETAL_OK;
    for (size_t d = 0; !st && d < PETAL_STUDY_DATAFLOWS; d++) {
        for (size_t i = 0; !st && i < s->nlayers; i++) {
            const petal_dataflow_layer *pl = &s->per_layer[d][i];
            char name[256];
            mapping_file(name, sizeof name, s, d, i);
            fprintf(f,
                    "    - dataflow: %s\n      layer: %s\n      optimal: %s\n"
                    "      lower_bound: %.17g\n      evaluated: %llu\n",
                    s->setups[d].name, s->layers[i].name, pl->optimal ? "true" : "false",
                    pl->lower_bound, (unsigned long long)pl->evaluated);
            if (!pl->found) {
                fputs("      mapping: null\n      why: ", f);
                put_quoted(f, pl->why);
                fputc('\n', f);
                continue;
            }
            fprintf(f, "      mapping: %s\n", name);
            char mpath[1400];
            snprintf(mpath, sizeof mpath, "%s/%s", dir, name);
            FILE *mf = fopen(mpath, "w");
            if (!mf) {
                st = petal_error_set(PETAL_EIO, "%s: cannot write: %s", mpath, strerror(errno));
                break;
            }
            st = petal_mapping_write_yaml(mf, &s->layers[i], &s->archs[d], &pl->mapping);
            if (fclose(mf) != 0 && !st)
                st = petal_error_set(PETAL_EIO, "%s: cannot write", mpath);
        }
    }
    if (fclose(f) != 0 && !st)
        st = petal_error_set(PETAL_EIO, "%s: cannot write", path);
    return st;
}

static int find_name(const char *name, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, names[i]) == 0)
            return (int)i;
    return -1;
}

static petal_status load_entry(petal_ydoc *y, yaml_node_t *e, const char *dir,
                               petal_dataflow_study *out, bool seen[][PETAL_STUDY_MAX_LAYERS])
{
    static const char *const keys[] = {"dataflow",  "layer",   "optimal", "lower_bound",
                                       "evaluated", "mapping", "why",     NULL};
    if (!petal_yis_map(e))
        return petal_yerror(y, e, PETAL_EPARSE, "entries: expected a mapping per entry");
    petal_ywarn_unknown_keys(y, e, keys, "entry");
    char df[32], layer[PETAL_NAME_MAX], file[256] = "";
    const char *dnames[PETAL_STUDY_DATAFLOWS], *lnames[PETAL_STUDY_MAX_LAYERS];
    for (size_t d = 0; d < PETAL_STUDY_DATAFLOWS; d++)
        dnames[d] = out->setups[d].name;
    for (size_t i = 0; i < out->nlayers; i++)
        lnames[i] = out->layers[i].name;
    petal_status st =
        petal_yget_str(y, petal_ymap_get(y, e, "dataflow"), "dataflow", df, sizeof df);
    if (!st)
        st = petal_yget_str(y, petal_ymap_get(y, e, "layer"), "layer", layer, sizeof layer);
    if (st)
        return st;
    int d = find_name(df, dnames, PETAL_STUDY_DATAFLOWS);
    int i = find_name(layer, lnames, out->nlayers);
    if (d < 0 || i < 0)
        return petal_yerror(y, e, PETAL_EPARSE, "entry: no %s '%s' in the study",
                            d < 0 ? "dataflow" : "layer", d < 0 ? df : layer);
    if (seen[d][i])
        return petal_yerror(y, e, PETAL_EPARSE, "entry: %s %s appears twice", df, layer);
    seen[d][i] = true;
    petal_dataflow_layer *pl = &out->per_layer[d][i];
    st = petal_yget_bool(y, petal_ymap_get(y, e, "optimal"), "optimal", &pl->optimal);
    if (!st)
        st = petal_yget_double(y, petal_ymap_get(y, e, "lower_bound"), "lower_bound",
                               &pl->lower_bound);
    if (!st)
        st = petal_yget_u64(y, petal_ymap_get(y, e, "evaluated"), "evaluated", &pl->evaluated);
    if (st)
        return st;
    yaml_node_t *m = petal_ymap_get(y, e, "mapping");
    if (!m || petal_yis_null(m)) {
        yaml_node_t *why = petal_ymap_get(y, e, "why");
        pl->found = false;
        return why ? petal_yget_str(y, why, "why", pl->why, sizeof pl->why) : PETAL_OK;
    }
    st = petal_yget_str(y, m, "mapping", file, sizeof file);
    if (st)
        return st;
    if (strchr(file, '/'))
        return petal_yerror(y, m, PETAL_EPARSE, "mapping: expected a file name in %s", dir);
    char path[1400];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    pl->found = true;
    return petal_mapping_load_yaml(path, &out->layers[i], &out->archs[d], &pl->mapping);
}

petal_status petal_study_dataflows_load(const char *dir, petal_dataflow_study *out)
{
    memset(out, 0, sizeof *out);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, RESULTS_FILE);
    petal_ydoc y;
    petal_status st = petal_ydoc_load_file(&y, path);
    if (st)
        return st;
    yaml_node_t *root = petal_ydoc_root(&y);
    yaml_node_t *top = petal_ymap_get(&y, root, "dataflow_results");
    uint64_t batch = 0;
    if (!top || !petal_yis_map(top))
        st = petal_yerror(&y, root, PETAL_EPARSE, "expected the key 'dataflow_results'");
    if (!st)
        st = petal_yget_u64(&y, petal_ymap_get(&y, top, "batch"), "batch", &batch);
    if (!st && (batch == 0 || batch > 1u << 20))
        st = petal_yerror(&y, petal_ymap_get(&y, top, "batch"), PETAL_EINVAL,
                          "batch: expected 1 to %u", 1u << 20);
    if (!st)
        st = study_init(batch, out);
    yaml_node_t *entries = st ? NULL : petal_ymap_get(&y, top, "entries");
    if (!st && (!entries || !petal_yis_seq(entries)))
        st = petal_yerror(&y, top, PETAL_EPARSE, "entries: expected a list");
    bool seen[PETAL_STUDY_DATAFLOWS][PETAL_STUDY_MAX_LAYERS] = {{false}};
    if (!st) {
        yaml_node_t *e;
        PETAL_YSEQ_EACH(&y, entries, e)
        {
            st = load_entry(&y, e, dir, out, seen);
            if (st)
                break;
        }
    }
    for (size_t d = 0; !st && d < PETAL_STUDY_DATAFLOWS; d++)
        for (size_t i = 0; !st && i < out->nlayers; i++)
            if (!seen[d][i])
                st = petal_yerror(&y, entries, PETAL_EPARSE, "entries: no entry for %s %s",
                                  out->setups[d].name, out->layers[i].name);
    petal_ydoc_free(&y);
    return st ? st : study_finish(out);
}

petal_status petal_study_dataflows_mappings(FILE *out, const petal_dataflow_study *s)
{
    for (int d = 0; d < PETAL_STUDY_DATAFLOWS; d++) {
        for (size_t i = 0; i < s->nlayers; i++) {
            const petal_dataflow_layer *pl = &s->per_layer[d][i];
            fprintf(out, "%s, %s: ", s->setups[d].name, s->layers[i].name);
            if (!pl->found) {
                fprintf(out, "no valid mapping\n\n");
                continue;
            }
            fprintf(out, "%.4f per MAC%s, %llu mappings evaluated\n", pl->energy_per_mac,
                    pl->optimal ? " (optimal)" : "", (unsigned long long)pl->evaluated);
            petal_mapping_print_nest(out, &s->layers[i], &s->archs[d], &pl->mapping);
            fputc('\n', out);
        }
    }
    return ferror(out) ? petal_error_set(PETAL_EIO, "dataflow study: write failed") : PETAL_OK;
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
