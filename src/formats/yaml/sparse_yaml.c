/* sparse_yaml.c - Sparseloop's `sparse_optimizations`: representation
 * formats rank by rank, gating and skipping of a level's accesses, and the
 * MACs' compute optimizations, read into petal_level_sparse and
 * petal_arith_sparse (petal/sparse.h, docs/sparsity.md).
 *
 * The node names data spaces and dimensions, so it is read against a
 * problem: Timeloop keeps the problem beside the architecture, and the
 * optimizations of one layer's file mean nothing without it. petal's own
 * architecture YAML holds the same fields in a `sparse:` block per level and
 * at the MACs, read here without a problem: data spaces by petal's names
 * (Weights, Inputs, Outputs and their aliases), a flattened rank as `all`. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "formats/yaml/sparse_yaml.h"

static const char *ds_name(const petal_problem *p, int s)
{
    static const char *fallback[PETAL_NUM_DS] = {"Weights", "Inputs", "Outputs"};
    return p && p->ds[s].name[0] ? p->ds[s].name : fallback[s];
}

/* The data space a field names, or an error naming the field and the ones
 * the problem has. */
static petal_status data_space(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                               const char *field, int *out)
{
    const char *name = petal_yscalar(n);
    if (!name || !petal_yis_scalar(n))
        return petal_yerror(d, n, PETAL_EPARSE, "%s: expected a data space name", field);
    /* Without a problem, the names petal's architecture YAML takes in a
     * level's data_spaces (ifmap, psum, ...), so that one file speaks one way. */
    int alias = p ? -1 : petal_ds_from_name(name);
    if (alias >= 0) {
        *out = alias;
        return PETAL_OK;
    }
    for (int s = 0; s < PETAL_NUM_DS; s++)
        if (strcmp(name, ds_name(p, s)) == 0) {
            *out = s;
            return PETAL_OK;
        }
    return petal_yerror(d, n, PETAL_EINVAL, "%s: '%s' names no data space (expected %s, %s or %s)",
                        field, name, ds_name(p, 0), ds_name(p, 1), ds_name(p, 2));
}

static petal_status word_bits(petal_ydoc *d, yaml_node_t *n, const char *field, uint8_t *out)
{
    uint64_t v;
    petal_status st = petal_yget_u64(d, n, field, &v);
    if (st)
        return st;
    if (v > 64)
        return petal_yerror(d, n, PETAL_EINVAL, "%s: %llu bits, expected 0 to 64", field,
                            (unsigned long long)v);
    *out = (uint8_t)v;
    return PETAL_OK;
}

/* flattened_rankIDs: a list of lists of dimension names (or one list), or
 * `all`: every dimension of the tile flattened into the rank, the form an
 * architecture read without a layer can give (the model takes any flattened
 * rank to follow the tiling, docs/sparsity.md, so the names add nothing). */
static petal_status rank_dims(petal_ydoc *d, yaml_node_t *n, const petal_problem *p, uint16_t *mask)
{
    if (petal_yis_scalar(n) && strcasecmp(petal_yscalar(n), "all") == 0) {
        *mask = (uint16_t)((1u << PETAL_MAX_DIMS) - 1);
        return PETAL_OK;
    }
    if (!petal_yis_seq(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "flattened_rankIDs: expected a list of lists of dimension names");
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, n, item)
    {
        if (petal_yis_seq(item)) {
            petal_status st = rank_dims(d, item, p, mask);
            if (st)
                return st;
            continue;
        }
        const char *name = petal_yscalar(item);
        if (!name || !petal_yis_scalar(item))
            return petal_yerror(d, item, PETAL_EPARSE,
                                "flattened_rankIDs: expected dimension names");
        if (!p)
            return petal_yerror(d, item, PETAL_EINVAL,
                                "flattened_rankIDs: '%s': an architecture read without a layer "
                                "cannot resolve dimension names; expected `all` (every "
                                "dimension of the tile in this rank)",
                                name);
        int dim = petal_problem_dim(p, name);
        if (dim < 0)
            return petal_yerror(d, item, PETAL_EINVAL,
                                "flattened_rankIDs: '%s' is not a dimension of layer %s", name,
                                p->name);
        *mask |= (uint16_t)(1u << dim);
    }
    return PETAL_OK;
}

static petal_status one_rank(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                             petal_format_rank *r)
{
    static const char *const known[] = {"format",
                                        "metadata_word_bits",
                                        "payload_word_bits",
                                        "flattened_rankIDs",
                                        "flattened_rank_ids",
                                        NULL};
    if (!petal_yis_map(n))
        return petal_yerror(d, n, PETAL_EPARSE, "ranks: expected {format: ...} entries");
    petal_ywarn_unknown_keys(d, n, known, "a representation format rank");
    memset(r, 0, sizeof *r);
    yaml_node_t *f = petal_ymap_get(d, n, "format");
    if (!f)
        return petal_yerror(d, n, PETAL_EPARSE, "ranks: a rank needs a format");
    int format;
    if (!petal_yis_scalar(f) || !petal_rank_format_parse(petal_yscalar(f), &format))
        return petal_yerror(d, f, PETAL_EINVAL,
                            "format: '%s' is not a format (expected U, B, RLE, CP, UOP or UB)",
                            petal_yis_scalar(f) ? petal_yscalar(f) : "(not a name)");
    r->format = (uint8_t)format;
    yaml_node_t *v;
    petal_status st;
    if ((v = petal_ymap_get(d, n, "metadata_word_bits")) && !petal_yis_null(v) &&
        (st = word_bits(d, v, "metadata_word_bits", &r->metadata_word_bits)))
        return st;
    if ((v = petal_ymap_get(d, n, "payload_word_bits")) && !petal_yis_null(v) &&
        (st = word_bits(d, v, "payload_word_bits", &r->payload_word_bits)))
        return st;
    v = petal_ymap_get(d, n, "flattened_rankIDs");
    if (!v)
        v = petal_ymap_get(d, n, "flattened_rank_ids");
    if (v && !petal_yis_null(v) && (st = rank_dims(d, v, p, &r->dim_mask)))
        return st;
    return PETAL_OK;
}

static petal_status representation(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                                   petal_level_sparse *ls)
{
    static const char *const known[] = {"data_spaces", "data-spaces", NULL};
    if (!petal_yis_map(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "representation_format: expected {data_spaces: [...]}");
    petal_ywarn_unknown_keys(d, n, known, "representation_format");
    yaml_node_t *list = petal_ymap_get(d, n, "data_spaces");
    if (!list)
        list = petal_ymap_get(d, n, "data-spaces");
    if (!petal_yis_seq(list))
        return petal_yerror(d, list ? list : n, PETAL_EPARSE,
                            "representation_format: data_spaces: expected a list");
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, list, item)
    {
        static const char *const ds_known[] = {"name", "ranks", NULL};
        if (!petal_yis_map(item))
            return petal_yerror(d, item, PETAL_EPARSE,
                                "data_spaces: expected {name, ranks} entries");
        petal_ywarn_unknown_keys(d, item, ds_known, "a representation format data space");
        yaml_node_t *name = petal_ymap_get(d, item, "name");
        if (!name)
            return petal_yerror(d, item, PETAL_EPARSE, "data_spaces: an entry needs a name");
        int s;
        petal_status st = data_space(d, name, p, "representation_format: name", &s);
        if (st)
            return st;
        yaml_node_t *ranks = petal_ymap_get(d, item, "ranks");
        if (!petal_yis_seq(ranks))
            return petal_yerror(d, ranks ? ranks : item, PETAL_EPARSE,
                                "representation_format: ranks: expected a list of "
                                "{format: ...}");
        petal_format *f = &ls->format[s];
        memset(f, 0, sizeof *f);
        size_t count = (size_t)(ranks->data.sequence.items.top - ranks->data.sequence.items.start);
        size_t most = p ? p->ndims : PETAL_MAX_FORMAT_RANKS;
        if (most > PETAL_MAX_FORMAT_RANKS)
            most = PETAL_MAX_FORMAT_RANKS;
        if (count > most)
            return petal_yerror(d, ranks, PETAL_EINVAL,
                                "representation_format: ranks: %zu ranks for %s, but its tiles "
                                "have at most %zu dimensions",
                                count, ds_name(p, s), most);
        yaml_node_t *r;
        PETAL_YSEQ_EACH(d, ranks, r)
        {
            if ((st = one_rank(d, r, p, &f->ranks[f->nranks])))
                return st;
            f->nranks++;
        }
    }
    return PETAL_OK;
}

static bool opt_kind(const char *s, int *kind)
{
    if (!s)
        return false;
    if (strcasecmp(s, "gating") == 0 || strcasecmp(s, "gate") == 0 ||
        strcasecmp(s, "gate_on_zero_operand") == 0)
        *kind = PETAL_OPT_GATING;
    else if (strcasecmp(s, "skipping") == 0 || strcasecmp(s, "skip") == 0 ||
             strcasecmp(s, "skip_on_not_aligned_operands") == 0)
        *kind = PETAL_OPT_SKIPPING;
    else if (strcasecmp(s, "spatial_skipping") == 0 || strcasecmp(s, "skipping_spatial") == 0)
        *kind = PETAL_OPT_SPATIAL_SKIP;
    else
        return false;
    return true;
}

static petal_status one_option(petal_ydoc *d, yaml_node_t *n, const petal_problem *p, int kind,
                               petal_level_sparse *ls)
{
    static const char *const known[] = {"target", "condition_on", NULL};
    if (!petal_yis_map(n))
        return petal_yerror(d, n, PETAL_EPARSE, "options: expected {target, condition_on} entries");
    petal_ywarn_unknown_keys(d, n, known, "an action optimization option");
    yaml_node_t *target = petal_ymap_get(d, n, "target");
    if (!target)
        return petal_yerror(d, n, PETAL_EPARSE, "options: an option needs a target");
    int t;
    petal_status st = data_space(d, target, p, "target", &t);
    if (st)
        return st;
    yaml_node_t *cond = petal_ymap_get(d, n, "condition_on");
    if (!cond)
        return petal_yerror(d, n, PETAL_EPARSE, "options: an option needs condition_on");
    uint8_t mask = 0;
    if (petal_yis_scalar(cond) && !petal_yis_null(cond)) {
        int c;
        if ((st = data_space(d, cond, p, "condition_on", &c)))
            return st;
        mask |= (uint8_t)(1u << c);
    } else if (petal_yis_seq(cond)) {
        yaml_node_t *item;
        PETAL_YSEQ_EACH(d, cond, item)
        {
            int c;
            if ((st = data_space(d, item, p, "condition_on", &c)))
                return st;
            mask |= (uint8_t)(1u << c);
        }
    }
    if (!mask)
        return petal_yerror(d, cond, PETAL_EINVAL,
                            "condition_on: expected a list naming at least one data space");
    if (ls->nopts == PETAL_MAX_ACTION_OPTS)
        return petal_yerror(d, n, PETAL_EUNSUPPORTED,
                            "action_optimization: more than %d options at one level "
                            "(PETAL_MAX_ACTION_OPTS)",
                            PETAL_MAX_ACTION_OPTS);
    ls->opts[ls->nopts++] =
        (petal_action_opt){.kind = (uint8_t)kind, .target = (uint8_t)t, .condition_mask = mask};
    return PETAL_OK;
}

static petal_status actions(petal_ydoc *d, yaml_node_t *n, const petal_problem *p,
                            petal_level_sparse *ls)
{
    if (!petal_yis_seq(n))
        return petal_yerror(d, n, PETAL_EPARSE,
                            "action_optimization: expected a list of {type, options}");
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, n, item)
    {
        static const char *const known[] = {"type", "options", NULL};
        if (!petal_yis_map(item))
            return petal_yerror(d, item, PETAL_EPARSE,
                                "action_optimization: expected {type, options} entries");
        petal_ywarn_unknown_keys(d, item, known, "an action optimization");
        yaml_node_t *type = petal_ymap_get(d, item, "type");
        int kind;
        if (!type || !petal_yis_scalar(type) || !opt_kind(petal_yscalar(type), &kind))
            return petal_yerror(d, type ? type : item, PETAL_EINVAL,
                                "action_optimization: type: '%s' is not an optimization "
                                "(expected gating, skipping or spatial_skipping)",
                                type && petal_yis_scalar(type) ? petal_yscalar(type) : "");
        yaml_node_t *options = petal_ymap_get(d, item, "options");
        if (!petal_yis_seq(options))
            return petal_yerror(d, options ? options : item, PETAL_EPARSE,
                                "action_optimization: options: expected a list of "
                                "{target, condition_on}");
        yaml_node_t *o;
        PETAL_YSEQ_EACH(d, options, o)
        {
            petal_status st = one_option(d, o, p, kind, ls);
            if (st)
                return st;
        }
    }
    return PETAL_OK;
}

/* compute_optimization: {type: gating|skipping}, or a list of them. */
static petal_status compute_opt(petal_ydoc *d, yaml_node_t *n, petal_arith_sparse *as)
{
    if (petal_yis_seq(n)) {
        yaml_node_t *item;
        PETAL_YSEQ_EACH(d, n, item)
        {
            petal_status st = compute_opt(d, item, as);
            if (st)
                return st;
        }
        return PETAL_OK;
    }
    yaml_node_t *type = petal_yis_map(n) ? petal_ymap_get(d, n, "type") : n;
    int kind;
    if (!type || !petal_yis_scalar(type) || !opt_kind(petal_yscalar(type), &kind) ||
        kind == PETAL_OPT_SPATIAL_SKIP)
        return petal_yerror(d, type ? type : n, PETAL_EINVAL,
                            "compute_optimization: type: expected gating or skipping");
    as->kind = (uint8_t)kind;
    return PETAL_OK;
}

/* The fields a target and a `sparse:` block share, applied to a level's
 * features `ls` or, when ls is NULL, to the MACs' `as`. */
static petal_status read_features(petal_ydoc *d, yaml_node_t *target, const petal_problem *p,
                                  petal_level_sparse *ls, petal_arith_sparse *as)
{
    petal_status st;
    yaml_node_t *rf = petal_ymap_get(d, target, "representation_format");
    yaml_node_t *ao = petal_ymap_get(d, target, "action_optimization");
    yaml_node_t *co = petal_ymap_get(d, target, "compute_optimization");
    if (!ls) {
        if ((rf && !petal_yis_null(rf)) || (ao && !petal_yis_null(ao)))
            return petal_yerror(d, rf && !petal_yis_null(rf) ? rf : ao, PETAL_EINVAL,
                                "the MACs hold no data: representation_format and "
                                "action_optimization belong to storage levels");
        return co && !petal_yis_null(co) ? compute_opt(d, co, as) : PETAL_OK;
    }
    if (co && !petal_yis_null(co))
        return petal_yerror(d, co, PETAL_EINVAL,
                            "compute_optimization belongs to the compute level, not a storage "
                            "level");
    if (rf && !petal_yis_null(rf)) {
        for (int s = 0; s < PETAL_NUM_DS; s++)
            memset(&ls->format[s], 0, sizeof ls->format[s]);
        if ((st = representation(d, rf, p, ls)))
            return st;
    }
    if (ao && !petal_yis_null(ao)) {
        ls->nopts = 0;
        if ((st = actions(d, ao, p, ls)))
            return st;
    }
    return PETAL_OK;
}

petal_status petal_sparse_yaml_target(petal_ydoc *d, yaml_node_t *target, const petal_problem *p,
                                      petal_level_sparse *ls, petal_arith_sparse *as)
{
    static const char *const known[] = {"name", "representation_format", "action_optimization",
                                        "compute_optimization", NULL};
    petal_ywarn_unknown_keys(d, target, known, "a sparse_optimizations target");
    return read_features(d, target, p, ls, as);
}

/* The sparse action energies a `sparse:` block may give a storage level, in
 * pJ per vector access (per metadata storage word for metadata, per value
 * for (de)compression), as petal_sparse_energy holds them. */
static const struct {
    const char *key;
    size_t offset;
    bool metadata; /* priced per metadata storage word: needs its width */
} sparse_energies[] = {
    {"gated_read_pj", offsetof(petal_sparse_energy, gated_read_pj), false},
    {"gated_fill_pj", offsetof(petal_sparse_energy, gated_fill_pj), false},
    {"gated_update_pj", offsetof(petal_sparse_energy, gated_update_pj), false},
    {"metadata_read_pj", offsetof(petal_sparse_energy, metadata_read_pj), true},
    {"metadata_fill_pj", offsetof(petal_sparse_energy, metadata_fill_pj), true},
    {"metadata_update_pj", offsetof(petal_sparse_energy, metadata_update_pj), true},
    {"gated_metadata_read_pj", offsetof(petal_sparse_energy, gated_metadata_read_pj), true},
    {"gated_metadata_fill_pj", offsetof(petal_sparse_energy, gated_metadata_fill_pj), true},
    {"gated_metadata_update_pj", offsetof(petal_sparse_energy, gated_metadata_update_pj), true},
    {"decompression_pj", offsetof(petal_sparse_energy, decompression_pj), false},
    {"compression_pj", offsetof(petal_sparse_energy, compression_pj), false},
};

/* An energy: a number >= 0. */
static petal_status energy(petal_ydoc *d, yaml_node_t *n, const char *what, double *out)
{
    double v;
    petal_status st = petal_yget_double(d, n, what, &v);
    if (st)
        return st;
    if (!(v >= 0) || v > 1e30)
        return petal_yerror(d, n, PETAL_EINVAL, "%s: expected an energy in pJ >= 0, found %g", what,
                            v);
    *out = v;
    return PETAL_OK;
}

/* A whole number from lo to hi. */
static petal_status bounded(petal_ydoc *d, yaml_node_t *n, const char *what, uint64_t lo,
                            uint64_t hi, uint64_t *out)
{
    petal_status st = petal_yget_u64(d, n, what, out);
    if (st)
        return st;
    if (*out < lo || *out > hi)
        return petal_yerror(d, n, PETAL_EINVAL, "%s: %llu, expected %llu to %llu", what,
                            (unsigned long long)*out, (unsigned long long)lo,
                            (unsigned long long)hi);
    return PETAL_OK;
}

/* A storage level's metadata storage (Sparseloop's metadata_storage_width,
 * metadata_storage_depth, metadata_block_size), (de)compression support and
 * sparse action energies, from a `sparse:` block. */
static petal_status level_attributes(petal_ydoc *d, yaml_node_t *block, const char *what,
                                     petal_level_sparse *ls)
{
    petal_status st;
    char field[128];
    uint64_t v;
    yaml_node_t *width = petal_ymap_get(d, block, "metadata_storage_width");
    yaml_node_t *depth = petal_ymap_get(d, block, "metadata_storage_depth");
    yaml_node_t *blk = petal_ymap_get(d, block, "metadata_block_size");
    if (width && !petal_yis_null(width)) {
        snprintf(field, sizeof field, "%s: metadata_storage_width", what);
        if ((st = bounded(d, width, field, 1, 65536, &v)))
            return st;
        ls->metadata_width = (uint32_t)v;
    }
    if (depth && !petal_yis_null(depth)) {
        snprintf(field, sizeof field, "%s: metadata_storage_depth", what);
        if ((st = bounded(d, depth, field, 1, UINT64_MAX / 65536, &v)))
            return st;
        /* Its words hold bits only with a width (the model's room is depth
         * x width). */
        if (!ls->metadata_width)
            return petal_yerror(d, depth, PETAL_EINVAL,
                                "%s: metadata_storage_depth needs metadata_storage_width (the "
                                "bits of one metadata storage word)",
                                what);
        ls->metadata_depth = v;
    }
    if (blk && !petal_yis_null(blk)) {
        snprintf(field, sizeof field, "%s: metadata_block_size", what);
        if ((st = bounded(d, blk, field, 1, 65536, &v)))
            return st;
        ls->metadata_block_size = (uint32_t)v;
    }
    static const char *const flags[] = {"decompression_supported", "compression_supported"};
    bool *flag_fields[] = {&ls->decompression_supported, &ls->compression_supported};
    for (int i = 0; i < 2; i++) {
        yaml_node_t *n = petal_ymap_get(d, block, flags[i]);
        snprintf(field, sizeof field, "%s: %s", what, flags[i]);
        if (n && !petal_yis_null(n) && (st = petal_yget_bool(d, n, field, flag_fields[i])))
            return st;
    }
    for (size_t i = 0; i < sizeof sparse_energies / sizeof sparse_energies[0]; i++) {
        yaml_node_t *n = petal_ymap_get(d, block, sparse_energies[i].key);
        if (!n || petal_yis_null(n))
            continue;
        snprintf(field, sizeof field, "%s: %s", what, sparse_energies[i].key);
        /* Metadata is priced per metadata storage word; without a width the
         * model moves it for free (as Sparseloop), so the energy would be
         * silently unused. */
        if (sparse_energies[i].metadata && !ls->metadata_width)
            return petal_yerror(d, n, PETAL_EINVAL,
                                "%s: needs metadata_storage_width: metadata energy is per "
                                "metadata storage word",
                                field);
        double *out = (double *)((char *)&ls->energy + sparse_energies[i].offset);
        if ((st = energy(d, n, field, out)))
            return st;
    }
    return PETAL_OK;
}

petal_status petal_sparse_yaml_block(petal_ydoc *d, yaml_node_t *block, const char *ctx,
                                     petal_level_sparse *ls, petal_arith_sparse *as)
{
    /* The keys of both places, so that one in the wrong place is refused,
     * not ignored with a warning. */
    static const char *const known[] = {"representation_format",  "action_optimization",
                                        "compute_optimization",   "metadata_word_bits",
                                        "metadata_storage_width", "metadata_storage_depth",
                                        "metadata_block_size",    "decompression_supported",
                                        "compression_supported",  "gated_read_pj",
                                        "gated_fill_pj",          "gated_update_pj",
                                        "metadata_read_pj",       "metadata_fill_pj",
                                        "metadata_update_pj",     "gated_metadata_read_pj",
                                        "gated_metadata_fill_pj", "gated_metadata_update_pj",
                                        "decompression_pj",       "compression_pj",
                                        "gated_mac_pj",           NULL};
    if (!petal_yis_map(block))
        return petal_yerror(d, block, PETAL_EPARSE, "%s: sparse: expected a mapping with %s", ctx,
                            ls ? "representation_format, action_optimization, "
                                 "metadata_word_bits, metadata storage and sparse energies"
                               : "compute_optimization, gated_mac_pj");
    char what[96];
    snprintf(what, sizeof what, "%s: sparse", ctx);
    petal_ywarn_unknown_keys(d, block, known, what);
    petal_status st;
    if (!ls) {
        /* The MACs: only compute_optimization and the gated MAC's energy. */
        for (int i = 3; known[i]; i++) {
            yaml_node_t *n = petal_ymap_get(d, block, known[i]);
            if (strcmp(known[i], "gated_mac_pj") != 0 && n && !petal_yis_null(n))
                return petal_yerror(d, n, PETAL_EINVAL,
                                    "%s: %s belongs to a storage level, not the MACs", what,
                                    known[i]);
        }
        yaml_node_t *gm = petal_ymap_get(d, block, "gated_mac_pj");
        char field[128];
        snprintf(field, sizeof field, "%s: gated_mac_pj", what);
        if (gm && !petal_yis_null(gm) && (st = energy(d, gm, field, &as->gated_mac_pj)))
            return st;
        return read_features(d, block, NULL, ls, as);
    }
    yaml_node_t *gm = petal_ymap_get(d, block, "gated_mac_pj");
    if (gm && !petal_yis_null(gm))
        return petal_yerror(d, gm, PETAL_EINVAL,
                            "%s: gated_mac_pj belongs to the MACs (arithmetic), not a storage "
                            "level",
                            what);
    yaml_node_t *bits = petal_ymap_get(d, block, "metadata_word_bits");
    if (bits && !petal_yis_null(bits)) {
        uint8_t b = 0;
        if ((st = word_bits(d, bits, "sparse: metadata_word_bits", &b)))
            return st;
        ls->metadata_word_bits = b;
    }
    if ((st = level_attributes(d, block, what, ls)))
        return st;
    return read_features(d, block, NULL, ls, as);
}

petal_status petal_sparse_yaml_apply(petal_ydoc *d, yaml_node_t *node, const petal_problem *p,
                                     petal_arch *a)
{
    if (!node || petal_yis_null(node))
        return PETAL_OK;
    yaml_node_t *targets = node;
    if (petal_yis_map(node)) {
        static const char *const known[] = {"targets", "version", NULL};
        petal_ywarn_unknown_keys(d, node, known, "sparse_optimizations");
        targets = petal_ymap_get(d, node, "targets");
        if (!targets || petal_yis_null(targets))
            return PETAL_OK;
    }
    if (!petal_yis_seq(targets))
        return petal_yerror(d, targets, PETAL_EPARSE,
                            "sparse_optimizations: targets: expected a list of {name, ...}");
    for (int l = 0; l < a->nlevels; l++) {
        memset(a->levels[l].sparse.format, 0, sizeof a->levels[l].sparse.format);
        a->levels[l].sparse.nopts = 0;
    }
    a->arith.sparse.kind = 0;
    yaml_node_t *item;
    PETAL_YSEQ_EACH(d, targets, item)
    {
        if (!petal_yis_map(item))
            return petal_yerror(d, item, PETAL_EPARSE, "targets: expected {name, ...} entries");
        yaml_node_t *name = petal_ymap_get(d, item, "name");
        const char *level = petal_yscalar(name);
        if (!name || !level || !level[0])
            return petal_yerror(d, item, PETAL_EPARSE, "targets: a target needs a name");
        int l = petal_arch_level(a, level);
        petal_status st;
        if (l >= 0) {
            if (a->levels[l].cls == PETAL_MEM_NONE)
                return petal_yerror(d, name, PETAL_EINVAL,
                                    "name: level %s holds no data (a fan-out only)", level);
            st = petal_sparse_yaml_target(d, item, p, &a->levels[l].sparse, NULL);
        } else if (strcmp(level, a->arith.name) == 0) {
            st = petal_sparse_yaml_target(d, item, p, NULL, &a->arith.sparse);
        } else {
            return petal_yerror(d, name, PETAL_EINVAL,
                                "name: '%s' is neither a storage level of architecture %s nor "
                                "its compute level %s",
                                level, a->name, a->arith.name);
        }
        if (st)
            return st;
    }
    return PETAL_OK;
}
