/* test_onnx.c - the ONNX reader against the reference models: every Conv and
 * Gemm layer of the five torchvision exports, in execution order, against the
 * MACs, weights, shapes, kernel, stride and groups measured by torchvision
 * (shared/reference/onnx/truth.json); then damaged copies of those files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "petal/onnx.h"
#include "petal/formats.h"

#define ONNX_DIR PETAL_SHARED_DIR "/reference/onnx/"

static json_t *truth;

static int load_truth(void **state)
{
    (void)state;
    json_error_t err;
    truth = json_load_file(ONNX_DIR "truth.json", 0, &err);
    if (!truth)
        fprintf(stderr, "truth.json:%d:%d: %s\n", err.line, err.column, err.text);
    return truth ? 0 : -1;
}

static int free_truth(void **state)
{
    (void)state;
    json_decref(truth);
    return 0;
}

static uint64_t json_u64(const json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    assert_non_null(v);
    assert_true(json_is_integer(v));
    return (uint64_t)json_integer_value(v);
}

/* Compare a JSON array of integers with `count` values. */
static void assert_list(const json_t *obj, const char *key, const int64_t *values, size_t count,
                        const char *layer)
{
    json_t *list = json_object_get(obj, key);
    assert_non_null(list);
    if (json_array_size(list) != count)
        fail_msg("layer %s: %s has %zu values in truth.json, petal has %zu", layer, key,
                 json_array_size(list), count);
    for (size_t i = 0; i < count; i++)
        if (json_integer_value(json_array_get(list, i)) != values[i])
            fail_msg("layer %s: %s[%zu] is %lld in truth.json, petal has %lld", layer, key, i,
                     (long long)json_integer_value(json_array_get(list, i)),
                     (long long)values[i]);
}

static void check_layer(const petal_problem *p, const json_t *want)
{
    const char *kind = json_string_value(json_object_get(want, "kind"));
    assert_non_null(kind);
    assert_string_equal(petal_layer_kind_name(p->kind), kind);
    if (petal_problem_macs(p) != json_u64(want, "macs"))
        fail_msg("layer %s: %llu MACs, truth %llu", p->name,
                 (unsigned long long)petal_problem_macs(p),
                 (unsigned long long)json_u64(want, "macs"));
    assert_int_equal(petal_problem_weights(p), json_u64(want, "weights"));
    const petal_conv_params *c = &p->source.conv;
    int64_t groups = c->groups ? c->groups : 1;
    assert_int_equal(groups, json_u64(want, "groups"));
    uint64_t out_h = p->bounds[petal_problem_dim(p, "P")], out_w = p->bounds[petal_problem_dim(p, "Q")];
    int64_t out_c = c->out_channels;
    if (p->kind == PETAL_LAYER_CONV) {
        int64_t in[] = {c->batch, c->in_channels, c->in_h, c->in_w};
        int64_t out[] = {c->batch, out_c, (int64_t)out_h, (int64_t)out_w};
        int64_t kernel[] = {c->kernel_h, c->kernel_w};
        int64_t stride[] = {c->stride_h ? c->stride_h : 1, c->stride_w ? c->stride_w : 1};
        assert_list(want, "input", in, 4, p->name);
        assert_list(want, "output", out, 4, p->name);
        assert_list(want, "kernel", kernel, 2, p->name);
        assert_list(want, "stride", stride, 2, p->name);
    } else {
        int64_t in[] = {c->batch, c->in_channels}, out[] = {c->batch, out_c};
        assert_list(want, "input", in, 2, p->name);
        assert_list(want, "output", out, 2, p->name);
        assert_list(want, "kernel", NULL, 0, p->name);
        assert_list(want, "stride", NULL, 0, p->name);
    }
}

static void check_model(const char *model)
{
    char path[512];
    snprintf(path, sizeof path, ONNX_DIR "%s.onnx", model);
    petal_network net;
    petal_status st = petal_network_load_onnx(path, &net);
    if (st)
        fail_msg("%s: %s", model, petal_error_message());
    assert_string_equal(net.name, model);
    assert_int_equal(net.batch, 1);

    const json_t *want = json_object_get(truth, model);
    assert_non_null(want);
    const json_t *layers = json_object_get(want, "per_layer");
    assert_int_equal(net.nlayers, json_array_size(layers));
    assert_int_equal(net.nlayers, json_u64(want, "layers"));
    for (size_t i = 0; i < net.nlayers; i++)
        check_layer(&net.layers[i], json_array_get(layers, i));

    petal_network_totals totals;
    assert_int_equal(petal_network_totals_get(&net, &totals), PETAL_OK);
    assert_int_equal(totals.macs, json_u64(want, "macs"));
    assert_int_equal(totals.weights, json_u64(want, "weights"));
    petal_network_free(&net);
}

static void test_alexnet(void **state) { (void)state; check_model("alexnet"); }
static void test_resnet18(void **state) { (void)state; check_model("resnet18"); }
static void test_mobilenet_v2(void **state) { (void)state; check_model("mobilenet_v2"); }
static void test_squeezenet1_0(void **state) { (void)state; check_model("squeezenet1_0"); }
static void test_vgg16(void **state) { (void)state; check_model("vgg16"); }

/* The loader through petal_network_load, by extension, and batch scaling. */
static void test_load_by_extension(void **state)
{
    (void)state;
    petal_network net;
    assert_int_equal(petal_network_load(ONNX_DIR "resnet18.onnx", &net), PETAL_OK);
    assert_int_equal(net.nlayers, 21);
    assert_int_equal(petal_network_set_batch(&net, 4), PETAL_OK);
    petal_network_totals totals;
    assert_int_equal(petal_network_totals_get(&net, &totals), PETAL_OK);
    assert_int_equal(totals.macs, 4 * json_u64(json_object_get(truth, "resnet18"), "macs"));
    petal_network_free(&net);
}

static uint8_t *read_model(const char *model, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, ONNX_DIR "%s.onnx", model);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    rewind(f);
    uint8_t *bytes = malloc(*len);
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, *len, f), *len);
    fclose(f);
    return bytes;
}

static void test_empty(void **state)
{
    (void)state;
    petal_network net;
    assert_int_equal(petal_network_load_onnx_buffer("", 0, "empty.onnx", &net), PETAL_EPARSE);
    assert_non_null(strstr(petal_error_message(), "empty.onnx: the file is empty"));
    assert_int_equal(net.nlayers, 0);
}

/* Every proper prefix of a model either fails with a message or, cut exactly
 * between two top-level fields, still holds the whole graph. Half a file fails. */
static void test_truncated(void **state)
{
    (void)state;
    size_t len;
    uint8_t *bytes = read_model("alexnet", &len);
    petal_network net;
    size_t failures = 0;
    for (size_t cut = 0; cut < len; cut++) {
        uint8_t *prefix = malloc(cut ? cut : 1); /* exact size, so ASan sees overreads */
        memcpy(prefix, bytes, cut);
        petal_status st = petal_network_load_onnx_buffer(prefix, cut, "cut.onnx", &net);
        if (st) {
            failures++;
            assert_true(strncmp(petal_error_message(), "cut.onnx: ", 10) == 0);
            assert_int_equal(net.nlayers, 0);
        } else {
            assert_int_equal(net.nlayers, 8);
            petal_network_free(&net);
        }
        free(prefix);
    }
    assert_true(failures > len - 16);
    assert_int_equal(petal_network_load_onnx_buffer(bytes, len / 2, "half.onnx", &net),
                     PETAL_EPARSE);
    assert_non_null(strstr(petal_error_message(), "truncated or corrupt"));
    free(bytes);
}

/* Each byte of a model replaced in turn (by 0xff, 0x00 or 0x80, by position):
 * never a crash, and either a network or a message that names the file. */
static void test_corrupt_bytes(void **state)
{
    (void)state;
    size_t len;
    uint8_t *bytes = read_model("alexnet", &len);
    static const uint8_t patterns[] = {0xff, 0x00, 0x80};
    petal_network net;
    size_t failures = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t saved = bytes[i], pattern = patterns[i % sizeof patterns];
        bytes[i] = saved == pattern ? (uint8_t)~saved : pattern;
        petal_status st = petal_network_load_onnx_buffer(bytes, len, "bad.onnx", &net);
        if (st) {
            failures++;
            assert_true(strncmp(petal_error_message(), "bad.onnx: ", 10) == 0);
        } else {
            petal_network_free(&net);
        }
        bytes[i] = saved;
    }
    assert_true(failures > 0);
    /* A wire type that does not exist, at the first byte. */
    bytes[0] = 0x0f;
    assert_int_equal(petal_network_load_onnx_buffer(bytes, len, "bad.onnx", &net), PETAL_EPARSE);
    assert_non_null(strstr(petal_error_message(), "breaks at byte 0"));
    free(bytes);
}

static void test_not_onnx(void **state)
{
    (void)state;
    petal_network net;
    const char text[] = "layers:\n  - name: conv1\n";
    assert_int_not_equal(petal_network_load_onnx_buffer(text, sizeof text - 1, "t.onnx", &net),
                         PETAL_OK);
    assert_int_equal(petal_network_load_onnx("/no/such/model.onnx", &net), PETAL_EIO);
    assert_non_null(strstr(petal_error_message(), "/no/such/model.onnx: cannot open"));
    assert_int_equal(petal_network_load_onnx(ONNX_DIR, &net), PETAL_EIO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alexnet),
        cmocka_unit_test(test_resnet18),
        cmocka_unit_test(test_mobilenet_v2),
        cmocka_unit_test(test_squeezenet1_0),
        cmocka_unit_test(test_vgg16),
        cmocka_unit_test(test_load_by_extension),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_corrupt_bytes),
        cmocka_unit_test(test_not_onnx),
    };
    return cmocka_run_group_tests(tests, load_truth, free_truth);
}
