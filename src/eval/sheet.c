/* sheet.c - the benchmark sheet (petal/sheet.h): one whole-network
 * evaluation per architecture, reduced to the survey's metrics. */
#include "petal/sheet.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

/* Progress over every architecture: each evaluation's count is offset by the
 * layers of the architectures before it. */
typedef struct sheet_progress {
    petal_eval_progress_fn fn;
    void *ctx;
    size_t before, total;
} sheet_progress;

static void forward(void *ctx, size_t done, size_t total, const char *layer)
{
    (void)total;
    sheet_progress *sp = ctx;
    sp->fn(sp->ctx, sp->before + done, sp->total, layer);
}

/* On-chip storage in kB (1024 bytes): every storage level that is not DRAM,
 * over all its instances; NaN when one of them has no stated depth. */
static double onchip_kb(const petal_arch *a)
{
    double bits = 0;
    for (int l = 0; l < a->nlevels; l++) {
        const petal_level *lv = &a->levels[l];
        if (lv->cls == PETAL_MEM_DRAM || lv->cls == PETAL_MEM_NONE)
            continue;
        if (lv->depth == 0)
            return NAN;
        bits += (double)lv->depth * (double)lv->word_bits * (double)lv->instances;
    }
    return bits / 8.0 / 1024.0;
}

static void fill_arch(petal_sheet_arch *sa, const petal_arch *a, uint64_t batch)
{
    const petal_eval_result *r = &sa->eval;
    double b = (double)batch, macs = (double)r->macs, units = (double)a->arith.instances;
    snprintf(sa->arch, sizeof sa->arch, "%s", a->name);
    sa->energy_unit = a->energy_unit;
    sa->energy_per_inference = r->energy_pj / b;
    sa->clock_known = a->clock_hz > 0;
    sa->latency_s = sa->clock_known ? r->latency_s : 0;
    sa->inferences_per_second = sa->latency_s > 0 ? b / sa->latency_s : 0;
    sa->energy_per_mac = macs > 0 ? r->energy_pj / macs : 0;
    sa->dram_bytes_per_mac = macs > 0 ? (double)r->dram_bytes / macs : 0;
    bool nonzero = isfinite(r->nonzero_macs) && r->nonzero_macs > 0;
    sa->energy_per_nonzero_mac = nonzero ? r->energy_pj / r->nonzero_macs : NAN;
    sa->dram_bytes_per_nonzero_mac = nonzero ? (double)r->dram_bytes / r->nonzero_macs : NAN;
    sa->multipliers = a->arith.instances;
    sa->area_mm2 = r->area_um2 / 1e6;
    /* An architecture that states no areas totals 0: not known, not free. */
    sa->mm2_per_multiplier = sa->area_mm2 > 0 ? sa->area_mm2 / units : NAN;
    sa->onchip_kb = onchip_kb(a);
    sa->kb_per_multiplier = sa->onchip_kb / units;
    sa->utilization = r->cycles > 0 ? macs / ((double)r->cycles * units) : 0;
    sa->unmapped = r->unmapped;
    sa->proven = r->unmapped == 0;
    for (size_t i = 0; i < r->nlayers; i++)
        if (!r->layers[i].map.found || !r->layers[i].map.complete)
            sa->proven = false;
}

petal_status petal_sheet_build(const petal_network *net, const petal_arch *archs, size_t narchs,
                               const petal_map_options *o, petal_eval_progress_fn progress,
                               void *ctx, petal_sheet *out)
{
    memset(out, 0, sizeof *out);
    if (!net || net->nlayers == 0 || !archs || narchs == 0)
        return petal_error_set(PETAL_EINVAL,
                               "sheet: a network with layers and at least one architecture "
                               "are needed");
    double start = 0;
    petal_network_totals totals;
    petal_status st = petal_network_totals_get(net, &totals);
    if (st)
        return st;
    uint64_t batch = net->batch ? net->batch : 1;
    snprintf(out->net, sizeof out->net, "%s", net->name);
    out->batch = batch;
    out->weights = totals.weights;
    out->macs = totals.macs / batch;
    /* Expected non-zero counts from the densities (per inference). */
    double nonzero_weights = 0, nonzero_macs = 0;
    out->dense = true;
    for (size_t i = 0; i < net->nlayers; i++) {
        const petal_problem *p = &net->layers[i];
        nonzero_weights += petal_problem_nonzero_weights(p);
        nonzero_macs += petal_problem_nonzero_macs(p);
        out->dense &= !petal_problem_has_density(p);
    }
    out->nonzero_known = isfinite(nonzero_macs) && isfinite(nonzero_weights);
    if (out->dense) {
        out->nonzero_weights = out->weights;
        out->nonzero_macs = out->macs;
    } else if (out->nonzero_known) {
        out->nonzero_weights = (uint64_t)(nonzero_weights + 0.5);
        out->nonzero_macs = (uint64_t)(nonzero_macs / (double)batch + 0.5);
    }
    out->archs = calloc(narchs, sizeof *out->archs);
    if (!out->archs)
        return petal_error_set(PETAL_ENOMEM, "sheet: out of memory");
    sheet_progress sp = {progress, ctx, 0, narchs * net->nlayers};
    for (size_t i = 0; i < narchs; i++) {
        petal_sheet_arch *sa = &out->archs[i];
        st = petal_eval_network(net, &archs[i], o, progress ? forward : NULL, &sp, &sa->eval);
        if (st) {
            petal_error_prefix(st, "architecture %s: ", archs[i].name);
            petal_sheet_free(out);
            return st;
        }
        out->narchs = i + 1;
        fill_arch(sa, &archs[i], batch);
        start += sa->eval.seconds;
        sp.before += net->nlayers;
    }
    out->seconds = start;
    return PETAL_OK;
}

void petal_sheet_free(petal_sheet *s)
{
    for (size_t i = 0; i < s->narchs; i++)
        petal_eval_free(&s->archs[i].eval);
    free(s->archs);
    s->archs = NULL;
    s->narchs = 0;
}
