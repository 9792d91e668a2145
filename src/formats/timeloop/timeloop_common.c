/* timeloop_common.c - helpers every Timeloop reader uses: loading a spec (and
 * refusing Jinja templates), names with instance ranges, data space lists,
 * factor and permutation strings, and resolving mapping targets. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/timeloop/timeloop_internal.h"

/* Jinja markup outside comments: {{ expression }} or {% statement %}. */
static long jinja_line(const char *text)
{
    long line = 1;
    const char *p = text;
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *q = p;
        while (q < p + len && (*q == ' ' || *q == '\t'))
            q++;
        if (q < p + len && *q != '#') {
            for (const char *c = q; c + 1 < p + len; c++)
                if (c[0] == '{' && (c[1] == '{' || c[1] == '%'))
                    return line;
        }
        if (!end)
            break;
        p = end + 1;
        line++;
    }
    return 0;
}

petal_status petal_tl_open(petal_ydoc *d, const char *path)
{
    memset(d, 0, sizeof *d);
    FILE *f = fopen(path, "rb");
    if (!f)
        return petal_error_set(PETAL_EIO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    if (!text) {
        fclose(f);
        return petal_error_set(PETAL_ENOMEM, "%s: out of memory", path);
    }
    size_t got;
    while ((got = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *bigger = realloc(text, cap * 2);
            if (!bigger) {
                free(text);
                fclose(f);
                return petal_error_set(PETAL_ENOMEM, "%s: out of memory", path);
            }
            text = bigger;
            cap *= 2;
        }
    }
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        free(text);
        return petal_error_set(PETAL_EIO, "%s: read error", path);
    }
    text[len] = '\0';
    long line = jinja_line(text);
    if (line) {
        free(text);
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "%s:%ld: this is a Jinja template ({{ ... }} or {%% ... %%}); "
                               "petal reads plain YAML only: render the template first (for "
                               "example with Timeloop's front end) and give petal the result",
                               path, line);
    }
    petal_status st = petal_ydoc_load_string(d, text, len, path);
    free(text);
    return st;
}

yaml_node_t *petal_tl_top(petal_ydoc *d, const char *key)
{
    return petal_ymap_get(d, petal_ydoc_root(d), key);
}

void petal_tl_warn_top_keys(petal_ydoc *d)
{
    static const char *const known[] = {"architecture",
                                        "problem",
                                        "mapping",
                                        "mapspace_constraints",
                                        "architecture_constraints",
                                        "constraints",
                                        "mapspace",
                                        "mapper",
                                        "ERT",
                                        "ART",
                                        "ERT_summary",
                                        "ART_summary",
                                        "compound_components",
                                        "components",
                                        "globals",
                                        "variables",
                                        "model",
                                        "dumped_by_timeloop_front_end",
                                        "sparse_optimizations",
                                        "architecture_extra_constraints",
                                        "problem_base_ignore",
                                        "includes",
                                        NULL};
    yaml_node_t *root = petal_ydoc_root(d);
    if (petal_yis_map(root))
        petal_ywarn_unknown_keys(d, root, known, "a Timeloop specification");
}

petal_status petal_tl_split_name(petal_ydoc *d, yaml_node_t *at, const char *name, char *base,
                                 size_t size, const char *limit, uint64_t *count)
{
    const char *start = name;
    /* Accelergy prefixes names with their path ("sys.PE[0..3].buf"); keep the
     * last component, looking for dots outside brackets only. */
    int depth = 0;
    for (const char *c = name; *c; c++) {
        if (*c == '[')
            depth++;
        else if (*c == ']')
            depth--;
        else if (*c == '.' && depth == 0)
            start = c + 1;
    }
    const char *bracket = strchr(start, '[');
    size_t n = bracket ? (size_t)(bracket - start) : strlen(start);
    if (n == 0)
        return petal_yerror(d, at, PETAL_EINVAL,
                            "name '%s': expected 1 to %zu characters before "
                            "an optional [first..last] range",
                            name, size - 1);
    petal_status st = petal_name_copyn(base, size, limit, "name", start, n);
    if (st)
        return petal_yprefix(d, at, st);
    *count = 1;
    if (!bracket)
        return PETAL_OK;
    char *end;
    errno = 0;
    long long lo = strtoll(bracket + 1, &end, 10);
    if (end == bracket + 1 || strncmp(end, "..", 2) != 0)
        goto bad;
    const char *hi_text = end + 2;
    long long hi = strtoll(hi_text, &end, 10);
    if (end == hi_text || *end != ']' || end[1] != '\0' || errno || hi < lo || lo < 0)
        goto bad;
    /* Unsigned: [0..LLONG_MAX] holds 2^63 instances, past long long. */
    *count = (uint64_t)hi - (uint64_t)lo + 1;
    return PETAL_OK;
bad:
    return petal_yerror(d, at, PETAL_EINVAL,
                        "name '%s': expected an instance range like [0..15] after the name", name);
}

const char *petal_tl_tag(const yaml_node_t *n)
{
    const char *tag = n && n->tag ? (const char *)n->tag : "";
    if (strncmp(tag, "tag:yaml.org,2002:", 18) == 0)
        return "";
    return tag[0] == '!' ? tag + 1 : tag;
}

int petal_tl_dataspace(const petal_problem *p, const char *name)
{
    for (int s = 0; s < PETAL_NUM_DS; s++)
        if (strcmp(p->ds[s].name, name) == 0)
            return s;
    return -1;
}

static petal_status one_dataspace(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                                  const char *what, uint8_t *mask)
{
    const char *name = petal_yscalar(n);
    if (!name)
        return petal_yerror(d, n, PETAL_EPARSE, "%s: expected a data space name", what);
    int s = petal_tl_dataspace(p, name);
    if (s < 0)
        return petal_yerror(d, n, PETAL_EINVAL,
                            "%s: no data space '%s' in problem %s (it has "
                            "%s, %s and %s)",
                            what, name, p->name, p->ds[0].name, p->ds[1].name, p->ds[2].name);
    *mask |= (uint8_t)(1u << s);
    return PETAL_OK;
}

petal_status petal_tl_dataspace_mask(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                                     const char *what, uint8_t *mask)
{
    *mask = 0;
    if (petal_yis_null(n))
        return PETAL_OK;
    if (!petal_yis_seq(n))
        return one_dataspace(d, n, p, what, mask);
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, n, item)
    {
        petal_status st = one_dataspace(d, item, p, what, mask);
        if (st)
            return st;
    }
    return PETAL_OK;
}

/* The dimension a factor string names: the whole identifier, or its leading
 * letters when the rest is the value ("R3"). Returns the dimension or -1 and
 * sets *used to the characters that named it. */
static int factor_dim(const petal_problem *p, const char *s, size_t *used)
{
    size_t n = 0;
    while (isalnum((unsigned char)s[n]) || s[n] == '_')
        n++;
    char name[PETAL_DIM_NAME_MAX + 1];
    if (n < sizeof name) {
        memcpy(name, s, n);
        name[n] = '\0';
        int dim = petal_problem_dim(p, name);
        if (dim >= 0) {
            *used = n;
            return dim;
        }
    }
    size_t letters = 0;
    while (isalpha((unsigned char)s[letters]) || s[letters] == '_')
        letters++;
    if (letters == 0 || letters >= sizeof name)
        return -1;
    memcpy(name, s, letters);
    name[letters] = '\0';
    *used = letters;
    return petal_problem_dim(p, name);
}

static petal_status factor_string(petal_ydoc *d, yaml_node_t *n, const char *text,
                                  const petal_problem *p, const char *what, uint64_t *exact,
                                  uint64_t *max, uint8_t *named, uint64_t *residual)
{
    const char *s = text;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == ',' || *s == '\n')
            s++;
        if (*s == '\0' || *s == '#')
            return PETAL_OK;
        size_t used;
        int dim = factor_dim(p, s, &used);
        if (dim < 0) {
            size_t len = 0;
            while (isalnum((unsigned char)s[len]) || s[len] == '_')
                len++;
            if (len == 0)
                return petal_yerror(d, n, PETAL_EPARSE,
                                    "%s: '%s': expected DIM=FACTOR items "
                                    "such as \"R=3 P=16\"",
                                    what, text);
            return petal_yerror(d, n, PETAL_EINVAL, "%s: '%s': no dimension '%.*s' in problem %s",
                                what, text, (int)len, s, p->name);
        }
        s += used;
        while (*s == ' ' || *s == '\t')
            s++;
        bool is_max = false;
        if (s[0] == '<' && s[1] == '=') {
            is_max = true;
            s += 2;
        } else if (s[0] == '>' && s[1] == '=') {
            return petal_yerror(d, n, PETAL_EUNSUPPORTED,
                                "%s: '%s': minimum factors (>=) are "
                                "not supported",
                                what, text);
        } else {
            while (*s == '=')
                s++;
        }
        while (*s == ' ' || *s == '\t')
            s++;
        if (!isdigit((unsigned char)*s))
            return petal_yerror(d, n, PETAL_EPARSE, "%s: '%s': expected a number after %s", what,
                                text, p->dim_names[dim]);
        char *end;
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        if (errno)
            return petal_yerror(d, n, PETAL_EINVAL, "%s: '%s': factor too large", what, text);
        s = end;
        if (*s == ',' && isdigit((unsigned char)s[1])) {
            /* Timeloop v3's imperfect factor: the iterations of the loop's
             * last, residual, occurrence. */
            if (!residual || is_max)
                return petal_yerror(d, n, PETAL_EUNSUPPORTED,
                                    "%s: '%s': residual factors (DIM=FACTOR,RESIDUAL) are read "
                                    "in mappings only",
                                    what, text);
            errno = 0;
            unsigned long long r = strtoull(s + 1, &end, 10);
            if (errno || r == 0 || v == 0 || r > v)
                return petal_yerror(d, n, PETAL_EINVAL,
                                    "%s: '%s': the residual of %s must be 1 to its factor %llu",
                                    what, text, p->dim_names[dim], v);
            residual[dim] = (uint64_t)r;
            s = end;
        }
        if (*s && !isspace((unsigned char)*s) && *s != ',' && *s != '#')
            return petal_yerror(d, n, PETAL_EPARSE, "%s: '%s': unexpected '%c' after %s's factor",
                                what, text, *s, p->dim_names[dim]);
        uint64_t value = v == 0 ? p->bounds[dim] : (uint64_t)v;
        if (is_max) {
            if (!max)
                return petal_yerror(d, n, PETAL_EINVAL,
                                    "%s: '%s': a mapping needs exact "
                                    "factors, not bounds (<=)",
                                    what, text);
            if (v == 0)
                return petal_yerror(d, n, PETAL_EINVAL,
                                    "%s: '%s': a maximum factor must be at "
                                    "least 1",
                                    what, text);
            max[dim] = value;
        } else {
            exact[dim] = value;
        }
        if (named)
            *named |= (uint8_t)(1u << dim);
    }
}

petal_status petal_tl_factors(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                              const char *what, uint64_t *exact, uint64_t *max, uint8_t *named,
                              uint64_t *residual)
{
    if (petal_yis_null(n))
        return PETAL_OK;
    if (petal_yis_scalar(n))
        return factor_string(d, n, petal_yscalar(n), p, what, exact, max, named, residual);
    if (!petal_yis_seq(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "%s: expected a string like \"R=3 P=16\" or a "
                            "list of such strings",
                            what);
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, n, item)
    {
        if (!petal_yis_scalar(item))
            return petal_yerror(d, item, PETAL_EPARSE, "%s: expected DIM=FACTOR strings", what);
        petal_status st =
            factor_string(d, item, petal_yscalar(item), p, what, exact, max, named, residual);
        if (st)
            return st;
    }
    return PETAL_OK;
}

static petal_status add_perm_dim(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                                 const char *what, const char *name, size_t len, uint8_t *dims,
                                 int *count)
{
    char buf[PETAL_DIM_NAME_MAX + 1];
    if (len >= sizeof buf)
        return petal_yerror(d, n, PETAL_EINVAL, "%s: '%.*s' is not a dimension of problem %s", what,
                            (int)len, name, p->name);
    memcpy(buf, name, len);
    buf[len] = '\0';
    int dim = petal_problem_dim(p, buf);
    if (dim < 0)
        return petal_yerror(d, n, PETAL_EINVAL, "%s: '%s' is not a dimension of problem %s", what,
                            buf, p->name);
    for (int i = 0; i < *count; i++)
        if (dims[i] == dim)
            return petal_yerror(d, n, PETAL_EINVAL, "%s: dimension %s appears twice", what, buf);
    dims[(*count)++] = (uint8_t)dim;
    return PETAL_OK;
}

petal_status petal_tl_permutation(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                                  const char *what, uint8_t *dims, int *count, int *ellipsis)
{
    *count = 0;
    if (ellipsis)
        *ellipsis = -1;
    if (petal_yis_null(n))
        return PETAL_OK;
    if (petal_yis_seq(n)) {
        yaml_node_t *item;
        PETAL_YSEQ_EACH(d, n, item)
        {
            const char *s = petal_yscalar(item);
            if (!s)
                return petal_yerror(d, item, PETAL_EPARSE, "%s: expected dimension names", what);
            if (strcmp(s, "...") == 0) {
                if (!ellipsis || *ellipsis >= 0)
                    return petal_yerror(d, item, PETAL_EINVAL, "%s: '...' is not allowed here",
                                        what);
                *ellipsis = *count;
                continue;
            }
            petal_status st = add_perm_dim(d, item, p, what, s, strlen(s), dims, count);
            if (st)
                return st;
        }
        return PETAL_OK;
    }
    const char *s = petal_yscalar(n);
    if (!s)
        return petal_yerror(d, n, PETAL_EPARSE,
                            "%s: expected a string like \"RPK\" or a list of "
                            "dimension names",
                            what);
    bool separated = strpbrk(s, " ,\t") != NULL;
    const char *c = s;
    while (*c) {
        if (*c == ' ' || *c == ',' || *c == '\t') {
            c++;
            continue;
        }
        size_t len = 1;
        if (separated)
            while (c[len] && c[len] != ' ' && c[len] != ',' && c[len] != '\t')
                len++;
        petal_status st = add_perm_dim(d, n, p, what, c, len, dims, count);
        if (st)
            return st;
        c += len;
    }
    return PETAL_OK;
}

int petal_tl_level(const petal_arch *a, const char *target)
{
    int l = petal_arch_level(a, target);
    if (l >= 0)
        return l;
    char name[PETAL_NAME_MAX];
    int len = snprintf(name, sizeof name, "inter_%s_spatial", target);
    /* A longer name is no level's. */
    return len >= 0 && (size_t)len < sizeof name ? petal_arch_level(a, name) : -1;
}
