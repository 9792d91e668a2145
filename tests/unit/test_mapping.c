/* test_mapping.c - the YAML mapping reader and writer (round trips on random
 * mappings), positioned rejections, and the loop-nest printer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "petal/arch.h"
#include "petal/mapping.h"
#include "petal/network.h"
#include "petal/formats.h"
#include "support/reader_io.c"

/* LeNet-5 conv2 (N1 M16 C6 P10 Q10 R5 S5) on eyeriss-v1. */
typedef struct fixture {
    petal_network net;
    const petal_problem *layer;
    petal_arch arch;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || petal_zoo_build("lenet5", &f->net) ||
        !(f->layer = petal_network_find(&f->net, "conv2", NULL)) ||
        petal_arch_preset("eyeriss-v1", &f->arch))
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

static int dim(const fixture *f, const char *name)
{
    int d = petal_problem_dim(f->layer, name);
    assert_true(d >= 0);
    return d;
}

static void example_file_loads(void **state)
{
    fixture *f = *state;
    petal_mapping m;
    assert_int_equal(petal_mapping_load_yaml(PETAL_SOURCE_DIR "/docs/examples/mapping.yaml",
                                             f->layer, &f->arch, &m),
                     PETAL_OK);
    assert_int_equal(m.nlevels, 5);
    int glb = petal_arch_level(&f->arch, "glb");
    assert_int_equal(m.levels[0].temporal[dim(f, "M")], 2);
    assert_int_equal(m.levels[glb].temporal[dim(f, "C")], 3);
    assert_int_equal(m.levels[glb].temporal[dim(f, "Q")], 10);
    assert_int_equal(m.levels[glb].spatial_x[dim(f, "P")], 10);
    assert_int_equal(m.levels[glb].spatial_y[dim(f, "R")], 5);
    assert_int_equal(m.levels[glb].spatial_y[dim(f, "C")], 2);
    /* order [C, Q], outermost first: perm[] is innermost first, so C is last. */
    int n = f->layer->ndims;
    assert_int_equal(m.levels[glb].perm[n - 1], dim(f, "C"));
    assert_int_equal(m.levels[glb].perm[n - 2], dim(f, "Q"));
    assert_int_equal(m.levels[glb].keep, (1u << PETAL_DS_INPUTS) | (1u << PETAL_DS_OUTPUTS));
    /* ifmap_spad is omitted: all factors 1, keeps what the arch allows. */
    int ifmap = petal_arch_level(&f->arch, "ifmap_spad");
    for (int d = 0; d < PETAL_MAX_DIMS; d++) {
        assert_int_equal(m.levels[ifmap].temporal[d], 1);
        assert_int_equal(m.levels[ifmap].spatial_x[d], 1);
    }
    assert_int_equal(m.levels[ifmap].keep, 1u << PETAL_DS_INPUTS);
    /* Every dimension's factors multiply to its bound in this example. */
    for (int d = 0; d < n; d++) {
        uint64_t product = 1;
        for (int l = 0; l < m.nlevels; l++)
            product *=
                m.levels[l].temporal[d] * m.levels[l].spatial_x[d] * m.levels[l].spatial_y[d];
        assert_int_equal(product, f->layer->bounds[d]);
    }
}

/* A deterministic generator, so failures reproduce. */
static uint64_t rng_state;
static uint64_t rng(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return rng_state >> 33;
}

static void random_mapping(petal_mapping *m, const petal_problem *p, const petal_arch *a)
{
    petal_mapping_init(m, p, a);
    for (int l = 0; l < m->nlevels; l++) {
        petal_level_mapping *lm = &m->levels[l];
        for (int d = 0; d < p->ndims; d++) {
            lm->temporal[d] = rng() % 3 ? 1 : 1 + rng() % 20;
            lm->spatial_x[d] = rng() % 4 ? 1 : 1 + rng() % 14;
            lm->spatial_y[d] = rng() % 4 ? 1 : 1 + rng() % 12;
        }
        /* A random permutation (Fisher-Yates), or the default order. */
        if (rng() % 3) {
            for (int d = 0; d < p->ndims; d++)
                lm->perm[d] = (uint8_t)d;
            for (int d = p->ndims - 1; d > 0; d--) {
                int j = (int)(rng() % (uint64_t)(d + 1));
                uint8_t t = lm->perm[d];
                lm->perm[d] = lm->perm[j];
                lm->perm[j] = t;
            }
        }
        lm->keep = (uint8_t)(rng() % 8);
    }
}

static void round_trip(const petal_problem *p, const petal_arch *a, const petal_mapping *m)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_int_equal(petal_mapping_write_yaml(out, p, a, m), PETAL_OK);
    fclose(out);
    char path[TEMP_PATH];
    temp_file(path, text);
    petal_mapping back;
    warnings[0] = '\0';
    petal_set_warning_handler(collect_warning, NULL);
    petal_status st = petal_mapping_load_yaml(path, p, a, &back);
    petal_set_warning_handler(NULL, NULL);
    unlink(path);
    if (st != PETAL_OK)
        fail_msg("%s\n%s", petal_error_message(), text);
    if (memcmp(&back, m, sizeof back) != 0)
        fail_msg("read back differs:\n%s", text);
    if (warnings[0])
        fail_msg("warnings on read-back: %s", warnings);
    free(text);
}

static void write_then_load_is_identity(void **state)
{
    fixture *f = *state;
    petal_mapping m;
    rng_state = 12345;
    for (int i = 0; i < 300; i++) {
        random_mapping(&m, f->layer, &f->arch);
        round_trip(f->layer, &f->arch, &m);
    }
    /* The initial mapping and a matmul (dimensions B, M, N, K) on another preset. */
    petal_mapping_init(&m, f->layer, &f->arch);
    round_trip(f->layer, &f->arch, &m);
    petal_problem mm;
    petal_matmul_params mp = {.batch = 2, .m = 64, .k = 32, .n = 48, .weights_are_params = true};
    assert_int_equal(petal_problem_matmul(&mm, "attn: q*k", &mp), PETAL_OK);
    petal_arch ws;
    assert_int_equal(petal_arch_preset("simple-ws", &ws), PETAL_OK);
    for (int i = 0; i < 100; i++) {
        random_mapping(&m, &mm, &ws);
        round_trip(&mm, &ws, &m);
    }
}

static const char *load_error(const fixture *f, const char *text, petal_status want)
{
    petal_mapping m;
    char path[TEMP_PATH];
    temp_file(path, text);
    petal_status st = petal_mapping_load_yaml(path, f->layer, &f->arch, &m);
    unlink(path);
    if (st != want)
        fail_msg("status %d, expected %d: %s", st, want, petal_error_message());
    return petal_error_message();
}

#define EXPECT_ERROR(text, status, where)                                                          \
    do {                                                                                           \
        const char *msg = load_error(f, text, status);                                             \
        if (!strstr(msg, where) || !strstr(msg, "/tmp/"))                                          \
            fail_msg("message '%s' lacks '%s'", msg, where);                                       \
    } while (0)

static void bad_mappings_are_positioned(void **state)
{
    fixture *f = *state;
    EXPECT_ERROR("mapping:\n  levels:\n    - level: L3\n", PETAL_ENOTFOUND,
                 ":3:14: level: architecture eyeriss-v1 has no level 'L3' (its levels: DRAM, glb");
    EXPECT_ERROR("mapping:\n  levels:\n    - level: glb\n      temporal: {K: 2}\n", PETAL_EINVAL,
                 ":4:18: level glb: temporal: 'K' is not a dimension of layer conv2 (expected one "
                 "of N, M, C, P, Q, R, S)");
    EXPECT_ERROR("mapping:\n  levels:\n    - level: glb\n      temporal: {M: 0}\n", PETAL_EINVAL,
                 ":4:21: level glb: temporal: M: expected a factor of at least 1");
    EXPECT_ERROR("mapping:\n  levels:\n    - level: glb\n      spatial_x: {P: 2.5}\n", PETAL_EPARSE,
                 ":4:22: level glb: spatial_x: P: expected an integer, found '2.5'");
    EXPECT_ERROR("mapping:\n  levels:\n    - level: glb\n      spatial_y: {R: -1}\n", PETAL_EINVAL,
                 ":4:22: level glb: spatial_y: R: expected a non-negative integer");
    EXPECT_ERROR("mapping:\n  levels:\n    - level: glb\n      spatial_y: [R, 5]\n", PETAL_EPARSE,
                 ":4:18: level glb: spatial_y: expected a mapping of dimensions to factors");
    EXPECT_ERROR("mapping:\n  levels:\n    - level: glb\n      temporal: {M: 2, M: 4}\n",
                 PETAL_EINVAL, ":4:24: level glb: temporal: M is given twice");
    EXPECT_ERROR("mapping:\n  levels:\n    - level: glb\n      order: [M, C, M]\n", PETAL_EINVAL,
                 ":4:21: level glb: order: M is listed twice");
    EXPECT_ERROR("mapping:\n  levels:\n    - level: glb\n      order: MCP\n", PETAL_EPARSE,
                 ":4:14: level glb: order: expected a list of dimensions");
    EXPECT_ERROR("mapping:\n  levels:\n    - level: glb\n      keep: [Weights, Biases]\n",
                 PETAL_EINVAL, ":4:23: level glb: keep: 'Biases' is not a data space");
    EXPECT_ERROR("mapping:\n  levels:\n    - level: glb\n      keep: [Weights]\n      bypass: "
                 "[Inputs, Weights]\n",
                 PETAL_EINVAL, ":5:15: level glb: bypass: Weights is also in keep");
    EXPECT_ERROR("mapping:\n  levels:\n    - temporal: {M: 2}\n", PETAL_EPARSE,
                 ":3:7: levels: the key 'level' (a level name) is missing");
    EXPECT_ERROR("mapping:\n  levels:\n    - level: glb\n    - level: DRAM\n    - level: glb\n",
                 PETAL_EINVAL, ":5:14: level: glb is mapped twice (also at line 3)");
    EXPECT_ERROR("mapping:\n  levels: {glb: {}}\n", PETAL_EPARSE,
                 ":2:11: mapping: levels: expected a list");
    EXPECT_ERROR("mapping:\n  levels:\n    - glb\n", PETAL_EPARSE,
                 ":3:7: levels: expected a mapping");
    EXPECT_ERROR("levels: []\n", PETAL_EPARSE, ":1:1: expected a mapping with the key 'mapping'");
    EXPECT_ERROR("mapping:\n  levels: [\n", PETAL_EPARSE, "malformed YAML");
    EXPECT_ERROR("mapping:\n  layer: [a]\n", PETAL_EPARSE,
                 ":2:10: mapping: layer: expected a name");
}

static void lenient_where_the_model_decides(void **state)
{
    fixture *f = *state;
    petal_mapping m;
    /* Factors that overshoot the bounds, spatial factors on a level without a
     * fan-out and keeping a data space the level may not hold all load: the
     * model, not the reader, says they are invalid. */
    char path[TEMP_PATH];
    temp_file(path, "mapping:\n  layer: conv9\n  levels:\n"
                    "    - level: psum_spad\n"
                    "      temporal: {M: 1000}\n"
                    "      spatial_x: {C: 7}\n"
                    "      keep: [Weights, ifmap]\n"
                    "      extra: 1\n");
    warnings[0] = '\0';
    petal_set_warning_handler(collect_warning, NULL);
    petal_status st = petal_mapping_load_yaml(path, f->layer, &f->arch, &m);
    petal_set_warning_handler(NULL, NULL);
    unlink(path);
    assert_int_equal(st, PETAL_OK);
    int psum = petal_arch_level(&f->arch, "psum_spad");
    assert_int_equal(m.levels[psum].temporal[dim(f, "M")], 1000);
    assert_int_equal(m.levels[psum].keep, (1u << PETAL_DS_WEIGHTS) | (1u << PETAL_DS_INPUTS));
    assert_non_null(
        strstr(warnings, ":2:10: mapping written for layer conv9, used for layer conv2"));
    assert_non_null(strstr(warnings, ":8:7: unknown key 'extra'"));
    /* bypass alone removes from what the arch allows; unlisted order dims
     * follow the listed ones in petal_mapping_init's order. */
    temp_file(path, "mapping:\n  levels:\n    - level: glb\n      bypass: [psum]\n"
                    "      order: [Q]\n");
    assert_int_equal(petal_mapping_load_yaml(path, f->layer, &f->arch, &m), PETAL_OK);
    unlink(path);
    int glb = petal_arch_level(&f->arch, "glb");
    assert_int_equal(m.levels[glb].keep, (1u << PETAL_DS_WEIGHTS) | (1u << PETAL_DS_INPUTS));
    int n = f->layer->ndims;
    assert_int_equal(m.levels[glb].perm[n - 1], dim(f, "Q"));
    assert_int_equal(m.levels[glb].perm[n - 2], dim(f, "S"));
    assert_int_equal(m.levels[glb].perm[0], dim(f, "N"));
    /* An empty file body: every level at its initial state. */
    petal_mapping init;
    petal_mapping_init(&init, f->layer, &f->arch);
    temp_file(path, "mapping:\n  levels:\n");
    assert_int_equal(petal_mapping_load_yaml(path, f->layer, &f->arch, &m), PETAL_OK);
    unlink(path);
    assert_memory_equal(&m, &init, sizeof m);
}

static void nest_prints_outermost_first(void **state)
{
    fixture *f = *state;
    petal_mapping m;
    assert_int_equal(petal_mapping_load_yaml(PETAL_SOURCE_DIR "/docs/examples/mapping.yaml",
                                             f->layer, &f->arch, &m),
                     PETAL_OK);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    petal_mapping_print_nest(out, f->layer, &f->arch, &m);
    fclose(out);
    const char *expected = "DRAM [keeps Weights Inputs Outputs]\n"
                           "| for M in [0:2)\n"
                           "glb [keeps Inputs Outputs]\n"
                           "|   for C in [0:3)\n"
                           "|     for Q in [0:10)\n"
                           "|       for P in [0:10) (spatial X)\n"
                           "|         for C in [0:2) (spatial Y)\n"
                           "|           for R in [0:5) (spatial Y)\n"
                           "ifmap_spad [keeps Inputs]\n"
                           "filter_spad [keeps Weights]\n"
                           "|             for S in [0:5)\n"
                           "psum_spad [keeps Outputs]\n"
                           "|               for M in [0:8)\n"
                           "|                 << compute: mac, 168 MACs >>\n";
    assert_string_equal(text, expected);
    free(text);
}

/* A level named with PETAL_NAME_MAX - 1 characters is found whole, one longer
 * is no level (not its first 63 characters), and an architecture with more than
 * PETAL_MAX_LEVELS levels is refused naming the limit (issue 11). */
static void names_and_counts_at_the_limits(void **state)
{
    fixture *f = *state;
    petal_arch a = f->arch;
    int glb = petal_arch_level(&a, "glb");
    memset(a.levels[glb].name, 'g', PETAL_NAME_MAX - 1);
    a.levels[glb].name[PETAL_NAME_MAX - 1] = '\0';
    char text[512], path[TEMP_PATH];
    snprintf(text, sizeof text, "mapping:\n  levels:\n    - level: %s\n      temporal: {M: 2}\n",
             a.levels[glb].name);
    temp_file(path, text);
    petal_mapping m;
    assert_int_equal(petal_mapping_load_yaml(path, f->layer, &a, &m), PETAL_OK);
    unlink(path);
    assert_int_equal(m.levels[glb].temporal[dim(f, "M")], 2);

    snprintf(text, sizeof text, "mapping:\n  levels:\n    - level: %sg\n", a.levels[glb].name);
    temp_file(path, text);
    assert_int_equal(petal_mapping_load_yaml(path, f->layer, &a, &m), PETAL_ENOTFOUND);
    unlink(path);
    assert_non_null(strstr(petal_error_message(), ":3:14: level: architecture"));

    a.nlevels = PETAL_MAX_LEVELS + 1;
    temp_file(path, "mapping:\n  levels:\n");
    assert_int_equal(petal_mapping_load_yaml(path, f->layer, &a, &m), PETAL_EINVAL);
    unlink(path);
    assert_non_null(strstr(petal_error_message(), "11 levels"));
    assert_non_null(strstr(petal_error_message(), "1 to 10 (PETAL_MAX_LEVELS)"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(example_file_loads),
        cmocka_unit_test(write_then_load_is_identity),
        cmocka_unit_test(bad_mappings_are_positioned),
        cmocka_unit_test(lenient_where_the_model_decides),
        cmocka_unit_test(nest_prints_outermost_first),
        cmocka_unit_test(names_and_counts_at_the_limits),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
