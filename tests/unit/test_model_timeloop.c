/* test_model_timeloop.c - petal on Timeloop's reference runs, read from the
 * real files (support/timeloop_cases.c, support/timeloop_stats.c), beyond
 * the model's counts that test_timeloop_conformance.c compares with every
 * run's stats: the reference simulator, run on every reference small enough
 * for it (the tutorial exercises 00 to 05, twelve runs), must reproduce the
 * outputs and Timeloop's utilised capacity, utilised instances and scalar
 * reads, fills and updates at every level and data space exactly, and the
 * model's spatial reduction on exercise 04's C-partitioned mapping is checked
 * against figures worked by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "petal/model.h"
#include "petal/sim.h"
#include "petal/timeloop.h"
#include "support/mismatch.c"
#include "support/timeloop_cases.c"
#include "support/timeloop_stats.c"

static petal_timeloop_spec spec;

/* The simulator's counts at every level and data space Timeloop lists. */
static void compare_sim(const char *name, const tls_stats *ref, const petal_sim_result *r)
{
    for (int k = 0; k < ref->nlevels; k++) {
        const tls_level *rl = &ref->levels[k];
        if (rl->arith)
            continue;
        int l = petal_arch_level(&spec.arch, rl->name);
        if (l < 0) {
            mismatch("%s: no level %s", name, rl->name);
            continue;
        }
        int listed = 0;
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const tls_ds *x = tls_ds_named(rl, spec.problem.ds[s].name);
            const petal_sim_ds_stats *ds = &r->levels[l].ds[s];
            if (!x)
                continue;
            listed++;
            if (!ds->kept || ds->tile != x->utilized_capacity ||
                ds->instances != x->utilized_instances ||
                ds->reads != x->reads * x->utilized_instances ||
                ds->fills != x->fills * x->utilized_instances ||
                ds->updates != x->updates * x->utilized_instances)
                mismatch("simulator %s %s %s: tile %llu instances %llu reads %llu fills %llu "
                         "updates %llu; Timeloop: %llu %llu %llu %llu %llu (per instance)",
                         name, rl->name, x->name, (unsigned long long)ds->tile,
                         (unsigned long long)ds->instances, (unsigned long long)ds->reads,
                         (unsigned long long)ds->fills, (unsigned long long)ds->updates,
                         (unsigned long long)x->utilized_capacity,
                         (unsigned long long)x->utilized_instances, (unsigned long long)x->reads,
                         (unsigned long long)x->fills, (unsigned long long)x->updates);
        }
        if (listed != rl->nds)
            mismatch("%s %s: Timeloop lists %d data spaces, %d of them petal's", name, rl->name,
                     rl->nds, listed);
    }
}

static void test_simulator_on_references(void **state)
{
    (void)state;
    mismatches = 0;
    int simulated = 0;
    for (size_t i = 0; i < TLC_COUNT; i++) {
        const tlc_case *c = &tlc_cases[i];
        tlc_paths paths;
        tls_stats ref;
        if (tlc_load(c, &paths, &spec) != PETAL_OK || tls_parse(paths.stats, &ref) != 0) {
            mismatch("%s: cannot load: %s", c->name, petal_error_message());
            continue;
        }
        if (ref.computes > 100000)
            continue;
        petal_sim_result r;
        if (petal_sim_run(&spec.problem, &spec.arch, &spec.mapping, NULL, &r) != PETAL_OK) {
            mismatch("%s: %s", c->name, petal_error_message());
            continue;
        }
        if (!r.outputs_match)
            mismatch("%s: %llu outputs differ from the direct evaluation", c->name,
                     (unsigned long long)r.output_mismatches);
        if (r.computes != ref.computes)
            mismatch("%s: simulator %llu computes, Timeloop %llu", c->name,
                     (unsigned long long)r.computes, (unsigned long long)ref.computes);
        compare_sim(c->name, &ref, &r);
        simulated++;
    }
    assert_int_equal(mismatches, 0);
    assert_int_equal(simulated, 12);
}

/* Exercise 04's C-partitioned mapping with the figures quoted by hand, so a
 * damaged reference file cannot hide a regression: it reduces Outputs across
 * 16 PEs in the network. */
static void test_spatial_reduction_by_hand(void **state)
{
    (void)state;
    const tlc_case *c = NULL;
    for (size_t i = 0; i < TLC_COUNT; i++)
        if (strcmp(tlc_cases[i].name, "04-cp") == 0)
            c = &tlc_cases[i];
    assert_non_null(c);
    tlc_paths paths;
    if (tlc_load(c, &paths, &spec) != PETAL_OK)
        fail_msg("%s: %s", c->name, petal_error_message());
    petal_model_result r;
    assert_int_equal(petal_model_eval(&spec.problem, &spec.arch, &spec.mapping, &r), PETAL_OK);
    assert_true(r.valid);
    int main_memory = petal_arch_level(&spec.arch, "MainMemory");
    int global_buffer = petal_arch_level(&spec.arch, "GlobalBuffer");
    assert_true(main_memory >= 0 && global_buffer >= 0);
    const petal_ds_stats *dram = &r.levels[main_memory].ds[PETAL_DS_OUTPUTS];
    const petal_ds_stats *glb = &r.levels[global_buffer].ds[PETAL_DS_OUTPUTS];
    assert_int_equal(dram->updates, 512);      /* 16 partial sums of each output reduced */
    assert_int_equal(glb->updates, 16 * 1024); /* each PE's buffer: 64 tiles of 16 outputs */
    assert_int_equal(glb->reads, 16 * 512);
    assert_true(fabs(dram->spatial_reduction - 16.0) < 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spatial_reduction_by_hand),
        cmocka_unit_test(test_simulator_on_references),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
