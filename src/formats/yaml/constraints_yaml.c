/* constraints_yaml.c - petal's YAML mapspace constraints (docs/formats.md,
 * "Constraints"), read into petal/constraints.h: a `constraints:` list in a
 * file of its own or under `architecture:` in an architecture file.
 *
 * Each entry names a level and narrows what the mapper may choose there:
 * which dimensions may go across (spatial_x) and down (spatial_y) the fan-out
 * below the level, fixed and bounded factors, the innermost loop order, and
 * data spaces to keep or bypass. Dimensions are the layer's, so the entries
 * are resolved against one problem at a time; without a problem (checking an
 * architecture file as it loads) only the form, the level and data-space names
 * are checked. */
#include <stdio.h>
#include <string.h>

#include "formats/yaml/constraints_yaml.h"
#include "formats/yaml/mapping_fields.h"
#include "formats/yaml/ydoc.h"
#include "petal/constraints.h"
#include "petal/formats.h"

static const char *const entry_keys[] = {
    "level",        "spatial_x", "spatial_y", "spatial", "spatial_max", "temporal",
    "temporal_max", "order",     "keep",      "bypass",  NULL};

static void level_list(char *buf, size_t size, const petal_arch *a)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int l = 0; l < a->nlevels && used < size; l++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", l ? ", " : "", a->levels[l].name);
}

/* A list of dimensions (a mask, and the order given); without a problem only
 * the names' form is checked. */
static petal_status dim_list(petal_ydoc *d, yaml_node_t *n, const petal_problem *p, const char *ctx,
                             uint8_t *dims, int *count)
{
    *count = 0;
    if (!petal_yis_seq(n))
        return petal_yerror(d, n, PETAL_EPARSE, "%s: expected a list of dimensions, such as [C, M]",
                            ctx);
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, n, item)
    {
        if (!p) {
            if (!petal_yscalar(item) || !petal_yscalar(item)[0])
                return petal_yerror(d, item, PETAL_EPARSE, "%s: expected a dimension name", ctx);
            continue;
        }
        int dim;
        petal_status st = yaml_dim_of(d, item, p, ctx, &dim);
        if (st)
            return st;
        for (int i = 0; i < *count; i++)
            if (dims[i] == dim)
                return petal_yerror(d, item, PETAL_EINVAL, "%s: %s is listed twice", ctx,
                                    p->dim_names[dim]);
        dims[(*count)++] = (uint8_t)dim;
    }
    return PETAL_OK;
}

/* {DIM: factor}: into exact[] with a problem, only checked without one. */
static petal_status factors(petal_ydoc *d, yaml_node_t *n, const petal_problem *p, const char *ctx,
                            uint64_t *out)
{
    if (p) {
        uint64_t f[PETAL_MAX_DIMS] = {0};
        petal_status st = yaml_read_factors(d, n, p, ctx, f);
        if (st)
            return st;
        for (int dim = 0; dim < p->ndims; dim++)
            if (f[dim])
                out[dim] = f[dim];
        return PETAL_OK;
    }
    if (!petal_yis_map(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "%s: expected a mapping of dimensions to factors, such as {C: 4}", ctx);
    yaml_node_t *k, *v;
    PETAL_YMAP_EACH(d, n, k, v)
    {
        uint64_t f;
        char what[160];
        snprintf(what, sizeof what, "%s: %s", ctx, petal_yscalar(k) ? petal_yscalar(k) : "?");
        petal_status st = petal_yget_u64(d, v, what, &f);
        if (st)
            return st;
        if (f < 1)
            return petal_yerror(d, v, PETAL_EINVAL, "%s: expected a factor of at least 1", what);
    }
    return PETAL_OK;
}

static petal_status ds_mask(petal_ydoc *d, yaml_node_t *n, const petal_problem *p, const char *ctx,
                            uint8_t *mask)
{
    if (p)
        return yaml_read_ds_list(d, n, p, ctx, mask);
    if (!petal_yis_seq(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "%s: expected a list of data spaces, such as [Weights, Outputs]", ctx);
    uint8_t m = 0;
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, n, item)
    {
        const char *s = petal_yscalar(item);
        int ds = s ? petal_ds_from_name(s) : -1;
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

/* The axes: a dimension listed for one axis goes on that axis only; with both
 * lists, a dimension in neither is not spread at that level at all. */
static petal_status axes(petal_ydoc *d, yaml_node_t *entry, const petal_problem *p,
                         const char *name, petal_level_constraints *lc)
{
    yaml_node_t *xn = petal_ymap_get(d, entry, "spatial_x");
    yaml_node_t *yn = petal_ymap_get(d, entry, "spatial_y");
    uint8_t x[PETAL_MAX_DIMS], y[PETAL_MAX_DIMS];
    int nx = 0, ny = 0;
    char ctx[PETAL_NAME_MAX + 32];
    snprintf(ctx, sizeof ctx, "level %s: spatial_x", name);
    petal_status st = xn ? dim_list(d, xn, p, ctx, x, &nx) : PETAL_OK;
    snprintf(ctx, sizeof ctx, "level %s: spatial_y", name);
    if (!st && yn)
        st = dim_list(d, yn, p, ctx, y, &ny);
    if (st || !p || (!xn && !yn))
        return st;
    for (int i = 0; i < nx; i++)
        for (int j = 0; j < ny; j++)
            if (x[i] == y[j])
                return petal_yerror(d, yn, PETAL_EINVAL,
                                    "level %s: %s is in both spatial_x and spatial_y; a dimension "
                                    "goes on one axis",
                                    name, p->dim_names[x[i]]);
    uint8_t in_x = 0, in_y = 0;
    for (int i = 0; i < nx; i++)
        in_x |= (uint8_t)(1u << x[i]);
    for (int j = 0; j < ny; j++)
        in_y |= (uint8_t)(1u << y[j]);
    int n = 0;
    if (xn) {
        for (int i = 0; i < nx; i++)
            lc->spatial_order[n++] = x[i];
    } else {
        for (int dim = 0; dim < p->ndims; dim++)
            if (!(in_y & (1u << dim)))
                lc->spatial_order[n++] = (uint8_t)dim;
    }
    lc->spatial_split = n;
    for (int j = 0; j < ny; j++)
        lc->spatial_order[n++] = y[j];
    lc->n_spatial_order = (uint8_t)n;
    if (xn && yn)
        for (int dim = 0; dim < p->ndims; dim++)
            if (!((in_x | in_y) & (1u << dim)) && !lc->spatial_exact[dim])
                lc->spatial_max[dim] = 1;
    return PETAL_OK;
}

static petal_status entry(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                          const petal_arch *a, petal_constraints *c, yaml_node_t **seen)
{
    if (!petal_yis_map(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "constraints: expected entries such as {level: glb, spatial_x: [C]}");
    yaml_node_t *ln = petal_ymap_get(d, n, "level");
    if (!ln)
        return petal_yerror(d, n, PETAL_EPARSE,
                            "constraints: the key 'level' (a level name) is missing");
    const char *name = petal_yscalar(ln);
    int l = name ? petal_arch_level(a, name) : -1;
    if (l < 0) {
        char levels[PETAL_MAX_LEVELS * (PETAL_NAME_MAX + 2)];
        level_list(levels, sizeof levels, a);
        return petal_yerror(d, ln, PETAL_ENOTFOUND,
                            "constraints: level: architecture %s has no level '%s' (its levels: "
                            "%s)",
                            a->name, name ? name : "(not a name)", levels);
    }
    if (seen[l])
        return petal_yerror(d, ln, PETAL_EINVAL,
                            "constraints: level %s is constrained twice (also at line %lu)", name,
                            petal_yline(seen[l]));
    seen[l] = ln;
    char where[PETAL_NAME_MAX + 32];
    snprintf(where, sizeof where, "constraints: level %s", name);
    petal_ywarn_unknown_keys(d, n, entry_keys, where);

    petal_level_constraints *lc = &c->levels[l];
    const petal_level *level = &a->levels[l];
    bool spatial = false;
    static const char *const spatial_keys[] = {"spatial_x", "spatial_y", "spatial", "spatial_max"};
    for (size_t k = 0; k < sizeof spatial_keys / sizeof spatial_keys[0]; k++)
        spatial = spatial || petal_ymap_get(d, n, spatial_keys[k]);
    if (spatial && petal_arch_fanout(a, l, NULL, NULL) <= 1)
        return petal_yerror(d, ln, PETAL_EINVAL,
                            "level %s has no fan-out below it (the next level has as many "
                            "instances); spatial constraints do not apply there",
                            name);

    struct {
        const char *key;
        uint64_t *dst;
    } groups[] = {{"temporal", lc->temporal_exact},
                  {"temporal_max", lc->temporal_max},
                  {"spatial", lc->spatial_exact},
                  {"spatial_max", lc->spatial_max}};
    petal_status st = PETAL_OK;
    for (size_t g = 0; g < sizeof groups / sizeof groups[0] && !st; g++) {
        yaml_node_t *fn = petal_ymap_get(d, n, groups[g].key);
        char ctx[PETAL_NAME_MAX + 32];
        snprintf(ctx, sizeof ctx, "level %s: %s", name, groups[g].key);
        if (fn)
            st = factors(d, fn, p, ctx, groups[g].dst);
    }
    if (!st)
        st = axes(d, n, p, name, lc);
    if (st)
        return st;

    yaml_node_t *on = petal_ymap_get(d, n, "order");
    if (on) {
        uint8_t outer_first[PETAL_MAX_DIMS];
        int count;
        char ctx[PETAL_NAME_MAX + 32];
        snprintf(ctx, sizeof ctx, "level %s: order", name);
        if ((st = dim_list(d, on, p, ctx, outer_first, &count)))
            return st;
        for (int k = 0; k < count; k++)
            lc->temporal_inner[k] = outer_first[count - 1 - k];
        if (p)
            lc->n_temporal_inner = (uint8_t)count;
    }

    uint8_t keep = 0, bypass = 0;
    yaml_node_t *kn = petal_ymap_get(d, n, "keep"), *bn = petal_ymap_get(d, n, "bypass");
    char ctx[PETAL_NAME_MAX + 32];
    snprintf(ctx, sizeof ctx, "level %s: keep", name);
    if (kn && (st = ds_mask(d, kn, p, ctx, &keep)))
        return st;
    snprintf(ctx, sizeof ctx, "level %s: bypass", name);
    if (bn && (st = ds_mask(d, bn, p, ctx, &bypass)))
        return st;
    if (keep & bypass)
        return petal_yerror(d, bn, PETAL_EINVAL,
                            "level %s: bypass: a data space is also in keep; a level either keeps "
                            "or bypasses it",
                            name);
    if (keep & ~level->may_keep) {
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            if (keep & ~level->may_keep & (1u << ds))
                return petal_yerror(d, kn, PETAL_EINVAL,
                                    "level %s: keep: %s, but the level cannot hold it (its "
                                    "data_spaces, or class none)",
                                    name, petal_ds_canonical_name(ds));
    }
    lc->keep |= keep;
    lc->bypass |= bypass;
    return PETAL_OK;
}

petal_status yaml_constraints_read(petal_ydoc *d, yaml_node_t *list, const petal_problem *p,
                                   const petal_arch *a, petal_constraints *c)
{
    if (petal_yis_null(list))
        return PETAL_OK;
    if (!petal_yis_seq(list))
        return petal_yerror(d, list, PETAL_EPARSE,
                            "constraints: expected a list of entries, one per level, such as "
                            "- {level: glb, spatial_x: [C]}");
    if (c->nlevels != a->nlevels)
        return petal_error_set(PETAL_EINVAL,
                               "%s: constraints are for %u levels, architecture %s "
                               "has %d",
                               d->path, c->nlevels, a->name, a->nlevels);
    yaml_node_t *seen[PETAL_MAX_LEVELS] = {NULL};
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, list, item)
    {
        petal_status st = entry(d, item, p, a, c, seen);
        if (st)
            return st;
    }
    return PETAL_OK;
}

petal_status petal_constraints_load_yaml(const char *path, const petal_problem *p,
                                         const petal_arch *a, petal_constraints *c)
{
    petal_ydoc d;
    petal_status st = petal_ydoc_load_file(&d, path);
    if (st)
        return st;
    yaml_node_t *root = petal_ydoc_root(&d);
    yaml_node_t *arch = petal_ymap_get(&d, root, "architecture");
    yaml_node_t *list =
        arch ? petal_ymap_get(&d, arch, "constraints") : petal_ymap_get(&d, root, "constraints");
    if (!arch && !list)
        st = petal_yerror(&d, root, PETAL_EPARSE,
                          "expected a top-level 'constraints:' list (or a petal architecture "
                          "file with 'constraints:' under 'architecture:')");
    else if (list)
        st = yaml_constraints_read(&d, list, p, a, c);
    petal_ydoc_free(&d);
    return st;
}
