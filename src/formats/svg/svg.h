/* formats/svg/svg.h - stacked bar charts as standalone SVG documents (library-internal).
 *
 * A document holds one or more panels side by side; each panel is a stacked bar
 * chart: one bar per category, one coloured segment per series, and optionally
 * one reference mark per bar (a published value to compare against). Output is a
 * pure function of the inputs (fixed number formatting, no timestamps), so a test
 * can compare a committed chart with what the code writes now.
 */
#ifndef PETAL_FORMATS_SVG_H
#define PETAL_FORMATS_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define SVG_MAX_SERIES 8

typedef struct svg_panel {
    const char *title;
    const char *y_label;
    size_t nbars;
    const char *const *bar_labels;    /* nbars */
    size_t nseries;                   /* 1 to SVG_MAX_SERIES */
    const char *const *series_labels; /* nseries */
    const double *values;   /* nbars x nseries, row-major: values[bar * nseries + series] */
    const double *marks;    /* NULL, or nbars reference values (NaN: none for that bar) */
    const char *mark_label; /* legend text for the marks */
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
    const double *x, *y;  /* finite and >= 0; others are left out */
    const bool *on_front; /* n flags */
} svg_scatter;

/* Write an SVG document of `npanels` scatter panels side by side. */
void svg_write_scatters(FILE *out, const char *title, const svg_scatter *panels, size_t npanels,
                        double panel_w, double panel_h);

#endif
