/* scalesim_topology.c - SCALE-Sim v2's topology files: conv rows (name, IFMAP
 * height and width, filter height and width, channels, filters, stride) or
 * GEMM rows (name, M, N, K), told apart by the header line (docs/systolic.md). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/scalesim/scalesim_internal.h"
#include "petal/scalesim.h"
#include "util/error.h"
#include "util/name.h"

enum { MAX_FIELDS = 16, MAX_LAYERS = 1 << 20 };

typedef struct fields {
    int n;
    const char *s[MAX_FIELDS];
    size_t len[MAX_FIELDS];
} fields;

/* Split a line at commas as SCALE-Sim does (no quoting), each field stripped.
 * SCALE-Sim's rows end with a comma and it drops the last field; petal drops
 * it when it is empty. False when there are more than MAX_FIELDS. */
static bool split(const scalesim_line *line, fields *f)
{
    f->n = 0;
    const char *p = line->start, *end = line->start + line->len;
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        if (f->n == MAX_FIELDS)
            return false;
        const char *s = p;
        size_t len = (size_t)(stop - p);
        scalesim_strip(&s, &len);
        f->s[f->n] = s;
        f->len[f->n] = len;
        f->n++;
        if (!comma)
            break;
        p = comma + 1;
    }
    if (f->n > 1 && f->len[f->n - 1] == 0)
        f->n--;
    return true;
}

static bool is_word(const fields *f, int i, const char *w)
{
    return i < f->n && f->len[i] == strlen(w) && strncasecmp(f->s[i], w, f->len[i]) == 0;
}

/* "DP" anywhere in a conv row's name marks it depthwise, as in SCALE-Sim. */
static bool has_dp(const char *s, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == 'D' && s[i + 1] == 'P')
            return true;
    return false;
}

static const char *conv_columns[] = {"IFMAP Height", "IFMAP Width", "Filter Height",
                                     "Filter Width", "Channels",    "Num Filter",
                                     "Strides",      "Stride width"};
static const char *gemm_columns[] = {"M", "N", "K"};

/* Append one layer, growing the array. */
static petal_status push(petal_scalesim_topology *t, size_t *cap, const petal_scalesim_layer *l,
                         const char *path)
{
    if (t->nlayers == MAX_LAYERS)
        return petal_error_set(PETAL_EINVAL, "%s:%d: more than %d layers in one topology", path,
                               l->line, MAX_LAYERS);
    if (t->nlayers == *cap) {
        size_t grown = *cap ? *cap * 2 : 16;
        petal_scalesim_layer *a = realloc(t->layers, grown * sizeof *a);
        if (!a)
            return petal_error_set(PETAL_ENOMEM, "out of memory reading a topology");
        t->layers = a;
        *cap = grown;
    }
    t->layers[t->nlayers++] = *l;
    return PETAL_OK;
}

/* A layer from one row: values[] in conv order (H, W, R, S, C, N, stride_h, stride_w). */
static petal_status row(const char *path, const scalesim_line *line, const fields *f, bool gemm,
                        petal_scalesim_layer *l)
{
    int want = gemm ? 4 : 8;
    const char **columns = gemm ? gemm_columns : conv_columns;
    if (f->n < want)
        return petal_error_set(PETAL_EPARSE, "%s:%d: expected %d fields (%s), got %d", path,
                               line->number, want,
                               gemm ? "name, M, N, K"
                                    : "name, IFMAP Height, IFMAP Width, Filter Height, Filter "
                                      "Width, Channels, Num Filter, Strides",
                               f->n);
    int given = gemm ? 3 : (f->n >= 9 ? 8 : 7);
    if (f->n > given + 1)
        petal_warn("%s:%d: %d fields after the %d SCALE-Sim reads; ignored, as SCALE-Sim does",
                   path, line->number, f->n - given - 1, given + 1);
    uint64_t v[8];
    for (int i = 0; i < given; i++)
        if (!scalesim_parse_u64(f->s[i + 1], f->len[i + 1], &v[i]) || v[i] == 0 ||
            v[i] > (UINT64_C(1) << 32))
            return petal_error_set(PETAL_EINVAL,
                                   "%s:%d: field %d (%s): expected a whole number from 1 to 2^32, "
                                   "got '%.*s'",
                                   path, line->number, i + 2, columns[i],
                                   (int)(f->len[i + 1] > 40 ? 40 : f->len[i + 1]), f->s[i + 1]);
    memset(l, 0, sizeof *l);
    petal_status st = petal_name_copyn(PETAL_NAME_FIELD(l->name, PETAL_NAME_MAX), "layer name",
                                       f->s[0], f->len[0]);
    if (st)
        return petal_error_prefix(st, "%s:%d: ", path, line->number);
    l->line = line->number;
    if (gemm) {
        /* SCALE-Sim's GEMM row: an M x K ifmap, a 1 x K filter, N filters. */
        uint64_t m = v[0], n = v[1], k = v[2];
        l->ifmap_h = m;
        l->ifmap_w = k;
        l->filter_h = 1;
        l->filter_w = k;
        l->channels = 1;
        l->filters = n;
        l->stride_h = l->stride_w = 1;
        return PETAL_OK;
    }
    l->ifmap_h = v[0];
    l->ifmap_w = v[1];
    l->filter_h = v[2];
    l->filter_w = v[3];
    l->channels = v[4];
    l->filters = v[5];
    l->stride_h = v[6];
    l->stride_w = given == 8 ? v[7] : v[6];
    if (l->filter_h > l->ifmap_h || l->filter_w > l->ifmap_w)
        return petal_error_set(PETAL_EINVAL,
                               "%s:%d: the filter (%llu x %llu) is larger than the IFMAP "
                               "(%llu x %llu); SCALE-Sim refuses it too",
                               path, line->number, (unsigned long long)l->filter_h,
                               (unsigned long long)l->filter_w, (unsigned long long)l->ifmap_h,
                               (unsigned long long)l->ifmap_w);
    return PETAL_OK;
}

/* A depthwise row ("DP" in its name): SCALE-Sim runs it as one layer per
 * channel, each with one channel, named <name>Channel_<i>. */
static petal_status push_depthwise(const char *path, const scalesim_line *line,
                                   petal_scalesim_topology *t, size_t *cap,
                                   const petal_scalesim_layer *l)
{
    if (l->channels > 65536)
        return petal_error_set(PETAL_EINVAL,
                               "%s:%d: depthwise layer %s has %llu channels; SCALE-Sim runs one "
                               "layer per channel and petal takes at most 65536",
                               path, line->number, l->name, (unsigned long long)l->channels);
    for (uint64_t c = 0; c < l->channels; c++) {
        petal_scalesim_layer one = *l;
        one.channels = 1;
        char name[PETAL_NAME_MAX + 32];
        int len = snprintf(name, sizeof name, "%sChannel_%llu", l->name, (unsigned long long)c);
        petal_status st = petal_name_copyn(PETAL_NAME_FIELD(one.name, PETAL_NAME_MAX), "layer name",
                                           name, (size_t)len);
        if (st)
            return petal_error_prefix(st, "%s:%d: ", path, line->number);
        if ((st = push(t, cap, &one, path)))
            return st;
    }
    return PETAL_OK;
}

static petal_status parse(const char *path, const char *text, size_t n, petal_scalesim_topology *t)
{
    scalesim_line line = {0};
    size_t pos = 0, cap = 0;
    fields f;
    if (!scalesim_next_line(text, n, &pos, &line))
        return petal_error_set(PETAL_EPARSE,
                               "%s: empty; expected a header line, then one layer per line", path);
    if (!split(&line, &f))
        return petal_error_set(PETAL_EPARSE, "%s:1: more than %d fields in the header", path,
                               MAX_FIELDS);
    /* SCALE-Sim is told the form with -i gemm; petal reads it from the header. */
    t->gemm = is_word(&f, 1, "M") && is_word(&f, 2, "N") && is_word(&f, 3, "K");
    while (scalesim_next_line(text, n, &pos, &line)) {
        const char *s = line.start;
        size_t len = line.len;
        scalesim_strip(&s, &len);
        if (!len)
            continue;
        if (!split(&line, &f))
            return petal_error_set(PETAL_EPARSE, "%s:%d: more than %d fields", path, line.number,
                                   MAX_FIELDS);
        petal_scalesim_layer l;
        petal_status st = row(path, &line, &f, t->gemm, &l);
        if (st)
            return st;
        if (!t->gemm && has_dp(f.s[0], f.len[0]))
            st = push_depthwise(path, &line, t, &cap, &l);
        else
            st = push(t, &cap, &l, path);
        if (st)
            return st;
    }
    if (!t->nlayers)
        return petal_error_set(PETAL_EPARSE, "%s: no layers after the header (expected rows of %s)",
                               path,
                               t->gemm ? "name, M, N, K" : "name, IFMAP Height, IFMAP Width, ...");
    return PETAL_OK;
}

petal_status petal_scalesim_load_topology(const char *path, petal_scalesim_topology *out)
{
    if (!path || !out)
        return petal_error_set(PETAL_EINVAL, "petal_scalesim_load_topology: NULL argument");
    memset(out, 0, sizeof *out);
    char *text;
    size_t n;
    petal_status st = scalesim_read_text(path, &text, &n);
    if (st)
        return st;
    st = parse(path, text, n, out);
    free(text);
    if (st)
        petal_scalesim_topology_free(out);
    return st;
}

void petal_scalesim_topology_free(petal_scalesim_topology *t)
{
    if (!t)
        return;
    free(t->layers);
    t->layers = NULL;
    t->nlayers = 0;
}
