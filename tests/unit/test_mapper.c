/* test_mapper.c - petal_map as a user sees it: the best mapping is valid and
 * reloads to the same energy, the answer does not depend on the thread count,
 * a budget leaves a gap, an effort is deterministic and keeps a true bound,
 * impossible requests say why. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mapper/search.h"
#include "petal/eval.h"
#include "petal/mapper.h"
#include "petal/model.h"
#include "petal/network.h"
#include "petal/formats.h"

static void load(petal_network *net, const char *name, petal_arch *a, const char *arch)
{
    assert_int_equal(petal_network_load(name, net), PETAL_OK);
    assert_int_equal(petal_arch_load(arch, a), PETAL_OK);
}

static const petal_problem *layer(const petal_network *net, const char *name)
{
    const petal_problem *p = petal_network_find(net, name, NULL);
    assert_non_null(p);
    return p;
}

/* The best mapping, written in petal's format and read back, evaluates to the
 * energy the mapper reported. */
static void best_reloads_to_the_same_energy(void **state)
{
    (void)state;
    petal_network net;
    petal_arch a;
    load(&net, "alexnet", &a, "eyeriss-v1");
    const petal_problem *p = layer(&net, "conv1");
    petal_map_options o;
    petal_map_options_init(&o);
    o.dataflow = "rs";
    petal_map_result r;
    assert_int_equal(petal_map(p, &a, &o, &r), PETAL_OK);
    assert_true(r.found);
    assert_true(r.complete);
    assert_true(r.stats.valid);
    assert_true(r.lower_bound == r.objective);

    char path[] = "/tmp/petal_map_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_int_equal(petal_mapping_write_yaml(f, p, &a, &r.mapping), PETAL_OK);
    fclose(f);
    petal_mapping back;
    assert_int_equal(petal_mapping_load_yaml(path, p, &a, &back), PETAL_OK);
    remove(path);
    petal_model_result m;
    assert_int_equal(petal_model_eval(p, &a, &back, &m), PETAL_OK);
    assert_true(m.valid);
    assert_true(m.energy_pj == r.objective);
    assert_true(m.energy_pj == r.stats.energy_pj);
    assert_int_equal(m.cycles, r.stats.cycles);
    petal_network_free(&net);
}

/* One thread or several: the same mapping, the same objective. */
static void threads_give_the_same_answer(void **state)
{
    (void)state;
    petal_network net;
    petal_arch a;
    load(&net, "alexnet", &a, "eyeriss-v1");
    const char *cases[][2] = {{"conv1", "rs"}, {"conv1", "nlr"}, {"conv4", "is"}, {"fc8", "ws"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const petal_problem *p = layer(&net, cases[k][0]);
        petal_map_options o;
        petal_map_options_init(&o);
        o.dataflow = cases[k][1];
        petal_map_result one, two, four;
        o.threads = 1;
        assert_int_equal(petal_map(p, &a, &o, &one), PETAL_OK);
        o.threads = 2;
        assert_int_equal(petal_map(p, &a, &o, &two), PETAL_OK);
        o.threads = 4;
        assert_int_equal(petal_map(p, &a, &o, &four), PETAL_OK);
        assert_true(one.found && one.complete && two.complete && four.complete);
        assert_true(one.objective == two.objective && one.objective == four.objective);
        assert_int_equal(search_mapping_cmp(&one.mapping, &two.mapping), 0);
        assert_int_equal(search_mapping_cmp(&one.mapping, &four.mapping), 0);
    }
    petal_network_free(&net);
}

/* Every objective: the best has the least of what was asked. */
static void objectives(void **state)
{
    (void)state;
    petal_network net;
    petal_arch a;
    load(&net, "alexnet", &a, "eyeriss-v1");
    const petal_problem *p = layer(&net, "conv5");
    petal_map_options o;
    petal_map_options_init(&o);
    o.dataflow = "rs";
    o.threads = 2;
    petal_map_result e, d, edp;
    o.objective = PETAL_OBJECTIVE_ENERGY;
    assert_int_equal(petal_map(p, &a, &o, &e), PETAL_OK);
    o.objective = PETAL_OBJECTIVE_DELAY;
    assert_int_equal(petal_map(p, &a, &o, &d), PETAL_OK);
    o.objective = PETAL_OBJECTIVE_EDP;
    assert_int_equal(petal_map(p, &a, &o, &edp), PETAL_OK);
    assert_true(e.complete && d.complete && edp.complete);
    assert_true(e.stats.energy_pj <= d.stats.energy_pj);
    assert_true(e.stats.energy_pj <= edp.stats.energy_pj);
    assert_true(d.stats.cycles <= e.stats.cycles);
    assert_true(d.objective == (double)d.stats.cycles);
    assert_true(edp.objective <= e.stats.energy_pj * (double)e.stats.cycles);
    assert_true(edp.objective <= d.stats.energy_pj * (double)d.stats.cycles);
    petal_network_free(&net);
}

/* A budget of 0 stops before any search: a lower bound, no proof. */
static void budget_zero_reports_a_gap(void **state)
{
    (void)state;
    petal_network net;
    petal_arch a;
    load(&net, "alexnet", &a, "eyeriss-v1");
    petal_map_options o;
    petal_map_options_init(&o);
    o.budget_seconds = 0;
    petal_map_result r;
    assert_int_equal(petal_map(layer(&net, "conv2"), &a, &o, &r), PETAL_OK);
    assert_false(r.complete);
    assert_false(r.found);
    assert_true(r.lower_bound > 0);
    assert_true(petal_map_gap(&r) > 0);
    assert_non_null(strstr(r.why, "budget"));
    /* A short budget on the whole mapspace: something found, not proven. */
    o.budget_seconds = 0.2;
    assert_int_equal(petal_map(layer(&net, "conv2"), &a, &o, &r), PETAL_OK);
    assert_true(r.found);
    assert_false(r.complete);
    assert_true(r.lower_bound < r.objective);
    assert_true(petal_map_gap(&r) > 0 && petal_map_gap(&r) < 1);
    petal_network_free(&net);
}

/* An effort (the deterministic budget): a search it cuts says so, keeps a
 * lower bound at or below the proven optimum and a best at or above it, and
 * gives the same mapping, bound and counts on 1, 2 and 3 threads; an effort
 * large enough to finish proves the same mapping as a search without one. */
static void effort_is_deterministic_and_bounded(void **state)
{
    (void)state;
    petal_network net;
    petal_arch a;
    load(&net, "lenet5", &a, "eyeriss-v1");
    const petal_problem *p = layer(&net, "fc1");
    petal_map_options o;
    petal_map_options_init(&o);
    o.threads = 2;
    static petal_map_result opt, r[3];
    assert_int_equal(petal_map(p, &a, &o, &opt), PETAL_OK);
    assert_true(opt.found && opt.complete);
    assert_int_equal(opt.stopped_by, PETAL_LIMIT_NONE);

    o.effort = 20000;
    for (unsigned t = 0; t < 3; t++) {
        o.threads = t + 1;
        assert_int_equal(petal_map(p, &a, &o, &r[t]), PETAL_OK);
        assert_true(r[t].found);
        assert_false(r[t].complete);
        assert_int_equal(r[t].stopped_by, PETAL_LIMIT_EFFORT);
        assert_true(r[t].lower_bound <= opt.objective);
        assert_true(r[t].objective >= opt.objective);
        /* About the effort: its shares are rounded up, and a task stops at
         * its next check. */
        assert_true(r[t].evaluated + r[t].bounded <= 2 * o.effort);
        if (t > 0) {
            assert_true(r[t].objective == r[0].objective);
            assert_true(r[t].lower_bound == r[0].lower_bound);
            assert_int_equal(search_mapping_cmp(&r[t].mapping, &r[0].mapping), 0);
            assert_int_equal(r[t].evaluated, r[0].evaluated);
            assert_int_equal(r[t].bounded, r[0].bounded);
        }
    }

    o.effort = 1000000;
    o.threads = 2;
    assert_int_equal(petal_map(p, &a, &o, &r[0]), PETAL_OK);
    assert_true(r[0].complete);
    assert_int_equal(r[0].stopped_by, PETAL_LIMIT_NONE);
    assert_true(r[0].objective == opt.objective && r[0].lower_bound == opt.objective);
    assert_int_equal(search_mapping_cmp(&r[0].mapping, &opt.mapping), 0);
    petal_network_free(&net);
}

/* Requests that cannot be met say why, without failing the call. */
static void impossible_requests_say_why(void **state)
{
    (void)state;
    petal_network net;
    petal_arch a;
    load(&net, "alexnet", &a, "eyeriss-v1");
    petal_map_options o;
    petal_map_options_init(&o);
    petal_map_result r;

    /* Row stationary needs all filter rows down the array's Y axis. */
    petal_arch small = a;
    small.levels[2].mesh_y = small.levels[3].mesh_y = small.levels[4].mesh_y = 4;
    small.levels[2].instances = small.levels[3].instances = small.levels[4].instances = 56;
    small.arith.mesh_y = 4;
    small.arith.instances = 56;
    assert_int_equal(petal_arch_check(&small), PETAL_OK);
    o.dataflow = "rs";
    assert_int_equal(petal_map(layer(&net, "conv2"), &small, &o, &r), PETAL_OK);
    assert_false(r.found);
    assert_non_null(strstr(r.why, "Y"));
    assert_non_null(strstr(r.why, "R"));

    /* A layer that fits no buffer: take DRAM away. */
    petal_arch no_dram = a;
    no_dram.nlevels = 4;
    memmove(&no_dram.levels[0], &no_dram.levels[1], 4 * sizeof no_dram.levels[0]);
    assert_int_equal(petal_arch_check(&no_dram), PETAL_OK);
    o.dataflow = NULL;
    assert_int_equal(petal_map(layer(&net, "conv2"), &no_dram, &o, &r), PETAL_OK);
    assert_false(r.found);
    assert_true(r.complete);
    assert_non_null(strstr(r.why, "glb"));
    assert_non_null(strstr(r.why, "whole layer"));

    /* A dataflow keeping weights in PEs that cannot hold them. */
    petal_arch no_filter = a;
    no_filter.levels[3].may_keep = 0;
    o.dataflow = "ws";
    assert_int_equal(petal_map(layer(&net, "conv3"), &no_filter, &o, &r), PETAL_OK);
    assert_false(r.found);
    assert_non_null(strstr(r.why, "Weights"));

    /* An unknown dataflow is the caller's error. */
    o.dataflow = "xs";
    assert_int_equal(petal_map(layer(&net, "conv3"), &a, &o, &r), PETAL_ENOTFOUND);
    petal_network_free(&net);
}

/* The main job: identical shapes mapped once, totals add up, a layer with no
 * mapping is reported and the others still are. */
static void eval_network(void **state)
{
    (void)state;
    petal_network net;
    petal_arch a;
    load(&net, "lenet5", &a, "eyeriss-v1");
    petal_map_options o;
    petal_map_options_init(&o);
    o.dataflow = "rs";
    o.threads = 2;
    petal_eval_result r;
    assert_int_equal(petal_eval_network(&net, &a, &o, NULL, NULL, &r), PETAL_OK);
    assert_int_equal(r.nlayers, net.nlayers);
    assert_int_equal(r.unmapped, 0);
    double energy = 0;
    uint64_t macs = 0;
    for (size_t i = 0; i < r.nlayers; i++) {
        assert_true(r.layers[i].map.found);
        energy += r.layers[i].map.stats.energy_pj;
        macs += r.layers[i].map.stats.computes;
        const petal_energy_split *e = &r.layers[i].split;
        double sum = e->dram_pj + e->buffer_pj + e->noc_pj + e->rf_pj + e->mac_pj;
        assert_true(sum > 0.999999 * r.layers[i].map.stats.energy_pj &&
                    sum < 1.000001 * r.layers[i].map.stats.energy_pj);
    }
    assert_true(energy == r.energy_pj);
    assert_int_equal(macs, r.macs);
    assert_int_equal(macs, 416520);
    petal_eval_free(&r);

    /* Two identical layers, one search; a layer too big for a DRAM-less
     * hierarchy is reported, the small ones mapped. */
    petal_network two;
    petal_network_init(&two, "two");
    petal_problem p;
    assert_int_equal(petal_problem_fc(&p, "a", 1, 64, 16), PETAL_OK);
    assert_int_equal(petal_network_add(&two, &p), PETAL_OK);
    assert_int_equal(petal_problem_fc(&p, "b", 1, 64, 16), PETAL_OK);
    assert_int_equal(petal_network_add(&two, &p), PETAL_OK);
    assert_int_equal(petal_problem_fc(&p, "huge", 1, 4096, 4096), PETAL_OK);
    assert_int_equal(petal_network_add(&two, &p), PETAL_OK);
    petal_arch no_dram = a;
    no_dram.nlevels = 4;
    memmove(&no_dram.levels[0], &no_dram.levels[1], 4 * sizeof no_dram.levels[0]);
    o.dataflow = NULL;
    assert_int_equal(petal_eval_network(&two, &no_dram, &o, NULL, NULL, &r), PETAL_OK);
    assert_int_equal(r.searches, 2);
    assert_int_equal(r.layers[1].same_as, 0);
    assert_true(r.layers[0].map.found && r.layers[1].map.found);
    assert_false(r.layers[2].map.found);
    assert_int_equal(r.unmapped, 1);
    assert_int_equal(r.macs, 2 * 64 * 16);
    petal_eval_free(&r);
    petal_network_free(&two);
    petal_network_free(&net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(best_reloads_to_the_same_energy),
        cmocka_unit_test(threads_give_the_same_answer),
        cmocka_unit_test(objectives),
        cmocka_unit_test(budget_zero_reports_a_gap),
        cmocka_unit_test(effort_is_deterministic_and_bounded),
        cmocka_unit_test(impossible_requests_say_why),
        cmocka_unit_test(eval_network),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
