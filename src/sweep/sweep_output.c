/* sweep_output.c - a sweep's results file: rows appended as points finish, kept
 * across an interruption, put in point order at the end; and the Pareto front and
 * its scatter, read back from the rows' own text so that resumed and new points
 * are treated alike. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats/svg/svg.h"
#include "petal/sweep.h"
#include "sweep/sweep_internal.h"
#include "util/error.h"

struct petal_sweep_output {
    const petal_sweep_spec *spec;
    char *path;
    char *first_lines; /* fingerprint line and header */
    char **rows;       /* per point: its rows' text, or NULL */
    size_t done;
    FILE *file; /* open for appending */
};

petal_status petal_sweep_rows_text(const petal_sweep_spec *s, const petal_sweep_row *rows,
                                   char **text)
{
    size_t len = 0;
    FILE *f = open_memstream(text, &len);
    if (!f)
        return petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
    for (size_t r = 0; r < petal_sweep_rows_per_point(s); r++)
        petal_sweep_csv_row(f, s, &rows[r]);
    if (fclose(f) != 0) {
        free(*text);
        *text = NULL;
        return petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
    }
    return PETAL_OK;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        char *grown = realloc(buf, 2 * cap + 1);
        if (!grown) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

petal_status petal_sweep_fingerprint(const char *spec_path, double budget_seconds, uint64_t *out)
{
    /* FNV-1a over the spec's bytes and the budget as text. */
    uint64_t h = SWEEP_HASH_START;
    petal_status st = sweep_hash_file(spec_path, &h);
    if (st)
        return st;
    char b[64];
    int n = snprintf(b, sizeof b, "|budget=%.17g", budget_seconds);
    *out = sweep_hash_bytes(h, b, (size_t)n);
    return PETAL_OK;
}

/* A file's entry on line 1: its name as the spec gives it (a control character,
 * which would break the line, as '?') and its fingerprint. */
static void file_entry(FILE *f, const petal_sweep_file *file)
{
    for (const char *c = file->name; *c; c++)
        fputc((unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c, f);
    fprintf(f, " %016" PRIx64, file->fingerprint);
}

/* An existing file's line 1 differs from this run's: say whether it is the spec
 * (or budget) or which named file changed. `old` is the existing file's text. */
static petal_status refuse_resume(const petal_sweep_output *o, const char *old)
{
    const char *mine = o->first_lines;
    size_t head = strcspn(mine, ";\n");
    size_t old_line = strcspn(old, "\n");
    bool same_spec = old_line >= head && strncmp(old, mine, head) == 0 &&
                     (old[head] == ';' || old[head] == '\n' || old[head] == '\0');
    if (same_spec) {
        for (size_t i = 0; i < o->spec->nfiles; i++) {
            char *entry = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&entry, &len);
            if (!f)
                break;
            file_entry(f, &o->spec->files[i]);
            fclose(f);
            /* The entry, whole, within the old line 1. */
            bool found = false;
            for (const char *p = old; !found && (p = strstr(p, entry)) && p < old + old_line; p++)
                found = p > old && p[-1] == ' ' && (p[len] == ',' || p[len] == '\n');
            free(entry);
            if (!found)
                return petal_error_set(PETAL_EINVAL,
                                       "%s: the file %s has changed since this output was "
                                       "begun (its fingerprint differs); refusing to resume: "
                                       "restore it, or use another output file",
                                       o->path, o->spec->files[i].path);
        }
    }
    return petal_error_set(PETAL_EINVAL,
                           "%s: begun with another spec or budget (fingerprint line "
                           "differs); refusing to resume: use the spec it was begun "
                           "with, or another output file",
                           o->path);
}

/* Write the two first lines and every kept point, in point order, to the path,
 * through a temporary file and a rename, so that the file is never half written. */
static petal_status rewrite(petal_sweep_output *o)
{
    size_t tlen = strlen(o->path) + 8;
    char *tmp = malloc(tlen);
    if (!tmp)
        return petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
    snprintf(tmp, tlen, "%s.tmp", o->path);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        petal_status st = petal_error_set(PETAL_EIO, "%s: cannot write: %s", tmp, strerror(errno));
        free(tmp);
        return st;
    }
    fputs(o->first_lines, f);
    for (size_t i = 0; i < o->spec->npoints; i++)
        if (o->rows[i])
            fputs(o->rows[i], f);
    bool bad = ferror(f) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, o->path) != 0) {
        petal_status st =
            petal_error_set(PETAL_EIO, "%s: cannot write: %s", o->path, strerror(errno));
        remove(tmp);
        free(tmp);
        return st;
    }
    free(tmp);
    return PETAL_OK;
}

void petal_sweep_output_close(petal_sweep_output *o)
{
    if (!o)
        return;
    if (o->file)
        fclose(o->file);
    for (size_t i = 0; o->rows && i < o->spec->npoints; i++)
        free(o->rows[i]);
    free(o->rows);
    free(o->first_lines);
    free(o->path);
    free(o);
}

/* Keep the complete points of an existing file's rows (text after line 2). */
static petal_status keep_points(petal_sweep_output *o, const char *text)
{
    size_t per = petal_sweep_rows_per_point(o->spec);
    const char *p = text;
    size_t line = 3;
    /* Rows of one point are written together: collect runs of the same point. */
    while (*p) {
        const char *start = p;
        char *end;
        errno = 0;
        unsigned long long point = strtoull(p, &end, 10);
        if (end == p || *end != ',' || errno || point >= o->spec->npoints)
            return petal_error_set(PETAL_EPARSE,
                                   "%s:%zu: expected a row that begins with a point number "
                                   "below %zu",
                                   o->path, line, o->spec->npoints);
        size_t n = 0;
        const char *q = start;
        while (*q && n < per) {
            const char *nl = strchr(q, '\n');
            if (!nl)
                break; /* a cut last line: the point was in flight */
            unsigned long long again = strtoull(q, &end, 10);
            if (end == q || again != point)
                break;
            q = nl + 1;
            n++;
        }
        if (n < per) {
            const char *nl = strchr(q, '\n');
            if (nl) /* a short run in the middle is not a file this code wrote */
                return petal_error_set(PETAL_EPARSE, "%s:%zu: point %llu has %zu of its %zu rows",
                                       o->path, line, point, n, per);
            break;
        }
        if (!o->rows[point]) {
            size_t len = (size_t)(q - start);
            o->rows[point] = malloc(len + 1);
            if (!o->rows[point])
                return petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
            memcpy(o->rows[point], start, len);
            o->rows[point][len] = '\0';
            o->done++;
        }
        p = q;
        line += n;
    }
    return PETAL_OK;
}

petal_status petal_sweep_output_open(const char *path, const petal_sweep_spec *s,
                                     uint64_t fingerprint, petal_sweep_output **out)
{
    *out = NULL;
    petal_sweep_output *o = calloc(1, sizeof *o);
    if (!o)
        return petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
    o->spec = s;
    o->path = strdup(path);
    o->rows = calloc(s->npoints ? s->npoints : 1, sizeof *o->rows);
    size_t flen = 0;
    FILE *f = open_memstream(&o->first_lines, &flen);
    if (!o->path || !o->rows || !f) {
        if (f)
            fclose(f);
        petal_sweep_output_close(o);
        return petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
    }
    fprintf(f, "# petal sweep %016" PRIx64 ": %zu points, %zu rows each", fingerprint, s->npoints,
            petal_sweep_rows_per_point(s));
    for (size_t i = 0; i < s->nfiles; i++) {
        fputs(i ? ", " : "; files: ", f);
        file_entry(f, &s->files[i]);
    }
    fputc('\n', f);
    petal_sweep_csv_header(f, s);
    fclose(f);

    petal_status st = PETAL_OK;
    size_t len;
    char *old = read_all(path, &len);
    if (old && len > 0) {
        size_t l1 = strcspn(o->first_lines, "\n") + 1;
        if (strncmp(old, "# petal sweep ", 14) != 0)
            st = petal_error_set(PETAL_EINVAL,
                                 "%s: not a petal sweep output (line 1 should be '# petal "
                                 "sweep ...'); refusing to overwrite it",
                                 path);
        else if (len < l1 || strncmp(old, o->first_lines, l1) != 0)
            st = refuse_resume(o, old);
        else if (strncmp(old, o->first_lines, strlen(o->first_lines)) != 0)
            st =
                petal_error_set(PETAL_EINVAL, "%s:2: the CSV header differs from the spec's", path);
        else
            st = keep_points(o, old + strlen(o->first_lines));
    }
    free(old);
    if (!st)
        st = rewrite(o);
    if (!st && !(o->file = fopen(path, "ab")))
        st = petal_error_set(PETAL_EIO, "%s: cannot append: %s", path, strerror(errno));
    if (st) {
        petal_sweep_output_close(o);
        return st;
    }
    *out = o;
    return PETAL_OK;
}

bool petal_sweep_output_has(const petal_sweep_output *o, size_t point)
{
    return point < o->spec->npoints && o->rows[point] != NULL;
}

size_t petal_sweep_output_count(const petal_sweep_output *o)
{
    return o->done;
}

petal_status petal_sweep_output_add(petal_sweep_output *o, size_t point, const char *rows_text)
{
    if (point >= o->spec->npoints || o->rows[point])
        return petal_error_set(PETAL_EINVAL, "sweep: point %zu given twice or out of range", point);
    o->rows[point] = strdup(rows_text);
    if (!o->rows[point])
        return petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
    o->done++;
    if (fputs(rows_text, o->file) < 0 || fflush(o->file) != 0)
        return petal_error_set(PETAL_EIO, "%s: cannot append: %s", o->path, strerror(errno));
    return PETAL_OK;
}

/* --- reading rows back for the front --- */

/* Split one CSV line into fields (quotes undone in place); returns the count. */
static size_t split_csv(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        char *w = p;
        fields[n++] = w;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"' || !*p) {
                    if (*p)
                        p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
        } else {
            while (*p && *p != ',' && *p != '\n')
                *w++ = *p++;
        }
        char sep = *p;
        *w = '\0';
        if (sep != ',')
            break;
        p++;
    }
    return n;
}

typedef struct parsed {
    petal_sweep_row row;
    const char *line; /* into the point's text */
    size_t len;
} parsed;

static double num(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    return end != s ? v : NAN;
}

void petal_sweep_front(petal_sweep_row *rows, size_t nrows)
{
    for (size_t i = 0; i < nrows; i++) {
        petal_sweep_row *r = &rows[i];
        r->on_front = r->status == PETAL_SWEEP_OK;
        for (size_t j = 0; j < nrows && r->on_front; j++) {
            const petal_sweep_row *q = &rows[j];
            if (j == i || q->status != PETAL_SWEEP_OK || q->network != r->network ||
                q->batch != r->batch)
                continue;
            bool no_worse = q->energy <= r->energy && q->latency_s <= r->latency_s &&
                            q->area_mm2 <= r->area_mm2;
            bool better =
                q->energy < r->energy || q->latency_s < r->latency_s || q->area_mm2 < r->area_mm2;
            if (no_worse && better)
                r->on_front = false;
        }
    }
}

/* "point 5: array.mesh_x 8, rf.depth 128" (malloc'd; NULL when out of memory). */
static char *point_tip(const petal_sweep_spec *s, const petal_sweep_row *r)
{
    petal_sweep_point pt;
    if (petal_sweep_point_get(s, r->point, &pt))
        return NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    fprintf(f, "point %zu", r->point);
    for (size_t k = 0; k < s->nparams; k++) {
        fprintf(f, "%s%s ", k ? ", " : ": ", s->params[k].name);
        sweep_value_text(f, &s->params[k], pt.choice[k], pt.values[k], false);
    }
    if (pt.dataflow[0] && s->ndataflows > 1)
        fprintf(f, ", dataflow %s", pt.dataflow);
    if (s->nobjectives > 1)
        fprintf(f, ", objective %s", petal_objective_name(pt.objective));
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

void sweep_scatter(FILE *out, const petal_sweep_spec *s, const petal_sweep_row *rows, size_t nrows,
                   const char *id)
{
    size_t npanels = s->nnetworks * s->nbatches;
    size_t room = nrows ? nrows : 1;
    svg_scatter *panels = calloc(npanels, sizeof *panels);
    double *x = malloc(room * sizeof *x);
    double *y = malloc(room * sizeof *y);
    bool *f = malloc(room * sizeof *f);
    size_t *ids = id ? malloc(room * sizeof *ids) : NULL;
    char **tips = id ? calloc(room, sizeof *tips) : NULL;
    char(*titles)[PETAL_NAME_MAX + 32] = calloc(npanels, sizeof *titles);
    const char *unit =
        s->arch.energy_unit == PETAL_ENERGY_MAC ? "energy (M MAC units)" : "energy (uJ)";
    size_t used = 0;
    if (panels && x && y && f && titles && (!id || (ids && tips))) {
        for (size_t p = 0; p < npanels; p++) {
            size_t net = p / s->nbatches;
            uint64_t batch = s->batches[p % s->nbatches];
            svg_scatter *sc = &panels[p];
            snprintf(titles[p], sizeof titles[p], "%s, batch %" PRIu64, s->networks[net].name,
                     batch);
            sc->title = titles[p];
            sc->x_label = "latency (ms)";
            sc->y_label = unit;
            sc->x = x + used;
            sc->y = y + used;
            sc->on_front = f + used;
            if (id) {
                sc->ids = ids + used;
                sc->tips = (const char *const *)tips + used;
            }
            for (size_t i = 0; i < nrows; i++) {
                const petal_sweep_row *r = &rows[i];
                if (r->network != net || r->batch != batch || r->status != PETAL_SWEEP_OK)
                    continue;
                x[used] = r->latency_s * 1e3;
                y[used] = r->energy / 1e6;
                f[used] = r->on_front;
                if (id) {
                    ids[used] = i;
                    tips[used] = point_tip(s, r);
                }
                used++;
                sc->n++;
            }
        }
        const char *title = "petal sweep: energy against latency (filled: on the front)";
        if (id) /* a page has room for one panel at the width of petal report's charts */
            svg_write_scatters_inline(out, id, title, panels, npanels, npanels == 1 ? 760 : 480,
                                      npanels == 1 ? 460 : 360);
        else
            svg_write_scatters(out, title, panels, npanels, 480, 360);
    }
    for (size_t i = 0; tips && i < used; i++)
        free(tips[i]);
    free(tips);
    free(ids);
    free(titles);
    free(f);
    free(y);
    free(x);
    free(panels);
}

void petal_sweep_svg(FILE *out, const petal_sweep_spec *s, const petal_sweep_row *rows,
                     size_t nrows)
{
    sweep_scatter(out, s, rows, nrows, NULL);
}

/* One row's fields after the parameters (dataflow onwards) back into numbers. A
 * row whose status is ok but lacks a number is not taken as ok: the front and
 * the page use only rows with all their numbers. */
static void read_fields(const petal_sweep_spec *s, const char *const *f, petal_sweep_row *row)
{
    for (size_t net = 0; net < s->nnetworks; net++)
        if (strcmp(f[3], s->networks[net].name) == 0)
            row->network = net;
    row->batch = strtoull(f[4], NULL, 10);
    static const petal_sweep_status all[] = {PETAL_SWEEP_OK, PETAL_SWEEP_UNMAPPED,
                                             PETAL_SWEEP_INVALID, PETAL_SWEEP_PRUNED};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        if (strcmp(f[5], petal_sweep_status_name(all[k])) == 0)
            row->status = all[k];
    row->area_mm2 = num(f[6]);
    row->macs = strtoull(f[7], NULL, 10);
    row->energy = num(f[8]);
    row->cycles = strtoull(f[10], NULL, 10);
    row->latency_s = num(f[11]);
    row->inferences_per_s = num(f[12]);
    row->energy_per_mac = num(f[13]);
    row->dram_bytes_per_mac = num(f[14]);
    row->proven = strcmp(f[15], "yes") == 0;
    row->worst_gap = num(f[16]);
    snprintf(row->reason, sizeof row->reason, "%s", f[17]);
    if (row->status == PETAL_SWEEP_OK &&
        !(isfinite(row->area_mm2) && isfinite(row->energy) && isfinite(row->latency_s)))
        row->status = PETAL_SWEEP_INVALID;
}

/* Parse every kept row back into numbers, for the front and the scatter. */
static petal_status parse_rows(petal_sweep_output *o, parsed **out, size_t *n, char ***copies)
{
    const petal_sweep_spec *s = o->spec;
    size_t per = petal_sweep_rows_per_point(s);
    size_t total = o->done * per, k = 0;
    parsed *rows = calloc(total ? total : 1, sizeof *rows);
    char **lines = calloc(total ? total : 1, sizeof *lines);
    if (!rows || !lines) {
        free(rows);
        free(lines);
        return petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
    }
    size_t np = s->nparams;
    for (size_t i = 0; i < s->npoints; i++) {
        const char *p = o->rows[i];
        while (p && *p && k < total) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
            parsed *r = &rows[k];
            r->line = p;
            r->len = len;
            lines[k] = malloc(len + 1);
            if (!lines[k]) {
                *out = rows, *n = k, *copies = lines;
                return petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
            }
            memcpy(lines[k], p, len);
            lines[k][len] = '\0';
            char *field[PETAL_SWEEP_MAX_PARAMS + 24];
            size_t nf = split_csv(lines[k], field, sizeof field / sizeof field[0]);
            r->row.point = i;
            r->row.status = PETAL_SWEEP_INVALID;
            r->row.area_mm2 = r->row.energy = r->row.latency_s = NAN;
            if (nf >= np + 18)
                read_fields(s, (const char *const *)field + np, &r->row);
            k++;
            p += len;
        }
    }
    *out = rows;
    *n = k;
    *copies = lines;
    return PETAL_OK;
}

static petal_status write_front(petal_sweep_output *o, const char *front_path, const char *svg_path)
{
    parsed *rows;
    size_t n;
    char **copies;
    petal_status st = parse_rows(o, &rows, &n, &copies);
    petal_sweep_row *plain = st ? NULL : malloc((n ? n : 1) * sizeof *plain);
    if (!st && !plain)
        st = petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
    if (!st) {
        for (size_t i = 0; i < n; i++)
            plain[i] = rows[i].row;
        petal_sweep_front(plain, n);
    }
    if (!st && front_path) {
        FILE *f = fopen(front_path, "wb");
        if (!f) {
            st = petal_error_set(PETAL_EIO, "%s: cannot write: %s", front_path, strerror(errno));
        } else {
            petal_sweep_csv_header(f, o->spec);
            for (size_t i = 0; i < n; i++)
                if (plain[i].on_front)
                    fwrite(rows[i].line, 1, rows[i].len, f);
            if (fclose(f) != 0)
                st = petal_error_set(PETAL_EIO, "%s: cannot write", front_path);
        }
    }
    if (!st && svg_path) {
        FILE *f = fopen(svg_path, "wb");
        if (!f) {
            st = petal_error_set(PETAL_EIO, "%s: cannot write: %s", svg_path, strerror(errno));
        } else {
            petal_sweep_svg(f, o->spec, plain, n);
            if (fclose(f) != 0)
                st = petal_error_set(PETAL_EIO, "%s: cannot write", svg_path);
        }
    }
    free(plain);
    for (size_t i = 0; copies && i < n; i++)
        free(copies[i]);
    free(copies);
    free(rows);
    return st;
}

petal_status petal_sweep_output_rows(const petal_sweep_output *o, petal_sweep_row **rows,
                                     size_t *nrows)
{
    *rows = NULL;
    *nrows = 0;
    if (o->spec->nfractions)
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "sweep: a NetAdapt table's rows are layers, not designs");
    parsed *parsed_rows;
    size_t n;
    char **copies;
    petal_status st = parse_rows((petal_sweep_output *)o, &parsed_rows, &n, &copies);
    petal_sweep_row *plain = st ? NULL : malloc((n ? n : 1) * sizeof *plain);
    if (!st && !plain)
        st = petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
    if (!st) {
        for (size_t i = 0; i < n; i++)
            plain[i] = parsed_rows[i].row;
        if (!o->spec->nfractions)
            petal_sweep_front(plain, n);
        *rows = plain;
        *nrows = n;
    }
    for (size_t i = 0; copies && i < n; i++)
        free(copies[i]);
    free(copies);
    free(parsed_rows);
    return st;
}

petal_status petal_sweep_output_finish(petal_sweep_output *o, const char *front_path,
                                       const char *svg_path)
{
    if (!o)
        return PETAL_OK;
    if (o->file) {
        fclose(o->file);
        o->file = NULL;
    }
    petal_status st = rewrite(o);
    /* A NetAdapt table has no front: its rows are layers, not designs. */
    if (!st && o->done == o->spec->npoints && !o->spec->nfractions && (front_path || svg_path))
        st = write_front(o, front_path, svg_path);
    petal_sweep_output_close(o);
    return st;
}
