/* test_timeloop_robust.c - the Timeloop readers on damaged input: reference
 * files cut short and with bytes replaced must give a status (and, on
 * failure, a message naming the file), never a crash or a leak (the test also
 * runs under ASan and UBSan). Deterministic: a fixed generator picks the
 * damage. */
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

#define ROOT PETAL_SHARED_DIR "/reference/timeloop-exercises/"

static petal_timeloop_spec spec;

static void quiet(const char *message, void *ctx)
{
    (void)message;
    (void)ctx;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    text[n] = '\0';
    *len = (size_t)n;
    return text;
}

static void spill(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, len, f);
    fclose(f);
}

/* Load the damaged input with the intact mapping (or the damaged mapping with
 * the intact input) and check the outcome is a status with a message. */
static void try_load(const char *input, const char *mapping)
{
    petal_timeloop_files f = {.combined = input, .mapping = mapping};
    petal_status st = petal_timeloop_load(&f, &spec);
    if (st != PETAL_OK)
        assert_true(petal_error_message()[0] != '\0');
}

static void damage(const char *input_path, const char *mapping_path, bool damage_mapping)
{
    size_t len;
    char *orig = slurp(damage_mapping ? mapping_path : input_path, &len);
    char *buf = malloc(len + 1);
    assert_non_null(buf);
    char tmp[] = "/tmp/petal_robust_XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    close(fd);
    const char *input = damage_mapping ? input_path : tmp;
    const char *mapping = damage_mapping ? tmp : mapping_path;
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    static const char junk[] = "-:[]{}!&*#|>'\"\n 0123456789abcXYZ.,";
    for (int round = 0; round < 400; round++) {
        memcpy(buf, orig, len);
        size_t n = len;
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        if (round % 3 == 0) {
            n = (size_t)(rng >> 33) % (len + 1); /* cut short */
        } else {
            for (int k = 0; k < 1 + round % 5; k++) { /* replace a few bytes */
                rng = rng * 6364136223846793005ull + 1442695040888963407ull;
                buf[(rng >> 33) % len] = junk[(rng >> 17) % (sizeof junk - 1)];
            }
        }
        spill(tmp, buf, n);
        try_load(input, mapping);
    }
    unlink(tmp);
    free(buf);
    free(orig);
}

static void damaged_eyeriss(void **state)
{
    (void)state;
    const char *dir = ROOT "example_designs/example_designs/eyeriss_like/ref_outputs/"
                           "default_problem/";
    char input[512], mapping[512];
    snprintf(input, sizeof input, "%sparsed-processed-input.yaml", dir);
    snprintf(mapping, sizeof mapping, "%stimeloop-mapper.map.yaml", dir);
    damage(input, mapping, false);
    damage(input, mapping, true);
}

static void damaged_v04_original(void **state)
{
    (void)state;
    const char *dir = ROOT "tutorial-timeloop/06-mapper-convlayer-eyeriss/";
    char prob[512], arch[512];
    snprintf(prob, sizeof prob, "%sprob/VGG02_layer5.yaml", dir);
    snprintf(arch, sizeof arch, "%sarch/eyeriss_like.yaml", dir);
    size_t len;
    char *orig = slurp(arch, &len);
    char tmp[] = "/tmp/petal_robust_XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    close(fd);
    uint64_t rng = 12345;
    for (int round = 0; round < 300; round++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        char *buf = malloc(len + 1);
        assert_non_null(buf);
        memcpy(buf, orig, len);
        size_t n = round % 2 ? (size_t)(rng >> 33) % (len + 1) : len;
        if (!(round % 2))
            buf[(rng >> 33) % len] = " :-\n!"[(rng >> 13) % 5];
        spill(tmp, buf, n);
        free(buf);
        petal_timeloop_files f = {.problem = prob, .arch = tmp};
        petal_status st = petal_timeloop_load(&f, &spec);
        if (st != PETAL_OK)
            assert_true(petal_error_message()[0] != '\0');
    }
    unlink(tmp);
    free(orig);
}

int main(void)
{
    petal_set_warning_handler(quiet, NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(damaged_eyeriss),
        cmocka_unit_test(damaged_v04_original),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
