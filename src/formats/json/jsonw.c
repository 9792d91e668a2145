/* jsonw.c - streaming JSON writer (see jsonw.h). */
#include "formats/json/jsonw.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void jw_init(jw *w, FILE *out, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
}

static void newline_indent(jw *w)
{
    if (!w->pretty)
        return;
    fputc('\n', w->out);
    for (int i = 0; i < w->depth; i++)
        fputs("  ", w->out);
}

/* Called before any value or key: writes the separator the position needs. */
static void before_item(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        if (w->has_items[w->depth])
            fputc(',', w->out);
        w->has_items[w->depth] = true;
        newline_indent(w);
    }
}

static void open(jw *w, char opener, char closer)
{
    before_item(w);
    fputc(opener, w->out);
    if (w->depth + 1 < JW_MAX_DEPTH) {
        w->depth++;
        w->has_items[w->depth] = false;
        w->closer[w->depth] = closer;
    }
}

void jw_object(jw *w)
{
    open(w, '{', '}');
}

void jw_array(jw *w)
{
    open(w, '[', ']');
}

void jw_end(jw *w)
{
    if (w->depth == 0)
        return;
    bool had = w->has_items[w->depth];
    char closer = w->closer[w->depth];
    w->depth--;
    if (had)
        newline_indent(w);
    fputc(closer, w->out);
}

static void write_escaped(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

void jw_key(jw *w, const char *key)
{
    before_item(w);
    write_escaped(w->out, key);
    fputs(w->pretty ? ": " : ":", w->out);
    w->after_key = true;
}

void jw_string(jw *w, const char *s)
{
    before_item(w);
    write_escaped(w->out, s ? s : "");
}

void jw_u64(jw *w, uint64_t v)
{
    before_item(w);
    fprintf(w->out, "%" PRIu64, v);
}

void jw_i64(jw *w, int64_t v)
{
    before_item(w);
    fprintf(w->out, "%" PRId64, v);
}

void jw_double(jw *w, double v)
{
    before_item(w);
    if (!isfinite(v)) {
        fputs("null", w->out);
        return;
    }
    char buf[JW_DOUBLE_MAX];
    fputs(jw_format_double(buf, v), w->out);
}

const char *jw_format_double(char *buf, double v)
{
    /* Shortest of %.15g/%.17g that reads back as the same double. */
    snprintf(buf, JW_DOUBLE_MAX, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, JW_DOUBLE_MAX, "%.17g", v);
    return buf;
}

void jw_bool(jw *w, bool v)
{
    before_item(w);
    fputs(v ? "true" : "false", w->out);
}

void jw_null(jw *w)
{
    before_item(w);
    fputs("null", w->out);
}

void jw_finish(jw *w)
{
    while (w->depth > 0)
        jw_end(w);
    fputc('\n', w->out);
}
