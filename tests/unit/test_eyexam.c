/* test_eyexam.c - Eyexam's seven bounds (petal/eyexam.h): they never
 * increase, the mapper's mappings never beat them, the worked layer of
 * docs/eyexam.md gives the numbers derived there by hand, and on the
 * two-tower AlexNet the Eyeriss v1 chip's published figures fit under them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "petal/eyexam.h"
#include "petal/network.h"

static void zoo_layer(const char *net_name, uint64_t batch, const char *layer, petal_problem *p)
{
    petal_network net;
    if (petal_zoo_build(net_name, &net))
        fail_msg("%s: %s", net_name, petal_error_message());
    if (batch > 1 && petal_network_set_batch(&net, batch))
        fail_msg("batch: %s", petal_error_message());
    const petal_problem *found = petal_network_find(&net, layer, NULL);
    if (!found)
        fail_msg("%s has no layer %s", net_name, layer);
    *p = *found;
    petal_network_free(&net);
}

static void preset(const char *name, petal_arch *a)
{
    if (petal_arch_preset(name, a))
        fail_msg("%s: %s", name, petal_error_message());
}

/* Seven steps, numbered, named, explained, never increasing; a limiting step
 * is below the step before, a non-limiting one equal to it. */
static void check_shape(const petal_eyexam_result *r)
{
    for (int k = 0; k < PETAL_EYEXAM_STEPS; k++) {
        const petal_eyexam_step *s = &r->steps[k];
        assert_int_equal(s->step, k + 1);
        assert_non_null(s->name);
        assert_string_equal(s->name, petal_eyexam_step_name(k + 1));
        assert_true(strlen(s->limited_by) > 0);
        assert_true(s->macs_per_cycle >= 0);
        if (k > 0) {
            double prev = r->steps[k - 1].macs_per_cycle;
            assert_true(s->macs_per_cycle <= prev);
            if (s->limiting)
                assert_true(s->macs_per_cycle < prev);
            else
                assert_true(s->macs_per_cycle == prev);
        }
    }
}

/* A quick search: any valid mapping must stay under the bounds, so a short
 * budget is enough. Whether it finds a mapping in that time depends on the
 * machine, so callers check the bounds against best only when best_found. */
static void search(const petal_problem *p, const petal_arch *a, const char *df,
                   petal_eyexam_result *r)
{
    petal_map_options o;
    petal_map_options_init(&o);
    o.objective = PETAL_OBJECTIVE_DELAY;
    o.dataflow = df;
    o.budget_seconds = 0.05;
    if (petal_eyexam(p, a, &o, r))
        fail_msg("eyexam %s on %s: %s", p->name, a->name, petal_error_message());
}

static void alexnet_rs_on_eyeriss_v1(void **state)
{
    (void)state;
    petal_arch a;
    preset("eyeriss-v1", &a);
    const char *layers[] = {"conv1", "conv2", "conv3", "conv4", "conv5"};
    for (size_t i = 0; i < 5; i++) {
        petal_problem p;
        zoo_layer("alexnet", 1, layers[i], &p);
        /* A search run to its end (the least energy-delay product is proven
         * in seconds here), so a mapping is always found. */
        petal_map_options o;
        petal_map_options_init(&o);
        o.objective = PETAL_OBJECTIVE_EDP;
        o.dataflow = "rs";
        o.budget_seconds = -1;
        petal_eyexam_result r;
        if (petal_eyexam(&p, &a, &o, &r))
            fail_msg("eyexam %s: %s", p.name, petal_error_message());
        check_shape(&r);
        assert_true(r.searched && r.best_found && r.best_complete);
        assert_true(r.best_macs_per_cycle > 0);
        assert_true(r.best_macs_per_cycle <= r.steps[6].macs_per_cycle * (1 + 1e-12));
        /* Step 3 is the chip's 168 MAC units, limiting for every CONV layer. */
        assert_true(r.steps[2].limiting);
        assert_true(r.steps[2].macs_per_cycle == 168);
    }
}

/* docs/eyexam.md's worked layer: AlexNet (torchvision) CONV1 on eyeriss-v1
 * under row stationary, each figure derived there by hand from the layer
 * (N1 M64 C3 P55 Q55 R11 S11) and the chip (14x12 PEs, DRAM 1.2 words/cycle). */
static void worked_layer(void **state)
{
    (void)state;
    petal_arch a;
    preset("eyeriss-v1", &a);
    petal_problem p;
    zoo_layer("alexnet", 1, "conv1", &p);
    petal_eyexam_result r;
    if (petal_eyexam_bounds(&p, &a, "rs", &r))
        fail_msg("%s", petal_error_message());
    check_shape(&r);
    assert_false(r.searched);
    /* 1: 64 * 3 * 55 * 55 * 11 * 11. */
    assert_true(r.steps[0].macs_per_cycle == 70276800.0);
    /* 2: rs spreads N, M, C, P and R: 1 * 64 * 3 * 55 * 11. */
    assert_true(r.steps[1].macs_per_cycle == 116160.0);
    /* 3: 168 PEs. */
    assert_true(r.steps[2].macs_per_cycle == 168.0);
    /* 4: R = 11 fills 11 of the 12 rows (no room to repeat it); the 14
     * columns take P = 55 in 4 passes (55 / 4 = 13.75 on average): 151.25,
     * with at most 11 * 14 = 154 PEs busy at once. */
    assert_true(r.steps[3].macs_per_cycle == 151.25);
    assert_int_equal(r.step4_pes, 154);
    /* 5: the scratchpads hold the smallest tiles (a filter row of 11 in the
     * 12-word ifmap spad): not limiting. */
    assert_false(r.steps[4].limiting);
    /* 6: DRAM writes every output once: 193600 / 1.2 = 161333 cycles, so at
     * most 70276800 / 161333.3 = 435.6 MACs/cycle: not limiting. */
    assert_false(r.steps[5].limiting);
    assert_true(r.steps[5].cap > 435.5 && r.steps[5].cap < 435.7);
    /* 7: the PEs keep all three data spaces: nothing is delivered per MAC. */
    assert_false(r.steps[6].limiting);
    assert_true(r.steps[6].macs_per_cycle == 151.25);
}

/* Steps 6 and 7 limit where they should, with numbers derived by hand. */
static void bandwidth_steps(void **state)
{
    (void)state;
    petal_arch a;
    preset("eyeriss-v1", &a);
    petal_problem p;
    petal_eyexam_result r;
    /* FC6: every weight (37748736) and input (9216) read once from DRAM at
     * 1.2 words/cycle: 37748736 / (37757952 / 1.2) = 1.19971 MACs/cycle. */
    zoo_layer("alexnet", 1, "fc6", &p);
    search(&p, &a, "rs", &r);
    check_shape(&r);
    assert_true(r.steps[5].limiting);
    assert_true(strstr(r.steps[5].limited_by, "DRAM") != NULL);
    assert_true(fabs(r.steps[5].macs_per_cycle - 37748736.0 / (37757952.0 / 1.2)) < 1e-9);
    assert_true(!r.best_found || r.best_macs_per_cycle <= r.steps[6].macs_per_cycle);
    /* CONV1 under os_a: the PEs keep only partial sums and the array spreads
     * output pixels, so the inputs (stride 4: few shared between PEs) come
     * from the global buffer at 9 words/cycle: step 7 limits, below step 6. */
    zoo_layer("alexnet", 1, "conv1", &p);
    search(&p, &a, "os_a", &r);
    check_shape(&r);
    assert_true(r.steps[6].limiting);
    assert_true(strstr(r.steps[6].limited_by, "Inputs reach the MACs from glb") != NULL);
    assert_true(!r.best_found || r.best_macs_per_cycle <= r.steps[6].macs_per_cycle);
}

/* Every preset, dataflow and a CONV and an FC layer: bounds in shape and the
 * mapper's mapping under them. */
static void mappings_never_beat_the_bounds(void **state)
{
    (void)state;
    const char *archs[] = {"eyeriss-v1", "eyeriss-256", "simple-ws", "simple-os"};
    const char *layers[] = {"conv2", "fc8"};
    for (size_t ai = 0; ai < 4; ai++) {
        petal_arch a;
        preset(archs[ai], &a);
        for (size_t d = 0; d < petal_dataflow_count(); d++)
            for (size_t li = 0; li < 2; li++) {
                petal_problem p;
                zoo_layer("alexnet", 1, layers[li], &p);
                petal_eyexam_result r;
                search(&p, &a, petal_dataflow_name(d), &r);
                check_shape(&r);
                if (r.best_found &&
                    !(r.best_macs_per_cycle <= r.steps[6].macs_per_cycle * (1 + 1e-12)))
                    fail_msg("%s %s %s: best %g above step 7 %g", archs[ai], petal_dataflow_name(d),
                             layers[li], r.best_macs_per_cycle, r.steps[6].macs_per_cycle);
            }
    }
}

/* The Eyeriss v1 chip on the network it ran (the two-tower AlexNet, batch 4,
 * ../shared/reference/eyeriss.md; the per-layer table there is marked [U],
 * recalled, so it is used for inequalities only, never as exact values).
 * "Consistent with step 4" means:
 *   - the chip's active PEs per layer never exceed the PEs that step 4 lets
 *     a row-stationary spread keep busy at once on the same 12 x 14 array
 *     (the chip's mapping is one such spread), nor the 168 PEs;
 *   - the chip's measured throughput per layer (MACs of the batch over its
 *     processing time at 200 MHz) stays under the seventh bound: no real run
 *     beats an upper bound. */
static void eyeriss_v1_chip_fits_under_the_bounds(void **state)
{
    (void)state;
    petal_arch a;
    preset("eyeriss-v1", &a);
    const char *layers[] = {"conv1", "conv2", "conv3", "conv4", "conv5"};
    const unsigned active_pes[] = {154, 135, 156, 156, 156};
    const double processing_ms[] = {16.5, 39.2, 21.8, 16.0, 10.0};
    const double mmacs_per_image[] = {105.4, 223.9, 149.5, 112.1, 74.8};
    for (size_t i = 0; i < 5; i++) {
        petal_problem p;
        zoo_layer("alexnet-2012", 4, layers[i], &p);
        petal_eyexam_result r;
        if (petal_eyexam_bounds(&p, &a, "rs", &r))
            fail_msg("%s", petal_error_message());
        check_shape(&r);
        if (!(active_pes[i] <= r.step4_pes && r.step4_pes <= 168))
            fail_msg("%s: the chip keeps %u PEs busy, step 4 allows %llu", layers[i], active_pes[i],
                     (unsigned long long)r.step4_pes);
        double chip = 4.0 * mmacs_per_image[i] * 1e6 / (processing_ms[i] * 1e-3 * 200e6);
        if (!(chip <= r.steps[6].macs_per_cycle))
            fail_msg("%s: the chip runs %.1f MACs/cycle, above step 7's %.1f", layers[i], chip,
                     r.steps[6].macs_per_cycle);
    }
}

static void bad_arguments(void **state)
{
    (void)state;
    petal_arch a;
    preset("eyeriss-v1", &a);
    petal_problem p;
    zoo_layer("alexnet", 1, "conv1", &p);
    petal_eyexam_result r;
    assert_int_equal(petal_eyexam_bounds(&p, &a, "sideways", &r), PETAL_ENOTFOUND);
    assert_true(strstr(petal_error_message(), "sideways") != NULL);
    /* A dataflow the architecture cannot hold is a result, not a failure:
     * step 2 says why and everything after it is 0. */
    petal_arch one = a;
    one.nlevels = 2; /* DRAM and the buffer feeding the 168 MACs: no PE storage */
    assert_int_equal(petal_eyexam_bounds(&p, &one, "rs", &r), PETAL_OK);
    check_shape(&r);
    assert_true(r.steps[1].macs_per_cycle == 0);
    assert_true(strstr(r.steps[1].limited_by, "PE storage") != NULL);
    assert_true(r.steps[6].macs_per_cycle == 0);
    assert_null(petal_eyexam_step_name(0));
    assert_null(petal_eyexam_step_name(8));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(worked_layer),
        cmocka_unit_test(alexnet_rs_on_eyeriss_v1),
        cmocka_unit_test(bandwidth_steps),
        cmocka_unit_test(mappings_never_beat_the_bounds),
        cmocka_unit_test(eyeriss_v1_chip_fits_under_the_bounds),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
