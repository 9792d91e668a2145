/* model.c - petal_model_eval: validity, reads/fills/updates per level and data
 * space, cycles, energy and area of one mapping.
 *
 * The counting rules (docs/model.md) in short. For each data space the levels
 * that keep it form a chain from the outermost level inwards; the MACs end it.
 * Between a keeper j and the next keeper c inwards (or the MACs):
 *   - c takes in D(c) words over the run (reuse_words_entering; the MACs take
 *     one operand per operation: D = iterations);
 *   - j serves C(j) = D(c) * G(j) * ... * G(c-1) words, where G(i) counts the
 *     groups of level i's spatial children that share a tile (a group is
 *     served once: multicast; for Outputs, reduced once: spatial reduction);
 *   - read-only data: reads(j) = C(j), fills(c) = D(c);
 *   - Outputs: updates(j) = C(j), reads(j) = C(j) - P(j) and
 *     fills(c) = D(c) - P(c), P being the partition: the first read of each
 *     partial sum is elided;
 *   - the outermost level fills nothing;
 *   - the network below each level l from j to c - 1 carries, into each
 *     instance of level l + 1, D(c) * G(l+1) * ... * G(c-1) words; for
 *     Outputs, (D(c) + fills(c)) * G(l+1) * ... * G(c-1): the refills come
 *     back down the way the partial sums went up.
 * All figures are per instance; totals multiply by the utilised instances.
 */
#include "petal/model.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "petal/energy.h"

#include "model/forward.h"
#include "model/reuse.h"
#include "model/sparse.h"
#include "model/split.h"
#include "model/unchecked.h"
#include "util/error.h"

__extension__ typedef unsigned __int128 u128;

static const char *ds_name(const petal_problem *p, int s)
{
    static const char *fallback[PETAL_NUM_DS] = {"Weights", "Inputs", "Outputs"};
    return p->ds[s].name[0] ? p->ds[s].name : fallback[s];
}

static void set_invalid(petal_model_result *out, petal_invalid_reason reason, int level,
                        const char *fmt, ...) PETAL_PRINTF(4, 5);

static void set_invalid(petal_model_result *out, petal_invalid_reason reason, int level,
                        const char *fmt, ...)
{
    out->valid = false;
    out->reason = reason;
    out->invalid_level = level;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out->why, sizeof out->why, fmt, ap);
    va_end(ap);
}

/* Structure, factors, bypass and fan-out: everything that needs no tile size.
 * The fan-outs used come from the nest. *imperfect gets the dimension whose
 * factors cover its bound imperfectly (-1: none); two such dimensions are
 * not counted yet. */
static bool check_mapping(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                          const reuse_nest *n, petal_model_result *out, int *imperfect)
{
    int nd = p->ndims, nl = a->nlevels;
    for (int l = 0; l < nl; l++) {
        const petal_level_mapping *lm = &m->levels[l];
        unsigned seen = 0;
        for (int k = 0; k < nd; k++)
            if (lm->perm[k] < nd)
                seen |= 1u << lm->perm[k];
        if (seen != (1u << nd) - 1) {
            set_invalid(out, PETAL_INVALID_STRUCTURE, l,
                        "level %s: the loop order does not name every dimension once",
                        a->levels[l].name);
            return false;
        }
    }
    *imperfect = -1;
    for (int d = 0; d < nd; d++) {
        if (n->ext[0][d] == p->bounds[d] && !n->overflow)
            continue;
        for (int l = 0; l < nl; l++) {
            const petal_level_mapping *lm = &m->levels[l];
            if (!lm->temporal[d] || !lm->spatial_x[d] || !lm->spatial_y[d]) {
                set_invalid(out, PETAL_INVALID_FACTORS, l, "level %s: dimension %s has a factor 0",
                            a->levels[l].name, p->dim_names[d]);
                return false;
            }
        }
        uint64_t product, outer, inner;
        petal_factor_fit fit =
            petal_mapping_factor_fit(m, d, p->bounds[d], &product, &outer, &inner);
        if (fit == PETAL_FACTORS_OVERFLOW) {
            set_invalid(out, PETAL_INVALID_FACTORS, -1,
                        "the factors of some dimension multiply to more than 2^64");
            return false;
        }
        if (fit == PETAL_FACTORS_SHORT) {
            set_invalid(out, PETAL_INVALID_FACTORS, -1,
                        "the factors of dimension %s multiply to %llu, less than its bound %llu",
                        p->dim_names[d], (unsigned long long)product,
                        (unsigned long long)p->bounds[d]);
            return false;
        }
        if (fit == PETAL_FACTORS_EMPTY_LOOP) {
            set_invalid(out, PETAL_INVALID_FACTORS, -1,
                        "dimension %s: its outermost loop of %llu over tiles of %llu never runs "
                        "its last iteration (bound %llu: %llu iterations)",
                        p->dim_names[d], (unsigned long long)outer, (unsigned long long)inner,
                        (unsigned long long)p->bounds[d],
                        (unsigned long long)((p->bounds[d] + inner - 1) / inner));
            return false;
        }
        if (*imperfect >= 0) {
            set_invalid(out, PETAL_INVALID_FACTORS, -1,
                        "dimensions %s and %s both have imperfect factors; the model counts one "
                        "(not yet: docs/model.md, \"Imperfect factors\")",
                        p->dim_names[*imperfect], p->dim_names[d]);
            return false;
        }
        *imperfect = d;
    }
    for (int l = 0; l < nl; l++) {
        const petal_level *lv = &a->levels[l];
        uint8_t keep = m->levels[l].keep & PETAL_KEEP_ALL;
        uint8_t allowed = lv->cls == PETAL_MEM_NONE ? 0 : lv->may_keep;
        if (l == 0 && keep != PETAL_KEEP_ALL) {
            int s = 0;
            while (keep & (1u << s))
                s++;
            set_invalid(out, PETAL_INVALID_BYPASS, l,
                        "level %s is the outermost and must keep every data space, but it "
                        "bypasses %s",
                        lv->name, ds_name(p, s));
            return false;
        }
        if (keep & ~allowed) {
            int s = 0;
            while (!((keep & ~allowed) & (1u << s)))
                s++;
            set_invalid(out, PETAL_INVALID_BYPASS, l, "level %s keeps %s, which it may not hold",
                        lv->name, ds_name(p, s));
            return false;
        }
    }
    for (int l = 0; l < nl; l++) {
        if (n->fanout[l] == 1)
            continue;
        uint32_t fx, fy;
        petal_arch_fanout(a, l, &fx, &fy);
        uint64_t ux = n->used_x[l], uy = n->used_y[l];
        if (ux > fx || uy > fy) {
            bool x = ux > fx;
            set_invalid(out, PETAL_INVALID_FANOUT, l,
                        "level %s: spatial factors need %llu %s the fan-out below it has %u",
                        a->levels[l].name, (unsigned long long)(x ? ux : uy),
                        x ? "columns (X) but" : "rows (Y) but", x ? fx : fy);
            return false;
        }
    }
    return true;
}

/* Vector accesses: scalar accesses in blocks, the last one partial. */
static uint64_t blocks(uint64_t words, uint64_t block)
{
    if (block == 1)
        return words;
    return words / block + (words % block != 0);
}

/* Vector accesses of `values` values of `bits` each at a level whose vector is
 * block x word_bits bits: the values packed as one bit stream (a value may
 * straddle two vectors), the last vector partial. The level's own width gives
 * blocks() exactly. */
static uint64_t bit_blocks(uint64_t values, uint32_t bits, uint64_t block, uint32_t word_bits)
{
    if (bits == word_bits)
        return blocks(values, block);
    u128 total = (u128)values * bits, vector = (u128)block * word_bits;
    u128 v = total / vector + (total % vector != 0);
    return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

/* Width of data space s at level l: the layer's, or the level's word bits.
 * Outputs are partial sums where the level adds them up (it reads them). */
static uint32_t width_at(const petal_problem *p, const petal_level *lv, int s, bool adds)
{
    int index = s == PETAL_DS_OUTPUTS && adds ? PETAL_PRECISION_PSUMS : s;
    return petal_precision_bits(&p->precision, index, lv->word_bits);
}

/* Cycles a level needs to move `words` at `bw` words per cycle (0: unlimited)
 * into *cycles; false when they do not fit in 64 bits (a tiny bandwidth), as
 * converting such a double to an integer is undefined. */
static bool bandwidth_cycles(double words, double bw, uint64_t *cycles)
{
    *cycles = 0;
    if (bw <= 0 || words == 0)
        return true;
    double c = words / bw;
    if (!(c < 0x1p64)) /* NaN too */
        return false;
    double r = nearbyint(c);
    *cycles = fabs(c - r) <= 1e-9 * c ? (uint64_t)r : (uint64_t)ceil(c);
    return true;
}

/* Sparseloop's form of the bandwidth bound: 0 when the compute cycles
 * suffice, else ceil(compute / (bw / (words / compute))) in doubles. */
static bool sparseloop_cycles(double words, double bw, uint64_t compute, uint64_t *cycles)
{
    *cycles = 0;
    if (bw <= 0 || words == 0 || compute == 0)
        return true;
    double cc = (double)compute, wanted = words / cc;
    if (bw >= wanted)
        return true;
    double c = ceil(cc / (bw / wanted));
    if (!(c < 0x1p64))
        return false;
    *cycles = (uint64_t)c;
    return true;
}

/* A bandwidth bound: the words the busiest instance of level `l` moves one
 * way (reads, or fills plus updates), the data space moving the most, and the
 * cycles the cycle loop found for them. */
static petal_bound port_bound(const petal_model_result *out, int l, petal_bound_kind kind,
                              uint64_t cycles)
{
    const petal_level_stats *ls = &out->levels[l];
    petal_bound b = {.kind = kind, .level = l, .ds = -1};
    uint64_t most = 0;
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        const petal_ds_stats *ds = &ls->ds[s];
        if (!ds->kept)
            continue;
        /* Sums cannot overflow: the cycle loop has added them already. */
        uint64_t w = kind == PETAL_BOUND_READ ? ds->reads_per_instance
                                              : ds->fills_per_instance + ds->updates_per_instance;
        b.words += w;
        if (w > most) {
            most = w;
            b.ds = s;
        }
    }
    b.cycles = cycles;
    return b;
}

/* The words the busiest instance of a level moves over the network of data
 * space s in its busier direction: its reads go down; Outputs' partial sums
 * also come back up (its updates), at the same time (a full-duplex link, as
 * Eyeriss v1's psum input and output networks are two). */
static uint64_t network_words(const petal_ds_stats *ds, int s)
{
    uint64_t up = s == PETAL_DS_OUTPUTS ? ds->updates_per_instance : 0;
    return ds->reads_per_instance > up ? ds->reads_per_instance : up;
}

/* Name the bound that set out->cycles and every other bound's slack, in the
 * order and with the tie rule the cycles are taken with (compute first, then
 * a later bound only when strictly larger). Adds nothing to the cycles. */
static void attribute_cycles(const petal_arch *a, petal_model_result *out,
                             const uint64_t port_cycles[][2],
                             const uint64_t net_cycles[][PETAL_NUM_DS], int fill_drain_level)
{
    int n = 0;
    out->bounds[n++] =
        (petal_bound){.kind = PETAL_BOUND_COMPUTE,
                      .level = -1,
                      .ds = -1,
                      .words = out->cycles_per_mac > 1 ? out->compute_cycles / out->cycles_per_mac
                                                       : out->compute_cycles,
                      .cycles = out->compute_cycles};
    if (out->fill_drain_cycles)
        out->bounds[n++] = (petal_bound){.kind = PETAL_BOUND_FILL_DRAIN,
                                         .level = fill_drain_level,
                                         .ds = -1,
                                         .words = out->fill_drain_cycles,
                                         .cycles = out->compute_cycles + out->fill_drain_cycles};
    for (int l = 0; l < a->nlevels; l++) {
        if (a->levels[l].read_bw > 0)
            out->bounds[n++] = port_bound(out, l, PETAL_BOUND_READ, port_cycles[l][0]);
        if (a->levels[l].write_bw > 0)
            out->bounds[n++] = port_bound(out, l, PETAL_BOUND_WRITE, port_cycles[l][1]);
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_ds_stats *ds = &out->levels[l].ds[s];
            if (!a->levels[l].network_bits[s] || !ds->kept)
                continue;
            out->bounds[n++] = (petal_bound){.kind = PETAL_BOUND_NETWORK,
                                             .level = l,
                                             .ds = s,
                                             .words = network_words(ds, s),
                                             .cycles = net_cycles[l][s]};
        }
    }
    int limit = 0;
    for (int i = 1; i < n; i++)
        if (out->bounds[i].cycles > out->bounds[limit].cycles)
            limit = i;
    for (int i = 0; i < n; i++)
        out->bounds[i].slack = out->cycles - out->bounds[i].cycles;
    out->nbounds = (uint8_t)n;
    out->limited_by = (uint8_t)limit;
}

/* One nest's figures for data space s: the words entering each keeper's
 * tile per instance (the MACs': one operand per operation), the groups among
 * each level's spatial children and each level's partition. */
typedef struct nest_figures {
    uint64_t groups[PETAL_MAX_LEVELS], partition[PETAL_MAX_LEVELS];
} nest_figures;

static petal_status nest_figures_of(const petal_problem *p, const petal_arch *a,
                                    const reuse_nest *n, int s, const uint64_t *tile,
                                    nest_figures *f)
{
    for (int l = 0; l < n->nlevels; l++) {
        f->groups[l] = reuse_spatial_groups(n, s, l);
        if (!f->groups[l])
            return petal_error_set(PETAL_ENOMEM,
                                   "layer %s: out of memory counting the multicast groups of "
                                   "%s below level %s",
                                   p->name, ds_name(p, s), a->levels[l].name);
    }
    reuse_partitions(n, s, tile, f->partition);
    return PETAL_OK;
}

static petal_status entering_of(const petal_problem *p, const petal_arch *a, const reuse_nest *n,
                                int s, int c, uint64_t *words)
{
    *words = n->iterations;
    if (c < n->nlevels && !reuse_words_entering(n, s, c, words))
        return petal_error_set(PETAL_EOVERFLOW,
                               "layer %s: the %s words entering level %s "
                               "cannot be counted in 64 bits",
                               p->name, ds_name(p, s), a->levels[c].name);
    return PETAL_OK;
}

static uint64_t minus(uint64_t x, uint64_t y)
{
    return x > y ? x - y : 0;
}

/* Reads, fills, updates, partition, multicast and network words of data space
 * s at every keeper, per instance, from nest n (with an imperfect loop, the
 * run's first part) and nb (its last iteration; NULL for a perfect mapping).
 * Instances that run in both parts do the most; the per-instance figures are
 * theirs, and idle[l][s] gets what the instances of level l that sit the
 * second part out do (reads, fills, updates). With an imperfect loop a step
 * the model cannot follow yet makes out invalid. */
static petal_status count_accesses(const petal_problem *p, const petal_arch *a,
                                   const petal_mapping *m, const reuse_nest *n,
                                   const reuse_nest *nb, const model_split *split, int s,
                                   petal_model_result *out, double crossing[][PETAL_NUM_DS],
                                   uint64_t link_words[][PETAL_NUM_DS],
                                   double link_scale[][PETAL_NUM_DS],
                                   uint64_t idle[][PETAL_NUM_DS][3])
{
    int nl = n->nlevels;
    bool outputs = s == PETAL_DS_OUTPUTS;
    nest_figures fa, fb;
    uint64_t tile[PETAL_MAX_LEVELS];
    memcpy(tile, n->tile[s], sizeof tile);
    petal_status st = nest_figures_of(p, a, n, s, n->tile[s], &fa);
    if (!st && nb)
        st = nest_figures_of(p, a, nb, s, nb->tile[s], &fb);
    if (st)
        return st;
    bool shared = nb && split->shared[s];

    uint64_t entering_here = 0, entering_idle = 0; /* D of the current keeper */
    for (int j = 0; j < nl;) {
        int c = j + 1;
        while (c < nl && !(m->levels[c].keep & (1u << s)))
            c++;
        uint64_t entering_a, entering_b = 0;
        int64_t fewer = 0;
        st = entering_of(p, a, n, s, c, &entering_a);
        if (!st && nb)
            st = entering_of(p, a, nb, s, c, &entering_b);
        if (st)
            return st;
        if (nb && c < nl && !split_correction(split, n, nb, s, c, &fewer)) {
            set_invalid(out, PETAL_INVALID_FACTORS, -1,
                        "dimension %s: at level %s the %s tile's moves after the last step of "
                        "the imperfect loop alternate between sliding and reloading, which the "
                        "model does not count (not yet: docs/model.md, \"Imperfect factors\")",
                        p->dim_names[split->dim], a->levels[c].name, ds_name(p, s));
            return PETAL_OK;
        }
        /* The second part's words entering one keeper instance, joined to
         * the first part's at the step between them. */
        uint64_t second = (uint64_t)((int64_t)entering_b - fewer);
        uint64_t entering_next = entering_a + second;
        u128 served = entering_a, served_b = second;
        double destinations = 1, destinations_b = 1;
        for (int i = j; i < c; i++) {
            served *= fa.groups[i];
            destinations *= (double)n->fanout[i] / (double)fa.groups[i];
            if (nb) {
                served_b *= fb.groups[i];
                destinations_b *= (double)nb->fanout[i] / (double)fb.groups[i];
            }
        }
        if (served + served_b > UINT64_MAX)
            return petal_error_set(PETAL_EOVERFLOW,
                                   "layer %s: the accesses of level %s do "
                                   "not fit in 64 bits",
                                   p->name, a->levels[j].name);
        uint64_t accesses = (uint64_t)(served + served_b), part = fa.partition[j];
        if (nb && !shared)
            part += fb.partition[j];
        if (nb && j == 0)
            part = tile[0] = reuse_tile_words(n, s, p->bounds, NULL);
        petal_ds_stats *ds = &out->levels[j].ds[s];
        ds->kept = true;
        ds->tile = tile[j];
        ds->instances = n->instances[j];
        ds->partition = part;
        ds->multicast = destinations;
        if (nb) {
            /* Averages over every word served, in both parts. */
            double wa = (double)served * (double)n->instances[j],
                   wb = (double)served_b * (double)nb->instances[j];
            if (wa + wb > 0)
                ds->multicast = (wa * destinations + wb * destinations_b) / (wa + wb);
        }
        ds->spatial_reduction = outputs ? ds->multicast : 0;
        uint64_t *rest = idle[j][s]; /* instances of j idle in the second part */
        if (outputs) {
            ds->updates_per_instance = accesses;
            ds->reads_per_instance = accesses > part ? accesses - part : 0;
            ds->fills_per_instance = j == 0 ? 0 : (entering_here > part ? entering_here - part : 0);
            rest[2] = (uint64_t)served;
            rest[0] = minus((uint64_t)served, fa.partition[j]);
            rest[1] = j == 0 ? 0 : minus(entering_idle, fa.partition[j]);
        } else {
            ds->reads_per_instance = accesses;
            ds->fills_per_instance = j == 0 ? 0 : entering_here;
            rest[0] = (uint64_t)served;
            rest[1] = j == 0 ? 0 : entering_idle;
        }
        /* Traffic crossing each network between j and the next keeper c.
         * Per instance c takes in D(c) words (read-only data; for Outputs
         * the partial sums it sends up) and, for Outputs, is refilled with
         * F(c) = D(c) - P(c) of them. A level between j and c bypasses s:
         * it passes its children's words on, those of children with
         * coinciding tiles once (multicast going down, spatial reduction
         * going up). So the link into one instance of level l + 1 carries
         * (D(c) + F(c)) * G(l+1) * ... * G(c-1) words, refills to a keeper
         * further in included: they cross it as surely as the partial sums
         * they come back from. */
        ds->word_bits = width_at(p, &a->levels[j], s, ds->reads_per_instance > 0);
        uint64_t refills = 0, refills_b = 0;
        if (c < nl && outputs) {
            refills = entering_a > fa.partition[c] ? entering_a - fa.partition[c] : 0;
            /* The second part's first arrivals were refills if the first
             * part held the same words. */
            if (nb)
                refills_b = shared ? second : minus(second, fb.partition[c]);
        }
        for (int l = j; l < c; l++) {
            if (a->levels[l].hop_pj == 0 && !a->levels[l].forward[s])
                continue;
            u128 words = (u128)entering_a + refills, words_b = (u128)second + refills_b;
            for (int i = l + 1; i < c; i++) {
                words *= fa.groups[i];
                if (nb)
                    words_b *= fb.groups[i];
            }
            /* hop_pj is per word of the level's width; the words crossing
             * are as wide as the keeper j holds them. */
            double scale = 1;
            uint32_t lw = a->levels[l].word_bits;
            if (lw && ds->word_bits != lw)
                scale = (double)ds->word_bits / lw;
            crossing[l][s] += (double)words * (double)n->instances[l + 1] * scale;
            if (nb)
                crossing[l][s] += (double)words_b * (double)nb->instances[l + 1] * scale;
            if (a->levels[l].forward[s]) { /* refused with an imperfect loop */
                if (words > UINT64_MAX)
                    return petal_error_set(PETAL_EOVERFLOW,
                                           "layer %s: the %s words crossing the network "
                                           "below level %s do not fit in 64 bits",
                                           p->name, ds_name(p, s), a->levels[l].name);
                link_words[l][s] = (uint64_t)words;
                link_scale[l][s] = scale;
            }
        }
        entering_here = entering_next;
        entering_idle = entering_a;
        j = c;
    }
    return PETAL_OK;
}

/* Neighbour forwarding (docs/systolic.md): where level l forwards data space
 * s, the level's network carries each word into the chains once (crossing
 * becomes those deliveries) and the rest of the deliveries are hops between
 * neighbours, each one a word's link; each tile of the children adds the
 * longest read-only chain's links of fill and the longest Outputs chain's of
 * drain (summed into *fill_drain, the level adding the most in *level). */
static petal_status model_forward(const petal_problem *p, const petal_arch *a, const reuse_nest *n,
                                  const uint64_t link_words[][PETAL_NUM_DS],
                                  const double link_scale[][PETAL_NUM_DS],
                                  double crossing[][PETAL_NUM_DS], petal_model_result *out,
                                  uint64_t *fill_drain, int *level)
{
    uint64_t most = 0;
    for (int l = 0; l < a->nlevels; l++) {
        const petal_level *lv = &a->levels[l];
        uint64_t fill = 0, drain = 0;
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            if (!lv->forward[s] || n->fanout[l] <= 1)
                continue;
            forward_chains fc;
            if (!forward_chains_count(n, p, l, s, (petal_forward)lv->forward[s], &fc))
                return petal_error_set(PETAL_ENOMEM,
                                       "layer %s: out of memory counting the forwarding chains "
                                       "of %s below level %s",
                                       p->name, ds_name(p, s), lv->name);
            u128 entries = (u128)link_words[l][s] * fc.chains * n->instances[l];
            u128 hops = (u128)link_words[l][s] * fc.hops * n->instances[l];
            if (hops > UINT64_MAX)
                return petal_error_set(PETAL_EOVERFLOW,
                                       "layer %s: the forwarded %s words below level %s do not "
                                       "fit in 64 bits",
                                       p->name, ds_name(p, s), lv->name);
            petal_ds_stats *ds = &out->levels[l].ds[s];
            ds->forwards = (uint64_t)hops;
            ds->forward_energy_pj = lv->forward_pj * (double)hops * link_scale[l][s];
            crossing[l][s] = (double)entries * link_scale[l][s];
            if (s == PETAL_DS_OUTPUTS)
                drain = fc.longest;
            else if (fc.longest > fill)
                fill = fc.longest;
        }
        u128 added = (u128)(fill + drain) * n->steps_above[l + 1];
        if (added + *fill_drain > UINT64_MAX)
            return petal_error_set(PETAL_EOVERFLOW,
                                   "layer %s: the fill and drain below level %s overflow 64 bits",
                                   p->name, lv->name);
        *fill_drain += (uint64_t)added;
        if (added > most) {
            most = (uint64_t)added;
            *level = l;
        }
    }
    return PETAL_OK;
}

petal_status petal_model_eval(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                              petal_model_result *out)
{
    if (!p || !a || !m || !out)
        return petal_error_set(PETAL_EINVAL, "petal_model_eval: a NULL argument");
    /* Every figure below divides by or multiplies with the architecture's
     * numbers: a zero MAC count, a NaN energy or a negative bandwidth would
     * come out as a plausible-looking result. The mapper checks both once and
     * calls model_eval_unchecked. */
    petal_status st = petal_arch_check(a);
    if (st)
        return st;
    /* A problem whose MACs or tensors overflow 64 bits would count modulo
     * 2^64 (0 computes, a valid mapping). */
    st = petal_problem_check(p);
    if (!st)
        st = petal_precision_check(p, a);
    if (st)
        return st;
    return model_eval_unchecked(p, a, m, out);
}

petal_status model_eval_unchecked(const petal_problem *p, const petal_arch *a,
                                  const petal_mapping *m, petal_model_result *out)
{
    if (a->nlevels == 0 || a->nlevels > PETAL_MAX_LEVELS)
        return petal_error_set(PETAL_EINVAL,
                               "architecture %s: %u storage levels, expected 1 to %d "
                               "(PETAL_MAX_LEVELS)",
                               a->name, a->nlevels, PETAL_MAX_LEVELS);
    if (m->nlevels != a->nlevels)
        return petal_error_set(PETAL_EINVAL, "the mapping has %u levels but architecture %s has %u",
                               m->nlevels, a->name, a->nlevels);
    /* The nest's construction checks what keeps its own indexing in bounds;
     * the full check runs only to name a failure. */
    reuse_nest n;
    if (!reuse_nest_init(&n, p, m)) {
        petal_status st = petal_problem_check(p);
        if (st)
            return st;
        return petal_error_set(PETAL_EINVAL, "layer %s: malformed problem", p->name);
    }

    int nl = a->nlevels;
    memset(out, 0, offsetof(petal_model_result, levels) + (size_t)nl * sizeof out->levels[0]);
    out->nlevels = (uint8_t)nl;
    out->invalid_level = -1;
    out->computes = petal_problem_macs(p);
    out->actual_computes = out->computes;
    int imperfect;
    if (!check_mapping(p, a, m, &n, out, &imperfect))
        return PETAL_OK;
    bool sparse = model_sparse_active(p, a);

    /* Imperfect factors: two perfect nests, the run's first part in n and its
     * last iteration of the imperfect loop in nb (model/split.h). */
    model_split split;
    reuse_nest nb;
    const reuse_nest *second = NULL;
    if (imperfect >= 0) {
        uint64_t f, t;
        petal_mapping_factor_fit(m, imperfect, p->bounds[imperfect], NULL, &f, &t);
        if (sparse || petal_arch_forwards(a)) {
            set_invalid(out, PETAL_INVALID_FACTORS, -1,
                        "dimension %s has imperfect factors, and the model does not count them "
                        "with sparse features or neighbour forwarding yet (docs/model.md, "
                        "\"Imperfect factors\")",
                        p->dim_names[imperfect]);
            return PETAL_OK;
        }
        if (!split_plan(p, a, m, imperfect, f, t, &split, out->why, sizeof out->why)) {
            char why[sizeof out->why];
            memcpy(why, out->why, sizeof why);
            set_invalid(out, PETAL_INVALID_FACTORS, -1, "%s", why);
            return PETAL_OK;
        }
        if (!reuse_nest_init(&n, &split.pa, &split.ma) ||
            !reuse_nest_init(&nb, &split.pb, &split.mb))
            return petal_error_set(PETAL_EINVAL, "layer %s: malformed problem", p->name);
        second = &nb;
    }

    /* Capacity, in words; with widths in bits, below: whether a level holds
     * Outputs as partial sums is known only once they are counted. With an
     * imperfect loop the first part's tiles are the largest but for the
     * outermost level's, which holds every word of the layer. */
    uint64_t tile[PETAL_NUM_DS][PETAL_MAX_LEVELS];
    memcpy(tile, n.tile, sizeof tile);
    for (int s = 0; second && s < PETAL_NUM_DS; s++)
        tile[s][0] = reuse_tile_words(&n, s, p->bounds, NULL);
    bool widths = petal_precision_any(&p->precision);
    petal_status refused;
    if (sparse && (refused = model_sparse_check(p)) != PETAL_OK)
        return refused;
    if (sparse && petal_arch_forwards(a))
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "layer %s on architecture %s: neighbour forwarding with sparse "
                               "features is not modelled yet (docs/systolic.md)",
                               p->name, a->name);
    petal_arch uncoded;
    if (sparse && model_sparse_uncoded(p, a, &uncoded))
        a = &uncoded;
    /* Compressed tiles, worked out once: for capacity here, for the result below. */
    uint64_t sparse_words[PETAL_MAX_LEVELS][PETAL_NUM_DS],
        sparse_bits[PETAL_MAX_LEVELS][PETAL_NUM_DS];
    for (int l = 0; l < nl; l++) {
        uint64_t used = 0, metadata_bits = 0;
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            if (!(m->levels[l].keep & (1u << s)))
                continue;
            uint64_t words = tile[s][l], bits = 0;
            if (sparse) {
                model_sparse_tile(p, a, &n, l, s, &words, &bits);
                sparse_words[l][s] = words;
                sparse_bits[l][s] = bits;
            }
            metadata_bits += bits;
            if (__builtin_add_overflow(used, words, &used))
                return petal_error_set(PETAL_EOVERFLOW,
                                       "layer %s: the tiles level %s keeps need more than 2^64 "
                                       "words",
                                       p->name, a->levels[l].name);
        }
        const petal_level_sparse *lsp = &a->levels[l].sparse;
        if (metadata_bits && lsp->metadata_depth) {
            /* Metadata in a storage of its own. */
            uint64_t room = lsp->metadata_depth * (lsp->metadata_width ? lsp->metadata_width : 1);
            if (metadata_bits > room) {
                set_invalid(out, PETAL_INVALID_CAPACITY, l,
                            "level %s: the metadata of the tiles it keeps needs %llu bits but its "
                            "metadata storage holds %llu",
                            a->levels[l].name, (unsigned long long)metadata_bits,
                            (unsigned long long)room);
                return PETAL_OK;
            }
        } else if (metadata_bits && a->levels[l].word_bits) {
            /* Metadata shares the data storage, in its words. */
            used += (metadata_bits + a->levels[l].word_bits - 1) / a->levels[l].word_bits;
        }
        out->levels[l].capacity_used = used;
        uint64_t depth = a->levels[l].depth;
        if (!widths && depth && used > depth) {
            set_invalid(out, PETAL_INVALID_CAPACITY, l,
                        "level %s: the tiles it keeps need %llu words but it holds %llu",
                        a->levels[l].name, (unsigned long long)used, (unsigned long long)depth);
            return PETAL_OK;
        }
    }
    out->valid = true;
    out->reason = PETAL_VALID;
    out->utilized_macs = n.instances[nl];
    uint64_t iterations = n.iterations + (second ? second->iterations : 0);
    out->compute_cycles = iterations;

    /* Accesses, data space by data space, keeper by keeper. */
    double crossing[PETAL_MAX_LEVELS][PETAL_NUM_DS] = {{0}};
    uint64_t idle[PETAL_MAX_LEVELS][PETAL_NUM_DS][3] = {{{0}}}; /* per instance, see below */
    /* Where a level forwards a data space: the words into each child and
     * their width scale, for model_forward below. */
    uint64_t link_words[PETAL_MAX_LEVELS][PETAL_NUM_DS] = {{0}};
    double link_scale[PETAL_MAX_LEVELS][PETAL_NUM_DS] = {{0}};
    uint64_t idle_instances[PETAL_MAX_LEVELS] = {0};
    for (int l = 0; second && l < nl; l++)
        idle_instances[l] = n.instances[l] - second->instances[l];
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        petal_status st = count_accesses(p, a, m, &n, second, second ? &split : NULL, s, out,
                                         crossing, link_words, link_scale, idle);
        if (st)
            return st;
    }
    if (second && !out->valid)
        return PETAL_OK;
    /* Sparsity: the dense counts above become actual ones. */
    static const sparse_state no_sparsity;
    sparse_state sparse_counts_buf;
    const sparse_state *sp = &no_sparsity;
    if (sparse) {
        petal_status st = model_sparse_apply(p, a, m, &n, out, &sparse_counts_buf);
        if (st)
            return st;
        sp = &sparse_counts_buf;
    }

    /* Neighbour forwarding: the network's share of the deliveries, the hops,
     * and the fill and drain they add. */
    uint64_t fill_drain = 0;
    int fill_drain_level = -1;
    if (petal_arch_forwards(a)) {
        petal_status st = model_forward(p, a, &n, link_words, link_scale, crossing, out,
                                        &fill_drain, &fill_drain_level);
        if (st)
            return st;
    }

    /* Capacity in bits, now that every level's Outputs width is known. */
    for (int l = 0; widths && l < nl; l++) {
        const petal_level *lv = &a->levels[l];
        u128 bits = 0;
        for (int s = 0; s < PETAL_NUM_DS; s++)
            if (out->levels[l].ds[s].kept)
                bits += (u128)out->levels[l].ds[s].tile * out->levels[l].ds[s].word_bits;
        out->levels[l].capacity_used_bits = bits > UINT64_MAX ? UINT64_MAX : (uint64_t)bits;
        if (lv->depth && bits > (u128)lv->depth * lv->word_bits) {
            uint64_t used = out->levels[l].capacity_used;
            memset(out->levels, 0, (size_t)nl * sizeof out->levels[0]);
            out->levels[l].capacity_used = used;
            set_invalid(out, PETAL_INVALID_CAPACITY, l,
                        "level %s: the tiles it keeps need %llu bits but it holds %llu "
                        "(%llu words of %u bits)",
                        lv->name, (unsigned long long)(bits > UINT64_MAX ? UINT64_MAX : bits),
                        (unsigned long long)(lv->depth * lv->word_bits),
                        (unsigned long long)lv->depth, lv->word_bits);
            return PETAL_OK;
        }
    }

    /* Per level: totals, energy, bandwidth and cycles. Bit-serial MACs take
     * several cycles per operation; the bandwidths are spread over them. */
    out->cycles_per_mac = petal_arch_cycles_per_mac(a, p);
    uint64_t operations = iterations;
    if (sparse) {
        /* Cycles count the operations done (gated ones too), spread over
         * the MACs used, as Sparseloop counts them. */
        uint64_t done = out->actual_computes + out->gated_computes;
        uint64_t macs = n.instances[nl] ? n.instances[nl] : 1;
        operations = done / macs + (done % macs != 0);
    }
    if (__builtin_mul_overflow(operations, out->cycles_per_mac, &out->compute_cycles))
        return petal_error_set(PETAL_EOVERFLOW, "layer %s: the compute cycles overflow 64 bits",
                               p->name);
    uint64_t cycles = out->compute_cycles;
    if (__builtin_add_overflow(out->compute_cycles, fill_drain, &cycles))
        return petal_error_set(PETAL_EOVERFLOW,
                               "layer %s: the compute cycles and the fill and drain of the "
                               "forwarding chains overflow 64 bits",
                               p->name);
    out->fill_drain_cycles = fill_drain;
    uint64_t port_cycles[PETAL_MAX_LEVELS][2]; /* read and write, for attribute_cycles */
    uint64_t net_cycles[PETAL_MAX_LEVELS][PETAL_NUM_DS] = {{0}}; /* per network */
    for (int l = 0; l < nl; l++) {
        const petal_level *lv = &a->levels[l];
        petal_level_stats *ls = &out->levels[l];
        ls->utilized_instances = n.instances[l];
        if (!widths)
            ls->capacity_used_bits = ls->capacity_used * lv->word_bits;
        uint64_t block = lv->block_size ? lv->block_size : 1;
        uint64_t reads = 0, writes = 0;
        double read_bits = 0, write_bits = 0;
        bool own_width = true;
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            petal_ds_stats *ds = &ls->ds[s];
            ds->network_energy_pj = lv->hop_pj * crossing[l][s] + ds->forward_energy_pj;
            ls->network_energy_pj += ds->network_energy_pj;
            if (!ds->kept)
                continue;
            uint64_t k = ds->instances;
            /* With an imperfect loop, `rest` instances sit its last
             * iteration out and do idle[l][s] each; the others the most. */
            uint64_t rest = idle_instances[l], busy = k - rest;
            const uint64_t *less = idle[l][s];
            u128 totals[3] = {(u128)ds->reads_per_instance * busy + (u128)less[0] * rest,
                              (u128)ds->fills_per_instance * busy + (u128)less[1] * rest,
                              (u128)ds->updates_per_instance * busy + (u128)less[2] * rest};
            ds->reads = (uint64_t)totals[0];
            ds->fills = (uint64_t)totals[1];
            ds->updates = (uint64_t)totals[2];
            if (totals[0] > UINT64_MAX || totals[1] > UINT64_MAX || totals[2] > UINT64_MAX)
                return petal_error_set(PETAL_EOVERFLOW,
                                       "layer %s: the accesses of level %s over its %llu "
                                       "instances do not fit in 64 bits",
                                       p->name, lv->name, (unsigned long long)k);
            /* Dense: every algorithmic access is an actual one. */
            ds->algorithmic_reads = ds->reads;
            ds->algorithmic_fills = ds->fills;
            ds->algorithmic_updates = ds->updates;
            ds->tile_data_words = ds->tile;
            const sparse_counts *sc = &sp->c[l][s];
            if (sparse) {
                ds->algorithmic_reads = sc->algorithmic[SPARSE_READ] * k;
                ds->algorithmic_fills = sc->algorithmic[SPARSE_FILL] * k;
                ds->algorithmic_updates = sc->algorithmic[SPARSE_UPDATE] * k;
                ds->gated_reads = sc->gated[SPARSE_READ] * k;
                ds->gated_fills = sc->gated[SPARSE_FILL] * k;
                ds->gated_updates = sc->gated[SPARSE_UPDATE] * k;
                ds->skipped_reads = sc->skipped[SPARSE_READ] * k;
                ds->skipped_fills = sc->skipped[SPARSE_FILL] * k;
                ds->skipped_updates = sc->skipped[SPARSE_UPDATE] * k;
                ds->metadata_reads = sc->metadata[SPARSE_READ] * k;
                ds->metadata_fills = sc->metadata[SPARSE_FILL] * k;
                ds->metadata_updates = sc->metadata[SPARSE_UPDATE] * k;
                ds->tile_data_words = sparse_words[l][s];
                ds->tile_metadata_bits = sparse_bits[l][s];
            }
            uint32_t b = ds->word_bits, w = lv->word_bits;
            ds->vector_reads_per_instance = bit_blocks(ds->reads_per_instance, b, block, w);
            ds->vector_fills_per_instance = bit_blocks(ds->fills_per_instance, b, block, w);
            ds->vector_updates_per_instance = bit_blocks(ds->updates_per_instance, b, block, w);
            own_width &= b == w;
            read_bits += (double)ds->reads_per_instance * b;
            write_bits += ((double)ds->fills_per_instance + (double)ds->updates_per_instance) * b;
            /* Instances of a cluster share one physical access (a wide register read
             * once feeds the whole cluster), so energy is charged per utilised cluster. */
            uint64_t charged = k;
            if (lv->cluster_size > 1 && lv->instances / lv->cluster_size < charged)
                charged = lv->instances / lv->cluster_size ? lv->instances / lv->cluster_size : 1;
            ds->read_energy_pj =
                (double)ds->vector_reads_per_instance * lv->read_pj * (double)charged;
            ds->fill_energy_pj =
                (double)ds->vector_fills_per_instance * lv->fill_pj * (double)charged;
            ds->update_energy_pj =
                (double)ds->vector_updates_per_instance * lv->update_pj * (double)charged;
            if (rest) {
                /* Each instance's vector accesses (clusters are refused with
                 * imperfect factors, so charged = k). */
                double r = (double)rest, bz = (double)busy;
                ds->read_energy_pj = ((double)ds->vector_reads_per_instance * bz +
                                      (double)bit_blocks(less[0], b, block, w) * r) *
                                     lv->read_pj;
                ds->fill_energy_pj = ((double)ds->vector_fills_per_instance * bz +
                                      (double)bit_blocks(less[1], b, block, w) * r) *
                                     lv->fill_pj;
                ds->update_energy_pj = ((double)ds->vector_updates_per_instance * bz +
                                        (double)bit_blocks(less[2], b, block, w) * r) *
                                       lv->update_pj;
            }
            if (sparse) {
                /* Gated accesses at their gated energy, skipped ones free,
                 * metadata in the metadata storage's words (none without
                 * one), (de)compression per value. */
                const petal_sparse_energy *se = &lv->sparse.energy;
                double c = (double)charged;
                double ratio = model_sparse_vector_ratio(p, a, &n, l, s);
                ds->read_energy_pj *= ratio;
                ds->fill_energy_pj *= ratio;
                ds->update_energy_pj *= ratio;
                ds->read_energy_pj +=
                    (double)blocks(sc->gated[SPARSE_READ], block) * ratio * se->gated_read_pj * c;
                ds->fill_energy_pj +=
                    (double)blocks(sc->gated[SPARSE_FILL], block) * ratio * se->gated_fill_pj * c;
                ds->update_energy_pj += (double)blocks(sc->gated[SPARSE_UPDATE], block) * ratio *
                                        se->gated_update_pj * c;
                uint64_t mw = lv->sparse.metadata_width;
                if (mw) {
                    ds->read_energy_pj += (double)blocks(sc->metadata_bits[SPARSE_READ], mw) *
                                          se->metadata_read_pj * c;
                    ds->fill_energy_pj += (double)blocks(sc->metadata_bits[SPARSE_FILL], mw) *
                                          se->metadata_fill_pj * c;
                    ds->update_energy_pj += (double)blocks(sc->metadata_bits[SPARSE_UPDATE], mw) *
                                            se->metadata_update_pj * c;
                    ds->read_energy_pj += (double)blocks(sc->gated_metadata_bits[SPARSE_READ], mw) *
                                          se->gated_metadata_read_pj * c;
                    ds->fill_energy_pj += (double)blocks(sc->gated_metadata_bits[SPARSE_FILL], mw) *
                                          se->gated_metadata_fill_pj * c;
                    ds->update_energy_pj +=
                        (double)blocks(sc->gated_metadata_bits[SPARSE_UPDATE], mw) *
                        se->gated_metadata_update_pj * c;
                }
                ds->fill_energy_pj += (double)sc->decompressions * se->decompression_pj * c;
                ds->update_energy_pj += (double)sc->compressions * se->compression_pj * c;
            }
            ds->energy_pj = ds->read_energy_pj + ds->fill_energy_pj + ds->update_energy_pj;
            ls->energy_pj += ds->energy_pj;
            uint64_t gated_reads = 0, gated_writes = 0;
            if (sparse && lv->word_bits) {
                /* Gated accesses hold the port; metadata takes it in data words. */
                uint64_t wb = lv->word_bits;
                gated_reads =
                    sc->gated[SPARSE_READ] +
                    blocks(sc->metadata_bits[SPARSE_READ] + sc->gated_metadata_bits[SPARSE_READ],
                           wb);
                gated_writes =
                    sc->gated[SPARSE_FILL] + sc->gated[SPARSE_UPDATE] +
                    blocks(sc->metadata_bits[SPARSE_FILL] + sc->metadata_bits[SPARSE_UPDATE] +
                               sc->gated_metadata_bits[SPARSE_FILL] +
                               sc->gated_metadata_bits[SPARSE_UPDATE],
                           wb);
            }
            if (__builtin_add_overflow(reads, ds->reads_per_instance, &reads) ||
                __builtin_add_overflow(writes, ds->fills_per_instance, &writes) ||
                __builtin_add_overflow(writes, ds->updates_per_instance, &writes) ||
                __builtin_add_overflow(reads, gated_reads, &reads) ||
                __builtin_add_overflow(writes, gated_writes, &writes))
                return petal_error_set(PETAL_EOVERFLOW,
                                       "layer %s: the accesses of one instance of level %s do not "
                                       "fit in 64 bits",
                                       p->name, lv->name);
        }
        ls->read_words_per_cycle = (double)reads / (double)out->compute_cycles;
        ls->write_words_per_cycle = (double)writes / (double)out->compute_cycles;
        uint64_t lc = out->compute_cycles, rc, wc;
        /* A bandwidth is in the level's words per cycle, so in bits per cycle
         * it is bw x word_bits; values of the level's own width count as
         * before. */
        bool ok = own_width ? bandwidth_cycles((double)reads, lv->read_bw, &rc) &&
                                  bandwidth_cycles((double)writes, lv->write_bw, &wc)
                            : bandwidth_cycles(read_bits, lv->read_bw * lv->word_bits, &rc) &&
                                  bandwidth_cycles(write_bits, lv->write_bw * lv->word_bits, &wc);
        if (ok && sparse && own_width) {
            /* Sparseloop throttles the compute cycles by the ratio of the
             * bandwidth to the rate asked for, in floating point, and rounds
             * up: a ratio a hair under exact costs a cycle, as it does
             * there (docs/sparsity.md). */
            ok = sparseloop_cycles((double)reads, lv->read_bw, out->compute_cycles, &rc) &&
                 sparseloop_cycles((double)writes, lv->write_bw, out->compute_cycles, &wc);
        }
        if (!ok)
            return petal_error_set(PETAL_EOVERFLOW,
                                   "layer %s: level %s needs more than 2^64 cycles for its "
                                   "bandwidth (%g words per cycle read, %g written)",
                                   p->name, lv->name, lv->read_bw, lv->write_bw);
        port_cycles[l][0] = rc;
        port_cycles[l][1] = wc;
        if (rc > lc)
            lc = rc;
        if (wc > lc)
            lc = wc;
        /* A network with a width: its words' bits at network_bits per cycle
         * (docs/latency.md); sums stay below 2^64 as the ports' did. */
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_ds_stats *ds = &ls->ds[s];
            if (!lv->network_bits[s] || !ds->kept)
                continue;
            uint64_t bits;
            if (__builtin_mul_overflow(network_words(ds, s), (uint64_t)ds->word_bits, &bits))
                return petal_error_set(PETAL_EOVERFLOW,
                                       "layer %s: the %s network of level %s moves more than "
                                       "2^64 bits",
                                       p->name, petal_ds_canonical_name(s), lv->name);
            uint64_t nc = bits / lv->network_bits[s] + (bits % lv->network_bits[s] != 0);
            net_cycles[l][s] = nc;
            if (nc > lc)
                lc = nc;
        }
        ls->cycles = lc;
        if (lc > cycles)
            cycles = lc;
        ls->area_um2 = lv->area_um2 * (double)lv->instances;
    }
    out->cycles = cycles;
    attribute_cycles(a, out, port_cycles, net_cycles, fill_drain_level);
    out->utilization =
        (double)(sparse ? out->actual_computes + out->gated_computes : out->computes) *
        (double)out->cycles_per_mac / ((double)cycles * (double)a->arith.instances);
    out->mac_energy_scale = petal_energy_mac_scale(p, a);
    out->mac_energy_pj = (double)out->computes * a->arith.mac_pj;
    if (sparse)
        out->mac_energy_pj = (double)out->actual_computes * a->arith.mac_pj +
                             (double)out->gated_computes * a->arith.sparse.gated_mac_pj;
    if (widths)
        out->mac_energy_pj *= out->mac_energy_scale;
    out->area_um2 = a->arith.area_um2 * (double)a->arith.instances;
    double energy = out->mac_energy_pj;
    for (int l = 0; l < nl; l++) {
        petal_level_stats *ls = &out->levels[l];
        ls->leak_pj = a->levels[l].leak_pj * (double)cycles * (double)ls->utilized_instances;
        energy += ls->energy_pj + ls->network_energy_pj + ls->leak_pj;
        out->area_um2 += ls->area_um2;
        for (int s = 0; s < PETAL_NUM_DS; s++)
            out->energy_by_ds[s] += ls->ds[s].energy_pj + ls->ds[s].network_energy_pj;
    }
    out->energy_pj = energy;
    return PETAL_OK;
}
