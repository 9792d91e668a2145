/* test_onnx_graph.c - the ONNX reader on graphs built here with protobuf-c:
 * convolution geometry, Gemm and MatMul mapping, folded Reshape targets,
 * execution order, cycles, operators petal does not know, stated shapes,
 * bulk tensor data that must be skipped, and names at their limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "formats/onnx/onnx_wire.h"
#include "onnx_build.h"
#include "support/reader_io.c"

static onnx_build *b;
static petal_network net;

static int setup(void **state)
{
    (void)state;
    b = calloc(1, sizeof *b);
    ob_init(b, 13);
    warnings[0] = '\0';
    petal_set_warning_handler(collect_warning, NULL);
    memset(&net, 0, sizeof net);
    return b ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    petal_network_free(&net);
    petal_set_warning_handler(NULL, NULL);
    ob_free(b);
    free(b);
    return 0;
}

static void load_ok(void)
{
    petal_status st = ob_load(b, &net);
    if (st)
        fail_msg("load failed: %s", petal_error_message());
}

/* The load fails with `status` and a message containing `text`. */
static void load_fails(petal_status status, const char *text)
{
    petal_status st = ob_load(b, &net);
    if (st != status || !strstr(petal_error_message(), text))
        fail_msg("status %d, expected %d; message '%s' should contain '%s'", st, status,
                 petal_error_message(), text);
    assert_int_equal(net.nlayers, 0);
}

static uint64_t dim(const petal_problem *p, const char *name)
{
    int d = petal_problem_dim(p, name);
    assert_true(d >= 0);
    return p->bounds[d];
}

/* --- convolution geometry --- */

static void test_conv_pads_strides_dilations(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(1, 8, 20, 30));
    ob_weight(b, "w", 4, DIMS(16, 8, 3, 5));
    Onnx__NodeProto *n = ob_node(b, "Conv", "c", "x,w", "y");
    ob_ints(b, n, "strides", 2, DIMS(2, 3));
    ob_ints(b, n, "dilations", 2, DIMS(2, 1));
    ob_ints(b, n, "pads", 4, DIMS(1, 2, 3, 0)); /* top, left, bottom, right */
    load_ok();
    const petal_problem *p = &net.layers[0];
    /* rows: (20 + 4 - 5) / 2 + 1 = 10; columns: (30 + 2 - 5) / 3 + 1 = 10 */
    assert_int_equal(dim(p, "P"), 10);
    assert_int_equal(dim(p, "Q"), 10);
    assert_int_equal(p->source.conv.pad_top, 1);
    assert_int_equal(p->source.conv.pad_bottom, 3);
    assert_int_equal(p->source.conv.pad_left, 2);
    assert_int_equal(p->source.conv.pad_right, 0);
    assert_int_equal(p->source.conv.dilation_h, 2);
    assert_int_equal(petal_problem_macs(p), 16ull * 8 * 10 * 10 * 3 * 5);
}

static void test_conv_auto_pad(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(1, 4, 7, 8));
    ob_weight(b, "w", 4, DIMS(4, 4, 3, 4));
    Onnx__NodeProto *upper = ob_node(b, "Conv", "upper", "x,w", "y");
    ob_ints(b, upper, "strides", 2, DIMS(2, 2));
    ob_string(b, upper, "auto_pad", "SAME_UPPER");
    Onnx__NodeProto *lower = ob_node(b, "Conv", "lower", "x,w", "z");
    ob_ints(b, lower, "strides", 2, DIMS(2, 2));
    ob_string(b, lower, "auto_pad", "SAME_LOWER");
    Onnx__NodeProto *valid = ob_node(b, "Conv", "valid", "x,w", "v");
    ob_string(b, valid, "auto_pad", "VALID");
    load_ok();
    assert_int_equal(net.nlayers, 3);
    /* rows: out 4, total pad (4-1)*2 + 3 - 7 = 2; columns: out 4, total (4-1)*2 + 4 - 8 = 2 */
    const petal_conv_params *u = &net.layers[0].source.conv, *l = &net.layers[1].source.conv;
    assert_int_equal(dim(&net.layers[0], "P"), 4);
    assert_int_equal(dim(&net.layers[0], "Q"), 4);
    assert_int_equal(u->pad_top, 1);
    assert_int_equal(u->pad_bottom, 1);
    /* columns with kernel 4 and stride 2 on 8: total 2 */
    assert_int_equal(u->pad_left + u->pad_right, 2);
    assert_int_equal(dim(&net.layers[1], "P"), 4);
    assert_int_equal(l->pad_top, 1);
    assert_int_equal(dim(&net.layers[2], "P"), 5);
    assert_int_equal(dim(&net.layers[2], "Q"), 5);

    /* An odd total pad goes to the end (UPPER) or the beginning (LOWER). */
    teardown(NULL);
    setup(NULL);
    ob_input(b, "x", 4, DIMS(1, 1, 6, 6));
    ob_weight(b, "w", 4, DIMS(1, 1, 4, 4));
    ob_string(b, ob_node(b, "Conv", "upper", "x,w", "y"), "auto_pad", "SAME_UPPER");
    ob_string(b, ob_node(b, "Conv", "lower", "x,w", "z"), "auto_pad", "SAME_LOWER");
    load_ok();
    assert_int_equal(net.layers[0].source.conv.pad_top, 1);
    assert_int_equal(net.layers[0].source.conv.pad_bottom, 2);
    assert_int_equal(net.layers[1].source.conv.pad_top, 2);
    assert_int_equal(net.layers[1].source.conv.pad_bottom, 1);
    assert_int_equal(dim(&net.layers[1], "P"), 6);
}

static void test_conv_groups_and_1d(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(2, 32, 14, 14));
    ob_weight(b, "dw", 4, DIMS(32, 1, 3, 3));
    Onnx__NodeProto *n = ob_node(b, "Conv", "depthwise", "x,dw", "y");
    ob_int(b, n, "group", 32);
    ob_ints(b, n, "pads", 4, DIMS(1, 1, 1, 1));
    ob_weight(b, "gw", 4, DIMS(64, 8, 1, 1));
    ob_int(b, ob_node(b, "Conv", "grouped", "y,gw", "z"), "group", 4);
    ob_input(b, "s", 3, DIMS(1, 16, 100));
    ob_weight(b, "w1", 3, DIMS(24, 16, 5));
    ob_ints(b, ob_node(b, "Conv", "conv1d", "s,w1", "t"), "strides", 1, DIMS(5));
    load_ok();
    assert_int_equal(net.nlayers, 3);
    assert_int_equal(dim(&net.layers[0], "G"), 32);
    assert_int_equal(petal_problem_weights(&net.layers[0]), 32 * 9);
    assert_int_equal(petal_problem_macs(&net.layers[0]), 2ull * 32 * 14 * 14 * 9);
    assert_int_equal(dim(&net.layers[1], "G"), 4);
    assert_int_equal(petal_problem_weights(&net.layers[1]), 64 * 8);
    assert_int_equal(dim(&net.layers[2], "P"), 1);
    assert_int_equal(dim(&net.layers[2], "Q"), 20);
    assert_int_equal(petal_problem_macs(&net.layers[2]), 24ull * 16 * 20 * 5);
}

static void test_conv_bad_channels(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(1, 3, 8, 8));
    ob_weight(b, "w", 4, DIMS(8, 4, 3, 3));
    ob_node(b, "Conv", "c1", "x,w", "y");
    load_fails(PETAL_EINVAL, "node 'c1' (Conv): input [1, 3, 8, 8] and weights [8, 4, 3, 3]");
}

/* --- pooling: ceil mode as PyTorch (and current ONNX) define it --- */

static void test_pool_ceil_mode(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(1, 4, 110, 6));
    Onnx__NodeProto *pool = ob_node(b, "MaxPool", "pool", "x", "p");
    ob_ints(b, pool, "kernel_shape", 2, DIMS(3, 2));
    ob_ints(b, pool, "strides", 2, DIMS(2, 2));
    ob_ints(b, pool, "pads", 4, DIMS(0, 1, 0, 1));
    ob_int(b, pool, "ceil_mode", 1);
    ob_weight(b, "w", 4, DIMS(4, 4, 1, 1));
    ob_node(b, "Conv", "after", "p,w", "y");
    load_ok();
    /* rows: ceil((110 - 3) / 2) + 1 = 55 (floor would give 54); columns: (6 + 2 - 2) / 2 + 1 */
    assert_int_equal(dim(&net.layers[0], "P"), 55);
    assert_int_equal(dim(&net.layers[0], "Q"), 4);

    teardown(NULL);
    setup(NULL);
    ob_input(b, "x", 4, DIMS(1, 1, 5, 5));
    pool = ob_node(b, "AveragePool", "pool", "x", "p");
    ob_ints(b, pool, "kernel_shape", 2, DIMS(2, 2));
    ob_ints(b, pool, "strides", 2, DIMS(2, 2));
    ob_ints(b, pool, "pads", 4, DIMS(1, 1, 1, 1));
    ob_int(b, pool, "ceil_mode", 1);
    ob_weight(b, "w", 4, DIMS(1, 1, 1, 1));
    ob_node(b, "Conv", "after", "p,w", "y");
    load_ok();
    /* ceil((5 + 2 - 2) / 2) + 1 = 4, and the fourth window starts at 6 >= 5 + 1: dropped */
    assert_int_equal(dim(&net.layers[0], "P"), 3);
}

/* --- Gemm and MatMul --- */

static void test_gemm_transposes(void **state)
{
    (void)state;
    ob_input(b, "a", 2, DIMS(256, 4));   /* transA: A is K x M */
    ob_weight(b, "w", 2, DIMS(256, 10)); /* K x N */
    ob_int(b, ob_node(b, "Gemm", "g1", "a,w", "y"), "transA", 1);
    ob_input(b, "x", 2, DIMS(3, 64));
    ob_weight(b, "wt", 2, DIMS(32, 64)); /* transB: N x K */
    ob_int(b, ob_node(b, "Gemm", "g2", "x,wt", "z"), "transB", 1);
    ob_input(b, "u", 2, DIMS(5, 7));
    ob_node(b, "Gemm", "g3", "u,a", "bad");
    load_fails(PETAL_EINVAL, "node 'g3' (Gemm): A [5, 7] and B [256, 4] have inner extents 7 "
                             "and 256");
    ob_free(b);
    ob_init(b, 13);
    ob_input(b, "a", 2, DIMS(256, 4));
    ob_weight(b, "w", 2, DIMS(256, 10));
    ob_int(b, ob_node(b, "Gemm", "g1", "a,w", "y"), "transA", 1);
    ob_input(b, "x", 2, DIMS(3, 64));
    ob_weight(b, "wt", 2, DIMS(32, 64));
    ob_int(b, ob_node(b, "Gemm", "g2", "x,wt", "z"), "transB", 1);
    load_ok();
    assert_int_equal(net.layers[0].kind, PETAL_LAYER_FC);
    assert_int_equal(net.layers[0].source.conv.batch, 4);
    assert_int_equal(net.layers[0].source.conv.in_channels, 256);
    assert_int_equal(net.layers[0].source.conv.out_channels, 10);
    assert_int_equal(petal_problem_weights(&net.layers[0]), 2560);
    assert_int_equal(petal_problem_macs(&net.layers[1]), 3 * 64 * 32);
    assert_int_equal(petal_problem_weights(&net.layers[1]), 64 * 32);
}

/* A transformer block's products: projections with weights, attention without. */
static void test_matmul_attention(void **state)
{
    (void)state;
    ob_input(b, "h", 3, DIMS(2, 128, 768));
    ob_weight(b, "wq", 2, DIMS(768, 768));
    ob_node(b, "MatMul", "q_proj", "h,wq", "q");
    ob_ints_init(b, "heads", 1, DIMS(4), DIMS(2, 128, 12, 64));
    ob_node(b, "Reshape", "q_split", "q,heads", "q4");
    ob_ints(b, ob_node(b, "Transpose", "q_t", "q4", "qh"), "perm", 4, DIMS(0, 2, 1, 3));
    ob_ints(b, ob_node(b, "Transpose", "k_t", "q4", "kt"), "perm", 4, DIMS(0, 2, 3, 1));
    ob_node(b, "MatMul", "scores", "qh,kt", "s"); /* [2,12,128,128] */
    ob_int(b, ob_node(b, "Softmax", "softmax", "s", "p"), "axis", -1);
    ob_node(b, "MatMul", "context", "p,qh", "c");        /* [2,12,128,64] */
    ob_weight(b, "wo_heads", 3, DIMS(12, 64, 768));      /* per-head weights */
    ob_node(b, "MatMul", "per_head", "c,wo_heads", "o"); /* [2,12,128,768] */
    ob_weight(b, "v", 1, DIMS(768));
    ob_node(b, "MatMul", "dot", "o,v", "r"); /* vector: [2,12,128] */
    ob_output(b, "r", 3, DIMS(2, 12, 128));
    load_ok();
    assert_int_equal(net.nlayers, 5);
    const petal_problem *q = &net.layers[0], *s = &net.layers[1], *c = &net.layers[2];
    const petal_problem *h = &net.layers[3], *d = &net.layers[4];
    assert_int_equal(q->kind, PETAL_LAYER_MATMUL);
    assert_int_equal(q->source.matmul.batch, 2);
    assert_int_equal(q->source.matmul.m, 128);
    assert_int_equal(petal_problem_weights(q), 768 * 768);
    assert_false(q->source.matmul.weights_batched);

    assert_false(s->weights_are_params);
    assert_int_equal(petal_problem_weights(s), 0);
    assert_int_equal(s->source.matmul.batch, 24);
    assert_int_equal(s->source.matmul.k, 64);
    assert_int_equal(s->source.matmul.n, 128);
    assert_true(s->source.matmul.weights_batched);
    assert_int_equal(petal_problem_macs(c), 24ull * 128 * 128 * 64);

    assert_true(h->source.matmul.weights_batched);
    assert_int_equal(petal_problem_macs(h), 24ull * 128 * 64 * 768);
    assert_int_equal(petal_problem_macs(d), 24ull * 128 * 768);
    assert_int_equal(d->source.matmul.n, 1);
    assert_int_equal(net.batch, 2); /* the input's leading extent */
}

static void test_matmul_broadcast_error(void **state)
{
    (void)state;
    ob_input(b, "a", 3, DIMS(3, 4, 5));
    ob_input(b, "c", 3, DIMS(2, 5, 6));
    ob_node(b, "MatMul", "mm", "a,c", "y");
    load_fails(PETAL_EINVAL, "the batch dimensions of A [3, 4, 5] and B [2, 5, 6] do not");
}

/* The weight may be the first operand: the product is taken transposed. */
static void test_matmul_weight_first(void **state)
{
    (void)state;
    ob_weight(b, "w", 2, DIMS(10, 256));
    ob_input(b, "x", 2, DIMS(256, 3));
    ob_node(b, "MatMul", "mm", "w,x", "y");
    ob_output(b, "y", 2, DIMS(10, 3));
    load_ok();
    assert_int_equal(net.layers[0].kind, PETAL_LAYER_FC);
    assert_int_equal(net.layers[0].source.conv.batch, 3);
    assert_int_equal(net.layers[0].source.conv.out_channels, 10);
    assert_int_equal(petal_problem_weights(&net.layers[0]), 2560);
}

/* A weight reached through Identity and Transpose is still a parameter. */
static void test_param_through_ops(void **state)
{
    (void)state;
    ob_input(b, "x", 2, DIMS(4, 16));
    ob_weight(b, "w", 2, DIMS(8, 16));
    ob_node(b, "Identity", NULL, "w", "w1");
    ob_node(b, "Transpose", NULL, "w1", "wt");
    ob_node(b, "MatMul", NULL, "x,wt", "y");
    ob_node(b, "MatMul", NULL, "y,y_t", "z");
    ob_node(b, "Transpose", NULL, "y", "y_t");
    load_ok();
    assert_int_equal(net.nlayers, 2);
    assert_string_equal(net.layers[0].name, "MatMul_2");
    assert_int_equal(net.layers[0].kind, PETAL_LAYER_FC);
    assert_int_equal(petal_problem_weights(&net.layers[0]), 128);
    assert_string_equal(net.layers[1].name, "MatMul_3");
    assert_int_equal(net.layers[1].kind, PETAL_LAYER_MATMUL);
    assert_int_equal(petal_problem_weights(&net.layers[1]), 0);
}

/* --- folded shape computations --- */

/* PyTorch's x.view(x.size(0), -1): Shape, Gather, Unsqueeze, Concat, Reshape. */
static void test_reshape_target_folded(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(2, 8, 4, 4));
    ob_node(b, "Shape", "shape", "x", "s");
    ob_const(b, "zero", 0, NULL, DIMS(0));
    ob_int(b, ob_node(b, "Gather", "gather", "s,zero", "n"), "axis", 0);
    ob_const(b, "axes", 1, DIMS(1), DIMS(0));
    ob_node(b, "Unsqueeze", "unsqueeze", "n,axes", "n1");
    ob_const(b, "minus_one", 1, DIMS(1), DIMS(-1));
    ob_int(b, ob_node(b, "Concat", "concat", "n1,minus_one", "target"), "axis", 0);
    ob_node(b, "Reshape", "reshape", "x,target", "flat");
    ob_weight(b, "w", 2, DIMS(128, 10));
    ob_node(b, "MatMul", "fc", "flat,w", "y");
    ob_output(b, "y", 2, DIMS(2, 10));
    load_ok();
    assert_int_equal(net.nlayers, 1);
    assert_int_equal(net.layers[0].kind, PETAL_LAYER_FC);
    assert_int_equal(net.layers[0].source.conv.batch, 2);
    assert_int_equal(net.layers[0].source.conv.in_channels, 128);
    assert_int_equal(petal_problem_macs(&net.layers[0]), 2 * 128 * 10);
}

/* Arithmetic on shapes (heads x head size), Slice, Squeeze and opset-11 attributes. */
static void test_shape_arithmetic(void **state)
{
    (void)state;
    ob_free(b);
    ob_init(b, 11);
    ob_input(b, "x", 3, DIMS(1, 10, 96));
    ob_node(b, "Shape", NULL, "x", "s");
    ob_const(b, "starts", 1, DIMS(1), DIMS(0));
    ob_const(b, "ends", 1, DIMS(1), DIMS(2));
    ob_node(b, "Slice", NULL, "s,starts,ends", "bs"); /* [1, 10] */
    ob_const(b, "heads", 1, DIMS(2), DIMS(4, 24));
    ob_const(b, "two", 0, NULL, DIMS(2));
    ob_node(b, "Div", NULL, "heads,two", "half"); /* [2, 12] */
    ob_node(b, "Mul", NULL, "half,two", "again"); /* [4, 24] */
    ob_int(b, ob_node(b, "Concat", NULL, "bs,again", "target"), "axis", 0);
    ob_node(b, "Reshape", NULL, "x,target", "r"); /* [1, 10, 4, 24] */
    ob_ints(b, ob_node(b, "Unsqueeze", NULL, "r", "u"), "axes", 1, DIMS(0));
    ob_ints(b, ob_node(b, "Squeeze", NULL, "u", "sq"), "axes", 2, DIMS(0, 1));
    ob_weight(b, "w", 2, DIMS(24, 5));
    ob_node(b, "MatMul", "proj", "sq,w", "y");
    ob_output(b, "y", 3, DIMS(10, 4, 5));
    load_ok();
    assert_int_equal(net.layers[0].source.matmul.batch, 10);
    assert_int_equal(net.layers[0].source.matmul.m, 4);
    assert_int_equal(net.layers[0].source.matmul.k, 24);
}

/* Integer contents stored as little-endian raw data, 64- and 32-bit. */
static void test_raw_integer_contents(void **state)
{
    (void)state;
    static const uint8_t target[] = {4,    0,    0,    0,    0,    0,    0,   0, 0xff,
                                     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}; /* int64 [4, -1] */
    static const uint8_t index[] = {0xfe, 0xff, 0xff, 0xff};                    /* int32 [-2] */
    Onnx__TensorProto *t = ob_tensor(b, "target", 1, DIMS(2), NULL, sizeof target);
    t->data_type = 7;
    memcpy(t->raw_data.data, target, sizeof target);
    b->inits[b->graph.n_initializer++] = t;
    Onnx__TensorProto *i = ob_tensor(b, "index", 1, DIMS(1), NULL, sizeof index);
    i->data_type = 6;
    memcpy(i->raw_data.data, index, sizeof index);
    b->inits[b->graph.n_initializer++] = i;
    ob_input(b, "x", 3, DIMS(2, 2, 3));
    ob_node(b, "Reshape", NULL, "x,target", "r"); /* [4, 3] */
    ob_node(b, "Shape", NULL, "r", "s");
    ob_node(b, "Gather", NULL, "s,index", "rows"); /* [4] */
    ob_const(b, "three", 1, DIMS(1), DIMS(3));
    ob_int(b, ob_node(b, "Concat", NULL, "three,rows", "t2"), "axis", 0);
    ob_node(b, "Reshape", NULL, "r,t2", "r2"); /* [3, 4] */
    ob_weight(b, "w", 2, DIMS(4, 5));
    ob_node(b, "MatMul", "mm", "r2,w", "y");
    load_ok();
    assert_int_equal(net.layers[0].source.conv.batch, 3);
    assert_int_equal(net.layers[0].source.conv.in_channels, 4);
}

static void test_reshape_not_constant(void **state)
{
    (void)state;
    ob_input(b, "x", 2, DIMS(4, 6));
    ob_input(b, "target", 1, DIMS(2));
    ob_node(b, "Reshape", "dyn", "x,target", "r");
    ob_weight(b, "w", 2, DIMS(6, 2));
    ob_node(b, "MatMul", "mm", "r,w", "y");
    load_fails(PETAL_EINVAL, "node 'mm' (MatMul): the shape of its input 'r' is unknown: it "
                             "depends on node 'dyn' (Reshape), where its target shape 'target' "
                             "is not a constant petal can fold");
}

/* With a stated shape, a Reshape petal cannot fold still propagates. */
static void test_stated_shape_fallback(void **state)
{
    (void)state;
    ob_input(b, "x", 2, DIMS(4, 6));
    ob_input(b, "target", 1, DIMS(2));
    ob_node(b, "Reshape", "dyn", "x,target", "r");
    ob_info(b, "r", 2, DIMS(8, 3));
    ob_weight(b, "w", 2, DIMS(3, 2));
    ob_node(b, "MatMul", "mm", "r,w", "y");
    load_ok();
    assert_int_equal(net.layers[0].source.conv.batch, 8);
}

static void test_stated_shape_mismatch(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(1, 3, 32, 32));
    ob_weight(b, "w", 4, DIMS(8, 3, 3, 3));
    ob_node(b, "Conv", "c", "x,w", "y");
    ob_info(b, "y", 4, DIMS(1, 8, 32, 32)); /* petal: 30 x 30 without padding */
    load_fails(PETAL_EINVAL, "node 'c' (Conv): output 'y' has shape [1, 8, 30, 30] by petal's "
                             "inference but the file states [1, 8, 32, 32]");
}

/* Omitted optional inputs (empty names) are skipped, not folded. */
static void test_omitted_inputs(void **state)
{
    (void)state;
    ob_const(b, "cond", 1, DIMS(2), DIMS(1, 0));
    ob_const(b, "y", 1, DIMS(2), DIMS(5, 6));
    ob_node(b, "Where", "where", "cond,,y", "w");
    ob_input(b, "x", 2, DIMS(3, 2));
    ob_node(b, "Mul", "mul", "x,w", "m");
    ob_weight(b, "k", 2, DIMS(2, 4));
    ob_node(b, "MatMul", "mm", "m,k", "out");
    load_ok();
    assert_int_equal(petal_problem_macs(&net.layers[0]), 3 * 2 * 4);
}

/* --- quantized graphs: widths per layer (docs/precision.md) --- */

/* The widths of layer i as "W8 I8 O8 P32" (f after a float width). */
static void expect_widths(size_t i, const char *want)
{
    const petal_precision *pr = &net.layers[i].precision;
    char got[64] = "";
    size_t used = 0;
    for (int k = 0; k <= PETAL_PRECISION_PSUMS; k++)
        if (pr->bits[k])
            used +=
                (size_t)snprintf(got + used, sizeof got - used, "%s%c%u%s", used ? " " : "",
                                 "WIOP"[k], pr -> bits[k], pr -> float_mask &(1u << k) ? "f" : "");
    if (strcmp(got, want) != 0)
        fail_msg("layer %s: widths '%s', expected '%s'", net.layers[i].name, got, want);
}

/* QDQ: Quantize/Dequantize pairs around a float Conv, uint8 activations and
 * int8 weights, then a float32 Gemm that keeps the hardware's widths. */
static void test_qdq_conv(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(1, 3, 8, 8));
    ob_typed(b, "s", 0, NULL, 1);
    ob_typed(b, "zp_u8", 0, NULL, 2);
    ob_typed(b, "zp_i8", 0, NULL, 3);
    ob_typed(b, "w", 4, DIMS(4, 3, 3, 3), 3);
    ob_node(b, "QuantizeLinear", "qx", "x,s,zp_u8", "xq");
    ob_node(b, "DequantizeLinear", "dqx", "xq,s,zp_u8", "xd");
    ob_node(b, "DequantizeLinear", "dqw", "w,s,zp_i8", "wd");
    ob_node(b, "Conv", "conv", "xd,wd", "y");
    ob_node(b, "QuantizeLinear", "qy", "y,s,zp_i8", "yq");
    ob_node(b, "DequantizeLinear", "dqy", "yq,s,zp_i8", "yd");
    ob_node(b, "Flatten", "flat", "yd", "f");
    ob_weight(b, "fcw", 2, DIMS(144, 10));
    ob_node(b, "Gemm", "fc", "f,fcw", "out");
    load_ok();
    assert_int_equal(net.nlayers, 2);
    expect_widths(0, "W8 I8 O8 P32");
    /* Flatten carries the int8 width of yd on; the weights are fp32. */
    expect_widths(1, "W32f I8");
}

/* Operators that only move or select values (MaxPool, Relu, Reshape, Pad,
 * Transpose) between a DequantizeLinear and a layer keep its width; one that
 * computes new values (AveragePool) does not. */
static void test_width_through_pooling(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(1, 4, 8, 8));
    ob_typed(b, "s", 0, NULL, 1);
    ob_typed(b, "zp_u8", 0, NULL, 2);
    ob_typed(b, "zp_i8", 0, NULL, 3);
    ob_typed(b, "w", 4, DIMS(4, 4, 3, 3), 3);
    ob_node(b, "QuantizeLinear", "qx", "x,s,zp_u8", "xq");
    ob_node(b, "DequantizeLinear", "dqx", "xq,s,zp_u8", "xd");
    ob_node(b, "DequantizeLinear", "dqw", "w,s,zp_i8", "wd");
    Onnx__NodeProto *mp = ob_node(b, "MaxPool", "pool", "xd", "p");
    ob_ints(b, mp, "kernel_shape", 2, DIMS(2, 2));
    ob_ints(b, mp, "strides", 2, DIMS(2, 2));
    ob_node(b, "Relu", "relu", "p", "r");
    ob_info(b, "r", 4, DIMS(1, 4, 4, 4));
    ob_node(b, "Conv", "conv", "r,wd", "y");
    Onnx__NodeProto *ap = ob_node(b, "AveragePool", "avg", "xd", "a");
    ob_ints(b, ap, "kernel_shape", 2, DIMS(2, 2));
    ob_ints(b, ap, "strides", 2, DIMS(2, 2));
    ob_node(b, "Conv", "conv_avg", "a,wd", "z");
    load_ok();
    assert_int_equal(net.nlayers, 2);
    expect_widths(0, "W8 I8 P32"); /* no QuantizeLinear takes its outputs */
    expect_widths(1, "W8");        /* AveragePool computes new values: no width */
}

/* QLinearConv with int4 weights; ConvInteger; QLinearMatMul; MatMulInteger;
 * fp16 and bf16 operands. */
static void test_qlinear_and_integer(void **state)
{
    (void)state;
    ob_input_typed(b, "x", 4, DIMS(1, 3, 8, 8), 2);
    ob_typed(b, "s", 0, NULL, 1);
    ob_typed(b, "zp_u8", 0, NULL, 2);
    ob_typed(b, "zp_i4", 0, NULL, 22);
    ob_typed(b, "zp_i8", 0, NULL, 3);
    ob_typed(b, "w4", 4, DIMS(4, 3, 3, 3), 22);
    ob_node(b, "QLinearConv", "qconv", "x,s,zp_u8,w4,s,zp_i4,s,zp_i8", "y");
    ob_typed(b, "w8", 4, DIMS(4, 4, 1, 1), 3);
    ob_node(b, "ConvInteger", "iconv", "y,w8", "z");
    ob_input_typed(b, "a", 2, DIMS(2, 16), 2);
    ob_typed(b, "m8", 2, DIMS(16, 8), 3);
    ob_node(b, "QLinearMatMul", "qmm", "a,s,zp_u8,m8,s,zp_i8,s,zp_u8", "c");
    ob_node(b, "MatMulInteger", "imm", "a,m8", "d");
    ob_input_typed(b, "h", 2, DIMS(2, 16), 10);
    ob_typed(b, "m16", 2, DIMS(16, 8), 16);
    ob_node(b, "MatMul", "hmm", "h,m16", "e");
    load_ok();
    assert_int_equal(net.nlayers, 5);
    expect_widths(0, "W4 I8 O8 P32");
    expect_widths(1, "W8 I8 O32 P32"); /* its input: QLinearConv's int8 output */
    expect_widths(2, "W8 I8 O8 P32");
    expect_widths(3, "W8 I8 O32 P32");
    expect_widths(4, "W16f I16f");
}

/* A quantized node without its scale or zero point is refused, naming it. */
static void test_quantized_missing_scale(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(1, 3, 8, 8));
    ob_node(b, "QuantizeLinear", "qx", "x", "xq");
    ob_weight(b, "w", 4, DIMS(4, 3, 3, 3));
    ob_node(b, "Conv", "conv", "xq,w", "y");
    load_fails(PETAL_EINVAL, "node 'qx' (QuantizeLinear): input 1 (y_scale) is missing");
}

static void test_quantized_missing_zero_point(void **state)
{
    (void)state;
    ob_input_typed(b, "x", 4, DIMS(1, 3, 8, 8), 2);
    ob_typed(b, "s", 0, NULL, 1);
    ob_typed(b, "zp", 0, NULL, 2);
    ob_typed(b, "w", 4, DIMS(4, 3, 3, 3), 3);
    ob_node(b, "QLinearConv", "qconv", "x,s,zp,w,s,zp,s,", "y");
    load_fails(PETAL_EINVAL, "node 'qconv' (QLinearConv): input 7 (y_zero_point) is missing");
}

/* --- operators petal does not know --- */

static void test_unknown_operator_with_shape(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(1, 3, 8, 8));
    Onnx__NodeProto *up = ob_node(b, "Resize", "up", "x,,scales", "u");
    ob_ints_init(b, "scales", 1, DIMS(4), DIMS(1, 1, 2, 2));
    ob_info(b, "u", 4, DIMS(1, 3, 16, 16));
    ob_node(b, "FancyOp", "fancy1", "u", "f");
    ob_node(b, "FancyOp", "fancy2", "f", "g");
    ob_info(b, "f", 4, DIMS(1, 3, 16, 16));
    ob_info(b, "g", 4, DIMS(1, 3, 16, 16));
    ob_weight(b, "w", 4, DIMS(4, 3, 1, 1));
    ob_node(b, "Conv", "conv", "g,w", "y");
    (void)up;
    load_ok();
    assert_int_equal(net.nlayers, 1);
    assert_int_equal(dim(&net.layers[0], "P"), 16);
    assert_non_null(strstr(warnings, "test.onnx: 3 nodes with operators petal does not know, "
                                     "counted as zero MACs: Resize (1), FancyOp (2)"));
    assert_null(strchr(strchr(warnings, '\n') + 1, '\n')); /* one warning */
}

static void test_unknown_operator_without_shape(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(1, 3, 8, 8));
    ob_node(b, "FancyOp", "fancy", "x", "f");
    ob_node(b, "Relu", "relu", "f", "r");
    ob_weight(b, "w", 4, DIMS(4, 3, 1, 1));
    ob_node(b, "Conv", "conv", "r,w", "y");
    load_fails(PETAL_EINVAL, "node 'conv' (Conv): the shape of its input 'r' is unknown: it "
                             "depends on node 'fancy' (FancyOp), where petal does not know the "
                             "operator");
}

/* An unknown operator whose output reaches no layer costs nothing but the warning. */
static void test_unknown_operator_unused(void **state)
{
    (void)state;
    ob_input(b, "x", 2, DIMS(1, 16));
    ob_weight(b, "w", 2, DIMS(16, 4));
    ob_node(b, "MatMul", "fc", "x,w", "y");
    ob_node(b, "TopK", "topk", "y,k", "values,indices");
    ob_ints_init(b, "k", 1, DIMS(1), DIMS(1));
    ob_node(b, "Foreign", "foreign", "values", "out");
    b->nodes[2]->domain = ob_str(b, "com.example");
    load_ok();
    assert_int_equal(net.nlayers, 1);
    assert_non_null(strstr(warnings, "TopK (1), com.example.Foreign (1)"));
}

/* --- graph structure --- */

/* Nodes listed out of order run in dependency order; names are unique. */
static void test_unsorted_graph(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(1, 3, 8, 8));
    ob_weight(b, "w3", 4, DIMS(4, 4, 1, 1));
    ob_node(b, "Conv", "same", "b,w3", "c");
    ob_weight(b, "w2", 4, DIMS(4, 4, 1, 1));
    ob_node(b, "Conv", "same", "a,w2", "b");
    ob_weight(b, "w1", 4, DIMS(4, 3, 1, 1));
    ob_node(b, "Conv", "", "x,w1", "a");
    load_ok();
    assert_int_equal(net.nlayers, 3);
    assert_string_equal(net.layers[0].name, "Conv_2");
    assert_string_equal(net.layers[1].name, "same");
    assert_string_equal(net.layers[2].name, "same_2");
    assert_int_equal(net.layers[0].source.conv.in_channels, 3);
}

static void test_cycle(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(1, 3, 8, 8));
    ob_weight(b, "w", 4, DIMS(3, 3, 1, 1));
    ob_node(b, "Conv", "conv", "x,w", "c");
    ob_node(b, "Add", "add", "c,loop", "a");
    ob_node(b, "Relu", "relu", "a", "r");
    ob_node(b, "Sigmoid", "sigmoid", "r", "loop");
    load_fails(PETAL_EINVAL, "test.onnx: the graph has a cycle: node 'add' (Add) -> node 'relu' "
                             "(Relu) -> node 'sigmoid' (Sigmoid) -> node 'add' (Add)");
}

static void test_self_loop_and_dangling_input(void **state)
{
    (void)state;
    ob_input(b, "x", 2, DIMS(2, 2));
    ob_node(b, "Add", "self", "x,s", "s");
    load_fails(PETAL_EINVAL, "the graph has a cycle: node 'self' (Add) -> node 'self' (Add)");
    ob_free(b);
    ob_init(b, 13);
    ob_input(b, "x", 2, DIMS(2, 2));
    ob_node(b, "Add", "add", "x,nowhere", "s");
    load_fails(PETAL_EPARSE, "node 'add' (Add): input 'nowhere' is not a graph input, an "
                             "initializer or any node's output");
    ob_free(b);
    ob_init(b, 13);
    ob_input(b, "x", 2, DIMS(2, 2));
    ob_node(b, "Relu", "one", "x", "y");
    ob_node(b, "Relu", "two", "x", "y");
    load_fails(PETAL_EPARSE, "node 'two' (Relu): output 'y' is already another node's output");
}

/* --- the file --- */

/* Symbolic batch: taken as 1, with a warning; --batch scales from there. */
static void test_symbolic_batch(void **state)
{
    (void)state;
    ob_input(b, "x", 4, DIMS(OB_SYMBOLIC, 3, 8, 8));
    ob_weight(b, "w", 4, DIMS(4, 3, 3, 3));
    ob_node(b, "Conv", "c", "x,w", "y");
    ob_info(b, "y", 4, DIMS(OB_SYMBOLIC, 4, 6, 6));
    load_ok();
    assert_int_equal(net.layers[0].source.conv.batch, 1);
    assert_non_null(strstr(warnings, "symbolic extents of the graph inputs are taken as 1: N"));
}

/* Inline weights larger than the stripping threshold, in an initializer and in
 * a Constant node, with a small integer constant next to them that must stay. */
static void test_inline_weights_skipped(void **state)
{
    (void)state;
    ob_input(b, "x", 2, DIMS(3, 512));
    b->inits[b->graph.n_initializer++] = ob_tensor(b, "w", 2, DIMS(512, 512), NULL, 512 * 512 * 4);
    ob_node(b, "MatMul", "fc1", "x,w", "y");
    Onnx__NodeProto *c = ob_node(b, "Constant", "big", "", "w2");
    ob_tensor_attr(b, c, "value", ob_tensor(b, NULL, 2, DIMS(512, 256), NULL, 512 * 256 * 4));
    ob_node(b, "MatMul", "fc2", "y,w2", "z");
    ob_const(b, "target", 1, DIMS(2), DIMS(768, 1));
    ob_node(b, "Reshape", "r", "z,target", "zz");
    ob_weight(b, "w3", 2, DIMS(1, 7));
    ob_node(b, "MatMul", "fc3", "zz,w3", "out");
    load_ok();
    assert_int_equal(net.nlayers, 3);
    assert_int_equal(petal_problem_weights(&net.layers[0]), 512 * 512);
    assert_int_equal(petal_problem_weights(&net.layers[1]), 512 * 256);
    assert_int_equal(net.layers[2].source.conv.batch, 768);
}

/* The wire pass cuts bulk tensor data and nothing else, also inside a node. */
static void test_wire_strip(void **state)
{
    (void)state;
    Onnx__TensorProto *t = ob_tensor(b, "w", 2, DIMS(300, 100), NULL, 300 * 100 * 4);
    Onnx__NodeProto *n = ob_node(b, "Constant", "c", "", "y");
    ob_tensor_attr(b, n, "value", t);
    ob_int(b, n, "other", 7);
    size_t len = onnx__node_proto__get_packed_size(n);
    uint8_t *bytes = malloc(len);
    onnx__node_proto__pack(n, bytes);
    long long size = wire_stripped_size(bytes, len, WIRE_NODE);
    assert_true(size > 0 && size < 100);
    uint8_t *stripped = malloc((size_t)size);
    assert_int_equal(wire_strip(bytes, len, WIRE_NODE, stripped), size);
    Onnx__NodeProto *back = onnx__node_proto__unpack(NULL, (size_t)size, stripped);
    assert_non_null(back);
    assert_string_equal(back->name, "c");
    assert_int_equal(back->n_attribute, 2);
    assert_int_equal(back->attribute[0]->t->n_dims, 2);
    assert_int_equal(back->attribute[0]->t->dims[1], 100);
    assert_string_equal(back->attribute[0]->t->name, "w");
    assert_false(back->attribute[0]->t->has_raw_data);
    assert_int_equal(back->attribute[1]->i, 7);
    onnx__node_proto__free_unpacked(back, NULL);
    /* Small tensors keep their contents; malformed bytes are refused. */
    assert_int_equal(wire_stripped_size(bytes, 40, WIRE_NODE), -1);
    t->raw_data.len = 64;
    len = onnx__node_proto__pack(n, bytes);
    assert_int_equal(wire_stripped_size(bytes, len, WIRE_NODE), (long long)len);
    free(bytes);
    free(stripped);
}

/* --- names and their limit (issue 11) --- */

/* n copies of c, as a string in buf. */
static const char *repeat(char *buf, char c, size_t n)
{
    memset(buf, c, n);
    buf[n] = '\0';
    return buf;
}

static const char *name64 = "is 64 characters; petal keeps at most PETAL_NAME_MAX - 1 = 63";

/* A 1x1 convolution x -> y named `name`, after any node before it. */
static void conv_node(const char *name, const char *in, const char *out, const char *w)
{
    ob_weight(b, w, 4, DIMS(3, 3, 1, 1));
    char inputs[64];
    snprintf(inputs, sizeof inputs, "%s,%s", in, w);
    ob_node(b, "Conv", name, inputs, out);
}

/* A node's name is the layer's whole, up to PETAL_NAME_MAX - 1 characters. */
static void test_node_name_limit(void **state)
{
    (void)state;
    char at[PETAL_NAME_MAX], over[PETAL_NAME_MAX + 1];
    repeat(at, 'a', PETAL_NAME_MAX - 1);
    repeat(over, 'o', PETAL_NAME_MAX);
    ob_input(b, "x", 4, DIMS(1, 3, 8, 8));
    conv_node(at, "x", "y", "w");
    load_ok();
    assert_string_equal(net.layers[0].name, at);
    petal_network_free(&net);
    ob_free(b);
    ob_init(b, 13);
    ob_input(b, "x", 4, DIMS(1, 3, 8, 8));
    conv_node(over, "x", "y", "w");
    load_fails(PETAL_EINVAL, "layer name (the node's name) 'ooo");
    assert_non_null(strstr(petal_error_message(), name64));
}

/* The _2 that keeps a repeated name unique must fit too: it is not made room
 * for by cutting the name. */
static void test_unique_suffix_limit(void **state)
{
    (void)state;
    char at[PETAL_NAME_MAX], over[PETAL_NAME_MAX];
    repeat(at, 'a', PETAL_NAME_MAX - 3); /* + "_2" = 63 */
    repeat(over, 'o', PETAL_NAME_MAX - 2);
    ob_input(b, "x", 4, DIMS(1, 3, 8, 8));
    conv_node(at, "x", "y", "w1");
    conv_node(at, "y", "z", "w2");
    load_ok();
    char second[PETAL_NAME_MAX + 8];
    snprintf(second, sizeof second, "%s_2", at);
    assert_string_equal(net.layers[1].name, second);
    petal_network_free(&net);
    ob_free(b);
    ob_init(b, 13);
    ob_input(b, "x", 4, DIMS(1, 3, 8, 8));
    conv_node(over, "x", "y", "w1");
    conv_node(over, "y", "z", "w2");
    load_fails(PETAL_EINVAL, "layer name (the node's, made unique) 'ooo");
    assert_non_null(strstr(petal_error_message(), name64));
}

/* The network's name: the buffer loader's `name`, the file loader's file name. */
static void test_network_name_limit(void **state)
{
    (void)state;
    char at[PETAL_NAME_MAX], over[PETAL_NAME_MAX + 1];
    repeat(at, 'a', PETAL_NAME_MAX - 1);
    repeat(over, 'o', PETAL_NAME_MAX);
    ob_input(b, "x", 4, DIMS(1, 3, 8, 8));
    conv_node("c", "x", "y", "w");
    size_t len;
    uint8_t *bytes = ob_pack(b, &len);
    assert_int_equal(petal_network_load_onnx_buffer(bytes, len, at, &net), PETAL_OK);
    assert_string_equal(net.name, at);
    petal_network_free(&net);
    assert_int_equal(petal_network_load_onnx_buffer(bytes, len, over, &net), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "network name 'ooo"));
    assert_non_null(strstr(petal_error_message(), name64));
    assert_int_equal(net.nlayers, 0);

    const char *stems[] = {at, over};
    for (int i = 0; i < 2; i++) {
        char path[256];
        snprintf(path, sizeof path, "/tmp/%s.onnx", stems[i]);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fwrite(bytes, 1, len, f);
        fclose(f);
        petal_status st = petal_network_load_onnx(path, &net);
        unlink(path);
        if (i == 0) {
            assert_int_equal(st, PETAL_OK);
            assert_string_equal(net.name, at);
            petal_network_free(&net);
        } else {
            assert_int_equal(st, PETAL_EINVAL);
            assert_non_null(strstr(petal_error_message(), "network name (the file name) 'ooo"));
            assert_non_null(strstr(petal_error_message(), name64));
            assert_int_equal(net.nlayers, 0);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_conv_pads_strides_dilations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conv_auto_pad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conv_groups_and_1d, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conv_bad_channels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pool_ceil_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gemm_transposes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matmul_attention, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matmul_broadcast_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_matmul_weight_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_param_through_ops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reshape_target_folded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_shape_arithmetic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_raw_integer_contents, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reshape_not_constant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stated_shape_fallback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stated_shape_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_omitted_inputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_operator_with_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_operator_without_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_operator_unused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unsorted_graph, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_self_loop_and_dangling_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_symbolic_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_inline_weights_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wire_strip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_qdq_conv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_width_through_pooling, setup, teardown),
        cmocka_unit_test_setup_teardown(test_qlinear_and_integer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quantized_missing_scale, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quantized_missing_zero_point, setup, teardown),
        cmocka_unit_test_setup_teardown(test_node_name_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unique_suffix_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_network_name_limit, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
