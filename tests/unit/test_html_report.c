/* test_html_report.c - the HTML report's writer (petal_report_html) where the
 * command cannot reach: an architecture without a clock (a library caller's
 * petal_arch may have clock_hz 0) gets no latency or throughput, never a made-up
 * 0; missing sheet and Eyexam structures are said to be missing; bad
 * arguments are refused. The page's numbers against the JSON:
 * tests/cli/report.sh and tests/browser_report.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "petal/arch.h"
#include "petal/eval.h"
#include "petal/network.h"
#include "petal/report.h"

static char *page(const petal_html_input *in, petal_status *st)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    *st = petal_report_html(out, in);
    fclose(out);
    return text;
}

static void test_no_clock(void **state)
{
    (void)state;
    petal_network net;
    petal_arch arch;
    assert_int_equal(petal_zoo_build("lenet5", &net), PETAL_OK);
    assert_int_equal(petal_arch_preset("eyeriss-v1", &arch), PETAL_OK);
    arch.clock_hz = 0; /* not given */
    petal_map_options o;
    petal_map_options_init(&o);
    o.dataflow = "rs";
    o.budget_seconds = 0.2;
    petal_eval_result r;
    assert_int_equal(petal_eval_network(&net, &arch, &o, NULL, NULL, &r), PETAL_OK);
    petal_html_input in = {&net, &arch, &o, &r, NULL, NULL};
    petal_status st;
    char *text = page(&in, &st);
    assert_int_equal(st, PETAL_OK);
    assert_non_null(strstr(text, "no clock given"));
    assert_non_null(strstr(text, "not known: the architecture gives no clock"));
    assert_null(strstr(text, "inferences/s"));
    assert_null(strstr(text, "\"latency_s\"]")); /* no latency tied to the JSON's 0 */
    /* Without the sheet and Eyexam's results, their sections say so. */
    assert_non_null(strstr(text, "Not in this page: the benchmark sheet"));
    assert_non_null(strstr(text, "Not in this page: Eyexam"));
    assert_non_null(strstr(text, "id=\"chart-roofline\""));
    free(text);

    /* An evaluation of another network is refused, not drawn. */
    petal_network other;
    assert_int_equal(petal_zoo_build("alexnet", &other), PETAL_OK);
    in.net = &other;
    text = page(&in, &st);
    assert_int_equal(st, PETAL_EINVAL);
    free(text);
    in.net = NULL;
    text = page(&in, &st);
    assert_int_equal(st, PETAL_EINVAL);
    free(text);
    petal_network_free(&other);
    petal_eval_free(&r);
    petal_network_free(&net);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
