/* sim.c - the reference simulator: runs every operation of a mapping's loop
 * nest with explicit buffers per level, data space and instance.
 *
 * Time advances one operation per MAC per step, the temporal loops of all
 * levels forming one odometer (level 0's loops outermost). With imperfect
 * factors the odometer runs over the grid the factors span and skips what lies
 * beyond the bounds: an operation with an index past its bound does not run,
 * a step in which no MAC has one does not happen, and an instance whose tile
 * holds no operation is idle: it gives its tile up (partial sums go to the
 * parent, which still holds them) and its next tile, if any, enters whole. When a loop of
 * level a steps, every level below a starts a new tile: the simulator lists
 * the operations of that tile for each instance, takes the bounding box of
 * the coordinates they touch in each data space, and moves words:
 *   - the box slid by the same translation as at the previous change (or the
 *     previous change was the first or a reload): only the words not already
 *     held enter and the others leave; any other move reloads the whole box;
 *   - read-only words entering a level are copied from the nearest outer level
 *     keeping that data space (which must hold them) and counted as fills;
 *   - Outputs words leaving a level carry their partial sums to the nearest
 *     outer keeper, which adds them in (an update; also a read unless it is the
 *     first partial sum of that word to arrive there); Outputs words entering
 *     a level count as fills unless the level never held them before;
 *   - a word requested by several spatial children at once is sent once per
 *     distinct request: at every level between the keeper and the children,
 *     children whose whole requests are identical form one group (multicast;
 *     for Outputs their partial sums are added in the network).
 * Each step the MACs read their operands from the innermost keepers (counted
 * the same way) and send their products up. At the end every level drains its
 * partial sums, and the outermost level's outputs are compared with a direct
 * evaluation.
 *
 * On the way the simulator counts the network and the bandwidth:
 *   - every request crossing a level's network is counted on the link into
 *     the child instance that takes it in (read-only words, and Outputs
 *     refills, going down) or sends it (partial sums going up), once per
 *     distinct group the child passes on;
 *   - every word read at a keeper remembers how many child keeper instances
 *     (or MACs) asked for it (multicast), every update how many sent the
 *     partial sums it adds (spatial reduction);
 *   - at the end each level's busiest instance's reads and writes give the
 *     cycles its bandwidths need.
 * Nothing here is shared with the analytical model.
 */
#include "petal/sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim_sparse.h"
#include "util/error.h"

enum { MAXL = PETAL_MAX_LEVELS, MAXD = PETAL_MAX_DIMS, MAXR = PETAL_MAX_RANKS, NDS = PETAL_NUM_DS };

void petal_sim_options_init(petal_sim_options *o)
{
    o->seed = 1;
    o->max_macs = (uint64_t)1 << 24;
    o->max_bytes = (uint64_t)1 << 30;
}

/* --- a bump allocator for one event's grouping work --- */

typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    _Alignas(16) char data[];
} arena_block;

typedef struct arena {
    arena_block *head;
    bool failed;
} arena;

static void *arena_alloc(arena *ar, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (!ar->head || ar->head->used + size > ar->head->cap) {
        size_t cap = size > 65536 ? size : 65536;
        arena_block *b = malloc(sizeof *b + cap);
        if (!b) {
            ar->failed = true;
            return NULL;
        }
        b->next = ar->head;
        b->used = 0;
        b->cap = cap;
        ar->head = b;
    }
    void *p = ar->head->data + ar->head->used;
    ar->head->used += size;
    return p;
}

static void arena_reset(arena *ar)
{
    while (ar->head && ar->head->next) {
        arena_block *b = ar->head;
        ar->head = b->next;
        free(b);
    }
    if (ar->head)
        ar->head->used = 0;
}

static void arena_free(arena *ar)
{
    arena_reset(ar);
    free(ar->head);
    ar->head = NULL;
}

/* --- state --- */

/* One instance's buffer for one data space. */
typedef struct buffer {
    uint8_t *resident; /* per word of the data space: held now */
    uint8_t *seen;     /* held at some time */
    uint8_t *updated;  /* Outputs: a partial sum arrived here at some time */
    int64_t *value;
    uint64_t held, distinct;
    uint64_t reads, fills, updates;
    uint64_t destinations, sources; /* child keepers (or MACs) reached per read, summed */
    /* Sparse runs: reads, fills and updates above are algorithmic; these split
     * them [0] reads, [1] fills, [2] updates (docs/sim.md). */
    uint64_t actual[3], gated[3], skipped[3], metadata[3];
    /* Formats on read-only data: the metadata units of the tile held now
     * (valid once tile_words is set), and the reads' and fills' shares of
     * it, summed (each access carries tile_metadata / tile_words). */
    uint64_t tile_metadata, tile_words;
    double metadata_share[2];
    uint64_t nonzero_held, nonzero_max; /* compressed: non-zero words held now, at most */
    bool has_box, has_translation;
    int64_t lo[MAXR], hi[MAXR], translation[MAXR];
    /* The change being made this step; idle: the instance's tile is empty. */
    bool reload, idle;
    int64_t new_lo[MAXR], new_hi[MAXR];
} buffer;

typedef struct temporal_loop {
    int level, dim;
    uint64_t count;
} temporal_loop;

typedef struct sim {
    const petal_problem *p;
    const petal_arch *a;
    const petal_mapping *m;
    int nd, nl;
    uint64_t below[MAXL + 1][MAXD]; /* operations of each dimension inside level l */
    bool imperfect;                 /* some dimension's factors span more than its bound */
    uint64_t fan[MAXL];             /* spatial children of one instance of level l */
    uint64_t inst[MAXL + 1];        /* instances of level l; inst[nl]: the MACs */
    int nloops;
    temporal_loop loops[MAXL * MAXD]; /* outermost first */
    uint64_t tidx[MAXL][MAXD];        /* current temporal indices */
    /* data spaces: rank extents over the whole problem, address strides, words */
    int nranks[NDS];
    int64_t rank_ext[NDS][MAXR], rank_stride[NDS][MAXR];
    uint64_t words[NDS];
    bool keep[MAXL][NDS];
    buffer *buf[MAXL][NDS]; /* [inst[l]] for the levels that keep the data space */
    uint64_t tile_max[MAXL][NDS];
    /* Word widths (docs/precision.md): width[l][s] of each data space at
     * level l, width[l][NDS] that of partial sums. Whether a level holds
     * Outputs as partial sums is seen only at the end (it read one back to
     * add to it), so the most bits an instance held at once is kept both
     * ways: [0] Outputs at their own width, [1] at the partial sums'. */
    bool widths;
    uint32_t width[MAXL][NDS + 1];
    uint64_t held_bits_max[MAXL][2];
    /* Words crossing the network below each level, summed over child instances. */
    uint64_t link_down[MAXL][NDS], link_up[MAXL][NDS], link_passed[MAXL][NDS];
    /* Neighbour forwarding below each level (docs/systolic.md): words the
     * level's network puts into (or takes out of) chains, words times the hops
     * they make along them, and the longest chain seen; and the tiles the
     * children of each level have started. */
    uint64_t fwd_entries[MAXL][NDS], fwd_hops[MAXL][NDS], fwd_longest[MAXL][NDS];
    uint64_t child_tiles[MAXL];
    int64_t *tensor[NDS]; /* Weights and Inputs values; Outputs: the direct evaluation */
    /* Sparsity (docs/sim.md). `sparse`: the problem or the architecture has a
     * sparse feature; without one nothing below is used. */
    bool sparse;
    /* Kept in a representation format: its metadata tells the zeros, which
     * are never accessed (Sparseloop's has_metadata); NULL: no format. */
    const petal_format *format[MAXL][NDS];
    sim_rank_plan plan[MAXL][NDS]; /* the format laid over the level's tile */
    sim_projection proj[NDS];
    bool compressed[MAXL][NDS]; /* a rank of that format drops zeros: the tile holds non-zeros */
    /* Action optimizations, each on the reads and updates of its target at the
     * target's innermost keeper, judged step by step. */
    int nopts[NDS];
    uint8_t opt_kind[NDS][MAXL * PETAL_MAX_ACTION_OPTS],
        opt_cond[NDS][MAXL * PETAL_MAX_ACTION_OPTS];
    uint8_t *verdict[NDS]; /* this step, per instance of the innermost keeper: 0 actual,
                              PETAL_OPT_GATING or PETAL_OPT_SKIPPING */
    bool mac_delivery;     /* arrive() is counting the MACs' requests */
    /* Optimizations on the transfers of a target from a keeper K to the next
     * keeper inside it: per K and target, the optimizations, the position in
     * loops[] of the last loop whose step starts a new window (its target
     * loop; -1: only the start), and per instance of K the current window's
     * verdict. While a window's verdict is set, the target's accesses at every
     * level inside K are not made at all (docs/sim.md). */
    int nwopts[MAXL][NDS];
    uint8_t wopt_kind[MAXL][NDS][PETAL_MAX_ACTION_OPTS * MAXL];
    uint8_t wopt_cond[MAXL][NDS][PETAL_MAX_ACTION_OPTS * MAXL];
    int restart_pos[MAXL][NDS];
    uint8_t *window_verdict[MAXL][NDS];
    bool any_window;
    int stepped;         /* position in loops[] of the loop that stepped last; -1 at the start */
    uint64_t operations; /* MAC operations run (within the bounds) */
    uint64_t actual_computes, gated_computes, skipped_computes;
    uint64_t *mac_busy; /* per MAC: operations done or gated (each takes its cycles) */
    arena ar;
    char error[200];
} sim;

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Digits of level k's spatial loops from a local child index: dimension by
 * dimension, X before Y, the first the fastest. */
static void decode_local(const sim *S, int k, uint64_t local, uint64_t *x, uint64_t *y)
{
    const petal_level_mapping *lm = &S->m->levels[k];
    for (int d = 0; d < S->nd; d++) {
        x[d] = local % lm->spatial_x[d];
        local /= lm->spatial_x[d];
        y[d] = local % lm->spatial_y[d];
        local /= lm->spatial_y[d];
    }
}

/* Spatial digits of levels 0..l-1 for instance `id` of level l. */
static void decode_instance(const sim *S, int l, uint64_t id, uint64_t (*x)[MAXD],
                            uint64_t (*y)[MAXD])
{
    for (int k = l - 1; k >= 0; k--) {
        decode_local(S, k, id % S->fan[k], x[k], y[k]);
        id /= S->fan[k];
    }
}

/* Operation index of each dimension: per level, temporal then Y then X
 * digits, outer levels more significant. */
static void op_index(const sim *S, uint64_t (*t)[MAXD], uint64_t (*x)[MAXD], uint64_t (*y)[MAXD],
                     uint64_t *idx)
{
    const petal_mapping *m = S->m;
    for (int d = 0; d < S->nd; d++) {
        uint64_t v = 0;
        for (int l = 0; l < S->nl; l++) {
            const petal_level_mapping *lm = &m->levels[l];
            uint64_t digit = (t[l][d] * lm->spatial_y[d] + y[l][d]) * lm->spatial_x[d] + x[l][d];
            v += digit * S->below[l + 1][d];
        }
        idx[d] = v;
    }
}

/* Whether an operation index lies within the bounds (imperfect factors span
 * a larger grid). */
static bool in_bounds(const sim *S, const uint64_t *idx)
{
    for (int d = 0; d < S->nd; d++)
        if (idx[d] >= S->p->bounds[d])
            return false;
    return true;
}

static void coords(const sim *S, int s, const uint64_t *idx, int64_t *c)
{
    const petal_dataspace *ds = &S->p->ds[s];
    for (int r = 0; r < ds->nranks; r++) {
        int64_t v = 0;
        for (int t = 0; t < ds->ranks[r].nterms; t++)
            v += ds->ranks[r].terms[t].coef * (int64_t)idx[ds->ranks[r].terms[t].dim];
        c[r] = v;
    }
}

static uint64_t address(const sim *S, int s, const int64_t *c)
{
    uint64_t a = 0;
    for (int r = 0; r < S->nranks[s]; r++)
        a += (uint64_t)(c[r] * S->rank_stride[s][r]);
    return a;
}

static uint64_t box_words(const sim *S, int s, const int64_t *lo, const int64_t *hi)
{
    uint64_t w = 1;
    for (int r = 0; r < S->nranks[s]; r++)
        w *= (uint64_t)(hi[r] - lo[r] + 1);
    return w;
}

static bool in_box(const sim *S, int s, const int64_t *c, const int64_t *lo, const int64_t *hi)
{
    for (int r = 0; r < S->nranks[s]; r++)
        if (c[r] < lo[r] || c[r] > hi[r])
            return false;
    return true;
}

/* Visit every coordinate of a box, in address order. */
typedef struct box_walk {
    int n;
    int64_t lo[MAXR], hi[MAXR], c[MAXR];
    bool done;
} box_walk;

static void walk_start(box_walk *w, int n, const int64_t *lo, const int64_t *hi)
{
    w->n = n;
    w->done = false;
    for (int r = 0; r < n; r++) {
        w->lo[r] = lo[r];
        w->hi[r] = hi[r];
        w->c[r] = lo[r];
    }
}

static void walk_next(box_walk *w)
{
    for (int r = w->n - 1; r >= 0; r--) {
        if (w->c[r] < w->hi[r]) {
            w->c[r]++;
            return;
        }
        w->c[r] = w->lo[r];
    }
    w->done = true;
}

/* The bounding boxes, in every data space level c keeps, of the operations of
 * instance `id`'s current tile: the loops above c fixed, all below enumerated.
 * False when no operation of the tile lies within the bounds (an idle
 * instance; the boxes are then empty). */
static bool tile_boxes(sim *S, int c, uint64_t id, int64_t (*lo)[MAXR], int64_t (*hi)[MAXR])
{
    bool any = false;
    uint64_t t[MAXL][MAXD], x[MAXL][MAXD] = {{0}}, y[MAXL][MAXD] = {{0}};
    decode_instance(S, c, id, x, y);
    memcpy(t, S->tidx, sizeof t);
    for (int l = c; l < S->nl; l++)
        for (int d = 0; d < S->nd; d++)
            t[l][d] = x[l][d] = y[l][d] = 0;
    for (int s = 0; s < NDS; s++)
        for (int r = 0; r < S->nranks[s]; r++) {
            lo[s][r] = INT64_MAX;
            hi[s][r] = INT64_MIN;
        }
    for (;;) {
        uint64_t idx[MAXD];
        op_index(S, t, x, y, idx);
        bool runs = !S->imperfect || in_bounds(S, idx);
        any |= runs;
        for (int s = 0; runs && s < NDS; s++) {
            if (!S->keep[c][s])
                continue;
            int64_t co[MAXR];
            coords(S, s, idx, co);
            for (int r = 0; r < S->nranks[s]; r++) {
                if (co[r] < lo[s][r])
                    lo[s][r] = co[r];
                if (co[r] > hi[s][r])
                    hi[s][r] = co[r];
            }
        }
        /* Next operation of the tile: an odometer over every digit below c. */
        int l = S->nl - 1, d = S->nd - 1, kind = 0; /* 0 X, 1 Y, 2 temporal */
        for (;;) {
            const petal_level_mapping *lm = &S->m->levels[l];
            uint64_t *v = kind == 0 ? &x[l][d] : kind == 1 ? &y[l][d] : &t[l][d];
            uint64_t n = kind == 0   ? lm->spatial_x[d]
                         : kind == 1 ? lm->spatial_y[d]
                                     : lm->temporal[d];
            if (*v + 1 < n) {
                (*v)++;
                break;
            }
            *v = 0;
            if (++kind == 3) {
                kind = 0;
                if (--d < 0) {
                    d = S->nd - 1;
                    if (--l < c)
                        return any;
                }
            }
        }
    }
}

/* --- grouping requests from spatial children --- */

typedef struct gnode {
    int sig;
    bool leaf;
    uint64_t n;     /* leaf: words */
    uint64_t dest;  /* leaf: bottom instances whose identical requests it stands for */
    uint64_t *addr; /* leaf: sorted addresses */
    int64_t *value; /* leaf: partial sums (Outputs) */
    int nkids;
    struct gnode **kids; /* internal: one node per distinct group, by signature */
} gnode;

typedef struct sig_table {
    gnode **rep;
    int n, cap;
} sig_table;

static bool same_request(const gnode *a, const gnode *b)
{
    if (a->leaf != b->leaf)
        return false;
    if (a->leaf)
        return a->n == b->n && memcmp(a->addr, b->addr, a->n * sizeof *a->addr) == 0;
    if (a->nkids != b->nkids)
        return false;
    for (int k = 0; k < a->nkids; k++)
        if (a->kids[k]->sig != b->kids[k]->sig)
            return false;
    return true;
}

/* The signature of a request: equal requests get equal numbers. */
static int intern(sim *S, sig_table *t, gnode *g)
{
    for (int i = 0; i < t->n; i++)
        if (same_request(t->rep[i], g))
            return i;
    if (t->n == t->cap) {
        int cap = t->cap ? 2 * t->cap : 64;
        gnode **rep = arena_alloc(&S->ar, (size_t)cap * sizeof *rep);
        if (!rep)
            return -1;
        if (t->n)
            memcpy(rep, t->rep, (size_t)t->n * sizeof *rep);
        t->rep = rep;
        t->cap = cap;
    }
    t->rep[t->n] = g;
    return t->n++;
}

/* Add b's partial sums and requesters into a (same signature, so the same
 * shape). */
static void merge(gnode *a, const gnode *b)
{
    if (a->leaf) {
        a->dest += b->dest;
        if (a->value)
            for (uint64_t i = 0; i < a->n; i++)
                a->value[i] += b->value[i];
        return;
    }
    for (int k = 0; k < a->nkids; k++)
        merge(a->kids[k], b->kids[k]);
}

static gnode *new_leaf(sim *S, uint64_t n, bool with_values)
{
    gnode *g = arena_alloc(&S->ar, sizeof *g);
    if (!g)
        return NULL;
    memset(g, 0, sizeof *g);
    g->leaf = true;
    g->n = n;
    g->dest = 1;
    g->addr = arena_alloc(&S->ar, (n ? n : 1) * sizeof *g->addr);
    g->value = with_values ? arena_alloc(&S->ar, (n ? n : 1) * sizeof *g->value) : NULL;
    if (!g->addr || (with_values && !g->value))
        return NULL;
    return g;
}

static int cmp_sig(const void *a, const void *b)
{
    const gnode *x = *(gnode *const *)a, *y = *(gnode *const *)b;
    return (x->sig > y->sig) - (x->sig < y->sig);
}

/* Words a request carries across one link: every distinct group's once. */
static uint64_t node_words(const gnode *g)
{
    if (g->leaf)
        return g->n;
    uint64_t w = 0;
    for (int k = 0; k < g->nkids; k++)
        w += node_words(g->kids[k]);
    return w;
}

static uint64_t ancestor(const sim *S, int l, uint64_t id, int j);

/* Whether data space s at instance i of level l sits in a window an outer
 * keeper gated or skipped: then its accesses there are not made. */
static bool dead(const sim *S, int s, int l, uint64_t i)
{
    if (!S->any_window)
        return false;
    for (int k = 0; k < l; k++)
        if (S->window_verdict[k][s] && S->window_verdict[k][s][ancestor(S, l, i, k)])
            return true;
    return false;
}

static sim_shape shape_of(const sim *S, int s)
{
    return (sim_shape){S->nranks[s], S->rank_ext[s], S->rank_stride[s], S->words[s]};
}

/* Whether data space s is indexed by dimension d. */
static bool uses_dim(const sim *S, int s, int d)
{
    const petal_dataspace *ds = &S->p->ds[s];
    for (int r = 0; r < ds->nranks; r++)
        for (int t = 0; t < ds->ranks[r].nterms; t++)
            if (ds->ranks[r].terms[t].dim == d)
                return true;
    return false;
}

/* Lay level l's format of s over its tile as the model does (docs/sim.md):
 * the loops of levels l and below over s's dimensions with more than one
 * iteration, innermost first (a level's spatial loops, then its temporal
 * ones); rank r takes the r-th from the outermost, and its elements are what
 * the loops inside it cover. */
static void plan_ranks(sim *S, int l, int s)
{
    const petal_mapping *m = S->m;
    const petal_format *f = S->format[l][s];
    struct {
        int dim;
        uint64_t count;
    } loops[MAXL * MAXD * 3];
    int k = 0;
    for (int j = S->nl - 1; j >= l; j--) {
        const petal_level_mapping *lm = &m->levels[j];
        for (int i = 0; i < S->nd; i++) {
            int d = lm->perm[i];
            if (d >= S->nd || !uses_dim(S, s, d))
                continue;
            if (lm->spatial_x[d] > 1)
                loops[k].dim = d, loops[k++].count = lm->spatial_x[d];
            if (lm->spatial_y[d] > 1)
                loops[k].dim = d, loops[k++].count = lm->spatial_y[d];
        }
        for (int i = 0; i < S->nd; i++) {
            int d = lm->perm[i];
            if (d < S->nd && uses_dim(S, s, d) && lm->temporal[d] > 1)
                loops[k].dim = d, loops[k++].count = lm->temporal[d];
        }
    }
    sim_rank_plan *pl = &S->plan[l][s];
    memset(pl, 0, sizeof *pl);
    pl->nranks = f->nranks;
    int next = k - 1;
    for (int r = 0; r < f->nranks; r++) {
        pl->format[r] = f->ranks[r].format;
        pl->fiber[r] = 1;
        pl->dim[r] = -1;
        if (next >= 0) {
            pl->fiber[r] = loops[next].count;
            pl->dim[r] = loops[next].dim;
            next--;
        }
        for (int d = 0; d < PETAL_MAX_DIMS; d++)
            pl->element[r][d] = 1;
        for (int i = 0; i <= next; i++)
            pl->element[r][loops[i].dim] *= loops[i].count;
    }
    sim_projection *pj = &S->proj[s];
    const petal_dataspace *ds = &S->p->ds[s];
    pj->nranks = ds->nranks;
    for (int r = 0; r < ds->nranks; r++) {
        pj->nterms[r] = ds->ranks[r].nterms;
        for (int t = 0; t < ds->ranks[r].nterms; t++) {
            pj->dim[r][t] = ds->ranks[r].terms[t].dim;
            pj->coef[r][t] = ds->ranks[r].terms[t].coef;
        }
    }
}

/* The metadata units of the tile one instance of level l holds now, its data
 * at lo..hi (s read-only, kept in a format). */
static void tile_metadata(sim *S, int l, int s, buffer *b, const int64_t *lo, const int64_t *hi)
{
    sim_shape sh = shape_of(S, s);
    b->tile_metadata = sim_tile_metadata(&S->plan[l][s], &S->proj[s], &sh, lo, S->tensor[s]);
    b->tile_words = box_words(S, s, lo, hi);
}

/* One algorithmic access of kind k (0 read, 1 fill, 2 update) made actual,
 * gated or skipped by `verdict`. */
static void count_access(buffer *b, int k, int verdict)
{
    if (verdict == PETAL_OPT_SKIPPING)
        b->skipped[k]++;
    else if (verdict == PETAL_OPT_GATING)
        b->gated[k]++;
    else
        b->actual[k]++;
}

/* The reads of a read-only request arriving at instance u of keeper `top`:
 * none inside a window an outer keeper gated or skipped; none of a zero the
 * level keeps in a format (its metadata tells the zeros, compressed or not);
 * the MACs' reads take the verdict of their step, reads filling a child
 * keeper their window's. Metadata goes with actual reads: a MAC's read
 * locates its one word, a child's fill reads the encoding of the words it
 * takes. */
static void classify_reads(sim *S, int s, int top, uint64_t u, const gnode *g)
{
    buffer *b = &S->buf[top][s][u];
    const int64_t *values = S->tensor[s];
    if (dead(S, s, top, u))
        return;
    int verdict = S->mac_delivery && S->nopts[s]                  ? S->verdict[s][u]
                  : !S->mac_delivery && S->window_verdict[top][s] ? S->window_verdict[top][s][u]
                                                                  : 0;
    const petal_format *f = S->format[top][s];
    for (uint64_t i = 0; i < g->n; i++) {
        if (f && values[g->addr[i]] == 0)
            continue;
        count_access(b, 0, verdict);
    }
    /* Each read the level does not gate or skip carries its share of the
     * tile's metadata, a zero it knows from the metadata too. */
    if (f && verdict == 0) {
        if (!b->tile_words) {
            int64_t lo[MAXR] = {0}, hi[MAXR];
            for (int r = 0; r < S->nranks[s]; r++)
                hi[r] = S->rank_ext[s][r] - 1;
            tile_metadata(S, top, s, b, top == 0 ? lo : b->lo, top == 0 ? hi : b->hi);
        }
        if (b->tile_words)
            b->metadata_share[0] += (double)b->tile_metadata * (double)g->n / (double)b->tile_words;
    }
}

static void arrive(sim *S, int s, int top, uint64_t u, const gnode *g)
{
    if (!g->leaf) {
        for (int k = 0; k < g->nkids; k++)
            arrive(S, s, top, u, g->kids[k]);
        return;
    }
    buffer *b = &S->buf[top][s][u];
    if (s != PETAL_DS_OUTPUTS) {
        b->reads += g->n;
        b->destinations += g->n * g->dest;
        if (S->sparse)
            classify_reads(S, s, top, u, g);
        return;
    }
    /* The MACs' partial sums share the verdict of their step; those coming
     * from a child keeper are actual. A level keeping Outputs in a format
     * never accesses a word whose final value is zero (docs/sim.md). */
    int verdict = !S->sparse                                      ? 0
                  : S->mac_delivery && S->nopts[s]                ? S->verdict[s][u]
                  : !S->mac_delivery && S->window_verdict[top][s] ? S->window_verdict[top][s][u]
                                                                  : 0;
    bool gone = S->sparse && dead(S, s, top, u);
    const petal_format *f = S->sparse && !gone ? S->format[top][s] : NULL;
    uint64_t scalar_metadata = sim_format_scalar_metadata(f);
    for (uint64_t i = 0; i < g->n; i++) {
        uint64_t w = g->addr[i];
        bool hidden = gone || (f && S->tensor[s][w] == 0);
        b->updates++;
        b->sources += g->dest;
        if (b->updated[w]) {
            b->reads++;
            if (S->sparse && !hidden)
                count_access(b, 0, verdict);
        }
        if (S->sparse && !hidden) {
            count_access(b, 2, verdict);
            if (S->mac_delivery && verdict == 0)
                b->metadata[2] += scalar_metadata;
        }
        b->updated[w] = 1;
        if (!b->resident[w] && !S->error[0])
            snprintf(S->error, sizeof S->error,
                     "internal: level %s received a partial sum for a word it does not hold",
                     S->a->levels[top].name);
        b->value[w] += g->value[i];
    }
    if (f && !S->mac_delivery) {
        sim_shape sh = shape_of(S, s);
        b->metadata[2] += sim_format_metadata(f, &sh, g->addr, g->n, S->tensor[s]);
    }
}

/* Where a child sits in the fan-out below level l: X is its X digits read as
 * one number, the first dimension's the fastest, and Y likewise. */
static void child_place(const sim *S, int l, uint64_t local, uint64_t *px, uint64_t *py)
{
    uint64_t x[MAXD], y[MAXD], wx = 1, wy = 1;
    decode_local(S, l, local, x, y);
    *px = *py = 0;
    for (int d = 0; d < S->nd; d++) {
        *px += x[d] * wx;
        *py += y[d] * wy;
        wx *= S->m->levels[l].spatial_x[d];
        wy *= S->m->levels[l].spatial_y[d];
    }
}

/* Forwarding below level l (the children of one instance, child k in group
 * group_of[k] carrying words_of[k] words, or no request when group_of[k] <
 * 0): on every line along the axis, the children of one group form a chain
 * from the first to the last; the network enters each chain once and the
 * words hop the chain's links. */
static bool count_chains(sim *S, int l, int s, uint64_t fan, int ng, const int *group_of,
                         const uint64_t *words_of)
{
    bool along_x = S->a->levels[l].forward[s] == PETAL_FORWARD_X;
    uint64_t lines = 1;
    for (int d = 0; d < S->nd; d++)
        lines *= along_x ? S->m->levels[l].spatial_y[d] : S->m->levels[l].spatial_x[d];
    uint64_t cells = (uint64_t)ng * lines;
    uint64_t *first = arena_alloc(&S->ar, cells * sizeof *first);
    uint64_t *last = arena_alloc(&S->ar, cells * sizeof *last);
    uint64_t *words = arena_alloc(&S->ar, cells * sizeof *words);
    if (!first || !last || !words)
        return false;
    for (uint64_t i = 0; i < cells; i++) {
        first[i] = UINT64_MAX;
        last[i] = 0;
    }
    for (uint64_t k = 0; k < fan; k++) {
        if (group_of[k] < 0)
            continue;
        uint64_t px, py;
        child_place(S, l, k, &px, &py);
        uint64_t pos = along_x ? px : py, line = along_x ? py : px;
        uint64_t cell = (uint64_t)group_of[k] * lines + line;
        if (first[cell] == UINT64_MAX || pos < first[cell])
            first[cell] = pos;
        if (pos > last[cell])
            last[cell] = pos;
        words[cell] = words_of[k];
    }
    for (uint64_t i = 0; i < cells; i++) {
        if (first[i] == UINT64_MAX)
            continue;
        uint64_t span = last[i] - first[i];
        S->fwd_entries[l][s] += words[i];
        S->fwd_hops[l][s] += words[i] * span;
        if (span > S->fwd_longest[l][s])
            S->fwd_longest[l][s] = span;
    }
    return true;
}

/* Requests of the instances of level `bottom` (the MACs when bottom == nl),
 * one node or NULL each, grouped level by level up to level `top`, where they
 * arrive: read-only data counts reads there, Outputs data its updates. On the
 * way every request is counted on the link it crosses: down for read-only
 * words, up for partial sums. A `refill` (Outputs words coming back down to
 * bottom) crosses the links the same way but arrives nowhere: the parent does
 * not count a read for it (docs/model.md). */
static bool deliver(sim *S, int s, int top, int bottom, gnode **req, bool refill)
{
    sig_table leaves = {0};
    for (uint64_t i = 0; i < S->inst[bottom]; i++)
        if (req[i] && (req[i]->sig = intern(S, &leaves, req[i])) < 0)
            return false;
    for (int l = bottom - 1; l >= top; l--) {
        sig_table table = {0};
        uint64_t fan = S->fan[l];
        gnode **up = arena_alloc(&S->ar, S->inst[l] * sizeof *up);
        gnode **groups = arena_alloc(&S->ar, fan * sizeof *groups);
        bool forwarded = S->a->levels[l].forward[s] != PETAL_FORWARD_NONE;
        int *group_of = forwarded ? arena_alloc(&S->ar, fan * sizeof *group_of) : NULL;
        uint64_t *words_of = forwarded ? arena_alloc(&S->ar, fan * sizeof *words_of) : NULL;
        if (!up || !groups || (forwarded && (!group_of || !words_of)))
            return false;
        for (uint64_t u = 0; u < S->inst[l]; u++) {
            int ng = 0;
            for (uint64_t k = 0; k < fan; k++) {
                gnode *child = req[u * fan + k];
                if (forwarded)
                    group_of[k] = -1;
                if (!child)
                    continue;
                uint64_t words = node_words(child);
                if (s == PETAL_DS_OUTPUTS && !refill) {
                    S->link_up[l][s] += words;
                } else {
                    S->link_down[l][s] += words;
                    if (refill && l + 1 < bottom)
                        S->link_passed[l][s] += words;
                }
                int g = 0;
                while (g < ng && groups[g]->sig != child->sig)
                    g++;
                if (g < ng)
                    merge(groups[g], child);
                else
                    groups[ng++] = child;
                if (forwarded) {
                    group_of[k] = g;
                    words_of[k] = words;
                }
            }
            if (forwarded && ng && !count_chains(S, l, s, fan, ng, group_of, words_of))
                return false;
            if (ng == 0) {
                up[u] = NULL;
                continue;
            }
            gnode *node = arena_alloc(&S->ar, sizeof *node);
            gnode **kids = arena_alloc(&S->ar, (size_t)ng * sizeof *kids);
            if (!node || !kids)
                return false;
            memcpy(kids, groups, (size_t)ng * sizeof *kids);
            qsort(kids, (size_t)ng, sizeof *kids, cmp_sig);
            *node = (gnode){.leaf = false, .nkids = ng, .kids = kids};
            if ((node->sig = intern(S, &table, node)) < 0)
                return false;
            up[u] = node;
        }
        req = up;
    }
    for (uint64_t u = 0; u < S->inst[top]; u++)
        if (req[u] && !refill)
            arrive(S, s, top, u, req[u]);
    return true;
}

/* --- tile changes --- */

static int outer_keeper(const sim *S, int l, int s)
{
    for (int j = l - 1; j >= 0; j--)
        if (S->keep[j][s])
            return j;
    return 0;
}

static uint64_t ancestor(const sim *S, int l, uint64_t id, int j)
{
    for (int k = l - 1; k >= j; k--)
        id /= S->fan[k];
    return id;
}

/* Decide the change of every instance of keeper c for data space s: the new
 * box, and whether it slides (keeping the overlap) or reloads. */
static void plan_change(sim *S, int c, int s, int64_t (*lo)[MAXR], int64_t (*hi)[MAXR], uint64_t id)
{
    buffer *b = &S->buf[c][s][id];
    int n = S->nranks[s];
    b->idle = false;
    memcpy(b->new_lo, lo[s], sizeof b->new_lo);
    memcpy(b->new_hi, hi[s], sizeof b->new_hi);
    uint64_t w = box_words(S, s, lo[s], hi[s]);
    if (w > S->tile_max[c][s])
        S->tile_max[c][s] = w;
    b->reload = false;
    if (!b->has_box)
        return; /* first tile: everything enters, no translation yet */
    int64_t tr[MAXR];
    for (int r = 0; r < n; r++)
        tr[r] = lo[s][r] - b->lo[r];
    if (!b->has_translation) {
        memcpy(b->translation, tr, sizeof tr);
        b->has_translation = true;
    } else if (memcmp(tr, b->translation, (size_t)n * sizeof tr[0]) != 0) {
        b->reload = true;
        b->has_translation = false;
    }
}

/* Words leaving instance id of keeper c: those of the old box outside the new
 * one, or the whole old box on a reload; NULL when none. Outputs carry their
 * partial sums. */
static gnode *leaving(sim *S, int c, int s, uint64_t id, bool all)
{
    buffer *b = &S->buf[c][s][id];
    if (!b->has_box)
        return NULL;
    bool outputs = s == PETAL_DS_OUTPUTS;
    int n = S->nranks[s];
    uint64_t count = 0;
    box_walk w;
    for (walk_start(&w, n, b->lo, b->hi); !w.done; walk_next(&w))
        count += all || b->reload || !in_box(S, s, w.c, b->new_lo, b->new_hi);
    if (count == 0)
        return NULL;
    gnode *g = new_leaf(S, count, outputs);
    if (!g)
        return NULL;
    uint64_t k = 0;
    for (walk_start(&w, n, b->lo, b->hi); !w.done; walk_next(&w)) {
        if (!(all || b->reload || !in_box(S, s, w.c, b->new_lo, b->new_hi)))
            continue;
        uint64_t a = address(S, s, w.c);
        g->addr[k] = a;
        if (outputs) {
            g->value[k] = b->value[a];
            b->value[a] = 0;
        }
        b->resident[a] = 0;
        b->held--;
        if (S->sparse && S->compressed[c][s] && S->tensor[s][a] != 0)
            b->nonzero_held--;
        k++;
    }
    return g;
}

/* Words entering instance id of keeper c; NULL when none. Also moves the box.
 * For Outputs, *refill gets the entering words the instance held before (the
 * partial sums that come back: fills), NULL when none. */
static gnode *entering(sim *S, int c, int s, uint64_t id, gnode **refill)
{
    buffer *b = &S->buf[c][s][id];
    int n = S->nranks[s];
    bool keep_old = b->has_box && !b->reload;
    uint64_t count = 0, again = 0;
    box_walk w;
    for (walk_start(&w, n, b->new_lo, b->new_hi); !w.done; walk_next(&w))
        if (!(keep_old && in_box(S, s, w.c, b->lo, b->hi))) {
            count++;
            again += b->seen[address(S, s, w.c)];
        }
    gnode *g = count ? new_leaf(S, count, false) : NULL;
    if (count && !g)
        return NULL;
    gnode *back = NULL;
    if (s == PETAL_DS_OUTPUTS && again && !(back = new_leaf(S, again, false)))
        return NULL;
    if (refill)
        *refill = back;
    uint64_t r = 0;
    bool gone = S->sparse && dead(S, s, c, id);
    int j = outer_keeper(S, c, s);
    buffer *parent = &S->buf[j][s][ancestor(S, c, id, j)];
    uint64_t k = 0;
    for (walk_start(&w, n, b->new_lo, b->new_hi); !w.done; walk_next(&w)) {
        if (keep_old && in_box(S, s, w.c, b->lo, b->hi))
            continue;
        uint64_t a = address(S, s, w.c);
        g->addr[k++] = a;
        if (!parent->resident[a] && !S->error[0])
            snprintf(S->error, sizeof S->error,
                     "internal: level %s fills a word level %s does not hold", S->a->levels[c].name,
                     S->a->levels[j].name);
        if (s == PETAL_DS_OUTPUTS) {
            if (b->seen[a])
                back->addr[r++] = a;
            b->fills += b->seen[a]; /* a new partial sum starts at zero */
            if (S->sparse && !gone && b->seen[a] && !(S->format[c][s] && S->tensor[s][a] == 0))
                b->actual[1]++;
            b->value[a] = 0;
        } else {
            b->fills++;
            b->value[a] = parent->value[a];
            if (S->sparse && !gone && !(S->format[c][s] && b->value[a] == 0)) {
                b->actual[1]++;
                if (S->compressed[c][s] && ++b->nonzero_held > b->nonzero_max)
                    b->nonzero_max = b->nonzero_held;
            }
        }
        if (!b->seen[a]) {
            b->seen[a] = 1;
            b->distinct++;
        }
        b->resident[a] = 1;
        b->held++;
    }
    /* Metadata of the words filled (for Outputs, the partial sums coming
     * back). Read-only data: the new tile's metadata, in the share of the
     * tile that entered (Sparseloop moves a tile's metadata with it). */
    const gnode *filled = s == PETAL_DS_OUTPUTS ? back : g;
    if (S->sparse && S->format[c][s] && s != PETAL_DS_OUTPUTS) {
        tile_metadata(S, c, s, b, b->new_lo, b->new_hi);
        if (!gone && b->tile_words)
            b->metadata_share[1] +=
                (double)b->tile_metadata * (double)count / (double)b->tile_words;
    } else if (S->sparse && !gone && S->format[c][s] && filled) {
        sim_shape sh = shape_of(S, s);
        b->metadata[1] +=
            sim_format_metadata(S->format[c][s], &sh, filled->addr, filled->n, S->tensor[s]);
    }
    memcpy(b->lo, b->new_lo, sizeof b->lo);
    memcpy(b->hi, b->new_hi, sizeof b->hi);
    b->has_box = true;
    return g;
}

/* Every level inside `changed` (below DRAM) that keeps Outputs sends its
 * partial sums to the next keeper out, innermost first: those leaving its
 * tile, or all it holds when `all` (the end of the run). */
static bool send_partial_sums(sim *S, int changed, bool all)
{
    int s = PETAL_DS_OUTPUTS;
    for (int c = S->nl - 1; c > changed && c > 0; c--) {
        if (!S->keep[c][s])
            continue;
        arena_reset(&S->ar);
        gnode **req = arena_alloc(&S->ar, S->inst[c] * sizeof *req);
        if (!req)
            return false;
        for (uint64_t id = 0; id < S->inst[c]; id++) {
            buffer *b = &S->buf[c][s][id];
            req[id] = leaving(S, c, s, id, all || b->idle);
            if (b->idle)
                b->has_box = b->has_translation = false;
        }
        if (S->ar.failed || !deliver(S, s, outer_keeper(S, c, s), c, req, false))
            return false;
    }
    return true;
}

/* Which data spaces are zero at every operation of the window of instance u
 * of keeper K: the loops above K as they stand, the temporal loops at
 * positions up to `restart` too, every other loop and every spatial loop at
 * or below K over its whole range (Sparseloop integrates the spatial loops
 * between the keeper and its target loop). A mask of data spaces. */
static uint8_t window_empty(sim *S, int K, uint64_t u, int restart)
{
    uint64_t t[MAXL][MAXD], x[MAXL][MAXD] = {{0}}, y[MAXL][MAXD] = {{0}};
    decode_instance(S, K, u, x, y);
    memcpy(t, S->tidx, sizeof t);
    uint64_t *digit[MAXL * MAXD * 3], count[MAXL * MAXD * 3];
    int n = 0;
    for (int p = restart + 1; p < S->nloops; p++) {
        const temporal_loop *lp = &S->loops[p];
        t[lp->level][lp->dim] = 0;
        digit[n] = &t[lp->level][lp->dim];
        count[n++] = lp->count;
    }
    for (int l = K; l < S->nl; l++)
        for (int d = 0; d < S->nd; d++) {
            const petal_level_mapping *lm = &S->m->levels[l];
            if (lm->spatial_x[d] > 1) {
                digit[n] = &x[l][d];
                count[n++] = lm->spatial_x[d];
            }
            if (lm->spatial_y[d] > 1) {
                digit[n] = &y[l][d];
                count[n++] = lm->spatial_y[d];
            }
        }
    uint8_t nonzero = 0, all = (1u << NDS) - 1;
    for (;;) {
        uint64_t idx[MAXD];
        op_index(S, t, x, y, idx);
        for (int c = 0; c < NDS; c++) {
            if (nonzero & (1u << c))
                continue;
            int64_t co[MAXR];
            coords(S, c, idx, co);
            if (S->tensor[c][address(S, c, co)] != 0)
                nonzero |= (uint8_t)(1u << c);
        }
        int i = n - 1;
        while (i >= 0 && ++*digit[i] == count[i])
            *digit[i--] = 0;
        if (i < 0 || nonzero == all)
            break;
    }
    return (uint8_t)(all & ~nonzero);
}

/* New windows for the optimizations on transfers between keepers whose
 * target loop (or a loop outside it) just stepped, or all at the start. */
static void open_windows(sim *S)
{
    for (int K = 0; K < S->nl; K++)
        for (int t = 0; t < NDS; t++) {
            if (!S->nwopts[K][t] || (S->stepped >= 0 && S->stepped > S->restart_pos[K][t]))
                continue;
            for (uint64_t u = 0; u < S->inst[K]; u++) {
                uint8_t empty = window_empty(S, K, u, S->restart_pos[K][t]), verdict = 0;
                for (int k = 0; k < S->nwopts[K][t]; k++)
                    if (empty & S->wopt_cond[K][t][k]) {
                        if (S->wopt_kind[K][t][k] == PETAL_OPT_SKIPPING)
                            verdict = PETAL_OPT_SKIPPING;
                        else if (!verdict)
                            verdict = PETAL_OPT_GATING;
                    }
                S->window_verdict[K][t][u] = verdict;
            }
        }
}

/* Every level below `changed` starts a new tile. */
static bool change_tiles(sim *S, int changed)
{
    /* Plan every change first (boxes come from the loop indices alone). */
    for (int c = changed + 1; c < S->nl; c++) {
        if (c == 0)
            continue;
        bool any = false;
        for (int s = 0; s < NDS; s++)
            any |= S->keep[c][s];
        if (!any)
            continue;
        for (uint64_t id = 0; id < S->inst[c]; id++) {
            int64_t blo[NDS][MAXR], bhi[NDS][MAXR];
            bool runs = tile_boxes(S, c, id, blo, bhi);
            for (int s = 0; s < NDS; s++) {
                if (!S->keep[c][s])
                    continue;
                if (runs)
                    plan_change(S, c, s, blo, bhi, id);
                else
                    S->buf[c][s][id].idle = true; /* gives its tile up */
            }
        }
    }
    /* Partial sums leave bottom-up, so every parent still holds its old tile. */
    if (!send_partial_sums(S, changed, false))
        return false;
    if (S->any_window)
        open_windows(S);
    /* Words enter top-down, so every parent already holds its new tile. */
    for (int c = changed + 1; c < S->nl; c++) {
        if (c == 0)
            continue;
        for (int s = 0; s < NDS; s++) {
            if (!S->keep[c][s])
                continue;
            arena_reset(&S->ar);
            gnode **req = arena_alloc(&S->ar, S->inst[c] * sizeof *req);
            gnode **refill = arena_alloc(&S->ar, S->inst[c] * sizeof *refill);
            if (!req || !refill)
                return false;
            for (uint64_t id = 0; id < S->inst[c]; id++) {
                refill[id] = req[id] = NULL;
                buffer *b = &S->buf[c][s][id];
                if (b->idle) { /* read-only words simply go; Outputs went up above */
                    leaving(S, c, s, id, true);
                    b->has_box = b->has_translation = false;
                    continue;
                }
                if (s != PETAL_DS_OUTPUTS)
                    leaving(S, c, s, id, false); /* read-only words simply go */
                req[id] = entering(S, c, s, id, &refill[id]);
            }
            if (S->ar.failed)
                return false;
            /* Read-only words entering are read from the outer keeper; Outputs
             * refills come down from it without a read. */
            if (!deliver(S, s, outer_keeper(S, c, s), c, s != PETAL_DS_OUTPUTS ? req : refill,
                         s == PETAL_DS_OUTPUTS))
                return false;
        }
        uint64_t depth = S->a->levels[c].depth;
        for (uint64_t id = 0; depth && id < S->inst[c]; id++) {
            uint64_t held = 0, bits[2] = {0, 0};
            for (int s = 0; s < NDS; s++)
                if (S->keep[c][s]) {
                    uint64_t h = S->buf[c][s][id].held;
                    held += h;
                    bits[0] += h * S->width[c][s];
                    bits[1] += h * S->width[c][s == PETAL_DS_OUTPUTS ? NDS : s];
                }
            for (int k = 0; k < 2; k++)
                if (bits[k] > S->held_bits_max[c][k])
                    S->held_bits_max[c][k] = bits[k];
            if (!S->widths && held > depth && !S->error[0])
                snprintf(S->error, sizeof S->error,
                         "level %s: an instance holds %llu words at once but its depth is %llu",
                         S->a->levels[c].name, (unsigned long long)held, (unsigned long long)depth);
        }
    }
    return true;
}

static int innermost_keeper(const sim *S, int s)
{
    for (int l = S->nl - 1; l >= 0; l--)
        if (S->keep[l][s])
            return l;
    return 0;
}

/* The verdicts of one step (docs/sim.md). For each data space with action
 * optimizations, per instance of its innermost keeper: a condition data space
 * is empty when its values at every MAC under the instance are zero (the
 * MACs' Outputs: the final values); an optimization applies when one of its
 * condition data spaces is empty; skipping wins over gating. Then each MAC's
 * operation: none of actual, gated or skipped when a storage level gated or
 * skipped an operand's read; otherwise by the operands' states: with every
 * operand a zero kept in a format (never read), none either; one such, skipped
 * or gated as arith.sparse says; a zero that is read, gated under gating. */
static void judge_step(sim *S, const int *top, gnode **const *req)
{
    uint64_t macs = S->inst[S->nl];
    for (int t = 0; t < NDS; t++) {
        if (!S->nopts[t])
            continue;
        uint64_t n = S->inst[top[t]], per = macs / n;
        for (uint64_t u = 0; u < n; u++) {
            uint8_t empty = 0;
            for (int c = 0; c < NDS; c++) {
                bool all_zero = true;
                for (uint64_t mac = u * per; all_zero && mac < (u + 1) * per; mac++)
                    all_zero = S->tensor[c][req[c][mac]->addr[0]] == 0;
                empty |= (uint8_t)(all_zero << c);
            }
            uint8_t verdict = 0;
            for (int k = 0; k < S->nopts[t]; k++)
                if (empty & S->opt_cond[t][k]) {
                    if (S->opt_kind[t][k] == PETAL_OPT_SKIPPING)
                        verdict = PETAL_OPT_SKIPPING;
                    else if (!verdict)
                        verdict = PETAL_OPT_GATING;
                }
            S->verdict[t][u] = verdict;
        }
    }
    int kind = S->a->arith.sparse.kind;
    for (uint64_t mac = 0; mac < macs; mac++) {
        bool storage_optimized = false;
        int stored_zeros = 0, missing = 0, operands = 0;
        for (int s = 0; s < NDS; s++) {
            if (s == PETAL_DS_OUTPUTS)
                continue;
            uint64_t keeper = ancestor(S, S->nl, mac, top[s]);
            if (S->nopts[s])
                storage_optimized |= S->verdict[s][keeper] != 0;
            storage_optimized |= dead(S, s, top[s], keeper);
            operands++;
            if (S->tensor[s][req[s][mac]->addr[0]] == 0) {
                /* A zero kept in a format is not there to be read. */
                if (S->format[top[s]][s])
                    missing++;
                else
                    stored_zeros++;
            }
        }
        /* Sparseloop's operand states: no operand there at all, the MACs
         * never see the operation; one missing, the alignment unit skips it
         * (compute skipping) or sends a gated bubble; a zero that is there
         * can be gated but not skipped, as both operands arrive. */
        if (storage_optimized || (missing && missing == operands))
            continue;
        if (missing && kind == PETAL_OPT_SKIPPING) {
            S->skipped_computes++;
            continue;
        }
        if ((missing || stored_zeros) && kind == PETAL_OPT_GATING)
            S->gated_computes++;
        else
            S->actual_computes++;
        S->mac_busy[mac]++;
    }
}

/* One step: every MAC does its operation. */
static bool compute_step(sim *S)
{
    uint64_t macs = S->inst[S->nl];
    int top[NDS];
    gnode **req[NDS];
    arena_reset(&S->ar);
    for (int s = 0; s < NDS; s++) {
        top[s] = innermost_keeper(S, s);
        req[s] = arena_alloc(&S->ar, macs * sizeof *req[s]);
        if (!req[s])
            return false;
    }
    for (uint64_t mac = 0; mac < macs; mac++) {
        uint64_t x[MAXL][MAXD] = {{0}}, y[MAXL][MAXD] = {{0}}, idx[MAXD];
        decode_instance(S, S->nl, mac, x, y);
        op_index(S, S->tidx, x, y, idx);
        if (S->imperfect && !in_bounds(S, idx)) {
            for (int s = 0; s < NDS; s++)
                req[s][mac] = NULL; /* beyond the bounds: this MAC idles */
            continue;
        }
        S->operations++;
        int64_t operand[2] = {0, 0};
        for (int s = 0; s < NDS; s++) {
            int64_t co[MAXR];
            coords(S, s, idx, co);
            uint64_t a = address(S, s, co);
            buffer *b = &S->buf[top[s]][s][ancestor(S, S->nl, mac, top[s])];
            if (!b->resident[a] && !S->error[0])
                snprintf(S->error, sizeof S->error,
                         "internal: a MAC needs a word level %s does not hold",
                         S->a->levels[top[s]].name);
            if (s != PETAL_DS_OUTPUTS)
                operand[s] = b->value[a];
            gnode *g = new_leaf(S, 1, s == PETAL_DS_OUTPUTS);
            if (!g)
                return false;
            g->addr[0] = a;
            req[s][mac] = g;
        }
        req[PETAL_DS_OUTPUTS][mac]->value[0] = operand[0] * operand[1];
    }
    if (S->sparse)
        judge_step(S, top, req);
    S->mac_delivery = true;
    for (int s = 0; s < NDS; s++)
        if (!deliver(S, s, top[s], S->nl, req[s], false))
            return false;
    S->mac_delivery = false;
    return true;
}

/* Whether the current temporal indices hold an operation within the bounds:
 * the one with every spatial digit 0 is the smallest index of each dimension. */
static bool step_runs(sim *S)
{
    uint64_t x[MAXL][MAXD] = {{0}}, y[MAXL][MAXD] = {{0}}, idx[MAXD];
    op_index(S, S->tidx, x, y, idx);
    return in_bounds(S, idx);
}

/* At the end every level sends its partial sums up, innermost first. */
static bool drain_all(sim *S)
{
    return send_partial_sums(S, -1, true);
}

/* --- set-up --- */

static petal_status check_and_shape(sim *S, const petal_sim_options *o)
{
    const petal_problem *p = S->p;
    const petal_arch *a = S->a;
    const petal_mapping *m = S->m;
    int nd = S->nd, nl = S->nl;
    for (int l = 0; l < nl; l++) {
        const petal_level_mapping *lm = &m->levels[l];
        unsigned seen = 0;
        for (int k = 0; k < nd; k++)
            if (lm->perm[k] < nd)
                seen |= 1u << lm->perm[k];
        if (seen != (1u << nd) - 1)
            return petal_error_set(PETAL_EMAPPING,
                                   "level %s: the loop order does not name "
                                   "every dimension once",
                                   a->levels[l].name);
    }
    for (int d = 0; d < nd; d++) {
        uint64_t prod = 1, outer = 1, inner = 1;
        switch (petal_mapping_factor_fit(m, d, p->bounds[d], &prod, &outer, &inner)) {
        case PETAL_FACTORS_EXACT:
            break;
        case PETAL_FACTORS_IMPERFECT:
            S->imperfect = true;
            break;
        case PETAL_FACTORS_ZERO:
        case PETAL_FACTORS_OVERFLOW:
            return petal_error_set(PETAL_EMAPPING,
                                   "dimension %s: a factor is 0 or "
                                   "the factors overflow",
                                   p->dim_names[d]);
        case PETAL_FACTORS_SHORT:
            return petal_error_set(
                PETAL_EMAPPING, "dimension %s: the factors multiply to %llu, less than %llu",
                p->dim_names[d], (unsigned long long)prod, (unsigned long long)p->bounds[d]);
        case PETAL_FACTORS_EMPTY_LOOP:
            return petal_error_set(PETAL_EMAPPING,
                                   "dimension %s: its outermost loop of %llu over tiles of %llu "
                                   "never runs its last iteration (bound %llu)",
                                   p->dim_names[d], (unsigned long long)outer,
                                   (unsigned long long)inner, (unsigned long long)p->bounds[d]);
        }
    }
    for (int l = 0; l < nl; l++) {
        const petal_level *lv = &a->levels[l];
        uint8_t keep = m->levels[l].keep & PETAL_KEEP_ALL;
        uint8_t allowed = lv->cls == PETAL_MEM_NONE ? 0 : lv->may_keep;
        if (l == 0 && keep != PETAL_KEEP_ALL)
            return petal_error_set(PETAL_EMAPPING,
                                   "level %s is the outermost and must keep "
                                   "every data space",
                                   lv->name);
        if (keep & ~allowed)
            return petal_error_set(PETAL_EMAPPING,
                                   "level %s keeps a data space it may not "
                                   "hold",
                                   lv->name);
        for (int s = 0; s < NDS; s++)
            S->keep[l][s] = keep & (1u << s);
        uint32_t fx, fy;
        petal_arch_fanout(a, l, &fx, &fy);
        uint64_t ux = 1, uy = 1;
        for (int d = 0; d < nd; d++) {
            ux *= m->levels[l].spatial_x[d];
            uy *= m->levels[l].spatial_y[d];
        }
        if (ux > fx || uy > fy)
            return petal_error_set(PETAL_EMAPPING,
                                   "level %s: spatial factors %llux%llu exceed "
                                   "the fan-out %ux%u below it",
                                   lv->name, (unsigned long long)ux, (unsigned long long)uy, fx,
                                   fy);
        S->fan[l] = ux * uy;
    }
    for (int d = 0; d < nd; d++)
        S->below[nl][d] = 1;
    for (int l = nl - 1; l >= 0; l--)
        for (int d = 0; d < nd; d++) {
            const petal_level_mapping *lm = &m->levels[l];
            S->below[l][d] =
                S->below[l + 1][d] * lm->temporal[d] * lm->spatial_x[d] * lm->spatial_y[d];
        }
    S->inst[0] = 1;
    for (int l = 0; l < nl; l++)
        S->inst[l + 1] = S->inst[l] * S->fan[l];
    S->nloops = 0;
    for (int l = 0; l < nl; l++)
        for (int k = nd - 1; k >= 0; k--) {
            int d = m->levels[l].perm[k];
            if (m->levels[l].temporal[d] > 1)
                S->loops[S->nloops++] = (temporal_loop){l, d, m->levels[l].temporal[d]};
        }
    uint64_t macs = petal_problem_macs(p);
    if (o->max_macs && macs > o->max_macs)
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "layer %s: %llu MACs is more than the "
                               "simulator's limit of %llu",
                               p->name, (unsigned long long)macs, (unsigned long long)o->max_macs);
    uint64_t bytes = 0;
    for (int s = 0; s < NDS; s++) {
        const petal_dataspace *ds = &p->ds[s];
        S->nranks[s] = ds->nranks;
        uint64_t words = 1;
        for (int r = ds->nranks - 1; r >= 0; r--) {
            int64_t e = 1;
            for (int t = 0; t < ds->ranks[r].nterms; t++)
                e += ds->ranks[r].terms[t].coef *
                     (int64_t)(p->bounds[ds->ranks[r].terms[t].dim] - 1);
            S->rank_ext[s][r] = e;
            S->rank_stride[s][r] = (int64_t)words;
            words *= (uint64_t)e;
        }
        S->words[s] = words;
        for (int l = 0; l < nl; l++)
            if (S->keep[l][s])
                bytes += S->inst[l] * words * (3 + sizeof(int64_t));
        bytes += words * sizeof(int64_t);
    }
    if (o->max_bytes && bytes > o->max_bytes)
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "layer %s: the simulator would need %llu "
                               "bytes of buffers, more than its limit of %llu",
                               p->name, (unsigned long long)bytes,
                               (unsigned long long)o->max_bytes);
    return PETAL_OK;
}

/* Whether dimension d moves data space s (some rank of s uses it). */
static bool moves(const petal_problem *p, int s, int d)
{
    const petal_dataspace *ds = &p->ds[s];
    for (int r = 0; r < ds->nranks; r++)
        for (int k = 0; k < ds->ranks[r].nterms; k++)
            if (ds->ranks[r].terms[k].dim == d && ds->ranks[r].terms[k].coef != 0)
                return true;
    return false;
}

/* Which sparse features the run has, each action optimization placed at its
 * target's nearest keeper at or above its level (per step there when that is
 * the innermost keeper, by windows otherwise), and a refusal for what the
 * simulator does not execute (docs/sim.md): spatial skipping, a format rank
 * flattening named dimensions. */
static petal_status sparse_setup(sim *S)
{
    const petal_problem *p = S->p;
    const petal_arch *a = S->a;
    for (int s = 0; s < NDS; s++) {
        const petal_density *d = &p->density[s];
        if (d->kind > PETAL_DENSITY_BANDED || !(d->density >= 0 && d->density <= 1))
            return petal_error_set(PETAL_EINVAL,
                                   "layer %s: the density of %s is not a known model with a "
                                   "density in [0, 1]",
                                   p->name, p->ds[s].name);
        /* As the model (docs/sparsity.md): without zeros in any data space,
         * gating and skipping change nothing and formats are not applied, so
         * the dense run is the answer; a data space without zeros is kept
         * uncoded whatever format a level gives it. */
        S->sparse |=
            d->kind != PETAL_DENSITY_DENSE && (d->kind == PETAL_DENSITY_BANDED || d->density < 1);
    }
    /* Sparseloop's banded is a matrix's band; the model takes no other shape,
     * and neither does the simulator, so that the two say the same. */
    petal_status refused = petal_problem_banded_check(p);
    if (refused)
        return refused;
    if (a->arith.sparse.kind > PETAL_OPT_SKIPPING)
        return petal_error_set(PETAL_EINVAL, "architecture %s: unknown compute optimization %u",
                               a->name, a->arith.sparse.kind);
    if (!S->sparse)
        return PETAL_OK;
    if (S->imperfect)
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "layer %s: imperfect factors with sparse data are not simulated "
                               "yet (docs/model.md, \"Imperfect factors\")",
                               p->name);
    for (int l = 0; l < S->nl; l++) {
        const petal_level_sparse *ls = &a->levels[l].sparse;
        const char *name = a->levels[l].name;
        for (int s = 0; s < NDS; s++) {
            const petal_format *f = &ls->format[s];
            const petal_density *d = &p->density[s];
            if (!S->keep[l][s] || f->nranks == 0 || d->kind == PETAL_DENSITY_DENSE ||
                (d->kind != PETAL_DENSITY_BANDED && d->density >= 1))
                continue;
            if (f->nranks > PETAL_MAX_FORMAT_RANKS)
                return petal_error_set(PETAL_EINVAL, "level %s: %u format ranks for %s", name,
                                       f->nranks, p->ds[s].name);
            for (int r = 0; r < f->nranks; r++) {
                if (f->ranks[r].dim_mask)
                    return petal_error_set(PETAL_EUNSUPPORTED,
                                           "level %s: the simulator does not execute format "
                                           "ranks that flatten named dimensions yet (%s)",
                                           name, p->ds[s].name);
                if (f->ranks[r].format >= PETAL_NUM_FORMATS)
                    return petal_error_set(PETAL_EINVAL, "level %s: unknown format for %s", name,
                                           p->ds[s].name);
            }
            S->format[l][s] = f;
            S->compressed[l][s] = sim_format_compresses(f);
            plan_ranks(S, l, s);
        }
        if (ls->nopts > PETAL_MAX_ACTION_OPTS)
            return petal_error_set(PETAL_EINVAL, "level %s: %u action optimizations", name,
                                   ls->nopts);
        for (int k = 0; k < ls->nopts; k++) {
            const petal_action_opt *o = &ls->opts[k];
            if (o->target >= NDS || (o->condition_mask & ((1u << NDS) - 1)) == 0 ||
                o->condition_mask >> NDS)
                return petal_error_set(PETAL_EINVAL,
                                       "level %s: an action optimization needs a target and "
                                       "condition_on data spaces",
                                       name);
            if (o->kind != PETAL_OPT_GATING && o->kind != PETAL_OPT_SKIPPING)
                return petal_error_set(PETAL_EUNSUPPORTED,
                                       "level %s: the simulator executes gating and skipping, "
                                       "not %s",
                                       name, petal_action_opt_name(o->kind));
            int t = o->target, keeper = l;
            while (keeper > 0 && !S->keep[keeper][t])
                keeper--;
            int innermost = S->nl - 1;
            while (innermost > 0 && !S->keep[innermost][t])
                innermost--;
            if (keeper != innermost) {
                int n = S->nwopts[keeper][t]++;
                S->wopt_kind[keeper][t][n] = o->kind;
                S->wopt_cond[keeper][t][n] = o->condition_mask;
                S->any_window = true;
                continue;
            }
            S->opt_kind[t][S->nopts[t]] = o->kind;
            S->opt_cond[t][S->nopts[t]] = o->condition_mask;
            S->nopts[t]++;
        }
    }
    /* Each window's target loop: the innermost loop between the keeper and the
     * next keeper inside it that moves the target; none: the keeper's whole
     * stay (only the loops above it start a window). */
    for (int K = 0; K < S->nl; K++)
        for (int t = 0; t < NDS; t++) {
            if (!S->nwopts[K][t])
                continue;
            int c = K + 1;
            while (!S->keep[c][t])
                c++;
            int restart = -1;
            for (int q = 0; q < S->nloops; q++)
                if (S->loops[q].level < K)
                    restart = q;
            for (int q = S->nloops - 1; q >= 0; q--) {
                const temporal_loop *lp = &S->loops[q];
                if (lp->level >= K && lp->level < c && moves(p, t, lp->dim)) {
                    restart = q;
                    break;
                }
            }
            S->restart_pos[K][t] = restart;
        }
    return PETAL_OK;
}

static petal_status allocate(sim *S, uint64_t seed)
{
    uint64_t rng = seed ? seed : 1;
    for (int s = 0; s < NDS; s++) {
        uint64_t words = S->words[s];
        S->tensor[s] = calloc(words, sizeof(int64_t));
        if (!S->tensor[s])
            return petal_error_set(PETAL_ENOMEM, "simulator: out of memory");
        if (s != PETAL_DS_OUTPUTS && S->sparse) {
            sim_shape sh = shape_of(S, s);
            if (!sim_draw_tensor(&S->p->density[s], &sh, S->tensor[s], &rng))
                return petal_error_set(PETAL_ENOMEM, "simulator: out of memory");
        } else if (s != PETAL_DS_OUTPUTS) {
            for (uint64_t w = 0; w < words; w++)
                S->tensor[s][w] = (int64_t)(rng_next(&rng) % 15) - 7;
        }
        if (S->sparse && !S->mac_busy &&
            !(S->mac_busy = calloc(S->inst[S->nl], sizeof *S->mac_busy)))
            return petal_error_set(PETAL_ENOMEM, "simulator: out of memory");
        for (int K = 0; K < S->nl; K++)
            if (S->nwopts[K][s] && !(S->window_verdict[K][s] = calloc(S->inst[K], 1)))
                return petal_error_set(PETAL_ENOMEM, "simulator: out of memory");
        if (S->nopts[s]) {
            int top = S->nl - 1;
            while (top > 0 && !S->keep[top][s])
                top--;
            S->verdict[s] = calloc(S->inst[top], 1);
            if (!S->verdict[s])
                return petal_error_set(PETAL_ENOMEM, "simulator: out of memory");
        }
        for (int l = 0; l < S->nl; l++) {
            if (!S->keep[l][s])
                continue;
            S->buf[l][s] = calloc(S->inst[l], sizeof(buffer));
            if (!S->buf[l][s])
                return petal_error_set(PETAL_ENOMEM, "simulator: out of memory");
            for (uint64_t i = 0; i < S->inst[l]; i++) {
                buffer *b = &S->buf[l][s][i];
                b->resident = calloc(words, 1);
                b->seen = calloc(words, 1);
                b->updated = calloc(words, 1);
                b->value = calloc(words, sizeof *b->value);
                if (!b->resident || !b->seen || !b->updated || !b->value)
                    return petal_error_set(PETAL_ENOMEM, "simulator: out of memory");
            }
        }
        /* The outermost level holds every tensor from the start. */
        buffer *dram = &S->buf[0][s][0];
        memset(dram->resident, 1, words);
        memset(dram->seen, 1, words);
        dram->held = dram->distinct = words;
        if (s != PETAL_DS_OUTPUTS)
            memcpy(dram->value, S->tensor[s], words * sizeof(int64_t));
    }
    return PETAL_OK;
}

static void release(sim *S)
{
    for (int s = 0; s < NDS; s++) {
        for (int l = 0; l < S->nl; l++) {
            if (!S->buf[l][s])
                continue;
            for (uint64_t i = 0; i < S->inst[l]; i++) {
                buffer *b = &S->buf[l][s][i];
                free(b->resident);
                free(b->seen);
                free(b->updated);
                free(b->value);
            }
            free(S->buf[l][s]);
        }
        free(S->tensor[s]);
        free(S->verdict[s]);
        S->verdict[s] = NULL;
        for (int K = 0; K < S->nl; K++) {
            free(S->window_verdict[K][s]);
            S->window_verdict[K][s] = NULL;
        }
    }
    free(S->mac_busy);
    arena_free(&S->ar);
}

/* The least whole number of cycles c with c * bw >= words: moving `words` at
 * `bw` words per cycle (0: unlimited, no cycles). A bandwidth means the
 * decimal it is written as: 0.7 words per cycle moves 63 words in 90 cycles,
 * though 90 x 0.7 falls a hair short of 63 in binary, so a product within a
 * relative 1e-9 of the words reaches them. */
static uint32_t lv_block(const petal_arch *a, int l)
{
    return a->levels[l].block_size ? a->levels[l].block_size : 1;
}

static uint64_t cycles_to_move(uint64_t words, double bw)
{
    if (bw <= 0 || words == 0)
        return 0;
    double enough = (double)words * (1 - 1e-9);
    uint64_t c = (uint64_t)((double)words / bw);
    while ((double)c * bw < enough)
        c++;
    while (c > 0 && (double)(c - 1) * bw >= enough)
        c--;
    return c;
}

/* Actual accesses of kind k (0 reads, 1 fills, 2 updates) of one buffer. */
static uint64_t actual(const sim *S, const buffer *b, int k)
{
    if (!S->sparse)
        return k == 0 ? b->reads : k == 1 ? b->fills : b->updates;
    return b->actual[k];
}

/* Accesses that occupy the level's bandwidth: actual and gated ones (a gated
 * access still takes its cycle; a skipped one does not). */
static uint64_t busy(const sim *S, const buffer *b, int k)
{
    return actual(S, b, k) + (S->sparse ? b->gated[k] : 0);
}

/* Whether level l ever read a partial sum back to add another to it: then
 * it holds Outputs as partial sums. */
static bool sim_adds_psums(const sim *S, int l)
{
    if (!S->keep[l][PETAL_DS_OUTPUTS])
        return false;
    for (uint64_t i = 0; i < S->inst[l]; i++)
        if (S->buf[l][PETAL_DS_OUTPUTS][i].reads)
            return true;
    return false;
}

/* Width of data space s as level l holds it. */
static uint32_t sim_width(const sim *S, int l, int s)
{
    return S->width[l][s == PETAL_DS_OUTPUTS && sim_adds_psums(S, l) ? NDS : s];
}

/* Outputs by the problem's definition: every operation of the bounds. */
static void direct_evaluation(sim *S)
{
    uint64_t idx[MAXD] = {0};
    int64_t *out = S->tensor[PETAL_DS_OUTPUTS];
    for (;;) {
        int64_t cw[MAXR], ci[MAXR], co[MAXR];
        coords(S, PETAL_DS_WEIGHTS, idx, cw);
        coords(S, PETAL_DS_INPUTS, idx, ci);
        coords(S, PETAL_DS_OUTPUTS, idx, co);
        out[address(S, PETAL_DS_OUTPUTS, co)] +=
            S->tensor[PETAL_DS_WEIGHTS][address(S, PETAL_DS_WEIGHTS, cw)] *
            S->tensor[PETAL_DS_INPUTS][address(S, PETAL_DS_INPUTS, ci)];
        int d = S->nd - 1;
        while (d >= 0 && ++idx[d] == S->p->bounds[d])
            idx[d--] = 0;
        if (d < 0)
            return;
    }
}

static petal_status sim_run_once(const petal_problem *p, const petal_arch *a,
                                 const petal_mapping *m, const petal_sim_options *options,
                                 petal_sim_result *out)
{
    if (!p || !a || !m || !out)
        return petal_error_set(PETAL_EINVAL, "petal_sim_run: a NULL argument");
    petal_status st = petal_problem_check(p);
    if (st)
        return st;
    if (a->nlevels == 0 || a->nlevels > PETAL_MAX_LEVELS)
        return petal_error_set(PETAL_EINVAL,
                               "architecture %s: %u storage levels, expected 1 to %d "
                               "(PETAL_MAX_LEVELS)",
                               a->name, a->nlevels, PETAL_MAX_LEVELS);
    if (m->nlevels != a->nlevels)
        return petal_error_set(PETAL_EINVAL,
                               "the mapping has %u levels but architecture %s "
                               "has %u",
                               m->nlevels, a->name, a->nlevels);
    petal_sim_options defaults;
    if (!options) {
        petal_sim_options_init(&defaults);
        options = &defaults;
    }
    sim *S = calloc(1, sizeof *S);
    if (!S)
        return petal_error_set(PETAL_ENOMEM, "simulator: out of memory");
    S->p = p;
    S->a = a;
    S->m = m;
    S->nd = p->ndims;
    S->nl = a->nlevels;
    st = check_and_shape(S, options);
    if (!st)
        st = sparse_setup(S);
    if (!st && S->sparse && petal_arch_forwards(a))
        st = petal_error_set(PETAL_EUNSUPPORTED,
                             "layer %s on architecture %s: neighbour forwarding with sparse "
                             "features is not simulated yet (docs/systolic.md)",
                             p->name, a->name);
    if (!st)
        st = allocate(S, options->seed);
    if (st) {
        release(S);
        free(S);
        return st;
    }
    S->widths = petal_precision_any(&p->precision);
    for (int l = 0; l < S->nl; l++)
        for (int i = 0; i <= NDS; i++)
            S->width[l][i] = petal_precision_bits(&p->precision, i, a->levels[l].word_bits);
    direct_evaluation(S);

    /* The odometer of temporal loops: one step per operation of each MAC. */
    uint64_t count[MAXL * MAXD] = {0}, steps = 0;
    int changed = -1;
    S->stepped = -1;
    bool ok = true;
    for (;;) {
        /* The children of every level at or below the one whose loop stepped
         * start a new tile (all of them at the start). */
        for (int l = changed < 0 ? 0 : changed; l < S->nl; l++)
            S->child_tiles[l]++;
        ok = change_tiles(S, changed) && compute_step(S);
        steps++;
        if (!ok || S->error[0])
            break;
        /* The next step with an operation in the bounds; the levels below
         * the outermost loop that moved on the way start new tiles. */
        int k, outermost = S->nloops;
        do {
            k = S->nloops - 1;
            while (k >= 0 && count[k] + 1 == S->loops[k].count) {
                count[k] = 0;
                S->tidx[S->loops[k].level][S->loops[k].dim] = 0;
                k--;
            }
            if (k < 0)
                break;
            count[k]++;
            S->tidx[S->loops[k].level][S->loops[k].dim] = count[k];
            if (k < outermost)
                outermost = k;
        } while (S->imperfect && !step_runs(S));
        if (k < 0)
            break;
        changed = S->loops[outermost].level;
        S->stepped = outermost;
    }
    if (ok && !S->error[0])
        ok = drain_all(S);
    /* Capacity in bits, now that it is known which levels added partial sums. */
    for (int l = 1; ok && S->widths && !S->error[0] && l < S->nl; l++) {
        const petal_level *lv = &a->levels[l];
        uint64_t bits = S->held_bits_max[l][sim_adds_psums(S, l)];
        if (lv->depth && bits > lv->depth * lv->word_bits)
            snprintf(S->error, sizeof S->error,
                     "level %s: an instance holds %llu bits at once but its depth is %llu words "
                     "of %u bits",
                     lv->name, (unsigned long long)bits, (unsigned long long)lv->depth,
                     lv->word_bits);
    }
    if (!ok || S->ar.failed) {
        release(S);
        free(S);
        return petal_error_set(PETAL_ENOMEM, "simulator: out of memory");
    }
    if (S->error[0]) {
        petal_status status = strncmp(S->error, "internal", 8) ? PETAL_EMAPPING : PETAL_EINTERNAL;
        petal_error_set(status, "%s", S->error);
        release(S);
        free(S);
        return status;
    }

    memset(out, 0, sizeof *out);
    out->nlevels = (uint8_t)S->nl;
    out->steps = steps;
    out->macs = S->inst[S->nl];
    out->computes = S->operations;
    out->actual_computes = S->sparse ? S->actual_computes : out->computes;
    out->gated_computes = S->gated_computes;
    out->skipped_computes = S->skipped_computes;
    for (int s = 0; s < NDS; s++) {
        uint64_t nonzero = 0;
        for (uint64_t w = 0; w < S->words[s]; w++)
            nonzero += S->tensor[s][w] != 0;
        out->densities[s] = S->words[s] ? (double)nonzero / (double)S->words[s] : 0;
    }
    /* A bit-serial MAC takes the weight's bits a few at a time. */
    uint32_t per = a->arith.bits_per_cycle;
    uint32_t wbits = petal_precision_bits(&p->precision, PETAL_DS_WEIGHTS, a->arith.word_bits);
    out->cycles_per_mac = per ? (wbits + per - 1) / per : 1;
    if (!out->cycles_per_mac)
        out->cycles_per_mac = 1;
    out->compute_cycles = steps * out->cycles_per_mac;
    if (S->sparse) {
        /* The busiest MAC's operations done or gated; skipped ones take no time. */
        uint64_t busiest = 0;
        for (uint64_t mac = 0; mac < out->macs; mac++)
            if (S->mac_busy[mac] > busiest)
                busiest = S->mac_busy[mac];
        out->compute_cycles = busiest * out->cycles_per_mac;
    }
    out->cycles = out->compute_cycles;
    for (int l = 0; l < S->nl; l++) {
        /* Bandwidth: the busiest instance's reads and writes over all it
         * keeps, in words; with widths also in bits, moved at the bandwidth
         * times the level's word bits unless every value is a word wide. */
        petal_sim_level_stats *bw = &out->levels[l].bw;
        const petal_level *lv = &S->a->levels[l];
        bw->instances = S->inst[l];
        bool own_width = true;
        for (int s = 0; s < NDS; s++)
            if (S->keep[l][s])
                own_width &= sim_width(S, l, s) == lv->word_bits;
        for (uint64_t i = 0; i < S->inst[l]; i++) {
            uint64_t reads = 0, writes = 0, read_bits = 0, write_bits = 0;
            for (int s = 0; s < NDS; s++)
                if (S->keep[l][s]) {
                    const buffer *b = &S->buf[l][s][i];
                    uint32_t w = sim_width(S, l, s);
                    uint64_t r = busy(S, b, 0), fu = busy(S, b, 1) + busy(S, b, 2);
                    reads += r;
                    writes += fu;
                    read_bits += r * w;
                    write_bits += fu * w;
                }
            if (reads > bw->reads_max)
                bw->reads_max = reads;
            if (writes > bw->writes_max)
                bw->writes_max = writes;
            if (read_bits > bw->read_bits_max)
                bw->read_bits_max = read_bits;
            if (write_bits > bw->write_bits_max)
                bw->write_bits_max = write_bits;
            for (int s = 0; s < NDS; s++)
                if (S->keep[l][s] && lv->network_bits[s]) {
                    const buffer *b = &S->buf[l][s][i];
                    /* The busier direction: reads down, Outputs' updates up. */
                    uint64_t down = actual(S, b, 0),
                             up = s == PETAL_DS_OUTPUTS ? actual(S, b, 2) : 0;
                    uint64_t words = down > up ? down : up;
                    uint64_t bits = words * sim_width(S, l, s);
                    if (bits > bw->network_bits_max[s])
                        bw->network_bits_max[s] = bits;
                }
        }
        uint64_t rc = own_width ? cycles_to_move(bw->reads_max, lv->read_bw)
                                : cycles_to_move(bw->read_bits_max, lv->read_bw * lv->word_bits);
        uint64_t wc = own_width ? cycles_to_move(bw->writes_max, lv->write_bw)
                                : cycles_to_move(bw->write_bits_max, lv->write_bw * lv->word_bits);
        bw->cycles = out->compute_cycles;
        if (rc > bw->cycles)
            bw->cycles = rc;
        if (wc > bw->cycles)
            bw->cycles = wc;
        for (int s = 0; s < NDS; s++)
            if (lv->network_bits[s]) {
                uint64_t bits = bw->network_bits_max[s], width = lv->network_bits[s];
                bw->network_cycles[s] = bits / width + (bits % width != 0);
                if (bw->network_cycles[s] > bw->cycles)
                    bw->cycles = bw->network_cycles[s];
            }
        if (bw->cycles > out->cycles)
            out->cycles = bw->cycles;
    }
    /* Forwarding chains fill (read-only data, the longest chain) and drain
     * (Outputs) once per tile of the children. */
    for (int l = 0; l < S->nl; l++) {
        uint64_t fill = 0, drain = 0;
        for (int s = 0; s < NDS; s++) {
            if (!a->levels[l].forward[s])
                continue;
            if (s == PETAL_DS_OUTPUTS)
                drain = S->fwd_longest[l][s];
            else if (S->fwd_longest[l][s] > fill)
                fill = S->fwd_longest[l][s];
        }
        out->fill_drain_cycles += S->child_tiles[l] * (fill + drain);
    }
    if (out->compute_cycles + out->fill_drain_cycles > out->cycles)
        out->cycles = out->compute_cycles + out->fill_drain_cycles;
    for (int l = 0; l < S->nl; l++)
        for (int s = 0; s < NDS; s++) {
            petal_sim_ds_stats *ds = &out->levels[l].ds[s];
            ds->forward_entries = S->fwd_entries[l][s];
            ds->forwards = S->fwd_hops[l][s];
            ds->link_words_down = S->link_down[l][s];
            ds->link_words_up = S->link_up[l][s];
            ds->link_refills_passed = S->link_passed[l][s];
            if (!S->keep[l][s])
                continue;
            ds->kept = true;
            ds->word_bits = sim_width(S, l, s);
            ds->instances = S->inst[l];
            ds->tile = l == 0 ? S->words[s] : S->tile_max[l][s];
            ds->tile_data_words = ds->tile;
            for (uint64_t i = 0; i < S->inst[l]; i++) {
                const buffer *b = &S->buf[l][s][i];
                uint64_t reads = actual(S, b, 0), fills = actual(S, b, 1),
                         updates = actual(S, b, 2);
                ds->reads += reads;
                ds->fills += fills;
                ds->updates += updates;
                ds->algorithmic_reads += b->reads;
                ds->algorithmic_fills += b->fills;
                ds->algorithmic_updates += b->updates;
                ds->gated_reads += b->gated[0];
                ds->gated_fills += b->gated[1];
                ds->gated_updates += b->gated[2];
                ds->skipped_reads += b->skipped[0];
                ds->skipped_fills += b->skipped[1];
                ds->skipped_updates += b->skipped[2];
                /* Shares summed in floating point: whole up to rounding. */
                if (b->metadata_share[0] > 0)
                    ds->metadata_reads += (uint64_t)ceil(b->metadata_share[0] - 1e-9);
                if (b->metadata_share[1] > 0)
                    ds->metadata_fills += (uint64_t)ceil(b->metadata_share[1] - 1e-9);
                ds->metadata_reads += b->metadata[0];
                ds->metadata_fills += b->metadata[1];
                ds->metadata_updates += b->metadata[2];
                ds->destinations += b->destinations;
                ds->sources += b->sources;
                if (reads > ds->reads_max)
                    ds->reads_max = reads;
                if (fills > ds->fills_max)
                    ds->fills_max = fills;
                if (updates > ds->updates_max)
                    ds->updates_max = updates;
                if (b->distinct > ds->distinct_max)
                    ds->distinct_max = b->distinct;
                /* Vector accesses, instance by instance (they differ with
                 * imperfect factors). */
                uint64_t vector = (uint64_t)(lv_block(S->a, l)) * S->a->levels[l].word_bits;
                uint64_t w = ds->word_bits;
                if (!vector)
                    vector = w = 1;
                ds->vector_reads += (reads * w + vector - 1) / vector;
                ds->vector_fills += (fills * w + vector - 1) / vector;
                ds->vector_updates += (updates * w + vector - 1) / vector;
            }
            if (S->compressed[l][s]) {
                ds->tile_data_words = 0;
                for (uint64_t i = 0; i < S->inst[l]; i++)
                    if (S->buf[l][s][i].nonzero_max > ds->tile_data_words)
                        ds->tile_data_words = S->buf[l][s][i].nonzero_max;
            }
        }
    const buffer *dram = &S->buf[0][PETAL_DS_OUTPUTS][0];
    out->output_words = S->words[PETAL_DS_OUTPUTS];
    for (uint64_t w = 0; w < out->output_words; w++)
        out->output_mismatches += dram->value[w] != S->tensor[PETAL_DS_OUTPUTS][w];
    out->outputs_match = out->output_mismatches == 0;
    release(S);
    free(S);
    return PETAL_OK;
}

/* The level an optimization named at level l on target t acts at: the
 * nearest keeper of t at or above l. */
static int acting_level(const petal_mapping *m, int l, int t)
{
    while (l > 0 && !(m->levels[l].keep & (1u << t)))
        l--;
    return l;
}

/* Sparseloop implements one optimization per level and data space: of
 * several landing on the same keeper and target it keeps the one with the
 * largest chance to apply, the first on a tie. The simulator measures that
 * chance: it runs each contender alone and keeps the one that gates or skips
 * the most accesses at the keeper (the first on a tie), then runs with the
 * winners only. */
petal_status petal_sim_run(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                           const petal_sim_options *options, petal_sim_result *out)
{
    if (!p || !a || !m || !out || a->nlevels == 0 || a->nlevels > PETAL_MAX_LEVELS ||
        m->nlevels != a->nlevels)
        return sim_run_once(p, a, m, options, out);
    for (int l = 0; l < a->nlevels; l++)
        if (a->levels[l].sparse.nopts > PETAL_MAX_ACTION_OPTS)
            return sim_run_once(p, a, m, options, out); /* refused with a message */
    bool contest = false;
    for (int l = 0; l < a->nlevels && !contest; l++)
        for (int k = 0; k < a->levels[l].sparse.nopts && !contest; k++) {
            const petal_action_opt *o = &a->levels[l].sparse.opts[k];
            if (o->target >= NDS)
                return sim_run_once(p, a, m, options, out); /* refused with a message */
            for (int j = l; j < a->nlevels && !contest; j++)
                for (int i = j == l ? k + 1 : 0; i < a->levels[j].sparse.nopts; i++) {
                    const petal_action_opt *q = &a->levels[j].sparse.opts[i];
                    if (q->target == o->target &&
                        acting_level(m, j, q->target) == acting_level(m, l, o->target))
                        contest = true;
                }
        }
    if (!contest)
        return sim_run_once(p, a, m, options, out);
    petal_arch *alone = malloc(sizeof *alone), *winners = malloc(sizeof *winners);
    petal_sim_result *trial = malloc(sizeof *trial);
    if (!alone || !winners || !trial) {
        free(alone);
        free(winners);
        free(trial);
        return petal_error_set(PETAL_ENOMEM, "simulator: out of memory");
    }
    *winners = *a;
    bool lost[PETAL_MAX_LEVELS][PETAL_MAX_ACTION_OPTS] = {{false}};
    petal_status st = PETAL_OK;
    for (int l = 0; l < a->nlevels && !st; l++)
        for (int k = 0; k < a->levels[l].sparse.nopts && !st; k++) {
            const petal_action_opt *o = &a->levels[l].sparse.opts[k];
            int t = o->target, keeper = acting_level(m, l, t);
            /* Only the first of a contest decides it, once. */
            bool first = true;
            for (int j = 0; j <= l && first; j++)
                for (int i = 0; i < (j == l ? k : a->levels[j].sparse.nopts); i++) {
                    const petal_action_opt *q = &a->levels[j].sparse.opts[i];
                    if (q->target == t && acting_level(m, j, t) == keeper)
                        first = false;
                }
            if (!first)
                continue;
            int best_l = -1, best_k = -1, contenders = 0;
            for (int j = l; j < a->nlevels; j++)
                for (int i = 0; i < a->levels[j].sparse.nopts; i++)
                    contenders +=
                        a->levels[j].sparse.opts[i].target == t && acting_level(m, j, t) == keeper;
            if (contenders < 2)
                continue;
            uint64_t best = 0;
            for (int j = l; j < a->nlevels && !st; j++)
                for (int i = 0; i < a->levels[j].sparse.nopts && !st; i++) {
                    const petal_action_opt *q = &a->levels[j].sparse.opts[i];
                    if (q->target != t || acting_level(m, j, t) != keeper)
                        continue;
                    /* The contender alone on its target: its chance to
                     * apply, as Sparseloop compares them, is its own, not
                     * what outer optimizations on the target leave it. */
                    *alone = *a;
                    for (int x = 0; x < a->nlevels; x++) {
                        petal_level_sparse *ls = &alone->levels[x].sparse;
                        int kept = 0;
                        for (int y = 0; y < ls->nopts; y++) {
                            const petal_action_opt *r = &ls->opts[y];
                            if (r->target == t && !(x == j && y == i))
                                continue;
                            ls->opts[kept++] = *r;
                        }
                        ls->nopts = (uint8_t)kept;
                    }
                    st = sim_run_once(p, alone, m, options, trial);
                    if (st)
                        break;
                    const petal_sim_ds_stats *d = &trial->levels[keeper].ds[t];
                    uint64_t hits =
                        d->gated_reads + d->skipped_reads + d->gated_updates + d->skipped_updates;
                    if (best_l < 0 || hits > best) {
                        best = hits;
                        best_l = j;
                        best_k = i;
                    }
                }
            if (st)
                continue;
            for (int x = 0; x < a->nlevels; x++)
                for (int y = 0; y < a->levels[x].sparse.nopts; y++) {
                    const petal_action_opt *r = &a->levels[x].sparse.opts[y];
                    if (r->target == t && acting_level(m, x, t) == keeper &&
                        !(x == best_l && y == best_k))
                        lost[x][y] = true;
                }
        }
    for (int x = 0; x < a->nlevels; x++) {
        petal_level_sparse *ls = &winners->levels[x].sparse;
        int kept = 0;
        for (int y = 0; y < a->levels[x].sparse.nopts; y++)
            if (!lost[x][y])
                ls->opts[kept++] = a->levels[x].sparse.opts[y];
        ls->nopts = (uint8_t)kept;
    }
    if (!st)
        st = sim_run_once(p, winners, m, options, out);
    free(alone);
    free(winners);
    free(trial);
    return st;
}
