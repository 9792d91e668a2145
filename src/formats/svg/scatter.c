/* scatter.c - scatter plots as SVG (see svg.h): round-number axes from zero, one
 * circle per point (filled when flagged as on a front), and a line through the
 * points no other point beats in both x and y. Output depends on the inputs only. */
#include <math.h>
#include <stdlib.h>

#include "formats/svg/svg.h"

#define LEFT 72.0
#define RIGHT 16.0
#define TOP 40.0
#define BOTTOM 48.0

static void put_text(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '&')
            fputs("&amp;", out);
        else if (*s == '<')
            fputs("&lt;", out);
        else if (*s == '>')
            fputs("&gt;", out);
        else
            fputc(*s, out);
    }
}

static bool usable(double v)
{
    return isfinite(v) && v >= 0;
}

static double nice_step(double max)
{
    double raw = max > 0 ? max / 5 : 1;
    double mag = pow(10, floor(log10(raw)));
    double m = raw / mag;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * mag;
}

typedef struct front_point {
    double x, y;
} front_point;

static int by_x(const void *a, const void *b)
{
    const front_point *p = a, *q = b;
    return p->x < q->x ? -1 : p->x > q->x ? 1 : (p->y < q->y ? -1 : p->y > q->y);
}

static void panel(FILE *out, const svg_scatter *s, double x0, double w, double h)
{
    double xmax = 0, ymax = 0;
    for (size_t i = 0; i < s->n; i++)
        if (usable(s->x[i]) && usable(s->y[i])) {
            xmax = fmax(xmax, s->x[i]);
            ymax = fmax(ymax, s->y[i]);
        }
    double xs = nice_step(xmax), ys = nice_step(ymax);
    xmax = xs * ceil(xmax / xs + 1e-9);
    ymax = ys * ceil(ymax / ys + 1e-9);
    if (xmax <= 0)
        xmax = xs;
    if (ymax <= 0)
        ymax = ys;
    double pw = w - LEFT - RIGHT, ph = h - TOP - BOTTOM;
#define PX(v) (x0 + LEFT + (v) / xmax * pw)
#define PY(v) (TOP + ph - (v) / ymax * ph)
    fprintf(out, "<text x=\"%.1f\" y=\"24\" font-size=\"14\" text-anchor=\"middle\">", x0 + w / 2);
    put_text(out, s->title);
    fputs("</text>\n", out);
    fprintf(out,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n"
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n",
            PX(0), PY(0), PX(xmax), PY(0), PX(0), PY(0), PX(0), PY(ymax));
    for (double t = 0; t <= xmax * (1 + 1e-9); t += xs)
        fprintf(out,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%g</text>\n",
                PX(t), PY(0) + 14, t);
    for (double t = 0; t <= ymax * (1 + 1e-9); t += ys)
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%g</text>\n",
                PX(0) - 4, PY(t) + 3, t);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\">",
            PX(xmax / 2), h - 12);
    put_text(out, s->x_label);
    fprintf(out,
            "</text>\n<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" "
            "transform=\"rotate(-90 %.1f %.1f)\">",
            x0 + 14, PY(ymax / 2), x0 + 14, PY(ymax / 2));
    put_text(out, s->y_label);
    fputs("</text>\n", out);
    front_point *fp = malloc((s->n ? s->n : 1) * sizeof *fp);
    size_t np = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (!usable(s->x[i]) || !usable(s->y[i]))
            continue;
        bool f = s->on_front && s->on_front[i];
        fputs("<circle", out);
        if (s->ids)
            fprintf(out, " data-row=\"%zu\"", s->ids[i]);
        fprintf(out, " cx=\"%.1f\" cy=\"%.1f\" r=\"3\" %s", PX(s->x[i]), PY(s->y[i]),
                f ? "fill=\"#D55E00\"" : "fill=\"none\" stroke=\"#0072B2\"");
        if (s->tips && s->tips[i]) {
            fputs("><title>", out);
            put_text(out, s->tips[i]);
            fputs("</title></circle>\n", out);
        } else {
            fputs("/>\n", out);
        }
        if (fp)
            fp[np++] = (front_point){s->x[i], s->y[i]};
    }
    if (fp && np > 0) {
        /* The two-dimensional front: in x order, each point lower than all before. */
        qsort(fp, np, sizeof *fp, by_x);
        fputs("<polyline fill=\"none\" stroke=\"#D55E00\" points=\"", out);
        double best = INFINITY;
        bool first = true;
        for (size_t i = 0; i < np; i++)
            if (fp[i].y < best) {
                best = fp[i].y;
                fprintf(out, "%s%.1f,%.1f", first ? "" : " ", PX(fp[i].x), PY(fp[i].y));
                first = false;
            }
        fputs("\"/>\n", out);
    }
    free(fp);
#undef PX
#undef PY
}

static void write_scatters(FILE *out, const char *id, const char *title, const svg_scatter *panels,
                           size_t npanels, double panel_w, double panel_h)
{
    double w = panel_w * (double)(npanels ? npanels : 1);
    fputs("<svg xmlns=\"http://www.w3.org/2000/svg\"", out);
    if (id) {
        fputs(" id=\"", out);
        put_text(out, id);
        fprintf(out, "\" class=\"chart\" role=\"img\" viewBox=\"0 0 %.0f %.0f\"", w, panel_h + 20);
    }
    fprintf(out, " width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\">\n<title>", w,
            panel_h + 20);
    put_text(out, title);
    fputs("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", out);
    fputs("<g transform=\"translate(0,20)\">\n", out);
    for (size_t i = 0; i < npanels; i++)
        panel(out, &panels[i], panel_w * (double)i, panel_w, panel_h);
    fputs("</g>\n</svg>\n", out);
}

void svg_write_scatters(FILE *out, const char *title, const svg_scatter *panels, size_t npanels,
                        double panel_w, double panel_h)
{
    write_scatters(out, NULL, title, panels, npanels, panel_w, panel_h);
}

void svg_write_scatters_inline(FILE *out, const char *id, const char *title,
                               const svg_scatter *panels, size_t npanels, double panel_w,
                               double panel_h)
{
    write_scatters(out, id, title, panels, npanels, panel_w, panel_h);
}
