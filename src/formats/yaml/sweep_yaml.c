/* sweep_yaml.c - the sweep spec (docs/sweep.md): `sweep: {arch, energy_table,
 * networks, batch, dataflow, objective, vary, sample, seed, constraints}`.
 *
 * Every key is used or refused: an unknown key is a warning with its position, a
 * value of the wrong form an error naming the file, line and what was expected.
 * Files the spec names (architecture, networks) are found beside the spec. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/yaml/ydoc.h"
#include "petal/formats.h"
#include "petal/sweep.h"
#include "util/name.h"
#include "util/text.h"

static const char *const top_keys[] = {"sweep", NULL};
static const char *const sweep_keys[] = {"arch",     "energy_table", "networks", "batch",
                                         "dataflow", "objective",    "vary",     "sample",
                                         "seed",     "constraints",  "netadapt", NULL};
static const char *const param_keys[] = {"places", "values", "from", "to", "step", NULL};
static const char *const range_keys[] = {"from", "to", "step", NULL};
static const char *const constraint_keys[] = {"area_mm2", "latency_ms", NULL};

/* A name the spec gives for a file, resolved against the spec's folder when it is
 * a relative path with a file suffix (zoo names and presets stay names). A file
 * is kept in s->files, so that a resumed output is held to its bytes. */
static petal_status beside_spec(petal_ydoc *d, yaml_node_t *n, const char *spec_path,
                                const char *name, petal_sweep_spec *s, char *out, size_t size)
{
    bool file = petal_is_yaml_path(name) || petal_has_suffix(name, ".onnx");
    const char *slash = strrchr(spec_path, '/');
    if (!file || name[0] == '/' || !slash)
        snprintf(out, size, "%s", name);
    else
        snprintf(out, size, "%.*s/%s", (int)(slash - spec_path), spec_path, name);
    if (!file)
        return PETAL_OK;
    petal_sweep_file *f = &s->files[s->nfiles];
    if (s->nfiles == PETAL_SWEEP_MAX_FILES || strlen(name) >= sizeof f->name ||
        strlen(out) >= sizeof f->path)
        return petal_yerror(d, n, PETAL_EINVAL,
                            "sweep: %s: at most %d files, each name under %zu characters", name,
                            PETAL_SWEEP_MAX_FILES, sizeof f->name);
    snprintf(f->name, sizeof f->name, "%s", name);
    snprintf(f->path, sizeof f->path, "%s", out);
    s->nfiles++;
    return PETAL_OK;
}

/* Call `each` on a scalar or on every item of a list of scalars. */
typedef petal_status (*item_fn)(petal_ydoc *d, yaml_node_t *n, void *ctx);
static petal_status each_item(petal_ydoc *d, yaml_node_t *n, const char *what, item_fn each,
                              void *ctx)
{
    if (petal_yis_scalar(n))
        return each(d, n, ctx);
    if (!petal_yis_seq(n))
        return petal_yerror(d, n, PETAL_EPARSE, "sweep: %s: expected a value or a list", what);
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, n, item)
    {
        if (!petal_yis_scalar(item))
            return petal_yerror(d, item, PETAL_EPARSE, "sweep: %s: expected a single value", what);
        petal_status st = each(d, item, ctx);
        if (st)
            return st;
    }
    return PETAL_OK;
}

typedef struct reading {
    petal_sweep_spec *s;
    const char *path;
} reading;

static petal_status add_network(petal_ydoc *d, yaml_node_t *n, void *ctx)
{
    reading *r = ctx;
    petal_sweep_spec *s = r->s;
    if (s->nnetworks == PETAL_SWEEP_MAX_NETWORKS)
        return petal_yerror(d, n, PETAL_EINVAL, "sweep: networks: at most %d",
                            PETAL_SWEEP_MAX_NETWORKS);
    char file[1024];
    petal_status st = beside_spec(d, n, r->path, petal_yscalar(n), s, file, sizeof file);
    if (st)
        return st;
    st = petal_network_load(file, &s->networks[s->nnetworks]);
    if (st)
        return petal_yprefix(d, n, st);
    s->nnetworks++;
    return PETAL_OK;
}

static petal_status add_batch(petal_ydoc *d, yaml_node_t *n, void *ctx)
{
    petal_sweep_spec *s = ((reading *)ctx)->s;
    uint64_t b;
    petal_status st = petal_yget_u64(d, n, "sweep: batch", &b);
    if (st)
        return st;
    if (b < 1 || b > PETAL_BOUND_MAX)
        return petal_yerror(d, n, PETAL_EINVAL, "sweep: batch: expected 1 to %lld",
                            (long long)PETAL_BOUND_MAX);
    if (s->nbatches == PETAL_SWEEP_MAX_BATCHES)
        return petal_yerror(d, n, PETAL_EINVAL, "sweep: batch: at most %d sizes",
                            PETAL_SWEEP_MAX_BATCHES);
    s->batches[s->nbatches++] = b;
    return PETAL_OK;
}

static petal_status add_dataflow(petal_ydoc *d, yaml_node_t *n, void *ctx)
{
    petal_sweep_spec *s = ((reading *)ctx)->s;
    const char *name = petal_yscalar(n);
    if (s->ndataflows == PETAL_SWEEP_MAX_CHOICES)
        return petal_yerror(d, n, PETAL_EINVAL, "sweep: dataflow: at most %d",
                            PETAL_SWEEP_MAX_CHOICES);
    if (strcmp(name, "any") == 0) {
        s->dataflows[s->ndataflows++][0] = '\0';
        return PETAL_OK;
    }
    if (!petal_dataflow_known(name)) {
        char known[128];
        petal_dataflow_names(known, sizeof known);
        return petal_yerror(d, n, PETAL_ENOTFOUND,
                            "sweep: dataflow: unknown '%s'; expected any or one of %s", name,
                            known);
    }
    snprintf(s->dataflows[s->ndataflows++], PETAL_NAME_MAX, "%s", name);
    return PETAL_OK;
}

static petal_status add_objective(petal_ydoc *d, yaml_node_t *n, void *ctx)
{
    petal_sweep_spec *s = ((reading *)ctx)->s;
    if (s->nobjectives == PETAL_SWEEP_MAX_CHOICES)
        return petal_yerror(d, n, PETAL_EINVAL, "sweep: objective: at most %d",
                            PETAL_SWEEP_MAX_CHOICES);
    if (!petal_objective_parse(petal_yscalar(n), &s->objectives[s->nobjectives]))
        return petal_yerror(d, n, PETAL_EINVAL,
                            "sweep: objective: unknown '%s'; expected energy, delay or edp",
                            petal_yscalar(n));
    s->nobjectives++;
    return PETAL_OK;
}

/* A place in the layers' widths: `precision` (whole lists) or precision.NAME. */
static petal_status add_precision_place(petal_ydoc *d, yaml_node_t *n, const char *text,
                                        petal_sweep_param *p)
{
    int width = -1;
    if (text[9] == '.') {
        width = petal_precision_index(text + 10);
        if (width < 0)
            return petal_yerror(d, n, PETAL_EINVAL,
                                "sweep: vary: place '%s': '%s' is not a width of a layer; "
                                "expected precision.Weights, precision.Inputs, "
                                "precision.Outputs or precision.Psums",
                                text, text + 10);
    }
    if (p->nplaces == PETAL_SWEEP_MAX_PLACES)
        return petal_yerror(d, n, PETAL_EINVAL, "sweep: vary: at most %d places move together",
                            PETAL_SWEEP_MAX_PLACES);
    p->places[p->nplaces++] = (petal_sweep_place){-1, PETAL_SWEEP_PRECISION, width};
    return PETAL_OK;
}

/* LEVEL.FIELD, or array.mesh_x / array.mesh_y: every level replicated with the
 * MACs, and the MACs; or a width of the layers (precision, precision.NAME). */
static petal_status add_place(petal_ydoc *d, yaml_node_t *n, petal_sweep_spec *s,
                              petal_sweep_param *p)
{
    const char *text = petal_yscalar(n);
    if (text && strncmp(text, "precision", 9) == 0 && (text[9] == '\0' || text[9] == '.'))
        return add_precision_place(d, n, text, p);
    const char *dot = text ? strrchr(text, '.') : NULL;
    if (!dot)
        return petal_yerror(d, n, PETAL_EPARSE,
                            "sweep: vary: place '%s': expected LEVEL.FIELD (for example "
                            "glb.depth or array.mesh_x) or precision.NAME",
                            text ? text : "");
    const char *field = dot + 1;
    static const struct {
        const char *name;
        petal_sweep_field field;
    } fields[] = {{"depth", PETAL_SWEEP_DEPTH},       {"mesh_x", PETAL_SWEEP_MESH_X},
                  {"mesh_y", PETAL_SWEEP_MESH_Y},     {"read_bw", PETAL_SWEEP_READ_BW},
                  {"write_bw", PETAL_SWEEP_WRITE_BW}, {"word_bits", PETAL_SWEEP_WORD_BITS}};
    int f = -1;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (strcmp(field, fields[i].name) == 0)
            f = (int)i;
    if (f < 0)
        return petal_yerror(d, n, PETAL_EINVAL,
                            "sweep: vary: place '%s': unknown field '%s'; expected depth, "
                            "mesh_x, mesh_y, read_bw, write_bw or word_bits",
                            text, field);
    char level[PETAL_NAME_MAX];
    size_t len = (size_t)(dot - text);
    if (len >= sizeof level)
        return petal_yerror(d, n, PETAL_EINVAL, "sweep: vary: place '%s': level name too long",
                            text);
    memcpy(level, text, len);
    level[len] = '\0';
    petal_sweep_place places[PETAL_SWEEP_MAX_PLACES];
    size_t np = 0;
    int li = petal_arch_level(&s->arch, level);
    bool mesh = fields[f].field == PETAL_SWEEP_MESH_X || fields[f].field == PETAL_SWEEP_MESH_Y;
    bool bits = fields[f].field == PETAL_SWEEP_WORD_BITS;
    if (li >= 0) {
        places[np++] = (petal_sweep_place){li, fields[f].field, 0};
    } else if (strcmp(level, s->arch.arith.name) == 0 && (mesh || bits)) {
        places[np++] = (petal_sweep_place){-1, fields[f].field, 0};
    } else if (strcmp(level, "array") == 0 && mesh) {
        for (int l = 0; l < s->arch.nlevels && np < PETAL_SWEEP_MAX_PLACES - 1; l++)
            if (s->arch.levels[l].instances == s->arch.arith.instances)
                places[np++] = (petal_sweep_place){l, fields[f].field, 0};
        places[np++] = (petal_sweep_place){-1, fields[f].field, 0};
    } else {
        return petal_yerror(d, n, PETAL_ENOTFOUND,
                            "sweep: vary: place '%s': the architecture %s has no level '%s'%s",
                            text, s->arch.name, level,
                            strcmp(level, s->arch.arith.name) == 0
                                ? " with that field (the MACs have mesh_x, mesh_y and word_bits)"
                                : "");
    }
    for (size_t i = 0; i < np; i++) {
        if (p->nplaces == PETAL_SWEEP_MAX_PLACES)
            return petal_yerror(d, n, PETAL_EINVAL, "sweep: vary: at most %d places move together",
                                PETAL_SWEEP_MAX_PLACES);
        p->places[p->nplaces++] = places[i];
    }
    return PETAL_OK;
}

static petal_status read_number(petal_ydoc *d, yaml_node_t *n, const char *what, double *out)
{
    petal_status st = petal_yget_double(d, n, what, out);
    if (!st && (!isfinite(*out) || *out < 0))
        return petal_yerror(d, n, PETAL_EINVAL, "%s: expected a number >= 0", what);
    return st;
}

/* -1: no precision place; 0: widths (precision.NAME); 1: whole lists. */
static int precision_kind(const petal_sweep_param *p)
{
    int kind = -1;
    for (size_t i = 0; i < p->nplaces; i++)
        if (p->places[i].field == PETAL_SWEEP_PRECISION)
            kind = p->places[i].width < 0 ? 1 : (kind < 0 ? 0 : kind);
    return kind;
}

/* One value of a parameter with a precision place: a width (8, 16f, int8) or,
 * for `precision`, a whole list ("Weights=8,Inputs=8"). */
static petal_status read_width(petal_ydoc *d, yaml_node_t *item, petal_sweep_param *p, int kind)
{
    size_t v = p->nvalues;
    petal_precision *prec = &p->precisions[v];
    memset(prec, 0, sizeof *prec);
    const char *text = petal_yis_scalar(item) ? petal_yscalar(item) : NULL;
    if (!text)
        return petal_yerror(d, item, PETAL_EPARSE, "sweep: vary: %s: expected %s", p->name,
                            kind ? "a list of widths such as \"Weights=8,Inputs=8\""
                                 : "a width such as 8, 16f or int8");
    petal_status st;
    if (kind) {
        if ((st = petal_precision_parse(text, prec)))
            return petal_yprefix(d, item, st);
        p->values[v] = (double)v;
    } else {
        uint8_t bits;
        bool is_float;
        if ((st = petal_precision_parse_width(text, &bits, &is_float)))
            return petal_yprefix(d, item, st);
        p->values[v] = bits;
        prec->float_mask = is_float ? 0xff : 0; /* narrowed to the places below */
    }
    p->nvalues++;
    return PETAL_OK;
}

/* A width parameter's precisions from its values: each precision.NAME place
 * gets the value's width. */
static petal_status spread_widths(petal_ydoc *d, yaml_node_t *where, petal_sweep_param *p)
{
    for (size_t v = 0; v < p->nvalues; v++) {
        double x = p->values[v];
        if (x < 1 || x > PETAL_PRECISION_MAX_BITS || x != floor(x))
            return petal_yerror(d, where, PETAL_EINVAL,
                                "sweep: vary: %s: width %g; expected 1 to %d bits", p->name, x,
                                PETAL_PRECISION_MAX_BITS);
        petal_precision *prec = &p->precisions[v];
        bool is_float = prec->float_mask != 0;
        memset(prec, 0, sizeof *prec);
        for (size_t i = 0; i < p->nplaces; i++) {
            int w = p->places[i].width;
            if (p->places[i].field != PETAL_SWEEP_PRECISION || w < 0)
                continue;
            prec->bits[w] = (uint8_t)x;
            if (is_float)
                prec->float_mask |= (uint8_t)(1u << w);
        }
    }
    return PETAL_OK;
}

/* values: [a, b, ...] or from/to/step (to included) in `map`. */
static petal_status read_values(petal_ydoc *d, yaml_node_t *where, yaml_node_t *list,
                                yaml_node_t *map, petal_sweep_param *p)
{
    int kind = precision_kind(p);
    if (kind == 1 && p->nplaces > 1)
        return petal_yerror(d, where, PETAL_EINVAL,
                            "sweep: vary: %s: `precision` takes whole lists and moves alone; "
                            "use precision.NAME to move a width with other places",
                            p->name);
    if (kind == 1 && !list)
        return petal_yerror(d, where, PETAL_EPARSE,
                            "sweep: vary: %s: expected a list of widths such as "
                            "[\"Weights=8,Inputs=8\", \"Weights=16\"]",
                            p->name);
    if (list && kind >= 0) {
        if (!petal_yis_seq(list))
            return petal_yerror(d, list, PETAL_EPARSE, "sweep: vary: %s: expected a list of values",
                                p->name);
        yaml_node_t *item;
        PETAL_YSEQ_EACH(d, list, item)
        {
            if (p->nvalues == PETAL_SWEEP_MAX_VALUES)
                return petal_yerror(d, item, PETAL_EINVAL, "sweep: vary: %s: at most %d values",
                                    p->name, PETAL_SWEEP_MAX_VALUES);
            petal_status st = read_width(d, item, p, kind);
            if (st)
                return st;
        }
        return kind ? PETAL_OK : spread_widths(d, where, p);
    }
    if (list) {
        if (!petal_yis_seq(list))
            return petal_yerror(d, list, PETAL_EPARSE, "sweep: vary: %s: expected a list of values",
                                p->name);
        yaml_node_t *item;
        PETAL_YSEQ_EACH(d, list, item)
        {
            if (p->nvalues == PETAL_SWEEP_MAX_VALUES)
                return petal_yerror(d, item, PETAL_EINVAL, "sweep: vary: %s: at most %d values",
                                    p->name, PETAL_SWEEP_MAX_VALUES);
            petal_status st = read_number(d, item, "sweep: vary: value", &p->values[p->nvalues]);
            if (st)
                return st;
            p->nvalues++;
        }
        return PETAL_OK;
    }
    yaml_node_t *from = petal_ymap_get(d, map, "from"), *to = petal_ymap_get(d, map, "to"),
                *step = petal_ymap_get(d, map, "step");
    if (!from || !to || !step)
        return petal_yerror(d, where, PETAL_EPARSE,
                            "sweep: vary: %s: expected a list of values or from, to and step",
                            p->name);
    double a, b, h;
    petal_status st;
    if ((st = read_number(d, from, "sweep: vary: from", &a)) ||
        (st = read_number(d, to, "sweep: vary: to", &b)) ||
        (st = read_number(d, step, "sweep: vary: step", &h)))
        return st;
    if (h <= 0 || b < a)
        return petal_yerror(d, where, PETAL_EINVAL,
                            "sweep: vary: %s: expected from <= to and a step > 0", p->name);
    double count = floor((b - a) / h + 1e-9) + 1;
    if (count > PETAL_SWEEP_MAX_VALUES)
        return petal_yerror(d, where, PETAL_EINVAL, "sweep: vary: %s: %.0f values, at most %d",
                            p->name, count, PETAL_SWEEP_MAX_VALUES);
    for (size_t i = 0; i < (size_t)count; i++)
        p->values[p->nvalues++] = a + (double)i * h;
    return kind == 0 ? spread_widths(d, where, p) : PETAL_OK;
}

static petal_status read_param(petal_ydoc *d, yaml_node_t *key, yaml_node_t *val,
                               petal_sweep_spec *s)
{
    if (s->nparams == PETAL_SWEEP_MAX_PARAMS)
        return petal_yerror(d, key, PETAL_EINVAL, "sweep: vary: at most %d parameters",
                            PETAL_SWEEP_MAX_PARAMS);
    petal_sweep_param *p = &s->params[s->nparams];
    memset(p, 0, sizeof *p);
    petal_status st = petal_yget_name(d, key, "sweep: vary: parameter name",
                                      PETAL_NAME_FIELD(p->name, PETAL_NAME_MAX));
    if (st)
        return st;
    for (size_t i = 0; i < s->nparams; i++)
        if (strcmp(s->params[i].name, p->name) == 0)
            return petal_yerror(d, key, PETAL_EINVAL, "sweep: vary: %s given twice", p->name);
    yaml_node_t *places = petal_yis_map(val) ? petal_ymap_get(d, val, "places") : NULL;
    if (places) {
        petal_ywarn_unknown_keys(d, val, param_keys, "sweep: vary");
        if (!petal_yis_seq(places))
            return petal_yerror(d, places, PETAL_EPARSE,
                                "sweep: vary: %s: places: expected a list of LEVEL.FIELD", p->name);
        yaml_node_t *item;
        PETAL_YSEQ_EACH(d, places, item)
        if ((st = add_place(d, item, s, p)))
            return st;
        st = read_values(d, val, petal_ymap_get(d, val, "values"), val, p);
    } else {
        if ((st = add_place(d, key, s, p)))
            return st;
        if (petal_yis_map(val))
            petal_ywarn_unknown_keys(d, val, range_keys, "sweep: vary");
        st = read_values(d, val, petal_yis_seq(val) ? val : NULL, val, p);
    }
    if (!st && p->nplaces == 0)
        return petal_yerror(d, key, PETAL_EINVAL, "sweep: vary: %s: no place", p->name);
    if (!st && p->nvalues == 0)
        return petal_yerror(d, val, PETAL_EINVAL, "sweep: vary: %s: no values", p->name);
    if (!st)
        s->nparams++;
    return st;
}

static petal_status read_sweep(petal_ydoc *d, yaml_node_t *top, const char *path,
                               petal_sweep_spec *s)
{
    petal_ywarn_unknown_keys(d, top, sweep_keys, "sweep");
    reading r = {s, path};
    petal_status st;
    yaml_node_t *an = petal_ymap_get(d, top, "arch");
    if (!an || !petal_yis_scalar(an))
        return petal_yerror(d, an ? an : top, PETAL_EPARSE,
                            "sweep: arch: expected a preset name or an architecture file");
    char given[512], file[1024];
    if ((st = petal_yget_str(d, an, "sweep: arch", given, sizeof given)))
        return st;
    snprintf(s->arch_name, sizeof s->arch_name, "%.*s", PETAL_NAME_MAX - 1, given);
    if ((st = beside_spec(d, an, path, given, s, file, sizeof file)))
        return st;
    if ((st = petal_arch_load(file, &s->arch)))
        return petal_yprefix(d, an, st);
    const char *table = petal_arch_preset_energy_table(given);
    yaml_node_t *en = petal_ymap_get(d, top, "energy_table");
    if (en) {
        table = petal_yscalar(en);
        if (!table || !table[0])
            return petal_yerror(d, en, PETAL_EPARSE, "sweep: energy_table: expected a name");
    }
    if (table && (st = petal_energy_table_get(table, &s->energy_table)))
        return petal_yprefix(d, en ? en : an, st);

    yaml_node_t *n = petal_ymap_get(d, top, "networks");
    if (!n)
        return petal_yerror(d, top, PETAL_EPARSE,
                            "sweep: networks is missing; expected a zoo name, a file or a list");
    if ((st = each_item(d, n, "networks", add_network, &r)))
        return st;
    if ((n = petal_ymap_get(d, top, "batch")) && (st = each_item(d, n, "batch", add_batch, &r)))
        return st;
    if ((n = petal_ymap_get(d, top, "dataflow")) &&
        (st = each_item(d, n, "dataflow", add_dataflow, &r)))
        return st;
    if ((n = petal_ymap_get(d, top, "objective")) &&
        (st = each_item(d, n, "objective", add_objective, &r)))
        return st;
    if ((n = petal_ymap_get(d, top, "vary"))) {
        if (!petal_yis_map(n))
            return petal_yerror(d, n, PETAL_EPARSE,
                                "sweep: vary: expected PLACE: [values] or {from, to, step}");
        yaml_node_t *k, *v;
        PETAL_YMAP_EACH(d, n, k, v)
        if ((st = read_param(d, k, v, s)))
            return st;
    }
    if ((n = petal_ymap_get(d, top, "sample")) &&
        (st = petal_yget_u64(d, n, "sweep: sample", &s->sample)))
        return st;
    if ((n = petal_ymap_get(d, top, "seed")) &&
        (st = petal_yget_u64(d, n, "sweep: seed", &s->seed)))
        return st;
    if ((n = petal_ymap_get(d, top, "constraints"))) {
        if (!petal_yis_map(n))
            return petal_yerror(d, n, PETAL_EPARSE,
                                "sweep: constraints: expected {area_mm2: cap, latency_ms: cap}");
        petal_ywarn_unknown_keys(d, n, constraint_keys, "sweep: constraints");
        yaml_node_t *c;
        if ((c = petal_ymap_get(d, n, "area_mm2")) &&
            (st = read_number(d, c, "sweep: constraints: area_mm2", &s->max_area_mm2)))
            return st;
        if ((c = petal_ymap_get(d, n, "latency_ms")) &&
            (st = read_number(d, c, "sweep: constraints: latency_ms", &s->max_latency_ms)))
            return st;
    }
    if ((n = petal_ymap_get(d, top, "netadapt"))) {
        yaml_node_t *f = petal_yis_map(n) ? petal_ymap_get(d, n, "fractions") : NULL;
        if (!f || !petal_yis_seq(f))
            return petal_yerror(d, n, PETAL_EPARSE,
                                "sweep: netadapt: expected {fractions: [1, 0.75, 0.5, ...]}");
        yaml_node_t *item;
        PETAL_YSEQ_EACH(d, f, item)
        {
            if (s->nfractions == PETAL_SWEEP_MAX_CHOICES)
                return petal_yerror(d, item, PETAL_EINVAL, "sweep: netadapt: at most %d fractions",
                                    PETAL_SWEEP_MAX_CHOICES);
            double x;
            if ((st = read_number(d, item, "sweep: netadapt: fraction", &x)))
                return st;
            if (!(x > 0 && x <= 1))
                return petal_yerror(d, item, PETAL_EINVAL,
                                    "sweep: netadapt: fraction %g: expected more than 0 and at "
                                    "most 1",
                                    x);
            s->fractions[s->nfractions++] = x;
        }
        if (s->nfractions == 0)
            return petal_yerror(d, f, PETAL_EINVAL, "sweep: netadapt: no fractions");
    }
    if ((st = petal_sweep_spec_finish(s)))
        return petal_yprefix(d, top, st);
    return PETAL_OK;
}

petal_status petal_sweep_spec_load(const char *path, petal_sweep_spec *out)
{
    memset(out, 0, sizeof *out);
    petal_ydoc d;
    petal_status st = petal_ydoc_load_file(&d, path);
    if (st)
        return st;
    yaml_node_t *root = petal_ydoc_root(&d);
    yaml_node_t *top = petal_yis_map(root) ? petal_ymap_get(&d, root, "sweep") : NULL;
    if (!top || !petal_yis_map(top)) {
        st = petal_yerror(&d, top ? top : root, PETAL_EPARSE,
                          "expected a mapping with the key sweep: {arch, networks, vary, ...}");
    } else {
        petal_ywarn_unknown_keys(&d, root, top_keys, "the spec");
        st = read_sweep(&d, top, path, out);
    }
    petal_ydoc_free(&d);
    if (st)
        petal_sweep_spec_free(out);
    return st;
}
