/* choices.c - the choices at each step of a partial mapping: generating them
 * (spatial factors, keeps, temporal factors, loop orders) and applying one.
 *
 * Every choice of a step is a child in the worker's buffer for that depth,
 * numbered in generation order: the tie break among equal bounds that keeps
 * the search deterministic (cmp_child). Choices that cannot lead to a valid
 * mapping (a tile past a capacity, factors no level above can take, a fan-out
 * below the minimum utilization) are not generated at all.
 */
#include <stdlib.h>
#include <string.h>

#include "mapper/search_internal.h"
#include "model/sparse.h"
#include "util/error.h"

int partial_imperfect_dim(const mapspace *ms, const partial *s)
{
    for (int d = 0; d < ms->ndims; d++) {
        uint64_t decided = 1;
        for (int l = 0; l < ms->nlevels; l++) {
            const petal_level_mapping *lm = &s->m.levels[l];
            decided *= lm->temporal[d] * lm->spatial_x[d] * lm->spatial_y[d];
        }
        if (decided * s->rem[d] != ms->p->bounds[d])
            return d;
    }
    return -1;
}

/* Whether a fan-out may take dimension d imperfectly, filling `room` along
 * one axis: the model counts it (docs/model.md, "Imperfect factors") when
 * the factor does not divide what is left, the outermost level's loop takes
 * the rest (no loop of d in between), d indexes Outputs alone (the instances
 * past the residual idle in the last iteration) and nothing is sparse. The
 * fan-outs come first (ms->spatial_first), so what is left of d is divided
 * only by the fan-outs inside this one: the temporal loops inside stay 1
 * for d (gen_temporal_dim), the residual a whole number of their tiles. */
static bool imperfect_fill_ok(const shared *sh, const partial *s, int d, uint64_t rem,
                              uint64_t room, int imperfect)
{
    const mapspace *ms = sh->ms;
    if (!ms->imperfect || imperfect >= 0 || room < 2 || room >= rem || rem % room == 0 ||
        ms->y_total_exact[d] || !((ms->relevant[PETAL_DS_OUTPUTS] >> d) & 1) ||
        model_sparse_active(ms->p, ms->a))
        return false;
    const petal_dataspace *out = &ms->p->ds[PETAL_DS_OUTPUTS];
    for (int r = 0; r < out->nranks; r++)
        for (int t = 0; t < out->ranks[r].nterms; t++)
            if (out->ranks[r].terms[t].dim == d && out->ranks[r].nterms > 1)
                return false;
    /* The levels between take no factor of d, so the outermost level's
     * temporal loop must hold the rest, within its own limits. */
    const ms_level *top = &ms->lv[0];
    uint64_t left = rem / room + 1;
    if (top->t_exact[d] || (top->t_max[d] && left > top->t_max[d]))
        return false;
    for (int k = 1; k < s->level; k++)
        if (ms->lv[k].t_exact[d] > 1 || ms->lv[k].s_exact[d] > 1)
            return false;
    return true;
}

static child *reserve(worker *w, int depth, size_t n)
{
    if (n > w->cap[depth]) {
        size_t cap = w->cap[depth] ? w->cap[depth] : 64;
        while (cap < n)
            cap *= 2;
        child *grown = realloc(w->buf[depth], cap * sizeof *grown);
        if (!grown)
            return NULL;
        w->buf[depth] = grown;
        w->cap[depth] = cap;
    }
    return w->buf[depth];
}

typedef struct gen {
    worker *w;
    int depth;
    size_t n;
    bool oom;
} gen;

static child *gen_push(gen *g)
{
    child *c = reserve(g->w, g->depth, g->n + 1);
    if (!c) {
        g->oom = true;
        return NULL;
    }
    c += g->n;
    memset(c, 0, sizeof *c);
    c->index = (uint32_t)g->n++;
    return c;
}

/* Whether level l's fan-out is the last one the search decides. */
static bool last_fanout(const mapspace *ms, int l)
{
    if (!ms->spatial_first)
        return false; /* decided level by level: checked when complete */
    for (int k = l - 1; k >= 0; k--)
        if (partial_has_fanout(ms, k))
            return false;
    return true;
}

/* Whether a fan-out outside level l may still take dimension d. */
static bool partial_more_fanouts(const shared *sh, int l, int d)
{
    for (int k = l - 1; k >= 0; k--)
        if (partial_has_fanout(sh->ms, k) &&
            (((sh->ms->lv[k].x_dims | sh->ms->lv[k].y_dims) >> d) & 1))
            return true;
    return false;
}

/* Spatial factors at level l, one dimension at a time. */
static void gen_spatial_dim(gen *g, const partial *s, int d, uint64_t room_x, uint64_t room_y,
                            uint64_t *x, uint64_t *y)
{
    shared *sh = g->w->sh;
    const mapspace *ms = sh->ms;
    int l = s->level;
    const ms_level *lv = &ms->lv[l];
    if (d == ms->ndims) {
        if (ms->min_utilization > 0 && last_fanout(ms, l)) {
            /* The MACs in use: every fan-out's factors, this one's included. */
            double used = 1;
            for (int k = 0; k < ms->nlevels; k++)
                for (int e = 0; e < ms->ndims; e++)
                    used *=
                        k == l
                            ? (double)(x[e] * y[e])
                            : (double)(s->m.levels[k].spatial_x[e] * s->m.levels[k].spatial_y[e]);
            if (used < ms->min_utilization * (double)ms->a->arith.instances - 1e-9)
                return;
        }
        child *c = gen_push(g);
        if (c) {
            memcpy(c->f, x, sizeof c->f);
            memcpy(c->g, y, sizeof c->g);
        }
        return;
    }
    uint64_t rem = s->rem[d];
    uint64_t cap = sh->absorb[ms->spatial_first ? ms->nlevels : l + 1][d];
    bool on_x = (lv->x_dims >> d) & 1, on_y = (lv->y_dims >> d) & 1;
    uint64_t ydone = 1, ytotal = ms->y_total_exact[d];
    if (ytotal)
        for (int k = l + 1; k < ms->nlevels; k++)
            ydone *= s->m.levels[k].spatial_y[d];
    int imperfect = partial_imperfect_dim(ms, s);
    for (int e = 0; e < d && imperfect < 0; e++)
        if (s->rem[e] % (x[e] * y[e]))
            imperfect = e; /* taken at this fan-out already */
    if (imperfect == d) {  /* closed until the outermost level */
        x[d] = y[d] = 1;
        gen_spatial_dim(g, s, d + 1, room_x, room_y, x, y);
        return;
    }
    /* A factor that fills the rest of an axis without dividing d. */
    for (int axis = 0; axis < 2 && !g->oom; axis++) {
        uint64_t room = axis == 0 ? room_x : room_y;
        if (!(axis == 0 ? on_x : on_y) || !imperfect_fill_ok(sh, s, d, rem, room, imperfect) ||
            !ms_spatial_ok(lv, d, room))
            continue;
        if (cap && rem / room + 1 > cap)
            continue;
        x[d] = axis == 0 ? room : 1;
        y[d] = axis == 0 ? 1 : room;
        gen_spatial_dim(g, s, d + 1, axis == 0 ? 1 : room_x, axis == 0 ? room_y : 1, x, y);
    }
    if (g->oom)
        return;
    for (int i = 0; i < sh->ndivisors[d]; i++) {
        uint64_t fx = sh->divisors[d][i];
        if (fx > room_x)
            break;
        if (rem % fx || (fx > 1 && !on_x))
            continue;
        for (int j = 0; j < sh->ndivisors[d]; j++) {
            uint64_t fy = sh->divisors[d][j];
            if (fy > room_y)
                break;
            if ((rem / fx) % fy || (fy > 1 && !on_y))
                continue;
            if (!ms_spatial_ok(lv, d, fx * fy))
                continue;
            if (ytotal) {
                if (ytotal % (ydone * fy))
                    continue;
                if (sh->y_last[d] == l && ydone * fy != ytotal)
                    continue;
            }
            /* What no fan-out takes must fit the temporal loops. */
            if (cap && !partial_more_fanouts(sh, l, d) && rem / (fx * fy) > cap)
                continue;
            x[d] = fx;
            y[d] = fy;
            gen_spatial_dim(g, s, d + 1, room_x / fx, room_y / fy, x, y);
            if (g->oom)
                return;
        }
    }
    x[d] = y[d] = 1;
}

static void gen_spatial(gen *g, const partial *s)
{
    const ms_level *lv = &g->w->sh->ms->lv[s->level];
    uint64_t x[PETAL_MAX_DIMS], y[PETAL_MAX_DIMS];
    for (int d = 0; d < PETAL_MAX_DIMS; d++)
        x[d] = y[d] = 1;
    gen_spatial_dim(g, s, 0, lv->fanout_x, lv->fanout_y, x, y);
}

static void gen_keep(gen *g, const partial *s)
{
    const ms_level *lv = &g->w->sh->ms->lv[s->level];
    for (unsigned k = 0; k <= PETAL_KEEP_ALL; k++) {
        if ((k & lv->keep_required) != lv->keep_required || (k & ~(unsigned)lv->keep_allowed))
            continue;
        child *c = gen_push(g);
        if (c)
            c->keep = (uint8_t)k;
    }
}

/* Words the kept data spaces of a level take with tile extents ext. */
static uint64_t used_words(const petal_problem *p, uint8_t keep, const uint64_t *ext)
{
    uint64_t words = 0;
    for (int ds = 0; ds < PETAL_NUM_DS; ds++)
        if (keep & (1u << ds))
            words += tile_words(p, ds, ext);
    return words;
}

/* Whether what is left of each dimension after level l can still be placed above it. */
static bool placeable(const shared *sh, const partial *s, const uint64_t *rem)
{
    const mapspace *ms = sh->ms;
    for (int d = 0; d < ms->ndims; d++) {
        uint64_t cap = sh->absorb[s->level][d];
        if (!cap || rem[d] <= cap)
            continue;
        /* Fan-outs still open above may take the rest. */
        for (int k = 0; k < s->level; k++) {
            const ms_level *lv = &ms->lv[k];
            if ((s->spatial_done >> k) & 1)
                continue;
            uint64_t room = (uint64_t)(((lv->x_dims >> d) & 1) ? lv->fanout_x : 1) *
                            (((lv->y_dims >> d) & 1) ? lv->fanout_y : 1);
            cap *= lv->s_exact[d] ? lv->s_exact[d] : room;
        }
        if (rem[d] > cap)
            return false;
    }
    return true;
}

static void gen_temporal_dim(gen *g, const partial *s, int d, uint64_t *t, uint64_t *ext)
{
    shared *sh = g->w->sh;
    const mapspace *ms = sh->ms;
    const petal_problem *p = ms->p;
    int l = s->level;
    const ms_level *lv = &ms->lv[l];
    uint8_t keep = s->m.levels[l].keep;
    if (d == ms->ndims) {
        uint64_t left[PETAL_MAX_DIMS];
        for (int k = 0; k < ms->ndims; k++)
            left[k] = s->rem[k] / t[k];
        if (!placeable(sh, s, left))
            return;
        child *c = gen_push(g);
        if (c)
            memcpy(c->f, t, sizeof c->f);
        return;
    }
    uint64_t base = ext[d];
    if (partial_imperfect_dim(ms, s) == d) {
        /* Closed until the outermost level, which takes what is left (not a
         * divisor of the bound). */
        t[d] = l > 0 ? 1 : s->rem[d];
        if (l == 0 && !ms_temporal_ok(lv, d, t[d])) {
            t[d] = 1;
            return;
        }
        ext[d] = base * t[d];
        gen_temporal_dim(g, s, d + 1, t, ext);
        ext[d] = base;
        t[d] = 1;
        return;
    }
    for (int i = 0; i < sh->ndivisors[d]; i++) {
        uint64_t f = sh->divisors[d][i];
        if (f > s->rem[d])
            break;
        if (s->rem[d] % f || !ms_temporal_ok(lv, d, f))
            continue;
        if (l == 0 && f != s->rem[d])
            continue;
        ext[d] = base * f;
        /* Tiles only grow with a factor: past the capacity, so is every larger one. */
        if (lv->depth && keep && used_words(p, keep, ext) > lv->depth) {
            ext[d] = base;
            break;
        }
        t[d] = f;
        gen_temporal_dim(g, s, d + 1, t, ext);
        if (g->oom)
            break;
    }
    ext[d] = base;
    t[d] = 1;
}

/* A level that keeps nothing, below a level whose fan-out is unused: the
 * loops of the two form one sequence between the same two kept tiles, so
 * they all sit at the outer level (nothing else tells the split apart). */
static bool loops_belong_outside(const mapspace *ms, const partial *s)
{
    int l = s->level;
    if (l == 0 || s->m.levels[l].keep || !ms->lv[l].storage)
        return false;
    const ms_level *in = &ms->lv[l], *out = &ms->lv[l - 1];
    if (in->n_inner || in->n_outer || out->n_inner || out->n_outer)
        return false;
    for (int d = 0; d < ms->ndims; d++) {
        const petal_level_mapping *up = &s->m.levels[l - 1];
        if (up->spatial_x[d] * up->spatial_y[d] > 1 || in->t_exact[d] || in->t_max[d] ||
            out->t_exact[d] || out->t_max[d])
            return false;
    }
    /* The outer level's fan-out must be decided already (it is when the
     * fan-outs come first). */
    return ms->spatial_first;
}

static void gen_temporal(gen *g, const partial *s)
{
    const mapspace *ms = g->w->sh->ms;
    if (!g->w->sh->cfg->split_loops && loops_belong_outside(ms, s)) {
        child *c = gen_push(g);
        if (c)
            for (int d = 0; d < PETAL_MAX_DIMS; d++)
                c->f[d] = 1;
        return;
    }
    uint64_t t[PETAL_MAX_DIMS], ext[PETAL_MAX_DIMS];
    /* The tile of level l spans its own fan-out and everything inside it. */
    for (int d = 0; d < PETAL_MAX_DIMS; d++) {
        t[d] = 1;
        ext[d] = 1;
        for (int k = s->level; d < ms->ndims && k < ms->nlevels; k++) {
            const petal_level_mapping *lm = &s->m.levels[k];
            ext[d] *= lm->spatial_x[d] * lm->spatial_y[d] * (k > s->level ? lm->temporal[d] : 1);
        }
    }
    gen_temporal_dim(g, s, 0, t, ext);
}

static uint8_t loop_mask(const mapspace *ms, const petal_level_mapping *lm)
{
    uint8_t mask = 0;
    for (int d = 0; d < ms->ndims; d++)
        if (lm->temporal[d] > 1)
            mask |= MS_DIM_MASK(d);
    return mask;
}

const order_set *order_set_for(shared *sh, const partial *s)
{
    const mapspace *ms = sh->ms;
    int l = s->level;
    uint8_t mask = loop_mask(ms, &s->m.levels[l]);
    unsigned ctx_index = 0;
    order_ctx ctx = {{0}};
    if (!sh->cfg->all_orders) {
        for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
            ctx.states[ds] = s->states[ds];
            ctx_index |= (unsigned)s->states[ds] << (2 * ds);
        }
    }
    size_t key = ((size_t)l * 256 + mask) * NSTATES + ctx_index;
    order_set *set = atomic_load_explicit(&sh->orders[key], memory_order_acquire);
    if (set)
        return set;
    set = malloc(sizeof *set);
    if (!set)
        return NULL;
    bool ok = sh->cfg->all_orders ? order_all(&ms->lv[l], mask, set)
                                  : order_classes(ms, &ms->lv[l], mask, &ctx, set);
    if (!ok) {
        free(set);
        return NULL;
    }
    order_set *expected = NULL;
    if (!atomic_compare_exchange_strong(&sh->orders[key], &expected, set)) {
        order_set_free(set);
        free(set);
        return expected;
    }
    return set;
}

static void gen_order(gen *g, const order_set *set)
{
    for (int i = 0; i < set->count; i++) {
        child *c = gen_push(g);
        if (c)
            c->order = (uint32_t)i;
    }
}

/* --- applying a choice --- */

void apply(const shared *sh, const partial *s, const child *c, const order_set *set, partial *out)
{
    const mapspace *ms = sh->ms;
    *out = *s;
    int l = s->level;
    petal_level_mapping *lm = &out->m.levels[l];
    switch (s->phase) {
    case PHASE_SPATIAL:
        for (int d = 0; d < ms->ndims; d++) {
            uint64_t f = c->f[d] * c->g[d];
            lm->spatial_x[d] = c->f[d];
            lm->spatial_y[d] = c->g[d];
            out->rem[d] = out->rem[d] / f + (out->rem[d] % f != 0); /* imperfect: ceil */
        }
        out->spatial_done |= 1u << l;
        partial_after_spatial(ms, out, l);
        break;
    case PHASE_KEEP:
        lm->keep = c->keep;
        out->phase = PHASE_TEMPORAL;
        break;
    case PHASE_TEMPORAL:
        for (int d = 0; d < ms->ndims; d++) {
            lm->temporal[d] = c->f[d];
            out->rem[d] /= c->f[d];
        }
        out->phase = PHASE_ORDER;
        break;
    case PHASE_ORDER: {
        const uint8_t *seq = set->orders[c->order];
        int n = set->n;
        uint8_t used = 0;
        for (int i = 0; i < n; i++)
            used |= MS_DIM_MASK(seq[i]);
        /* Loops of factor 1 go innermost, first dimension innermost: the
         * mapping format's default, so written mappings list only real loops. */
        int k = 0;
        for (int d = 0; d < ms->ndims; d++)
            if (!(used & MS_DIM_MASK(d)))
                lm->perm[k++] = (uint8_t)d;
        for (int i = 0; i < n; i++)
            lm->perm[k++] = seq[i];
        /* The imperfect loop is the outermost of the nest (docs/model.md). */
        int imperfect = l == 0 ? partial_imperfect_dim(ms, out) : -1;
        if (imperfect >= 0 && lm->temporal[imperfect] > 1) {
            int at = 0;
            while (lm->perm[at] != imperfect)
                at++;
            for (; at + 1 < ms->ndims; at++)
                lm->perm[at] = lm->perm[at + 1];
            lm->perm[ms->ndims - 1] = (uint8_t)imperfect;
        }
        partial_advance_states(ms, out, lm);
        partial_enter_level(ms, out, l - 1);
        break;
    }
    }
}

/* Generate the choices of s's next step; returns how many (0 on a dead end). */
size_t generate(worker *w, const partial *s, int depth, const order_set **set)
{
    gen g = {w, depth, 0, false};
    *set = NULL;
    switch (s->phase) {
    case PHASE_SPATIAL:
        gen_spatial(&g, s);
        break;
    case PHASE_KEEP:
        gen_keep(&g, s);
        break;
    case PHASE_TEMPORAL:
        gen_temporal(&g, s);
        break;
    case PHASE_ORDER:
        *set = order_set_for(w->sh, s);
        if (!*set) {
            g.oom = true;
            break;
        }
        gen_order(&g, *set);
        break;
    }
    if (g.oom) {
        fail(w->sh, petal_error_set(PETAL_ENOMEM, "mapper: out of memory"));
        return 0;
    }
    return g.n;
}

int cmp_child(const void *pa, const void *pb)
{
    const child *a = pa, *b = pb;
    int c = score_cmp(a->lb, b->lb);
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}
