/* timeloop_problem.c - Timeloop problem specs (v0.3 and v0.4 `problem:`) read
 * into a petal_problem: dimensions, coefficients, data spaces with their
 * projections, and the instance's bounds and coefficient values. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/timeloop/timeloop_internal.h"
#include "petal/timeloop.h"

#define MAX_COEFS 32
#define MAX_SPACES 8

typedef struct coef_table {
    int n;
    char names[MAX_COEFS][PETAL_NAME_MAX];
    int64_t values[MAX_COEFS];
} coef_table;

static int coef_find(const coef_table *t, const char *name)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->names[i], name) == 0)
            return i;
    return -1;
}

/* A parsed data space before it is placed among Weights/Inputs/Outputs. */
typedef struct space {
    petal_dataspace ds;
    bool read_write;
    yaml_node_t *node;
} space;

/* Either key spelling: v0.4 uses underscores, v0.3 hyphens. */
static yaml_node_t *get2(petal_ydoc *d, yaml_node_t *map, const char *a, const char *b)
{
    yaml_node_t *v = petal_ymap_get(d, map, a);
    return v ? v : petal_ymap_get(d, map, b);
}

static petal_status read_coefficients(petal_ydoc *d, yaml_node_t *list, coef_table *t)
{
    t->n = 0;
    if (petal_yis_null(list))
        return PETAL_OK;
    if (!petal_yis_seq(list))
        return petal_yerror(d, list, PETAL_EPARSE,
                            "coefficients: expected a list of "
                            "{name, default}");
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, list, item)
    {
        static const char *const known[] = {"name", "default", NULL};
        if (!petal_yis_map(item))
            return petal_yerror(d, item, PETAL_EPARSE, "coefficient: expected {name, default}");
        petal_ywarn_unknown_keys(d, item, known, "a coefficient");
        if (t->n == MAX_COEFS)
            return petal_yerror(d, item, PETAL_EUNSUPPORTED, "more than %d coefficients",
                                MAX_COEFS);
        petal_status st = petal_yget_name(d, petal_ymap_get(d, item, "name"), "coefficient name",
                                          PETAL_NAME_FIELD(t->names[t->n], PETAL_NAME_MAX));
        if (st)
            return st;
        int64_t v = 1;
        yaml_node_t *def = petal_ymap_get(d, item, "default");
        if (def && (st = petal_yget_i64(d, def, "coefficient default", &v)))
            return st;
        t->values[t->n++] = v;
    }
    return PETAL_OK;
}

/* A coefficient written in a term: a declared name or a literal integer. */
static petal_status coef_value(petal_ydoc *d, yaml_node_t *at, const coef_table *t,
                               const char *text, int64_t *out)
{
    int c = coef_find(t, text);
    if (c >= 0) {
        *out = t->values[c];
    } else {
        char *end;
        long long v = strtoll(text, &end, 10);
        if (end == text || *end != '\0')
            return petal_yerror(d, at, PETAL_EINVAL,
                                "projection: coefficient '%s' is not "
                                "declared in the shape's coefficients",
                                text);
        *out = v;
    }
    if (*out < 1)
        return petal_yerror(d, at, PETAL_EUNSUPPORTED,
                            "projection: coefficient %s = %lld; petal "
                            "supports positive coefficients only",
                            text, (long long)*out);
    return PETAL_OK;
}

static petal_status add_term(petal_ydoc *d, yaml_node_t *at, const petal_problem *p,
                             petal_rank *rank, const char *dim_name, int64_t coef)
{
    int dim = petal_problem_dim(p, dim_name);
    if (dim < 0)
        return petal_yerror(d, at, PETAL_EINVAL,
                            "projection: '%s' is not one of the shape's "
                            "dimensions",
                            dim_name);
    if (rank->nterms == PETAL_MAX_TERMS)
        return petal_yerror(d, at, PETAL_EUNSUPPORTED,
                            "projection: more than %d terms in one "
                            "rank (PETAL_MAX_TERMS)",
                            PETAL_MAX_TERMS);
    rank->terms[rank->nterms++] = (petal_term){(uint8_t)dim, coef};
    return PETAL_OK;
}

/* A rank written as an expression, "R*Wdilation + P*Wstride" or "C". */
static petal_status rank_expression(petal_ydoc *d, yaml_node_t *at, const petal_problem *p,
                                    const coef_table *t, const char *text, petal_rank *rank)
{
    char buf[256];
    if (strlen(text) >= sizeof buf)
        return petal_yerror(d, at, PETAL_EINVAL, "projection: expression too long");
    snprintf(buf, sizeof buf, "%s", text);
    char *save = NULL;
    for (char *term = strtok_r(buf, "+", &save); term; term = strtok_r(NULL, "+", &save)) {
        char *star = strchr(term, '*');
        char *a = term, *b = star ? star + 1 : NULL;
        if (star)
            *star = '\0';
        /* trim */
        char *parts[2] = {a, b};
        for (int i = 0; i < 2; i++) {
            char *s = parts[i];
            if (!s)
                continue;
            while (isspace((unsigned char)*s))
                s++;
            char *e = s + strlen(s);
            while (e > s && isspace((unsigned char)e[-1]))
                *--e = '\0';
            parts[i] = s;
        }
        const char *dim = parts[0], *coef = parts[1];
        if (coef && petal_problem_dim(p, dim) < 0 && petal_problem_dim(p, coef) >= 0) {
            dim = parts[1];
            coef = parts[0];
        }
        int64_t c = 1;
        petal_status st;
        if (coef && (st = coef_value(d, at, t, coef, &c)))
            return st;
        if ((st = add_term(d, at, p, rank, dim, c)))
            return st;
    }
    if (rank->nterms == 0)
        return petal_yerror(d, at, PETAL_EPARSE, "projection: empty rank");
    return PETAL_OK;
}

/* One rank: a list of terms, each [dim] or [dim, coefficient]; or a string. */
static petal_status read_rank(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                              const coef_table *t, petal_rank *rank)
{
    memset(rank, 0, sizeof *rank);
    if (petal_yis_scalar(n))
        return rank_expression(d, n, p, t, petal_yscalar(n), rank);
    if (!petal_yis_seq(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "projection: a rank must be a list of terms "
                            "([dim] or [dim, coefficient])");
    yaml_node_t *term;
    PETAL_YSEQ_EACH(d, n, term)
    {
        petal_status st;
        if (petal_yis_scalar(term)) {
            /* [[R], [P]] written flat as [R, P] is not Timeloop's form, but a
             * single term [R] inside a rank list is; accept a bare name. */
            if ((st = add_term(d, term, p, rank, petal_yscalar(term), 1)))
                return st;
            continue;
        }
        if (!petal_yis_seq(term))
            return petal_yerror(d, term, PETAL_EPARSE,
                                "projection: a term must be [dim] or "
                                "[dim, coefficient]");
        size_t len = (size_t)(term->data.sequence.items.top - term->data.sequence.items.start);
        if (len < 1 || len > 2)
            return petal_yerror(d, term, PETAL_EPARSE,
                                "projection: a term must be [dim] or "
                                "[dim, coefficient], found %zu items",
                                len);
        yaml_node_t *dn = petal_ynode(d, term->data.sequence.items.start[0]);
        const char *dim = petal_yscalar(dn);
        if (!dim)
            return petal_yerror(d, dn, PETAL_EPARSE, "projection: expected a dimension name");
        int64_t coef = 1;
        if (len == 2) {
            yaml_node_t *cn = petal_ynode(d, term->data.sequence.items.start[1]);
            const char *ctext = petal_yscalar(cn);
            if (!ctext)
                return petal_yerror(d, cn, PETAL_EPARSE,
                                    "projection: expected a coefficient "
                                    "name");
            if ((st = coef_value(d, cn, t, ctext, &coef)))
                return st;
        }
        if ((st = add_term(d, term, p, rank, dim, coef)))
            return st;
    }
    if (rank->nterms == 0)
        return petal_yerror(d, n, PETAL_EPARSE, "projection: empty rank");
    return PETAL_OK;
}

static petal_status read_space(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                               const coef_table *t, space *sp)
{
    static const char *const known[] = {"name",       "projection", "read_write",
                                        "read-write", "factors",    NULL};
    memset(sp, 0, sizeof *sp);
    sp->node = n;
    if (!petal_yis_map(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "data_spaces: expected {name, projection, "
                            "read_write}");
    petal_ywarn_unknown_keys(d, n, known, "a data space");
    petal_status st = petal_yget_name(d, petal_ymap_get(d, n, "name"), "data space name",
                                      PETAL_NAME_FIELD(sp->ds.name, PETAL_DS_NAME_MAX));
    if (st)
        return st;
    yaml_node_t *rw = get2(d, n, "read_write", "read-write");
    if (rw && !petal_yis_null(rw) && (st = petal_yget_bool(d, rw, "read_write", &sp->read_write)))
        return st;
    yaml_node_t *proj = petal_ymap_get(d, n, "projection");
    if (!petal_yis_seq(proj))
        return petal_yerror(d, proj ? proj : n, PETAL_EPARSE,
                            "data space %s: projection: "
                            "expected a list of ranks",
                            sp->ds.name);
    /* A one-rank projection is sometimes written as a single term list,
     * [R, P] meaning [[R], [P]]; Timeloop reads a list of scalars as one rank
     * per scalar, so do the same. */
    yaml_node_t *rank_node;
    PETAL_YSEQ_EACH(d, proj, rank_node)
    {
        if (sp->ds.nranks == PETAL_MAX_RANKS)
            return petal_yerror(d, rank_node, PETAL_EUNSUPPORTED,
                                "data space %s: more than %d "
                                "ranks (PETAL_MAX_RANKS)",
                                sp->ds.name, PETAL_MAX_RANKS);
        if ((st = read_rank(d, rank_node, p, t, &sp->ds.ranks[sp->ds.nranks])))
            return st;
        sp->ds.nranks++;
    }
    if (sp->ds.nranks == 0)
        return petal_yerror(d, proj, PETAL_EPARSE, "data space %s: empty projection", sp->ds.name);
    return PETAL_OK;
}

/* Place up to three data spaces among Weights, Inputs, Outputs. */
static petal_status place_spaces(petal_ydoc *d, yaml_node_t *at, space *sp, int n, petal_problem *p)
{
    if (n != PETAL_NUM_DS) {
        char names[256] = "";
        for (int i = 0; i < n; i++) {
            size_t len = strlen(names);
            snprintf(names + len, sizeof names - len, "%s%.31s", i ? ", " : "", sp[i].ds.name);
        }
        return petal_yerror(d, at, PETAL_EUNSUPPORTED,
                            "problem has %d data spaces (%s); petal "
                            "models exactly three: two read-only operands and one read-write "
                            "result",
                            n, names);
    }
    int slot_of[PETAL_NUM_DS] = {-1, -1, -1};
    static const char *const canonical[PETAL_NUM_DS] = {"Weights", "Inputs", "Outputs"};
    bool by_name = true;
    for (int s = 0; s < PETAL_NUM_DS && by_name; s++) {
        int found = -1;
        for (int i = 0; i < n; i++)
            if (strcmp(sp[i].ds.name, canonical[s]) == 0)
                found = i;
        if (found < 0)
            by_name = false;
        slot_of[s] = found;
    }
    if (by_name) {
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            bool want_rw = s == PETAL_DS_OUTPUTS;
            if (sp[slot_of[s]].read_write != want_rw)
                return petal_yerror(d, sp[slot_of[s]].node, PETAL_EUNSUPPORTED,
                                    "data space %s is %s; petal needs Outputs read-write and "
                                    "Weights and Inputs read-only",
                                    canonical[s], want_rw ? "read-only" : "read-write");
        }
    } else {
        int rw = -1, nrw = 0;
        for (int i = 0; i < n; i++)
            if (sp[i].read_write) {
                rw = i;
                nrw++;
            }
        if (nrw != 1)
            return petal_yerror(d, at, PETAL_EUNSUPPORTED,
                                "problem has %d read-write data "
                                "spaces; petal needs exactly one (the result)",
                                nrw);
        slot_of[PETAL_DS_OUTPUTS] = rw;
        int next = PETAL_DS_WEIGHTS;
        for (int i = 0; i < n; i++)
            if (i != rw)
                slot_of[next++] = i;
    }
    for (int s = 0; s < PETAL_NUM_DS; s++)
        p->ds[s] = sp[slot_of[s]].ds;
    return PETAL_OK;
}

static petal_status read_dimensions(petal_ydoc *d, yaml_node_t *dims, petal_problem *p)
{
    if (!petal_yis_seq(dims))
        return petal_yerror(d, dims, PETAL_EPARSE, "shape: dimensions: expected a list of names");
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, dims, item)
    {
        if (p->ndims == PETAL_MAX_DIMS)
            return petal_yerror(d, item, PETAL_EUNSUPPORTED,
                                "shape has more than %d dimensions (PETAL_MAX_DIMS)",
                                PETAL_MAX_DIMS);
        char name[PETAL_DIM_NAME_MAX];
        petal_status st =
            petal_yget_name(d, item, "dimension name", PETAL_NAME_FIELD(name, PETAL_DIM_NAME_MAX));
        if (st)
            return st;
        if (petal_problem_dim(p, name) >= 0)
            return petal_yerror(d, item, PETAL_EINVAL, "dimension %s is listed twice", name);
        memcpy(p->dim_names[p->ndims], name, sizeof name);
        p->bounds[p->ndims] = 0;
        p->ndims++;
    }
    if (p->ndims == 0)
        return petal_yerror(d, dims, PETAL_EINVAL, "shape: no dimensions");
    return PETAL_OK;
}

/* Keys Timeloop's conv problems carry for people (the input size and its
 * padding); the projections already define the input extent. */
static bool informational(const char *key)
{
    static const char *const keys[] = {"H", "W", "Hpad", "Wpad", "HPad", "WPad", NULL};
    for (int i = 0; keys[i]; i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

/* One data space's density: {distribution, density, band_width,
 * workload_tensor_size} as Sparseloop writes it, or a bare number (a
 * fixed_structured density). */
static petal_status read_density(petal_ydoc *d, yaml_node_t *v, const char *ds, petal_density *out)
{
    memset(out, 0, sizeof *out);
    yaml_node_t *dn = v;
    int kind = PETAL_DENSITY_FIXED_STRUCTURED;
    if (petal_yis_map(v)) {
        static const char *const known[] = {"distribution", "density", "band_width",
                                            "workload_tensor_size", NULL};
        petal_ywarn_unknown_keys(d, v, known, "a density");
        yaml_node_t *dist = petal_ymap_get(d, v, "distribution");
        if (dist && !petal_yis_null(dist) &&
            (!petal_yis_scalar(dist) || !petal_density_kind_parse(petal_yscalar(dist), &kind)))
            return petal_yerror(d, dist, PETAL_EINVAL,
                                "densities: %s: distribution: '%s' is not a density model "
                                "(expected dense, fixed_structured, hypergeometric or banded)",
                                ds, petal_yis_scalar(dist) ? petal_yscalar(dist) : "");
        if (kind == PETAL_DENSITY_BANDED) {
            /* Sparseloop's banded: the density follows from the band (a
             * density given beside it is not used), width 0 by default. */
            out->kind = PETAL_DENSITY_BANDED;
            yaml_node_t *bw = petal_ymap_get(d, v, "band_width");
            petal_status st;
            if (bw && (st = petal_yget_u64(d, bw, "band_width", &out->band_width)))
                return st;
            return PETAL_OK;
        }
        dn = petal_ymap_get(d, v, "density");
        if (!dn && kind != PETAL_DENSITY_DENSE)
            return petal_yerror(d, v, PETAL_EPARSE, "densities: %s: expected a density", ds);
    }
    double density = 1;
    petal_status st;
    if (dn && (st = petal_yget_double(d, dn, "density", &density)))
        return st;
    if (!(density >= 0 && density <= 1))
        return petal_yerror(d, dn, PETAL_EINVAL, "densities: %s: density %g is outside [0, 1]", ds,
                            density);
    if (kind == PETAL_DENSITY_DENSE)
        density = 1;
    out->kind = (uint8_t)(density == 1 ? PETAL_DENSITY_DENSE : kind);
    out->density = density;
    return PETAL_OK;
}

/* instance: densities: {DataSpace: density, ...}. */
static petal_status read_densities(petal_ydoc *d, yaml_node_t *v, petal_problem *p)
{
    if (!v || petal_yis_null(v))
        return PETAL_OK;
    if (!petal_yis_map(v))
        return petal_yerror(d, v, PETAL_EPARSE,
                            "instance: densities: expected {DataSpace: {distribution, density}}");
    yaml_node_t *k, *dv;
    PETAL_YMAP_EACH(d, v, k, dv)
    {
        const char *name = petal_yscalar(k);
        int s = -1;
        for (int i = 0; name && i < PETAL_NUM_DS; i++)
            if (strcmp(p->ds[i].name, name) == 0)
                s = i;
        if (s < 0)
            return petal_yerror(d, k, PETAL_EINVAL,
                                "densities: '%s' names no data space (expected %s, %s or %s)",
                                name ? name : "", p->ds[0].name, p->ds[1].name, p->ds[2].name);
        petal_status st = read_density(d, dv, name, &p->density[s]);
        if (st)
            return st;
        if (p->density[s].kind == PETAL_DENSITY_BANDED && petal_problem_banded_check(p)) {
            char why[256];
            snprintf(why, sizeof why, "%s", petal_error_message());
            return petal_yerror(d, dv, PETAL_EUNSUPPORTED, "densities: %s", why);
        }
    }
    return PETAL_OK;
}

/* Instance values: bounds for dimensions, values for coefficients. */
static petal_status read_instance(petal_ydoc *d, yaml_node_t *inst, petal_problem *p, coef_table *t)
{
    yaml_node_t *k, *v;
    PETAL_YMAP_EACH(d, inst, k, v)
    {
        const char *key = petal_yscalar(k);
        if (!key || strcmp(key, "<<") == 0 || strcmp(key, "shape") == 0 ||
            strcmp(key, "version") == 0)
            continue;
        int dim = petal_problem_dim(p, key);
        int coef = coef_find(t, key);
        petal_status st;
        if (dim >= 0) {
            if ((st = petal_yget_u64(d, v, key, &p->bounds[dim])))
                return st;
            if (p->bounds[dim] == 0)
                return petal_yerror(d, v, PETAL_EINVAL, "instance: %s must be at least 1", key);
        } else if (coef >= 0) {
            if ((st = petal_yget_i64(d, v, key, &t->values[coef])))
                return st;
        } else if (strcmp(key, "densities") == 0) {
            /* Read once the data spaces are known (load_problem). */
        } else if (!informational(key)) {
            petal_ywarn(d, k, "instance: '%s' is neither a dimension nor a coefficient (ignored)",
                        key);
        }
    }
    /* Merge keys (<<: *base) supply values the mapping does not list itself. */
    for (int dim = 0; dim < p->ndims; dim++) {
        if (p->bounds[dim])
            continue;
        yaml_node_t *val = petal_ymap_get(d, inst, p->dim_names[dim]);
        if (val) {
            petal_status st = petal_yget_u64(d, val, p->dim_names[dim], &p->bounds[dim]);
            if (st)
                return st;
        }
    }
    for (int c = 0; c < t->n; c++) {
        yaml_node_t *val = petal_ymap_get(d, inst, t->names[c]);
        if (val) {
            petal_status st = petal_yget_i64(d, val, t->names[c], &t->values[c]);
            if (st)
                return st;
        }
    }
    return PETAL_OK;
}

/* The file name without directory and extensions (from the first dot):
 * "prob/conv1.prob.yaml" -> "conv1". */
static petal_status file_stem(petal_ydoc *d, char *out, size_t size, const char *limit)
{
    const char *base = strrchr(d->source, '/');
    base = base ? base + 1 : d->source;
    const char *dot = strchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    petal_status st = petal_name_copyn(out, size, limit, "problem name (the file name)", base, len);
    return st ? petal_yprefix(d, NULL, st) : PETAL_OK;
}

static petal_status read_problem_node(petal_ydoc *d, yaml_node_t *prob, petal_problem *p)
{
    static const char *const known_problem[] = {"version", "shape", "instance", NULL};
    static const char *const known_shape[] = {
        "name", "dimensions", "coefficients", "data_spaces", "data-spaces", "version", NULL};
    memset(p, 0, sizeof *p);
    p->kind = PETAL_LAYER_GENERIC;
    p->batch_dim = -1;
    p->weights_are_params = true;

    yaml_node_t *shape = petal_ymap_get(d, prob, "shape");
    if (!petal_yis_map(shape))
        return petal_yerror(d, shape ? shape : prob, PETAL_EPARSE,
                            "problem: expected a 'shape' with dimensions and data_spaces");
    yaml_node_t *inst = petal_ymap_get(d, prob, "instance");
    if (inst) {
        petal_ywarn_unknown_keys(d, prob, known_problem, "problem");
    } else {
        /* v0.2/v0.3 files may put the instance's values directly under problem. */
        inst = prob;
    }
    petal_ywarn_unknown_keys(d, shape, known_shape, "problem shape");

    yaml_node_t *name = petal_ymap_get(d, shape, "name");
    petal_status st =
        name && petal_yscalar(name)
            ? petal_yget_name(d, name, "shape: name", PETAL_NAME_FIELD(p->name, PETAL_NAME_MAX))
            : file_stem(d, PETAL_NAME_FIELD(p->name, PETAL_NAME_MAX));
    if (st)
        return st;

    st = read_dimensions(d, petal_ymap_get(d, shape, "dimensions"), p);
    if (st)
        return st;
    coef_table coefs;
    if ((st = read_coefficients(d, petal_ymap_get(d, shape, "coefficients"), &coefs)))
        return st;
    if (!petal_yis_map(inst))
        return petal_yerror(d, inst, PETAL_EPARSE,
                            "problem: instance: expected a mapping of "
                            "dimension bounds");
    if ((st = read_instance(d, inst, p, &coefs)))
        return st;
    for (int dim = 0; dim < p->ndims; dim++)
        if (p->bounds[dim] == 0) {
            petal_ywarn(d, inst, "instance gives no bound for dimension %s: 1 assumed",
                        p->dim_names[dim]);
            p->bounds[dim] = 1;
        }

    yaml_node_t *spaces = get2(d, shape, "data_spaces", "data-spaces");
    if (!petal_yis_seq(spaces))
        return petal_yerror(d, spaces ? spaces : shape, PETAL_EPARSE,
                            "shape: expected a data_spaces list");
    space sp[MAX_SPACES];
    int n = 0;
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, spaces, item)
    {
        if (n == MAX_SPACES)
            return petal_yerror(d, item, PETAL_EUNSUPPORTED, "more than %d data spaces",
                                MAX_SPACES);
        if ((st = read_space(d, item, p, &coefs, &sp[n])))
            return st;
        n++;
    }
    if ((st = place_spaces(d, spaces, sp, n, p)))
        return st;
    if ((st = read_densities(d, petal_ymap_get(d, inst, "densities"), p)))
        return st;
    int batch = petal_problem_dim(p, "N");
    p->batch_dim = (int8_t)batch;
    st = petal_problem_check(p);
    if (st)
        return petal_error_prefix(st, "%s: ", d->path);
    return PETAL_OK;
}

petal_status petal_timeloop_read_problem(const char *path, petal_problem *p)
{
    petal_ydoc d;
    petal_status st = petal_tl_open(&d, path);
    if (st)
        return st;
    yaml_node_t *prob = petal_tl_top(&d, "problem");
    if (!petal_yis_map(prob)) {
        st = petal_yerror(&d, prob, PETAL_EPARSE,
                          "expected a top-level 'problem:' with a shape "
                          "and an instance");
    } else {
        if (petal_ymap_get(&d, prob, "<<<"))
            st = petal_yerror(&d, prob, PETAL_EUNSUPPORTED,
                              "problem: '<<<' (the Timeloop front "
                              "end's merge) is not YAML; render the file with the front end "
                              "first");
        else
            st = read_problem_node(&d, prob, p);
    }
    petal_ydoc_free(&d);
    return st;
}
