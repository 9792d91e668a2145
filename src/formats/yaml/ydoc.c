/* ydoc.c - loading YAML with libyaml and reading typed, positioned values. */
#include "formats/yaml/ydoc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/name.h"

/* Whether the character at byte `index` of the input is a tab. libyaml says
 * "found character that cannot start any token" of a tab, which YAML forbids
 * in indentation; the message should say so. `text` is the input when it is
 * in memory, else the file at `path` is read again. */
static bool tab_at(const char *text, size_t len, const char *path, size_t index)
{
    if (text)
        return index < len && text[index] == '\t';
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    bool tab = fseek(f, (long)index, SEEK_SET) == 0 && fgetc(f) == '\t';
    fclose(f);
    return tab;
}

static petal_status finish_load(petal_ydoc *d, yaml_parser_t *parser, const char *text, size_t len)
{
    if (!yaml_parser_load(parser, &d->doc)) {
        const char *problem = parser->problem ? parser->problem : "malformed YAML";
        unsigned long line = (unsigned long)parser->problem_mark.line + 1;
        unsigned long col = (unsigned long)parser->problem_mark.column + 1;
        if (tab_at(text, len, d->source, parser->problem_mark.index))
            petal_error_set(PETAL_EPARSE,
                            "%s:%lu:%lu: malformed YAML: a tab; YAML indents with spaces only "
                            "(libyaml: %s)",
                            d->path, line, col, problem);
        else if (parser->context)
            petal_error_set(PETAL_EPARSE, "%s:%lu:%lu: malformed YAML: %s %s (line %lu)", d->path,
                            line, col, problem, parser->context,
                            (unsigned long)parser->context_mark.line + 1);
        else
            petal_error_set(PETAL_EPARSE, "%s:%lu:%lu: malformed YAML: %s", d->path, line, col,
                            problem);
        yaml_parser_delete(parser);
        return PETAL_EPARSE;
    }
    yaml_parser_delete(parser);
    d->loaded = true;
    return PETAL_OK;
}

petal_status petal_ydoc_load_file(petal_ydoc *d, const char *path)
{
    memset(d, 0, sizeof *d);
    snprintf(d->path, sizeof d->path, "%s", path);
    d->source = path;
    FILE *f = fopen(path, "rb");
    if (!f)
        return petal_error_set(PETAL_EIO, "%s: cannot open: %s", path, strerror(errno));
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fclose(f);
        return petal_error_set(PETAL_ENOMEM, "%s: cannot start the YAML parser", path);
    }
    yaml_parser_set_input_file(&parser, f);
    petal_status st = finish_load(d, &parser, NULL, 0);
    fclose(f);
    return st;
}

petal_status petal_ydoc_load_string(petal_ydoc *d, const char *text, size_t len, const char *name)
{
    memset(d, 0, sizeof *d);
    snprintf(d->path, sizeof d->path, "%s", name ? name : "<string>");
    d->source = name ? name : "<string>";
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return petal_error_set(PETAL_ENOMEM, "%s: cannot start the YAML parser", d->path);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    return finish_load(d, &parser, text, len);
}

void petal_ydoc_free(petal_ydoc *d)
{
    if (d->loaded)
        yaml_document_delete(&d->doc);
    d->loaded = false;
}

yaml_node_t *petal_ydoc_root(petal_ydoc *d)
{
    return d->loaded ? yaml_document_get_root_node(&d->doc) : NULL;
}

static void format_at(char *buf, size_t size, petal_ydoc *d, const yaml_node_t *n)
{
    if (n)
        snprintf(buf, size, "%s:%lu:%lu: ", d->path, petal_yline(n), petal_ycol(n));
    else
        snprintf(buf, size, "%s: ", d->path);
}

int petal_yerror(petal_ydoc *d, const yaml_node_t *n, petal_status status, const char *fmt, ...)
{
    char at[600], message[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    format_at(at, sizeof at, d, n);
    return petal_error_set(status, "%s%s", at, message);
}

void petal_ywarn(petal_ydoc *d, const yaml_node_t *n, const char *fmt, ...)
{
    char at[600], message[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    format_at(at, sizeof at, d, n);
    petal_warn("%s%s", at, message);
}

bool petal_yis_map(const yaml_node_t *n)
{
    return n && n->type == YAML_MAPPING_NODE;
}

bool petal_yis_seq(const yaml_node_t *n)
{
    return n && n->type == YAML_SEQUENCE_NODE;
}

bool petal_yis_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE;
}

const char *petal_yscalar(const yaml_node_t *n)
{
    if (!petal_yis_scalar(n))
        return NULL;
    return (const char *)n->data.scalar.value;
}

bool petal_yis_null(const yaml_node_t *n)
{
    if (!n)
        return true;
    if (!petal_yis_scalar(n) || n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
        n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
        return false;
    const char *s = petal_yscalar(n);
    return s[0] == '\0' || strcmp(s, "~") == 0 || strcasecmp(s, "null") == 0;
}

/* One lookup visits at most this many mappings through merge keys: anchors can
 * make mappings merge each other (`&a {<<: &b {<<: *a}}`) or merge one anchor
 * along exponentially many paths, which would otherwise recurse forever. */
#define YMERGE_MAX_VISITS 4096

static yaml_node_t *ymap_get_bounded(petal_ydoc *d, yaml_node_t *map, const char *key, int *visits)
{
    if (!petal_yis_map(map) || ++*visits > YMERGE_MAX_VISITS)
        return NULL;
    yaml_node_t *k, *v;
    PETAL_YMAP_EACH(d, map, k, v)
    {
        const char *s = petal_yscalar(k);
        if (s && strcmp(s, key) == 0)
            return v;
    }
    /* YAML merge keys: `<<: *base` or `<<: [*a, *b]`; explicit keys win. */
    PETAL_YMAP_EACH(d, map, k, v)
    {
        const char *s = petal_yscalar(k);
        if (!s || strcmp(s, "<<") != 0)
            continue;
        if (petal_yis_map(v) && v != map) {
            yaml_node_t *found = ymap_get_bounded(d, v, key, visits);
            if (found)
                return found;
        } else if (petal_yis_seq(v)) {
            yaml_node_t *item;
            PETAL_YSEQ_EACH(d, v, item)
            {
                yaml_node_t *found = item != map ? ymap_get_bounded(d, item, key, visits) : NULL;
                if (found)
                    return found;
            }
        }
    }
    return NULL;
}

yaml_node_t *petal_ymap_get(petal_ydoc *d, yaml_node_t *map, const char *key)
{
    int visits = 0;
    return ymap_get_bounded(d, map, key, &visits);
}

static petal_status need_scalar(petal_ydoc *d, yaml_node_t *n, const char *what, const char *form)
{
    if (!n)
        return petal_yerror(d, NULL, PETAL_EPARSE, "%s is missing; expected %s", what, form);
    if (!petal_yis_scalar(n))
        return petal_yerror(d, n, PETAL_EPARSE, "%s: expected %s, found a %s", what, form,
                            n->type == YAML_MAPPING_NODE ? "mapping" : "sequence");
    return PETAL_OK;
}

petal_status petal_yget_i64(petal_ydoc *d, yaml_node_t *n, const char *what, int64_t *out)
{
    petal_status st = need_scalar(d, n, what, "an integer");
    if (st)
        return st;
    const char *s = petal_yscalar(n);
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 0);
    if (end == s || errno == ERANGE || *end != '\0') {
        /* Accept integral floats written as 1e6 or 16.0. */
        double f = strtod(s, &end);
        if (end == s || *end != '\0' || f != floor(f) || fabs(f) > 9.0e18)
            return petal_yerror(d, n, PETAL_EPARSE, "%s: expected an integer, found '%s'", what, s);
        v = (long long)f;
    }
    *out = (int64_t)v;
    return PETAL_OK;
}

petal_status petal_yget_u64(petal_ydoc *d, yaml_node_t *n, const char *what, uint64_t *out)
{
    int64_t v = 0;
    petal_status st = petal_yget_i64(d, n, what, &v);
    if (st)
        return st;
    if (v < 0)
        return petal_yerror(d, n, PETAL_EINVAL, "%s: expected a non-negative integer, found %lld",
                            what, (long long)v);
    *out = (uint64_t)v;
    return PETAL_OK;
}

petal_status petal_yget_double(petal_ydoc *d, yaml_node_t *n, const char *what, double *out)
{
    petal_status st = need_scalar(d, n, what, "a number");
    if (st)
        return st;
    const char *s = petal_yscalar(n);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
        return petal_yerror(d, n, PETAL_EPARSE, "%s: expected a number, found '%s'", what, s);
    *out = v;
    return PETAL_OK;
}

petal_status petal_yget_bool(petal_ydoc *d, yaml_node_t *n, const char *what, bool *out)
{
    petal_status st = need_scalar(d, n, what, "true or false");
    if (st)
        return st;
    const char *s = petal_yscalar(n);
    if (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcasecmp(s, "on"))
        *out = true;
    else if (!strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcasecmp(s, "off"))
        *out = false;
    else
        return petal_yerror(d, n, PETAL_EPARSE, "%s: expected true or false, found '%s'", what, s);
    return PETAL_OK;
}

petal_status petal_yget_str(petal_ydoc *d, yaml_node_t *n, const char *what, char *buf, size_t size)
{
    petal_status st = need_scalar(d, n, what, "a string");
    if (st)
        return st;
    const char *s = petal_yscalar(n);
    if (strlen(s) >= size)
        return petal_yerror(d, n, PETAL_EINVAL, "%s: '%s' is longer than %zu characters", what, s,
                            size - 1);
    memcpy(buf, s, strlen(s) + 1);
    return PETAL_OK;
}

petal_status petal_yget_name(petal_ydoc *d, yaml_node_t *n, const char *what, char *buf,
                             size_t size, const char *limit)
{
    petal_status st = need_scalar(d, n, what, "a name");
    if (st)
        return st;
    if ((st = petal_name_copy(buf, size, limit, what, petal_yscalar(n))))
        return petal_yprefix(d, n, st);
    return PETAL_OK;
}

int petal_yprefix(petal_ydoc *d, const yaml_node_t *n, petal_status status)
{
    char at[600];
    format_at(at, sizeof at, d, n);
    return petal_error_prefix(status, "%s", at);
}

int petal_ywarn_unknown_keys(petal_ydoc *d, yaml_node_t *map, const char *const *known,
                             const char *where)
{
    int unknown = 0;
    yaml_node_t *k, *v;
    if (!petal_yis_map(map))
        return 0;
    PETAL_YMAP_EACH(d, map, k, v)
    {
        const char *s = petal_yscalar(k);
        bool ok = s && strcmp(s, "<<") == 0;
        (void)v;
        for (int i = 0; !ok && s && known[i]; i++)
            ok = strcmp(s, known[i]) == 0;
        if (!ok) {
            petal_ywarn(d, k, "unknown key '%s' in %s (ignored)", s ? s : "?", where);
            unknown++;
        }
    }
    return unknown;
}
