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
 *
 * This file runs the study and sums its energy; dataflows_setup.c builds the
 * setups, dataflows_files.c saves and reloads results, dataflows_write.c
 * writes them.
 */
#include <stdlib.h>
#include <string.h>

#include "petal/mapper.h"
#include "petal/network.h"
#include "study/dataflows_internal.h"
#include "util/error.h"

const char *petal_energy_level_name(petal_energy_level l)
{
    static const char *names[PETAL_NUM_ELEVELS] = {"ALU", "RF", "NoC", "buffer", "DRAM"};
    return (unsigned)l < PETAL_NUM_ELEVELS ? names[l] : "?";
}

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

petal_status petal_study_dataflows(uint64_t batch, unsigned threads, uint64_t effort,
                                   double budget_seconds, petal_dataflow_study *out)
{
    petal_status st = dataflow_study_init(batch, out);
    out->effort = effort;
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
            o.effort = effort;
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
