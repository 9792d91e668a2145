/* test_problem.c - layer constructors: dimensions, projections, counts, rejections,
 * and the name limit of layers and networks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "petal/network.h"
#include "petal/problem.h"

static void conv_dims_and_counts(void **state)
{
    (void)state;
    petal_problem p;
    /* torchvision alexnet conv1: 3x224x224 -> 64x55x55, 11x11 stride 4 pad 2. */
    petal_conv_params c = {.batch = 1, .in_channels = 3, .in_h = 224, .in_w = 224,
                           .out_channels = 64, .kernel_h = 11, .kernel_w = 11,
                           .stride_h = 4, .stride_w = 4,
                           .pad_top = 2, .pad_bottom = 2, .pad_left = 2, .pad_right = 2};
    assert_int_equal(petal_problem_conv(&p, "conv1", &c), PETAL_OK);
    assert_int_equal(p.ndims, 7);
    assert_int_equal(p.bounds[petal_problem_dim(&p, "P")], 55);
    assert_int_equal(p.bounds[petal_problem_dim(&p, "Q")], 55);
    assert_int_equal(petal_problem_macs(&p), 70276800ull);
    assert_int_equal(petal_problem_weights(&p), 23232);
    assert_int_equal(petal_problem_input_words(&p), 3 * 224 * 224);
    assert_int_equal(petal_problem_output_words(&p), 64 * 55 * 55);
    /* The projected input extent covers the padded rows the layer touches. */
    assert_int_equal(petal_problem_ds_words(&p, PETAL_DS_INPUTS), 3 * 227 * 227);
    assert_int_equal(petal_problem_check(&p), PETAL_OK);
}

static void depthwise_has_groups(void **state)
{
    (void)state;
    petal_problem p;
    petal_conv_params c = {.batch = 1, .in_channels = 32, .in_h = 112, .in_w = 112,
                           .out_channels = 32, .kernel_h = 3, .kernel_w = 3,
                           .pad_top = 1, .pad_bottom = 1, .pad_left = 1, .pad_right = 1,
                           .groups = 32};
    assert_int_equal(petal_problem_conv(&p, "dw", &c), PETAL_OK);
    assert_int_equal(p.bounds[petal_problem_dim(&p, "G")], 32);
    assert_int_equal(p.bounds[petal_problem_dim(&p, "M")], 1);
    assert_int_equal(p.bounds[petal_problem_dim(&p, "C")], 1);
    assert_int_equal(petal_problem_macs(&p), 32ull * 112 * 112 * 9);
    assert_int_equal(petal_problem_weights(&p), 32 * 9);
}

static void dilation_extends_the_window(void **state)
{
    (void)state;
    petal_problem p;
    petal_conv_params c = {.batch = 1, .in_channels = 1, .in_h = 10, .in_w = 10,
                           .out_channels = 1, .kernel_h = 3, .kernel_w = 3,
                           .dilation_h = 2, .dilation_w = 2};
    assert_int_equal(petal_problem_conv(&p, "dil", &c), PETAL_OK);
    assert_int_equal(p.bounds[petal_problem_dim(&p, "P")], 6);
}

static void rejects_bad_shapes(void **state)
{
    (void)state;
    petal_problem p;
    petal_conv_params big_kernel = {.batch = 1, .in_channels = 1, .in_h = 4, .in_w = 4,
                                    .out_channels = 1, .kernel_h = 5, .kernel_w = 5};
    assert_int_equal(petal_problem_conv(&p, "bigk", &big_kernel), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "bigk"));
    assert_non_null(strstr(petal_error_message(), "kernel"));

    petal_conv_params big_stride = {.batch = 1, .in_channels = 1, .in_h = 4, .in_w = 4,
                                    .out_channels = 1, .kernel_h = 1, .kernel_w = 1,
                                    .stride_h = 5, .stride_w = 1};
    assert_int_equal(petal_problem_conv(&p, "bigs", &big_stride), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "stride"));

    petal_conv_params zero = {.batch = 1, .in_channels = 0, .in_h = 4, .in_w = 4,
                              .out_channels = 1, .kernel_h = 1, .kernel_w = 1};
    assert_int_equal(petal_problem_conv(&p, "zero", &zero), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "zero"));

    assert_int_equal(petal_problem_fc(&p, "neg", 1, -3, 10), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "neg"));
}

/* Sizes past PETAL_BOUND_MAX and products past 64 bits fail instead of wrapping. */
static void rejects_overflow(void **state)
{
    (void)state;
    petal_problem p;
    petal_conv_params huge = {.batch = 1, .in_channels = 1, .in_h = 4, .in_w = INT64_MAX,
                              .out_channels = 1, .kernel_h = 1, .kernel_w = 1,
                              .pad_left = INT64_MAX};
    assert_int_equal(petal_problem_conv(&p, "huge", &huge), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "huge"));

    petal_matmul_params big = {.batch = PETAL_BOUND_MAX, .m = PETAL_BOUND_MAX,
                               .k = PETAL_BOUND_MAX, .n = PETAL_BOUND_MAX};
    assert_int_equal(petal_problem_matmul(&p, "big", &big), PETAL_EOVERFLOW);
    assert_non_null(strstr(petal_error_message(), "big"));

    petal_matmul_params fits = {.batch = 1, .m = PETAL_BOUND_MAX, .k = PETAL_BOUND_MAX, .n = 2};
    assert_int_equal(petal_problem_matmul(&p, "fits", &fits), PETAL_OK);
}

static void matmul_counts(void **state)
{
    (void)state;
    petal_problem p;
    petal_matmul_params qk = {.batch = 12, .m = 128, .k = 64, .n = 128,
                              .weights_batched = true, .weights_are_params = false};
    assert_int_equal(petal_problem_matmul(&p, "qk", &qk), PETAL_OK);
    assert_int_equal(petal_problem_macs(&p), 12ull * 128 * 64 * 128);
    assert_int_equal(petal_problem_weights(&p), 0);
    assert_int_equal(petal_problem_output_words(&p), 12 * 128 * 128);
}

/* A name of PETAL_NAME_MAX - 1 characters is kept whole; a longer one fails
 * naming the limit instead of being cut (issue 11). */
static void names_at_and_over_the_limit(void **state)
{
    (void)state;
    char at[PETAL_NAME_MAX], over[PETAL_NAME_MAX + 1];
    memset(at, 'a', sizeof at - 1);
    at[sizeof at - 1] = '\0';
    memset(over, 'o', sizeof over - 1);
    over[sizeof over - 1] = '\0';
    const char *limit = "is 64 characters; petal keeps at most PETAL_NAME_MAX - 1 = 63";
    petal_problem p;
    petal_matmul_params mm = {.batch = 1, .m = 2, .k = 3, .n = 4, .weights_are_params = true};
    assert_int_equal(petal_problem_fc(&p, at, 1, 8, 4), PETAL_OK);
    assert_string_equal(p.name, at);
    assert_int_equal(petal_problem_matmul(&p, at, &mm), PETAL_OK);
    assert_string_equal(p.name, at);
    assert_int_equal(petal_problem_fc(&p, over, 1, 8, 4), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "layer name 'ooo"));
    assert_non_null(strstr(petal_error_message(), limit));
    assert_int_equal(petal_problem_matmul(&p, over, &mm), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), limit));

    petal_network net;
    assert_int_equal(petal_network_init(&net, at), PETAL_OK);
    assert_string_equal(net.name, at);
    assert_int_equal(petal_network_init(&net, over), PETAL_EINVAL);
    assert_string_equal(net.name, "");
    assert_int_equal(net.nlayers, 0);
    assert_non_null(strstr(petal_error_message(), limit));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(conv_dims_and_counts),
        cmocka_unit_test(depthwise_has_groups),
        cmocka_unit_test(dilation_extends_the_window),
        cmocka_unit_test(rejects_bad_shapes),
        cmocka_unit_test(rejects_overflow),
        cmocka_unit_test(matmul_counts),
        cmocka_unit_test(names_at_and_over_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
