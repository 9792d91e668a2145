/* test_timeloop_conformance.c - petal's model on Timeloop's reference runs:
 * for every model exercise (00 to 04, nine mappings) and every mapper result
 * (05 baked, freebypass, null; 06; the four example designs), the computes,
 * the cycles and, at every level for every data space, the partition size,
 * the utilised capacity, the scalar reads, fills and updates per instance,
 * the utilised instances and the totals (per instance x utilised instances)
 * equal Timeloop's stats exactly, and petal keeps a data space exactly where
 * Timeloop does; the total energy (so the energy per compute) is within 0.5%. Also: the exercises' original arch/, map/ and
 * prob/ files evaluate, and where they describe the same hardware as the
 * processed input (00 to 03, 06 and the example designs with the mapper's
 * mapping) they give the same counts. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "petal/model.h"
#include "petal/timeloop.h"
#include "support/mismatch.c"
#include "support/timeloop_cases.c"
#include "support/timeloop_stats.c"

static petal_timeloop_spec spec;
static petal_model_result result;

static void check_count(const char *where, const char *what, uint64_t got, uint64_t want)
{
    if (got != want)
        mismatch("%s %s: petal %llu, Timeloop %llu", where, what, (unsigned long long)got,
                 (unsigned long long)want);
}

/* Compare one evaluated run with Timeloop's stats. */
static void compare(const char *name, const tls_stats *ref, bool energy)
{
    const petal_problem *p = &spec.problem;
    const petal_arch *a = &spec.arch;
    if (!result.valid)
        mismatch("%s: petal finds the mapping invalid: %s", name, result.why);
    check_count(name, "computes", result.computes, ref->computes);
    check_count(name, "cycles", result.cycles, ref->cycles);
    /* Timeloop lists a data space under a level when the level keeps it; petal
     * must keep none anywhere else, at levels Timeloop leaves out included. */
    uint64_t kept = 0, listed = 0;
    for (int l = 0; l < a->nlevels; l++)
        for (int s = 0; s < PETAL_NUM_DS; s++)
            kept += result.levels[l].ds[s].kept;
    for (int k = 0; k < ref->nlevels; k++)
        listed += ref->levels[k].arith ? 0 : (uint64_t)ref->levels[k].nds;
    check_count(name, "data spaces kept", kept, listed);
    for (int k = 0; k < ref->nlevels; k++) {
        const tls_level *rl = &ref->levels[k];
        char where[160];
        if (rl->arith) {
            snprintf(where, sizeof where, "%s %s", name, rl->name);
            check_count(where, "utilized instances", result.utilized_macs, rl->utilized_instances);
            continue;
        }
        int l = petal_arch_level(a, rl->name);
        if (l < 0) {
            mismatch("%s: no level %s", name, rl->name);
            continue;
        }
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_ds_stats *ds = &result.levels[l].ds[s];
            const tls_ds *rd = tls_ds_named(rl, p->ds[s].name);
            snprintf(where, sizeof where, "%s %s %s", name, rl->name, p->ds[s].name);
            if (!rd != !ds->kept) {
                mismatch("%s: petal %s it, Timeloop %s", where, ds->kept ? "keeps" : "bypasses",
                         rd ? "keeps" : "bypasses");
                continue;
            }
            if (!rd)
                continue;
            check_count(where, "partition size", ds->partition, rd->partition_size);
            check_count(where, "utilized capacity", ds->tile, rd->utilized_capacity);
            check_count(where, "utilized instances", ds->instances, rd->utilized_instances);
            check_count(where, "reads per instance", ds->reads_per_instance, rd->reads);
            check_count(where, "fills per instance", ds->fills_per_instance, rd->fills);
            check_count(where, "updates per instance", ds->updates_per_instance, rd->updates);
            check_count(where, "reads", ds->reads, rd->reads * rd->utilized_instances);
            check_count(where, "fills", ds->fills, rd->fills * rd->utilized_instances);
            check_count(where, "updates", ds->updates, rd->updates * rd->utilized_instances);
        }
    }
    if (energy && fabs(result.energy_pj - ref->energy_pj) > 0.005 * ref->energy_pj)
        mismatch("%s energy: petal %.2f pJ, Timeloop %.2f pJ (%+.3f%%)", name, result.energy_pj,
                 ref->energy_pj, 100.0 * (result.energy_pj - ref->energy_pj) / ref->energy_pj);
}

static void run_cases(bool mapper)
{
    mismatches = 0;
    for (size_t i = 0; i < TLC_COUNT; i++) {
        const tlc_case *c = &tlc_cases[i];
        if (c->mapper != mapper)
            continue;
        tlc_paths paths;
        tls_stats ref;
        if (tlc_load(c, &paths, &spec) != PETAL_OK) {
            mismatch("%s: %s", c->name, petal_error_message());
            continue;
        }
        if (tls_parse(paths.stats, &ref) != 0) {
            mismatch("%s: cannot read %s", c->name, paths.stats);
            continue;
        }
        if (petal_model_eval(&spec.problem, &spec.arch, &spec.mapping, &result) != PETAL_OK) {
            mismatch("%s: %s", c->name, petal_error_message());
            continue;
        }
        compare(c->name, &ref, true);
        printf("%-26s computes %llu cycles %llu energy %.2f pJ (Timeloop %.2f, %+.4f%%)\n", c->name,
               (unsigned long long)result.computes, (unsigned long long)result.cycles,
               result.energy_pj, ref.energy_pj,
               100.0 * (result.energy_pj - ref.energy_pj) / ref.energy_pj);
    }
    assert_int_equal(mismatches, 0);
}

static void model_exercises(void **state)
{
    (void)state;
    run_cases(false);
}

static void mapper_results(void **state)
{
    (void)state;
    run_cases(true);
}

/* Paths relative to the tutorial's directory; the example designs' climb out. */
#define TL TLC_ROOT "tutorial-timeloop/"
#define ED "../example_designs/example_designs/"
#define EDR "ref_outputs/default_problem/"

static void originals_evaluate(void **state)
{
    (void)state;
    /* Original files and the reference run they correspond to. */
    struct {
        const char *prob, *arch, *map, *ref;
    } cases[] = {
        {"00-model-conv1d-1level/prob/conv1d.prob.yaml",
         "00-model-conv1d-1level/arch/1level.arch.yaml",
         "00-model-conv1d-1level/map/conv1d-1level.map.yaml",
         "00-model-conv1d-1level/ref-output/timeloop-model.stats.txt"},
        {"01-model-conv1d-2level/prob/conv1d.prob.yaml",
         "01-model-conv1d-2level/arch/2level.arch.yaml",
         "01-model-conv1d-2level/map/conv1d-2level-os.map.yaml",
         "01-model-conv1d-2level/ref-output/os/timeloop-model.stats.txt"},
        {"01-model-conv1d-2level/prob/conv1d.prob.yaml",
         "01-model-conv1d-2level/arch/2level.arch.yaml",
         "01-model-conv1d-2level/map/conv1d-2level-ws.map.yaml",
         "01-model-conv1d-2level/ref-output/ws/timeloop-model.stats.txt"},
        {"02-model-conv1d+oc-2level/prob/conv1d+oc.prob.yaml",
         "02-model-conv1d+oc-2level/arch/2level.arch.yaml",
         "02-model-conv1d+oc-2level/map/conv1d+oc-2level-os.map.yaml",
         "02-model-conv1d+oc-2level/ref-output/no-tiling/timeloop-model.stats.txt"},
        {"02-model-conv1d+oc-2level/prob/conv1d+oc.prob.yaml",
         "02-model-conv1d+oc-2level/arch/2level.arch.yaml",
         "02-model-conv1d+oc-2level/map/conv1d+oc-2level-os-tiled.map.yaml",
         "02-model-conv1d+oc-2level/ref-output/tiling/timeloop-model.stats.txt"},
        {"03-model-conv1d+oc-3level/prob/conv1d+oc.prob.yaml",
         "03-model-conv1d+oc-3level/arch/3level.arch.yaml",
         "03-model-conv1d+oc-3level/map/conv1d+oc-3level-bypass.map.yaml",
         "03-model-conv1d+oc-3level/ref-output/bypass/timeloop-model.stats.txt"},
        {"03-model-conv1d+oc-3level/prob/conv1d+oc.prob.yaml",
         "03-model-conv1d+oc-3level/arch/3level.arch.yaml",
         "03-model-conv1d+oc-3level/map/conv1d+oc-3level.map.yaml",
         "03-model-conv1d+oc-3level/ref-output/no-bypass/timeloop-model.stats.txt"},
        /* 04's original has one global buffer, the reference one per PE:
         * it must evaluate, but its counts are its own. */
        {"04-model-conv1d+oc-3levelspatial/prob/conv1d+oc+ic.prob.yaml",
         "04-model-conv1d+oc-3levelspatial/arch/3levelspatial.arch.yaml",
         "04-model-conv1d+oc-3levelspatial/map/conv1d+oc+ic-3levelspatial-cp-ws.map.yaml", NULL},
        {"04-model-conv1d+oc-3levelspatial/prob/conv1d+oc+ic.prob.yaml",
         "04-model-conv1d+oc-3levelspatial/arch/3levelspatial.arch.yaml",
         "04-model-conv1d+oc-3levelspatial/map/conv1d+oc+ic-3levelspatial-kp-ws.map.yaml", NULL},
        /* Mapper results: the v0.4 originals with the mapping the mapper chose. */
        {"06-mapper-convlayer-eyeriss/prob/VGG02_layer5.yaml",
         "06-mapper-convlayer-eyeriss/arch/eyeriss_like.yaml",
         "06-mapper-convlayer-eyeriss/ref-output/timeloop-mapper.map.yaml",
         "06-mapper-convlayer-eyeriss/ref-output/timeloop-mapper.stats.txt"},
        {ED "_include/default_problem.yaml", ED "eyeriss_like/arch.yaml",
         ED "eyeriss_like/" EDR "timeloop-mapper.map.yaml",
         ED "eyeriss_like/" EDR "timeloop-mapper.stats.txt"},
        {ED "_include/default_problem.yaml", ED "simba_like/arch.yaml",
         ED "simba_like/" EDR "timeloop-mapper.map.yaml",
         ED "simba_like/" EDR "timeloop-mapper.stats.txt"},
        {ED "_include/default_problem.yaml", ED "simple_weight_stationary/arch.yaml",
         ED "simple_weight_stationary/" EDR "timeloop-mapper.map.yaml",
         ED "simple_weight_stationary/" EDR "timeloop-mapper.stats.txt"},
        {ED "_include/default_problem.yaml", ED "simple_output_stationary/arch.yaml",
         ED "simple_output_stationary/" EDR "timeloop-mapper.map.yaml",
         ED "simple_output_stationary/" EDR "timeloop-mapper.stats.txt"},
    };
    mismatches = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char prob[512], arch[512], map[512], ref[512];
        snprintf(prob, sizeof prob, TL "%s", cases[i].prob);
        snprintf(arch, sizeof arch, TL "%s", cases[i].arch);
        snprintf(map, sizeof map, TL "%s", cases[i].map);
        petal_timeloop_files f = {.problem = prob, .arch = arch, .mapping = map};
        if (petal_timeloop_load(&f, &spec) != PETAL_OK ||
            petal_model_eval(&spec.problem, &spec.arch, &spec.mapping, &result) != PETAL_OK) {
            mismatch("%s: %s", cases[i].map, petal_error_message());
            continue;
        }
        if (!result.valid)
            mismatch("%s: invalid: %s", cases[i].map, result.why);
        if (!cases[i].ref)
            continue;
        snprintf(ref, sizeof ref, TL "%s", cases[i].ref);
        tls_stats s;
        if (tls_parse(ref, &s) != 0) {
            mismatch("cannot read %s", ref);
            continue;
        }
        compare(cases[i].map, &s, false); /* no ERT: counts only */
    }
    assert_int_equal(mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(model_exercises),
        cmocka_unit_test(mapper_results),
        cmocka_unit_test(originals_evaluate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
