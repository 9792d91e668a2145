/* eyeriss_v1.c - the Eyeriss v1 chip (JSSC 2017) running AlexNet CONV1-5 at
 * batch 4 with its own row-stationary mapping, beside the published figures
 * (docs/eyeriss.md, shared/reference/eyeriss.md). This file runs the chip
 * model; eyeriss_v1_write.c writes its outputs. */
#include <stdlib.h>
#include <string.h>

#include "petal/network.h"
#include "petal/study.h"
#include "util/error.h"

#define BATCH 4
#define BYTES_PER_WORD 2.0 /* 16-bit fixed point throughout the chip */
#define MB 1e6

/* The chip's mapping parameters for AlexNet's CONV layers. They reproduce the
 * active PE counts the chip reports (154, 135, 156, 156, 156); the table itself
 * is recalled from the JSSC paper (see docs/eyeriss.md). m follows from the
 * buffer: the psums of m channels of one strip and one pass's ifmaps fill it. */
typedef struct chip_layer {
    const char *name;
    petal_rs_params rs;
    double ifmap_zeros; /* [U] fraction of zero ifmap values */
    petal_published processing_ms, active_pes, buffer_mb, dram_mb;
} chip_layer;

/* clang-format off */
static const chip_layer chip_layers[PETAL_EYERISS_LAYERS] = {
    /*          n  p   q  e   r  t  m */
    {"conv1", {1, 16, 1, 7,  1, 2, 96}, 0.0001, {16.5, 'U'}, {154, 'U'}, {18.5, 'U'}, {5.0, 'U'}},
    {"conv2", {1, 16, 2, 27, 1, 1, 64}, 0.387,  {39.2, 'U'}, {135, 'U'}, {77.6, 'U'}, {4.0, 'U'}},
    {"conv3", {4, 16, 4, 13, 1, 4, 64}, 0.725,  {21.8, 'U'}, {156, 'U'}, {50.2, 'U'}, {3.0, 'U'}},
    {"conv4", {4, 16, 3, 13, 2, 2, 64}, 0.793,  {16.0, 'U'}, {156, 'U'}, {37.4, 'U'}, {2.1, 'U'}},
    {"conv5", {4, 16, 3, 13, 2, 2, 64}, 0.776,  {10.0, 'U'}, {156, 'U'}, {24.9, 'U'}, {1.3, 'U'}},
};
/* clang-format on */

petal_status petal_eyeriss_alexnet_params(size_t index, petal_rs_params *out)
{
    if (index >= PETAL_EYERISS_LAYERS)
        return petal_error_set(PETAL_EINVAL, "eyeriss-v1: AlexNet has CONV layers 0 to %d",
                               PETAL_EYERISS_LAYERS - 1);
    *out = chip_layers[index].rs;
    return PETAL_OK;
}

static double words_mb(double words)
{
    return words * BYTES_PER_WORD / MB;
}

/* The layer as the sparse model sees it: ifmaps and ofmaps with the chip's
 * zero fractions, zeros placed at random over the tensor (hypergeometric, the
 * independent zeros a ReLU leaves); weights dense. */
static petal_problem with_zeros(const petal_problem *layer, double ifmap_zeros, double ofmap_zeros)
{
    petal_problem p = *layer;
    p.density[PETAL_DS_INPUTS] = (petal_density){PETAL_DENSITY_HYPERGEOMETRIC, 1 - ifmap_zeros, 0};
    p.density[PETAL_DS_OUTPUTS] = (petal_density){PETAL_DENSITY_HYPERGEOMETRIC, 1 - ofmap_zeros, 0};
    return p;
}

/* The chip without zero-gating: its formats kept, its gating options and the
 * MACs' gating removed, so that the two runs differ in gating alone. */
static petal_arch without_gating(const petal_arch *chip)
{
    petal_arch a = *chip;
    for (int l = 0; l < a.nlevels; l++)
        a.levels[l].sparse.nopts = 0;
    a.arith.sparse.kind = 0;
    return a;
}

/* Bits crossing the DRAM link for one data space: the values the model
 * counts as moved, at their width, and the metadata (the runs) at the width
 * of the format's rank. The study reads one rank, the preset's RLE. */
static petal_status dram_bits(const petal_arch *chip, const petal_ds_stats *d, int ds, double *bits)
{
    const petal_level *dram = &chip->levels[0];
    const petal_format *f = &dram->sparse.format[ds];
    if (f->nranks > 1)
        return petal_error_set(PETAL_EINTERNAL,
                               "eyeriss-v1 study: DRAM codes %s in %u ranks; the study reads one",
                               petal_ds_canonical_name(ds), f->nranks);
    uint32_t md_bits = f->nranks && f->ranks[0].metadata_word_bits
                           ? f->ranks[0].metadata_word_bits
                           : dram->sparse.metadata_word_bits;
    uint32_t word_bits = d->word_bits ? d->word_bits : dram->word_bits;
    *bits = (double)(d->reads + d->fills + d->updates) * word_bits +
            (double)(d->metadata_reads + d->metadata_fills + d->metadata_updates) * md_bits;
    return PETAL_OK;
}

/* Energy in the PEs: the three scratchpads and the MACs (not the networks
 * that feed them, nor the buffer). */
static double pe_energy(const petal_arch *a, const petal_model_result *r)
{
    double e = r->mac_energy_pj;
    for (int l = 0; l < a->nlevels; l++)
        if (a->levels[l].instances == a->arith.instances)
            e += r->levels[l].energy_pj;
    return e;
}

/* The sparse model on the chip's mapping: coded DRAM traffic, and PE energy
 * with and without zero-gating. */
static petal_status sparse_layer(const petal_problem *layer, const petal_arch *chip,
                                 const chip_layer *cl, double ofmap_zeros, petal_eyeriss_layer *out)
{
    petal_problem sparse = with_zeros(layer, cl->ifmap_zeros, ofmap_zeros);
    petal_arch ungated = without_gating(chip);
    const petal_arch *archs[2] = {chip, &ungated};
    double pe[2] = {0, 0}, bits = 0;
    for (int k = 0; k < 2; k++) {
        petal_rs_plan plan;
        petal_model_result results[PETAL_RS_MAX_SEGMENTS];
        petal_status st = petal_rs_plan_build(&sparse, archs[k], &cl->rs, &plan);
        if (!st)
            st = petal_rs_plan_eval(&plan, results);
        if (st)
            return st;
        for (int i = 0; i < plan.nsegments; i++) {
            if (!results[i].valid)
                return petal_error_set(PETAL_EINVAL, "layer %s: the RS mapping is invalid: %s",
                                       plan.segments[i].problem.name, results[i].why);
            pe[k] += pe_energy(&plan.arch, &results[i]);
            for (int ds = 0; ds < PETAL_NUM_DS && k == 0; ds++) {
                double b = 0;
                if ((st = dram_bits(&plan.arch, &results[i].levels[0].ds[ds], ds, &b)))
                    return st;
                bits += b;
            }
        }
    }
    out->dram_rlc_mb = bits / 8 / MB;
    out->pe_energy = pe[0];
    out->pe_energy_ungated = pe[1];
    return PETAL_OK;
}

static petal_status study_layer(const petal_problem *layer, const petal_arch *chip,
                                const chip_layer *cl, double ofmap_zeros, petal_eyeriss_layer *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", layer->name);
    out->macs = petal_problem_macs(layer);
    out->rs = cl->rs;

    /* The dense run: latency, buffer and DRAM traffic as the model counts
     * them, every value moved. */
    petal_rs_plan plan;
    petal_model_result results[PETAL_RS_MAX_SEGMENTS];
    petal_status st = petal_rs_plan_build(layer, chip, &cl->rs, &plan);
    if (!st)
        st = petal_rs_plan_eval(&plan, results);
    petal_rs_noc noc;
    petal_rs_noc_eyeriss_v1(chip, &noc);
    if (!st)
        st = petal_rs_timing_eval(&plan, results, &noc, &out->timing);
    if (!st)
        st = sparse_layer(layer, chip, cl, ofmap_zeros, out);
    if (st)
        return st;
    out->active_pes = plan.active_pes;
    out->fold = plan.fold;

    double clock = chip->clock_hz;
    double buffer = 0, dram = 0, energy = 0, model_cycles = 0;
    for (int i = 0; i < plan.nsegments; i++) {
        const petal_model_result *r = &results[i];
        const petal_level_stats *D = &r->levels[0], *G = &r->levels[1];
        for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
            double g =
                (double)G->ds[ds].reads + (double)G->ds[ds].fills + (double)G->ds[ds].updates;
            double d = (double)D->ds[ds].reads + (double)D->ds[ds].updates;
            buffer += g;
            dram += d;
            out->buffer_mb_by_ds[ds] += words_mb(g);
            out->dram_mb_by_ds[ds] += words_mb(d);
        }
        energy += r->energy_pj;
        model_cycles += (double)r->cycles;
    }
    out->ifmap_zeros = cl->ifmap_zeros;
    out->ofmap_zeros = ofmap_zeros;
    out->buffer_mb = words_mb(buffer);
    out->dram_mb = words_mb(dram);
    out->energy_per_mac = out->macs ? energy / (double)out->macs : 0;
    out->processing_ms = out->timing.cycles / clock * 1e3;
    out->compute_ms = (double)out->macs / ((double)out->active_pes * clock) * 1e3;
    out->model_ms = model_cycles / clock * 1e3;
    out->pub_processing_ms = cl->processing_ms;
    out->pub_active_pes = cl->active_pes;
    out->pub_buffer_mb = cl->buffer_mb;
    out->pub_dram_mb = cl->dram_mb;
    return PETAL_OK;
}

/* The chip and what it ran: eyeriss-v1 and AlexNet (the 2012 two-tower one)
 * at the chip's batch. On failure the network is freed. */
static petal_status chip_and_network(petal_arch *chip, petal_network *net)
{
    petal_status st = petal_arch_preset("eyeriss-v1", chip);
    if (st)
        return st;
    st = petal_zoo_build("alexnet-2012", net);
    if (st)
        return st;
    st = petal_network_set_batch(net, BATCH);
    if (st)
        petal_network_free(net);
    return st;
}

petal_status petal_study_eyeriss_v1(petal_eyeriss_study *out)
{
    memset(out, 0, sizeof *out);
    petal_arch chip;
    petal_network net;
    petal_status st = chip_and_network(&chip, &net);
    if (st)
        return st;
    snprintf(out->net, sizeof out->net, "%s", net.name);
    snprintf(out->arch, sizeof out->arch, "%s", chip.name);
    out->energy_unit = chip.energy_unit;
    out->batch = BATCH;
    for (size_t i = 0; !st && i < PETAL_EYERISS_LAYERS; i++) {
        const petal_problem *layer = petal_network_find(&net, chip_layers[i].name, NULL);
        if (!layer) {
            st = petal_error_set(PETAL_EINTERNAL, "eyeriss-v1 study: alexnet-2012 has no %s",
                                 chip_layers[i].name);
            break;
        }
        /* Ofmaps are written before pooling; the next layer's ifmap zero fraction
         * (after pooling, which can only lower it) stands in for them, and the last
         * layer's ofmaps are assumed as sparse as its ifmaps. */
        double ofmap_zeros = i + 1 < PETAL_EYERISS_LAYERS ? chip_layers[i + 1].ifmap_zeros
                                                          : chip_layers[i].ifmap_zeros;
        st = study_layer(layer, &chip, &chip_layers[i], ofmap_zeros, &out->layers[i]);
        if (st)
            break;
        out->nlayers++;
        const petal_eyeriss_layer *l = &out->layers[i];
        out->macs += l->macs;
        out->processing_ms += l->processing_ms;
        out->buffer_mb += l->buffer_mb;
        out->dram_mb += l->dram_mb;
        out->dram_rlc_mb += l->dram_rlc_mb;
        out->pe_energy += l->pe_energy;
        out->pe_energy_ungated += l->pe_energy_ungated;
    }
    petal_network_free(&net);
    out->pub_macs = (petal_published){2.66e9, '2'};
    out->pub_processing_ms = (petal_published){103.5, '2'};
    out->pub_dram_mb = (petal_published){15.4, 'V'};
    out->pub_gating_saving_pct = (petal_published){45, 'V'}; /* of PE power */
    double buffer = 0;
    for (size_t i = 0; i < PETAL_EYERISS_LAYERS; i++)
        buffer += chip_layers[i].buffer_mb.value;
    out->pub_buffer_mb = (petal_published){buffer, 'U'};
    return st;
}

petal_status petal_study_eyeriss_v1_mappings(FILE *out)
{
    petal_arch chip;
    petal_network net;
    petal_status st = chip_and_network(&chip, &net);
    if (st)
        return st;
    petal_rs_plan *plan = malloc(sizeof *plan);
    if (!plan)
        st = petal_error_set(PETAL_ENOMEM, "eyeriss-v1 study: out of memory");
    for (size_t i = 0; !st && i < PETAL_EYERISS_LAYERS; i++) {
        const chip_layer *cl = &chip_layers[i];
        const petal_problem *layer = petal_network_find(&net, cl->name, NULL);
        if (!layer) {
            st = petal_error_set(PETAL_EINTERNAL, "eyeriss-v1 study: alexnet-2012 has no %s",
                                 cl->name);
            break;
        }
        petal_model_result results[PETAL_RS_MAX_SEGMENTS];
        st = petal_rs_plan_build(layer, &chip, &cl->rs, plan);
        if (!st)
            st = petal_rs_plan_eval(plan, results);
        if (st)
            break;
        for (int s = 0; s < plan->nsegments; s++) {
            const petal_rs_segment *seg = &plan->segments[s];
            uint64_t rows = seg->problem.bounds[petal_problem_dim(&seg->problem, "P")];
            fprintf(out,
                    "%s: n=%u p=%u q=%u e=%u r=%u t=%u m=%u; output rows %llu-%llu, %llu "
                    "passes on %llu PEs",
                    layer->name, cl->rs.n, cl->rs.p, cl->rs.q, cl->rs.e, cl->rs.r, cl->rs.t,
                    cl->rs.m, (unsigned long long)seg->first_row,
                    (unsigned long long)(seg->first_row + rows - 1),
                    (unsigned long long)seg->passes, (unsigned long long)seg->active_pes);
            if (plan->fold > 1)
                fprintf(out, "; each set cut in %u, the array seen as %ux%u", plan->fold,
                        plan->arch.arith.mesh_x, plan->arch.arith.mesh_y);
            const petal_level_stats *glb = &results[s].levels[1];
            fprintf(out, "\nbuffer holds %llu of %llu words: ifmaps %llu, psums %llu\n",
                    (unsigned long long)glb->capacity_used,
                    (unsigned long long)plan->arch.levels[1].depth,
                    (unsigned long long)glb->ds[PETAL_DS_INPUTS].tile,
                    (unsigned long long)glb->ds[PETAL_DS_OUTPUTS].tile);
            petal_mapping_print_nest(out, &seg->problem, &plan->arch, &seg->mapping);
            fputc('\n', out);
        }
    }
    free(plan);
    petal_network_free(&net);
    return st;
}
