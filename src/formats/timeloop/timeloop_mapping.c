/* timeloop_mapping.c - Timeloop mapping directives read into a petal_mapping.
 *
 * A mapping is a list of directives, each aimed at a storage level:
 * `temporal` (factors and a permutation, innermost first), `spatial` (factors
 * unrolled over the fan-out below the level; the dimensions placed before
 * `split` in the permutation go to X, the rest to Y; no split means all X) and
 * `datatype` / `bypass` (keep and bypass lists). As in Timeloop, dimensions a
 * directive does not name get factor 1, a permutation is completed with the
 * missing dimensions outermost, and a level with no keep/bypass directive keeps
 * everything.
 */
#include <stdio.h>
#include <string.h>

#include "formats/timeloop/timeloop_internal.h"
#include "petal/timeloop.h"

static const char *const unsupported_keys[] = {"no_multicast_no_reduction",
                                               "no_link_transfer",
                                               "no_temporal_reuse",
                                               "rmw_on_first_writeback",
                                               "passthrough",
                                               "modulo",
                                               "terms",
                                               NULL};

/* A directive's level, from `target` (or `name` in old constraint files). */
static petal_status directive_level(petal_ydoc *d, yaml_node_t *dir, const petal_arch *a,
                                    int *level)
{
    yaml_node_t *t = petal_ymap_get(d, dir, "target");
    if (!t)
        t = petal_ymap_get(d, dir, "name");
    const char *name = petal_yscalar(t);
    if (!name)
        return petal_yerror(d, t ? t : dir, PETAL_EPARSE,
                            "directive: expected a target level "
                            "name");
    *level = petal_tl_level(a, name);
    if (*level >= 0)
        return PETAL_OK;
    char names[400] = "";
    for (int l = 0; l < a->nlevels; l++) {
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%s", l ? ", " : "", a->levels[l].name);
    }
    if (strcmp(name, a->arith.name) == 0)
        return petal_yerror(d, t, PETAL_EINVAL,
                            "target %s is the compute level; directives "
                            "target storage levels (%s)",
                            name, names);
    return petal_yerror(d, t, PETAL_ENOTFOUND,
                        "target '%s' is not a level of architecture %s "
                        "(levels: %s)",
                        name, a->name, names);
}

typedef enum { DIR_TEMPORAL, DIR_SPATIAL, DIR_DATASPACE, DIR_UTILIZATION, DIR_OVERBOOK } dir_type;

static petal_status directive_type(petal_ydoc *d, yaml_node_t *dir, bool constraint, dir_type *type)
{
    yaml_node_t *t = petal_ymap_get(d, dir, "type");
    const char *s = petal_yscalar(t);
    if (!s)
        return petal_yerror(d, t ? t : dir, PETAL_EPARSE,
                            "directive: expected a type "
                            "(temporal, spatial, datatype or bypass)");
    if (strcmp(s, "temporal") == 0)
        *type = DIR_TEMPORAL;
    else if (strcmp(s, "spatial") == 0)
        *type = DIR_SPATIAL;
    else if (strcmp(s, "datatype") == 0 || strcmp(s, "bypass") == 0 ||
             strcmp(s, "dataspace") == 0 || strcmp(s, "bypassing") == 0)
        *type = DIR_DATASPACE;
    else if (constraint && (strcmp(s, "utilization") == 0 || strcmp(s, "parallelism") == 0))
        *type = DIR_UTILIZATION;
    else if (constraint && strcmp(s, "max_overbooked_proportion") == 0)
        *type = DIR_OVERBOOK;
    else if (strcmp(s, "skew") == 0)
        return petal_yerror(d, t, PETAL_EUNSUPPORTED, "directive type 'skew' is not supported");
    else
        return petal_yerror(d, t, PETAL_EINVAL,
                            "directive type '%s': expected temporal, "
                            "spatial, datatype or bypass",
                            s);
    return PETAL_OK;
}

static petal_status check_keys(petal_ydoc *d, yaml_node_t *dir, const char *where)
{
    for (int i = 0; unsupported_keys[i]; i++) {
        yaml_node_t *v = petal_ymap_get(d, dir, unsupported_keys[i]);
        if (v && !petal_yis_null(v))
            return petal_yerror(d, v, PETAL_EUNSUPPORTED, "%s: '%s' is not supported", where,
                                unsupported_keys[i]);
    }
    static const char *const known[] = {
        "target", "type", "factors",    "permutation", "split",       "keep",    "bypass",
        "name",   "min",  "proportion", "attributes",  "constraints", "version", NULL};
    petal_ywarn_unknown_keys(d, dir, known, where);
    return PETAL_OK;
}

/* Fill `perm` (innermost first, all dimensions) from a permutation node: the
 * listed dimensions, then the others in index order (outermost). */
static petal_status full_permutation(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                                     const char *what, uint8_t *perm)
{
    int count;
    petal_status st = petal_tl_permutation(d, n, p, what, perm, &count, NULL);
    if (st)
        return st;
    for (int dim = 0; dim < p->ndims; dim++) {
        bool listed = false;
        for (int i = 0; i < count; i++)
            listed = listed || perm[i] == dim;
        if (!listed)
            perm[count++] = (uint8_t)dim;
    }
    return PETAL_OK;
}

/* Residuals read with the factors, per level: [0] temporal, [1] spatial (0:
 * none given), and the directive each came from, for messages. */
typedef struct tl_residuals {
    uint64_t r[PETAL_MAX_LEVELS][2][PETAL_MAX_DIMS];
    yaml_node_t *at[PETAL_MAX_LEVELS][2];
} tl_residuals;

static petal_status mapping_directive(petal_ydoc *d, yaml_node_t *dir, const petal_problem *p,
                                      const petal_arch *a, petal_mapping *m, tl_residuals *res)
{
    if (!petal_yis_map(dir))
        return petal_yerror(d, dir, PETAL_EPARSE,
                            "mapping: expected directives {target, type, "
                            "...}");
    petal_status st = check_keys(d, dir, "a mapping directive");
    if (st)
        return st;
    int l;
    dir_type type;
    if ((st = directive_level(d, dir, a, &l)) || (st = directive_type(d, dir, false, &type)))
        return st;
    petal_level_mapping *lm = &m->levels[l];
    const petal_level *level = &a->levels[l];
    if (type == DIR_DATASPACE) {
        uint8_t keep, bypass;
        if ((st = petal_tl_dataspace_mask(d, petal_ymap_get(d, dir, "keep"), p, "keep", &keep)) ||
            (st = petal_tl_dataspace_mask(d, petal_ymap_get(d, dir, "bypass"), p, "bypass",
                                          &bypass)))
            return st;
        if (keep & bypass)
            return petal_yerror(d, dir, PETAL_EINVAL,
                                "level %s both keeps and bypasses a data "
                                "space",
                                level->name);
        if (level->cls == PETAL_MEM_NONE && keep)
            return petal_yerror(d, dir, PETAL_EINVAL,
                                "level %s stores nothing (it only carries "
                                "a spatial fan-out); it cannot keep data",
                                level->name);
        lm->keep = (uint8_t)((lm->keep | keep) & ~bypass);
        return PETAL_OK;
    }
    uint64_t factors[PETAL_MAX_DIMS];
    for (int dim = 0; dim < PETAL_MAX_DIMS; dim++)
        factors[dim] = 1;
    int kind = type == DIR_TEMPORAL ? 0 : 1;
    memset(res->r[l][kind], 0, sizeof res->r[l][kind]);
    res->at[l][kind] = dir;
    if ((st = petal_tl_factors(d, petal_ymap_get(d, dir, "factors"), p, "factors", factors, NULL,
                               NULL, res->r[l][kind])))
        return st;
    uint8_t perm[PETAL_MAX_DIMS];
    if ((st = full_permutation(d, petal_ymap_get(d, dir, "permutation"), p, "permutation", perm)))
        return st;
    if (type == DIR_TEMPORAL) {
        memcpy(lm->temporal, factors, sizeof lm->temporal);
        memcpy(lm->perm, perm, sizeof lm->perm);
        return PETAL_OK;
    }
    uint64_t split = p->ndims;
    yaml_node_t *sn = petal_ymap_get(d, dir, "split");
    if (sn && (st = petal_yget_u64(d, sn, "split", &split)))
        return st;
    uint64_t fanout = petal_arch_fanout(a, l, NULL, NULL);
    for (int i = 0; i < p->ndims; i++) {
        int dim = perm[i];
        lm->spatial_x[dim] = (uint64_t)i < split ? factors[dim] : 1;
        lm->spatial_y[dim] = (uint64_t)i < split ? 1 : factors[dim];
        if (factors[dim] > 1 && fanout <= 1)
            return petal_yerror(d, dir, PETAL_EINVAL,
                                "level %s has no spatial fan-out below it "
                                "(the next level has as many instances); it cannot unroll %s",
                                level->name, p->dim_names[dim]);
    }
    return PETAL_OK;
}

static yaml_node_t *mapping_list(petal_ydoc *d)
{
    yaml_node_t *root = petal_ydoc_root(d);
    if (petal_yis_seq(root))
        return root;
    return petal_tl_top(d, "mapping");
}

static bool has_residual(const tl_residuals *res, int nlevels, int dim)
{
    for (int l = 0; l < nlevels; l++)
        if (res->r[l][0][dim] || res->r[l][1][dim])
            return true;
    return false;
}

/* Timeloop's imperfect factors on petal's clipped grid (docs/model.md).
 * Timeloop covers 1 + sum (residual_i - 1) x (factors inside loop i) of a
 * dimension, which must be its bound; the digits of bound - 1 in that mixed
 * radix are then each loop's residual - 1, exactly the last iterations of
 * petal's clipped grid, so every inner loop is expressed by its factor. The
 * outermost loop runs only its residual: petal's factor is the residual.
 * A residual that disagrees is refused with its directive. */
static petal_status apply_residuals(petal_ydoc *d, yaml_node_t *at, const petal_problem *p,
                                    const petal_arch *a, petal_mapping *m, const tl_residuals *res)
{
    for (int dim = 0; dim < p->ndims; dim++) {
        if (!has_residual(res, m->nlevels, dim))
            continue;
        /* The loops of dim in nest order: per level temporal, then spatial. */
        uint64_t *factor[2 * PETAL_MAX_LEVELS], residual[2 * PETAL_MAX_LEVELS];
        int where[2 * PETAL_MAX_LEVELS], n = 0;
        for (int l = 0; l < m->nlevels; l++) {
            petal_level_mapping *lm = &m->levels[l];
            uint64_t *f[2] = {&lm->temporal[dim],
                              lm->spatial_y[dim] > 1 ? &lm->spatial_y[dim] : &lm->spatial_x[dim]};
            for (int k = 0; k < 2; k++) {
                factor[n] = f[k];
                residual[n] = res->r[l][k][dim] ? res->r[l][k][dim] : *f[k];
                where[n++] = l * 2 + k;
            }
        }
        /* Timeloop's coverage, outermost first, in 128 bits. */
        unsigned __int128 covered = 0;
        for (int i = 0; i < n; i++)
            covered = covered * *factor[i] + (residual[i] - 1);
        covered += 1;
        if (covered != p->bounds[dim])
            return petal_yerror(d, at, PETAL_EINVAL,
                                "mapping: the factors of dimension %s with their residuals "
                                "cover %llu, but its bound is %llu",
                                p->dim_names[dim],
                                (unsigned long long)(covered > UINT64_MAX ? UINT64_MAX : covered),
                                (unsigned long long)p->bounds[dim]);
        /* The outermost loops run only their residual. */
        for (int i = 0; i < n; i++) {
            if (*factor[i] == 1)
                continue;
            if (residual[i] == *factor[i])
                break;
            *factor[i] = residual[i];
            if (residual[i] > 1)
                break;
        }
        uint64_t product = 1, outer = 1, inner = 1;
        if (petal_mapping_factor_fit(m, dim, p->bounds[dim], &product, &outer, &inner) >
            PETAL_FACTORS_IMPERFECT) {
            int w = 0;
            while (w + 1 < n && residual[w] == *factor[w])
                w++;
            int l = where[w] / 2;
            return petal_yerror(
                d, res->at[l][where[w] % 2] ? res->at[l][where[w] % 2] : at, PETAL_EINVAL,
                "mapping: level %s: the residual %llu of dimension %s cannot be "
                "expressed on petal's clipped grid (docs/model.md, \"Imperfect "
                "factors\")",
                a->levels[l].name, (unsigned long long)residual[w], p->dim_names[dim]);
        }
    }
    return PETAL_OK;
}

/* Without residuals, a dimension's factors multiply to its bound, as in
 * Timeloop; with them, apply_residuals checks what they cover. */
static petal_status check_products(petal_ydoc *d, yaml_node_t *at, const petal_problem *p,
                                   const petal_mapping *m, const tl_residuals *res)
{
    for (int dim = 0; dim < p->ndims; dim++) {
        uint64_t prod = 1;
        for (int l = 0; l < m->nlevels; l++) {
            const petal_level_mapping *lm = &m->levels[l];
            uint64_t f[3] = {lm->temporal[dim], lm->spatial_x[dim], lm->spatial_y[dim]};
            for (int i = 0; i < 3; i++)
                if (__builtin_mul_overflow(prod, f[i], &prod))
                    return petal_yerror(d, at, PETAL_EOVERFLOW,
                                        "mapping: factors of %s "
                                        "overflow",
                                        p->dim_names[dim]);
        }
        if (prod != p->bounds[dim] && !has_residual(res, m->nlevels, dim))
            return petal_yerror(d, at, PETAL_EINVAL,
                                "mapping: the factors of dimension %s "
                                "multiply to %llu, but its bound is %llu",
                                p->dim_names[dim], (unsigned long long)prod,
                                (unsigned long long)p->bounds[dim]);
    }
    return PETAL_OK;
}

petal_status petal_tl_mapping_from_doc(petal_ydoc *d, const petal_problem *p, const petal_arch *a,
                                       petal_mapping *m)
{
    petal_mapping_init(m, p, a);
    for (int l = 0; l < a->nlevels; l++)
        m->levels[l].keep = a->levels[l].cls == PETAL_MEM_NONE ? 0 : PETAL_KEEP_ALL;
    yaml_node_t *list = mapping_list(d);
    if (!petal_yis_seq(list))
        return petal_yerror(d, list, PETAL_EPARSE,
                            "expected a top-level 'mapping:' list of "
                            "directives");
    yaml_node_t *dir;
    tl_residuals res;
    memset(&res, 0, sizeof res);
    PETAL_YSEQ_EACH(d, list, dir)
    {
        petal_status st = mapping_directive(d, dir, p, a, m, &res);
        if (st)
            return st;
    }
    petal_status st = check_products(d, list, p, m, &res);
    return st ? st : apply_residuals(d, list, p, a, m, &res);
}

petal_status petal_timeloop_read_mapping(const char *path, const petal_problem *p,
                                         const petal_arch *a, petal_mapping *m)
{
    petal_ydoc d;
    petal_status st = petal_tl_open(&d, path);
    if (st)
        return st;
    st = petal_tl_mapping_from_doc(&d, p, a, m);
    petal_ydoc_free(&d);
    return st;
}

/* ---- constraints ---- */

static petal_status merge_factors(petal_ydoc *d, yaml_node_t *at, const petal_problem *p,
                                  const char *level, const uint64_t *exact, const uint64_t *max,
                                  uint64_t *dst_exact, uint64_t *dst_max)
{
    for (int dim = 0; dim < p->ndims; dim++) {
        if (exact[dim]) {
            if (dst_exact[dim] && dst_exact[dim] != exact[dim])
                return petal_yerror(d, at, PETAL_EINVAL,
                                    "constraints on %s give %s two factors "
                                    "(%llu and %llu)",
                                    level, p->dim_names[dim], (unsigned long long)dst_exact[dim],
                                    (unsigned long long)exact[dim]);
            dst_exact[dim] = exact[dim];
        }
        if (max[dim])
            dst_max[dim] =
                dst_max[dim] ? (dst_max[dim] < max[dim] ? dst_max[dim] : max[dim]) : max[dim];
    }
    return PETAL_OK;
}

static petal_status loop_constraint(petal_ydoc *d, yaml_node_t *dir, const petal_problem *p,
                                    const petal_arch *a, int l, bool spatial,
                                    petal_level_constraints *lc)
{
    uint64_t exact[PETAL_MAX_DIMS] = {0}, max[PETAL_MAX_DIMS] = {0};
    petal_status st = petal_tl_factors(d, petal_ymap_get(d, dir, "factors"), p, "factors", exact,
                                       max, NULL, NULL);
    if (st)
        return st;
    const char *name = a->levels[l].name;
    if (spatial) {
        if ((st = merge_factors(d, dir, p, name, exact, max, lc->spatial_exact, lc->spatial_max)))
            return st;
    } else if ((st = merge_factors(d, dir, p, name, exact, max, lc->temporal_exact,
                                   lc->temporal_max))) {
        return st;
    }
    yaml_node_t *pn = petal_ymap_get(d, dir, "permutation");
    if (pn) {
        uint8_t dims[PETAL_MAX_DIMS];
        int count, ellipsis;
        if ((st = petal_tl_permutation(d, pn, p, "permutation", dims, &count, &ellipsis)))
            return st;
        if (spatial) {
            memcpy(lc->spatial_order, dims, sizeof lc->spatial_order);
            lc->n_spatial_order = (uint8_t)count;
        } else {
            int inner = ellipsis >= 0 ? ellipsis : count;
            memcpy(lc->temporal_inner, dims, (size_t)inner);
            lc->n_temporal_inner = (uint8_t)inner;
            /* After "...": outermost last, as written. */
            lc->n_temporal_outer = (uint8_t)(count - inner);
            memcpy(lc->temporal_outer, dims + inner, (size_t)(count - inner));
        }
    }
    yaml_node_t *sn = petal_ymap_get(d, dir, "split");
    if (sn) {
        if (!spatial)
            return petal_yerror(d, sn, PETAL_EINVAL, "split applies to spatial constraints only");
        uint64_t split;
        if ((st = petal_yget_u64(d, sn, "split", &split)))
            return st;
        lc->spatial_split = split > (uint64_t)p->ndims ? p->ndims : (int)split;
    }
    return PETAL_OK;
}

static petal_status dataspace_constraint(petal_ydoc *d, yaml_node_t *dir, const petal_problem *p,
                                         const petal_arch *a, int l, petal_level_constraints *lc)
{
    uint8_t keep, bypass;
    petal_status st;
    if ((st = petal_tl_dataspace_mask(d, petal_ymap_get(d, dir, "keep"), p, "keep", &keep)) ||
        (st = petal_tl_dataspace_mask(d, petal_ymap_get(d, dir, "bypass"), p, "bypass", &bypass)))
        return st;
    lc->keep |= keep;
    lc->bypass |= bypass;
    if (lc->keep & lc->bypass)
        return petal_yerror(d, dir, PETAL_EINVAL,
                            "constraints on %s both keep and bypass a data "
                            "space",
                            a->levels[l].name);
    return PETAL_OK;
}

/* One entry of a constraints list: {target, type, ...}, possibly with the old
 * nested form {target, constraints: [{type, ...}]}. */
static petal_status constraint_entry(petal_ydoc *d, yaml_node_t *dir, const petal_problem *p,
                                     const petal_arch *a, petal_constraints *c)
{
    if (!petal_yis_map(dir))
        return petal_yerror(d, dir, PETAL_EPARSE, "constraints: expected {target, type, ...}");
    petal_status st = check_keys(d, dir, "a constraint");
    if (st)
        return st;
    int l;
    if ((st = directive_level(d, dir, a, &l)))
        return st;
    yaml_node_t *nested = petal_ymap_get(d, dir, "constraints");
    if (petal_yis_seq(nested)) {
        yaml_node_t *item;
        PETAL_YSEQ_EACH(d, nested, item)
        {
            if (!petal_yis_map(item))
                return petal_yerror(d, item, PETAL_EPARSE, "constraints: expected {type, ...}");
            /* Old files nest the attributes one more level down. */
            yaml_node_t *attrs = petal_ymap_get(d, item, "attributes");
            yaml_node_t *body = petal_yis_map(attrs) ? attrs : item;
            dir_type type;
            if ((st = directive_type(d, item, true, &type)))
                return st;
            petal_level_constraints *lc = &c->levels[l];
            if (type == DIR_DATASPACE)
                st = dataspace_constraint(d, body, p, a, l, lc);
            else if (type == DIR_TEMPORAL || type == DIR_SPATIAL)
                st = loop_constraint(d, body, p, a, l, type == DIR_SPATIAL, lc);
            if (st)
                return st;
        }
        return PETAL_OK;
    }
    dir_type type;
    if ((st = directive_type(d, dir, true, &type)))
        return st;
    petal_level_constraints *lc = &c->levels[l];
    switch (type) {
    case DIR_DATASPACE:
        return dataspace_constraint(d, dir, p, a, l, lc);
    case DIR_TEMPORAL:
    case DIR_SPATIAL:
        return loop_constraint(d, dir, p, a, l, type == DIR_SPATIAL, lc);
    case DIR_UTILIZATION: {
        yaml_node_t *mn = petal_ymap_get(d, dir, "min");
        double v;
        if ((st = petal_yget_double(d, mn, "min", &v)))
            return st;
        if (v < 0 || v > 1)
            return petal_yerror(d, mn, PETAL_EINVAL, "utilization: min must be in [0, 1]");
        c->min_utilization = v;
        return PETAL_OK;
    }
    case DIR_OVERBOOK:
        petal_ywarn(d, dir,
                    "max_overbooked_proportion is not modelled (petal never "
                    "overbooks); ignored");
        return PETAL_OK;
    }
    return PETAL_OK;
}

static petal_status constraint_list(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                                    const petal_arch *a, petal_constraints *c)
{
    if (petal_yis_null(n))
        return PETAL_OK;
    if (petal_yis_map(n)) {
        static const char *const known[] = {"version", "targets", "constraints", NULL};
        petal_ywarn_unknown_keys(d, n, known, "constraints");
        yaml_node_t *t = petal_ymap_get(d, n, "targets");
        if (!t)
            t = petal_ymap_get(d, n, "constraints");
        if (!t || petal_yis_null(t))
            return PETAL_OK;
        n = t;
    }
    if (!petal_yis_seq(n))
        return petal_yerror(d, n, PETAL_EPARSE, "constraints: expected a list of targets");
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, n, item)
    {
        petal_status st = constraint_entry(d, item, p, a, c);
        if (st)
            return st;
    }
    return PETAL_OK;
}

/* Constraints written on a v0.4 component: {dataspace, temporal, spatial}. */
static petal_status component_constraints(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                                          const petal_arch *a, int l, petal_constraints *c)
{
    if (petal_yis_null(n))
        return PETAL_OK;
    if (!petal_yis_map(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "constraints: expected {dataspace, temporal, "
                            "spatial}");
    static const char *const known[] = {"dataspace", "temporal", "spatial", NULL};
    petal_ywarn_unknown_keys(d, n, known, "component constraints");
    petal_level_constraints *lc = &c->levels[l];
    petal_status st;
    yaml_node_t *ds = petal_ymap_get(d, n, "dataspace");
    if (ds && !petal_yis_null(ds)) {
        if ((st = dataspace_constraint(d, ds, p, a, l, lc)))
            return st;
        /* On a component, keeping a list means bypassing the rest (Timeloop's
         * front end writes the complement out). */
        if (!petal_ymap_get(d, ds, "bypass"))
            lc->bypass |= (uint8_t)(PETAL_KEEP_ALL & ~lc->keep);
    }
    yaml_node_t *tn = petal_ymap_get(d, n, "temporal");
    if (tn && !petal_yis_null(tn)) {
        if ((st = check_keys(d, tn, "temporal constraints")) ||
            (st = loop_constraint(d, tn, p, a, l, false, lc)))
            return st;
    }
    yaml_node_t *sn = petal_ymap_get(d, n, "spatial");
    if (sn && !petal_yis_null(sn)) {
        if ((st = check_keys(d, sn, "spatial constraints")) ||
            (st = loop_constraint(d, sn, p, a, l, true, lc)))
            return st;
    }
    return PETAL_OK;
}

/* What a storage-less level implies: it holds nothing and runs no temporal
 * loop (Timeloop's front end adds the same constraints to its fan-out levels). */
static void implied_constraints(const petal_problem *p, const petal_arch *a, petal_constraints *c)
{
    for (int l = 0; l < a->nlevels; l++) {
        if (a->levels[l].cls != PETAL_MEM_NONE)
            continue;
        c->levels[l].bypass = PETAL_KEEP_ALL;
        for (int dim = 0; dim < p->ndims; dim++)
            c->levels[l].temporal_exact[dim] = 1;
    }
}

petal_status petal_timeloop_read_constraints(const char *path, const petal_problem *p,
                                             const petal_arch *a, petal_constraints *c)
{
    petal_ydoc d;
    petal_status st = petal_tl_open(&d, path);
    if (st)
        return st;
    if (c->nlevels != a->nlevels) {
        petal_ydoc_free(&d);
        return petal_error_set(PETAL_EINVAL,
                               "%s: constraints for %u levels, architecture %s has "
                               "%u",
                               path, c->nlevels, a->name, a->nlevels);
    }
    implied_constraints(p, a, c);
    if (petal_tl_top(&d, "architecture")) {
        /* Constraints on components: rebuild the levels to find their nodes. */
        petal_arch scratch;
        yaml_node_t *nodes[PETAL_MAX_LEVELS];
        st = petal_tl_arch_from_doc(&d, &scratch, nodes);
        if (st == PETAL_OK && scratch.nlevels != a->nlevels)
            st = petal_error_set(PETAL_EINVAL, "%s: its architecture has %u levels, not %u", path,
                                 scratch.nlevels, a->nlevels);
        for (int l = 0; st == PETAL_OK && l < a->nlevels; l++)
            st = component_constraints(&d, nodes[l], p, a, l, c);
    }
    static const char *const lists[] = {"architecture_constraints", "mapspace_constraints",
                                        "constraints", NULL};
    for (int i = 0; st == PETAL_OK && lists[i]; i++)
        st = constraint_list(&d, petal_tl_top(&d, lists[i]), p, a, c);
    petal_ydoc_free(&d);
    return st;
}
