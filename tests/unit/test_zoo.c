/* test_zoo.c - the built-in networks against measured and published counts:
 * torchvision's own models (shared/reference/onnx/truth.json, read here
 * directly), ResNet-50's totals and the two-tower AlexNet's CONV1-5 MACs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "json_mini.h"
#include "petal/network.h"

static jm_value *truth;

static int load_truth(void **state)
{
    (void)state;
    const char *path = PETAL_SHARED_DIR "/reference/onnx/truth.json";
    truth = jm_parse_file(path);
    if (!truth)
        fprintf(stderr, "cannot read %s (set PETAL_SHARED_DIR when configuring)\n", path);
    return truth ? 0 : -1;
}

static int free_truth(void **state)
{
    (void)state;
    jm_free(truth);
    return 0;
}

static void build(const char *name, petal_network *net)
{
    petal_status st = petal_zoo_build(name, net);
    if (st)
        fail_msg("%s: %s", name, petal_error_message());
}

/* Integers of a JSON array, for shapes and [h, w] pairs. */
static size_t ints(const jm_value *array, int64_t *out, size_t max)
{
    size_t n = 0;
    for (const jm_value *v; (v = jm_at(array, n)) && n < max; n++)
        out[n] = v->integer;
    return n;
}

/* Every layer, in order, against truth.json: kind, MACs, weights, the input and
 * output shapes, and for convolutions kernel, stride and groups. */
static void check_against_truth(const char *name)
{
    const jm_value *t = jm_get(truth, name);
    assert_non_null(t);
    const jm_value *layers = jm_get(t, "per_layer");
    assert_non_null(layers);

    petal_network net;
    build(name, &net);
    assert_int_equal(net.nlayers, jm_int(t, "layers", -1));
    assert_int_equal(net.nlayers, layers->count);
    for (size_t i = 0; i < net.nlayers; i++) {
        const petal_problem *p = &net.layers[i];
        const jm_value *want = jm_at(layers, i);
        const char *kind = jm_get(want, "kind")->string;
        if (strcmp(kind, petal_layer_kind_name(p->kind)) != 0 ||
            petal_problem_macs(p) != (uint64_t)jm_int(want, "macs", -1) ||
            petal_problem_weights(p) != (uint64_t)jm_int(want, "weights", -1))
            fail_msg("%s layer %zu (%s): %s %llu MACs %llu weights, truth: %s %lld MACs %lld "
                     "weights",
                     name, i, p->name, petal_layer_kind_name(p->kind),
                     (unsigned long long)petal_problem_macs(p),
                     (unsigned long long)petal_problem_weights(p), kind,
                     (long long)jm_int(want, "macs", -1), (long long)jm_int(want, "weights", -1));

        const petal_conv_params *c = &p->source.conv;
        int64_t in[4] = {0}, out[4] = {0}, kernel[2] = {0}, stride[2] = {0};
        size_t nin = ints(jm_get(want, "input"), in, 4);
        size_t nout = ints(jm_get(want, "output"), out, 4);
        assert_true(nin >= 2 && nout >= 2);
        assert_int_equal(petal_problem_input_words(p),
                         in[0] * in[1] * (nin == 4 ? in[2] * in[3] : 1));
        assert_int_equal(petal_problem_output_words(p),
                         out[0] * out[1] * (nout == 4 ? out[2] * out[3] : 1));
        assert_int_equal(c->batch, in[0]);
        assert_int_equal(c->in_channels, in[1]);
        assert_int_equal(c->out_channels, out[1]);
        assert_int_equal(c->groups, jm_int(want, "groups", -1));
        if (p->kind != PETAL_LAYER_CONV)
            continue;
        assert_int_equal(nin, 4);
        assert_int_equal(c->in_h, in[2]);
        assert_int_equal(c->in_w, in[3]);
        assert_int_equal(p->bounds[petal_problem_dim(p, "P")], out[2]);
        assert_int_equal(p->bounds[petal_problem_dim(p, "Q")], out[3]);
        assert_int_equal(ints(jm_get(want, "kernel"), kernel, 2), 2);
        assert_int_equal(ints(jm_get(want, "stride"), stride, 2), 2);
        assert_int_equal(c->kernel_h, kernel[0]);
        assert_int_equal(c->kernel_w, kernel[1]);
        assert_int_equal(c->stride_h, stride[0]);
        assert_int_equal(c->stride_w, stride[1]);
    }

    petal_network_totals totals;
    assert_int_equal(petal_network_totals_get(&net, &totals), PETAL_OK);
    assert_int_equal(totals.macs, jm_int(t, "macs", -1));
    assert_int_equal(totals.weights, jm_int(t, "weights", -1));
    assert_int_equal(totals.layers, jm_int(t, "layers", -1));
    petal_network_free(&net);
}

static void alexnet_matches_torchvision(void **state)
{
    (void)state;
    check_against_truth("alexnet");
}

static void resnet18_matches_torchvision(void **state)
{
    (void)state;
    check_against_truth("resnet18");
}

static void mobilenet_v2_matches_torchvision(void **state)
{
    (void)state;
    check_against_truth("mobilenet_v2");
}

static void squeezenet1_0_matches_torchvision(void **state)
{
    (void)state;
    check_against_truth("squeezenet1_0");
}

static void vgg16_matches_torchvision(void **state)
{
    (void)state;
    check_against_truth("vgg16");
}

static void totals_of(const char *name, uint64_t macs, uint64_t weights, uint64_t layers)
{
    petal_network net;
    petal_network_totals t;
    build(name, &net);
    assert_int_equal(petal_network_totals_get(&net, &t), PETAL_OK);
    assert_int_equal(t.macs, macs);
    assert_int_equal(t.weights, weights);
    assert_int_equal(t.layers, layers);
    petal_network_free(&net);
}

static void resnet50_totals(void **state)
{
    (void)state;
    totals_of("resnet50", 4089184256ull, 25502912ull, 54);
}

/* The downsample convolution follows its block's own convolutions, as in
 * torchvision's forward (truth.json shows it for resnet18). */
static void resnet50_downsample_order(void **state)
{
    (void)state;
    petal_network net;
    size_t conv3, down;
    build("resnet50", &net);
    assert_non_null(petal_network_find(&net, "layer2.0.conv3", &conv3));
    assert_non_null(petal_network_find(&net, "layer2.0.downsample.0", &down));
    assert_int_equal(down, conv3 + 1);
    /* v1.5: the stride sits on the 3x3, so conv1 keeps the 56x56 size. */
    const petal_problem *c1 = petal_network_find(&net, "layer2.0.conv1", NULL);
    const petal_problem *c2 = petal_network_find(&net, "layer2.0.conv2", NULL);
    assert_int_equal(c1->source.conv.stride_h, 1);
    assert_int_equal(c2->source.conv.stride_h, 2);
    assert_int_equal(c2->bounds[petal_problem_dim(c2, "P")], 28);
    petal_network_free(&net);
}

/* Eyeriss (shared/reference/eyeriss.md): 105.4M, 223.9M, 149.5M, 112.1M, 74.8M. */
static void alexnet_2012_conv_macs(void **state)
{
    (void)state;
    static const struct { const char *name; uint64_t tenths_of_million; int64_t groups; } want[] = {
        {"conv1", 1054, 1}, {"conv2", 2239, 2}, {"conv3", 1495, 1},
        {"conv4", 1121, 2}, {"conv5", 748, 2},
    };
    petal_network net;
    build("alexnet-2012", &net);
    assert_int_equal(net.nlayers, 8);
    for (size_t i = 0; i < 5; i++) {
        const petal_problem *p = petal_network_find(&net, want[i].name, NULL);
        assert_non_null(p);
        uint64_t macs = petal_problem_macs(p);
        assert_int_equal((macs + 50000) / 100000, want[i].tenths_of_million);
        assert_int_equal(p->source.conv.groups, want[i].groups);
    }
    petal_network_free(&net);
}

/* The survey's and papers' rounded figures for the networks without a torchvision truth. */
static void published_totals(void **state)
{
    (void)state;
    static const struct { const char *name; uint64_t macs_m; uint64_t weights_k; } want[] = {
        {"alexnet-2012", 724, 60955}, /* survey: 724M MACs, 61M weights */
        {"mobilenet_v1", 569, 4209},  /* paper: 569M mult-adds, 4.2M parameters */
        {"googlenet", 1498, 6609},    /* torchvision: 1.5G MACs, 6.6M parameters */
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        petal_network net;
        petal_network_totals t;
        build(want[i].name, &net);
        assert_int_equal(petal_network_totals_get(&net, &t), PETAL_OK);
        assert_int_equal((t.macs + 500000) / 1000000, want[i].macs_m);
        assert_int_equal((t.weights + 500) / 1000, want[i].weights_k);
        petal_network_free(&net);
    }
}

/* One encoder layer at sequence 128: QK^T and AV carry MACs but no weights. */
static void bert_base_layer(void **state)
{
    (void)state;
    totals_of("bert-base", 4ull * 128 * 768 * 768 + 2ull * 12 * 128 * 128 * 64 +
                               2ull * 128 * 768 * 3072,
              4ull * 768 * 768 + 2ull * 768 * 3072, 8);
    petal_network net;
    build("bert-base", &net);
    const petal_problem *scores = petal_network_find(&net, "attn.scores", NULL);
    assert_non_null(scores);
    assert_int_equal(petal_problem_weights(scores), 0);
    assert_int_equal(petal_problem_macs(scores), 12ull * 128 * 64 * 128);
    /* Batch 8 scales every product, the head count stays inside B. */
    assert_int_equal(petal_network_set_batch(&net, 8), PETAL_OK);
    scores = petal_network_find(&net, "attn.scores", NULL);
    assert_int_equal(scores->bounds[petal_problem_dim(scores, "B")], 96);
    petal_network_free(&net);
}

/* Every zoo network builds, has unique names (petal_network_add checks) and
 * scales linearly with the batch while its weights stay put. */
static void every_network_scales_with_batch(void **state)
{
    (void)state;
    assert_true(petal_zoo_count() >= 11);
    for (size_t i = 0; i < petal_zoo_count(); i++) {
        petal_network net;
        petal_network_totals one, four;
        build(petal_zoo_name(i), &net);
        assert_non_null(petal_zoo_description(i));
        assert_int_equal(petal_network_totals_get(&net, &one), PETAL_OK);
        for (size_t l = 0; l < net.nlayers; l++)
            assert_int_equal(petal_problem_check(&net.layers[l]), PETAL_OK);
        assert_int_equal(petal_network_set_batch(&net, 4), PETAL_OK);
        assert_int_equal(petal_network_totals_get(&net, &four), PETAL_OK);
        assert_int_equal(four.macs, 4 * one.macs);
        assert_int_equal(four.weights, one.weights);
        petal_network_free(&net);
    }
}

/* A batch that overflows some layer fails and leaves every layer as it was. */
static void batch_overflow_changes_nothing(void **state)
{
    (void)state;
    petal_network net;
    petal_network_totals before, after;
    build("resnet50", &net);
    assert_int_equal(petal_network_totals_get(&net, &before), PETAL_OK);
    assert_int_equal(petal_network_set_batch(&net, 1ull << 40), PETAL_EOVERFLOW);
    assert_int_equal(net.batch, 1);
    assert_int_equal(petal_network_totals_get(&net, &after), PETAL_OK);
    assert_int_equal(after.macs, before.macs);
    assert_int_equal(petal_network_set_batch(&net, 0), PETAL_EINVAL);
    petal_network_free(&net);
}

static void unknown_name_lists_known(void **state)
{
    (void)state;
    petal_network net;
    assert_int_equal(petal_zoo_build("resnet51", &net), PETAL_ENOTFOUND);
    const char *msg = petal_error_message();
    assert_non_null(strstr(msg, "resnet51"));
    for (size_t i = 0; i < petal_zoo_count(); i++)
        assert_non_null(strstr(msg, petal_zoo_name(i)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(alexnet_matches_torchvision),
        cmocka_unit_test(resnet18_matches_torchvision),
        cmocka_unit_test(mobilenet_v2_matches_torchvision),
        cmocka_unit_test(squeezenet1_0_matches_torchvision),
        cmocka_unit_test(vgg16_matches_torchvision),
        cmocka_unit_test(resnet50_totals),
        cmocka_unit_test(resnet50_downsample_order),
        cmocka_unit_test(alexnet_2012_conv_macs),
        cmocka_unit_test(published_totals),
        cmocka_unit_test(bert_base_layer),
        cmocka_unit_test(every_network_scales_with_batch),
        cmocka_unit_test(batch_overflow_changes_nothing),
        cmocka_unit_test(unknown_name_lists_known),
    };
    return cmocka_run_group_tests(tests, load_truth, free_truth);
}
