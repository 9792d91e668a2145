/* test_scalesim.c - the SCALE-Sim readers on the forms SCALE-Sim's own code
 * accepts (configparser keys in any case, ':' or '=', comments; topology rows
 * with or without the trailing comma, a ninth column stride, "DP" rows split
 * per channel, GEMM rows told from the header), what they refuse, and the
 * library calls on bad arguments. The numbers themselves are held to
 * SCALE-Sim's reports by tests/cli/scalesim.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "petal/scalesim.h"
#include "support/reader_io.c"

static const char config_text[] = "; written by hand, in the layout of SCALE-Sim's configs\n"
                                  "[general]\n"
                                  "RUN_NAME = by_hand\n"
                                  "\n"
                                  "[architecture_presets]\n"
                                  "arrayheight: 4\n"
                                  "ArrayWidth = 8\n"
                                  "# sizes in kB\n"
                                  "IfmapSramSzkB:  2\n"
                                  "FilterSramSzkB: 2\n"
                                  "OfmapSramSzkB:  1\n"
                                  "IfmapOffset: 0\n"
                                  "FilterOffset: 10000000\n"
                                  "OfmapOffset: 20000000\n"
                                  "Dataflow: ws\n"
                                  "Bandwidth: 10, 10\n"
                                  "MemoryBanks: 1\n"
                                  "[run_presets]\n"
                                  "InterfaceBandwidth: CALC\n";

static petal_status load_config_text(const char *text, petal_scalesim_config *c)
{
    char path[TEMP_PATH];
    temp_file(path, text);
    petal_status st = petal_scalesim_load_config(path, c);
    unlink(path);
    return st;
}

static petal_status load_topology_text(const char *text, petal_scalesim_topology *t)
{
    char path[TEMP_PATH];
    temp_file(path, text);
    petal_status st = petal_scalesim_load_topology(path, t);
    unlink(path);
    return st;
}

static void test_config(void **state)
{
    (void)state;
    petal_scalesim_config c;
    warnings[0] = '\0';
    petal_set_warning_handler(collect_warning, NULL);
    assert_int_equal(load_config_text(config_text, &c), PETAL_OK);
    assert_string_equal(c.run_name, "by_hand");
    assert_int_equal(c.array_rows, 4);
    assert_int_equal(c.array_cols, 8);
    assert_int_equal(c.ifmap_sram_kb, 2);
    assert_int_equal(c.ofmap_sram_kb, 1);
    assert_int_equal(c.dataflow, PETAL_SCALESIM_WS);
    assert_false(c.user_bandwidth);
    assert_int_equal(c.bandwidth, 10);
    assert_string_equal(warnings, "");

    /* A key SCALE-Sim does not read is a warning; MemoryBanks other than 1 too. */
    char text[2048];
    snprintf(text, sizeof text, "%sSparsity: on\n", config_text);
    assert_int_equal(load_config_text(text, &c), PETAL_OK);
    assert_non_null(strstr(warnings, ":20: 'Sparsity' in [run_presets] is not a key SCALE-Sim v2 "
                                     "reads; ignored"));
    /* A section given twice is refused, as configparser refuses it. */
    snprintf(text, sizeof text, "%s[general]\n", config_text);
    assert_int_equal(load_config_text(text, &c), PETAL_EPARSE);
    assert_non_null(strstr(petal_error_message(), ":20: section [general] given twice"));
    petal_set_warning_handler(NULL, NULL);
}

static void test_config_refused(void **state)
{
    (void)state;
    petal_scalesim_config c;
    char text[2048];
    petal_set_warning_handler(NULL, NULL);
    /* A key given twice, a missing key, a bad value, USER without Bandwidth. */
    snprintf(text, sizeof text, "%sinterfacebandwidth = USER\n", config_text);
    assert_int_equal(load_config_text(text, &c), PETAL_EPARSE);
    assert_non_null(strstr(petal_error_message(),
                           ":20: InterfaceBandwidth given twice in [run_presets] "
                           "(first on line 19)"));
    assert_int_equal(load_config_text("[general]\nrun_name = x\n", &c), PETAL_EPARSE);
    assert_non_null(strstr(petal_error_message(), "no InterfaceBandwidth in [run_presets]"));
    const char *bad[][2] = {
        {"Dataflow: ws", "Dataflow: WS"},
        {"arrayheight: 4", "arrayheight: 0"},
        {"ArrayWidth = 8", "ArrayWidth = 8x"},
        {"OfmapSramSzkB:  1", "OfmapSramSzkB: -1"},
        {"InterfaceBandwidth: CALC", "InterfaceBandwidth: calc"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *at = strstr(config_text, bad[i][0]);
        assert_non_null(at);
        snprintf(text, sizeof text, "%.*s%s%s", (int)(at - config_text), config_text, bad[i][1],
                 at + strlen(bad[i][0]));
        assert_int_equal(load_config_text(text, &c), PETAL_EINVAL);
        assert_non_null(strstr(petal_error_message(), ": expected"));
    }
    const char *user = strstr(config_text, "InterfaceBandwidth: CALC");
    const char *bw = strstr(config_text, "Bandwidth: 10, 10\n");
    snprintf(text, sizeof text, "%.*s%.*sInterfaceBandwidth: USER\n", (int)(bw - config_text),
             config_text, (int)(user - (bw + strlen("Bandwidth: 10, 10\n"))),
             bw + strlen("Bandwidth: 10, 10\n"));
    assert_int_equal(load_config_text(text, &c), PETAL_EPARSE);
    assert_non_null(strstr(petal_error_message(), "USER needs Bandwidth"));
}

static void test_topology(void **state)
{
    (void)state;
    petal_scalesim_topology t;
    warnings[0] = '\0';
    petal_set_warning_handler(collect_warning, NULL);
    assert_int_equal(load_topology_text("Layer name, IFMAP Height, IFMAP Width, Filter Height, "
                                        "Filter Width, Channels, Num Filter, Strides,\n"
                                        "a, 10, 12, 3, 3, 4, 8, 2,\n"
                                        "\n"
                                        "b , 9, 9, 3, 2, 1, 5, 1, 3\n"
                                        "DPc, 5, 5, 3, 3, 2, 7, 1,\n"
                                        "d, 5, 5, 1, 1, 1, 1, 1, 1, 99, 98,\n",
                                        &t),
                     PETAL_OK);
    assert_int_equal(t.gemm, false);
    assert_int_equal(t.nlayers, 5);
    assert_string_equal(t.layers[0].name, "a");
    assert_int_equal(t.layers[0].stride_h, 2);
    assert_int_equal(t.layers[0].stride_w, 2); /* one stride: both ways, as SCALE-Sim */
    assert_string_equal(t.layers[1].name, "b");
    assert_int_equal(t.layers[1].stride_w, 3); /* no trailing comma: every field is read */
    assert_string_equal(t.layers[2].name, "DPcChannel_0");
    assert_string_equal(t.layers[3].name, "DPcChannel_1");
    assert_int_equal(t.layers[3].channels, 1);
    assert_int_equal(t.layers[3].filters, 7);
    assert_int_equal(t.layers[4].line, 6);
    assert_non_null(strstr(warnings, ":6: 2 fields after the 9 SCALE-Sim reads; ignored"));
    petal_scalesim_topology_free(&t);

    assert_int_equal(load_topology_text("Layer,M,N,K,\nqk,1024,1024,64,\n", &t), PETAL_OK);
    assert_true(t.gemm);
    assert_int_equal(t.nlayers, 1);
    const petal_scalesim_layer *g = &t.layers[0];
    assert_int_equal(g->ifmap_h, 1024);
    assert_int_equal(g->ifmap_w, 64);
    assert_int_equal(g->filter_h, 1);
    assert_int_equal(g->filter_w, 64);
    assert_int_equal(g->channels, 1);
    assert_int_equal(g->filters, 1024);
    petal_scalesim_topology_free(&t);
    petal_set_warning_handler(NULL, NULL);
}

static void test_topology_refused(void **state)
{
    (void)state;
    petal_scalesim_topology t;
    petal_set_warning_handler(NULL, NULL);
    struct {
        const char *text, *message;
    } bad[] = {
        {"", "empty"},
        {"Layer,M,N,K,\n", "no layers after the header"},
        {"Layer,M,N,K,\nfc, 0, 4, 4,\n", ":2: field 2 (M): expected a whole number"},
        {"Layer,M,N,K,\nfc, 4, 4, 4.5,\n", ":2: field 4 (K): expected"},
        {"h\nc, 4, 4, 5, 1, 1, 1, 1,\n", "larger than the IFMAP"},
        {"h\nc, 4, 4, 1, 1, 1, 1,\n", ":2: expected 8 fields"},
        {"h\nc, 4, 4, 1, 1, 1, 1, 99999999999,\n", "(Strides): expected a whole number from 1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_not_equal(load_topology_text(bad[i].text, &t), PETAL_OK);
        if (!strstr(petal_error_message(), bad[i].message))
            fail_msg("case %zu: '%s' lacks '%s'", i, petal_error_message(), bad[i].message);
        assert_null(t.layers);
    }
}

static void test_run_arguments(void **state)
{
    (void)state;
    petal_scalesim_config c;
    petal_scalesim_topology t;
    petal_scalesim_result r;
    assert_int_equal(load_config_text(config_text, &c), PETAL_OK);
    assert_int_equal(load_topology_text("Layer,M,N,K,\nfc,8,8,8,\n", &t), PETAL_OK);
    assert_int_equal(petal_scalesim_run(NULL, &t, &r), PETAL_EINVAL);
    c.user_bandwidth = true;
    assert_int_equal(petal_scalesim_run(&c, &t, &r), PETAL_EUNSUPPORTED);
    assert_null(r.layers);
    c.user_bandwidth = false;
    c.array_rows = 0;
    assert_int_equal(petal_scalesim_run(&c, &t, &r), PETAL_EINVAL);
    c.array_rows = 4;
    t.layers[0].filter_w = 9; /* wider than the 8-wide input */
    assert_int_equal(petal_scalesim_run(&c, &t, &r), PETAL_EINVAL);
    t.layers[0].filter_w = 8;
    assert_int_equal(petal_scalesim_run(&c, &t, &r), PETAL_OK);
    assert_int_equal(r.nlayers, 1);
    assert_int_equal(r.layers[0].m * r.layers[0].n * r.layers[0].k, r.layers[0].macs);
    assert_int_equal(petal_report_scalesim(NULL, &c, &r, PETAL_REPORT_JSON), PETAL_EINVAL);
    petal_scalesim_result_free(&r);
    petal_scalesim_result_free(&r); /* twice is harmless */
    petal_scalesim_topology_free(&t);
    assert_int_equal(petal_scalesim_load_config("/nonexistent/scale.cfg", &c), PETAL_EIO);
    assert_int_equal(petal_scalesim_load_topology(NULL, &t), PETAL_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config),        cmocka_unit_test(test_config_refused),
        cmocka_unit_test(test_topology),      cmocka_unit_test(test_topology_refused),
        cmocka_unit_test(test_run_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
