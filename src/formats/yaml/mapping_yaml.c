/* mapping_yaml.c - petal's native YAML mapping format (docs/formats.md,
 * "Mappings"): reading it against a problem and an architecture, and writing it.
 *
 * The reader checks only what it needs to build the struct (names, factors of
 * at least 1, well-formed values); whether the factors cover the bounds (exactly
 * or imperfectly, docs/model.md), fit the buffers and the fan-outs is the
 * model's question. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "formats/yaml/mapping_fields.h"
#include "formats/yaml/ydoc.h"
#include "petal/mapping.h"
#include "petal/formats.h"

static const char *const top_keys[] = {"layer", "arch", "levels", NULL};
static const char *const level_keys[] = {"level",     "temporal", "order",  "spatial_x",
                                         "spatial_y", "keep",     "bypass", NULL};

/* "N, M, C, P, Q, R, S" for messages. */
static void dim_list(char *buf, size_t size, const petal_problem *p)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int d = 0; d < p->ndims && used < size; d++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", d ? ", " : "", p->dim_names[d]);
}

petal_status yaml_dim_of(petal_ydoc *d, yaml_node_t *n, const petal_problem *p, const char *ctx,
                         int *out)
{
    const char *s = petal_yscalar(n);
    int dim = s ? petal_problem_dim(p, s) : -1;
    if (dim < 0) {
        char dims[128];
        dim_list(dims, sizeof dims, p);
        return petal_yerror(d, n, PETAL_EINVAL,
                            "%s: '%s' is not a dimension of layer %s (expected one of %s)", ctx,
                            s ? s : "(not a name)", p->name, dims);
    }
    *out = dim;
    return PETAL_OK;
}

/* {DIM: factor, ...} into factors[]; other dimensions keep their value. */
petal_status yaml_read_factors(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                               const char *ctx, uint64_t *factors)
{
    if (!petal_yis_map(n) && !petal_yis_null(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "%s: expected a mapping of dimensions to factors, such as {M: 4, "
                            "C: 2}",
                            ctx);
    if (!petal_yis_map(n))
        return PETAL_OK;
    bool seen[PETAL_MAX_DIMS] = {false};
    yaml_node_t *k, *v;
    PETAL_YMAP_EACH(d, n, k, v)
    {
        int dim;
        petal_status st = yaml_dim_of(d, k, p, ctx, &dim);
        if (st)
            return st;
        if (seen[dim])
            return petal_yerror(d, k, PETAL_EINVAL, "%s: %s is given twice", ctx,
                                p->dim_names[dim]);
        seen[dim] = true;
        char what[160];
        snprintf(what, sizeof what, "%s: %s", ctx, p->dim_names[dim]);
        uint64_t f;
        st = petal_yget_u64(d, v, what, &f);
        if (st)
            return st;
        if (f < 1)
            return petal_yerror(d, v, PETAL_EINVAL, "%s: expected a factor of at least 1, found 0",
                                what);
        factors[dim] = f;
    }
    return PETAL_OK;
}

/* `order` lists dimensions outermost first; the others follow inside them with
 * the problem's first dimension innermost, which is petal_mapping_init's order,
 * so a level without `order` and an omitted level get the same loops. perm[] is
 * innermost first. */
static petal_status read_order(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                               const char *ctx, uint8_t *perm)
{
    int outer_first[PETAL_MAX_DIMS];
    int count = 0;
    bool listed[PETAL_MAX_DIMS] = {false};
    if (n && !petal_yis_seq(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "%s: expected a list of dimensions, outermost first, such as [M, C]",
                            ctx);
    if (n) {
        yaml_node_t *item;
        PETAL_YSEQ_EACH(d, n, item)
        {
            int dim;
            petal_status st = yaml_dim_of(d, item, p, ctx, &dim);
            if (st)
                return st;
            if (listed[dim])
                return petal_yerror(d, item, PETAL_EINVAL, "%s: %s is listed twice", ctx,
                                    p->dim_names[dim]);
            listed[dim] = true;
            outer_first[count++] = dim;
        }
    }
    for (int dim = p->ndims - 1; dim >= 0; dim--)
        if (!listed[dim])
            outer_first[count++] = dim;
    for (int k = 0; k < p->ndims; k++)
        perm[p->ndims - 1 - k] = (uint8_t)outer_first[k];
    return PETAL_OK;
}

petal_status yaml_read_ds_list(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                               const char *ctx, uint8_t *mask)
{
    if (!petal_yis_seq(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "%s: expected a list of data spaces, such as [Weights, Outputs]", ctx);
    uint8_t m = 0;
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, n, item)
    {
        const char *s = petal_yscalar(item);
        int ds = s ? petal_ds_from_name(s) : -1;
        for (int i = 0; s && ds < 0 && i < PETAL_NUM_DS; i++)
            if (strcasecmp(s, p->ds[i].name) == 0)
                ds = i;
        if (ds < 0)
            return petal_yerror(d, item, PETAL_EINVAL,
                                "%s: '%s' is not a data space (expected Weights, Inputs or "
                                "Outputs)",
                                ctx, s ? s : "(not a name)");
        m |= (uint8_t)(1u << ds);
    }
    *mask = m;
    return PETAL_OK;
}

static petal_status read_level(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                               const petal_arch *a, petal_mapping *m, yaml_node_t **seen)
{
    if (!petal_yis_map(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "levels: expected a mapping with level, temporal, order, ...");
    yaml_node_t *ln = petal_ymap_get(d, n, "level");
    const char *name = petal_yscalar(ln);
    if (!ln)
        return petal_yerror(d, n, PETAL_EPARSE,
                            "levels: the key 'level' (a level name) is "
                            "missing");
    int l = name ? petal_arch_level(a, name) : -1;
    if (l < 0) {
        char levels[PETAL_MAX_LEVELS * (PETAL_NAME_MAX + 2)] = "";
        for (int i = 0; i < a->nlevels; i++) {
            size_t used = strlen(levels);
            snprintf(levels + used, sizeof levels - used, "%s%s", i ? ", " : "", a->levels[i].name);
        }
        return petal_yerror(d, ln, PETAL_ENOTFOUND,
                            "level: architecture %s has no level '%s' (its levels: %s)", a->name,
                            name ? name : "(not a name)", levels);
    }
    if (seen[l])
        return petal_yerror(d, ln, PETAL_EINVAL, "level: %s is mapped twice (also at line %lu)",
                            name, petal_yline(seen[l]));
    seen[l] = ln;

    char ctx[PETAL_NAME_MAX + 32];
    snprintf(ctx, sizeof ctx, "level %s", name);
    petal_ywarn_unknown_keys(d, n, level_keys, ctx);
    petal_level_mapping *lm = &m->levels[l];
    struct {
        const char *key;
        uint64_t *factors;
    } groups[] = {
        {"temporal", lm->temporal}, {"spatial_x", lm->spatial_x}, {"spatial_y", lm->spatial_y}};
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        yaml_node_t *fn = petal_ymap_get(d, n, groups[g].key);
        snprintf(ctx, sizeof ctx, "level %s: %s", name, groups[g].key);
        petal_status st = fn ? yaml_read_factors(d, fn, p, ctx, groups[g].factors) : PETAL_OK;
        if (st)
            return st;
    }
    snprintf(ctx, sizeof ctx, "level %s: order", name);
    petal_status st = read_order(d, petal_ymap_get(d, n, "order"), p, ctx, lm->perm);
    if (st)
        return st;

    yaml_node_t *kn = petal_ymap_get(d, n, "keep"), *bn = petal_ymap_get(d, n, "bypass");
    uint8_t keep = lm->keep, bypass = 0;
    snprintf(ctx, sizeof ctx, "level %s: keep", name);
    if (kn && (st = yaml_read_ds_list(d, kn, p, ctx, &keep)))
        return st;
    snprintf(ctx, sizeof ctx, "level %s: bypass", name);
    if (bn && (st = yaml_read_ds_list(d, bn, p, ctx, &bypass)))
        return st;
    if (kn && (keep & bypass)) {
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            if (keep & bypass & (1u << ds))
                return petal_yerror(d, bn, PETAL_EINVAL,
                                    "level %s: bypass: %s is also in keep; a level either keeps "
                                    "a data space or bypasses it",
                                    name, petal_ds_canonical_name(ds));
    }
    lm->keep = (uint8_t)(keep & ~bypass);
    return PETAL_OK;
}

static petal_status read_mapping(petal_ydoc *d, const petal_problem *p, const petal_arch *a,
                                 petal_mapping *m)
{
    yaml_node_t *root = petal_ydoc_root(d);
    yaml_node_t *top = petal_ymap_get(d, root, "mapping");
    if (!top)
        return petal_yerror(d, root, PETAL_EPARSE,
                            "expected a mapping with the key 'mapping' (docs/formats.md)");
    static const char *const root_keys[] = {"mapping", NULL};
    petal_ywarn_unknown_keys(d, root, root_keys, "the file");
    if (!petal_yis_map(top))
        return petal_yerror(d, top, PETAL_EPARSE, "mapping: expected a mapping with levels");
    petal_ywarn_unknown_keys(d, top, top_keys, "mapping");

    /* The names a file was written for are a hint, not a requirement: one
     * mapping serves every layer of the same shape. */
    struct {
        const char *key, *expected, *what;
    } hints[] = {{"layer", p->name, "layer"}, {"arch", a->name, "architecture"}};
    for (size_t i = 0; i < 2; i++) {
        yaml_node_t *hn = petal_ymap_get(d, top, hints[i].key);
        const char *s = petal_yscalar(hn);
        if (hn && !s)
            return petal_yerror(d, hn, PETAL_EPARSE, "mapping: %s: expected a name", hints[i].key);
        if (s && strcmp(s, hints[i].expected) != 0)
            petal_ywarn(d, hn, "mapping written for %s %s, used for %s %s", hints[i].what, s,
                        hints[i].what, hints[i].expected);
    }

    petal_mapping_init(m, p, a);
    yaml_node_t *levels = petal_ymap_get(d, top, "levels");
    if (!levels || petal_yis_null(levels))
        return PETAL_OK;
    if (!petal_yis_seq(levels))
        return petal_yerror(d, levels, PETAL_EPARSE,
                            "mapping: levels: expected a list of levels, such as - level: DRAM");
    yaml_node_t *seen[PETAL_MAX_LEVELS] = {NULL};
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, levels, item)
    {
        petal_status st = read_level(d, item, p, a, m, seen);
        if (st)
            return st;
    }
    return PETAL_OK;
}

petal_status petal_mapping_load_yaml(const char *path, const petal_problem *p, const petal_arch *a,
                                     petal_mapping *m)
{
    if (p->ndims == 0 || p->ndims > PETAL_MAX_DIMS || a->nlevels == 0 ||
        a->nlevels > PETAL_MAX_LEVELS)
        return petal_error_set(PETAL_EINVAL,
                               "%s: the layer has %u dimensions and the architecture %u levels; "
                               "expected 1 to %d (PETAL_MAX_DIMS) and 1 to %d (PETAL_MAX_LEVELS)",
                               path, p->ndims, a->nlevels, PETAL_MAX_DIMS, PETAL_MAX_LEVELS);
    petal_ydoc d;
    petal_status st = petal_ydoc_load_file(&d, path);
    if (st)
        return st;
    st = read_mapping(&d, p, a, m);
    petal_ydoc_free(&d);
    return st;
}

/* --- writing --- */

/* A name as a YAML scalar: plain when that reads back as the same string. */
static void put_name(FILE *out, const char *s)
{
    bool plain = s[0] != '\0';
    for (const char *c = s; *c && plain; c++)
        plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                *c == '_' || *c == '-' || *c == '.' || *c == '/';
    /* Words YAML would read as something else. */
    static const char *const special[] = {"null", "true", "false", "yes", "no",
                                          "on",   "off",  "~",     NULL};
    for (int i = 0; plain && special[i]; i++)
        plain = strcasecmp(s, special[i]) != 0;
    if (plain && (s[0] == '-' || s[0] == '.' || (s[0] >= '0' && s[0] <= '9')))
        plain = false;
    if (plain) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (const char *c = s; *c; c++) {
        if (*c == '"' || *c == '\\')
            fputc('\\', out);
        fputc(*c, out);
    }
    fputc('"', out);
}

static void put_factors(FILE *out, const char *key, const petal_problem *p, const uint64_t *factors)
{
    bool any = false;
    for (int dim = 0; dim < p->ndims; dim++)
        any |= factors[dim] != 1;
    if (!any)
        return;
    fprintf(out, "      %s: {", key);
    bool first = true;
    for (int dim = 0; dim < p->ndims; dim++)
        if (factors[dim] != 1) {
            fprintf(out, "%s%s: %llu", first ? "" : ", ", p->dim_names[dim],
                    (unsigned long long)factors[dim]);
            first = false;
        }
    fputs("}\n", out);
}

/* The loop order, outermost first, as short as reads back the same perm[]:
 * nothing when it is the default, only the loops with a factor above 1 when the
 * reader's placement of the others restores it, else every dimension. */
static void put_order(FILE *out, const petal_problem *p, const petal_level_mapping *lm)
{
    int full[PETAL_MAX_DIMS], partial[PETAL_MAX_DIMS], rebuilt[PETAL_MAX_DIMS];
    int nfull = p->ndims, npartial = 0, nrebuilt = 0;
    bool listed[PETAL_MAX_DIMS] = {false};
    for (int k = 0; k < nfull; k++) {
        full[k] = lm->perm[nfull - 1 - k];
        if (full[k] < p->ndims && lm->temporal[full[k]] != 1) {
            partial[npartial++] = full[k];
            listed[full[k]] = true;
        }
    }
    for (int k = 0; k < npartial; k++)
        rebuilt[nrebuilt++] = partial[k];
    for (int dim = p->ndims - 1; dim >= 0; dim--)
        if (!listed[dim])
            rebuilt[nrebuilt++] = dim;
    bool is_default = true;
    for (int k = 0; k < nfull; k++)
        is_default &= full[k] == nfull - 1 - k;
    if (is_default)
        return;
    bool exact = memcmp(full, rebuilt, sizeof(int) * (size_t)nfull) == 0;
    const int *dims = exact ? partial : full;
    int n = exact ? npartial : nfull;
    if (n == 0)
        return;
    fputs("      order: [", out);
    for (int k = 0; k < n; k++)
        fprintf(out, "%s%s", k ? ", " : "", dims[k] < p->ndims ? p->dim_names[dims[k]] : "?");
    fputs("]\n", out);
}

petal_status petal_mapping_write_yaml(FILE *out, const petal_problem *p, const petal_arch *a,
                                      const petal_mapping *m)
{
    if (m->nlevels != a->nlevels)
        return petal_error_set(PETAL_EINVAL, "mapping has %u levels but architecture %s has %u",
                               m->nlevels, a->name, a->nlevels);
    fprintf(out, "# petal mapping (docs/formats.md): loops outermost first\nmapping:\n  layer: ");
    put_name(out, p->name);
    fputs("\n  arch: ", out);
    put_name(out, a->name);
    fputs("\n  levels:\n", out);
    for (int l = 0; l < a->nlevels; l++) {
        const petal_level_mapping *lm = &m->levels[l];
        fputs("    - level: ", out);
        put_name(out, a->levels[l].name);
        fputc('\n', out);
        put_factors(out, "temporal", p, lm->temporal);
        put_order(out, p, lm);
        put_factors(out, "spatial_x", p, lm->spatial_x);
        put_factors(out, "spatial_y", p, lm->spatial_y);
        fputs("      keep: [", out);
        bool first = true;
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            if (lm->keep & (1u << ds)) {
                fprintf(out, "%s%s", first ? "" : ", ", petal_ds_canonical_name(ds));
                first = false;
            }
        fputs("]\n", out);
    }
    return ferror(out) ? petal_error_set(PETAL_EIO, "writing the mapping failed") : PETAL_OK;
}
