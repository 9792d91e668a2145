/* timeloop_arch.c - Timeloop architecture specs read into a petal_arch.
 *
 * Two shapes of file reach here. The v0.4 `nodes:` list is flat: a !Container
 * opens a scope that lasts to the end of its list, its attributes are inherited
 * by what follows, and a container with a spatial mesh multiplies the instances
 * of everything below it; like Timeloop's front end, petal puts a storage-less
 * level "inter_<container>_spatial" above the mesh to carry the fan-out.
 * !Parallel groups siblings at the same instance count (Eyeriss's three
 * scratchpads) and becomes consecutive levels. The v0.3 form (and the
 * parsed-processed-input.yaml Timeloop writes) nests `subtree`s with `local`
 * component lists; instance counts come from ranges in names ("PE[0..167]")
 * and meshes from meshX/meshY attributes.
 */
#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/timeloop/timeloop_internal.h"
#include "petal/timeloop.h"

#define MAX_SCOPE 32
/* Bounds on walking the node tree. YAML aliases can make a list contain itself
 * (`nodes: &n [!Hierarchical {nodes: *n}]`) or repeat one list exponentially
 * often (`!Parallel {nodes: [*a, *a]}` over and over); real architectures nest a
 * few levels deep and have tens of nodes. */
#define MAX_WALK_DEPTH 64
#define MAX_WALK_NODES 100000

typedef struct builder {
    petal_ydoc *d;
    petal_arch *a;
    yaml_node_t **constraints; /* per level: its constraints node, or NULL */
    bool have_arith;
    yaml_node_t *arith_node;
    yaml_node_t *scope[MAX_SCOPE]; /* attribute maps of enclosing containers, outermost first */
    int nscope;
    bool have_cycle;
    int depth;   /* nodes and subtrees being walked */
    long visits; /* nodes and subtrees walked so far */
    bool quiet;  /* a second walk of a file already read: no repeated warnings */
} builder;

static void bwarn(builder *b, const yaml_node_t *n, const char *fmt, ...) PETAL_PRINTF(3, 4);
static void bwarn(builder *b, const yaml_node_t *n, const char *fmt, ...)
{
    if (b->quiet)
        return;
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    petal_ywarn(b->d, n, "%s", message);
}

static void bkeys(builder *b, yaml_node_t *map, const char *const *known, const char *where)
{
    if (!b->quiet)
        petal_ywarn_unknown_keys(b->d, map, known, where);
}

typedef struct mesh {
    uint64_t x, y;
} mesh;

/* An attribute of a component, or one its containers pass down. */
static yaml_node_t *attr(builder *b, yaml_node_t *attrs, const char *key, bool inherit)
{
    yaml_node_t *v = petal_ymap_get(b->d, attrs, key);
    for (int i = b->nscope - 1; !v && inherit && i >= 0; i--)
        v = petal_ymap_get(b->d, b->scope[i], key);
    return v;
}

static petal_status attr_u64(builder *b, yaml_node_t *attrs, const char *key, bool inherit,
                             uint64_t *out, bool *found)
{
    yaml_node_t *v = attr(b, attrs, key, inherit);
    *found = v && !petal_yis_null(v);
    if (!*found)
        return PETAL_OK;
    return petal_yget_u64(b->d, v, key, out);
}

static petal_status attr_double(builder *b, yaml_node_t *attrs, const char *key, double *out,
                                bool *found)
{
    yaml_node_t *v = attr(b, attrs, key, false);
    *found = v && !petal_yis_null(v);
    if (!*found)
        return PETAL_OK;
    return petal_yget_double(b->d, v, key, out);
}

/* The first of several spellings that is present. */
static petal_status attr_u64_any(builder *b, yaml_node_t *attrs, const char *const *keys,
                                 bool inherit, uint64_t *out, bool *found)
{
    for (int i = 0; keys[i]; i++) {
        petal_status st = attr_u64(b, attrs, keys[i], inherit, out, found);
        if (st || *found)
            return st;
    }
    return PETAL_OK;
}

typedef enum { KIND_STORAGE, KIND_COMPUTE, KIND_OTHER } component_kind;

static bool has(const char *s, const char *sub)
{
    size_t n = strlen(sub);
    for (; *s; s++)
        if (strncasecmp(s, sub, n) == 0)
            return true;
    return false;
}

static component_kind classify(const char *cls, const char *subclass, petal_mem_class *mem)
{
    const char *c = cls ? cls : "";
    const char *sub = subclass ? subclass : "";
    if (has(c, "dummy")) {
        *mem = PETAL_MEM_NONE;
        return KIND_STORAGE;
    }
    /* class: storage names its implementation in subclass. */
    const char *impl = (strcasecmp(c, "storage") == 0 && sub[0]) ? sub : c;
    if (has(impl, "dram")) {
        *mem = PETAL_MEM_DRAM;
        return KIND_STORAGE;
    }
    if (has(impl, "regfile") || has(impl, "_rf") || has(impl, "register") ||
        strcasecmp(impl, "rf") == 0) {
        *mem = PETAL_MEM_REGFILE;
        return KIND_STORAGE;
    }
    if (has(impl, "sram") || has(impl, "smartbuffer") || has(impl, "storage") ||
        has(impl, "buffer") || has(impl, "cache") || has(c, "storage")) {
        *mem = PETAL_MEM_SRAM;
        return KIND_STORAGE;
    }
    if (has(c, "mac") || has(c, "compute") || has(c, "mult") || has(c, "alu") || has(c, "fpu"))
        return KIND_COMPUTE;
    return KIND_OTHER;
}

/* Instances and mesh from an explicit count and optional meshX/meshY, the way
 * Timeloop completes a partial topology. */
static petal_status settle_mesh(builder *b, yaml_node_t *at, const char *name, uint64_t instances,
                                bool have_x, uint64_t mx, bool have_y, uint64_t my, uint32_t *out_x,
                                uint32_t *out_y)
{
    if (!have_x && !have_y) {
        mx = instances;
        my = 1;
    } else if (have_x && !have_y) {
        if (mx == 0 || instances % mx)
            goto bad;
        my = instances / mx;
    } else if (!have_x && have_y) {
        if (my == 0 || instances % my)
            goto bad;
        mx = instances / my;
    } else if (mx * my != instances) {
        goto bad;
    }
    if (mx > UINT32_MAX || my > UINT32_MAX)
        goto bad;
    *out_x = (uint32_t)mx;
    *out_y = (uint32_t)my;
    return PETAL_OK;
bad:
    return petal_yerror(b->d, at, PETAL_EINVAL, "%s: %llu instances do not fit a %llux%llu mesh",
                        name, (unsigned long long)instances, (unsigned long long)mx,
                        (unsigned long long)my);
}

static void warn_ignored_attrs(builder *b, yaml_node_t *attrs, const char *name)
{
    static const char *const networks[] = {"network_read", "network_fill", "network_drain",
                                           "network_update", NULL};
    for (int i = 0; networks[i]; i++) {
        yaml_node_t *v = petal_ymap_get(b->d, attrs, networks[i]);
        if (v)
            bwarn(b, v, "%s: %s (named networks) is not modelled; ignored", name, networks[i]);
    }
    yaml_node_t *v = petal_ymap_get(b->d, attrs, "shared_bandwidth");
    if (v && !petal_yis_null(v))
        bwarn(b, v,
              "%s: shared_bandwidth is not modelled (read_bandwidth and "
              "write_bandwidth are); ignored",
              name);
    v = petal_ymap_get(b->d, attrs, "min_utilization");
    if (!v)
        v = petal_ymap_get(b->d, attrs, "min-utilization");
    double mu;
    if (v && petal_yget_double(b->d, v, "min_utilization", &mu) == PETAL_OK && mu > 0)
        bwarn(b, v,
              "%s: min_utilization is a mapper constraint petal does not apply; "
              "ignored",
              name);
}

/* Sparseloop's metadata storage and (de)compression attributes of a level. */
static petal_status sparse_attrs(builder *b, yaml_node_t *attrs, const char *name, petal_level *l)
{
    static const char *const width_keys[] = {"metadata_storage_width", "metadata_width", NULL};
    static const char *const depth_keys[] = {"metadata_storage_depth", "metadata_depth", NULL};
    static const char *const bits_keys[] = {"metadata_datawidth", "metadata_word_bits", NULL};
    static const char *const block_keys[] = {"metadata_block_size", NULL};
    petal_level_sparse *sp = &l->sparse;
    uint64_t v;
    bool found;
    petal_status st;
    if ((st = attr_u64_any(b, attrs, bits_keys, false, &v, &found)))
        return st;
    if (found && v > 64)
        return petal_yerror(b->d, attrs, PETAL_EINVAL,
                            "%s: metadata_datawidth %llu out of range (0 to 64)", name,
                            (unsigned long long)v);
    if (found)
        sp->metadata_word_bits = (uint32_t)v;
    if ((st = attr_u64_any(b, attrs, width_keys, false, &v, &found)))
        return st;
    if (found && v > 1u << 20)
        return petal_yerror(b->d, attrs, PETAL_EINVAL,
                            "%s: metadata_storage_width %llu out of range", name,
                            (unsigned long long)v);
    if (found)
        sp->metadata_width = (uint32_t)v;
    if ((st = attr_u64_any(b, attrs, depth_keys, false, &v, &found)))
        return st;
    if (found)
        sp->metadata_depth = v;
    if ((st = attr_u64_any(b, attrs, block_keys, false, &v, &found)))
        return st;
    if (found && (v == 0 || v > UINT32_MAX))
        return petal_yerror(b->d, attrs, PETAL_EINVAL, "%s: metadata_block_size %llu out of range",
                            name, (unsigned long long)v);
    if (found)
        sp->metadata_block_size = (uint32_t)v;
    yaml_node_t *n = attr(b, attrs, "decompression_supported", false);
    if (n && !petal_yis_null(n) &&
        (st = petal_yget_bool(b->d, n, "decompression_supported", &sp->decompression_supported)))
        return st;
    n = attr(b, attrs, "compression_supported", false);
    if (n && !petal_yis_null(n) &&
        (st = petal_yget_bool(b->d, n, "compression_supported", &sp->compression_supported)))
        return st;
    return PETAL_OK;
}

static petal_status fill_storage(builder *b, yaml_node_t *node, yaml_node_t *attrs,
                                 const char *name, petal_mem_class cls, uint64_t instances,
                                 uint32_t mx, uint32_t my)
{
    petal_arch *a = b->a;
    if (a->nlevels == PETAL_MAX_LEVELS)
        return petal_yerror(b->d, node, PETAL_EUNSUPPORTED,
                            "%s: more than %d storage levels (PETAL_MAX_LEVELS)", name,
                            PETAL_MAX_LEVELS);
    if (b->have_arith)
        return petal_yerror(b->d, node, PETAL_EUNSUPPORTED,
                            "%s: storage below the compute "
                            "units is not supported; the MACs must be innermost",
                            name);
    petal_level *l = &a->levels[a->nlevels];
    memset(l, 0, sizeof *l);
    petal_status st =
        petal_name_copy(PETAL_NAME_FIELD(l->name, PETAL_NAME_MAX), "level name", name);
    if (st)
        return petal_yprefix(b->d, node, st);
    if (petal_arch_level(a, name) >= 0)
        return petal_yerror(b->d, node, PETAL_EINVAL, "two levels are called %s", name);
    l->cls = cls;
    l->instances = instances;
    l->mesh_x = mx;
    l->mesh_y = my;
    l->block_size = 1;
    if (cls == PETAL_MEM_NONE) {
        /* A fan-out only: it holds nothing, whatever its attributes say. */
        l->word_bits = 0;
        l->may_keep = 0;
        a->nlevels++;
        return PETAL_OK;
    }
    l->may_keep = PETAL_KEEP_ALL;
    bool found;
    uint64_t word_bits = 16;
    static const char *const wb_keys[] = {"datawidth", "word-bits", "word_width", "word_bits",
                                          NULL};
    if ((st = attr_u64_any(b, attrs, wb_keys, true, &word_bits, &found)))
        return st;
    if (word_bits == 0 || word_bits > 4096)
        return petal_yerror(b->d, attrs, PETAL_EINVAL, "%s: datawidth %llu out of range", name,
                            (unsigned long long)word_bits);
    l->word_bits = (uint32_t)word_bits;

    uint64_t cluster = 1, block = 1, width = 0;
    static const char *const cl_keys[] = {"cluster_size", "cluster-size", NULL};
    if ((st = attr_u64_any(b, attrs, cl_keys, false, &cluster, &found)))
        return st;
    if (cluster == 0)
        cluster = 1;
    static const char *const bs_keys[] = {"block_size", "block-size", "n_words", NULL};
    bool block_given;
    if ((st = attr_u64_any(b, attrs, bs_keys, false, &block, &block_given)))
        return st;
    static const char *const w_keys[] = {"width", "memory_width", NULL};
    bool width_given;
    if ((st = attr_u64_any(b, attrs, w_keys, false, &width, &width_given)))
        return st;
    if (!block_given && width_given) {
        if (width % (word_bits * cluster))
            return petal_yerror(b->d, attrs, PETAL_EINVAL,
                                "%s: width %llu is not a multiple of "
                                "datawidth %llu x cluster_size %llu",
                                name, (unsigned long long)width, (unsigned long long)word_bits,
                                (unsigned long long)cluster);
        block = width / (word_bits * cluster);
    }
    if (block == 0)
        return petal_yerror(b->d, attrs, PETAL_EINVAL, "%s: a block of 0 words", name);
    if (block > UINT32_MAX)
        return petal_yerror(b->d, attrs, PETAL_EINVAL, "%s: block size too large", name);
    l->block_size = (uint32_t)block;
    if (cluster > UINT32_MAX)
        return petal_yerror(b->d, attrs, PETAL_EINVAL, "%s: cluster_size too large", name);
    l->cluster_size = (uint32_t)cluster;

    uint64_t v;
    if ((st = attr_u64(b, attrs, "entries", false, &v, &found)))
        return st;
    if (found) {
        l->depth = v;
    } else {
        static const char *const d_keys[] = {"depth", "memory_depth", NULL};
        if ((st = attr_u64_any(b, attrs, d_keys, false, &v, &found)))
            return st;
        if (found) {
            l->depth = v * block;
        } else {
            if ((st = attr_u64(b, attrs, "sizeKB", false, &v, &found)))
                return st;
            if (found)
                l->depth = v * 1024 * 8 / word_bits;
        }
    }
    if (l->depth == 0 && cls != PETAL_MEM_DRAM && !found) {
        /* Timeloop leaves such a level unbounded too; say so, it is rarely meant. */
        bwarn(b, node, "%s: no depth given: capacity is unbounded", name);
    }
    double mb = 1;
    yaml_node_t *mbn = attr(b, attrs, "multiple_buffering", false);
    if (!mbn)
        mbn = attr(b, attrs, "multiple-buffering", false);
    if (mbn && (st = petal_yget_double(b->d, mbn, "multiple_buffering", &mb)))
        return st;
    if (mb <= 0)
        return petal_yerror(b->d, mbn, PETAL_EINVAL, "%s: multiple_buffering must be positive",
                            name);
    if (l->depth)
        l->depth = (uint64_t)floor((double)l->depth / mb);

    double bw;
    if ((st = attr_double(b, attrs, "bandwidth", &bw, &found)))
        return st;
    if (found) {
        l->read_bw = bw / 2;
        l->write_bw = bw / 2;
    }
    if ((st = attr_double(b, attrs, "read_bandwidth", &bw, &found)))
        return st;
    if (found)
        l->read_bw = bw;
    if ((st = attr_double(b, attrs, "write_bandwidth", &bw, &found)))
        return st;
    if (found)
        l->write_bw = bw;
    if (l->read_bw < 0 || l->write_bw < 0)
        return petal_yerror(b->d, attrs, PETAL_EINVAL, "%s: negative bandwidth", name);
    warn_ignored_attrs(b, attrs, name);
    if ((st = sparse_attrs(b, attrs, name, l)))
        return st;
    a->nlevels++;
    return PETAL_OK;
}

static petal_status fill_compute(builder *b, yaml_node_t *node, yaml_node_t *attrs,
                                 const char *name, uint64_t instances, uint32_t mx, uint32_t my)
{
    if (b->have_arith)
        return petal_yerror(b->d, node, PETAL_EUNSUPPORTED,
                            "%s: a second compute component "
                            "(the first is %s); petal models one MAC array",
                            name, b->a->arith.name);
    petal_arith *ar = &b->a->arith;
    memset(ar, 0, sizeof *ar);
    petal_status st =
        petal_name_copy(PETAL_NAME_FIELD(ar->name, PETAL_NAME_MAX), "compute name", name);
    if (st)
        return petal_yprefix(b->d, node, st);
    ar->instances = instances;
    ar->mesh_x = mx;
    ar->mesh_y = my;
    uint64_t wb = 16;
    bool found;
    static const char *const wb_keys[] = {"datawidth", "word-bits", "word_width", NULL};
    st = attr_u64_any(b, attrs, wb_keys, true, &wb, &found);
    if (st)
        return st;
    ar->word_bits = (uint32_t)wb;
    b->have_arith = true;
    b->arith_node = node;
    return PETAL_OK;
}

/* The clock: the first global_cycle_seconds met, outermost first. */
static petal_status take_clock(builder *b, yaml_node_t *attrs)
{
    if (b->have_cycle)
        return PETAL_OK;
    yaml_node_t *v = petal_ymap_get(b->d, attrs, "global_cycle_seconds");
    if (!v || petal_yis_null(v))
        return PETAL_OK;
    double s;
    petal_status st = petal_yget_double(b->d, v, "global_cycle_seconds", &s);
    if (st)
        return st;
    if (s <= 0)
        return petal_yerror(b->d, v, PETAL_EINVAL, "global_cycle_seconds must be positive");
    b->a->clock_hz = 1.0 / s;
    b->have_cycle = true;
    return PETAL_OK;
}

/* A component: a storage level or the MACs, instances given. */
static petal_status component(builder *b, yaml_node_t *node, const char *name, uint64_t instances,
                              uint32_t mx, uint32_t my)
{
    yaml_node_t *cls_node = petal_ymap_get(b->d, node, "class");
    const char *cls = petal_yscalar(cls_node);
    const char *sub = petal_yscalar(petal_ymap_get(b->d, node, "subclass"));
    yaml_node_t *attrs = petal_ymap_get(b->d, node, "attributes");
    if (attrs && !petal_yis_map(attrs) && !petal_yis_null(attrs))
        return petal_yerror(b->d, attrs, PETAL_EPARSE, "%s: attributes: expected a mapping", name);
    if (!cls)
        return petal_yerror(b->d, node, PETAL_EPARSE, "%s: a component needs a class", name);
    yaml_node_t *sparse = petal_ymap_get(b->d, node, "sparse_optimizations");
    if (sparse && !petal_yis_null(sparse))
        return petal_yerror(b->d, sparse, PETAL_EUNSUPPORTED,
                            "%s: sparse_optimizations on a component are not read yet; "
                            "give them as a top-level sparse_optimizations (with targets "
                            "naming the level) or with --sparse-opts FILE",
                            name);
    petal_status st = take_clock(b, attrs);
    if (st)
        return st;
    petal_mem_class mem = PETAL_MEM_SRAM;
    switch (classify(cls, sub, &mem)) {
    case KIND_STORAGE:
        if ((st = fill_storage(b, node, attrs, name, mem, instances, mx, my)))
            return st;
        b->constraints[b->a->nlevels - 1] = petal_ymap_get(b->d, node, "constraints");
        return PETAL_OK;
    case KIND_COMPUTE:
        return fill_compute(b, node, attrs, name, instances, mx, my);
    case KIND_OTHER:
        break;
    }
    return petal_yerror(b->d, cls_node, PETAL_EUNSUPPORTED,
                        "%s: class '%s' is neither storage "
                        "(DRAM, SRAM, regfile, smartbuffer, storage) nor compute (mac, intmac, "
                        "compute)",
                        name, cls);
}

/* ---- v0.4: nodes ---- */

static petal_status walk_nodes(builder *b, yaml_node_t *list, mesh *m);

static petal_status spatial_of(builder *b, yaml_node_t *node, const char *name, uint64_t *sx,
                               uint64_t *sy)
{
    *sx = *sy = 1;
    yaml_node_t *sp = petal_ymap_get(b->d, node, "spatial");
    if (!sp || petal_yis_null(sp))
        return PETAL_OK;
    if (!petal_yis_map(sp))
        return petal_yerror(b->d, sp, PETAL_EPARSE, "%s: spatial: expected {meshX, meshY}", name);
    static const char *const known[] = {"meshX", "meshY", NULL};
    bkeys(b, sp, known, "spatial");
    yaml_node_t *x = petal_ymap_get(b->d, sp, "meshX");
    yaml_node_t *y = petal_ymap_get(b->d, sp, "meshY");
    petal_status st;
    if (x && (st = petal_yget_u64(b->d, x, "meshX", sx)))
        return st;
    if (y && (st = petal_yget_u64(b->d, y, "meshY", sy)))
        return st;
    if (*sx == 0 || *sy == 0)
        return petal_yerror(b->d, sp, PETAL_EINVAL, "%s: a mesh needs at least 1 by 1", name);
    return PETAL_OK;
}

static petal_status node_name(builder *b, yaml_node_t *node, const char *what, char *buf,
                              size_t size, const char *limit)
{
    yaml_node_t *n = petal_ymap_get(b->d, node, "name");
    if (!n)
        return petal_yerror(b->d, node, PETAL_EPARSE, "%s: expected a name", what);
    char field[64];
    snprintf(field, sizeof field, "%s name", what);
    return petal_yget_name(b->d, n, field, buf, size, limit);
}

/* A component's `enabled:`, true when absent; a disabled one is skipped. */
static petal_status enabled_of(builder *b, yaml_node_t *node, bool *enabled)
{
    *enabled = true;
    yaml_node_t *en = petal_ymap_get(b->d, node, "enabled");
    return en ? petal_yget_bool(b->d, en, "enabled", enabled) : PETAL_OK;
}

static petal_status container(builder *b, yaml_node_t *node, mesh *m)
{
    static const char *const known[] = {"name",        "attributes", "spatial",    "constraints",
                                        "description", "networks",   "max_fanout", NULL};
    bkeys(b, node, known, "a !Container");
    char name[PETAL_NAME_MAX];
    petal_status st = node_name(b, node, "!Container", PETAL_NAME_FIELD(name, PETAL_NAME_MAX));
    if (st)
        return st;
    yaml_node_t *attrs = petal_ymap_get(b->d, node, "attributes");
    if (attrs && !petal_yis_null(attrs)) {
        if (!petal_yis_map(attrs))
            return petal_yerror(b->d, attrs, PETAL_EPARSE, "%s: attributes: expected a mapping",
                                name);
        if (b->nscope == MAX_SCOPE)
            return petal_yerror(b->d, node, PETAL_EUNSUPPORTED, "containers nested too deeply");
        b->scope[b->nscope++] = attrs;
        if ((st = take_clock(b, attrs)))
            return st;
    }
    if (!b->a->name[0] && (st = petal_name_copy(PETAL_NAME_FIELD(b->a->name, PETAL_NAME_MAX),
                                                "architecture name", name)))
        return petal_yprefix(b->d, node, st);
    uint64_t sx, sy;
    if ((st = spatial_of(b, node, name, &sx, &sy)))
        return st;
    yaml_node_t *cons = petal_ymap_get(b->d, node, "constraints");
    if (sx * sy == 1) {
        if (cons && !petal_yis_null(cons))
            bwarn(b, cons,
                  "%s: constraints on a container without a spatial mesh "
                  "have no level to apply to; ignored",
                  name);
        return PETAL_OK;
    }
    /* The container's fan-out becomes a level named after it (petal_tl_level). */
    char level[PETAL_NAME_MAX + 32];
    int len = snprintf(level, sizeof level, "inter_%s_spatial", name);
    if (len < 0 || (size_t)len >= PETAL_NAME_MAX)
        return petal_yprefix(b->d, node,
                             petal_name_too_long(PETAL_NAME_MAX, "PETAL_NAME_MAX",
                                                 "level name (from the !Container's)", level,
                                                 (size_t)len));
    if ((st = fill_storage(b, node, NULL, level, PETAL_MEM_NONE, m->x * m->y, (uint32_t)m->x,
                           (uint32_t)m->y)))
        return st;
    b->constraints[b->a->nlevels - 1] = cons;
    m->x *= sx;
    m->y *= sy;
    if (m->x > UINT32_MAX || m->y > UINT32_MAX)
        return petal_yerror(b->d, node, PETAL_EINVAL, "%s: mesh too large", name);
    return PETAL_OK;
}

static petal_status v04_component(builder *b, yaml_node_t *node, mesh *m)
{
    static const char *const known[] = {"name",
                                        "class",
                                        "subclass",
                                        "attributes",
                                        "spatial",
                                        "constraints",
                                        "required_actions",
                                        "enabled",
                                        "actions",
                                        "area_scale",
                                        "energy_scale",
                                        "description",
                                        "sparse_optimizations",
                                        "area_share",
                                        NULL};
    bkeys(b, node, known, "a !Component");
    char name[PETAL_NAME_MAX];
    petal_status st = node_name(b, node, "!Component", PETAL_NAME_FIELD(name, PETAL_NAME_MAX));
    if (st)
        return st;
    bool enabled;
    if ((st = enabled_of(b, node, &enabled)))
        return st;
    if (!enabled)
        return PETAL_OK;
    uint64_t sx, sy;
    if ((st = spatial_of(b, node, name, &sx, &sy)))
        return st;
    m->x *= sx;
    m->y *= sy;
    if (m->x > UINT32_MAX || m->y > UINT32_MAX)
        return petal_yerror(b->d, node, PETAL_EINVAL, "%s: mesh too large", name);
    return component(b, node, name, m->x * m->y, (uint32_t)m->x, (uint32_t)m->y);
}

/* Enter one more node or subtree: fails past the bounds above. */
static petal_status walk_enter(builder *b, yaml_node_t *at)
{
    if (b->depth >= MAX_WALK_DEPTH)
        return petal_yerror(b->d, at, PETAL_EUNSUPPORTED,
                            "architecture nested more than %d levels deep (does an alias "
                            "refer to a node that contains it?)",
                            MAX_WALK_DEPTH);
    if (++b->visits > MAX_WALK_NODES)
        return petal_yerror(b->d, at, PETAL_EUNSUPPORTED,
                            "architecture with more than %d nodes (do aliases repeat a list?)",
                            MAX_WALK_NODES);
    b->depth++;
    return PETAL_OK;
}

static petal_status walk_one_node(builder *b, yaml_node_t *node, mesh *m);

static petal_status walk_node(builder *b, yaml_node_t *node, mesh *m)
{
    petal_status st = walk_enter(b, node);
    if (st)
        return st;
    st = walk_one_node(b, node, m);
    b->depth--;
    return st;
}

static petal_status walk_one_node(builder *b, yaml_node_t *node, mesh *m)
{
    if (!petal_yis_map(node))
        return petal_yerror(b->d, node, PETAL_EPARSE,
                            "nodes: expected !Container, !Component "
                            "or !Parallel entries");
    const char *tag = petal_tl_tag(node);
    if (strcmp(tag, "Container") == 0)
        return container(b, node, m);
    if (strcmp(tag, "Component") == 0)
        return v04_component(b, node, m);
    if (strcmp(tag, "Nothing") == 0)
        return PETAL_OK;
    if (strcmp(tag, "Parallel") == 0 || strcmp(tag, "Hierarchical") == 0) {
        static const char *const known[] = {"nodes", "name", "description", NULL};
        bkeys(b, node, known, tag);
        yaml_node_t *list = petal_ymap_get(b->d, node, "nodes");
        if (!petal_yis_seq(list))
            return petal_yerror(b->d, node, PETAL_EPARSE, "!%s: expected a nodes list", tag);
        if (strcmp(tag, "Hierarchical") == 0)
            return walk_nodes(b, list, m);
        /* Parallel branches share the fan-out above them; each starts from it. */
        yaml_node_t *item;
        PETAL_YSEQ_EACH(b->d, list, item)
        {
            mesh branch = *m;
            petal_status st = walk_node(b, item, &branch);
            if (st)
                return st;
            if (branch.x != m->x || branch.y != m->y)
                return petal_yerror(b->d, item, PETAL_EUNSUPPORTED,
                                    "a spatial mesh inside "
                                    "!Parallel is not supported");
        }
        return PETAL_OK;
    }
    if (tag[0] == '\0') {
        /* Untagged: a component if it has a class, else a container. */
        if (petal_ymap_get(b->d, node, "class"))
            return v04_component(b, node, m);
        return container(b, node, m);
    }
    return petal_yerror(b->d, node, PETAL_EUNSUPPORTED,
                        "node tag !%s is not supported (expected "
                        "!Container, !Component, !Parallel, !Hierarchical or !Nothing)",
                        tag);
}

static petal_status walk_nodes(builder *b, yaml_node_t *list, mesh *m)
{
    int scope = b->nscope;
    yaml_node_t *item;
    PETAL_YSEQ_EACH(b->d, list, item)
    {
        petal_status st = walk_node(b, item, m);
        if (st)
            return st;
    }
    b->nscope = scope; /* containers' scopes end with their list */
    return PETAL_OK;
}

/* ---- v0.3 and processed input: subtree / local ---- */

/* The instances of `name`: count of its own times outer above it, without
 * wrapping (4 x (2^62 + 1) is not 4). */
static petal_status times_instances(builder *b, yaml_node_t *at, const char *name, uint64_t outer,
                                    uint64_t count, uint64_t *out)
{
    if (__builtin_mul_overflow(outer, count, out))
        return petal_yerror(b->d, at, PETAL_EINVAL, "%s: %llu x %llu instances overflow", name,
                            (unsigned long long)outer, (unsigned long long)count);
    return PETAL_OK;
}

static petal_status local_component(builder *b, yaml_node_t *node, uint64_t outer)
{
    static const char *const known[] = {"name",
                                        "class",
                                        "subclass",
                                        "attributes",
                                        "required_actions",
                                        "enabled",
                                        "actions",
                                        "area_scale",
                                        "energy_scale",
                                        "description",
                                        "constraints",
                                        "sparse_optimizations",
                                        "area_share",
                                        NULL};
    if (!petal_yis_map(node))
        return petal_yerror(b->d, node, PETAL_EPARSE, "local: expected components");
    bkeys(b, node, known, "a local component");
    const char *full = petal_yscalar(petal_ymap_get(b->d, node, "name"));
    if (!full)
        return petal_yerror(b->d, node, PETAL_EPARSE, "local: a component needs a name");
    char name[PETAL_NAME_MAX];
    uint64_t count;
    petal_status st =
        petal_tl_split_name(b->d, node, full, PETAL_NAME_FIELD(name, PETAL_NAME_MAX), &count);
    if (st)
        return st;
    bool enabled;
    if ((st = enabled_of(b, node, &enabled)))
        return st;
    if (!enabled)
        return PETAL_OK;
    yaml_node_t *attrs = petal_ymap_get(b->d, node, "attributes");
    uint64_t instances, mx = 0, my = 0, given;
    if ((st = times_instances(b, node, name, outer, count, &instances)))
        return st;
    bool found, hx, hy;
    if ((st = attr_u64(b, attrs, "instances", false, &given, &found)))
        return st;
    if (found)
        instances = given;
    if ((st = attr_u64(b, attrs, "meshX", false, &mx, &hx)))
        return st;
    if ((st = attr_u64(b, attrs, "meshY", false, &my, &hy)))
        return st;
    uint32_t x = 1, y = 1;
    if ((st = settle_mesh(b, node, name, instances, hx, mx, hy, my, &x, &y)))
        return st;
    return component(b, node, name, instances, x, y);
}

static petal_status walk_one_subtree(builder *b, yaml_node_t *list, uint64_t outer);

static petal_status walk_subtree(builder *b, yaml_node_t *list, uint64_t outer)
{
    petal_status st = walk_enter(b, list);
    if (st)
        return st;
    st = walk_one_subtree(b, list, outer);
    b->depth--;
    return st;
}

static petal_status walk_one_subtree(builder *b, yaml_node_t *list, uint64_t outer)
{
    if (!petal_yis_seq(list))
        return petal_yerror(b->d, list, PETAL_EPARSE, "subtree: expected a list");
    size_t n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
    if (n > 1)
        return petal_yerror(b->d, list, PETAL_EUNSUPPORTED,
                            "subtree: %zu sibling subtrees; "
                            "petal (like Timeloop) needs a single chain of levels",
                            n);
    yaml_node_t *tree;
    PETAL_YSEQ_EACH(b->d, list, tree)
    {
        static const char *const known[] = {"name",    "attributes",  "local",
                                            "subtree", "description", NULL};
        if (!petal_yis_map(tree))
            return petal_yerror(b->d, tree, PETAL_EPARSE,
                                "subtree: expected {name, local, "
                                "subtree}");
        bkeys(b, tree, known, "a subtree");
        const char *full = petal_yscalar(petal_ymap_get(b->d, tree, "name"));
        char name[PETAL_NAME_MAX];
        uint64_t count = 1;
        petal_status st;
        if (full && (st = petal_tl_split_name(b->d, tree, full,
                                              PETAL_NAME_FIELD(name, PETAL_NAME_MAX), &count)))
            return st;
        uint64_t inner;
        if ((st = times_instances(b, tree, full ? name : "subtree", outer, count, &inner)))
            return st;
        if (full && !b->a->name[0] &&
            (st = petal_name_copy(PETAL_NAME_FIELD(b->a->name, PETAL_NAME_MAX), "architecture name",
                                  name)))
            return petal_yprefix(b->d, tree, st);
        yaml_node_t *attrs = petal_ymap_get(b->d, tree, "attributes");
        int scope = b->nscope;
        if (petal_yis_map(attrs)) {
            if (b->nscope == MAX_SCOPE)
                return petal_yerror(b->d, tree, PETAL_EUNSUPPORTED, "subtrees nested too deeply");
            b->scope[b->nscope++] = attrs;
            if ((st = take_clock(b, attrs)))
                return st;
        }
        yaml_node_t *local = petal_ymap_get(b->d, tree, "local");
        if (local && !petal_yis_null(local)) {
            if (!petal_yis_seq(local))
                return petal_yerror(b->d, local, PETAL_EPARSE, "local: expected a list");
            yaml_node_t *item;
            PETAL_YSEQ_EACH(b->d, local, item)
            {
                if ((st = local_component(b, item, inner)))
                    return st;
            }
        }
        yaml_node_t *sub = petal_ymap_get(b->d, tree, "subtree");
        if (sub && !petal_yis_null(sub) && (st = walk_subtree(b, sub, inner)))
            return st;
        b->nscope = scope;
    }
    return PETAL_OK;
}

petal_status petal_tl_arch_from_doc(petal_ydoc *d, petal_arch *a, yaml_node_t **level_constraints)
{
    yaml_node_t *cons_scratch[PETAL_MAX_LEVELS];
    builder b = {.d = d,
                 .a = a,
                 .constraints = level_constraints ? level_constraints : cons_scratch,
                 .quiet = level_constraints != NULL};
    memset(a, 0, sizeof *a);
    for (int i = 0; i < PETAL_MAX_LEVELS; i++)
        b.constraints[i] = NULL;
    a->clock_hz = 1e9;
    yaml_node_t *arch = petal_tl_top(d, "architecture");
    if (!petal_yis_map(arch))
        return petal_yerror(d, arch, PETAL_EPARSE,
                            "expected a top-level 'architecture:' with "
                            "nodes (v0.4) or subtree (v0.3)");
    static const char *const known[] = {"version", "nodes", "subtree", "local", NULL};
    bkeys(&b, arch, known, "architecture");
    yaml_node_t *nodes = petal_ymap_get(d, arch, "nodes");
    yaml_node_t *subtree = petal_ymap_get(d, arch, "subtree");
    yaml_node_t *local = petal_ymap_get(d, arch, "local");
    petal_status st;
    if (nodes) {
        if (!petal_yis_seq(nodes))
            return petal_yerror(d, nodes, PETAL_EPARSE, "architecture: nodes: expected a list");
        mesh m = {1, 1};
        st = walk_nodes(&b, nodes, &m);
    } else if (subtree || local) {
        st = PETAL_OK;
        if (local) {
            yaml_node_t *item;
            if (!petal_yis_seq(local))
                return petal_yerror(d, local, PETAL_EPARSE, "local: expected a list");
            PETAL_YSEQ_EACH(d, local, item)
            {
                if ((st = local_component(&b, item, 1)))
                    return st;
            }
        }
        if (subtree)
            st = walk_subtree(&b, subtree, 1);
    } else {
        return petal_yerror(d, arch, PETAL_EPARSE,
                            "architecture: expected nodes (v0.4) or "
                            "subtree (v0.3)");
    }
    if (st)
        return st;
    if (!b.have_arith)
        return petal_yerror(d, arch, PETAL_EINVAL,
                            "architecture: no compute component (class "
                            "mac, intmac or compute) below the storage levels");
    if (a->nlevels == 0)
        return petal_yerror(d, arch, PETAL_EINVAL, "architecture: no storage levels");
    if (!a->name[0])
        snprintf(a->name, sizeof a->name, "timeloop");
    st = petal_arch_check(a);
    if (st)
        return petal_error_prefix(st, "%s: ", d->path);
    return PETAL_OK;
}

petal_status petal_timeloop_read_arch(const char *path, petal_arch *a)
{
    petal_ydoc d;
    petal_status st = petal_tl_open(&d, path);
    if (st)
        return st;
    st = petal_tl_arch_from_doc(&d, a, NULL);
    petal_ydoc_free(&d);
    return st;
}
