/* presets.c - the built-in architectures as data: one table row per level,
 * energies and areas taken from the named energy table (docs/presets.md says
 * where each number comes from). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "petal/arch.h"
#include "petal/constraints.h"
#include "petal/energy.h"
#include "util/error.h"
#include "util/name.h"

#define W (1u << PETAL_DS_WEIGHTS)
#define I (1u << PETAL_DS_INPUTS)
#define O (1u << PETAL_DS_OUTPUTS)
#define ALL (W | I | O)

typedef struct preset_level {
    const char *name;
    petal_mem_class cls;
    uint64_t depth;
    uint32_t word_bits, block_size;
    uint32_t mesh_x, mesh_y;
    double read_bw, write_bw;
    uint8_t may_keep;
    uint32_t max_bits;                   /* docs/precision.md; 0 = any */
    uint32_t network_bits[PETAL_NUM_DS]; /* docs/latency.md; 0 = unlimited */
    uint8_t forward[PETAL_NUM_DS];       /* petal_forward per data space (docs/systolic.md) */
    /* The fan-out's network energies (hop_pj and forward_pj) are one write of a
     * one-word register of the level's width: the pipeline register a word
     * enters at each hop (the 45 nm table prices no wires). */
    bool register_hops;
} preset_level;

/* A chip's sparse features as data (petal/sparse.h): gating or skipping of a
 * data space's accesses at a level when the data spaces in `condition` are
 * zero, and run-length coding of data spaces at a level. */
typedef struct preset_opt {
    const char *level;
    uint8_t kind, target, condition;
} preset_opt;

typedef struct preset_rle {
    const char *level;
    uint8_t ds_mask;                /* the data spaces coded */
    uint8_t run_bits, payload_bits; /* one run (zeros skipped) and one non-zero value */
} preset_rle;

typedef struct preset_sparse {
    preset_opt opts[4];
    preset_rle rle[2];
    uint8_t mac_opt; /* compute gating or skipping at the MACs; 0 none */
} preset_sparse;

/* Eyeriss v1 (JSSC 2017; ../shared/reference/eyeriss.md, docs/presets.md):
 * a zero ifmap value gates the MAC and the filter and psum scratchpad
 * accesses it would have made; ifmaps and ofmaps cross the off-chip link
 * run-length coded, 5-bit runs and 16-bit levels (three pairs to a 64-bit
 * word). Every feature keys on zeros: a dense layer gives the dense counts. */
static const preset_sparse eyeriss_v1_sparse = {
    {
        {"filter_spad", PETAL_OPT_GATING, PETAL_DS_WEIGHTS, I},
        {"psum_spad", PETAL_OPT_GATING, PETAL_DS_OUTPUTS, I},
    },
    {
        {"DRAM", I | O, 5, 16},
    },
    PETAL_OPT_GATING,
};

typedef struct preset {
    const char *name;
    const char *description;
    const char *energy_table;
    double clock_hz;
    int nlevels;
    preset_level levels[PETAL_MAX_LEVELS];
    struct {
        uint32_t mesh_x, mesh_y, bits;
        uint32_t max_bits, max_psum_bits; /* 0 = any */
    } mac;
    const preset_sparse *sparse; /* NULL: none */
} preset;

/* The simple arrays share everything but what the PE scratchpad keeps. */
/* clang-format off */
#define SIMPLE_ARRAY(spad_keeps)                                                                   \
    6,                                                                                             \
    {                                                                                              \
        {"DRAM", PETAL_MEM_DRAM, 0, 16, 4, 1, 1, 0, 0, ALL},                                       \
        {"shared_glb", PETAL_MEM_SRAM, 65536, 16, 4, 1, 1, 16, 16, ALL},                           \
        {"pe_spad", PETAL_MEM_SRAM, 192, 16, 1, 16, 16, 0, 0, spad_keeps},                         \
        {"weight_reg", PETAL_MEM_REGFILE, 1, 16, 1, 16, 16, 0, 0, W},                              \
        {"input_activation_reg", PETAL_MEM_REGFILE, 1, 16, 1, 16, 16, 0, 0, I},                    \
        {"output_activation_reg", PETAL_MEM_REGFILE, 1, 16, 1, 16, 16, 0, 0, O},                   \
    },                                                                                             \
    {16, 16, 8}
/* clang-format on */

static const preset presets[] = {
    {
        "eyeriss-v1",
        "Eyeriss v1 as built (JSSC 2017): 14x12 PEs, 108 kB buffer, filter/ifmap/psum "
        "scratchpads, 16-bit, 200 MHz",
        "eyeriss-65nm",
        200e6,
        5,
        {
            /* A 64-bit off-chip bus at 60 MHz: 1.2 words per 200 MHz cycle. */
            {"DRAM", PETAL_MEM_DRAM, 0, 16, 1, 1, 1, 1.2, 1.2, ALL},
            /* 108 kB = 55296 16-bit words. Reads feed the 16-bit ifmap bus and the
             * 64-bit filter and psum buses; updates return on the 64-bit psum bus:
             * the port moves 1 + 4 + 4 words a cycle, and each bus is a network of
             * its own (filters that bypass the glb go to the PEs unlimited). */
            {"glb", PETAL_MEM_SRAM, 55296, 16, 1, 1, 1, 9, 4, ALL, 0, {64, 16, 64}},
            {"ifmap_spad", PETAL_MEM_REGFILE, 12, 16, 1, 14, 12, 0, 0, I},
            {"filter_spad", PETAL_MEM_REGFILE, 224, 16, 1, 14, 12, 0, 0, W},
            {"psum_spad", PETAL_MEM_REGFILE, 24, 16, 1, 14, 12, 0, 0, O},
        },
        {14, 12, 16},
        &eyeriss_v1_sparse,
    },
    {
        "eyeriss-256",
        "The ISCA 2016 dataflow comparison: 16x16 PEs, 0.5 kB RF per PE, 128 kB buffer, "
        "16-bit",
        "eyeriss-65nm",
        200e6,
        3,
        {
            {"DRAM", PETAL_MEM_DRAM, 0, 16, 1, 1, 1, 0, 0, ALL},
            {"glb", PETAL_MEM_SRAM, 65536, 16, 1, 1, 1, 0, 0, ALL},
            {"rf", PETAL_MEM_REGFILE, 256, 16, 1, 16, 16, 0, 0, ALL},
        },
        {16, 16, 16},
    },
    {
        "simple-ws",
        "A simple weight-stationary array: 16x16 PEs, 128 kB buffer, 192-word weight "
        "scratchpad per PE, 45 nm, 1 GHz",
        "horowitz-45nm",
        1e9,
        SIMPLE_ARRAY(W),
    },
    {
        "simple-os",
        "A simple output-stationary array: 16x16 PEs, 128 kB buffer, 192-word output "
        "scratchpad per PE, 45 nm, 1 GHz",
        "horowitz-45nm",
        1e9,
        SIMPLE_ARRAY(O),
    },
    {
        "eyeriss-v2-pe",
        "One Eyeriss v2 PE cluster (JETCAS 2019): 3x4 PEs with 8-bit weights and activations "
        "and 20-bit partial sums, the cluster's 13.5 kB activation and psum buffer; dense",
        "eyeriss-65nm",
        200e6,
        5,
        {
            /* 8-bit words off chip, fetched 64 bits at a time. */
            {"DRAM", PETAL_MEM_DRAM, 0, 8, 8, 1, 1, 0, 0, ALL, 0},
            /* The cluster's activation SRAM (3 banks of 1.5 kB) and psum SRAM (4 banks
             * of 2.25 kB) as one buffer of 13824 bytes; weights bypass it on their own
             * network. Partial sums up to 20 bits. */
            {"glb_cluster", PETAL_MEM_SRAM, 13824, 8, 1, 1, 1, 0, 0, I | O, 20},
            /* Per PE: 16 8-bit activations, 192 8-bit weights (dense, no CSC
             * counts), 32 20-bit partial sums. */
            {"iact_spad", PETAL_MEM_REGFILE, 16, 8, 1, 3, 4, 0, 0, I, 8},
            {"weight_spad", PETAL_MEM_REGFILE, 192, 8, 1, 3, 4, 0, 0, W, 8},
            {"psum_spad", PETAL_MEM_REGFILE, 32, 20, 1, 3, 4, 0, 0, O, 20},
        },
        {3, 4, 8, 8, 20},
    },
    {
        "tpu-like",
        "A TPU-like systolic array: 32x32 8-bit MACs, weight-stationary, inputs forwarded "
        "down the columns and partial sums along the rows, 256 kB unified buffer, 45 nm, "
        "700 MHz",
        "horowitz-45nm",
        700e6,
        3,
        {
            /* Weights come from DRAM straight into the PEs (a weight FIFO). */
            {"DRAM", PETAL_MEM_DRAM, 0, 8, 8, 1, 1, 0, 0, ALL},
            /* The unified buffer: activations in, results back; one 32-word row
             * per access, a word per array edge per cycle each way. Inputs enter
             * at the top of each column and pass down it (Y); partial sums pass
             * along each row (X), adding up, and leave at its end. */
            {"ubuf",
             PETAL_MEM_SRAM,
             262144,
             8,
             32,
             1,
             1,
             32,
             32,
             I | O,
             0,
             {0, 0, 0},
             {PETAL_FORWARD_NONE, PETAL_FORWARD_Y, PETAL_FORWARD_X},
             true},
            /* One weight per PE, held while the inputs stream by. */
            {"wreg", PETAL_MEM_REGFILE, 1, 8, 1, 32, 32, 0, 0, W},
        },
        {32, 32, 8},
    },
};

#define NPRESETS (sizeof presets / sizeof presets[0])

size_t petal_arch_preset_count(void)
{
    return NPRESETS;
}

const char *petal_arch_preset_name(size_t i)
{
    return i < NPRESETS ? presets[i].name : NULL;
}

const char *petal_arch_preset_description(size_t i)
{
    return i < NPRESETS ? presets[i].description : NULL;
}

/* Put a preset's sparse features on its levels; a level it names that the
 * preset lacks is a bug (PETAL_EINTERNAL). */
static petal_status build_sparse(const preset_sparse *sp, petal_arch *a)
{
    for (size_t i = 0; i < sizeof sp->opts / sizeof sp->opts[0] && sp->opts[i].level; i++) {
        int l = petal_arch_level(a, sp->opts[i].level);
        if (l < 0 || a->levels[l].sparse.nopts == PETAL_MAX_ACTION_OPTS)
            return PETAL_EINTERNAL;
        petal_level_sparse *ls = &a->levels[l].sparse;
        ls->opts[ls->nopts++] =
            (petal_action_opt){sp->opts[i].kind, sp->opts[i].target, sp->opts[i].condition};
    }
    for (size_t i = 0; i < sizeof sp->rle / sizeof sp->rle[0] && sp->rle[i].level; i++) {
        int l = petal_arch_level(a, sp->rle[i].level);
        if (l < 0)
            return PETAL_EINTERNAL;
        petal_level_sparse *ls = &a->levels[l].sparse;
        ls->metadata_word_bits = sp->rle[i].run_bits;
        /* One rank over the whole tile, every dimension flattened into it, as
         * the chip codes the stream it sends. */
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            if (sp->rle[i].ds_mask & (1u << ds))
                ls->format[ds] =
                    (petal_format){1,
                                   {{PETAL_FORMAT_RLE, sp->rle[i].run_bits, sp->rle[i].payload_bits,
                                     (uint16_t)((1u << PETAL_MAX_DIMS) - 1)}}};
    }
    a->arith.sparse.kind = sp->mac_opt;
    return PETAL_OK;
}

/* The names are petal's own; one that does not fit is a bug (PETAL_EINTERNAL). */
static petal_status build(const preset *p, petal_arch *a)
{
    memset(a, 0, sizeof *a);
    if (petal_name_copy(PETAL_NAME_FIELD(a->name, PETAL_NAME_MAX), "preset name", p->name))
        return PETAL_EINTERNAL;
    a->clock_hz = p->clock_hz;
    a->nlevels = (uint8_t)p->nlevels;
    for (int i = 0; i < p->nlevels; i++) {
        const preset_level *src = &p->levels[i];
        petal_level *l = &a->levels[i];
        if (petal_name_copy(PETAL_NAME_FIELD(l->name, PETAL_NAME_MAX), "preset level name",
                            src->name))
            return PETAL_EINTERNAL;
        l->cls = src->cls;
        l->depth = src->depth;
        l->word_bits = src->word_bits;
        l->block_size = src->block_size;
        l->mesh_x = src->mesh_x;
        l->mesh_y = src->mesh_y;
        l->instances = (uint64_t)src->mesh_x * src->mesh_y;
        l->read_bw = src->read_bw;
        l->write_bw = src->write_bw;
        l->may_keep = src->may_keep;
        l->max_bits = src->max_bits;
        memcpy(l->network_bits, src->network_bits, sizeof l->network_bits);
        memcpy(l->forward, src->forward, sizeof l->forward);
        l->read_pj = l->fill_pj = l->update_pj = l->leak_pj = l->area_um2 = l->hop_pj = NAN;
        l->forward_pj = NAN;
    }
    memcpy(a->arith.name, "mac", sizeof "mac");
    a->arith.mesh_x = p->mac.mesh_x;
    a->arith.mesh_y = p->mac.mesh_y;
    a->arith.instances = (uint64_t)p->mac.mesh_x * p->mac.mesh_y;
    a->arith.word_bits = p->mac.bits;
    a->arith.max_bits = p->mac.max_bits;
    a->arith.max_psum_bits = p->mac.max_psum_bits;
    a->arith.mac_pj = a->arith.area_um2 = NAN;
    return p->sparse ? build_sparse(p->sparse, a) : PETAL_OK;
}

/* Network energies of a systolic array's fan-out from the table: a word
 * entering the next PE's one-word register. */
static petal_status register_hops(const preset *p, const petal_energy_table *t, petal_arch *a)
{
    for (int i = 0; i < p->nlevels; i++) {
        if (!p->levels[i].register_hops)
            continue;
        petal_storage_cost cost;
        petal_status st =
            petal_energy_storage(t, PETAL_MEM_REGFILE, 1, a->levels[i].word_bits, 1, &cost);
        if (st)
            return st;
        a->levels[i].hop_pj = a->levels[i].forward_pj = cost.write_pj;
    }
    return PETAL_OK;
}

/* Whether dimension d moves data space s (a term with a non-zero coefficient). */
static bool moves(const petal_problem *p, int s, int d)
{
    const petal_dataspace *ds = &p->ds[s];
    for (int r = 0; r < ds->nranks; r++)
        for (int t = 0; t < ds->ranks[r].nterms; t++)
            if (ds->ranks[r].terms[t].dim == d && ds->ranks[r].terms[t].coef != 0)
                return true;
    return false;
}

bool petal_arch_preset_has_constraints(const char *name)
{
    return name && strcmp(name, "tpu-like") == 0;
}

/* tpu-like: a systolic array's wiring fixes its dataflow. Across it (X) go
 * the dimensions the weights have and the outputs do not (the reduction: C,
 * R, S; a matmul's K), so partial sums add up along a row; down it (Y) those
 * the weights have and the inputs do not (output channels M; a matmul's N),
 * so an input passes down a column; nothing else is spread. The buffer keeps
 * the activations and the PEs the weights. */
petal_status petal_arch_preset_constraints(const char *name, const petal_problem *p,
                                           const petal_arch *a, petal_constraints *c)
{
    if (!petal_arch_preset_has_constraints(name))
        return PETAL_OK;
    int ubuf = petal_arch_level(a, "ubuf"), wreg = petal_arch_level(a, "wreg");
    if (ubuf < 0 || wreg < 0 || c->nlevels != a->nlevels)
        return petal_error_set(PETAL_EINVAL,
                               "preset %s: constraints for an architecture without its levels "
                               "ubuf and wreg",
                               name);
    petal_level_constraints *lc = &c->levels[ubuf];
    int n = 0;
    for (int d = 0; d < p->ndims; d++)
        if (moves(p, PETAL_DS_WEIGHTS, d) && !moves(p, PETAL_DS_OUTPUTS, d))
            lc->spatial_order[n++] = (uint8_t)d;
    lc->spatial_split = n;
    for (int d = 0; d < p->ndims; d++)
        if (moves(p, PETAL_DS_WEIGHTS, d) && !moves(p, PETAL_DS_INPUTS, d))
            lc->spatial_order[n++] = (uint8_t)d;
    lc->n_spatial_order = (uint8_t)n;
    for (int d = 0; d < p->ndims; d++) {
        bool placed = false;
        for (int k = 0; k < n; k++)
            placed |= lc->spatial_order[k] == d;
        if (!placed && !lc->spatial_exact[d])
            lc->spatial_max[d] = 1;
    }
    lc->keep |= I | O;
    c->levels[wreg].keep |= W;
    return PETAL_OK;
}

const char *petal_arch_preset_energy_table(const char *name)
{
    for (size_t i = 0; name && i < NPRESETS; i++)
        if (strcmp(presets[i].name, name) == 0)
            return presets[i].energy_table;
    return NULL;
}

petal_status petal_arch_preset(const char *name, petal_arch *a)
{
    for (size_t i = 0; i < NPRESETS; i++) {
        if (strcmp(presets[i].name, name) != 0)
            continue;
        const petal_energy_table *t;
        petal_status st = petal_energy_table_get(presets[i].energy_table, &t);
        if (!st)
            st = build(&presets[i], a);
        if (!st)
            st = register_hops(&presets[i], t, a);
        if (!st)
            st = petal_energy_fill(t, a);
        if (!st)
            st = petal_arch_check(a);
        return st ? petal_error_prefix(PETAL_EINTERNAL, "preset %s: ", name) : PETAL_OK;
    }
    char known[512] = "";
    for (size_t i = 0; i < NPRESETS; i++) {
        size_t used = strlen(known);
        snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "", presets[i].name);
    }
    return petal_error_set(PETAL_ENOTFOUND, "no architecture named '%s' (known architectures: %s)",
                           name, known);
}
