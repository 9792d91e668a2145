/* test_density.c - densities as users give them (docs/densities.md): the
 * parser's readings (a plain number is fixed_structured, as a Timeloop
 * problem's densities are), its refusals, the check, applying a list to a
 * problem, and the expected non-zero counts worked out by hand. Core only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>
#include <cmocka.h>

#include "petal/error.h"
#include "petal/network.h"
#include "petal/problem.h"
#include "petal/sparse.h"

static void plain_number_is_fixed_structured(void **state)
{
    (void)state;
    petal_density d[PETAL_NUM_DS];
    memset(d, 0, sizeof d);
    assert_int_equal(petal_density_parse("Weights=0.35,Inputs=0.6", d), PETAL_OK);
    assert_int_equal(d[PETAL_DS_WEIGHTS].kind, PETAL_DENSITY_FIXED_STRUCTURED);
    assert_true(d[PETAL_DS_WEIGHTS].density == 0.35);
    assert_int_equal(d[PETAL_DS_INPUTS].kind, PETAL_DENSITY_FIXED_STRUCTURED);
    assert_true(d[PETAL_DS_INPUTS].density == 0.6);
    /* Outputs not named: untouched, still "not given". */
    assert_false(petal_density_given(&d[PETAL_DS_OUTPUTS]));
    assert_true(petal_density_given(&d[PETAL_DS_WEIGHTS]));
}

static void named_distributions(void **state)
{
    (void)state;
    petal_density d[PETAL_NUM_DS];
    memset(d, 0, sizeof d);
    assert_int_equal(petal_density_parse("Weights=hypergeometric:0.35,ifmap=fixed:0.5,"
                                         "Outputs=dense",
                                         d),
                     PETAL_OK);
    assert_int_equal(d[0].kind, PETAL_DENSITY_HYPERGEOMETRIC);
    assert_true(d[0].density == 0.35);
    assert_int_equal(d[1].kind, PETAL_DENSITY_FIXED_STRUCTURED);
    assert_true(d[1].density == 0.5);
    assert_int_equal(d[2].kind, PETAL_DENSITY_DENSE);
    assert_true(d[2].density == 1);
    assert_true(petal_density_given(&d[2])); /* dense said out loud */
    petal_density one;
    assert_int_equal(petal_density_parse_value("fixed_structured:1", &one), PETAL_OK);
    assert_int_equal(one.kind, PETAL_DENSITY_FIXED_STRUCTURED);
    assert_int_equal(petal_density_parse_value("FIXED-STRUCTURED:0", &one), PETAL_OK);
    assert_true(one.density == 0);
}

static void refusals_keep_the_list(void **state)
{
    (void)state;
    static const struct {
        const char *text, *message;
    } bad[] = {
        {"Weights=1.5", "density: Weights: a density of 1.5 is out of range"},
        {"Weights=-0.1", "density: Weights: a density of -0.1 is out of range"},
        {"Inputs=uniform:0.3", "density: Inputs: 'uniform' is not a density distribution"},
        {"Inputs=hypergeometric", "density: Inputs: hypergeometric needs a density"},
        {"Inputs=hypergeometric:2", "density: Inputs: hypergeometric: a density of 2 is out"},
        {"Inputs=banded:3", "density: Inputs: banded: its density follows from a band width"},
        {"Inputs=dense:0.5", "density: Inputs: dense takes no density"},
        {"Inputs=0x0.8", "density: Inputs: '0x0.8' is not a density"},
        {"Inputs=nan", "density: Inputs: 'nan' is not a density distribution"},
        {"Inputs=0.5,Inputs=0.4", "density: Inputs is given twice"},
        {"Psums=0.5", "density: 'Psums' is not a data space of a layer"},
        {"Bias=0.5", "density: 'Bias' is not a data space of a layer"},
        {"Weights", "density: item 'Weights' is not NAME=DENSITY"},
        {"Weights=0.5,", "density: item '' is not NAME=DENSITY"},
        {"", "density: empty"},
        {"Weights=", "density: Weights: empty density"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        petal_density d[PETAL_NUM_DS];
        memset(d, 0, sizeof d);
        d[2].kind = PETAL_DENSITY_HYPERGEOMETRIC;
        d[2].density = 0.25;
        petal_density keep[PETAL_NUM_DS];
        memcpy(keep, d, sizeof d);
        if (petal_density_parse(bad[i].text, d) != PETAL_EINVAL)
            fail_msg("'%s' was taken", bad[i].text);
        if (!strstr(petal_error_message(), bad[i].message))
            fail_msg("'%s': message '%s' lacks '%s'", bad[i].text, petal_error_message(),
                     bad[i].message);
        assert_memory_equal(d, keep, sizeof d);
    }
}

static void check(void **state)
{
    (void)state;
    petal_density d = {PETAL_DENSITY_HYPERGEOMETRIC, 0.5, 0};
    assert_int_equal(petal_density_check(&d), PETAL_OK);
    d.density = 1.01;
    assert_int_equal(petal_density_check(&d), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "out of range"));
    d.density = NAN;
    assert_int_equal(petal_density_check(&d), PETAL_EINVAL);
    d.density = 0.5;
    d.kind = 9;
    assert_int_equal(petal_density_check(&d), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "unknown density distribution"));
}

/* AlexNet conv2 (zoo, torchvision, batch 1): M 192, C 64, P Q 27, R S 5:
 * 223,948,800 MACs and 307,200 weights. */
static void nonzero_counts_by_hand(void **state)
{
    (void)state;
    petal_network net;
    assert_int_equal(petal_zoo_build("alexnet", &net), PETAL_OK);
    petal_problem p = *petal_network_find(&net, "conv2", NULL);
    petal_network_free(&net);
    uint64_t macs = petal_problem_macs(&p), weights = petal_problem_weights(&p);
    assert_false(petal_problem_has_density(&p));
    assert_true(petal_problem_nonzero_macs(&p) == (double)macs);
    assert_true(petal_problem_nonzero_weights(&p) == (double)weights);

    petal_density over[PETAL_NUM_DS];
    memset(over, 0, sizeof over);
    assert_int_equal(petal_density_parse("Weights=0.35,Inputs=hypergeometric:0.6", over), 0);
    petal_problem same = p;
    petal_density_apply(&p, over);
    assert_true(petal_problem_has_density(&p));
    assert_false(petal_problem_same_shape(&p, &same)); /* densities change the best mapping */
    assert_int_equal(p.density[0].kind, PETAL_DENSITY_FIXED_STRUCTURED);
    assert_int_equal(p.density[1].kind, PETAL_DENSITY_HYPERGEOMETRIC);
    assert_false(petal_density_given(&p.density[2]));
    /* 223948800 x 0.35 x 0.6 = 47029248; 307200 x 0.35 = 107520. */
    assert_true(fabs(petal_problem_nonzero_macs(&p) - 47029248.0) < 1e-3);
    assert_true(fabs(petal_problem_nonzero_weights(&p) - 107520.0) < 1e-6);
    /* Outputs do not enter the non-zero MACs. */
    memset(over, 0, sizeof over);
    assert_int_equal(petal_density_parse("Outputs=0.1", over), 0);
    petal_density_apply(&p, over);
    assert_true(fabs(petal_problem_nonzero_macs(&p) - 47029248.0) < 1e-3);
    /* "dense" given over a density: back to the all-zero dense of a layer
     * that names none. */
    memset(over, 0, sizeof over);
    assert_int_equal(petal_density_parse("Weights=dense,Inputs=dense,Outputs=dense", over), 0);
    petal_density_apply(&p, over);
    assert_false(petal_problem_has_density(&p));
    assert_true(petal_problem_same_shape(&p, &same));
    /* Banded (from Timeloop files only): the fraction is not known here. */
    p.density[0].kind = PETAL_DENSITY_BANDED;
    p.density[0].band_width = 2;
    assert_true(isnan(petal_problem_nonzero_macs(&p)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_number_is_fixed_structured), cmocka_unit_test(named_distributions),
        cmocka_unit_test(refusals_keep_the_list),           cmocka_unit_test(check),
        cmocka_unit_test(nonzero_counts_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
