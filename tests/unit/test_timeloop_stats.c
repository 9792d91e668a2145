/* test_timeloop_stats.c - petal's Timeloop-style stats text reads back with
 * the parser the conformance tests use on Timeloop's own files: the same
 * labels, the same level numbering, the same figures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "petal/timeloop.h"
#include "support/timeloop_stats.c"

#define ED PETAL_SHARED_DIR "/reference/timeloop-exercises/example_designs/example_designs/"

static petal_timeloop_spec spec;

static void round_trip(void **state)
{
    (void)state;
    petal_timeloop_files f = {
        .combined = ED "eyeriss_like/ref_outputs/default_problem/parsed-processed-input.yaml",
        .mapping = ED "eyeriss_like/ref_outputs/default_problem/timeloop-mapper.map.yaml"};
    assert_int_equal(petal_timeloop_load(&f, &spec), PETAL_OK);

    /* A result filled by hand with the reference's figures for two levels. */
    petal_model_result r;
    memset(&r, 0, sizeof r);
    r.valid = true;
    r.computes = 10838016;
    r.cycles = 86016;
    r.utilized_macs = 126;
    r.utilization = 0.75;
    r.mac_energy_pj = 2250969.22;
    r.nlevels = spec.arch.nlevels;
    int glb = petal_arch_level(&spec.arch, "shared_glb");
    int psum = petal_arch_level(&spec.arch, "psum_spad");
    petal_ds_stats *in = &r.levels[glb].ds[PETAL_DS_INPUTS];
    in->kept = true;
    in->instances = 1;
    in->tile = 9831;
    in->reads_per_instance = in->reads = 1354752;
    in->fills_per_instance = in->fills = 157296;
    petal_ds_stats *ps = &r.levels[psum].ds[PETAL_DS_OUTPUTS];
    ps->kept = true;
    ps->instances = 126;
    ps->tile = 8;
    ps->reads_per_instance = 57344;
    ps->updates_per_instance = 86016;
    ps->energy_pj = 4190338.25;
    r.levels[psum].energy_pj = ps->energy_pj;
    r.energy_pj = r.mac_energy_pj + ps->energy_pj;

    char path[] = "/tmp/petal_stats_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    assert_int_equal(petal_timeloop_write_stats(out, &spec.problem, &spec.arch, &spec.mapping, &r),
                     PETAL_OK);
    fclose(out);

    tls_stats s;
    assert_int_equal(tls_parse(path, &s), 0);
    unlink(path);
    assert_int_equal(s.computes, 10838016);
    assert_int_equal(s.cycles, 86016);
    assert_true(s.levels[0].arith);
    assert_int_equal(s.levels[0].utilized_instances, 126);
    /* Storage levels innermost first; the two fan-out levels keep numbers 4, 5. */
    const tls_level *g = tls_level_named(&s, "shared_glb");
    assert_non_null(g);
    assert_int_equal(g->index, 6);
    assert_int_equal(g->block_size, 8);
    assert_int_equal(g->nds, 1);
    assert_int_equal(tls_ds_named(g, "Inputs")->fills, 157296);
    assert_int_equal(tls_ds_named(g, "Inputs")->reads, 1354752);
    assert_null(tls_level_named(&s, "inter_PE_spatial"));
    const tls_level *p = tls_level_named(&s, "psum_spad");
    assert_int_equal(p->index, 1);
    assert_int_equal(p->instances, 168);
    assert_int_equal(tls_ds_named(p, "Outputs")->updates, 86016);
    assert_int_equal(tls_ds_named(p, "Outputs")->utilized_instances, 126);
    assert_float_equal(tls_ds_named(p, "Outputs")->energy_total, 4190338.25, 0.01);
    /* Total energy from fJ/compute, to Timeloop's two decimals. */
    assert_float_equal(s.energy_pj, r.energy_pj, r.energy_pj * 1e-5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
