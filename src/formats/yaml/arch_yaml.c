/* arch_yaml.c - petal's native YAML architecture format (docs/formats.md,
 * "Architectures"). (Choosing preset or file: formats/load.c.)
 *
 * The reader fills a petal_arch field by field, leaving every energy and area
 * the file does not give as NaN; the named energy table then fills those. Every
 * rejection names file:line:column and the field. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "formats/yaml/constraints_yaml.h"
#include "formats/yaml/sparse_yaml.h"
#include "formats/yaml/ydoc.h"
#include "petal/arch.h"
#include "petal/energy.h"
#include "petal/formats.h"
#include "util/name.h"

#define DEFAULT_WORD_BITS 16
#define DEFAULT_CLOCK_MHZ 1000.0
#define MAX_WORD_BITS 4096

static const char *const arch_keys[] = {"name",        "description", "clock_mhz", "energy",
                                        "energy_unit", "word_bits",   "levels",    "arithmetic",
                                        "constraints", NULL};
static const char *const level_keys[] = {
    "name",         "class",     "depth",   "word_bits",  "block_size",  "instances",
    "mesh_x",       "mesh_y",    "read_bw", "write_bw",   "data_spaces", "read_pj",
    "fill_pj",      "update_pj", "leak_pj", "hop_pj",     "area_um2",    "max_bits",
    "network_bits", "sparse",    "forward", "forward_pj", NULL};
static const char *const arith_keys[] = {
    "name",     "instances", "mesh_x",        "mesh_y",         "word_bits", "type", "mac_pj",
    "area_um2", "max_bits",  "max_psum_bits", "bits_per_cycle", "sparse",    NULL};

/* Where each level was written, for messages about relations between levels. */
typedef struct level_nodes {
    yaml_node_t *item;                  /* the level's mapping */
    yaml_node_t *instances;             /* its instances or mesh, whichever came first */
    yaml_node_t *forward[PETAL_NUM_DS]; /* the axis each data space is forwarded along */
} level_nodes;

static void field_name(char *buf, size_t size, const char *ctx, const char *key)
{
    snprintf(buf, size, "%s: %s", ctx, key);
}

static petal_status opt_u64(petal_ydoc *d, yaml_node_t *map, const char *key, const char *ctx,
                            uint64_t *out, yaml_node_t **node)
{
    yaml_node_t *n = petal_ymap_get(d, map, key);
    if (node)
        *node = n;
    if (!n)
        return PETAL_OK;
    char what[160];
    field_name(what, sizeof what, ctx, key);
    return petal_yget_u64(d, n, what, out);
}

/* A non-negative number; absent leaves *out as it was. */
static petal_status opt_nonneg(petal_ydoc *d, yaml_node_t *map, const char *key, const char *ctx,
                               double *out)
{
    yaml_node_t *n = petal_ymap_get(d, map, key);
    if (!n)
        return PETAL_OK;
    char what[160];
    field_name(what, sizeof what, ctx, key);
    double v;
    petal_status st = petal_yget_double(d, n, what, &v);
    if (st)
        return st;
    if (v < 0)
        return petal_yerror(d, n, PETAL_EINVAL, "%s: expected a number >= 0, found %g", what, v);
    *out = v;
    return PETAL_OK;
}

static petal_status opt_u32_range(petal_ydoc *d, yaml_node_t *map, const char *key, const char *ctx,
                                  uint64_t lo, uint64_t hi, uint32_t *out, yaml_node_t **node)
{
    uint64_t v = *out;
    yaml_node_t *n;
    petal_status st = opt_u64(d, map, key, ctx, &v, &n);
    if (node)
        *node = n;
    if (st || !n)
        return st;
    if (v < lo || v > hi)
        return petal_yerror(d, n, PETAL_EINVAL, "%s: %s: expected %llu to %llu, found %llu", ctx,
                            key, (unsigned long long)lo, (unsigned long long)hi,
                            (unsigned long long)v);
    *out = (uint32_t)v;
    return PETAL_OK;
}

/* instances, mesh_x and mesh_y: any subset; the mesh defaults to instances x 1. */
static petal_status read_instances(petal_ydoc *d, yaml_node_t *map, const char *ctx,
                                   uint64_t *instances, uint32_t *mesh_x, uint32_t *mesh_y,
                                   yaml_node_t **where)
{
    uint64_t inst = 0;
    uint32_t mx = 1, my = 1;
    yaml_node_t *ni, *nx, *ny;
    petal_status st = opt_u64(d, map, "instances", ctx, &inst, &ni);
    if (!st)
        st = opt_u32_range(d, map, "mesh_x", ctx, 1, UINT32_MAX, &mx, &nx);
    if (!st)
        st = opt_u32_range(d, map, "mesh_y", ctx, 1, UINT32_MAX, &my, &ny);
    if (st)
        return st;
    *where = ni ? ni : nx ? nx : ny ? ny : map;
    if (ni && inst == 0)
        return petal_yerror(d, ni, PETAL_EINVAL, "%s: instances: expected at least 1, found 0",
                            ctx);
    if (!ni) {
        inst = (uint64_t)mx * my;
    } else if (!nx && !ny) {
        if (inst > UINT32_MAX)
            return petal_yerror(d, ni, PETAL_EINVAL,
                                "%s: instances: %llu is too many for a mesh of one row", ctx,
                                (unsigned long long)inst);
        mx = (uint32_t)inst;
    } else if ((uint64_t)mx * my != inst) {
        return petal_yerror(d, ni, PETAL_EINVAL,
                            "%s: instances: %llu, but mesh_x * mesh_y is %u x %u = %llu", ctx,
                            (unsigned long long)inst, mx, my, (unsigned long long)mx * my);
    }
    *instances = inst;
    *mesh_x = mx;
    *mesh_y = my;
    return PETAL_OK;
}

static petal_status read_data_spaces(petal_ydoc *d, yaml_node_t *n, const char *ctx, uint8_t *mask)
{
    if (!petal_yis_seq(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "%s: data_spaces: expected a list such as [Weights, Inputs, Outputs]",
                            ctx);
    uint8_t m = 0;
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, n, item)
    {
        const char *s = petal_yscalar(item);
        int ds = s ? petal_ds_from_name(s) : -1;
        if (ds < 0)
            return petal_yerror(d, item, PETAL_EINVAL,
                                "%s: data_spaces: '%s' is not a data space (expected Weights, "
                                "Inputs or Outputs)",
                                ctx, s ? s : "(not a name)");
        m |= (uint8_t)(1u << ds);
    }
    *mask = m;
    return PETAL_OK;
}

/* One link's width in bits per cycle; widths beyond 32 bits are as good as
 * unlimited and kept at the largest. */
static petal_status read_link_bits(petal_ydoc *d, yaml_node_t *n, const char *what, uint32_t *out)
{
    uint64_t v;
    petal_status st = petal_yget_u64(d, n, what, &v);
    if (!st)
        *out = (uint32_t)(v > UINT32_MAX ? UINT32_MAX : v);
    return st;
}

/* network_bits: one width for every data space, or {Weights: 64, Inputs: 16,
 * ...}; each at least one of the level's words (a narrower link could never
 * carry a word in a cycle's transfer). */
static petal_status read_network_bits(petal_ydoc *d, yaml_node_t *map, const char *ctx,
                                      petal_level *l)
{
    yaml_node_t *n = petal_ymap_get(d, map, "network_bits");
    if (!n)
        return PETAL_OK;
    char what[160];
    field_name(what, sizeof what, ctx, "network_bits");
    if (!petal_yis_map(n)) {
        uint32_t bits;
        petal_status st = read_link_bits(d, n, what, &bits);
        if (st)
            return st;
        for (int s = 0; s < PETAL_NUM_DS; s++)
            l->network_bits[s] = bits;
    } else {
        yaml_node_t *k, *vn;
        PETAL_YMAP_EACH(d, n, k, vn)
        {
            const char *name = petal_yscalar(k);
            int ds = name ? petal_ds_from_name(name) : -1;
            if (ds < 0)
                return petal_yerror(d, k, PETAL_EINVAL,
                                    "%s: network_bits: '%s' is not a data space (expected "
                                    "Weights, Inputs or Outputs)",
                                    ctx, name ? name : "(not a name)");
            petal_status st = read_link_bits(d, vn, what, &l->network_bits[ds]);
            if (st)
                return st;
        }
    }
    for (int s = 0; s < PETAL_NUM_DS; s++)
        if (l->network_bits[s] && l->network_bits[s] < l->word_bits)
            return petal_yerror(d, n, PETAL_EINVAL,
                                "%s: network_bits: the %s link carries %u bits per cycle, "
                                "narrower than one %u-bit word of the level",
                                ctx, petal_ds_canonical_name(s), l->network_bits[s], l->word_bits);
    return PETAL_OK;
}

/* forward: {Inputs: Y, Outputs: X}: data spaces passed PE to PE along an
 * axis of the fan-out below the level (docs/systolic.md). Whether the axis
 * has the children is checked once the levels below are read. */
static petal_status read_forward(petal_ydoc *d, yaml_node_t *map, const char *ctx, petal_level *l,
                                 level_nodes *where)
{
    yaml_node_t *n = petal_ymap_get(d, map, "forward");
    if (!n || petal_yis_null(n))
        return PETAL_OK;
    if (!petal_yis_map(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "%s: forward: expected a mapping of data spaces to an axis, such as "
                            "{Inputs: Y, Outputs: X}",
                            ctx);
    yaml_node_t *k, *vn;
    PETAL_YMAP_EACH(d, n, k, vn)
    {
        const char *name = petal_yscalar(k);
        int ds = name ? petal_ds_from_name(name) : -1;
        if (ds < 0)
            return petal_yerror(d, k, PETAL_EINVAL,
                                "%s: forward: '%s' is not a data space (expected Weights, Inputs "
                                "or Outputs)",
                                ctx, name ? name : "(not a name)");
        const char *axis = petal_yscalar(vn);
        if (axis && (strcmp(axis, "X") == 0 || strcmp(axis, "x") == 0))
            l->forward[ds] = PETAL_FORWARD_X;
        else if (axis && (strcmp(axis, "Y") == 0 || strcmp(axis, "y") == 0))
            l->forward[ds] = PETAL_FORWARD_Y;
        else if (axis && strcmp(axis, "none") == 0)
            l->forward[ds] = PETAL_FORWARD_NONE;
        else
            return petal_yerror(d, vn, PETAL_EINVAL,
                                "%s: forward: %s: expected X, Y or none, found '%s'", ctx,
                                petal_ds_canonical_name(ds), axis ? axis : "(not a name)");
        where->forward[ds] = vn;
    }
    return PETAL_OK;
}

/* Forwarding needs neighbours: the axis of the fan-out below the level must
 * have at least two children. Said where the axis is written. */
static petal_status check_forward_axes(petal_ydoc *d, const petal_arch *a, const level_nodes *where)
{
    for (int i = 0; i < a->nlevels; i++) {
        const petal_level *l = &a->levels[i];
        uint32_t fx, fy;
        petal_arch_fanout(a, i, &fx, &fy);
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            if (!l->forward[s])
                continue;
            bool x = l->forward[s] == PETAL_FORWARD_X;
            uint32_t along = x ? fx : fy;
            if (along < 2)
                return petal_yerror(d, where[i].forward[s], PETAL_EINVAL,
                                    "level %s: forward: %s along %s, but the fan-out below the "
                                    "level has %u %s along %s (%ux%u); forwarding needs at least "
                                    "2 (docs/systolic.md)",
                                    l->name, petal_ds_canonical_name(s), x ? "X" : "Y", along,
                                    along == 1 ? "child" : "children", x ? "X" : "Y", fx, fy);
        }
    }
    return PETAL_OK;
}

/* A format or an action on a data space the level may not hold would never
 * apply: say so rather than carry a feature that changes nothing. */
static petal_status check_sparse_keeps(petal_ydoc *d, yaml_node_t *sparse, const char *ctx,
                                       const petal_level *l)
{
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        bool used = l->sparse.format[s].nranks != 0;
        for (int k = 0; k < l->sparse.nopts; k++)
            used |= l->sparse.opts[k].target == s;
        if (used && !(l->may_keep & (1u << s)))
            return petal_yerror(d, sparse, PETAL_EINVAL,
                                "%s: sparse: %s is coded or gated here, but the level does not "
                                "hold it (data_spaces)",
                                ctx, petal_ds_canonical_name(s));
    }
    return PETAL_OK;
}

static petal_status read_level(petal_ydoc *d, yaml_node_t *n, int index, uint32_t word_bits,
                               bool have_table, petal_level *l, level_nodes *where)
{
    char ctx[PETAL_NAME_MAX + 16];
    if (!petal_yis_map(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "levels[%d]: expected a mapping with name, class, "
                            "depth, ...",
                            index);
    snprintf(ctx, sizeof ctx, "levels[%d]", index);
    yaml_node_t *nn = petal_ymap_get(d, n, "name");
    char what[160];
    field_name(what, sizeof what, ctx, "name");
    if (!nn)
        return petal_yerror(d, n, PETAL_EPARSE, "%s: name is missing", ctx);
    petal_status st = petal_yget_name(d, nn, what, PETAL_NAME_FIELD(l->name, PETAL_NAME_MAX));
    if (st)
        return st;
    if (l->name[0] == '\0')
        return petal_yerror(d, nn, PETAL_EINVAL, "%s: expected a non-empty name", what);
    snprintf(ctx, sizeof ctx, "level %s", l->name);
    petal_ywarn_unknown_keys(d, n, level_keys, ctx);

    yaml_node_t *cn = petal_ymap_get(d, n, "class");
    const char *cs = petal_yscalar(cn);
    if (!cn)
        return petal_yerror(d, n, PETAL_EPARSE,
                            "%s: class is missing; expected DRAM, SRAM, regfile or none", ctx);
    if (!cs || !petal_mem_class_parse(cs, &l->cls))
        return petal_yerror(d, cn, PETAL_EINVAL,
                            "%s: class: expected DRAM, SRAM, regfile or none, found '%s'", ctx,
                            cs ? cs : "(not a name)");
    bool on_chip = l->cls == PETAL_MEM_SRAM || l->cls == PETAL_MEM_REGFILE;

    yaml_node_t *dn;
    l->depth = 0;
    st = opt_u64(d, n, "depth", ctx, &l->depth, &dn);
    if (st)
        return st;
    if (on_chip && l->depth == 0)
        return petal_yerror(d, dn ? dn : n, PETAL_EINVAL,
                            "%s: depth: a %s level needs a depth of at least 1 word", ctx,
                            petal_mem_class_name(l->cls));
    if (l->cls == PETAL_MEM_NONE && l->depth != 0)
        return petal_yerror(d, dn, PETAL_EINVAL,
                            "%s: depth: a level of class none stores nothing (remove depth)", ctx);

    l->word_bits = word_bits;
    l->block_size = 1;
    st = opt_u32_range(d, n, "word_bits", ctx, 1, MAX_WORD_BITS, &l->word_bits, NULL);
    if (!st)
        st = opt_u32_range(d, n, "block_size", ctx, 1, UINT32_MAX, &l->block_size, NULL);
    if (!st)
        st = read_instances(d, n, ctx, &l->instances, &l->mesh_x, &l->mesh_y, &where->instances);
    if (!st)
        st = opt_nonneg(d, n, "read_bw", ctx, &l->read_bw);
    if (!st)
        st = opt_nonneg(d, n, "write_bw", ctx, &l->write_bw);
    if (!st) /* docs/precision.md: the widest value it holds */
        st = opt_u32_range(d, n, "max_bits", ctx, 1, PETAL_PRECISION_MAX_BITS, &l->max_bits, NULL);
    if (!st)
        st = read_network_bits(d, n, ctx, l);
    if (!st)
        st = read_forward(d, n, ctx, l, where);
    if (st)
        return st;

    yaml_node_t *sn = petal_ymap_get(d, n, "data_spaces");
    l->may_keep = l->cls == PETAL_MEM_NONE ? 0 : PETAL_KEEP_ALL;
    if (sn) {
        st = read_data_spaces(d, sn, ctx, &l->may_keep);
        if (st)
            return st;
        if (l->cls == PETAL_MEM_NONE && l->may_keep)
            return petal_yerror(d, sn, PETAL_EINVAL,
                                "%s: data_spaces: a level of class none stores nothing", ctx);
    }

    yaml_node_t *sparse = petal_ymap_get(d, n, "sparse");
    if (sparse && !petal_yis_null(sparse)) {
        if (l->cls == PETAL_MEM_NONE)
            return petal_yerror(d, sparse, PETAL_EINVAL,
                                "%s: sparse: a level of class none stores nothing to code or gate",
                                ctx);
        if ((st = petal_sparse_yaml_block(d, sparse, ctx, &l->sparse, NULL)) ||
            (st = check_sparse_keeps(d, sparse, ctx, l)))
            return st;
    }

    struct {
        const char *key;
        double *field;
    } energies[] = {
        {"read_pj", &l->read_pj},       {"fill_pj", &l->fill_pj}, {"update_pj", &l->update_pj},
        {"leak_pj", &l->leak_pj},       {"hop_pj", &l->hop_pj},   {"area_um2", &l->area_um2},
        {"forward_pj", &l->forward_pj},
    };
    for (size_t i = 0; i < sizeof energies / sizeof energies[0]; i++) {
        *energies[i].field = NAN;
        st = opt_nonneg(d, n, energies[i].key, ctx, energies[i].field);
        if (st)
            return st;
    }
    /* An update writes a word as a fill does. */
    if (isnan(l->update_pj) && !isnan(l->fill_pj))
        l->update_pj = l->fill_pj;
    if (!have_table) {
        if (l->cls == PETAL_MEM_NONE) {
            if (isnan(l->read_pj))
                l->read_pj = 0;
            if (isnan(l->fill_pj))
                l->fill_pj = l->update_pj = 0;
        }
        const char *missing = isnan(l->read_pj) ? "read_pj" : isnan(l->fill_pj) ? "fill_pj" : NULL;
        if (missing)
            return petal_yerror(d, n, PETAL_EINVAL,
                                "%s: %s is missing and the architecture names no energy table "
                                "(energy: eyeriss-65nm or horowitz-45nm)",
                                ctx, missing);
        double *zero_default[] = {&l->leak_pj, &l->hop_pj, &l->area_um2};
        for (size_t i = 0; i < 3; i++)
            if (isnan(*zero_default[i]))
                *zero_default[i] = 0;
    }
    where->item = n;
    return PETAL_OK;
}

static petal_status read_arith(petal_ydoc *d, yaml_node_t *n, uint32_t word_bits,
                               const petal_energy_table *table, petal_arith *m, yaml_node_t **where)
{
    const char *ctx = "arithmetic";
    if (!petal_yis_map(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "arithmetic: expected a mapping with instances, word_bits, ...");
    petal_ywarn_unknown_keys(d, n, arith_keys, ctx);
    snprintf(m->name, sizeof m->name, "mac");
    yaml_node_t *nn = petal_ymap_get(d, n, "name");
    petal_status st =
        nn ? petal_yget_name(d, nn, "arithmetic: name", PETAL_NAME_FIELD(m->name, PETAL_NAME_MAX))
           : PETAL_OK;
    if (!st)
        st = read_instances(d, n, ctx, &m->instances, &m->mesh_x, &m->mesh_y, where);
    m->word_bits = word_bits;
    if (!st)
        st = opt_u32_range(d, n, "word_bits", ctx, 1, 64, &m->word_bits, NULL);
    /* docs/precision.md: the widths the MACs take, and bit-serial operation. */
    if (!st)
        st = opt_u32_range(d, n, "max_bits", ctx, 1, PETAL_PRECISION_MAX_BITS, &m->max_bits, NULL);
    if (!st)
        st = opt_u32_range(d, n, "max_psum_bits", ctx, 1, PETAL_PRECISION_MAX_BITS,
                           &m->max_psum_bits, NULL);
    if (!st)
        st = opt_u32_range(d, n, "bits_per_cycle", ctx, 1, PETAL_PRECISION_MAX_BITS,
                           &m->bits_per_cycle, NULL);
    yaml_node_t *sparse = petal_ymap_get(d, n, "sparse");
    if (!st && sparse && !petal_yis_null(sparse))
        st = petal_sparse_yaml_block(d, sparse, ctx, NULL, &m->sparse);
    if (st)
        return st;

    bool is_float = false;
    yaml_node_t *tn = petal_ymap_get(d, n, "type");
    if (tn) {
        const char *ts = petal_yscalar(tn);
        if (ts && strcmp(ts, "fp") == 0)
            is_float = m->is_float = true;
        else if (!ts || strcmp(ts, "int") != 0)
            return petal_yerror(d, tn, PETAL_EINVAL,
                                "arithmetic: type: expected int or fp, "
                                "found '%s'",
                                ts ? ts : "(not a name)");
    }
    m->mac_pj = m->area_um2 = NAN;
    st = opt_nonneg(d, n, "mac_pj", ctx, &m->mac_pj);
    if (!st)
        st = opt_nonneg(d, n, "area_um2", ctx, &m->area_um2);
    if (st)
        return st;
    if (table && (isnan(m->mac_pj) || isnan(m->area_um2))) {
        double pj, area;
        if (petal_energy_mac(table, m->word_bits, is_float, &pj, &area))
            return petal_yerror(d, n, PETAL_EINVAL, "arithmetic: %s", petal_error_message());
        if (isnan(m->mac_pj))
            m->mac_pj = pj;
        if (isnan(m->area_um2))
            m->area_um2 = area;
    }
    if (isnan(m->mac_pj))
        return petal_yerror(d, n, PETAL_EINVAL,
                            "arithmetic: mac_pj is missing and the architecture names no energy "
                            "table (energy: eyeriss-65nm or horowitz-45nm)");
    if (isnan(m->area_um2))
        m->area_um2 = 0;
    return PETAL_OK;
}

/* Level i's instances must divide those of what sits below it; say so at the
 * place where the inner instances are written. */
static petal_status check_fanouts(petal_ydoc *d, const petal_arch *a, const level_nodes *where,
                                  yaml_node_t *arith_where)
{
    for (int i = 0; i < a->nlevels; i++) {
        const petal_level *l = &a->levels[i];
        bool last = i + 1 == a->nlevels;
        uint64_t inner = last ? a->arith.instances : a->levels[i + 1].instances;
        uint32_t mx = last ? a->arith.mesh_x : a->levels[i + 1].mesh_x;
        uint32_t my = last ? a->arith.mesh_y : a->levels[i + 1].mesh_y;
        const char *inner_name = last ? "arithmetic" : a->levels[i + 1].name;
        yaml_node_t *at = last ? arith_where : where[i + 1].instances;
        if (inner < l->instances || inner % l->instances || mx % l->mesh_x || my % l->mesh_y)
            return petal_yerror(d, at, PETAL_EINVAL,
                                "%s: instances: a %ux%u mesh is not a whole multiple of the "
                                "%ux%u mesh of level %s above it",
                                inner_name, mx, my, l->mesh_x, l->mesh_y, l->name);
    }
    return PETAL_OK;
}

static petal_status read_arch(petal_ydoc *d, petal_arch *a)
{
    yaml_node_t *root = petal_ydoc_root(d);
    yaml_node_t *top = petal_ymap_get(d, root, "architecture");
    if (!top)
        return petal_yerror(d, root, PETAL_EPARSE,
                            "expected a mapping with the key 'architecture' (docs/formats.md)");
    static const char *const root_keys[] = {"architecture", NULL};
    petal_ywarn_unknown_keys(d, root, root_keys, "the file");
    if (!petal_yis_map(top))
        return petal_yerror(d, top, PETAL_EPARSE,
                            "architecture: expected a mapping with name, levels, arithmetic, ...");
    petal_ywarn_unknown_keys(d, top, arch_keys, "architecture");

    memset(a, 0, sizeof *a);
    yaml_node_t *n = petal_ymap_get(d, top, "name");
    petal_status st;
    if (n) {
        st = petal_yget_name(d, n, "architecture: name", PETAL_NAME_FIELD(a->name, PETAL_NAME_MAX));
    } else {
        /* No name: the file's, without directory and extension. */
        size_t len;
        const char *stem = petal_path_stem(d->source, &len);
        st = petal_name_copyn(PETAL_NAME_FIELD(a->name, PETAL_NAME_MAX),
                              "architecture name (the file name)", stem, len);
        if (st)
            st = petal_yprefix(d, NULL, st);
    }
    if (st)
        return st;

    double mhz = DEFAULT_CLOCK_MHZ;
    st = opt_nonneg(d, top, "clock_mhz", "architecture", &mhz);
    if (st)
        return st;
    if (mhz <= 0)
        return petal_yerror(d, petal_ymap_get(d, top, "clock_mhz"), PETAL_EINVAL,
                            "architecture: clock_mhz: expected a frequency above 0");
    a->clock_hz = mhz * 1e6;

    uint32_t word_bits = DEFAULT_WORD_BITS;
    st = opt_u32_range(d, top, "word_bits", "architecture", 1, MAX_WORD_BITS, &word_bits, NULL);
    if (st)
        return st;

    const petal_energy_table *table = NULL;
    yaml_node_t *en = petal_ymap_get(d, top, "energy");
    if (en) {
        const char *es = petal_yscalar(en);
        if (!es || petal_energy_table_get(es, &table))
            return petal_yerror(d, en, PETAL_ENOTFOUND, "architecture: energy: %s",
                                es ? petal_error_message()
                                   : "expected the name of an energy table");
    }

    /* One architecture, one unit: a declared unit must be the table's. Without
     * a table the figures given are in the declared unit (pJ by default). */
    yaml_node_t *un = petal_ymap_get(d, top, "energy_unit");
    a->energy_unit = PETAL_ENERGY_PJ;
    if (un) {
        const char *us = petal_yscalar(un);
        if (us && strcmp(us, "pJ") == 0) {
            a->energy_unit = PETAL_ENERGY_PJ;
        } else if (us && strcmp(us, "MAC") == 0) {
            a->energy_unit = PETAL_ENERGY_MAC;
            a->mac_unit_bits = 16;
        } else {
            return petal_yerror(d, un, PETAL_EINVAL,
                                "architecture: energy_unit: expected pJ or MAC (multiples of one "
                                "16-bit MAC)");
        }
        petal_energy_unit table_unit =
            table && table->mac_unit_bits ? PETAL_ENERGY_MAC : PETAL_ENERGY_PJ;
        if (table && a->energy_unit != table_unit)
            return petal_yerror(d, un, PETAL_EINVAL,
                                "architecture: energy_unit %s mixes units with energy table %s, "
                                "whose figures are in %s; one architecture takes one unit",
                                us, table->name, petal_energy_unit_name(table_unit));
    }

    yaml_node_t *levels = petal_ymap_get(d, top, "levels");
    if (!levels)
        return petal_yerror(d, top, PETAL_EPARSE,
                            "architecture: levels is missing; expected a list of storage levels, "
                            "DRAM first");
    if (!petal_yis_seq(levels))
        return petal_yerror(d, levels, PETAL_EPARSE,
                            "architecture: levels: expected a list of storage levels");
    size_t count = (size_t)(levels->data.sequence.items.top - levels->data.sequence.items.start);
    if (count == 0 || count > PETAL_MAX_LEVELS)
        return petal_yerror(d, levels, PETAL_EINVAL,
                            "architecture: levels: %zu levels, expected 1 to %d "
                            "(PETAL_MAX_LEVELS)",
                            count, PETAL_MAX_LEVELS);
    level_nodes where[PETAL_MAX_LEVELS];
    memset(where, 0, sizeof where);
    yaml_node_t *item;
    int i = 0;
    PETAL_YSEQ_EACH(d, levels, item)
    {
        st = read_level(d, item, i, word_bits, table != NULL, &a->levels[i], &where[i]);
        if (st)
            return st;
        for (int j = 0; j < i; j++)
            if (strcmp(a->levels[j].name, a->levels[i].name) == 0)
                return petal_yerror(d, petal_ymap_get(d, item, "name"), PETAL_EINVAL,
                                    "level %s: name: used twice (also at line %lu)",
                                    a->levels[i].name, petal_yline(where[j].item));
        i++;
    }
    a->nlevels = (uint8_t)i;

    yaml_node_t *arith = petal_ymap_get(d, top, "arithmetic");
    if (!arith)
        return petal_yerror(d, top, PETAL_EPARSE,
                            "architecture: arithmetic is missing; expected the MACs (instances, "
                            "word_bits, ...)");
    yaml_node_t *arith_where = arith;
    st = read_arith(d, arith, word_bits, table, &a->arith, &arith_where);
    if (!st)
        st = check_fanouts(d, a, where, arith_where);
    if (!st)
        st = check_forward_axes(d, a, where);
    if (!st && table)
        st = petal_energy_fill(table, a);
    /* A neighbour hop costs what a hop of the level's network does unless the
     * file says otherwise (docs/systolic.md). */
    for (int l = 0; !st && l < a->nlevels; l++)
        if (isnan(a->levels[l].forward_pj))
            a->levels[l].forward_pj = a->levels[l].hop_pj;
    if (!st)
        st = petal_arch_check(a);
    /* The mapspace constraints are a layer's (its dimensions): here only their
     * form and names; petal_constraints_load_yaml reads them for a layer. */
    yaml_node_t *constraints = petal_ymap_get(d, top, "constraints");
    if (!st && constraints) {
        petal_constraints scratch;
        petal_constraints_init(&scratch, a);
        st = yaml_constraints_read(d, constraints, NULL, a, &scratch);
    }
    if (st && petal_error_message()[0] &&
        strncmp(petal_error_message(), d->path, strlen(d->path)) != 0)
        petal_error_prefix(st, "%s: ", d->path);
    return st;
}

petal_status petal_arch_load_yaml(const char *path, petal_arch *a)
{
    petal_ydoc d;
    petal_status st = petal_ydoc_load_file(&d, path);
    if (st)
        return st;
    st = read_arch(&d, a);
    petal_ydoc_free(&d);
    return st;
}
