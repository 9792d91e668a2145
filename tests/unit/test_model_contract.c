/* test_model_contract.c - petal_model_eval keeps its documented contract: it
 * returns a status that names the field, never a plausible-looking number,
 * for an architecture petal_arch_check rejects, a problem petal_problem_check
 * rejects, a cycle count beyond 64 bits or an allocation that fails; and a
 * level's network energy is the sum of its data spaces'. */
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
#include "unit/nest_builder.h"

#include "support/model_example.c"

/* The worked example with network energy on the buffer's fan-out. */
static void build_example_hops(example *e)
{
    build_example(e);
    e->a.levels[1].hop_pj = 2;
}

/* The call fails with `status` and a message that contains `words`. */
static void expect_failure(const example *e, petal_status status, const char *words)
{
    petal_model_result r;
    petal_error_clear();
    petal_status st = petal_model_eval(&e->p, &e->a, &e->m, &r);
    if (st != status)
        fail_msg("expected %s, got %s (%s)", petal_status_name(status), petal_status_name(st),
                 st        ? petal_error_message()
                 : r.valid ? "valid"
                           : r.why);
    if (!strstr(petal_error_message(), words))
        fail_msg("the message '%s' does not name '%s'", petal_error_message(), words);
}

/* --- the architecture --- */

static void test_architecture_checked(void **state)
{
    (void)state;
    example e;
    petal_model_result r;
    build_example_hops(&e);
    assert_int_equal(petal_model_eval(&e.p, &e.a, &e.m, &r), PETAL_OK);
    assert_true(r.valid);

    /* No MACs: utilisation would divide by zero. */
    build_example_hops(&e);
    e.a.arith.instances = 0;
    e.a.arith.mesh_x = e.a.arith.mesh_y = 0;
    expect_failure(&e, PETAL_EINVAL, "the arithmetic level needs at least one instance");

    build_example_hops(&e);
    e.a.arith.mac_pj = NAN;
    expect_failure(&e, PETAL_EINVAL, "mac_pj");
    build_example_hops(&e);
    e.a.clock_hz = -1;
    expect_failure(&e, PETAL_EINVAL, "clock_hz");
    build_example_hops(&e);
    e.a.levels[0].read_bw = -1;
    expect_failure(&e, PETAL_EINVAL, "level DRAM has read_bw = -1");
    build_example_hops(&e);
    e.a.levels[0].write_bw = NAN;
    expect_failure(&e, PETAL_EINVAL, "level DRAM has write_bw");
    build_example_hops(&e);
    e.a.levels[0].read_bw = INFINITY;
    expect_failure(&e, PETAL_EINVAL, "level DRAM has read_bw = inf");
    build_example_hops(&e);
    e.a.levels[1].read_pj = NAN;
    expect_failure(&e, PETAL_EINVAL, "level buf has read_pj");
    build_example_hops(&e);
    e.a.levels[2].update_pj = -3;
    expect_failure(&e, PETAL_EINVAL, "level rf has update_pj = -3");
    build_example_hops(&e);
    e.a.levels[1].hop_pj = INFINITY;
    expect_failure(&e, PETAL_EINVAL, "level buf has hop_pj");
    build_example_hops(&e);
    e.a.levels[1].leak_pj = -1;
    expect_failure(&e, PETAL_EINVAL, "level buf has leak_pj");
    build_example_hops(&e);
    e.a.levels[2].area_um2 = NAN;
    expect_failure(&e, PETAL_EINVAL, "level rf has area_um2");
    /* The check that petal_model_eval runs is petal_arch_check. */
    assert_int_equal(petal_arch_check(&e.a), PETAL_EINVAL);
}

/* --- the problem --- */

/* One DRAM over one MAC; a problem A x B whose MACs (2^64) and Outputs
 * overflow 64 bits, each dimension alone fitting, all of it in DRAM's loops. */
static void test_problem_overflow(void **state)
{
    (void)state;
    example e;
    static const char *const names[] = {"DRAM"};
    static const petal_mem_class cls[] = {PETAL_MEM_DRAM};
    static const uint32_t one[] = {1};
    assert_int_equal(nb_chain(&e.a, 1, names, cls, one, one, 1, 1), 0);
    uint64_t bounds[] = {4, 4};
    assert_int_equal(nb_problem(&e.p, "huge", "AB", bounds, "A", "B", "A|B"), 0);
    e.p.bounds[0] = e.p.bounds[1] = 1ull << 32;
    memset(&e.m, 0, sizeof e.m);
    e.m.nlevels = 1;
    assert_int_equal(nb_level_mapping(&e.p, &e.m.levels[0], "A4294967296 B4294967296", "AB", "", "",
                                      PETAL_KEEP_ALL),
                     0);
    assert_int_equal(petal_problem_check(&e.p), PETAL_EOVERFLOW);
    expect_failure(&e, PETAL_EOVERFLOW, "layer huge: its MACs overflow 64 bits");
}

/* --- cycles --- */

/* A bandwidth the architecture check accepts (positive, finite) but so small
 * that the cycles do not fit in 64 bits. */
static void test_bandwidth_cycles_overflow(void **state)
{
    (void)state;
    example e;
    build_example_hops(&e);
    e.a.levels[0].read_bw = 1e-300;
    assert_int_equal(petal_arch_check(&e.a), PETAL_OK);
    expect_failure(&e, PETAL_EOVERFLOW, "level DRAM needs more than 2^64 cycles");
    build_example_hops(&e);
    e.a.levels[0].write_bw = 1e-10; /* 32 updates: 3.2e11 cycles, fits */
    petal_model_result r;
    assert_int_equal(petal_model_eval(&e.p, &e.a, &e.m, &r), PETAL_OK);
    assert_int_equal(r.levels[0].cycles, 320000000000ull);
    e.a.levels[0].write_bw = 1e-18; /* 3.2e19 cycles: beyond 2^64 = 1.8e19 */
    expect_failure(&e, PETAL_EOVERFLOW, "level DRAM needs more than 2^64 cycles");
}

/* The tiles a level keeps, each fitting in 64 bits, whose sum does not: the
 * sum wrapped to 2^63 and passed a capacity of 2^63 + 5 words. */
static void test_capacity_sum_overflow(void **state)
{
    (void)state;
    example e;
    static const char *const names[] = {"DRAM"};
    static const petal_mem_class cls[] = {PETAL_MEM_DRAM};
    static const uint32_t one[] = {1};
    assert_int_equal(nb_chain(&e.a, 1, names, cls, one, one, 1, 1), 0);
    e.a.levels[0].depth = (1ull << 63) + 5;
    uint64_t bounds[] = {4};
    assert_int_equal(nb_problem(&e.p, "long", "A", bounds, "A", "A", "A"), 0);
    e.p.bounds[0] = 1ull << 63;
    assert_int_equal(petal_problem_check(&e.p), PETAL_OK);
    memset(&e.m, 0, sizeof e.m);
    e.m.nlevels = 1;
    assert_int_equal(
        nb_level_mapping(&e.p, &e.m.levels[0], "A9223372036854775808", "A", "", "", PETAL_KEEP_ALL),
        0);
    expect_failure(&e, PETAL_EOVERFLOW, "the tiles level DRAM keeps need more than 2^64 words");
}

/* A rank of 2^63 + 1 words (Inputs[2^62 A], A = 3): the tile's translation
 * per step of A's loop overflows int64_t, which was undefined (UBSan stops
 * here without the check) and is now PETAL_EOVERFLOW. */
static void test_translation_overflow(void **state)
{
    (void)state;
    example e;
    static const char *const names[] = {"DRAM", "buf"};
    static const petal_mem_class cls[] = {PETAL_MEM_DRAM, PETAL_MEM_SRAM};
    static const uint32_t one[] = {1, 1};
    assert_int_equal(nb_chain(&e.a, 2, names, cls, one, one, 1, 1), 0);
    uint64_t bounds[] = {3};
    assert_int_equal(nb_problem(&e.p, "sparse", "A", bounds, "A", "4611686018427387904A", "A"), 0);
    memset(&e.m, 0, sizeof e.m);
    e.m.nlevels = 2;
    assert_int_equal(nb_level_mapping(&e.p, &e.m.levels[0], "A3", "A", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&e.p, &e.m.levels[1], "", "", "", "", PETAL_KEEP_ALL), 0);
    expect_failure(&e, PETAL_EOVERFLOW, "the Inputs words entering level buf cannot be counted");
}

/* --- allocation --- */

/* Outside the sanitizers (which bring their own allocator), make the
 * allocator fail on demand while the model runs. */
#if defined(__SANITIZE_ADDRESS__)
#define FAIL_ALLOCATIONS 0
#else
#define FAIL_ALLOCATIONS 1
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
static volatile int failing;
static volatile long refused;

void *malloc(size_t size)
{
    if (failing) {
        refused++;
        return NULL;
    }
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    if (failing) {
        refused++;
        return NULL;
    }
    return __libc_calloc(n, size);
}

void *realloc(void *ptr, size_t size)
{
    if (failing) {
        refused++;
        return NULL;
    }
    return __libc_realloc(ptr, size);
}
#endif

/* Inputs index [A][A]: the dimension A moves two ranks, so the multicast
 * groups of a fan-out over A are counted by enumerating the children, the
 * one path of the model that allocates. */
static void test_allocation_failure_is_a_status(void **state)
{
    (void)state;
#if FAIL_ALLOCATIONS
    example e;
    static const char *const names[] = {"DRAM"};
    static const petal_mem_class cls[] = {PETAL_MEM_DRAM};
    static const uint32_t one[] = {1};
    assert_int_equal(nb_chain(&e.a, 1, names, cls, one, one, 2, 1), 0);
    uint64_t bounds[] = {2, 2};
    assert_int_equal(nb_problem(&e.p, "diagonal", "AB", bounds, "B", "A|A", "B"), 0);
    memset(&e.m, 0, sizeof e.m);
    e.m.nlevels = 1;
    assert_int_equal(nb_level_mapping(&e.p, &e.m.levels[0], "B2", "B", "A2", "", PETAL_KEEP_ALL),
                     0);
    petal_model_result r;
    assert_int_equal(petal_model_eval(&e.p, &e.a, &e.m, &r), PETAL_OK);
    assert_true(r.valid);
    /* Two children with Inputs offsets (0, 0) and (1, 1): two groups, no
     * multicast. */
    assert_true(r.levels[0].ds[PETAL_DS_INPUTS].multicast == 1);

    refused = 0;
    failing = 1;
    petal_status st = petal_model_eval(&e.p, &e.a, &e.m, &r);
    failing = 0;
    assert_true(refused > 0);
    assert_int_equal(st, PETAL_ENOMEM);
    assert_non_null(strstr(petal_error_message(),
                           "out of memory counting the multicast groups of Inputs "
                           "below level DRAM"));
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_architecture_checked),
        cmocka_unit_test(test_problem_overflow),
        cmocka_unit_test(test_bandwidth_cycles_overflow),
        cmocka_unit_test(test_capacity_sum_overflow),
        cmocka_unit_test(test_translation_overflow),
        cmocka_unit_test(test_allocation_failure_is_a_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
