/* svg.c - petal's SVG writer (see svg.h): the chart primitives (palette,
 * escaping, ticks, frames on linear or log axes, legends, a label placer),
 * then the stacked bar panels drawn with them. */
#include "formats/svg/svg.h"

#include <math.h>
#include <string.h>

/* Colour-blind-safe palette (Okabe and Ito), one colour per series. */
static const char *const palette[SVG_MAX_SERIES] = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999",
};

const char *svg_color(size_t i)
{
    return palette[i % SVG_MAX_SERIES];
}

void svg_escape(FILE *out, const char *s)
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

double svg_tick_step(double max)
{
    if (!(max > 0) || !isfinite(max))
        return 1;
    double raw = max / 6;
    double mag = pow(10, floor(log10(raw)));
    static const double steps[] = {1, 2, 5, 10};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * mag >= raw)
            return steps[i] * mag;
    return 10 * mag;
}

double svg_text_width(const char *text, double font_size)
{
    return 0.62 * font_size * (double)(text ? strlen(text) : 0);
}

/* --- frames and axes --- */

static double axis_fraction(const svg_axis *a, double v)
{
    double f;
    if (a->log) {
        if (!(v > 0) || !(a->min > 0) || !(a->max > a->min))
            return 0;
        f = (log10(v) - log10(a->min)) / (log10(a->max) - log10(a->min));
    } else {
        if (!(a->max > a->min))
            return 0;
        f = (v - a->min) / (a->max - a->min);
    }
    if (!isfinite(f) || f < 0)
        return 0;
    return f > 1 ? 1 : f;
}

double svg_px(const svg_plot *p, double v)
{
    return p->x + axis_fraction(&p->xa, v) * p->w;
}

double svg_py(const svg_plot *p, double v)
{
    return p->y + p->h - axis_fraction(&p->ya, v) * p->h;
}

void svg_log_range(double lo, double hi, svg_axis *out)
{
    if (!(lo > 0) || !isfinite(lo))
        lo = 1;
    if (!(hi > lo) || !isfinite(hi))
        hi = lo * 10;
    out->log = true;
    out->min = pow(10, floor(log10(lo)));
    out->max = pow(10, ceil(log10(hi)));
    if (out->max <= out->min)
        out->max = out->min * 10;
}

/* The tick values of an axis: 1-2-5 steps from min, or each decade. */
static size_t axis_ticks(const svg_axis *a, double *ticks, size_t cap)
{
    size_t n = 0;
    if (a->log) {
        for (double v = a->min; v <= a->max * 1.0001 && n < cap; v *= 10)
            ticks[n++] = v;
    } else {
        double step = svg_tick_step(a->max - a->min);
        for (double v = a->min; v <= a->max + step * 1e-9 && n < cap; v += step)
            ticks[n++] = v;
    }
    return n;
}

void svg_axes(FILE *out, const svg_plot *p, bool x_ticks, const char *x_label, const char *y_label)
{
    double ticks[64];
    size_t n = axis_ticks(&p->ya, ticks, 64);
    for (size_t k = 0; k < n; k++) {
        double y = svg_py(p, ticks[k]);
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%.4g</text>\n",
                p->x, y, p->x + p->w, y, p->x - 6, y + 4, ticks[k]);
    }
    if (x_ticks) {
        n = axis_ticks(&p->xa, ticks, 64);
        for (size_t k = 0; k < n; k++) {
            double x = svg_px(p, ticks[k]);
            fprintf(out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>\n"
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
                    "font-size=\"11\">%.4g</text>\n",
                    x, p->y, x, p->y + p->h, x, p->y + p->h + 16, ticks[k]);
        }
    }
    fprintf(out,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\"/>\n"
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\"/>\n",
            p->x, p->y, p->x, p->y + p->h, p->x, p->y + p->h, p->x + p->w, p->y + p->h);
    if (x_label) {
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\">",
                p->x + p->w / 2, p->y + p->h + 34);
        svg_escape(out, x_label);
        fputs("</text>\n", out);
    }
    if (y_label) {
        fprintf(out,
                "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" text-anchor=\"middle\" "
                "font-size=\"12\">",
                p->x - 48, p->y + p->h / 2);
        svg_escape(out, y_label);
        fputs("</text>\n", out);
    }
}

/* --- legends --- */

/* About 7 px per character at 11 px, plus the swatch and a gap. */
static double legend_item_width(const svg_legend_item *it)
{
    return 22 + 7.0 * (double)(it->label ? strlen(it->label) : 0) + 12;
}

size_t svg_legend_rows(const svg_legend_item *items, size_t n, double width)
{
    double x = 0;
    size_t rows = 1;
    for (size_t i = 0; i < n; i++) {
        double w = legend_item_width(&items[i]);
        if (x > 0 && x + w > width) {
            rows++;
            x = 0;
        }
        x += w;
    }
    return rows;
}

double svg_legend(FILE *out, double x, double y, double width, const svg_legend_item *items,
                  size_t n)
{
    double lx = x, ly = y;
    for (size_t i = 0; i < n; i++) {
        double iw = legend_item_width(&items[i]);
        if (lx > x && lx + iw > x + width) {
            lx = x;
            ly += SVG_LEGEND_ROW;
        }
        if (!items[i].line)
            fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"10\" fill=\"%s\"/>\n",
                    lx, ly, items[i].color);
        else
            fprintf(out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    "stroke-width=\"2\"%s/>\n",
                    lx, ly + 5, lx + 14, ly + 5, items[i].color,
                    items[i].dashed ? " stroke-dasharray=\"4,2\"" : "");
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">", lx + 20, ly + 9);
        svg_escape(out, items[i].label);
        fputs("</text>\n", out);
        lx += iw;
    }
    return ly + SVG_LEGEND_ROW - y;
}

/* --- labels that do not collide --- */

void svg_labeler_init(svg_labeler *l, double x, double y, double w, double h)
{
    memset(l, 0, sizeof *l);
    l->bx = x;
    l->by = y;
    l->bw = w;
    l->bh = h;
}

static void add_box(svg_labeler *l, double x0, double y0, double x1, double y1)
{
    if (l->n < SVG_MAX_BOXES)
        l->boxes[l->n++] = (struct svg_box){x0, y0, x1, y1};
}

void svg_labeler_block(svg_labeler *l, double x, double y, double r)
{
    add_box(l, x - r, y - r, x + r, y + r);
}

static bool box_free(const svg_labeler *l, double x0, double y0, double x1, double y1)
{
    if (x0 < l->bx || y0 < l->by || x1 > l->bx + l->bw || y1 > l->by + l->bh)
        return false;
    for (size_t i = 0; i < l->n; i++) {
        const struct svg_box *b = &l->boxes[i];
        if (x0 < b->x1 && b->x0 < x1 && y0 < b->y1 && b->y0 < y1)
            return false;
    }
    return true;
}

bool svg_label(FILE *out, svg_labeler *l, double x, double y, const char *text, double font_size)
{
    double w = svg_text_width(text, font_size), h = font_size + 2;
    /* Offsets of the box's top-left corner from the anchor: right, left,
     * above, below, then the same further out and diagonally. */
    for (int ring = 0; ring < 6; ring++) {
        double d = 5 + 8.0 * ring;
        const double cand[8][2] = {
            {d, -h / 2}, {-d - w, -h / 2}, {-w / 2, -d - h}, {-w / 2, d},
            {d, -d - h}, {d, d},           {-d - w, -d - h}, {-d - w, d},
        };
        for (int c = 0; c < 8; c++) {
            double x0 = x + cand[c][0], y0 = y + cand[c][1];
            if (!box_free(l, x0, y0, x0 + w, y0 + h))
                continue;
            add_box(l, x0, y0, x0 + w, y0 + h);
            if (ring > 0) /* a leader line from a label moved away from its anchor */
                fprintf(out,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                        "stroke=\"#888888\" stroke-width=\"0.5\"/>\n",
                        x, y, x0 + (cand[c][0] < 0 ? w : 0), y0 + h / 2);
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\">", x0, y0 + font_size - 1,
                    font_size);
            svg_escape(out, text);
            fputs("</text>\n", out);
            return true;
        }
    }
    return false;
}

/* --- stacked bar panels --- */

#define MARGIN_LEFT 64.0
#define MARGIN_RIGHT 16.0
#define MARGIN_TOP 40.0

static const char *series_color(const svg_panel *p, size_t s)
{
    return p->colors ? p->colors[s] : palette[s];
}

/* The legend items of a panel: its series, then its marks. */
static size_t panel_legend(const svg_panel *p, svg_legend_item *items)
{
    size_t nseries = p->nseries > SVG_MAX_SERIES ? SVG_MAX_SERIES : p->nseries;
    size_t n = 0;
    for (size_t s = 0; s < nseries; s++)
        items[n++] = (svg_legend_item){p->series_labels[s], series_color(p, s), false, false};
    if (p->marks)
        items[n++] = (svg_legend_item){p->mark_label, "#000000", true, true};
    return n;
}

static void write_panel(FILE *out, const svg_panel *p, double x0, double w, double h)
{
    size_t nseries = p->nseries > SVG_MAX_SERIES ? SVG_MAX_SERIES : p->nseries;
    svg_legend_item items[SVG_MAX_SERIES + 1];
    size_t nitems = panel_legend(p, items);
    double plot_w = w - MARGIN_LEFT - MARGIN_RIGHT;
    double legend_h = SVG_LEGEND_ROW * (double)svg_legend_rows(items, nitems, plot_w);
    svg_plot frame = {x0 + MARGIN_LEFT, MARGIN_TOP,   plot_w, h - MARGIN_TOP - 30 - legend_h - 8,
                      {0, 1, false},    {0, 1, false}};

    /* Bar labels wider than their slot are turned 60 degrees up, in a band
     * under the axis taken from the plot; when the slots are narrower than a
     * line of text only every `every`-th bar is labelled. */
    double slot = p->nbars ? frame.w / (double)p->nbars : frame.w, widest = 0;
    for (size_t b = 0; b < p->nbars; b++)
        widest = fmax(widest, svg_text_width(p->bar_labels[b], 11));
    bool turn = widest > slot - 2;
    size_t every = 1, max_chars = 0;
    double band = 0;
    if (turn) {
        every = slot < 13 ? (size_t)ceil(13 / slot) : 1;
        band = fmin(widest * 0.87 + 4, 110);
        max_chars = (size_t)((band - 4) / 0.87 / svg_text_width("x", 11));
        frame.h -= band;
    }

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
    double step = svg_tick_step(max);
    double top = step * ceil(max / step);
    if (top <= 0)
        top = step;
    frame.ya.max = top;

    fprintf(out, "<g>\n<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"14\">",
            x0 + w / 2, 22.0);
    svg_escape(out, p->title);
    fputs("</text>\n", out);

    /* Grid lines and tick labels; the axis title sits 16 px from the panel's edge. */
    int nticks = (int)lround(top / step);
    for (int k = 0; k <= nticks; k++) {
        double v = step * k;
        double y = svg_py(&frame, v);
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#dddddd\"/>\n"
                "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%.4g</text>\n",
                frame.x, y, frame.x + frame.w, y, frame.x - 6, y + 4, v);
    }
    fprintf(out,
            "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" text-anchor=\"middle\" "
            "font-size=\"12\">",
            x0 + 16, frame.y + frame.h / 2);
    svg_escape(out, p->y_label);
    fputs("</text>\n", out);

    /* Bars. */
    double bar_w = slot * 0.6;
    for (size_t b = 0; b < p->nbars; b++) {
        double bx = frame.x + slot * (double)b + (slot - bar_w) / 2;
        double acc = 0;
        for (size_t s = 0; s < nseries; s++) {
            double v = clean(p->values[b * p->nseries + s]);
            if (v <= 0)
                continue;
            double y1 = frame.y + frame.h - (acc + v) / top * frame.h;
            double bh = v / top * frame.h;
            fprintf(out,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    "<title>",
                    bx, y1, bar_w, bh, series_color(p, s));
            svg_escape(out, p->bar_labels[b]);
            fputs(" ", out);
            svg_escape(out, p->series_labels[s]);
            fprintf(out, ": %.4g</title></rect>\n", v);
            acc += v;
        }
        if (p->marks && clean(p->marks[b]) > 0) {
            double my = svg_py(&frame, clean(p->marks[b]));
            fprintf(out,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\" "
                    "stroke-width=\"2\" stroke-dasharray=\"4,2\"/>\n",
                    bx - 4, my, bx + bar_w + 4, my);
        }
        if (!turn) {
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">",
                    bx + bar_w / 2, frame.y + frame.h + 16);
            svg_escape(out, p->bar_labels[b]);
            fputs("</text>\n", out);
        } else if (b % every == 0) {
            char label[128];
            const char *text = p->bar_labels[b] ? p->bar_labels[b] : "";
            if (strlen(text) > max_chars && max_chars > 3 && max_chars < sizeof label)
                snprintf(label, sizeof label, "%.*s...", (int)(max_chars - 3), text);
            else
                snprintf(label, sizeof label, "%s", text);
            fprintf(out,
                    "<text transform=\"translate(%.1f,%.1f) rotate(-60)\" text-anchor=\"end\" "
                    "font-size=\"11\">",
                    bx + bar_w / 2 + 3, frame.y + frame.h + 8);
            svg_escape(out, label);
            fputs("</text>\n", out);
        }
    }
    fprintf(out,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\"/>\n"
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#000000\"/>\n",
            frame.x, frame.y, frame.x, frame.y + frame.h, frame.x, frame.y + frame.h,
            frame.x + frame.w, frame.y + frame.h);

    svg_legend(out, frame.x, frame.y + frame.h + band + 30, frame.w, items, nitems);
    fputs("</g>\n", out);
}

static void write_panels(FILE *out, const char *id, const char *title, const svg_panel *panels,
                         size_t npanels, double panel_w, double panel_h)
{
    double title_h = title ? 24 : 0;
    double width = panel_w * (double)(npanels ? npanels : 1);
    fputs("<svg xmlns=\"http://www.w3.org/2000/svg\"", out);
    if (id) {
        fputs(" id=\"", out);
        svg_escape(out, id);
        fputs("\" class=\"chart\" role=\"img\" aria-label=\"", out);
        svg_escape(out, title);
        fputs("\"", out);
    }
    fprintf(out,
            " width=\"%.0f\" height=\"%.0f\" "
            "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
            width, panel_h + title_h, width, panel_h + title_h);
    if (title) {
        fprintf(out,
                "<text x=\"%.1f\" y=\"18\" text-anchor=\"middle\" font-size=\"15\" "
                "font-weight=\"bold\">",
                width / 2);
        svg_escape(out, title);
        fputs("</text>\n", out);
    }
    for (size_t i = 0; i < npanels; i++) {
        fprintf(out, "<g transform=\"translate(0,%.0f)\">\n", title_h);
        write_panel(out, &panels[i], panel_w * (double)i, panel_w, panel_h);
        fputs("</g>\n", out);
    }
    fputs("</svg>\n", out);
}

void svg_write_panels(FILE *out, const char *title, const svg_panel *panels, size_t npanels,
                      double panel_w, double panel_h)
{
    write_panels(out, NULL, title, panels, npanels, panel_w, panel_h);
}

void svg_write_panels_inline(FILE *out, const char *id, const char *title, const svg_panel *panels,
                             size_t npanels, double panel_w, double panel_h)
{
    write_panels(out, id, title, panels, npanels, panel_w, panel_h);
}
