/* test_eyeriss_rs.c - the Eyeriss v1 row-stationary mapping construction: the
 * chip's AlexNet mappings are valid for the model, use the PEs the chip reports,
 * and the model's counts equal the closed-form counts of the RS loop nest; bad
 * parameters are refused with a reason; the run-length coding ratio. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "petal/arch.h"
#include "petal/model.h"
#include "petal/network.h"
#include "petal/study.h"

typedef struct fixture {
    petal_network net;
    petal_arch chip;
    petal_rs_plan plan;
    petal_model_result results[PETAL_RS_MAX_SEGMENTS];
} fixture;

static const char *const conv_names[5] = {"conv1", "conv2", "conv3", "conv4", "conv5"};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || petal_zoo_build("alexnet-2012", &f->net) || petal_network_set_batch(&f->net, 4) ||
        petal_arch_preset("eyeriss-v1", &f->chip))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    petal_network_free(&f->net);
    free(f);
    return 0;
}

static const petal_problem *layer(fixture *f, int i)
{
    const petal_problem *p = petal_network_find(&f->net, conv_names[i], NULL);
    assert_non_null(p);
    return p;
}

static uint64_t dim(const petal_problem *p, const char *name)
{
    int d = petal_problem_dim(p, name);
    return d < 0 ? 1 : p->bounds[d];
}

/* The chip's mappings use the PEs the chip reports, fold CONV2's 27-row set in
 * two, and cut CONV1's 55 output rows into strips of 7 plus one of 6. */
static void test_active_pes(void **state)
{
    fixture *f = *state;
    const uint64_t pes[5] = {154, 135, 156, 156, 156};
    const uint32_t folds[5] = {1, 2, 1, 1, 1};
    const int segments[5] = {2, 1, 1, 1, 1};
    for (int i = 0; i < 5; i++) {
        petal_rs_params rs;
        assert_int_equal(petal_eyeriss_alexnet_params((size_t)i, &rs), PETAL_OK);
        assert_int_equal(petal_rs_plan_build(layer(f, i), &f->chip, &rs, &f->plan), PETAL_OK);
        assert_int_equal(f->plan.active_pes, pes[i]);
        assert_int_equal(f->plan.fold, folds[i]);
        assert_int_equal(f->plan.nsegments, segments[i]);
        assert_true(f->plan.set_x <= f->plan.arch.levels[2].mesh_x);
        assert_true(f->plan.set_y <= f->plan.arch.levels[2].mesh_y);
        assert_true(f->plan.active_pes <= f->chip.arith.instances);
    }
    /* CONV1: 7 strips of 7 rows on 154 PEs, then 6 rows on 11 x 6 x 2 = 132. */
    petal_rs_params rs;
    petal_eyeriss_alexnet_params(0, &rs);
    petal_rs_plan_build(layer(f, 0), &f->chip, &rs, &f->plan);
    assert_int_equal(f->plan.segments[0].strips, 7);
    assert_int_equal(f->plan.segments[0].strip_rows, 7);
    assert_int_equal(f->plan.segments[1].first_row, 49);
    assert_int_equal(f->plan.segments[1].strip_rows, 6);
    assert_int_equal(f->plan.segments[1].active_pes, 132);
    /* The folded CONV2 sees the 168 PEs as 28 x 6. */
    petal_eyeriss_alexnet_params(1, &rs);
    petal_rs_plan_build(layer(f, 1), &f->chip, &rs, &f->plan);
    assert_int_equal(f->plan.arch.levels[2].mesh_x, 28);
    assert_int_equal(f->plan.arch.levels[2].mesh_y, 6);
    assert_int_equal(f->plan.arch.arith.instances, 168);
}

/* Every factor of every dimension multiplies to the segment's bound, and each
 * segment's rows add up to the layer's. */
static void test_factors(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 5; i++) {
        const petal_problem *l = layer(f, i);
        petal_rs_params rs;
        petal_eyeriss_alexnet_params((size_t)i, &rs);
        assert_int_equal(petal_rs_plan_build(l, &f->chip, &rs, &f->plan), PETAL_OK);
        uint64_t rows = 0;
        for (int s = 0; s < f->plan.nsegments; s++) {
            const petal_rs_segment *seg = &f->plan.segments[s];
            rows += dim(&seg->problem, "P");
            for (int d = 0; d < seg->problem.ndims; d++) {
                uint64_t prod = 1;
                for (int lv = 0; lv < seg->mapping.nlevels; lv++) {
                    const petal_level_mapping *lm = &seg->mapping.levels[lv];
                    prod *= lm->temporal[d] * lm->spatial_x[d] * lm->spatial_y[d];
                }
                assert_int_equal(prod, seg->problem.bounds[d]);
            }
        }
        assert_int_equal(rows, dim(l, "P"));
    }
}

/* Closed-form counts of the RS loop nest for one segment (16-bit words):
 *   DRAM weights: every pass loads its filters, so the weights once per image
 *     group and strip;
 *   DRAM ifmaps:  each strip's rows for every group of m filters;
 *   buffer ifmaps read: once per filter group of p x t (the array reads the
 *     pass's ifmaps once, multicast to every PE that needs a word);
 *   buffer psums updated: once per channel group of q x r. */
static void expect_counts(const petal_rs_segment *seg, const petal_rs_params *rs,
                          const petal_model_result *r)
{
    const petal_problem *p = &seg->problem;
    uint64_t G = dim(p, "G"), N = dim(p, "N"), M = dim(p, "M"), C = dim(p, "C"), P = dim(p, "P"),
             Q = dim(p, "Q"), R = dim(p, "R"), S = dim(p, "S");
    uint64_t U = p->source.conv.stride_h ? (uint64_t)p->source.conv.stride_h : 1;
    uint64_t W = (Q - 1) * U + S;                  /* input columns, padding included */
    uint64_t rows = (seg->strip_rows - 1) * U + R; /* input rows of one strip */
    uint64_t weights = G * (N / rs->n) * seg->strips * M * C * R * S;
    uint64_t ifmaps = G * N * (M / rs->m) * C * seg->strips * rows * W;
    uint64_t ofmaps = G * N * M * P * Q;
    uint64_t psum_updates = ofmaps * (C / (rs->q * rs->r));
    const petal_level_stats *dram = &r->levels[0], *glb = &r->levels[1];
    assert_int_equal(dram->ds[PETAL_DS_WEIGHTS].reads, weights);
    assert_int_equal(dram->ds[PETAL_DS_INPUTS].reads, ifmaps);
    assert_int_equal(dram->ds[PETAL_DS_OUTPUTS].updates, ofmaps);
    assert_int_equal(glb->ds[PETAL_DS_WEIGHTS].reads, 0);
    assert_int_equal(glb->ds[PETAL_DS_INPUTS].fills, ifmaps);
    assert_int_equal(glb->ds[PETAL_DS_INPUTS].reads, ifmaps * (rs->m / (rs->p * rs->t)));
    assert_int_equal(glb->ds[PETAL_DS_OUTPUTS].updates, psum_updates);
    assert_int_equal(r->computes, petal_problem_macs(p));
    /* Every MAC runs on a PE of the plan: passes x active PEs x MACs per PE. */
    assert_int_equal(seg->passes * seg->active_pes * seg->pe_macs_per_pass, r->computes);
}

static void test_model_counts(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < 5; i++) {
        petal_rs_params rs;
        petal_eyeriss_alexnet_params((size_t)i, &rs);
        assert_int_equal(petal_rs_plan_build(layer(f, i), &f->chip, &rs, &f->plan), PETAL_OK);
        assert_int_equal(petal_rs_plan_eval(&f->plan, f->results), PETAL_OK);
        for (int s = 0; s < f->plan.nsegments; s++) {
            const petal_model_result *r = &f->results[s];
            if (!r->valid)
                fail_msg("%s segment %d invalid: %s", conv_names[i], s, r->why);
            assert_int_equal(r->utilized_macs, f->plan.segments[s].active_pes);
            expect_counts(&f->plan.segments[s], &rs, r);
        }
    }
}

/* Latency: MACs, filter loads and bus stalls add up; CONV3's 64 filters' psums
 * per pass outrun the 64-bit psum bus, the other layers are MAC-bound. */
static void test_timing(void **state)
{
    fixture *f = *state;
    petal_rs_noc noc;
    petal_rs_noc_eyeriss_v1(&f->chip, &noc);
    assert_true(noc.ifmap == 1 && noc.filter == 4 && noc.psum_in == 4 && noc.psum_out == 4);
    /* The rates are the preset's buses: a wider ifmap bus there is a wider one here. */
    petal_arch wide = f->chip;
    wide.levels[1].network_bits[PETAL_DS_INPUTS] = 32;
    petal_rs_noc noc2;
    petal_rs_noc_eyeriss_v1(&wide, &noc2);
    assert_true(noc2.ifmap == 2 && noc2.filter == 4);
    for (int i = 0; i < 5; i++) {
        petal_rs_params rs;
        petal_rs_timing t;
        petal_eyeriss_alexnet_params((size_t)i, &rs);
        assert_int_equal(petal_rs_plan_build(layer(f, i), &f->chip, &rs, &f->plan), PETAL_OK);
        assert_int_equal(petal_rs_plan_eval(&f->plan, f->results), PETAL_OK);
        assert_int_equal(petal_rs_timing_eval(&f->plan, f->results, &noc, &t), PETAL_OK);
        double macs_per_pe = 0;
        for (int s = 0; s < f->plan.nsegments; s++)
            macs_per_pe +=
                (double)(f->plan.segments[s].passes * f->plan.segments[s].pe_macs_per_pass);
        assert_true(fabs(t.mac_cycles - macs_per_pe) < 0.5);
        assert_true(fabs(t.array_cycles - (t.mac_cycles + t.filter_cycles + t.noc_stall_cycles)) <
                    1e-6 * t.array_cycles);
        assert_true(t.filter_cycles > 0);
        assert_true(t.cycles >= t.array_cycles && t.cycles >= t.dram_cycles);
        assert_string_equal(t.bound, i == 2 ? "psum bus" : "MACs");
    }
}

/* docs/eyeriss.md: CONV3 with (r, t) = (2, 2) instead of the chip's (1, 4) moves
 * 41.0 MB through the buffer in 20.3 ms; with (4, 1) its tiles overflow the buffer. */
static void test_conv3_alternatives(void **state)
{
    fixture *f = *state;
    petal_rs_noc noc;
    petal_rs_noc_eyeriss_v1(&f->chip, &noc);
    petal_rs_params rs;
    petal_eyeriss_alexnet_params(2, &rs);
    rs.r = 2, rs.t = 2;
    petal_rs_timing t;
    assert_int_equal(petal_rs_plan_build(layer(f, 2), &f->chip, &rs, &f->plan), PETAL_OK);
    assert_int_equal(petal_rs_plan_eval(&f->plan, f->results), PETAL_OK);
    assert_int_equal(petal_rs_timing_eval(&f->plan, f->results, &noc, &t), PETAL_OK);
    double words = 0;
    for (int ds = 0; ds < PETAL_NUM_DS; ds++)
        words +=
            (double)(f->results[0].levels[1].ds[ds].reads + f->results[0].levels[1].ds[ds].fills +
                     f->results[0].levels[1].ds[ds].updates);
    assert_true(fabs(words * 2 / 1e6 - 41.0) < 0.05);
    assert_true(fabs(t.cycles / 200e6 * 1e3 - 20.3) < 0.05);
    assert_string_equal(t.bound, "MACs");
    rs.r = 4, rs.t = 1;
    assert_int_equal(petal_rs_plan_build(layer(f, 2), &f->chip, &rs, &f->plan), PETAL_OK);
    assert_int_equal(petal_rs_plan_eval(&f->plan, f->results), PETAL_OK);
    assert_false(f->results[0].valid);
    assert_int_equal(f->results[0].reason, PETAL_INVALID_CAPACITY);
    assert_int_equal(f->results[0].invalid_level, 1);
}

static void expect_refused(fixture *f, int i, petal_rs_params rs, const char *why)
{
    assert_int_equal(petal_rs_plan_build(layer(f, i), &f->chip, &rs, &f->plan), PETAL_EINVAL);
    if (!strstr(petal_error_message(), why))
        fail_msg("expected '%s' in: %s", why, petal_error_message());
}

static void test_refusals(void **state)
{
    fixture *f = *state;
    petal_rs_params c1, c3;
    petal_eyeriss_alexnet_params(0, &c1);
    petal_eyeriss_alexnet_params(2, &c3);
    petal_rs_params bad = c3;
    bad.p = 32, bad.t = 2;
    expect_refused(f, 2, bad, "p <= 24");
    bad = c3, bad.q = 8, bad.r = 1;
    expect_refused(f, 2, bad, "q <= 4");
    bad = c1, bad.p = 24, bad.t = 4;
    expect_refused(f, 0, bad, "filter weights exceed");
    bad = c3, bad.n = 3;
    expect_refused(f, 2, bad, "does not divide the batch");
    bad = c3, bad.m = 48;
    expect_refused(f, 2, bad, "p x t | m | M");
    bad = c3, bad.t = 8, bad.m = 128;
    expect_refused(f, 2, bad, "do not fit");
    bad = c3, bad.e = 14;
    expect_refused(f, 2, bad, "exceeds the 13 output rows");
    bad = c3, bad.r = 0;
    expect_refused(f, 2, bad, "at least 1");
    /* An FC layer is no convolution for the RS primitive. */
    const petal_problem *fc = petal_network_find(&f->net, "fc6", NULL);
    assert_non_null(fc);
    assert_int_equal(petal_rs_plan_build(fc, &f->chip, &c3, &f->plan), PETAL_EINVAL);
    /* Nor is an architecture without three scratchpads per PE. */
    petal_arch other;
    assert_int_equal(petal_arch_preset("eyeriss-256", &other), PETAL_OK);
    assert_int_equal(petal_rs_plan_build(layer(f, 2), &other, &c3, &f->plan), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "eyeriss-v1 structure"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_active_pes),         cmocka_unit_test(test_factors),
        cmocka_unit_test(test_model_counts),       cmocka_unit_test(test_timing),
        cmocka_unit_test(test_conv3_alternatives), cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
