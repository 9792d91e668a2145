/* svg.c - stacked bar charts as SVG (see svg.h): axes with round-number ticks,
 * one stacked bar per category, reference marks, and a legend under each panel. */
#include "formats/svg/svg.h"

#include <math.h>
#include <string.h>

/* Colour-blind-safe palette (Okabe and Ito), one colour per series. */
static const char *const palette[SVG_MAX_SERIES] = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999",
};

#define MARGIN_LEFT 64.0
#define MARGIN_RIGHT 16.0
#define MARGIN_TOP 40.0
#define LEGEND_ROW 18.0

static void put_escaped(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

static double clean(double v)
{
    return isfinite(v) && v > 0 ? v : 0;
}

/* A tick step of 1, 2 or 5 times a power of ten giving at most 6 intervals up to max. */
static double tick_step(double max)
{
    if (max <= 0)
        return 1;
    double raw = max / 6;
    double mag = pow(10, floor(log10(raw)));
    static const double steps[] = {1, 2, 5, 10};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * mag >= raw)
            return steps[i] * mag;
    return 10 * mag;
}

static size_t legend_rows(const svg_panel *p, double width)
{
    /* Items of about 7 px per character plus a swatch, wrapped to the panel width. */
    double x = 0;
    size_t rows = 1;
    size_t items = p->nseries + (p->marks ? 1 : 0);
    for (size_t i = 0; i < items; i++) {
        const char *label = i < p->nseries ? p->series_labels[i] : p->mark_label;
        double w = 22 + 7.0 * (double)(label ? strlen(label) : 0) + 12;
        if (x > 0 && x + w > width) {
            rows++;
            x = 0;
        }
        x += w;
    }
    return rows;
}

static void write_panel(FILE *out, const svg_panel *p, double x0, double w, double h)
{
    size_t nseries = p->nseries > SVG_MAX_SERIES ? SVG_MAX_SERIES : p->nseries;
    double legend_h = LEGEND_ROW * (double)legend_rows(p, w - MARGIN_LEFT - MARGIN_RIGHT);
    double plot_x = x0 + MARGIN_LEFT, plot_w = w - MARGIN_LEFT - MARGIN_RIGHT;
    double plot_y = MARGIN_TOP, plot_h = h - MARGIN_TOP - 30 - legend_h - 8;

    double max = 0;
    for (size_t b = 0; b < p->nbars; b++) {
        double sum = 0;
        for (size_t s = 0; s < nseries; s++)
            sum += clean(p->values[b * p->nseries + s]);
        if (sum > max)
            max = sum;
        if (p->marks && clean(p->marks[b]) > max)
            max = clean(p->marks[b]);
    }
    double step = tick_step(max);
    double top = step * ceil(max / step);
    if (top <= 0)
        top = step;

    fprintf(out, "<g>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"14\">",
            x0 + w / 2, 22.0);
    put_escaped(out, p->title);
    fputs("</text>\n", out);

    /* Grid lines and tick labels. */
    int nticks = (int)lround(top / step);
    for (int k = 0; k <= nticks; k++) {
        double v = step * k;
        double y = plot_y + plot_h - v / top * plot_h;
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%.4g</text>\n",
                plot_x, y, plot_x + plot_w, y, plot_x - 6, y + 4, v);
    }
    fprintf(out,
            "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" text-anchor=\"middle\" "
            "font-size=\"12\">",
            x0 + 16, plot_y + plot_h / 2);
    put_escaped(out, p->y_label);
    fputs("</text>\n", out);

    /* Bars. */
    double slot = p->nbars ? plot_w / (double)p->nbars : plot_w;
    double bar_w = slot * 0.6;
    for (size_t b = 0; b < p->nbars; b++) {
        double bx = plot_x + slot * (double)b + (slot - bar_w) / 2;
        double acc = 0;
        for (size_t s = 0; s < nseries; s++) {
            double v = clean(p->values[b * p->nseries + s]);
            if (v <= 0)
                continue;
            double y1 = plot_y + plot_h - (acc + v) / top * plot_h;
            double bh = v / top * plot_h;
            fprintf(out,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    "<title>",
                    bx, y1, bar_w, bh, palette[s]);
            put_escaped(out, p->bar_labels[b]);
            fputs(" ", out);
            put_escaped(out, p->series_labels[s]);
            fprintf(out, ": %.4g</title></rect>\n", v);
            acc += v;
        }
        if (p->marks && clean(p->marks[b]) > 0) {
            double my = plot_y + plot_h - clean(p->marks[b]) / top * plot_h;
            fprintf(out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\" "
                    "stroke-width=\"2\" stroke-dasharray=\"4,2\"/>\n",
                    bx - 4, my, bx + bar_w + 4, my);
        }
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">",
                bx + bar_w / 2, plot_y + plot_h + 16);
        put_escaped(out, p->bar_labels[b]);
        fputs("</text>\n", out);
    }
    fprintf(out,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\"/>\n"
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\"/>\n",
            plot_x, plot_y, plot_x, plot_y + plot_h, plot_x, plot_y + plot_h, plot_x + plot_w,
            plot_y + plot_h);

    /* Legend: swatches in rows under the axis. */
    double lx = plot_x, ly = plot_y + plot_h + 30;
    size_t items = nseries + (p->marks ? 1 : 0);
    for (size_t i = 0; i < items; i++) {
        const char *label = i < nseries ? p->series_labels[i] : p->mark_label;
        double iw = 22 + 7.0 * (double)(label ? strlen(label) : 0) + 12;
        if (lx > plot_x && lx + iw > plot_x + plot_w) {
            lx = plot_x;
            ly += LEGEND_ROW;
        }
        if (i < nseries)
            fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%s\"/>\n",
                    lx, ly, palette[i]);
        else
            fprintf(out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\" "
                    "stroke-width=\"2\" stroke-dasharray=\"4,2\"/>\n",
                    lx, ly + 5, lx + 14, ly + 5);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">", lx + 20, ly + 9);
        put_escaped(out, label);
        fputs("</text>\n", out);
        lx += iw;
    }
    fputs("</g>\n", out);
}

void svg_write_panels(FILE *out, const char *title, const svg_panel *panels, size_t npanels,
                      double panel_w, double panel_h)
{
    double title_h = title ? 24 : 0;
    double width = panel_w * (double)(npanels ? npanels : 1);
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
            width, panel_h + title_h, width, panel_h + title_h);
    if (title) {
        fprintf(out,
                "<text x=\"%.1f\" y=\"18\" text-anchor=\"middle\" font-size=\"15\" "
                "font-weight=\"bold\">",
                width / 2);
        put_escaped(out, title);
        fputs("</text>\n", out);
    }
    for (size_t i = 0; i < npanels; i++) {
        fprintf(out, "<g transform=\"translate(0,%.0f)\">\n", title_h);
        write_panel(out, &panels[i], panel_w * (double)i, panel_w, panel_h);
        fputs("</g>\n", out);
    }
    fputs("</svg>\n", out);
}
