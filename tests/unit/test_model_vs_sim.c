/* test_model_vs_sim.c - the analytical model against the reference simulator
 * on 2,400 random (layer, architecture, mapping) triples with fixed seeds:
 * every level's and data space's tile, reads, fills and updates (in total and
 * for the busiest instance), multicast and spatial reduction, the words that
 * cross each network (which the model reports as network energy at 1 pJ per
 * word), every level's bandwidth cycles and the mapping's cycles, and the
 * energy and utilization recomputed from the simulator's counts must be
 * equal, and every simulated output must equal the direct evaluation. With
 * finite depths drawn for the same triples, the model must find a level over
 * capacity exactly when the simulator does, and the same level. The
 * draws cover strided, dilated, depthwise and grouped convolutions, fully
 * connected layers, (batched) matmuls and generic problems with coupled
 * projections; 2 to 5 storage levels plus storage-less fan-out levels; X and
 * Y fan-outs with multicast and spatial reduction; bypass; and finite read
 * and write bandwidths that bind the cycles. Every other triple is run again
 * with word widths (docs/precision.md): levels of 8, 16 or 32-bit words,
 * each data space 4 to 32 bits or left to the level's word, partial sums
 * wider than outputs, bit-serial MACs; the widths, vector accesses, energies,
 * bandwidth cycles and capacity in bits must agree as well. Every fourth
 * triple is run again with neighbour forwarding (docs/systolic.md): random
 * data spaces forwarded along X or Y of random fan-outs, at their own energy
 * per hop; the forwarded words and hops, the network energy, the fill and
 * drain cycles and the bound that limits must agree. The test counts
 * that coverage and fails if any kind is missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "petal/energy.h"
#include "petal/model.h"
#include "petal/sim.h"
#include "support/random_mapping.c"
#include "unit/nest_builder.h"

enum { CASES = 2400 };

typedef struct coverage {
    int stride, dilation, depthwise, grouped, fc, matmul, generic, coupled;
    int bypass, fanout_x, fanout_y, multicast, reduction, none_level;
    int sim_multicast, sim_reduction; /* the simulator saw a word reach or come from several */
    int network, refill_network;      /* words crossed a network; Outputs refills did */
    int refill_passed;                /* Outputs refills crossed into a child bypassing Outputs */
    int capacity_valid, capacity_invalid; /* with finite depths: both valid, both invalid */
    int bandwidth_level, bandwidth_bound; /* a level, the whole mapping, bound by bandwidth */
    int decimal_bound; /* a level bound by a bandwidth not exact in binary (0.1, 0.7) */
    /* With widths: a value narrower and one wider than its level's word; a
     * level holding Outputs as partial sums wider than the outputs, a level
     * holding them at the outputs' width; a bit-serial MAC taking several
     * cycles; a level bound by bandwidth in bits; over capacity only in bits
     * (the words would fit). */
    int narrower, wider, psum_level, output_level, bit_serial, bits_bound, bits_over;
    int limited_read, limited_write; /* limited_by names a read, a write bandwidth */
    /* Imperfect factors (docs/model.md): triples compared, of which some
     * instances sit the last iteration out (the residual's loop is spatial)
     * or the parts share their outputs (a reduction dimension); triples the
     * model refuses as not yet counted. */
    int imperfect, imperfect_idle, imperfect_shared, imperfect_refused;
    int network_level, limited_network; /* a network's width sets a level's, the layer's cycles */
    /* Forwarding: a read-only data space hopped, Outputs did, chains with a gap
     * (a hop through a child that does not take the word), layers limited by
     * fill/drain. */
    int forwarded_read, forwarded_outputs, forward_gap, limited_fill_drain;
    int storage_levels[6];
} coverage;

static void random_problem(uint64_t *s, petal_problem *p, coverage *cov)
{
    for (;;) {
        int kind = (int)rnd_pick(s, 0, 7);
        petal_status st;
        if (kind <= 3) { /* convolution: plain, strided, dilated, grouped or depthwise */
            petal_conv_params c = {0};
            c.batch = (int64_t)rnd_pick(s, 1, 2);
            c.kernel_h = (int64_t)rnd_pick(s, 1, 3);
            c.kernel_w = (int64_t)rnd_pick(s, 1, 3);
            c.stride_h = (int64_t)rnd_pick(s, 1, 2);
            c.stride_w = (int64_t)rnd_pick(s, 1, 2);
            c.dilation_h = (int64_t)rnd_pick(s, 1, 2);
            c.dilation_w = (int64_t)rnd_pick(s, 1, 2);
            int64_t oh = (int64_t)rnd_pick(s, 1, 4), ow = (int64_t)rnd_pick(s, 1, 4);
            c.in_h = (oh - 1) * c.stride_h + c.dilation_h * (c.kernel_h - 1) + 1;
            c.in_w = (ow - 1) * c.stride_w + c.dilation_w * (c.kernel_w - 1) + 1;
            if (kind == 3) {
                c.groups = (int64_t)rnd_pick(s, 2, 4);
                c.in_channels = c.out_channels = c.groups;
            } else {
                c.groups = kind == 2 ? 2 : 1;
                c.in_channels = c.groups * (int64_t)rnd_pick(s, 1, 2);
                c.out_channels = c.groups * (int64_t)rnd_pick(s, 1, 3);
            }
            st = petal_problem_conv(p, "conv", &c);
            if (!st && petal_problem_macs(p) <= 1200) {
                cov->stride += c.stride_h > 1 || c.stride_w > 1;
                cov->dilation += c.dilation_h > 1 || c.dilation_w > 1;
                cov->depthwise += kind == 3;
                cov->grouped += kind == 2;
                return;
            }
        } else if (kind == 4) {
            st = petal_problem_fc(p, "fc", (int64_t)rnd_pick(s, 1, 3), (int64_t)rnd_pick(s, 1, 12),
                                  (int64_t)rnd_pick(s, 1, 12));
            if (!st) {
                cov->fc++;
                return;
            }
        } else if (kind == 5) {
            petal_matmul_params mm = {.batch = (int64_t)rnd_pick(s, 1, 2),
                                      .m = (int64_t)rnd_pick(s, 1, 4),
                                      .k = (int64_t)rnd_pick(s, 1, 6),
                                      .n = (int64_t)rnd_pick(s, 1, 4),
                                      .weights_batched = rnd_pick(s, 0, 1),
                                      .weights_are_params = true};
            st = petal_problem_matmul(p, "matmul", &mm);
            if (!st) {
                cov->matmul++;
                return;
            }
        } else {
            /* Generic contractions: coefficients above 1, several terms per rank
             * and, for kind 7, a dimension that moves two ranks of one tensor. */
            uint64_t b[5];
            for (int d = 0; d < 5; d++)
                b[d] = rnd_pick(s, 1, 4);
            const char *w = kind == 6 ? "A|B+2C" : "A+B|B";
            const char *in = kind == 6 ? "2B+D|3C+E" : "B+D|C+2D|E";
            if (nb_problem(p, "generic", "ABCDE", b, w, in, "A|D|E") == 0 &&
                petal_problem_macs(p) <= 1200) {
                cov->generic++;
                cov->coupled += kind == 7;
                return;
            }
        }
    }
}

static void random_arch(uint64_t *s, petal_arch *a, coverage *cov)
{
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "random");
    int storage = (int)rnd_pick(s, 2, 5), none = (int)rnd_pick(s, 0, 2);
    int nl = storage + none;
    a->nlevels = (uint8_t)nl;
    /* Positions 1.. of the storage-less levels. */
    bool is_none[PETAL_MAX_LEVELS] = {false};
    for (int k = 0; k < none;) {
        int l = (int)rnd_pick(s, 1, (uint64_t)nl - 1);
        if (!is_none[l]) {
            is_none[l] = true;
            k++;
        }
    }
    uint32_t mx = 1, my = 1;
    for (int l = 0; l < nl; l++) {
        petal_level *lv = &a->levels[l];
        char name[16];
        snprintf(name, sizeof name, "L%d", l);
        if (l == 0)
            nb_level(lv, "DRAM", PETAL_MEM_DRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
        else if (is_none[l])
            nb_level(lv, name, PETAL_MEM_NONE, 0, 1, mx, my, 0);
        else
            nb_level(lv, name, PETAL_MEM_SRAM, 0, (uint32_t)rnd_pick(s, 1, 4), mx, my,
                     (uint8_t)rnd_pick(s, 1, 7));
        lv->hop_pj = 1; /* network energy in pJ = words crossing the network */
        /* Energies that tell the actions and levels apart (no draws). */
        lv->read_pj = 1 + l;
        lv->fill_pj = 2 + 0.5 * l;
        lv->update_pj = 3 + 0.25 * l;
        lv->leak_pj = 0.125;
        uint32_t fx = (uint32_t)rnd_pick(s, 1, 3), fy = (uint32_t)rnd_pick(s, 1, 2);
        if (mx * fx * my * fy <= 24) {
            mx *= fx;
            my *= fy;
        }
    }
    snprintf(a->arith.name, sizeof a->arith.name, "mac");
    a->arith.mesh_x = mx;
    a->arith.mesh_y = my;
    a->arith.instances = (uint64_t)mx * my;
    a->arith.word_bits = 16;
    a->arith.mac_pj = 1;
    a->clock_hz = 1e9;
    cov->storage_levels[storage]++;
    cov->none_level += none > 0;
}

/* Each factor goes to a level, then to its temporal loop or, while the fan-out
 * to the level's children allows, to its X or Y loop, all equally likely. */
typedef struct fanout_rule {
    uint32_t fx[PETAL_MAX_LEVELS], fy[PETAL_MAX_LEVELS]; /* fan-out below each level */
    uint64_t ux[PETAL_MAX_LEVELS], uy[PETAL_MAX_LEVELS]; /* used so far */
} fanout_rule;

static void place_uniform(uint64_t *s, const petal_arch *a, int d, uint64_t f, petal_mapping *m,
                          void *rule)
{
    fanout_rule *r = rule;
    int l = (int)rnd_pick(s, 0, (uint64_t)a->nlevels - 1);
    int where = (int)rnd_pick(s, 0, 2); /* temporal, X, Y */
    if (where == 1 && r->ux[l] * f <= r->fx[l]) {
        m->levels[l].spatial_x[d] *= f;
        r->ux[l] *= f;
    } else if (where == 2 && r->uy[l] * f <= r->fy[l]) {
        m->levels[l].spatial_y[d] *= f;
        r->uy[l] *= f;
    } else {
        m->levels[l].temporal[d] *= f;
    }
}

/* Any level but DRAM that has storage draws what it keeps. */
static void random_mapping(uint64_t *s, const petal_problem *p, const petal_arch *a,
                           petal_mapping *m)
{
    fanout_rule rule;
    uint32_t keep_levels = 0;
    for (int l = 0; l < a->nlevels; l++) {
        petal_arch_fanout(a, l, &rule.fx[l], &rule.fy[l]);
        rule.ux[l] = rule.uy[l] = 1;
        if (l > 0 && a->levels[l].cls != PETAL_MEM_NONE)
            keep_levels |= 1u << l;
    }
    rnd_mapping(s, p, a, place_uniform, &rule, keep_levels, m);
}

/* An imperfect version of a triple, of the form the model counts
 * (docs/model.md, "Imperfect factors"), from a generator of its own: a
 * dimension d with a factor above 1 inside the outermost level's loop of it
 * gets that loop one iteration more and made the outermost loop of the nest;
 * its bound becomes the old one plus q tiles of the next loop of d inside
 * (0 < q < that loop's factor), so the last iteration is partial. False when
 * no dimension has such an inner factor. *idle: the next loop is spatial (some
 * instances sit the last iteration out); *shared: d does not index Outputs. */
static bool make_imperfect(uint64_t *s, petal_problem *p, petal_mapping *m, bool *idle,
                           bool *shared)
{
    int nd = p->ndims, start = (int)rnd_pick(s, 0, (uint64_t)nd - 1);
    for (int k = 0; k < nd; k++) {
        int d = (start + k) % nd;
        uint64_t f0 = m->levels[0].temporal[d], t = p->bounds[d] / f0;
        /* The next factor above 1 in nest order after level 0's temporal one. */
        uint64_t f1 = 0;
        bool spatial = false;
        for (int l = 0; l < m->nlevels && !f1; l++) {
            const petal_level_mapping *lm = &m->levels[l];
            uint64_t f[3] = {lm->temporal[d], lm->spatial_y[d], lm->spatial_x[d]};
            for (int j = l == 0 ? 1 : 0; j < 3 && !f1; j++)
                if (f[j] > 1) {
                    f1 = f[j];
                    spatial = j > 0;
                }
        }
        if (!f1)
            continue;
        uint64_t q = rnd_pick(s, 1, f1 - 1);
        p->bounds[d] = f0 * t + q * (t / f1);
        m->levels[0].temporal[d] = f0 + 1;
        /* d's loop outermost at level 0: last in the order (innermost first). */
        petal_level_mapping *top = &m->levels[0];
        int at = 0;
        while (top->perm[at] != d)
            at++;
        for (; at + 1 < nd; at++)
            top->perm[at] = top->perm[at + 1];
        top->perm[nd - 1] = (uint8_t)d;
        *idle = spatial;
        *shared = true;
        for (int r = 0; r < p->ds[PETAL_DS_OUTPUTS].nranks; r++)
            for (int j = 0; j < p->ds[PETAL_DS_OUTPUTS].ranks[r].nterms; j++)
                *shared &= p->ds[PETAL_DS_OUTPUTS].ranks[r].terms[j].dim != d;
        return true;
    }
    return false;
}

static void describe(const petal_problem *p, const petal_arch *a, const petal_mapping *m)
{
    fprintf(stderr, "problem %s:", p->name);
    for (int d = 0; d < p->ndims; d++)
        fprintf(stderr, " %s=%llu", p->dim_names[d], (unsigned long long)p->bounds[d]);
    fprintf(stderr, "\n");
    for (int l = 0; l < a->nlevels; l++)
        fprintf(stderr, "level %s class %s instances %llu (%ux%u) may keep %u keeps %u\n",
                a->levels[l].name, petal_mem_class_name(a->levels[l].cls),
                (unsigned long long)a->levels[l].instances, a->levels[l].mesh_x,
                a->levels[l].mesh_y, a->levels[l].may_keep, m->levels[l].keep);
    petal_mapping_print_nest(stderr, p, a, m);
}

/* Vector accesses of `values` values of `bits` at a level with `block` words
 * of `word_bits`: the bits rounded up to whole vectors (docs/precision.md). */
static uint64_t vector_accesses(uint64_t values, uint32_t bits, uint32_t block, uint32_t word_bits)
{
    uint64_t vector = (uint64_t)block * word_bits;
    return (values * bits + vector - 1) / vector;
}

/* Word widths for the triple, from a generator of their own: each level's
 * word 8, 16 or 32 bits, each data space 4 to 32 bits or not given, partial
 * sums sometimes wider than outputs, sometimes bit-serial MACs. */
static void random_widths(uint64_t *s, petal_problem *p, petal_arch *a)
{
    static const uint32_t words[] = {8, 16, 32};
    static const uint8_t values[] = {0, 4, 8, 12, 16, 24, 32};
    for (int l = 0; l < a->nlevels; l++)
        if (a->levels[l].cls != PETAL_MEM_NONE)
            a->levels[l].word_bits = words[rnd_pick(s, 0, 2)];
    memset(&p->precision, 0, sizeof p->precision);
    for (int i = 0; i < PETAL_NUM_DS; i++)
        p->precision.bits[i] = values[rnd_pick(s, 0, 6)];
    if (rnd_pick(s, 0, 1))
        p->precision.bits[PETAL_PRECISION_PSUMS] =
            (uint8_t)(petal_precision_bits(&p->precision, PETAL_DS_OUTPUTS, 16) +
                      4 * rnd_pick(s, 1, 4));
    if (!petal_precision_any(&p->precision))
        p->precision.bits[PETAL_DS_WEIGHTS] = 8;
    a->arith.bits_per_cycle = rnd_pick(s, 0, 3) ? 0 : (uint32_t)rnd_pick(s, 1, 4);
}

/* The energy of docs/model.md from the simulator's counts: per data space,
 * vector accesses of the busiest instance times their energies times the
 * instances, plus hop_pj per word crossing each network (as the model counts
 * them), then leakage over the simulated cycles and the MACs. */
static double simulated_energy(const petal_problem *p, const petal_arch *a,
                               const petal_sim_result *sr, bool perfect, double *by_ds)
{
    double energy = (double)sr->computes * a->arith.mac_pj * petal_energy_mac_scale(p, a);
    for (int s = 0; s < PETAL_NUM_DS; s++)
        by_ds[s] = 0;
    for (int l = 0; l < a->nlevels; l++) {
        const petal_level *lv = &a->levels[l];
        uint32_t block = lv->block_size ? lv->block_size : 1, w = lv->word_bits;
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_sim_ds_stats *sd = &sr->levels[l].ds[s];
            /* hop_pj is per word of this level; the words crossing below it
             * are as wide as the nearest keeper at or above it holds them. */
            int j = l;
            while (j > 0 && !sr->levels[j].ds[s].kept)
                j--;
            double width = w ? (double)sr->levels[j].ds[s].word_bits / w : 1;
            /* Forwarded: the level's network carries the words into and out of
             * the chains, the neighbours' links the hops. */
            double carried = lv->forward[s] ? (double)sd->forward_entries
                                            : (double)(sd->link_words_down + sd->link_words_up);
            double e = (lv->hop_pj * carried + lv->forward_pj * (double)sd->forwards) * width;
            uint32_t b = sd->word_bits;
            if (sd->kept && perfect) /* every instance does the same */
                e += ((double)vector_accesses(sd->reads_max, b, block, w) * lv->read_pj +
                      (double)vector_accesses(sd->fills_max, b, block, w) * lv->fill_pj +
                      (double)vector_accesses(sd->updates_max, b, block, w) * lv->update_pj) *
                     (double)sd->instances;
            else if (sd->kept) /* the simulator's sums over instances */
                e += (double)sd->vector_reads * lv->read_pj +
                     (double)sd->vector_fills * lv->fill_pj +
                     (double)sd->vector_updates * lv->update_pj;
            /* With a perfect mapping the two agree. */
            if (sd->kept && perfect)
                assert_true(sd->vector_reads ==
                                vector_accesses(sd->reads_max, b, block, w) * sd->instances &&
                            sd->vector_fills ==
                                vector_accesses(sd->fills_max, b, block, w) * sd->instances &&
                            sd->vector_updates ==
                                vector_accesses(sd->updates_max, b, block, w) * sd->instances);
            by_ds[s] += e;
            energy += e;
        }
        energy += lv->leak_pj * (double)sr->cycles * (double)sr->levels[l].bw.instances;
    }
    return energy;
}

static bool close_to(double x, double want)
{
    return fabs(x - want) <= 1e-9 * fabs(want) + 1e-12;
}

/* Run model and simulator on one triple and fail on any difference. Counts
 * what the triple covers into cov (may be NULL). */
/* limited_by: the model's limiting bound must be the simulator's largest
 * level count (compute when no level needs more cycles than the steps; on a
 * tie the outermost level), in the direction whose words the simulator moved;
 * every bound's cycles plus its slack must be the cycles. */
static void check_limited_by(const char *label, int n, const petal_problem *p, const petal_arch *a,
                             const petal_mapping *m, const petal_model_result *r,
                             const petal_sim_result *sr, coverage *cov)
{
    int sim_level = -1;
    uint64_t most = sr->steps * sr->cycles_per_mac; /* compute: bit-serial MACs take several */
    if (sr->fill_drain_cycles) {                    /* fill/drain: -2, listed after compute */
        most += sr->fill_drain_cycles;
        sim_level = -2;
    }
    for (int l = 0; l < a->nlevels; l++)
        if (sr->levels[l].bw.cycles > most) {
            most = sr->levels[l].bw.cycles;
            sim_level = l;
        }
    assert_true(r->nbounds >= 1 && r->limited_by < r->nbounds);
    const petal_bound *lim = &r->bounds[r->limited_by];
    for (int i = 0; i < r->nbounds; i++)
        assert_int_equal(r->bounds[i].cycles + r->bounds[i].slack, r->cycles);
    assert_int_equal(lim->slack, 0);
    uint64_t moved = 0;
    if (lim->kind == PETAL_BOUND_NETWORK) {
        /* Words: the bits on that network over the value's width. */
        const petal_sim_level_stats *bw = &sr->levels[lim->level].bw;
        moved = bw->network_bits_max[lim->ds] / sr->levels[lim->level].ds[lim->ds].word_bits;
        if (bw->network_cycles[lim->ds] != lim->cycles) {
            describe(p, a, m);
            fail_msg("%s %d: the %s network of level %d: model %llu cycles, simulator %llu", label,
                     n, petal_ds_canonical_name(lim->ds), lim->level,
                     (unsigned long long)lim->cycles,
                     (unsigned long long)bw->network_cycles[lim->ds]);
        }
    } else if (lim->kind == PETAL_BOUND_FILL_DRAIN) {
        if (sim_level != -2 || lim->words != sr->fill_drain_cycles) {
            describe(p, a, m);
            fail_msg("%s %d: the model is limited by fill/drain (%llu cycles added), the "
                     "simulator's largest count is at level %d (%llu cycles, %llu added)",
                     label, n, (unsigned long long)lim->words, sim_level, (unsigned long long)most,
                     (unsigned long long)sr->fill_drain_cycles);
        }
        cov->limited_fill_drain++;
        return;
    } else if (lim->level >= 0) {
        moved = lim->kind == PETAL_BOUND_READ ? sr->levels[lim->level].bw.reads_max
                                              : sr->levels[lim->level].bw.writes_max;
    }
    if (lim->level != sim_level || (lim->level >= 0 && lim->words != moved)) {
        describe(p, a, m);
        fail_msg("%s %d: the model is limited by %s at level %d (%llu words), the simulator's "
                 "largest count is at level %d (%llu cycles, %llu words)",
                 label, n,
                 lim->kind == PETAL_BOUND_READ      ? "reads"
                 : lim->kind == PETAL_BOUND_WRITE   ? "writes"
                 : lim->kind == PETAL_BOUND_NETWORK ? "a network"
                                                    : "compute",
                 lim->level, (unsigned long long)lim->words, sim_level, (unsigned long long)most,
                 (unsigned long long)moved);
    }
    cov->limited_read += lim->kind == PETAL_BOUND_READ;
    cov->limited_write += lim->kind == PETAL_BOUND_WRITE;
    cov->limited_network += lim->kind == PETAL_BOUND_NETWORK;
}

static void compare(const char *label, int n, const petal_problem *pp, const petal_arch *pa,
                    const petal_mapping *pm, coverage *cov)
{
    petal_problem p = *pp;
    petal_arch a = *pa;
    petal_mapping m = *pm;
    coverage ignored = {0};
    if (!cov)
        cov = &ignored;
    petal_model_result r;
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    if (!r.valid) {
        describe(&p, &a, &m);
        fail_msg("%s %d: the model calls the mapping invalid: %s", label, n, r.why);
    }
    petal_sim_result sr;
    if (petal_sim_run(&p, &a, &m, NULL, &sr) != PETAL_OK) {
        describe(&p, &a, &m);
        fail_msg("%s %d: simulator: %s", label, n, petal_error_message());
    }
    if (!sr.outputs_match) {
        describe(&p, &a, &m);
        fail_msg("%s %d: %llu of %llu outputs differ from the direct evaluation", label, n,
                 (unsigned long long)sr.output_mismatches, (unsigned long long)sr.output_words);
    }
    assert_int_equal(sr.computes, r.computes);
    assert_int_equal(sr.compute_cycles, r.compute_cycles);
    assert_int_equal(sr.cycles_per_mac, r.cycles_per_mac);
    cov->bit_serial += r.cycles_per_mac > 1;
    assert_int_equal(sr.macs, r.utilized_macs);
    if (sr.cycles != r.cycles) {
        describe(&p, &a, &m);
        fail_msg("%s %d: model cycles %llu, simulator %llu", label, n, (unsigned long long)r.cycles,
                 (unsigned long long)sr.cycles);
    }
    if (sr.fill_drain_cycles != r.fill_drain_cycles) {
        describe(&p, &a, &m);
        fail_msg("%s %d: model fill and drain %llu cycles, simulator %llu", label, n,
                 (unsigned long long)r.fill_drain_cycles, (unsigned long long)sr.fill_drain_cycles);
    }
    cov->bandwidth_bound += r.cycles > r.compute_cycles + r.fill_drain_cycles;
    check_limited_by(label, n, &p, &a, &m, &r, &sr, cov);
    bool perfect = true;
    for (int d = 0; d < p.ndims; d++)
        perfect &=
            petal_mapping_factor_fit(&m, d, p.bounds[d], NULL, NULL, NULL) == PETAL_FACTORS_EXACT;
    double by_ds[PETAL_NUM_DS], energy = simulated_energy(&p, &a, &sr, perfect, by_ds);
    double utilization = (double)sr.computes * (double)sr.cycles_per_mac /
                         ((double)sr.cycles * (double)a.arith.instances);
    if (!close_to(r.energy_pj, energy) || !close_to(r.utilization, utilization) ||
        !close_to(r.energy_by_ds[0], by_ds[0]) || !close_to(r.energy_by_ds[1], by_ds[1]) ||
        !close_to(r.energy_by_ds[2], by_ds[2])) {
        describe(&p, &a, &m);
        fail_msg("%s %d: model energy %.17g pJ (by data space %g %g %g), utilization %g; from "
                 "the simulator's counts %.17g pJ (%g %g %g), %g",
                 label, n, r.energy_pj, r.energy_by_ds[0], r.energy_by_ds[1], r.energy_by_ds[2],
                 r.utilization, energy, by_ds[0], by_ds[1], by_ds[2], utilization);
    }
    for (int l = 0; l < a.nlevels; l++) {
        const petal_level_mapping *lm = &m.levels[l];
        const petal_level_stats *ml = &r.levels[l];
        const petal_sim_level_stats *bw = &sr.levels[l].bw;
        /* Bandwidth: the model's per-instance figures sum the busiest instance
         * of each data space; the simulator's the busiest instance's sum. */
        if (ml->cycles != bw->cycles ||
            ml->read_words_per_cycle != (double)bw->reads_max / (double)sr.compute_cycles ||
            ml->write_words_per_cycle != (double)bw->writes_max / (double)sr.compute_cycles) {
            describe(&p, &a, &m);
            fail_msg("%s %d level %s (read_bw %g, write_bw %g): model cycles %llu, words per "
                     "cycle read %g write %g; simulator cycles %llu, reads %llu writes %llu in "
                     "%llu steps",
                     label, n, a.levels[l].name, a.levels[l].read_bw, a.levels[l].write_bw,
                     (unsigned long long)ml->cycles, ml->read_words_per_cycle,
                     ml->write_words_per_cycle, (unsigned long long)bw->cycles,
                     (unsigned long long)bw->reads_max, (unsigned long long)bw->writes_max,
                     (unsigned long long)sr.steps);
        }
        cov->bandwidth_level += ml->cycles > r.compute_cycles;
        for (int s = 0; s < PETAL_NUM_DS; s++)
            cov->network_level +=
                bw->network_cycles[s] > r.compute_cycles && bw->network_cycles[s] == ml->cycles;
        bool bits_differ = false;
        for (int s = 0; s < PETAL_NUM_DS; s++)
            bits_differ |=
                sr.levels[l].ds[s].kept && sr.levels[l].ds[s].word_bits != a.levels[l].word_bits;
        cov->bits_bound += bits_differ && ml->cycles > r.compute_cycles;
        double rb = a.levels[l].read_bw, wb = a.levels[l].write_bw;
        cov->decimal_bound +=
            ml->cycles > r.compute_cycles && (rb != ldexp(nearbyint(ldexp(rb, 10)), -10) ||
                                              wb != ldexp(nearbyint(ldexp(wb, 10)), -10));
        assert_int_equal(ml->utilized_instances, bw->instances);
        uint64_t held = 0; /* the simulator's largest tiles, summed */
        for (int s = 0; s < PETAL_NUM_DS; s++)
            held += sr.levels[l].ds[s].kept ? sr.levels[l].ds[s].tile : 0;
        assert_int_equal(ml->capacity_used, held);
        uint64_t held_bits = 0;
        for (int s = 0; s < PETAL_NUM_DS; s++)
            held_bits += sr.levels[l].ds[s].kept
                             ? sr.levels[l].ds[s].tile * sr.levels[l].ds[s].word_bits
                             : 0;
        assert_int_equal(ml->capacity_used_bits, held_bits);
        for (int d = 0; d < p.ndims; d++) {
            cov->fanout_x += lm->spatial_x[d] > 1;
            cov->fanout_y += lm->spatial_y[d] > 1;
        }
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_ds_stats *md = &r.levels[l].ds[s];
            const petal_sim_ds_stats *sd = &sr.levels[l].ds[s];
            if (l > 0 && a.levels[l].cls != PETAL_MEM_NONE &&
                (a.levels[l].may_keep & ~lm->keep & (1u << s)))
                cov->bypass++;
            if (md->kept && s != PETAL_DS_OUTPUTS && md->multicast > 1)
                cov->multicast++;
            if (md->kept && s == PETAL_DS_OUTPUTS && md->spatial_reduction > 1)
                cov->reduction++;
            bool same = md->kept == sd->kept && (!md->kept || md->word_bits == sd->word_bits);
            if (md->kept && p.precision.bits[s < 2 ? s : PETAL_DS_OUTPUTS]) {
                cov->narrower += md->word_bits < a.levels[l].word_bits;
                cov->wider += md->word_bits > a.levels[l].word_bits;
            }
            if (md->kept && s == PETAL_DS_OUTPUTS &&
                p.precision.bits[PETAL_PRECISION_PSUMS] >
                    petal_precision_bits(&p.precision, PETAL_DS_OUTPUTS, a.levels[l].word_bits)) {
                cov->psum_level += md->word_bits == p.precision.bits[PETAL_PRECISION_PSUMS];
                cov->output_level += md->word_bits != p.precision.bits[PETAL_PRECISION_PSUMS];
            }
            if (same && md->kept)
                same = md->tile == sd->tile && md->instances == sd->instances &&
                       md->reads == sd->reads && md->fills == sd->fills &&
                       md->updates == sd->updates && md->reads_per_instance == sd->reads_max &&
                       md->fills_per_instance == sd->fills_max &&
                       md->updates_per_instance == sd->updates_max &&
                       (s != PETAL_DS_OUTPUTS || md->partition == sd->distinct_max);
            /* Network: the model's network energy is hop_pj times every word
             * the simulator saw cross the network below this level, down and
             * up, Outputs refills on their way through a child bypassing
             * Outputs to a keeper further in included. */
            double crossed = (double)(sd->link_words_down + sd->link_words_up);
            if (a.levels[l].forward[s])
                crossed = (double)sd->forward_entries;
            int keeper = l; /* the words are as wide as it holds them; hop_pj is per word here */
            while (keeper > 0 && !sr.levels[keeper].ds[s].kept)
                keeper--;
            double hop = a.levels[l].hop_pj, forward = a.levels[l].forward_pj;
            if (a.levels[l].word_bits) {
                hop *= (double)sr.levels[keeper].ds[s].word_bits / a.levels[l].word_bits;
                forward *= (double)sr.levels[keeper].ds[s].word_bits / a.levels[l].word_bits;
            }
            double network = hop * crossed + forward * (double)sd->forwards;
            if (md->forwards != sd->forwards) {
                describe(&p, &a, &m);
                fail_msg("%s %d level %s %s: model forwards %llu word-hops, simulator %llu (into "
                         "chains %llu)",
                         label, n, a.levels[l].name, p.ds[s].name, (unsigned long long)md->forwards,
                         (unsigned long long)sd->forwards, (unsigned long long)sd->forward_entries);
            }
            cov->forwarded_read += s != PETAL_DS_OUTPUTS && sd->forwards > 0;
            cov->forwarded_outputs += s == PETAL_DS_OUTPUTS && sd->forwards > 0;
            if (fabs(md->network_energy_pj - network) > 1e-9 * (1 + network)) {
                describe(&p, &a, &m);
                fail_msg("%s %d level %s %s: model network energy %.17g pJ at %g pJ per word; "
                         "simulator words down %llu (Outputs refills passing a bypassing child "
                         "%llu) up %llu",
                         label, n, a.levels[l].name, p.ds[s].name, md->network_energy_pj, hop,
                         (unsigned long long)sd->link_words_down,
                         (unsigned long long)sd->link_refills_passed,
                         (unsigned long long)sd->link_words_up);
            }
            cov->network += crossed > 0;
            cov->refill_network += s == PETAL_DS_OUTPUTS && sd->link_words_down > 0;
            cov->refill_passed += sd->link_refills_passed > 0;
            /* Multicast and spatial reduction, as averages over the words. */
            if (same && md->kept) {
                bool outputs = s == PETAL_DS_OUTPUTS;
                double fan = outputs ? (double)sd->sources / (double)sd->updates
                                     : (double)sd->destinations / (double)sd->reads;
                double want = outputs ? md->spatial_reduction : md->multicast;
                if (fabs(fan - want) > 1e-9 * want ||
                    (outputs && md->multicast != md->spatial_reduction) ||
                    (!outputs && md->spatial_reduction != 0)) {
                    describe(&p, &a, &m);
                    fail_msg("%s %d level %s %s: model multicast %.17g spatial reduction %.17g; "
                             "simulator %s %.17g",
                             label, n, a.levels[l].name, p.ds[s].name, md->multicast,
                             md->spatial_reduction, outputs ? "spatial reduction" : "multicast",
                             fan);
                }
                cov->sim_multicast += !outputs && sd->destinations > sd->reads;
                cov->sim_reduction += outputs && sd->sources > sd->updates;
            }
            if (!same) {
                describe(&p, &a, &m);
                fail_msg("%s %d level %s %s: model kept %d (%u bits) tile %llu reads %llu fills "
                         "%llu updates %llu partition %llu; simulator kept %d (%u bits) tile %llu "
                         "reads %llu fills %llu updates %llu distinct %llu",
                         label, n, a.levels[l].name, p.ds[s].name, md->kept, md->word_bits,
                         (unsigned long long)md->tile, (unsigned long long)md->reads,
                         (unsigned long long)md->fills, (unsigned long long)md->updates,
                         (unsigned long long)md->partition, sd->kept, sd->word_bits,
                         (unsigned long long)sd->tile, (unsigned long long)sd->reads,
                         (unsigned long long)sd->fills, (unsigned long long)sd->updates,
                         (unsigned long long)sd->distinct_max);
            }
        }
    }
}

/* The same triple with depths drawn for the levels below DRAM, from 1 word
 * to twice what the mapping needs there (a generator of its own): the model
 * must call the mapping invalid for capacity exactly when the simulator finds
 * a level holding more words than its depth, and both must name the same
 * level. Counts the valid and invalid agreements. */
static void compare_capacity(int n, const petal_problem *pp, const petal_arch *pa,
                             const petal_mapping *pm, int *valid, int *invalid, int *bits_over)
{
    petal_problem p = *pp;
    petal_arch a = *pa;
    petal_mapping m = *pm;
    petal_model_result r;
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    uint64_t s = 0x2545f4914f6cdd1dull ^ ((uint64_t)n * 0xbf58476d1ce4e5b9ull + 3);
    bool widths = petal_precision_any(&p.precision);
    for (int l = 1; l < a.nlevels; l++)
        if (a.levels[l].cls != PETAL_MEM_NONE && r.levels[l].capacity_used > 0) {
            uint64_t need = r.levels[l].capacity_used;
            if (widths) /* in the level's words, rounded up */
                need = (r.levels[l].capacity_used_bits + a.levels[l].word_bits - 1) /
                       a.levels[l].word_bits;
            a.levels[l].depth = rnd_pick(&s, 1, 2 * need);
        }
    uint64_t used_words[PETAL_MAX_LEVELS];
    for (int l = 0; l < a.nlevels; l++)
        used_words[l] = r.levels[l].capacity_used;
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    if (!r.valid && widths && used_words[r.invalid_level] <= a.levels[r.invalid_level].depth)
        (*bits_over)++;
    petal_sim_result sr;
    petal_status st = petal_sim_run(&p, &a, &m, NULL, &sr);
    char level[PETAL_NAME_MAX + 8] = "";
    if (!r.valid)
        snprintf(level, sizeof level, "level %s:", a.levels[r.invalid_level].name);
    bool agree = r.valid ? st == PETAL_OK
                         : r.reason == PETAL_INVALID_CAPACITY && st == PETAL_EMAPPING &&
                               strncmp(petal_error_message(), level, strlen(level)) == 0;
    if (!agree) {
        describe(&p, &a, &m);
        fail_msg("capacity %d: model %s (%s); simulator %s (%s)", n, r.valid ? "valid" : "invalid",
                 r.why, petal_status_name(st), st ? petal_error_message() : "");
    }
    *(r.valid ? valid : invalid) += 1;
}

/* The triple again with neighbour forwarding (own generator): below each
 * level with a fan-out, each data space is forwarded along X or Y, where that
 * axis has more than one child, half the time, at a forwarding energy of its
 * own. Counts the chains with a gap. */
static void compare_forwarding(int n, const petal_problem *p, const petal_arch *a,
                               const petal_mapping *m, coverage *cov)
{
    petal_arch fa = *a;
    uint64_t seed = 0x5851f42d4c957f2dull ^ ((uint64_t)n * 0x9e3779b97f4a7c15ull + 17);
    for (int l = 0; l < fa.nlevels; l++) {
        uint32_t fx, fy;
        petal_arch_fanout(&fa, l, &fx, &fy);
        fa.levels[l].forward_pj = 0.25 * (double)rnd_pick(&seed, 1, 8);
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            if (rnd_pick(&seed, 0, 1))
                continue;
            petal_forward axis = rnd_pick(&seed, 0, 1) ? PETAL_FORWARD_Y : PETAL_FORWARD_X;
            uint32_t along = axis == PETAL_FORWARD_X ? fx : fy;
            if (along < 2)
                axis = axis == PETAL_FORWARD_X ? PETAL_FORWARD_Y : PETAL_FORWARD_X;
            along = axis == PETAL_FORWARD_X ? fx : fy;
            if (along >= 2)
                fa.levels[l].forward[s] = (uint8_t)axis;
        }
    }
    assert_int_equal(petal_arch_check(&fa), PETAL_OK);
    compare("forwarding", n, p, &fa, m, cov);
    /* Forwarding along an axis without neighbours is refused. */
    for (int l = 0; l < fa.nlevels; l++) {
        uint32_t fx, fy;
        petal_arch_fanout(&fa, l, &fx, &fy);
        if (fx >= 2 && fy >= 2)
            continue;
        petal_arch bad = fa;
        bad.levels[l].forward[PETAL_DS_WEIGHTS] = fx < 2 ? PETAL_FORWARD_X : PETAL_FORWARD_Y;
        assert_int_equal(petal_arch_check(&bad), PETAL_EINVAL);
        break;
    }
    /* A gap: a chain whose members are not neighbours, when a dimension the
     * data space uses is a faster digit along the axis than one it does not
     * use (the members differ in the slower digit only). */
    for (int l = 0; l < fa.nlevels; l++)
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            if (!fa.levels[l].forward[s])
                continue;
            bool x = fa.levels[l].forward[s] == PETAL_FORWARD_X;
            const uint64_t *f = x ? m->levels[l].spatial_x : m->levels[l].spatial_y;
            bool used_first = false, unused_later = false;
            for (int d = 0; d < p->ndims; d++) {
                if (f[d] <= 1)
                    continue;
                bool uses = false;
                for (int r = 0; r < p->ds[s].nranks; r++)
                    for (int t = 0; t < p->ds[s].ranks[r].nterms; t++)
                        uses |= p->ds[s].ranks[r].terms[t].dim == d &&
                                p->ds[s].ranks[r].terms[t].coef != 0;
                if (uses)
                    used_first = true;
                else if (used_first)
                    unused_later = true;
            }
            cov->forward_gap += unused_later;
        }
}

static void test_model_equals_simulator(void **state)
{
    (void)state;
    coverage cov = {0};
    for (int n = 0; n < CASES; n++) {
        uint64_t seed = 0x9e3779b97f4a7c15ull ^ ((uint64_t)n * 0x100000001b3ull + 1);
        petal_problem p;
        petal_arch a;
        petal_mapping m;
        random_problem(&seed, &p, &cov);
        random_arch(&seed, &a, &cov);
        /* Bandwidths from a generator of their own: the triples stay those
         * drawn before bandwidths were. */
        uint64_t bw_seed = 0xd1b54a32d192ed03ull ^ ((uint64_t)n * 0x9e3779b97f4a7c15ull + 7);
        rnd_bandwidths(&bw_seed, &a);
        assert_int_equal(petal_arch_check(&a), PETAL_OK);
        random_mapping(&seed, &p, &a, &m);
        compare("case", n, &p, &a, &m, &cov);
        compare_capacity(n, &p, &a, &m, &cov.capacity_valid, &cov.capacity_invalid, &cov.bits_over);
        /* Every third triple again with networks of a width (own generator):
         * each data space a level may keep gets one half the time, of one to
         * three words or a word and a few bits. */
        if (n % 3 == 0) {
            petal_arch na = a;
            uint64_t net_seed = 0x2545f4914f6cdd1dull ^ ((uint64_t)n * 0x9e3779b97f4a7c15ull + 13);
            for (int l = 0; l < na.nlevels; l++)
                for (int s = 0; s < PETAL_NUM_DS; s++) {
                    petal_level *lv = &na.levels[l];
                    static const uint32_t extra[] = {0, 0, 5, 16};
                    if (lv->cls == PETAL_MEM_NONE || rnd_pick(&net_seed, 0, 1))
                        continue;
                    uint32_t words = (uint32_t)rnd_pick(&net_seed, 1, 3);
                    lv->network_bits[s] = words * lv->word_bits + extra[rnd_pick(&net_seed, 0, 3)];
                }
            assert_int_equal(petal_arch_check(&na), PETAL_OK);
            compare("networks", n, &p, &na, &m, &cov);
            if (n == 0) { /* a link narrower than one word is refused */
                na.levels[1].network_bits[PETAL_DS_INPUTS] = na.levels[1].word_bits - 1;
                assert_int_equal(petal_arch_check(&na), PETAL_EINVAL);
            }
        }
        /* Every third triple again with an imperfect factor (own generator),
         * with the widths of every other one. */
        if (n % 3 == 1) {
            petal_problem ip = p;
            petal_mapping im = m;
            bool idle, shared;
            uint64_t imp_seed = 0x3c6ef372fe94f82bull ^ ((uint64_t)n * 0x9e3779b97f4a7c15ull + 17);
            if (make_imperfect(&imp_seed, &ip, &im, &idle, &shared) &&
                petal_problem_macs(&ip) <= 4000) {
                petal_model_result r;
                assert_int_equal(petal_model_eval(&ip, &a, &im, &r), PETAL_OK);
                if (!r.valid && r.reason == PETAL_INVALID_FACTORS && strstr(r.why, "not yet")) {
                    cov.imperfect_refused++;
                } else {
                    compare("imperfect", n, &ip, &a, &im, &cov);
                    compare_capacity(n, &ip, &a, &im, &cov.capacity_valid, &cov.capacity_invalid,
                                     &cov.bits_over);
                    cov.imperfect++;
                    cov.imperfect_idle += idle;
                    cov.imperfect_shared += shared;
                }
            }
        }
        if (n % 4 == 1)
            compare_forwarding(n, &p, &a, &m, &cov);
        /* Every other triple again with word widths. */
        if (n % 2)
            continue;
        uint64_t width_seed = 0x94d049bb133111ebull ^ ((uint64_t)n * 0xbf58476d1ce4e5b9ull + 11);
        random_widths(&width_seed, &p, &a);
        assert_int_equal(petal_arch_check(&a), PETAL_OK);
        compare("widths", n, &p, &a, &m, &cov);
        compare_capacity(n, &p, &a, &m, &cov.capacity_valid, &cov.capacity_invalid, &cov.bits_over);
    }
    printf("with widths: a value narrower than its word %d, wider %d; Outputs held as wider "
           "partial sums %d, at their own width %d; bit-serial MACs %d; bound by bandwidth in "
           "bits %d; over capacity in bits only %d\n",
           cov.narrower, cov.wider, cov.psum_level, cov.output_level, cov.bit_serial,
           cov.bits_bound, cov.bits_over);
    /* Wide fan-outs, where two dimensions share an axis and chains can have
     * gaps: DRAM, a buffer and a 6 x 4 array of register files, each with a
     * MAC, every triple forwarded (own generator); only the forwarding
     * coverage counts. */
    coverage wide = {0};
    for (int n = 0; n < 1500; n++) {
        uint64_t seed = 0x632be59bd9b4e019ull ^ ((uint64_t)n * 0x100000001b3ull + 3);
        petal_problem p;
        petal_arch a;
        petal_mapping m;
        coverage drawn = {0};
        random_problem(&seed, &p, &drawn);
        memset(&a, 0, sizeof a);
        snprintf(a.name, sizeof a.name, "wide");
        a.nlevels = 3;
        nb_level(&a.levels[0], "DRAM", PETAL_MEM_DRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
        nb_level(&a.levels[1], "buf", PETAL_MEM_SRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
        nb_level(&a.levels[2], "rf", PETAL_MEM_SRAM, 0, 1, 6, 4, (uint8_t)rnd_pick(&seed, 1, 7));
        for (int l = 0; l < 3; l++) {
            a.levels[l].hop_pj = 1;
            a.levels[l].read_pj = 1 + l;
        }
        snprintf(a.arith.name, sizeof a.arith.name, "mac");
        a.arith.mesh_x = 6;
        a.arith.mesh_y = 4;
        a.arith.instances = 24;
        a.arith.word_bits = 16;
        a.arith.mac_pj = 1;
        random_mapping(&seed, &p, &a, &m);
        compare_forwarding(CASES + n, &p, &a, &m, &wide);
    }
    cov.forwarded_read += wide.forwarded_read;
    cov.forwarded_outputs += wide.forwarded_outputs;
    cov.forward_gap += wide.forward_gap;
    cov.limited_fill_drain += wide.limited_fill_drain;
    printf("with forwarding: read-only data hopped %d, Outputs %d, chains with a gap %d, "
           "limited by fill/drain %d\n",
           cov.forwarded_read, cov.forwarded_outputs, cov.forward_gap, cov.limited_fill_drain);
    printf("with networks of a width: levels whose cycles a network sets %d, layers limited by "
           "one %d\n",
           cov.network_level, cov.limited_network);
    printf("imperfect factors: %d triples (some instances idle in the last iteration %d, "
           "Outputs shared by the two parts %d); refused as not yet counted %d\n",
           cov.imperfect, cov.imperfect_idle, cov.imperfect_shared, cov.imperfect_refused);
    printf("coverage over %d triples: stride %d, dilation %d, depthwise %d, grouped %d, fc %d, "
           "matmul %d, generic %d (coupled %d), bypass %d, X fan-out %d, Y fan-out %d, "
           "multicast %d (simulated %d), spatial reduction %d (simulated %d), networks crossed "
           "%d (by Outputs refills %d, passing a bypassing child %d), bandwidth-bound levels %d "
           "(with a decimal bandwidth %d), "
           "bandwidth-bound mappings %d (limited by reads %d, writes %d), with finite depths valid "
           "%d and over capacity %d, "
           "storage-less levels %d, storage levels 2/3/4/5: %d/%d/%d/%d\n",
           CASES, cov.stride, cov.dilation, cov.depthwise, cov.grouped, cov.fc, cov.matmul,
           cov.generic, cov.coupled, cov.bypass, cov.fanout_x, cov.fanout_y, cov.multicast,
           cov.sim_multicast, cov.reduction, cov.sim_reduction, cov.network, cov.refill_network,
           cov.refill_passed, cov.bandwidth_level, cov.decimal_bound, cov.bandwidth_bound,
           cov.limited_read, cov.limited_write, cov.capacity_valid, cov.capacity_invalid,
           cov.none_level, cov.storage_levels[2], cov.storage_levels[3], cov.storage_levels[4],
           cov.storage_levels[5]);
    int kinds[] = {cov.stride,
                   cov.dilation,
                   cov.depthwise,
                   cov.grouped,
                   cov.fc,
                   cov.matmul,
                   cov.generic,
                   cov.coupled,
                   cov.bypass,
                   cov.fanout_x,
                   cov.fanout_y,
                   cov.multicast,
                   cov.reduction,
                   cov.sim_multicast,
                   cov.sim_reduction,
                   cov.network,
                   cov.refill_network,
                   cov.refill_passed,
                   cov.bandwidth_level,
                   cov.bandwidth_bound,
                   cov.decimal_bound,
                   cov.limited_read,
                   cov.limited_write,
                   cov.capacity_valid,
                   cov.capacity_invalid,
                   cov.none_level,
                   cov.storage_levels[2],
                   cov.storage_levels[3],
                   cov.storage_levels[4],
                   cov.storage_levels[5],
                   cov.narrower,
                   cov.wider,
                   cov.psum_level,
                   cov.output_level,
                   cov.bit_serial,
                   cov.bits_bound,
                   cov.bits_over,
                   cov.network_level,
                   cov.limited_network,
                   cov.imperfect,
                   cov.imperfect_idle,
                   cov.imperfect_shared,

                   cov.forwarded_read,
                   cov.forwarded_outputs,
                   cov.forward_gap,
                   cov.limited_fill_drain};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        assert_true(kinds[k] >= 20);
}

/* Corner cases of the rules, picked by hand. */
static void test_corner_cases(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    const char *names[] = {"DRAM", "mid", "buf", "pe"};
    const petal_mem_class cls[] = {PETAL_MEM_DRAM, PETAL_MEM_SRAM, PETAL_MEM_SRAM,
                                   PETAL_MEM_REGFILE};
    const uint32_t one[] = {1, 1, 1, 1};

    /* A step that leaves the input window where it was after sliding: R3
     * inside P2 (the window of P2 + R moves by 1, 1, then by 2 - 2 = 0):
     * the window reloads though unchanged. */
    uint64_t b1[] = {4, 3};
    assert_int_equal(nb_problem(&p, "reload", "PR", b1, "R", "P+R", "P"), 0);
    assert_int_equal(nb_chain(&a, 2, names, cls, one, one, 1, 1), 0);
    m.nlevels = 2;
    assert_int_equal(nb_level_mapping(&p, &m.levels[0], "P2 R3", "RP", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "P2", "", "", "", PETAL_KEEP_ALL), 0);
    compare("reload of an unchanged tile", 0, &p, &a, &m, NULL);
    petal_model_result r;
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    assert_int_equal(r.levels[1].ds[PETAL_DS_INPUTS].fills, 8); /* 2+1+1, 2+1+1 */

    /* P split over three levels, each innermost: one continuous slide. */
    uint64_t b2[] = {16, 3};
    assert_int_equal(nb_problem(&p, "slide", "PR", b2, "R", "P+R", "P"), 0);
    assert_int_equal(nb_chain(&a, 3, names, cls, one, one, 1, 1), 0);
    m.nlevels = 3;
    assert_int_equal(nb_level_mapping(&p, &m.levels[0], "P2", "", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "P4", "", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[2], "P2 R3", "RP", "", "", PETAL_KEEP_ALL), 0);
    compare("continuing slide", 0, &p, &a, &m, NULL);

    /* Eyeriss's diagonal: Q across X and S down Y of a storage-less level;
     * input rows Q + S repeat along diagonals, shared within a column only. */
    petal_conv_params c = {.batch = 1,
                           .in_channels = 2,
                           .in_h = 6,
                           .in_w = 6,
                           .out_channels = 2,
                           .kernel_h = 3,
                           .kernel_w = 3};
    assert_int_equal(petal_problem_conv(&p, "diagonal", &c), PETAL_OK);
    const char *n3[] = {"DRAM", "glb", "array", "pe"};
    const petal_mem_class c3[] = {PETAL_MEM_DRAM, PETAL_MEM_SRAM, PETAL_MEM_NONE,
                                  PETAL_MEM_REGFILE};
    const uint32_t mx[] = {1, 1, 4, 4}, my[] = {1, 1, 1, 3};
    assert_int_equal(nb_chain(&a, 4, n3, c3, mx, my, 4, 3), 0);
    m.nlevels = 4;
    assert_int_equal(nb_level_mapping(&p, &m.levels[0], "M2", "", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "C2 P4", "PC", "Q4", "", PETAL_KEEP_ALL),
                     0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[2], "", "", "", "S3", 0), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[3], "R3", "", "", "", PETAL_KEEP_ALL), 0);
    compare("diagonal multicast", 0, &p, &a, &m, NULL);
    /* The same fan-out from one level: Q and S move one rank together, so
     * the 12 children hold 6 distinct input columns. */
    const char *n4[] = {"DRAM", "glb", "pe"};
    const petal_mem_class c4[] = {PETAL_MEM_DRAM, PETAL_MEM_SRAM, PETAL_MEM_REGFILE};
    const uint32_t mx4[] = {1, 1, 4}, my4[] = {1, 1, 3};
    assert_int_equal(nb_chain(&a, 3, n4, c4, mx4, my4, 4, 3), 0);
    m.nlevels = 3;
    assert_int_equal(nb_level_mapping(&p, &m.levels[0], "M2", "", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "C2 P4", "PC", "Q4", "S3",
                                      1u << PETAL_DS_INPUTS | 1u << PETAL_DS_OUTPUTS),
                     0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[2], "R3", "", "", "", PETAL_KEEP_ALL), 0);
    compare("diagonal from one level", 0, &p, &a, &m, NULL);
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    assert_true(fabs(r.levels[1].ds[PETAL_DS_INPUTS].multicast - 2.0) < 1e-12); /* 12 / 6 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corner_cases),
        cmocka_unit_test(test_model_equals_simulator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
