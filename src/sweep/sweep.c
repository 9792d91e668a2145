/* sweep.c - a sweep's points: which they are, the architecture of each, and one
 * point run over every network with the shape memo (docs/sweep.md).
 *
 * The points are a mixed-radix count over the varied parameters (the first
 * slowest), then the dataflows, then the objectives. A random sample draws N
 * distinct indices of that count with a fixed generator (splitmix64) and keeps
 * them ascending, so the sample is the same on every machine. */
#include "petal/sweep.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "petal/energy.h"
#include "sweep/sweep_internal.h"
#include "util/error.h"

uint64_t sweep_hash_bytes(uint64_t h, const void *bytes, size_t n)
{
    const unsigned char *b = bytes;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

petal_status sweep_hash_file(const char *path, uint64_t *h)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return petal_error_set(PETAL_EIO, "%s: cannot read: %s", path, strerror(errno));
    unsigned char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        *h = sweep_hash_bytes(*h, buf, got);
    bool bad = ferror(f) != 0;
    fclose(f);
    if (bad)
        return petal_error_set(PETAL_EIO, "%s: cannot read", path);
    return PETAL_OK;
}

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The widest word a level (a MAC) may be given, as the architecture format takes it. */
#define LEVEL_MAX_WORD_BITS 4096

static petal_status check_place(const petal_sweep_spec *s, const petal_sweep_param *p,
                                const petal_sweep_place *pl)
{
    if (pl->field == PETAL_SWEEP_PRECISION) {
        if (pl->width < -1 || pl->width > PETAL_PRECISION_PSUMS)
            return petal_error_set(PETAL_EINVAL, "sweep: parameter %s: no such width", p->name);
        for (size_t v = 0; v < p->nvalues; v++)
            if (!petal_precision_any(&p->precisions[v]) ||
                (pl->width >= 0 && p->precisions[v].bits[pl->width] == 0))
                return petal_error_set(PETAL_EINVAL, "sweep: parameter %s: value %zu sets no width",
                                       p->name, v + 1);
        return PETAL_OK;
    }
    if (pl->level >= (int)s->arch.nlevels || pl->level < -1)
        return petal_error_set(PETAL_EINVAL, "sweep: parameter %s: no such level", p->name);
    bool mesh = pl->field == PETAL_SWEEP_MESH_X || pl->field == PETAL_SWEEP_MESH_Y;
    bool bits = pl->field == PETAL_SWEEP_WORD_BITS;
    if (pl->level == -1 && !mesh && !bits)
        return petal_error_set(
            PETAL_EINVAL, "sweep: parameter %s: the MACs have only mesh_x, mesh_y and word_bits",
            p->name);
    double max_bits = pl->level == -1 ? PETAL_PRECISION_MAX_BITS : LEVEL_MAX_WORD_BITS;
    for (size_t v = 0; v < p->nvalues; v++) {
        double x = p->values[v];
        bool whole = pl->field == PETAL_SWEEP_DEPTH || mesh || bits;
        if (!isfinite(x) || x < 0 || (whole && (x < 1 || x != floor(x) || x > 4294967295.0)))
            return petal_error_set(PETAL_EINVAL, "sweep: parameter %s: value %g is not %s", p->name,
                                   x, whole ? "a whole number >= 1" : "a bandwidth >= 0");
        if (bits && x > max_bits)
            return petal_error_set(PETAL_EINVAL,
                                   "sweep: parameter %s: %g word bits; expected 1 to %g", p->name,
                                   x, max_bits);
    }
    /* A new size or width is a new price: only the table can give it. */
    bool priced = (pl->field == PETAL_SWEEP_DEPTH && pl->level >= 0 &&
                   s->arch.levels[pl->level].cls != PETAL_MEM_DRAM) ||
                  bits;
    if (priced && !s->energy_table)
        return petal_error_set(PETAL_EINVAL,
                               "sweep: parameter %s changes a %s, so an energy table must "
                               "re-price the %s: name one with energy_table "
                               "(eyeriss-65nm or horowitz-45nm)",
                               p->name, bits ? "word width" : "depth",
                               pl->level == -1 ? "MACs" : "level");
    return PETAL_OK;
}

petal_status petal_sweep_spec_finish(petal_sweep_spec *s)
{
    free(s->points);
    s->points = NULL;
    s->npoints = 0;
    if (s->nnetworks == 0)
        return petal_error_set(PETAL_EINVAL, "sweep: at least one network is needed");
    if (s->nbatches == 0)
        s->batches[s->nbatches++] = 1;
    if (s->ndataflows == 0)
        s->dataflows[s->ndataflows++][0] = '\0';
    if (s->nobjectives == 0)
        s->objectives[s->nobjectives++] = PETAL_OBJECTIVE_ENERGY;
    for (size_t i = 0; i < s->ndataflows; i++)
        if (s->dataflows[i][0] && !petal_dataflow_known(s->dataflows[i])) {
            char known[128];
            petal_dataflow_names(known, sizeof known);
            return petal_error_set(PETAL_ENOTFOUND, "sweep: unknown dataflow '%s' (known: %s)",
                                   s->dataflows[i], known);
        }
    if (s->nfractions && (s->nnetworks != 1 || s->nbatches != 1))
        return petal_error_set(PETAL_EINVAL,
                               "sweep: netadapt tables are for one network at one batch size "
                               "(the spec has %zu networks and %zu batch sizes)",
                               s->nnetworks, s->nbatches);
    for (size_t i = 0; i < s->nfractions; i++)
        if (!(s->fractions[i] > 0 && s->fractions[i] <= 1))
            return petal_error_set(PETAL_EINVAL, "sweep: netadapt: fraction %g is not in (0, 1]",
                                   s->fractions[i]);
    petal_status st = petal_arch_check(&s->arch);
    if (st)
        return petal_error_prefix(st, "sweep: the template architecture: ");
    uint64_t space = 1;
    for (size_t i = 0; i < s->nparams; i++) {
        const petal_sweep_param *p = &s->params[i];
        if (p->nvalues == 0 || p->nplaces == 0)
            return petal_error_set(PETAL_EINVAL, "sweep: parameter %s has no %s", p->name,
                                   p->nvalues ? "place" : "values");
        for (size_t k = 0; k < p->nplaces; k++)
            if ((st = check_place(s, p, &p->places[k])))
                return st;
        space *= p->nvalues;
        if (space > PETAL_SWEEP_MAX_SPACE)
            break;
    }
    space *= s->ndataflows * s->nobjectives;
    if (space > PETAL_SWEEP_MAX_SPACE)
        return petal_error_set(PETAL_EINVAL,
                               "sweep: the spec describes more than %d points; sample fewer",
                               PETAL_SWEEP_MAX_SPACE);
    size_t n = s->sample && s->sample < space ? (size_t)s->sample : (size_t)space;
    uint64_t *all = malloc((size_t)space * sizeof *all);
    if (!all)
        return petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
    for (uint64_t i = 0; i < space; i++)
        all[i] = i;
    if (n < space) {
        /* The first n places of a Fisher-Yates shuffle, then point order. */
        uint64_t state = s->seed;
        for (size_t i = 0; i < n; i++) {
            size_t j = i + (size_t)(splitmix64(&state) % (space - i));
            uint64_t t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        qsort(all, n, sizeof *all, cmp_u64);
    }
    s->points = all;
    s->npoints = n;
    /* The named files as they are now: a resumed output must match them. */
    for (size_t i = 0; i < s->nfiles; i++) {
        s->files[i].fingerprint = SWEEP_HASH_START;
        if ((st = sweep_hash_file(s->files[i].path, &s->files[i].fingerprint)))
            return st;
    }
    return PETAL_OK;
}

void petal_sweep_spec_free(petal_sweep_spec *s)
{
    for (size_t i = 0; i < s->nnetworks; i++)
        petal_network_free(&s->networks[i]);
    s->nnetworks = 0;
    free(s->points);
    s->points = NULL;
    s->npoints = 0;
}

size_t petal_sweep_rows_per_point(const petal_sweep_spec *s)
{
    if (s->nfractions)
        return s->nnetworks ? s->networks[0].nlayers * s->nfractions : 0;
    return s->nnetworks * s->nbatches;
}

petal_status petal_sweep_point_get(const petal_sweep_spec *s, size_t i, petal_sweep_point *out)
{
    if (!s || !out || i >= s->npoints)
        return petal_error_set(PETAL_EINVAL, "sweep: no point %zu", i);
    memset(out, 0, sizeof *out);
    out->index = i;
    uint64_t x = s->points[i];
    out->objective = s->objectives[x % s->nobjectives];
    x /= s->nobjectives;
    out->dataflow = s->dataflows[x % s->ndataflows];
    x /= s->ndataflows;
    for (size_t k = s->nparams; k-- > 0;) {
        out->choice[k] = (size_t)(x % s->params[k].nvalues);
        out->values[k] = s->params[k].values[out->choice[k]];
        x /= s->params[k].nvalues;
    }
    return PETAL_OK;
}

void petal_sweep_point_precision(const petal_sweep_spec *s, const petal_sweep_point *pt,
                                 petal_precision *out)
{
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < s->nparams; k++) {
        const petal_sweep_param *p = &s->params[k];
        const petal_precision *v = &p->precisions[pt->choice[k]];
        for (size_t j = 0; j < p->nplaces; j++) {
            const petal_sweep_place *pl = &p->places[j];
            if (pl->field != PETAL_SWEEP_PRECISION)
                continue;
            for (int i = 0; i <= PETAL_PRECISION_PSUMS; i++) {
                if ((pl->width >= 0 && i != pl->width) || v->bits[i] == 0)
                    continue;
                out->bits[i] = v->bits[i];
                out->float_mask =
                    (uint8_t)((out->float_mask & ~(1u << i)) | (v->float_mask & (1u << i)));
            }
        }
    }
}

/* What set_place changed that must be priced again from the table. */
typedef struct repricing {
    bool depth[PETAL_MAX_LEVELS];
    bool bits[PETAL_MAX_LEVELS];
    bool mac_bits;
} repricing;

/* Set one place; a level whose depth or width changed is re-priced afterwards. */
static void set_place(petal_arch *a, const petal_sweep_place *pl, double v, repricing *re)
{
    if (pl->field == PETAL_SWEEP_PRECISION)
        return; /* the layers', not the architecture's */
    if (pl->level < 0) {
        if (pl->field == PETAL_SWEEP_WORD_BITS) {
            a->arith.word_bits = (uint32_t)v;
            re->mac_bits = true;
        } else if (pl->field == PETAL_SWEEP_MESH_X)
            a->arith.mesh_x = (uint32_t)v;
        else
            a->arith.mesh_y = (uint32_t)v;
        a->arith.instances = (uint64_t)a->arith.mesh_x * a->arith.mesh_y;
        return;
    }
    petal_level *l = &a->levels[pl->level];
    switch (pl->field) {
    case PETAL_SWEEP_DEPTH:
        l->depth = (uint64_t)v;
        re->depth[pl->level] = true;
        break;
    case PETAL_SWEEP_WORD_BITS:
        l->word_bits = (uint32_t)v;
        re->bits[pl->level] = true;
        break;
    case PETAL_SWEEP_PRECISION:
        break;
    case PETAL_SWEEP_MESH_X:
        l->mesh_x = (uint32_t)v;
        l->instances = (uint64_t)l->mesh_x * l->mesh_y;
        break;
    case PETAL_SWEEP_MESH_Y:
        l->mesh_y = (uint32_t)v;
        l->instances = (uint64_t)l->mesh_x * l->mesh_y;
        break;
    case PETAL_SWEEP_READ_BW:
        l->read_bw = v;
        break;
    case PETAL_SWEEP_WRITE_BW:
        l->write_bw = v;
        break;
    }
}

/* Fan-out of level l by instance counts, without the checks (the architecture may
 * not pass them yet). */
static uint64_t fanout_of(const petal_arch *a, int l)
{
    uint64_t inner = l + 1 < a->nlevels ? a->levels[l + 1].instances : a->arith.instances;
    uint64_t outer = a->levels[l].instances;
    return outer && inner > outer ? inner / outer : 1;
}

petal_status petal_sweep_point_arch(const petal_sweep_spec *s, const petal_sweep_point *pt,
                                    petal_arch *out)
{
    *out = s->arch;
    repricing re;
    memset(&re, 0, sizeof re);
    for (size_t k = 0; k < s->nparams; k++)
        for (size_t j = 0; j < s->params[k].nplaces; j++)
            set_place(out, &s->params[k].places[j], pt->values[k], &re);
    for (int l = 0; l < out->nlevels; l++) {
        petal_level *lv = &out->levels[l];
        /* A DRAM's access costs follow its width, not its depth. */
        bool priced =
            lv->cls != PETAL_MEM_NONE && (re.bits[l] || (re.depth[l] && lv->cls != PETAL_MEM_DRAM));
        if (priced) {
            petal_storage_cost c;
            petal_status st = petal_energy_storage(s->energy_table, lv->cls, lv->depth,
                                                   lv->word_bits, lv->block_size, &c);
            if (st)
                return petal_error_prefix(st, "level %s: ", lv->name);
            lv->read_pj = c.read_pj;
            lv->fill_pj = lv->update_pj = c.write_pj;
            lv->area_um2 = c.area_um2;
        }
        /* Network energy is charged per word-hop on a level with a fan-out: a
         * level that gains one needs the table's figure, one that loses it none,
         * and one whose words change width the table's figure at the new width. */
        bool had = fanout_of(&s->arch, l) > 1, has = fanout_of(out, l) > 1;
        if (has && (!had || re.bits[l])) {
            if (!s->energy_table)
                return petal_error_set(PETAL_EINVAL,
                                       "level %s gains a fan-out and no energy table prices "
                                       "its network",
                                       lv->name);
            lv->hop_pj = petal_energy_hop(s->energy_table, lv->word_bits);
        } else if (!has) {
            lv->hop_pj = 0;
        }
    }
    if (re.mac_bits) {
        petal_status st =
            petal_energy_mac(s->energy_table, out->arith.word_bits, out->arith.is_float,
                             &out->arith.mac_pj, &out->arith.area_um2);
        if (st)
            return petal_error_prefix(st, "arithmetic %s: ", out->arith.name);
    }
    return petal_arch_check(out);
}

/* --- the shape memo --- */

typedef struct memo_entry {
    petal_problem shape;
    petal_arch arch;
    petal_objective objective;
    char dataflow[PETAL_NAME_MAX];
    double budget;
    petal_map_result result;
} memo_entry;

/* At most this many results are kept (about 50 MB); then the oldest goes. */
#define MEMO_MAX 4096

struct petal_sweep_memo {
    memo_entry *entries;
    size_t n, cap, oldest;
    uint64_t asked, searched;
};

petal_status petal_sweep_memo_new(petal_sweep_memo **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? PETAL_OK : petal_error_set(PETAL_ENOMEM, "sweep: out of memory");
}

void petal_sweep_memo_free(petal_sweep_memo *m)
{
    if (!m)
        return;
    free(m->entries);
    free(m);
}

void petal_sweep_memo_counts(const petal_sweep_memo *m, uint64_t *asked, uint64_t *searched)
{
    *asked = m ? m->asked : 0;
    *searched = m ? m->searched : 0;
}

/* Architectures in a memo all come from one template by petal_sweep_point_arch,
 * a copy of the same struct, so equal contents are equal bytes. */
static petal_status memo_search(void *ctx, const petal_problem *p, const petal_arch *a,
                                const petal_map_options *o, petal_map_result *out)
{
    petal_sweep_memo *m = ctx;
    const char *df = o->dataflow ? o->dataflow : "";
    m->asked++;
    for (size_t i = 0; i < m->n; i++) {
        const memo_entry *e = &m->entries[i];
        if (e->objective == o->objective && e->budget == o->budget_seconds &&
            strcmp(e->dataflow, df) == 0 && petal_problem_same_shape(&e->shape, p) &&
            memcmp(&e->arch, a, sizeof *a) == 0) {
            *out = e->result;
            return PETAL_OK;
        }
    }
    petal_status st = petal_map(p, a, o, out);
    if (st)
        return st;
    m->searched++;
    memo_entry *e;
    if (m->n == MEMO_MAX) {
        /* Full: the oldest entry makes room (entries are about 12 kB each). */
        e = &m->entries[m->oldest];
        m->oldest = (m->oldest + 1) % MEMO_MAX;
    } else {
        if (m->n == m->cap) {
            size_t cap = m->cap ? 2 * m->cap : 16;
            memo_entry *grown = realloc(m->entries, cap * sizeof *grown);
            if (!grown)
                return PETAL_OK; /* the answer stands; it is just not remembered */
            m->entries = grown;
            m->cap = cap;
        }
        e = &m->entries[m->n++];
    }
    e->shape = *p;
    e->arch = *a;
    e->objective = o->objective;
    snprintf(e->dataflow, sizeof e->dataflow, "%s", df);
    e->budget = o->budget_seconds;
    e->result = *out;
    return PETAL_OK;
}

/* --- one point --- */

static void set_search_fields(petal_sweep_row *row, const petal_map_result *mr)
{
    row->proven = mr->complete;
    row->worst_gap = petal_map_gap(mr);
}

/* NetAdapt's look-up table: each layer alone, its output channels scaled by each
 * fraction (rounded, at least one; a whole number of groups for grouped
 * convolutions). The next layer's input channels stay as they are: the table is
 * per layer, as the mode's consumers index it. */
static petal_status netadapt_rows(const petal_sweep_spec *s, const petal_arch *a,
                                  const petal_precision *widths, const petal_map_options *mo,
                                  petal_sweep_memo *memo, petal_sweep_row *rows)
{
    const petal_network *net = &s->networks[0];
    for (size_t r = 0; r < petal_sweep_rows_per_point(s); r++) {
        petal_sweep_row *row = &rows[r];
        const petal_problem *layer = &net->layers[row->layer];
        if (layer->kind == PETAL_LAYER_MATMUL) {
            row->status = PETAL_SWEEP_INVALID;
            snprintf(row->reason, sizeof row->reason,
                     "not yet: netadapt scales convolution and fully connected layers only");
            continue;
        }
        petal_conv_params c = layer->source.conv;
        int64_t groups = c.groups > 0 ? c.groups : 1;
        if (groups > 1 && groups == c.in_channels && c.out_channels == c.in_channels) {
            row->status = PETAL_SWEEP_INVALID;
            snprintf(row->reason, sizeof row->reason,
                     "depthwise: its output channels follow its input channels");
            continue;
        }
        int64_t per_group = c.out_channels / groups;
        int64_t scaled = (int64_t)floor((double)per_group * row->fraction + 0.5);
        c.out_channels = (scaled < 1 ? 1 : scaled) * groups;
        c.batch = (int64_t)row->batch;
        row->out_channels = (uint64_t)c.out_channels;
        petal_problem q;
        petal_status st = petal_problem_conv(&q, layer->name, &c);
        if (st) {
            row->status = PETAL_SWEEP_INVALID;
            snprintf(row->reason, sizeof row->reason, "%s", petal_error_message());
            continue;
        }
        /* The layer's own widths and densities go with it, then the point's widths. */
        q.precision = layer->precision;
        memcpy(q.density, layer->density, sizeof q.density);
        petal_precision_apply(&q, widths);
        petal_map_result mr;
        st = memo ? memo_search(memo, &q, a, mo, &mr) : petal_map(&q, a, mo, &mr);
        if (st == PETAL_EINVAL || st == PETAL_ENOTFOUND) {
            row->status = PETAL_SWEEP_INVALID;
            snprintf(row->reason, sizeof row->reason, "%s", petal_error_message());
            continue;
        }
        if (st)
            return st;
        if (!mr.found) {
            row->status = PETAL_SWEEP_UNMAPPED;
            snprintf(row->reason, sizeof row->reason, "%s", mr.why);
            continue;
        }
        row->macs = mr.stats.computes;
        row->energy = mr.stats.energy_pj;
        row->cycles = mr.stats.cycles;
        row->latency_s = a->clock_hz > 0 ? (double)mr.stats.cycles / a->clock_hz : 0;
        row->inferences_per_s = row->latency_s > 0 ? (double)row->batch / row->latency_s : 0;
        row->energy_per_mac = row->macs ? row->energy / (double)row->macs : 0;
        set_search_fields(row, &mr);
    }
    return PETAL_OK;
}

const char *petal_sweep_status_name(petal_sweep_status st)
{
    switch (st) {
    case PETAL_SWEEP_OK:
        return "ok";
    case PETAL_SWEEP_UNMAPPED:
        return "unmapped";
    case PETAL_SWEEP_INVALID:
        return "invalid";
    case PETAL_SWEEP_PRUNED:
        return "pruned";
    }
    return "?";
}

static void fill_rows(const petal_sweep_spec *s, size_t i, petal_sweep_row *rows,
                      petal_sweep_status st, const char *reason, double area_mm2)
{
    size_t per = petal_sweep_rows_per_point(s);
    for (size_t r = 0; r < per; r++) {
        memset(&rows[r], 0, sizeof rows[r]);
        rows[r].point = i;
        if (s->nfractions) {
            rows[r].layer = r / s->nfractions;
            rows[r].fraction = s->fractions[r % s->nfractions];
            rows[r].batch = s->batches[0];
        } else {
            rows[r].network = r / s->nbatches;
            rows[r].batch = s->batches[r % s->nbatches];
        }
        rows[r].status = st;
        rows[r].area_mm2 = area_mm2;
        snprintf(rows[r].reason, sizeof rows[r].reason, "%s", reason);
    }
}

petal_status petal_sweep_run_point(const petal_sweep_spec *s, size_t i, const petal_map_options *o,
                                   petal_sweep_memo *memo, petal_sweep_row *rows)
{
    petal_sweep_point pt;
    petal_status st = petal_sweep_point_get(s, i, &pt);
    if (st)
        return st;
    petal_arch a;
    if (petal_sweep_point_arch(s, &pt, &a)) {
        fill_rows(s, i, rows, PETAL_SWEEP_INVALID, petal_error_message(), NAN);
        return PETAL_OK;
    }
    double area_mm2 = petal_arch_area(&a) / 1e6;
    fill_rows(s, i, rows, PETAL_SWEEP_OK, "", area_mm2);
    if (s->max_area_mm2 > 0 && area_mm2 > s->max_area_mm2) {
        char why[PETAL_WHY_MAX];
        snprintf(why, sizeof why, "area %.4f mm^2 over the cap of %g mm^2", area_mm2,
                 s->max_area_mm2);
        fill_rows(s, i, rows, PETAL_SWEEP_PRUNED, why, area_mm2);
        return PETAL_OK;
    }
    petal_map_options mo = *o;
    mo.objective = pt.objective;
    mo.dataflow = pt.dataflow[0] ? pt.dataflow : NULL;
    petal_precision widths;
    petal_sweep_point_precision(s, &pt, &widths);
    if (s->nfractions)
        return netadapt_rows(s, &a, &widths, &mo, memo, rows);
    for (size_t r = 0; r < petal_sweep_rows_per_point(s); r++) {
        petal_sweep_row *row = &rows[r];
        petal_network net = {0};
        const petal_network *tmpl = &s->networks[row->network];
        if ((st = petal_network_init(&net, tmpl->name)))
            return st;
        for (size_t l = 0; l < tmpl->nlayers && !st; l++) {
            petal_problem layer = tmpl->layers[l];
            petal_precision_apply(&layer, &widths);
            st = petal_network_add(&net, &layer);
        }
        if (!st)
            st = petal_network_set_batch(&net, row->batch);
        if (st) {
            petal_network_free(&net);
            return st;
        }
        petal_network_totals tot;
        (void)petal_network_totals_get(&net, &tot);
        /* Every MAC unit busy every cycle is the fastest any mapping can be. */
        double floor_ms =
            a.clock_hz > 0 ? (double)tot.macs / (double)a.arith.instances / a.clock_hz * 1e3 : 0;
        if (s->max_latency_ms > 0 && floor_ms > s->max_latency_ms) {
            row->status = PETAL_SWEEP_PRUNED;
            snprintf(row->reason, sizeof row->reason,
                     "latency at least %.4f ms (every MAC busy), over the cap of %g ms", floor_ms,
                     s->max_latency_ms);
            petal_network_free(&net);
            continue;
        }
        petal_eval_result er;
        st = petal_eval_network_using(&net, &a, &mo, memo ? memo_search : NULL, memo, NULL, NULL,
                                      &er);
        petal_network_free(&net);
        if (st == PETAL_EINVAL || st == PETAL_ENOTFOUND) {
            row->status = PETAL_SWEEP_INVALID;
            snprintf(row->reason, sizeof row->reason, "%s", petal_error_message());
            continue;
        }
        if (st)
            return st;
        row->macs = er.macs;
        row->energy = er.energy_pj;
        row->cycles = er.cycles;
        row->latency_s = er.latency_s;
        row->inferences_per_s = er.latency_s > 0 ? (double)row->batch / er.latency_s : 0;
        row->energy_per_mac = er.macs ? er.energy_pj / (double)er.macs : 0;
        row->dram_bytes_per_mac = er.macs ? (double)er.dram_bytes / (double)er.macs : 0;
        row->proven = true;
        size_t first_unmapped = SIZE_MAX;
        for (size_t l = 0; l < er.nlayers; l++) {
            const petal_map_result *mr = &er.layers[l].map;
            if (!mr->found) {
                row->status = PETAL_SWEEP_UNMAPPED;
                row->proven = false;
                if (first_unmapped == SIZE_MAX)
                    first_unmapped = l;
                continue;
            }
            if (!mr->complete)
                row->proven = false;
            double gap = petal_map_gap(mr);
            if (gap > row->worst_gap)
                row->worst_gap = gap;
        }
        if (first_unmapped != SIZE_MAX) {
            /* Partial totals, and why: the message may be cut to fit the row. */
            size_t n = (size_t)snprintf(row->reason, sizeof row->reason,
                                        "%zu of %zu layers without a mapping (totals cover the "
                                        "others); layer %s: ",
                                        er.unmapped, er.nlayers, tmpl->layers[first_unmapped].name);
            const char *why = er.layers[first_unmapped].map.why;
            if (n < sizeof row->reason)
                memcpy(row->reason + n, why, strnlen(why, sizeof row->reason - n - 1));
        }
        petal_eval_free(&er);
        if (row->status == PETAL_SWEEP_OK && s->max_latency_ms > 0 &&
            row->latency_s * 1e3 > s->max_latency_ms) {
            row->status = PETAL_SWEEP_PRUNED;
            snprintf(row->reason, sizeof row->reason,
                     "latency %.4f ms as mapped, over the cap of %g ms", row->latency_s * 1e3,
                     s->max_latency_ms);
        }
    }
    return PETAL_OK;
}

/* --- CSV --- */

static void csv_text(FILE *out, const char *s)
{
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (!quote) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out); /* one row, one line */
    }
    fputc('"', out);
}

void petal_sweep_csv_header(FILE *out, const petal_sweep_spec *s)
{
    fputs("point", out);
    for (size_t k = 0; k < s->nparams; k++) {
        fputc(',', out);
        csv_text(out, s->params[k].name);
    }
    if (s->nfractions)
        fputs(",dataflow,objective,network,batch,layer,fraction,out_channels,status,area_mm2,"
              "macs,energy,energy_unit,cycles,latency_s,energy_per_mac,proven,gap,reason\n",
              out);
    else
        fputs(",dataflow,objective,network,batch,status,area_mm2,macs,energy,energy_unit,cycles,"
              "latency_s,inferences_per_s,energy_per_mac,dram_bytes_per_mac,proven,gap,reason\n",
              out);
}

/* A parameter's value as the CSV gives it: a number; a width with its f for
 * floating point; a whole list of widths as petal_precision_parse reads it. */
void sweep_value_text(FILE *out, const petal_sweep_param *p, size_t choice, double value,
                      bool quote)
{
    const petal_sweep_place *width = NULL;
    for (size_t i = 0; i < p->nplaces && !width; i++)
        if (p->places[i].field == PETAL_SWEEP_PRECISION)
            width = &p->places[i];
    if (!width) {
        fprintf(out, "%.10g", value);
        return;
    }
    const petal_precision *prec = &p->precisions[choice];
    if (width->width >= 0) {
        fprintf(out, "%u%s", prec->bits[width->width],
                prec->float_mask & (1u << width->width) ? "f" : "");
        return;
    }
    char text[128];
    size_t n = 0;
    for (int i = 0; i <= PETAL_PRECISION_PSUMS && n < sizeof text; i++)
        if (prec->bits[i])
            n += (size_t)snprintf(text + n, sizeof text - n, "%s%s=%u%s", n ? "," : "",
                                  petal_precision_name(i), prec->bits[i],
                                  prec->float_mask & (1u << i) ? "f" : "");
    if (quote)
        csv_text(out, text);
    else
        fputs(text, out);
}

void petal_sweep_csv_row(FILE *out, const petal_sweep_spec *s, const petal_sweep_row *row)
{
    petal_sweep_point pt;
    if (petal_sweep_point_get(s, row->point, &pt))
        return;
    fprintf(out, "%zu", row->point);
    for (size_t k = 0; k < s->nparams; k++) {
        fputc(',', out);
        sweep_value_text(out, &s->params[k], pt.choice[k], pt.values[k], true);
    }
    fprintf(out, ",%s,%s,", pt.dataflow[0] ? pt.dataflow : "any",
            petal_objective_name(pt.objective));
    csv_text(out, s->networks[row->network].name);
    fprintf(out, ",%" PRIu64 ",", row->batch);
    if (s->nfractions) {
        csv_text(out, s->networks[0].layers[row->layer].name);
        fprintf(out, ",%.6g,%" PRIu64 ",", row->fraction, row->out_channels);
    }
    fprintf(out, "%s,", petal_sweep_status_name(row->status));
    if (isfinite(row->area_mm2))
        fprintf(out, "%.6f", row->area_mm2);
    bool numbers =
        row->status == PETAL_SWEEP_OK || (row->status == PETAL_SWEEP_UNMAPPED && !s->nfractions);
    if (numbers && s->nfractions)
        fprintf(out, ",%" PRIu64 ",%.10g,%s,%" PRIu64 ",%.10g,%.10g,%s,%.6g,", row->macs,
                row->energy, petal_energy_unit_name(s->arch.energy_unit), row->cycles,
                row->latency_s, row->energy_per_mac, row->proven ? "yes" : "no", row->worst_gap);
    else if (numbers)
        fprintf(out, ",%" PRIu64 ",%.10g,%s,%" PRIu64 ",%.10g,%.10g,%.10g,%.10g,%s,%.6g,",
                row->macs, row->energy, petal_energy_unit_name(s->arch.energy_unit), row->cycles,
                row->latency_s, row->inferences_per_s, row->energy_per_mac, row->dram_bytes_per_mac,
                row->proven ? "yes" : "no", row->worst_gap);
    else
        fputs(s->nfractions ? ",,,,,,,,," : ",,,,,,,,,,,", out);
    csv_text(out, row->reason);
    fputc('\n', out);
}
