/* eval.c - the main job: map every layer of a network (each shape once) and
 * add up energy, cycles and DRAM traffic. */
#include "petal/eval.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "petal/formats.h"

#include "util/clock.h"
#include "util/error.h"

/* Storage replicated with the PEs: more instances than the outermost level. */
static bool per_pe(const petal_arch *a, int l)
{
    return a->levels[l].instances > a->levels[0].instances;
}

void petal_energy_split_of(const petal_arch *a, const petal_model_result *r,
                           petal_energy_split *out)
{
    memset(out, 0, sizeof *out);
    out->mac_pj = r->mac_energy_pj;
    for (int l = 0; l < r->nlevels && l < a->nlevels; l++) {
        const petal_level_stats *ls = &r->levels[l];
        double storage = ls->energy_pj + ls->leak_pj;
        if (a->levels[l].cls == PETAL_MEM_DRAM)
            out->dram_pj += storage;
        else if (per_pe(a, l))
            out->rf_pj += storage;
        else
            out->buffer_pj += storage;
        out->noc_pj += ls->network_energy_pj;
    }
}

/* The finer splits of one layer: by data space and by named level. */
static void fine_split(const petal_arch *a, const petal_model_result *r, petal_layer_eval *le)
{
    for (int s = 0; s < PETAL_NUM_DS; s++)
        le->energy_by_ds_pj[s] = r->energy_by_ds[s];
    for (int l = 0; l < r->nlevels && l < a->nlevels; l++) {
        le->energy_by_level_pj[l] = r->levels[l].energy_pj + r->levels[l].leak_pj;
        le->network_by_level_pj[l] = r->levels[l].network_energy_pj;
    }
}

/* Bits of one metadata word of data space s at level l (petal_eval_offchip_bytes). */
static uint32_t metadata_bits(const petal_level *lv, int s)
{
    if (lv->sparse.metadata_word_bits)
        return lv->sparse.metadata_word_bits;
    uint32_t bits = 0;
    const petal_format *f = &lv->sparse.format[s];
    for (int r = 0; r < f->nranks && r < PETAL_MAX_FORMAT_RANKS; r++)
        if (f->ranks[r].metadata_word_bits > bits)
            bits = f->ranks[r].metadata_word_bits;
    return bits ? bits : lv->word_bits;
}

double petal_eval_offchip_bytes(const petal_arch *a, const petal_model_result *r)
{
    double bytes = 0;
    for (int l = 0; l < r->nlevels && l < a->nlevels; l++) {
        const petal_level *lv = &a->levels[l];
        if (lv->cls != PETAL_MEM_DRAM)
            continue;
        /* Each data space at its own width (docs/precision.md). */
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_ds_stats *ds = &r->levels[l].ds[s];
            uint64_t words = ds->reads + ds->fills + ds->updates;
            uint32_t bits = ds->kept ? ds->word_bits : lv->word_bits;
            bytes += (double)words * (double)bits / 8.0;
            uint64_t meta = ds->metadata_reads + ds->metadata_fills + ds->metadata_updates;
            if (meta)
                bytes += (double)meta * (double)metadata_bits(lv, s) / 8.0;
        }
    }
    return bytes;
}

static uint64_t dram_bytes(const petal_arch *a, const petal_model_result *r)
{
    return (uint64_t)(petal_eval_offchip_bytes(a, r) + 0.5);
}

petal_status petal_eval_network(const petal_network *net, const petal_arch *a,
                                const petal_map_options *o, petal_eval_progress_fn progress,
                                void *ctx, petal_eval_result *out)
{
    return petal_eval_network_using(net, a, o, NULL, NULL, progress, ctx, out);
}

static petal_status map_directly(void *ctx, const petal_problem *p, const petal_arch *a,
                                 const petal_map_options *o, petal_map_result *out)
{
    (void)ctx;
    return petal_map(p, a, o, out);
}

petal_status petal_eval_network_using(const petal_network *net, const petal_arch *a,
                                      const petal_map_options *o, petal_eval_search_fn search,
                                      void *search_ctx, petal_eval_progress_fn progress, void *ctx,
                                      petal_eval_result *out)
{
    if (!search)
        search = map_directly;
    memset(out, 0, sizeof *out);
    if (!net || !a || net->nlayers == 0)
        return petal_error_set(PETAL_EINVAL, "eval: a network with at least one layer is needed");
    double start = petal_seconds();
    out->layers = calloc(net->nlayers, sizeof *out->layers);
    if (!out->layers)
        return petal_error_set(PETAL_ENOMEM, "eval: out of memory");
    out->nlayers = net->nlayers;
    out->nlevels = a->nlevels;
    out->area_um2 = petal_arch_area(a);
    for (size_t i = 0; i < net->nlayers; i++) {
        const petal_problem *p = &net->layers[i];
        petal_layer_eval *le = &out->layers[i];
        le->same_as = i;
        le->nonzero_macs = petal_problem_nonzero_macs(p);
        out->sparse |= petal_problem_has_density(p);
        for (size_t j = 0; j < i; j++)
            if (out->layers[j].same_as == j && petal_problem_same_shape(&net->layers[j], p)) {
                le->same_as = j;
                break;
            }
        if (le->same_as != i) {
            le->map = out->layers[le->same_as].map;
        } else {
            petal_status st = search(search_ctx, p, a, o, &le->map);
            if (st) {
                /* Messages about the layer itself (its widths) name it already. */
                char named[PETAL_NAME_MAX + 8];
                snprintf(named, sizeof named, "layer %s: ", p->name);
                if (strncmp(petal_error_message(), named, strlen(named)) != 0)
                    petal_error_prefix(st, "layer %s: ", p->name);
                petal_eval_free(out);
                return st;
            }
            out->searches++;
        }
        if (le->map.found) {
            petal_energy_split_of(a, &le->map.stats, &le->split);
            fine_split(a, &le->map.stats, le);
            for (int s = 0; s < PETAL_NUM_DS; s++)
                out->energy_by_ds_pj[s] += le->energy_by_ds_pj[s];
            for (int l = 0; l < a->nlevels; l++) {
                out->energy_by_level_pj[l] += le->energy_by_level_pj[l];
                out->network_by_level_pj[l] += le->network_by_level_pj[l];
            }
            le->latency_s = a->clock_hz > 0 ? (double)le->map.stats.cycles / a->clock_hz : 0;
            out->macs += le->map.stats.computes;
            out->energy_pj += le->map.stats.energy_pj;
            out->split.dram_pj += le->split.dram_pj;
            out->split.buffer_pj += le->split.buffer_pj;
            out->split.noc_pj += le->split.noc_pj;
            out->split.rf_pj += le->split.rf_pj;
            out->split.mac_pj += le->split.mac_pj;
            out->cycles += le->map.stats.cycles;
            out->latency_s += le->latency_s;
            le->dram_bytes = dram_bytes(a, &le->map.stats);
            out->dram_bytes += le->dram_bytes;
            out->nonzero_macs += le->nonzero_macs;
        } else {
            out->unmapped++;
        }
        if (progress)
            progress(ctx, i + 1, net->nlayers, p->name);
    }
    out->seconds = petal_seconds() - start;
    return PETAL_OK;
}

void petal_eval_free(petal_eval_result *r)
{
    free(r->layers);
    r->layers = NULL;
    r->nlayers = 0;
}

/* A layer name as a file name: '/' and NUL-free, never "." or "..". */
static void file_name(char *buf, size_t size, const char *layer)
{
    snprintf(buf, size, "%s", layer);
    for (char *c = buf; *c; c++)
        if (*c == '/' || *c == '\\')
            *c = '_';
    if (!buf[0])
        snprintf(buf, size, "_");
    if (strcmp(buf, ".") == 0 || strcmp(buf, "..") == 0)
        for (char *c = buf; *c; c++)
            *c = '_';
}

petal_status petal_eval_save_mappings(const petal_network *net, const petal_arch *a,
                                      const petal_eval_result *r, const char *dir)
{
    if (!net || !a || !r || !dir || !dir[0] || r->nlayers != net->nlayers)
        return petal_error_set(PETAL_EINVAL, "eval: saving mappings needs a network, its "
                                             "result and a directory");
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_layer_eval *le = &r->layers[i];
        if (!le->map.found)
            continue;
        char name[PETAL_NAME_MAX], path[4096];
        file_name(name, sizeof name, net->layers[i].name);
        /* Two names that become the same file ("a/b" and "a_b"): refuse
         * rather than let the second overwrite the first. */
        for (size_t j = 0; j < i; j++) {
            char other[PETAL_NAME_MAX];
            file_name(other, sizeof other, net->layers[j].name);
            if (r->layers[j].map.found && strcmp(name, other) == 0)
                return petal_error_set(PETAL_EINVAL,
                                       "eval: layers %s and %s would both be saved as %s/%s.yaml",
                                       net->layers[j].name, net->layers[i].name, dir, name);
        }
        if ((size_t)snprintf(path, sizeof path, "%s/%s.yaml", dir, name) >= sizeof path)
            return petal_error_set(PETAL_EINVAL, "eval: the path %s/%s.yaml is too long", dir,
                                   name);
        FILE *f = fopen(path, "w");
        if (!f)
            return petal_error_set(PETAL_EIO, "%s: cannot write the mapping of layer %s: %s", path,
                                   net->layers[i].name, strerror(errno));
        petal_status st = petal_mapping_write_yaml(f, &net->layers[i], a, &le->map.mapping);
        bool failed = ferror(f) != 0;
        if (fclose(f) != 0)
            failed = true;
        if (st)
            return st;
        if (failed)
            return petal_error_set(PETAL_EIO, "%s: writing the mapping of layer %s failed", path,
                                   net->layers[i].name);
    }
    return PETAL_OK;
}
