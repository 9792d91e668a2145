/* test_svg.c - petal's SVG chart primitives: data-to-pixel frames on linear and
 * log axes, decade ranges, ticks, and the label placer (labels never overlap
 * one another, the points they avoid, or leave their bounds). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "formats/svg/svg.h"

static bool overlap(const struct svg_box *a, const struct svg_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static void test_frame(void **state)
{
    (void)state;
    svg_plot p = {100, 50, 400, 200, {0, 10, false}, {0, 0, true}};
    svg_log_range(0.37, 168, &p.ya); /* decades around the data */
    assert_true(p.ya.log);
    assert_true(fabs(p.ya.min - 0.1) < 1e-12);
    assert_true(fabs(p.ya.max - 1000) < 1e-9);
    assert_true(fabs(svg_px(&p, 0) - 100) < 1e-9);
    assert_true(fabs(svg_px(&p, 5) - 300) < 1e-9);
    assert_true(fabs(svg_px(&p, 99) - 500) < 1e-9); /* clamped */
    /* Four decades over 200 px: 50 px each, from the bottom (y = 250). */
    assert_true(fabs(svg_py(&p, 0.1) - 250) < 1e-9);
    assert_true(fabs(svg_py(&p, 10) - 150) < 1e-9);
    assert_true(fabs(svg_py(&p, 1000) - 50) < 1e-9);
    assert_true(fabs(svg_py(&p, 0) - 250) < 1e-9); /* not on a log axis: the bottom */
    assert_true(fabs(svg_py(&p, NAN) - 250) < 1e-9);
    assert_true(fabs(svg_tick_step(7800) - 2000) < 1e-9);
    assert_true(fabs(svg_tick_step(0) - 1) < 1e-12);
}

static void test_labels_never_overlap(void **state)
{
    (void)state;
    FILE *out = tmpfile();
    assert_non_null(out);
    svg_labeler l;
    svg_labeler_init(&l, 0, 0, 400, 300);
    /* Points, then one label per point, many at the same spot. */
    const double pts[][2] = {{200, 150}, {200, 150}, {200, 150}, {204, 152}, {10, 10},
                             {395, 295}, {200, 140}, {210, 160}, {50, 250},  {200, 150}};
    size_t npts = sizeof pts / sizeof pts[0];
    for (size_t i = 0; i < npts; i++)
        svg_labeler_block(&l, pts[i][0], pts[i][1], 4);
    size_t first_label = l.n, placed = 0;
    for (size_t i = 0; i < npts; i++)
        placed += svg_label(out, &l, pts[i][0], pts[i][1], "conv4 (and 1 alike)", 11);
    assert_int_equal(placed, npts); /* room for all of them in 400 x 300 */
    for (size_t i = first_label; i < l.n; i++) {
        const struct svg_box *b = &l.boxes[i];
        assert_true(b->x0 >= 0 && b->y0 >= 0 && b->x1 <= 400 && b->y1 <= 300);
        for (size_t j = 0; j < l.n; j++)
            if (j != i)
                assert_false(overlap(b, &l.boxes[j]));
    }
    /* A frame too small for any label: nothing is drawn, false is returned. */
    svg_labeler tiny;
    svg_labeler_init(&tiny, 0, 0, 20, 10);
    long before = ftell(out);
    assert_false(svg_label(out, &tiny, 10, 5, "a long label", 11));
    assert_int_equal(ftell(out), before);
    fclose(out);
}

static void test_escape_and_legend(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    svg_escape(out, "a<b & \"c\">");
    svg_legend_item items[2] = {{"DRAM", "#0072B2", false, false}, {"roof", "#000000", true, true}};
    double h = svg_legend(out, 0, 0, 30, items, 2); /* too narrow: two rows */
    fclose(out);
    assert_non_null(strstr(text, "a&lt;b &amp; &quot;c&quot;&gt;"));
    assert_non_null(strstr(text, "stroke-dasharray"));
    assert_true(fabs(h - 2 * SVG_LEGEND_ROW) < 1e-9);
    assert_int_equal(svg_legend_rows(items, 2, 30), 2);
    assert_int_equal(svg_legend_rows(items, 2, 1000), 1);
    free(text);
}

/* Count the occurrences of needle in text. */
static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static char *panel_text(size_t nbars, const char *label)
{
    const char *labels[64];
    double values[64];
    for (size_t b = 0; b < nbars; b++) {
        labels[b] = label;
        values[b] = 1.0 + (double)b;
    }
    const char *series[1] = {"energy"};
    svg_panel p = {"t", "y", nbars, labels, 1, series, values, NULL, NULL, NULL};
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    svg_write_panels(out, NULL, &p, 1, 540, 400);
    fclose(out);
    return text;
}

/* Bar labels that fit stay level; ones wider than their bar are turned, and
 * when the bars are thinner than a line of text only some are written. */
static void test_bar_labels(void **state)
{
    (void)state;
    char *text = panel_text(8, "conv1");
    assert_int_equal(count(text, "rotate(-60)"), 0);
    free(text);
    text = panel_text(12, "layer1.0.downsample");
    assert_int_equal(count(text, "rotate(-60)"), 12);
    assert_non_null(strstr(text, "layer1.0.down")); /* cut to the band, with "..." */
    free(text);
    text = panel_text(64, "layer1.0.conv1");
    size_t turned = count(text, "rotate(-60)");
    assert_true(turned > 0 && turned < 64);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame),
        cmocka_unit_test(test_labels_never_overlap),
        cmocka_unit_test(test_escape_and_legend),
        cmocka_unit_test(test_bar_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
