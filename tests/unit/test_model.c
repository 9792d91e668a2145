/* test_model.c - petal_model_eval through the library: the worked example of
 * docs/model.md figure by figure, every validity rule with its reason, level
 * and sentence, the sliding-window rule's cases, energy by block, leakage and
 * network, and that an evaluation allocates nothing. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "petal/model.h"
#include "petal/network.h"
#include "unit/nest_builder.h"

#include "support/model_example.c"

static const petal_ds_stats *ds_of(const petal_model_result *r, int l, int s)
{
    return &r->levels[l].ds[s];
}

static void expect_counts(const petal_model_result *r, int l, int s, uint64_t tile, uint64_t reads,
                          uint64_t fills, uint64_t updates)
{
    const petal_ds_stats *ds = ds_of(r, l, s);
    assert_true(ds->kept);
    assert_int_equal(ds->tile, tile);
    assert_int_equal(ds->reads, reads);
    assert_int_equal(ds->fills, fills);
    assert_int_equal(ds->updates, updates);
}

static void test_worked_example(void **state)
{
    (void)state;
    example e;
    petal_model_result r;
    build_example(&e);
    assert_int_equal(petal_model_eval(&e.p, &e.a, &e.m, &r), PETAL_OK);
    assert_true(r.valid);
    enum { W = PETAL_DS_WEIGHTS, I = PETAL_DS_INPUTS, O = PETAL_DS_OUTPUTS };
    expect_counts(&r, 0, W, 24, 24, 0, 0);
    expect_counts(&r, 0, I, 20, 20, 0, 0);
    expect_counts(&r, 0, O, 32, 0, 0, 32);
    assert_false(ds_of(&r, 1, W)->kept);
    expect_counts(&r, 1, I, 12, 20, 20, 0);
    expect_counts(&r, 1, O, 16, 0, 0, 32);
    expect_counts(&r, 2, W, 6, 192, 24, 0);
    expect_counts(&r, 2, I, 6, 192, 40, 0);
    expect_counts(&r, 2, O, 8, 128, 0, 192);
    assert_int_equal(ds_of(&r, 2, O)->partition, 16);
    assert_int_equal(ds_of(&r, 2, O)->reads_per_instance, 32);
    assert_int_equal(ds_of(&r, 2, I)->fills_per_instance, 10);
    assert_true(fabs(ds_of(&r, 1, I)->multicast - 2) < 1e-12);
    assert_true(fabs(ds_of(&r, 1, O)->spatial_reduction - 2) < 1e-12);
    assert_true(fabs(ds_of(&r, 0, W)->multicast - 1) < 1e-12);
    assert_int_equal(r.levels[2].capacity_used, 20);
    assert_int_equal(r.levels[2].utilized_instances, 4);
    assert_int_equal(r.computes, 192);
    assert_int_equal(r.compute_cycles, 48);
    assert_int_equal(r.levels[0].cycles, 88);
    assert_int_equal(r.cycles, 88);
    assert_int_equal(r.utilized_macs, 4);
    assert_true(fabs(r.utilization - 192.0 / (88 * 4)) < 1e-12);
    assert_true(fabs(r.levels[0].energy_pj - 7600) < 1e-9);
    assert_true(fabs(r.levels[1].energy_pj - 432) < 1e-9);
    assert_true(fabs(r.levels[2].energy_pj - 768) < 1e-9);
    assert_true(fabs(r.mac_energy_pj - 192) < 1e-9);
    assert_true(fabs(r.energy_pj - 8992) < 1e-9);
    double by_ds = r.energy_by_ds[W] + r.energy_by_ds[I] + r.energy_by_ds[O];
    assert_true(fabs(by_ds + r.mac_energy_pj - r.energy_pj) < 1e-9);
    assert_true(fabs(ds_of(&r, 2, O)->read_energy_pj - 128) < 1e-9);
    assert_true(fabs(ds_of(&r, 2, O)->update_energy_pj - 192) < 1e-9);
}

/* --- validity --- */

static void expect_invalid(example *e, petal_invalid_reason reason, int level, const char *why)
{
    petal_model_result r;
    assert_int_equal(petal_model_eval(&e->p, &e->a, &e->m, &r), PETAL_OK);
    assert_false(r.valid);
    assert_int_equal(r.reason, reason);
    assert_int_equal(r.invalid_level, level);
    if (!strstr(r.why, why))
        fail_msg("why: \"%s\" lacks \"%s\"", r.why, why);
}

static void test_invalid_factors(void **state)
{
    (void)state;
    example e;
    build_example(&e);
    /* Q 4 over tiles of 4 covers 8 in 2 iterations: the last two never run. */
    e.m.levels[0].temporal[nb_dim(&e.p, 'Q')] = 4;
    expect_invalid(&e, PETAL_INVALID_FACTORS, -1,
                   "dimension Q: its outermost loop of 4 over tiles of 4 never runs its last "
                   "iteration (bound 8: 2 iterations)");
    build_example(&e);
    e.m.levels[0].temporal[nb_dim(&e.p, 'Q')] = 1;
    expect_invalid(&e, PETAL_INVALID_FACTORS, -1,
                   "the factors of dimension Q multiply to 4, less than its bound 8");
    build_example(&e);
    e.m.levels[2].temporal[nb_dim(&e.p, 'S')] = 0;
    expect_invalid(&e, PETAL_INVALID_FACTORS, 2, "level rf: dimension S has a factor 0");
}

static void test_invalid_structure(void **state)
{
    (void)state;
    example e;
    build_example(&e);
    e.m.levels[1].perm[0] = e.m.levels[1].perm[1];
    expect_invalid(&e, PETAL_INVALID_STRUCTURE, 1,
                   "level buf: the loop order does not name every dimension once");
    build_example(&e);
    e.m.levels[2].perm[1] = 200;
    expect_invalid(&e, PETAL_INVALID_STRUCTURE, 2,
                   "level rf: the loop order does not name every dimension once");
}

static void test_invalid_bypass(void **state)
{
    (void)state;
    example e;
    build_example(&e);
    e.m.levels[0].keep = PETAL_KEEP_ALL & ~(1u << PETAL_DS_INPUTS);
    expect_invalid(&e, PETAL_INVALID_BYPASS, 0,
                   "level DRAM is the outermost and must keep every data space, but it bypasses "
                   "Inputs");
    build_example(&e);
    e.a.levels[2].may_keep = 1u << PETAL_DS_WEIGHTS;
    expect_invalid(&e, PETAL_INVALID_BYPASS, 2, "level rf keeps Inputs, which it may not hold");
    /* A storage-less level holds nothing whatever its may_keep says. */
    build_example(&e);
    e.a.levels[1].cls = PETAL_MEM_NONE;
    expect_invalid(&e, PETAL_INVALID_BYPASS, 1, "level buf keeps Inputs, which it may not hold");
}

static void test_invalid_fanout(void **state)
{
    (void)state;
    example e;
    int M = -1, C = -1;
    /* X: M 4 across a fan-out of 2 columns. */
    build_example(&e);
    M = nb_dim(&e.p, 'M');
    C = nb_dim(&e.p, 'C');
    e.m.levels[1].spatial_x[M] = 4;
    e.m.levels[2].temporal[M] = 1;
    expect_invalid(&e, PETAL_INVALID_FANOUT, 1,
                   "level buf: spatial factors need 4 columns (X) but the fan-out below it has 2");
    /* Y, checked apart from X: C 2 and M 2 both down 2 rows. */
    build_example(&e);
    e.m.levels[1].spatial_x[M] = 1;
    e.m.levels[1].spatial_y[M] = 2;
    expect_invalid(&e, PETAL_INVALID_FANOUT, 1,
                   "level buf: spatial factors need 4 rows (Y) but the fan-out below it has 2");
    /* The X and Y halves are not interchangeable: 2 x 2 on X alone overflows too. */
    build_example(&e);
    e.m.levels[1].spatial_y[C] = 1;
    e.m.levels[1].spatial_x[C] = 2;
    expect_invalid(&e, PETAL_INVALID_FANOUT, 1, "need 4 columns (X)");
    /* The innermost level's fan-out is towards the MACs (1 each). */
    build_example(&e);
    e.m.levels[2].temporal[M] = 1;
    e.m.levels[2].spatial_x[M] = 2;
    e.m.levels[0].temporal[nb_dim(&e.p, 'Q')] = 1;
    e.m.levels[2].temporal[nb_dim(&e.p, 'Q')] = 8;
    expect_invalid(&e, PETAL_INVALID_FANOUT, 2, "level rf: spatial factors need 2 columns");
}

static void test_invalid_capacity(void **state)
{
    (void)state;
    example e;
    build_example(&e);
    e.a.levels[2].depth = 19;
    expect_invalid(&e, PETAL_INVALID_CAPACITY, 2,
                   "level rf: the tiles it keeps need 20 words but it holds 19");
    e.a.levels[2].depth = 20;
    petal_model_result r;
    assert_int_equal(petal_model_eval(&e.p, &e.a, &e.m, &r), PETAL_OK);
    assert_true(r.valid);
    /* Bypassing a data space frees its room. */
    e.a.levels[2].depth = 14;
    e.m.levels[2].keep = PETAL_KEEP_ALL & ~(1u << PETAL_DS_INPUTS);
    assert_int_equal(petal_model_eval(&e.p, &e.a, &e.m, &r), PETAL_OK);
    assert_true(r.valid);
    assert_int_equal(r.levels[2].capacity_used, 14);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    example e;
    petal_model_result r;
    build_example(&e);
    e.m.nlevels = 2;
    assert_int_equal(petal_model_eval(&e.p, &e.a, &e.m, &r), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "the mapping has 2 levels"));
    build_example(&e);
    e.p.bounds[0] = 0;
    assert_int_equal(petal_model_eval(&e.p, &e.a, &e.m, &r), PETAL_EINVAL);
    build_example(&e);
    e.p.ds[1].ranks[0].terms[0].dim = 9;
    assert_int_equal(petal_model_eval(&e.p, &e.a, &e.m, &r), PETAL_EINVAL);
}

/* --- the sliding-window rule --- */

/* DRAM and buffers of one instance each over one MAC (nb_chain). */
static const char *const chain_names[] = {"DRAM", "buf"};
static const petal_mem_class chain_classes[] = {PETAL_MEM_DRAM, PETAL_MEM_SRAM, PETAL_MEM_SRAM};
static const uint32_t one[] = {1, 1, 1};

/* A conv1d (K, P, R) whose Inputs tile at the buffer is P4 x R3 = 6 words,
 * under the DRAM loops given. */
static uint64_t input_fills(const char *dram_factors, const char *dram_order,
                            const char *buf_factors, const char *buf_order)
{
    petal_problem p;
    uint64_t bounds[] = {4, 16, 3};
    assert_int_equal(nb_problem(&p, "conv1d", "KPR", bounds, "K|R", "P+R", "K|P"), 0);
    petal_arch a;
    assert_int_equal(nb_chain(&a, 2, chain_names, chain_classes, one, one, 1, 1), 0);
    petal_mapping m;
    memset(&m, 0, sizeof m);
    m.nlevels = 2;
    assert_int_equal(
        nb_level_mapping(&p, &m.levels[0], dram_factors, dram_order, "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(
        nb_level_mapping(&p, &m.levels[1], buf_factors, buf_order, "", "", PETAL_KEEP_ALL), 0);
    petal_model_result r;
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    assert_true(r.valid);
    return r.levels[1].ds[PETAL_DS_INPUTS].fills;
}

static void test_sliding_window(void **state)
{
    (void)state;
    /* P innermost at DRAM: each step slides the 6-word window by 4, keeping
     * 2; K outside reloads: 4 x (6 + 3 x 4) = 72. */
    assert_int_equal(input_fills("K4 P4", "PK", "P4 R3", "RP"), 72);
    /* K between the buffer and P: the window stays put across K, then each P
     * step reloads it whole (Timeloop v3.0.3): 4 x 6 = 24 words, not 18. */
    assert_int_equal(input_fills("K4 P4", "KP", "P4 R3", "RP"), 24);
    /* The same with K in the buffer instead: P is again innermost above it. */
    assert_int_equal(input_fills("P4", "P", "K4 P4 R3", "RPK"), 18);
}

/* A loop of the same dimension further out continues the slide when its
 * step equals the inner loop's: P 2 x 3 above the buffer behaves as P 6.
 * This is where petal, counting every step, differs from Timeloop's sampling
 * of the first two iterations, which reloads at the outer step (28 words). */
static void test_slide_continues_across_loops(void **state)
{
    (void)state;
    petal_problem p;
    uint64_t bounds[] = {24, 3};
    assert_int_equal(nb_problem(&p, "conv1d", "PR", bounds, "R", "P+R", "P"), 0);
    petal_arch a;
    const char *names[] = {"DRAM", "mid", "buf"};
    assert_int_equal(nb_chain(&a, 3, names, chain_classes, one, one, 1, 1), 0);
    petal_mapping m;
    memset(&m, 0, sizeof m);
    m.nlevels = 3;
    assert_int_equal(nb_level_mapping(&p, &m.levels[0], "P2", "", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "P3", "", "", "", 0), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[2], "P4 R3", "RP", "", "", PETAL_KEEP_ALL), 0);
    petal_model_result r;
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    assert_true(r.valid);
    /* Windows of 6 at 0, 4, ..., 20: 6 + 5 x 4 = 26, every input once. */
    assert_int_equal(r.levels[2].ds[PETAL_DS_INPUTS].fills, 26);
}

/* Weights depend on nothing the DRAM loops run over: stationary. */
static void test_stationary_tile(void **state)
{
    (void)state;
    petal_problem p;
    uint64_t bounds[] = {2, 8, 3};
    assert_int_equal(nb_problem(&p, "conv1d", "KPR", bounds, "K|R", "P+R", "K|P"), 0);
    petal_arch a;
    assert_int_equal(nb_chain(&a, 2, chain_names, chain_classes, one, one, 1, 1), 0);
    petal_mapping m;
    memset(&m, 0, sizeof m);
    m.nlevels = 2;
    assert_int_equal(nb_level_mapping(&p, &m.levels[0], "P8", "", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "K2 R3", "", "", "", PETAL_KEEP_ALL), 0);
    petal_model_result r;
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    assert_int_equal(r.levels[1].ds[PETAL_DS_WEIGHTS].fills, 6);
    assert_int_equal(r.levels[1].ds[PETAL_DS_WEIGHTS].reads, 48);
    /* Outputs K2 at each of 8 positions: 16 words enter, each for the first time. */
    assert_int_equal(r.levels[1].ds[PETAL_DS_OUTPUTS].fills, 0);
    assert_int_equal(r.levels[1].ds[PETAL_DS_OUTPUTS].updates, 48);
    assert_int_equal(r.levels[1].ds[PETAL_DS_OUTPUTS].reads, 32);
    assert_int_equal(r.levels[0].ds[PETAL_DS_OUTPUTS].updates, 16);
    assert_int_equal(r.levels[0].ds[PETAL_DS_OUTPUTS].reads, 0);
}

/* --- energy --- */

static void test_energy_blocks_leak_network(void **state)
{
    (void)state;
    example e;
    petal_model_result r;
    build_example(&e);
    e.a.levels[0].block_size = 8; /* 44 reads -> 3 + 3 vectors (24 W, 20 I) */
    e.a.levels[1].leak_pj = 0.5;  /* x 88 cycles x 1 instance */
    e.a.levels[2].leak_pj = 0.25; /* x 88 cycles x 4 instances */
    e.a.levels[1].hop_pj = 2;     /* buf -> rf */
    assert_int_equal(petal_model_eval(&e.p, &e.a, &e.m, &r), PETAL_OK);
    assert_true(r.valid);
    const petal_ds_stats *dw = ds_of(&r, 0, PETAL_DS_WEIGHTS), *di = ds_of(&r, 0, PETAL_DS_INPUTS);
    assert_int_equal(dw->vector_reads_per_instance, 3);
    assert_int_equal(di->vector_reads_per_instance, 3);
    assert_int_equal(ds_of(&r, 0, PETAL_DS_OUTPUTS)->vector_updates_per_instance, 4);
    assert_true(fabs(r.levels[0].energy_pj - (3 + 3 + 4) * 100.0) < 1e-9);
    assert_true(fabs(r.levels[1].leak_pj - 0.5 * 88) < 1e-9);
    assert_true(fabs(r.levels[2].leak_pj - 0.25 * 88 * 4) < 1e-9);
    /* Across buf -> rf: Inputs 10 words into each of 4 rf; Outputs 16 sent up
     * by each plus 0 refills. Weights bypass buf: they cross its network too,
     * 6 into each rf. */
    assert_true(fabs(ds_of(&r, 1, PETAL_DS_INPUTS)->network_energy_pj - 2 * 40) < 1e-9);
    assert_true(fabs(ds_of(&r, 1, PETAL_DS_OUTPUTS)->network_energy_pj - 2 * 64) < 1e-9);
    assert_true(fabs(r.levels[1].ds[PETAL_DS_WEIGHTS].network_energy_pj - 2 * 24) < 1e-9);
    assert_true(fabs(r.levels[1].network_energy_pj - 2 * (40 + 64 + 24)) < 1e-9);
    double total = 1000 + 432 + 768 + 192 + 44 + 88 + 256;
    assert_true(fabs(r.energy_pj - total) < 1e-9);
}

/* --- no allocation --- */

/* Outside the sanitizers (which bring their own allocator), count calls to
 * the allocator while the model runs. */
#if defined(__SANITIZE_ADDRESS__)
#define COUNT_ALLOCATIONS 0
#else
#define COUNT_ALLOCATIONS 1
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
static volatile int counting;
static volatile long allocations;

void *malloc(size_t size)
{
    allocations += counting;
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    allocations += counting;
    return __libc_calloc(n, size);
}

void *realloc(void *ptr, size_t size)
{
    allocations += counting;
    return __libc_realloc(ptr, size);
}
#endif

static void test_no_heap_allocation(void **state)
{
    (void)state;
#if COUNT_ALLOCATIONS
    /* ResNet-50's first 3x3 convolution (N1 M64 C64 P56 Q56 R3 S3). */
    petal_network net;
    assert_int_equal(petal_zoo_build("resnet50", &net), PETAL_OK);
    const petal_problem *layer = petal_network_find(&net, "layer1.0.conv2", NULL);
    assert_non_null(layer);
    petal_problem p = *layer;
    petal_network_free(&net);
    petal_arch a;
    petal_mapping m;
    petal_model_result r;
    assert_int_equal(petal_arch_preset("eyeriss-v1", &a), PETAL_OK);
    petal_mapping_init(&m, &p, &a);
    int glb = petal_arch_level(&a, "glb");
    m.levels[0].temporal[petal_problem_dim(&p, "M")] = 64;
    m.levels[0].temporal[petal_problem_dim(&p, "Q")] = 4;
    m.levels[0].temporal[petal_problem_dim(&p, "C")] = 16;
    m.levels[glb].temporal[petal_problem_dim(&p, "P")] = 56;
    m.levels[glb].spatial_x[petal_problem_dim(&p, "Q")] = 14;
    m.levels[glb].spatial_y[petal_problem_dim(&p, "S")] = 3;
    m.levels[glb].spatial_y[petal_problem_dim(&p, "C")] = 4;
    m.levels[petal_arch_level(&a, "filter_spad")].temporal[petal_problem_dim(&p, "R")] = 3;
    counting = 1;
    for (int i = 0; i < 1000; i++)
        petal_model_eval(&p, &a, &m, &r);
    counting = 0;
    if (!r.valid)
        fail_msg("%s", r.why);
    assert_int_equal(allocations, 0);
    /* The counter itself works. */
    counting = 1;
    void *volatile probe = malloc(16);
    counting = 0;
    free(probe);
    assert_int_equal(allocations, 1);
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_invalid_factors),
        cmocka_unit_test(test_invalid_structure),
        cmocka_unit_test(test_invalid_bypass),
        cmocka_unit_test(test_invalid_fanout),
        cmocka_unit_test(test_invalid_capacity),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_sliding_window),
        cmocka_unit_test(test_slide_continues_across_loops),
        cmocka_unit_test(test_stationary_tile),
        cmocka_unit_test(test_energy_blocks_leak_network),
        cmocka_unit_test(test_no_heap_allocation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
