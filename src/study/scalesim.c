/* scalesim.c - SCALE-Sim v2's per-layer numbers in closed form: the mapping
 * of a layer's operand matrices on the systolic array, its folds, cycles,
 * utilisation and SRAM counts (exact), and its DRAM traffic where SCALE-Sim's
 * buffers fetch each word once (docs/systolic.md says how each figure follows
 * from SCALE-Sim's code, and where petal stops). */
#include <stdlib.h>
#include <string.h>

#include "petal/scalesim.h"
#include "study/scalesim_internal.h"
#include "util/checked.h"
#include "util/error.h"

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return a / b + (a % b != 0);
}

/* Output rows (or columns) as SCALE-Sim counts them: a ceiling, so a last
 * window may overhang the input when the stride does not divide H - R. */
static uint64_t out_size(uint64_t h, uint64_t r, uint64_t stride)
{
    return ceil_div(h - r + stride, stride);
}

/* Input rows (or columns) some window touches: all of them when windows
 * overlap or abut; with a stride longer than the window, the full windows
 * and what the overhanging last one reaches. */
static uint64_t rows_touched(uint64_t h, uint64_t r, uint64_t stride)
{
    if (stride <= r)
        return h;
    uint64_t full = (h - r) / stride + 1;
    uint64_t start = full * stride; /* the overhanging window, if any */
    return full * r + (start < h ? h - start : 0);
}

/* Words SCALE-Sim's read buffer holds in its active half: it cuts the buffer
 * into 100 sets of floor(words / 100) and keeps 50 active. */
static uint64_t active_words(uint64_t kb)
{
    return 50 * (kb * 1024 / 100);
}

/* DRAM reads of one operand: `unique` distinct addresses, `reads` SRAM reads.
 * SCALE-Sim fetches an address again only after its active half has filled
 * and moved on; below that, or when every address is read once, each is
 * fetched once. */
static bool dram_reads(uint64_t unique, uint64_t reads, uint64_t kb, uint64_t *out)
{
    if (unique < active_words(kb) || reads == unique) {
        *out = unique;
        return true;
    }
    *out = 0;
    return false;
}

/* DRAM ofmap writes: SCALE-Sim drains every word written to the ofmap SRAM
 * (`writes`, with no extra entries) in lines of `cols` words, half the buffer
 * at a time. A line cut short when a drain starts is counted whole (up to
 * cols - 1 words more) unless it ends the drain. No drain starts before the
 * buffer is half full, so up to half a buffer the count is exact; beyond, each
 * drain takes L = ceil(half / cols) lines, so there are at most
 * (ceil(writes / cols) + 1) / (L - 1) of them. Known when that bound is within
 * 1% of the count. */
static void dram_writes(uint64_t writes, uint64_t kb, uint64_t cols, petal_scalesim_result_layer *r)
{
    uint64_t total = kb * 1024, half = total - ceil_div(total, 2);
    r->dram_ofmap_writes = writes;
    r->dram_ofmap_exact = writes <= half;
    uint64_t lines = ceil_div(half, cols);
    if (r->dram_ofmap_exact) {
        r->dram_ofmap_known = true;
    } else if (lines >= 2) {
        uint64_t drains = (ceil_div(writes, cols) + 1) / (lines - 1);
        double extra = (double)(cols - 1) * (double)drains;
        r->dram_ofmap_known = extra <= 0.01 * (double)writes;
    }
    if (!r->dram_ofmap_known)
        r->dram_ofmap_writes = 0;
}

static petal_status overflow(const petal_scalesim_layer *l)
{
    return petal_error_set(PETAL_EOVERFLOW,
                           "topology line %d, layer %s: its counts do not fit in 64 bits", l->line,
                           l->name);
}

static petal_status one_layer(const petal_scalesim_config *c, const petal_scalesim_layer *l,
                              petal_scalesim_result_layer *r)
{
    memset(r, 0, sizeof *r);
    memcpy(r->name, l->name, sizeof r->name);
    uint64_t R = c->array_rows, C = c->array_cols;
    r->ofmap_h = out_size(l->ifmap_h, l->filter_h, l->stride_h);
    r->ofmap_w = out_size(l->ifmap_w, l->filter_w, l->stride_w);
    uint64_t m, n = l->filters, k, mn, mk, kn, mnk;
    if (petal_mul_overflow(r->ofmap_h, r->ofmap_w, &m) ||
        petal_mul_overflow(l->filter_h, l->filter_w, &k) ||
        petal_mul_overflow(k, l->channels, &k) || petal_mul_overflow(m, n, &mn) ||
        petal_mul_overflow(m, k, &mk) || petal_mul_overflow(k, n, &kn) ||
        petal_mul_overflow(mn, k, &mnk))
        return overflow(l);
    r->m = m;
    r->n = n;
    r->k = k;
    r->macs = mnk;

    /* Spatial rows, spatial columns and time, by dataflow. */
    uint64_t sr, sc, t;
    switch (c->dataflow) {
    case PETAL_SCALESIM_OS:
        sr = m, sc = n, t = k;
        break;
    case PETAL_SCALESIM_WS:
        sr = k, sc = n, t = m;
        break;
    default:
        sr = k, sc = m, t = n;
        break;
    }
    r->row_folds = ceil_div(sr, R);
    r->col_folds = ceil_div(sc, C);
    uint64_t folds, fold_cycles, total;
    /* Every fold, partial or not, fills and drains the whole array; ws and is
     * also load the stationary operand (R cycles more). */
    uint64_t fill = c->dataflow == PETAL_SCALESIM_OS ? R + C - 2 : 2 * R + C - 2;
    if (petal_mul_overflow(r->row_folds, r->col_folds, &folds) ||
        petal_add_overflow(fill, t, &fold_cycles) || petal_mul_overflow(folds, fold_cycles, &total))
        return overflow(l);
    r->total_cycles = total - 1; /* SCALE-Sim reports the last cycle's index */
    r->stall_cycles = 0;         /* InterfaceBandwidth CALC: reads never wait */

    /* Utilisation: SCALE-Sim's plain means over folds, which factor into
     * totals because every fold lasts as long. Compute Util divides ws and is
     * folds by 2R + 2C + T - 3 cycles, C - 1 more than they last. */
    double pes = (double)R * (double)C, used = (double)sr * (double)sc;
    double util_cycles = c->dataflow == PETAL_SCALESIM_OS ? (double)fold_cycles
                                                          : (double)(2 * R + 2 * C - 3) + (double)t;
    r->mapping_efficiency = 100.0 * used / ((double)folds * pes);
    r->compute_utilization = 100.0 * used * (double)t / ((double)folds * pes * util_cycles);
    r->overall_utilization = 100.0 * (double)mnk / ((double)r->total_cycles * pes);
    if (r->total_cycles == 0)
        r->overall_utilization = 0;

    /* SRAM: each fold streams its slices of the operand matrices, invalid
     * (overhanging) entries included; outputs are written once per row fold
     * in ws and is (partial sums), and os adds R + C per fold to its count. */
    uint64_t ifmap_reads, filter_reads, ofmap_writes, os_extra = 0;
    bool bad;
    switch (c->dataflow) {
    case PETAL_SCALESIM_OS:
        bad = petal_mul_overflow(r->col_folds, mk, &ifmap_reads) ||
              petal_mul_overflow(r->row_folds, kn, &filter_reads) ||
              petal_mul_overflow(folds, R + C, &os_extra);
        ofmap_writes = mn;
        break;
    case PETAL_SCALESIM_WS:
        bad = petal_mul_overflow(r->col_folds, mk, &ifmap_reads) ||
              petal_mul_overflow(r->row_folds, mn, &ofmap_writes);
        filter_reads = kn;
        break;
    default:
        bad = petal_mul_overflow(r->col_folds, kn, &filter_reads) ||
              petal_mul_overflow(r->row_folds, mn, &ofmap_writes);
        ifmap_reads = mk;
        break;
    }
    if (bad || petal_add_overflow(ofmap_writes, os_extra, &r->sram_ofmap_writes))
        return overflow(l);
    r->sram_ifmap_reads = ifmap_reads;
    r->sram_filter_reads = filter_reads;

    /* DRAM: the distinct valid addresses of each input operand. */
    uint64_t unique_ifmap;
    if (petal_mul_overflow(rows_touched(l->ifmap_h, l->filter_h, l->stride_h),
                           rows_touched(l->ifmap_w, l->filter_w, l->stride_w), &unique_ifmap) ||
        petal_mul_overflow(unique_ifmap, l->channels, &unique_ifmap))
        return overflow(l);
    r->dram_ifmap_known =
        dram_reads(unique_ifmap, ifmap_reads, c->ifmap_sram_kb, &r->dram_ifmap_reads);
    r->dram_filter_known = dram_reads(kn, filter_reads, c->filter_sram_kb, &r->dram_filter_reads);
    /* Where the buffer may fetch words again, replay its reads. */
    petal_status st = PETAL_OK;
    if (!r->dram_ifmap_known)
        st = scalesim_replay_reads(c, l, r, true, &r->dram_ifmap_reads, &r->dram_ifmap_known);
    if (!st && !r->dram_filter_known)
        st = scalesim_replay_reads(c, l, r, false, &r->dram_filter_reads, &r->dram_filter_known);
    if (st)
        return st;
    /* The ofmap: replay SCALE-Sim's write buffer (exact, and its stalls);
     * beyond the replay's bounds, the count within 1% where provable. */
    uint64_t written, stalls;
    bool replayed;
    if ((st = scalesim_replay_writes(c, r, &written, &stalls, &replayed)))
        return st;
    if (replayed) {
        r->dram_ofmap_writes = written;
        r->dram_ofmap_known = r->dram_ofmap_exact = true;
        r->stall_cycles = stalls;
        if (petal_add_overflow(r->total_cycles, stalls, &r->total_cycles))
            return overflow(l);
        r->overall_utilization = 100.0 * (double)mnk / ((double)r->total_cycles * pes);
    } else {
        dram_writes(ofmap_writes, c->ofmap_sram_kb, C, r);
        petal_warn("layer %s: too large to replay SCALE-Sim's ofmap buffer; its stall cycles are "
                   "taken as 0 (as in every reference run) and its DRAM ofmap writes as bounded",
                   l->name);
    }
    return PETAL_OK;
}

petal_status petal_scalesim_run(const petal_scalesim_config *c, const petal_scalesim_topology *t,
                                petal_scalesim_result *out)
{
    if (!c || !t || !out)
        return petal_error_set(PETAL_EINVAL, "petal_scalesim_run: NULL argument");
    memset(out, 0, sizeof *out);
    if (c->user_bandwidth)
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "InterfaceBandwidth USER (DRAM stalls at a given bandwidth) is not "
                               "reproduced yet; petal computes SCALE-Sim's CALC mode only");
    if (!c->array_rows || !c->array_cols || c->array_rows > (1u << 20) ||
        c->array_cols > (1u << 20) || !c->ifmap_sram_kb || !c->filter_sram_kb ||
        !c->ofmap_sram_kb || c->ifmap_sram_kb > (UINT64_C(1) << 40) ||
        c->filter_sram_kb > (UINT64_C(1) << 40) || c->ofmap_sram_kb > (UINT64_C(1) << 40) ||
        c->dataflow > PETAL_SCALESIM_IS)
        return petal_error_set(PETAL_EINVAL,
                               "petal_scalesim_run: the configuration is out of range (array "
                               "1 to 2^20 a side, SRAMs 1 kB to 2^40 kB, dataflow os, ws or is)");
    if (!t->nlayers)
        return petal_error_set(PETAL_EINVAL, "petal_scalesim_run: the topology has no layers");
    out->layers = calloc(t->nlayers, sizeof *out->layers);
    if (!out->layers)
        return petal_error_set(PETAL_ENOMEM, "out of memory for %zu layers", t->nlayers);
    out->nlayers = t->nlayers;
    for (size_t i = 0; i < t->nlayers; i++) {
        const petal_scalesim_layer *l = &t->layers[i];
        if (!l->ifmap_h || !l->ifmap_w || !l->filter_h || !l->filter_w || !l->channels ||
            !l->filters || !l->stride_h || !l->stride_w || l->filter_h > l->ifmap_h ||
            l->filter_w > l->ifmap_w) {
            petal_scalesim_result_free(out);
            return petal_error_set(PETAL_EINVAL,
                                   "layer %s: every size must be at least 1 and the filter no "
                                   "larger than the IFMAP",
                                   l->name);
        }
        petal_status st = one_layer(c, l, &out->layers[i]);
        if (st) {
            petal_scalesim_result_free(out);
            return st;
        }
    }
    return PETAL_OK;
}

void petal_scalesim_result_free(petal_scalesim_result *r)
{
    if (!r)
        return;
    free(r->layers);
    r->layers = NULL;
    r->nlayers = 0;
}
