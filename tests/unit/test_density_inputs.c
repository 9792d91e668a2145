/* test_density_inputs.c - densities from petal's files (docs/densities.md):
 * a network file's `density` per network and per layer, Sparseloop's
 * {distribution, density} mapping, a density profile applied by layer name
 * (and refused whole when it names a layer the network lacks), positioned
 * messages; and the off-chip bytes of eval's sparse metrics from a model
 * result made by hand, metadata words included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "petal/arch.h"
#include "petal/eval.h"
#include "petal/formats.h"
#include "petal/model.h"
#include "petal/network.h"
#include "support/reader_io.c"

static const char network_text[] = "name: n\n"
                                   "density: {Weights: 0.5, Inputs: hypergeometric:0.25}\n"
                                   "layers:\n"
                                   "  - name: a\n"
                                   "    kind: fc\n"
                                   "    in_features: 8\n"
                                   "    out_features: 4\n"
                                   "  - name: b\n"
                                   "    kind: fc\n"
                                   "    in_features: 8\n"
                                   "    out_features: 4\n"
                                   "    density:\n"
                                   "      Weights: {distribution: hypergeometric, density: 0.1}\n"
                                   "      Inputs: dense\n"
                                   "      Outputs: {density: 0.75}\n";

static void load_network(petal_network *net)
{
    char path[TEMP_PATH];
    temp_file(path, network_text);
    petal_status st = petal_network_load_yaml(path, net);
    unlink(path);
    assert_int_equal(st, PETAL_OK);
}

static void network_and_layer_densities(void **state)
{
    (void)state;
    petal_network net;
    load_network(&net);
    const petal_problem *a = &net.layers[0], *b = &net.layers[1];
    assert_int_equal(a->density[PETAL_DS_WEIGHTS].kind, PETAL_DENSITY_FIXED_STRUCTURED);
    assert_true(a->density[PETAL_DS_WEIGHTS].density == 0.5);
    assert_int_equal(a->density[PETAL_DS_INPUTS].kind, PETAL_DENSITY_HYPERGEOMETRIC);
    assert_true(a->density[PETAL_DS_INPUTS].density == 0.25);
    assert_false(petal_density_given(&a->density[PETAL_DS_OUTPUTS]));
    /* b overrides each data space it names: dense is the all-zero dense. */
    assert_int_equal(b->density[PETAL_DS_WEIGHTS].kind, PETAL_DENSITY_HYPERGEOMETRIC);
    assert_true(b->density[PETAL_DS_WEIGHTS].density == 0.1);
    assert_false(petal_density_given(&b->density[PETAL_DS_INPUTS]));
    /* A mapping without distribution is fixed_structured, as a plain number. */
    assert_int_equal(b->density[PETAL_DS_OUTPUTS].kind, PETAL_DENSITY_FIXED_STRUCTURED);
    assert_true(b->density[PETAL_DS_OUTPUTS].density == 0.75);
    /* 32 MACs x 0.5 x 0.25 = 4; 32 x 0.1 x 1 = 3.2. */
    assert_true(fabs(petal_problem_nonzero_macs(a) - 4.0) < 1e-12);
    assert_true(fabs(petal_problem_nonzero_macs(b) - 3.2) < 1e-12);
    petal_network_free(&net);
}

static void profile_by_layer_name(void **state)
{
    (void)state;
    petal_network net;
    load_network(&net);
    char path[TEMP_PATH];
    temp_file(path, "densities:\n"
                    "  b: {Weights: 0.3}\n");
    assert_int_equal(petal_network_apply_density_profile(&net, path), PETAL_OK);
    unlink(path);
    /* Only b's Weights change; b's Outputs and a keep theirs. */
    assert_int_equal(net.layers[1].density[PETAL_DS_WEIGHTS].kind, PETAL_DENSITY_FIXED_STRUCTURED);
    assert_true(net.layers[1].density[PETAL_DS_WEIGHTS].density == 0.3);
    assert_true(net.layers[1].density[PETAL_DS_OUTPUTS].density == 0.75);
    assert_true(net.layers[0].density[PETAL_DS_WEIGHTS].density == 0.5);
    petal_network_free(&net);
}

/* A bad profile leaves every layer as it was, and says file, line and field. */
static void bad_profiles_change_nothing(void **state)
{
    (void)state;
    static const struct {
        const char *text, *message;
    } bad[] = {
        {"densities:\n  a: {Weights: 0.9}\n  zz: {Inputs: 0.5}\n",
         ":3:3: densities: network n has no layer named 'zz'"},
        {"densities:\n  a: {Weights: 0.9}\n  a: {Inputs: 0.5}\n",
         ":3:3: densities: layer a is given twice"},
        {"densities:\n  a: {Weights: 0.9}\n  b: {Inputs: 1.01}\n",
         ":3:15: layer b: density of Inputs: a density of 1.01 is out of range"},
        {"densities:\n  a: {Weights: {distribution: banded, density: 0.5}}\n",
         ":2:31: layer a: density of Weights: distribution: banded densities are read from "
         "Timeloop problem files only"},
        {"densities:\n  a: {Weights: {distribution: hypergeometric}}\n",
         ":2:16: layer a: density of Weights: 'density' is missing"},
        {"densities:\n  a: {Weights: 0.9, Psums: 0.5}\n",
         ":2:21: layer a: density: 'Psums' is not a data space of the layer"},
        {"densities:\n  a: [0.5]\n", ":2:6: layer a: density: expected a mapping"},
        {"densities: [a]\n", ":1:12: densities: expected a mapping from layer name"},
        {"layers: {}\n", ":1:1: 'densities' is missing"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        petal_network net;
        load_network(&net);
        petal_problem before[2] = {net.layers[0], net.layers[1]};
        char path[TEMP_PATH];
        temp_file(path, bad[i].text);
        petal_status st = petal_network_apply_density_profile(&net, path);
        unlink(path);
        if (st == PETAL_OK)
            fail_msg("profile %zu was taken", i);
        if (!strstr(petal_error_message(), bad[i].message) || !strstr(petal_error_message(), path))
            fail_msg("profile %zu: message '%s' lacks '%s' or the path", i, petal_error_message(),
                     bad[i].message);
        assert_memory_equal(net.layers, before, sizeof before);
        petal_network_free(&net);
    }
}

/* eval's off-chip bytes: data words at their width plus metadata words at
 * the level's metadata width, DRAM-class levels only. Worked by hand. */
static void offchip_bytes_by_hand(void **state)
{
    (void)state;
    petal_arch a;
    assert_int_equal(petal_arch_preset("eyeriss-v1", &a), PETAL_OK);
    assert_int_equal(a.levels[0].cls, PETAL_MEM_DRAM);
    petal_model_result r;
    memset(&r, 0, sizeof r);
    r.nlevels = a.nlevels;
    petal_ds_stats *in = &r.levels[0].ds[PETAL_DS_INPUTS];
    in->kept = true;
    in->word_bits = 16;
    in->reads = 1000; /* 1000 x 16 bits = 2000 bytes */
    petal_ds_stats *w = &r.levels[0].ds[PETAL_DS_WEIGHTS];
    w->kept = true;
    w->word_bits = 8;
    w->reads = 300; /* 300 bytes */
    /* A buffer level's traffic is not off chip. */
    r.levels[1].ds[PETAL_DS_INPUTS].reads = 123456;
    assert_true(petal_eval_offchip_bytes(&a, &r) == 2300.0);
    /* eyeriss-v1's DRAM codes Inputs run-length with 5-bit runs: 640 metadata
     * words are 640 x 5 / 8 = 400 bytes more. */
    assert_int_equal(a.levels[0].sparse.metadata_word_bits, 5);
    in->metadata_reads = 600;
    in->metadata_fills = 40;
    assert_true(petal_eval_offchip_bytes(&a, &r) == 2700.0);
    /* Without a level-wide width, the format's rank width; without either,
     * the level's word. */
    a.levels[0].sparse.metadata_word_bits = 0;
    a.levels[0].sparse.format[PETAL_DS_INPUTS].ranks[0].metadata_word_bits = 4;
    assert_true(petal_eval_offchip_bytes(&a, &r) == 2300.0 + 640 * 4 / 8.0);
    memset(&a.levels[0].sparse, 0, sizeof a.levels[0].sparse);
    assert_true(petal_eval_offchip_bytes(&a, &r) == 2300.0 + 640 * 16 / 8.0);
}

int main(void)
{
    petal_set_warning_handler(NULL, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(network_and_layer_densities),
        cmocka_unit_test(profile_by_layer_name),
        cmocka_unit_test(bad_profiles_change_nothing),
        cmocka_unit_test(offchip_bytes_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
