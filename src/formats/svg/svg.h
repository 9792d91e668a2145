/* formats/svg/svg.h - petal's SVG writer (library-internal): small chart
 * primitives, and stacked bar charts built from them.
 *
 * Primitives: the palette, text escaping, round-number ticks, a plot frame that
 * maps data to pixels on linear or logarithmic axes, axes with ticks and grid,
 * wrapped legends, and a label placer that keeps labels from overlapping one
 * another and the points they name. The stacked bar panels (svg_write_panels)
 * and the HTML report's charts (report/html_report.c) are drawn with them.
 * Output is a pure function of the inputs (fixed number formatting, no
 * timestamps), so a test can compare a committed chart with what the code
 * writes now.
 */
#ifndef PETAL_FORMATS_SVG_H
#define PETAL_FORMATS_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SVG_MAX_SERIES 8

/* --- primitives --- */

/* Colour i of a colour-blind-safe palette (Okabe and Ito), cycling after 8. */
const char *svg_color(size_t i);

/* Write s with &, <, > and " escaped (for text and attribute values). */
void svg_escape(FILE *out, const char *s);

/* A tick step of 1, 2 or 5 times a power of ten giving at most 6 intervals up
 * to max (> 0; otherwise 1). */
double svg_tick_step(double max);

/* Estimated width in pixels of text at a font size (no font metrics in C:
 * 0.62 em per character, generous for sans-serif digits and lower case). */
double svg_text_width(const char *text, double font_size);

/* One axis: its range, linear or logarithmic (log needs 0 < min < max). */
typedef struct svg_axis {
    double min, max;
    bool log;
} svg_axis;

/* A plot frame: the plotting rectangle in pixels and the two axes. */
typedef struct svg_plot {
    double x, y, w, h; /* top-left corner and size of the plotting area */
    svg_axis xa, ya;
} svg_plot;

/* Pixel position of a data value (clamped to the frame). */
double svg_px(const svg_plot *p, double v);
double svg_py(const svg_plot *p, double v);

/* Round a positive range out to whole decades, for a log axis. */
void svg_log_range(double lo, double hi, svg_axis *out);

/* The frame's grid, axis lines, tick labels (1-2-5 steps on a linear axis,
 * decades on a log one; x ticks only where `x_ticks` is true) and the two axis
 * titles. */
void svg_axes(FILE *out, const svg_plot *p, bool x_ticks, const char *x_label, const char *y_label);

/* A legend entry: a filled swatch, or a line (dashed or not) of that colour. */
typedef struct svg_legend_item {
    const char *label;
    const char *color;
    bool line, dashed;
} svg_legend_item;

/* Rows a legend of n items takes when wrapped to width pixels. */
size_t svg_legend_rows(const svg_legend_item *items, size_t n, double width);
#define SVG_LEGEND_ROW 18.0

/* Draw the legend from (x, y), wrapping at width; returns its height. */
double svg_legend(FILE *out, double x, double y, double width, const svg_legend_item *items,
                  size_t n);

/* Labels that do not collide: each label is tried at positions around its
 * anchor (right, left, above, below, then further out) and placed at the
 * first whose box overlaps no box placed before and stays inside the bounds.
 * Obstacles (the markers) are added as boxes too. */
#define SVG_MAX_BOXES 256
typedef struct svg_labeler {
    double bx, by, bw, bh; /* the bounds labels must stay in */
    size_t n;
    struct svg_box {
        double x0, y0, x1, y1;
    } boxes[SVG_MAX_BOXES];
} svg_labeler;

void svg_labeler_init(svg_labeler *l, double x, double y, double w, double h);
/* Mark a square of half-size r around (x, y) as taken. */
void svg_labeler_block(svg_labeler *l, double x, double y, double r);
/* Place text near (x, y); false (and nothing drawn) when no position is free. */
bool svg_label(FILE *out, svg_labeler *l, double x, double y, const char *text, double font_size);

/* --- stacked bar charts --- */

/* A panel is a stacked bar chart: one bar per category, one coloured segment
 * per series, and optionally one reference mark per bar (a published value to
 * compare against). */
typedef struct svg_panel {
    const char *title;
    const char *y_label;
    size_t nbars;
    const char *const *bar_labels;    /* nbars */
    size_t nseries;                   /* 1 to SVG_MAX_SERIES */
    const char *const *series_labels; /* nseries */
    const double *values;      /* nbars x nseries, row-major: values[bar * nseries + series] */
    const double *marks;       /* NULL, or nbars reference values (NaN: none for that bar) */
    const char *mark_label;    /* legend text for the marks */
    const char *const *colors; /* NULL (the palette in order), or nseries colours */
} svg_panel;

/* Write an SVG document of `npanels` panels side by side, each panel_w x panel_h
 * pixels, under a document title. Values must be finite and >= 0 (others are
 * drawn as 0). */
void svg_write_panels(FILE *out, const char *title, const svg_panel *panels, size_t npanels,
                      double panel_w, double panel_h);

/* A scatter panel: n points (x, y); those with on_front[i] filled, the others
 * hollow; a line joins the points no other point beats in both x and y. */
typedef struct svg_scatter {
    const char *title;
    const char *x_label, *y_label;
    size_t n;
    const double *x, *y;     /* finite and >= 0; others are left out */
    const bool *on_front;    /* n flags */
    const size_t *ids;       /* NULL, or n numbers: each circle's data-row attribute */
    const char *const *tips; /* NULL, or n tooltips (each circle's <title>) */
} svg_scatter;

/* Write an SVG document of `npanels` scatter panels side by side. */
void svg_write_scatters(FILE *out, const char *title, const svg_scatter *panels, size_t npanels,
                        double panel_w, double panel_h);
/* The same panels as one <svg> element for an HTML page: with an id, a class
 * "chart", role="img" (the title is its accessible name) and a viewBox, so that
 * it scales down with the page. */
void svg_write_scatters_inline(FILE *out, const char *id, const char *title,
                               const svg_scatter *panels, size_t npanels, double panel_w,
                               double panel_h);
/* The same panels as one <svg> element for an HTML page: with an id, a class
 * "chart" and role="img" (the document title is its accessible name). */
void svg_write_panels_inline(FILE *out, const char *id, const char *title, const svg_panel *panels,
                             size_t npanels, double panel_w, double panel_h);

#endif
