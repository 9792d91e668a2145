/* dataflows_files.c - saving the dataflow study's search results to a directory
 * (results.yaml and one mapping file each), reloading them, and printing the mappings. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/yaml/ydoc.h"
#include "petal/formats.h"
#include "study/dataflows_internal.h"
#include "util/error.h"

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
        st = dataflow_study_init(batch, out);
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
    return st ? st : dataflow_study_finish(out);
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
