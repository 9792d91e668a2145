/* search.c - depth-first branch and bound over a mapspace.
 *
 * A mapping is built from the innermost level outwards, four steps per level
 * (spatial factors, keeps, temporal factors, loop order; mapper/partial.h). At
 * every step all choices are generated, each gets a lower bound on the
 * objective of its completions (mapper/bound.c), and they are explored best
 * bound first; a choice whose bound exceeds the best mapping found so far (the
 * incumbent, shared by all threads) is dropped with everything after it.
 *
 * Threads: the first steps are expanded breadth first into a list of subtrees
 * that the threads take in order. The answer does not depend on who finds
 * what: a subtree is dropped only when its bound is strictly above the
 * incumbent, so every mapping as good as the final best is evaluated by
 * someone, and among equals the smallest in search_mapping_cmp order wins.
 *
 * Budget: when the time runs out every thread stops where it is; what was not
 * explored still has the bound it was sorted by, and the smallest of those (and
 * the best found) is the proven lower bound reported with the result.
 */
#include "mapper/search.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/objective.h"
#include "mapper/order.h"
#include "mapper/partial.h"
#include "petal/model.h"
#include "util/clock.h"
#include "util/error.h"

#define MAX_DEPTH (4 * PETAL_MAX_LEVELS + 2)
#define NSTATES 64 /* order contexts: 2 bits per data space */

/* A subtree waiting for a thread. */
typedef struct task {
    partial s;
    score lb;
} task;

/* One choice at one step. */
typedef struct child {
    score lb;
    uint32_t index; /* generation order: the deterministic tie break */
    uint8_t keep;
    uint32_t order;             /* index into the level's order set */
    uint64_t f[PETAL_MAX_DIMS]; /* temporal factors, or spatial X */
    uint64_t g[PETAL_MAX_DIMS]; /* spatial Y */
} child;

typedef struct shared {
    const mapspace *ms;
    const search_config *cfg;
    /* Divisors of each bound, ascending. */
    uint64_t *divisors[PETAL_MAX_DIMS];
    int ndivisors[PETAL_MAX_DIMS];
    int y_last[PETAL_MAX_DIMS]; /* outermost level that may put d on Y, or -1 */
    /* absorb[l][d]: the largest temporal factor of d the levels above l can take; 0 = any. */
    uint64_t absorb[PETAL_MAX_LEVELS + 1][PETAL_MAX_DIMS];
    _Atomic(order_set *) *orders; /* [level][mask][context] */

    pthread_mutex_t lock;
    /* The incumbent's score, read without the lock under a sequence count. */
    atomic_uint best_seq;
    _Atomic double best_p, best_s;
    bool found;
    petal_mapping best_m;
    petal_model_result best_r;
    double best_at; /* seconds from the start when best_m was found */
    atomic_bool stop;
    atomic_int failure; /* a petal_status, PETAL_OK when none */
    char failure_msg[256];
    double start; /* petal_seconds() when the search began */
    double budget;

    /* The work list: subtrees waiting for a thread, best bound first at the
     * start, then whatever busy threads give away when one is idle. */
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    struct task *tasks;
    size_t ntasks, qcap, qhead;
    unsigned nthreads, idle;
    bool done;
    atomic_int hungry; /* a thread waits for work */
    double open;       /* smallest bound left unexplored by finished tasks */
    atomic_uint_fast64_t evaluated, bounded, pruned;
} shared;

/* A step being explored by a worker: its children [next, n) are still to do,
 * and may be given away to an idle thread. */
typedef struct frame {
    const partial *s;
    const order_set *set;
    size_t next, n;
} frame;

typedef struct worker {
    shared *sh;
    child *buf[MAX_DEPTH];
    size_t cap[MAX_DEPTH];
    frame frames[MAX_DEPTH];
    uint64_t evaluated, bounded, pruned, ticks;
    petal_model_result scratch;
} worker;

static double elapsed(const shared *sh)
{
    return petal_seconds() - sh->start;
}

static score read_best(shared *sh)
{
    for (;;) {
        unsigned a = atomic_load_explicit(&sh->best_seq, memory_order_acquire);
        score b = {atomic_load_explicit(&sh->best_p, memory_order_relaxed),
                   atomic_load_explicit(&sh->best_s, memory_order_relaxed)};
        atomic_thread_fence(memory_order_acquire);
        if (!(a & 1) && atomic_load_explicit(&sh->best_seq, memory_order_relaxed) == a)
            return b;
    }
}

/* Poll the clock now and then; true when the search must stop. */
static bool should_stop(worker *w)
{
    shared *sh = w->sh;
    if (atomic_load_explicit(&sh->stop, memory_order_relaxed))
        return true;
    if (sh->budget >= 0 && (w->ticks++ & 63) == 0 && elapsed(sh) >= sh->budget) {
        atomic_store(&sh->stop, true);
        return true;
    }
    return false;
}

static void fail(shared *sh, petal_status st)
{
    int expected = PETAL_OK;
    if (atomic_compare_exchange_strong(&sh->failure, &expected, (int)st))
        snprintf(sh->failure_msg, sizeof sh->failure_msg, "%s", petal_error_message());
    atomic_store(&sh->stop, true);
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

/* --- canonical order --- */

static int cmp_u64s(const uint64_t *a, const uint64_t *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

int search_mapping_cmp(const petal_mapping *a, const petal_mapping *b)
{
    for (int l = 0; l < a->nlevels && l < b->nlevels; l++) {
        const petal_level_mapping *x = &a->levels[l], *y = &b->levels[l];
        int c = cmp_u64s(x->temporal, y->temporal, PETAL_MAX_DIMS);
        if (!c)
            c = cmp_u64s(x->spatial_x, y->spatial_x, PETAL_MAX_DIMS);
        if (!c)
            c = cmp_u64s(x->spatial_y, y->spatial_y, PETAL_MAX_DIMS);
        if (!c)
            c = memcmp(x->perm, y->perm, sizeof x->perm);
        if (!c && x->keep != y->keep)
            c = x->keep < y->keep ? -1 : 1;
        if (c)
            return c;
    }
    return (int)a->nlevels - (int)b->nlevels;
}

/* --- generating the choices of one step --- */

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

/* Spatial factors at level l, one dimension at a time. */
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

static const order_set *orders_for(shared *sh, const partial *s)
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

static void apply(const shared *sh, const partial *s, const child *c, const order_set *set,
                  partial *out)
{
    const mapspace *ms = sh->ms;
    *out = *s;
    int l = s->level;
    petal_level_mapping *lm = &out->m.levels[l];
    switch (s->phase) {
    case PHASE_SPATIAL:
        for (int d = 0; d < ms->ndims; d++) {
            lm->spatial_x[d] = c->f[d];
            lm->spatial_y[d] = c->g[d];
            out->rem[d] /= c->f[d] * c->g[d];
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
        partial_advance_states(ms, out, lm);
        partial_enter_level(ms, out, l - 1);
        break;
    }
    }
}

/* Generate the choices of s's next step; returns how many (0 on a dead end). */
static size_t generate(worker *w, const partial *s, int depth, const order_set **set)
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
        *set = orders_for(w->sh, s);
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

static int cmp_child(const void *pa, const void *pb)
{
    const child *a = pa, *b = pb;
    int c = score_cmp(a->lb, b->lb);
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* --- evaluating complete mappings --- */

static void evaluate(worker *w, const petal_mapping *m)
{
    shared *sh = w->sh;
    const mapspace *ms = sh->ms;
    petal_model_result *r = &w->scratch;
    petal_status st = petal_model_eval(ms->p, ms->a, m, r);
    if (st) {
        fail(sh, st);
        return;
    }
    w->evaluated++;
    if (sh->cfg->on_eval) {
        pthread_mutex_lock(&sh->lock);
        sh->cfg->on_eval(sh->cfg->eval_ctx, m, r);
        pthread_mutex_unlock(&sh->lock);
    }
    if (!r->valid)
        return;
    if (ms->min_utilization > 0 &&
        (double)r->utilized_macs < ms->min_utilization * (double)ms->a->arith.instances - 1e-9)
        return;
    score v = score_of(sh->cfg->objective, r);
    if (score_worse(v, read_best(sh)))
        return;
    pthread_mutex_lock(&sh->lock);
    score best = read_best(sh);
    int c = score_cmp(v, best);
    if (!sh->found || c < 0 || (c == 0 && search_mapping_cmp(m, &sh->best_m) < 0)) {
        sh->found = true;
        sh->best_m = *m;
        sh->best_r = *r;
        sh->best_at = elapsed(sh);
        atomic_fetch_add_explicit(&sh->best_seq, 1, memory_order_acq_rel);
        atomic_store_explicit(&sh->best_p, v.p, memory_order_relaxed);
        atomic_store_explicit(&sh->best_s, v.s, memory_order_relaxed);
        atomic_fetch_add_explicit(&sh->best_seq, 1, memory_order_acq_rel);
    }
    pthread_mutex_unlock(&sh->lock);
}

/* --- depth first --- */

static score lower_bound(worker *w, const partial *s)
{
    w->bounded++;
    return bound_score(w->sh->ms, w->sh->cfg->objective, s, NULL);
}

/* Whether a subtree with bound lb can be dropped. */
static bool prunable(worker *w, score lb)
{
    return !w->sh->cfg->no_pruning && score_worse(lb, read_best(w->sh));
}

static bool push_task(shared *sh, const partial *s, score lb)
{
    if (sh->ntasks == sh->qcap) {
        size_t cap = sh->qcap ? 2 * sh->qcap : 64;
        task *grown = realloc(sh->tasks, cap * sizeof *grown);
        if (!grown)
            return false;
        sh->tasks = grown;
        sh->qcap = cap;
    }
    sh->tasks[sh->ntasks++] = (task){*s, lb};
    return true;
}

/* An idle thread waits: hand it the unexplored children of the shallowest
 * step this worker is in (big subtrees, few hand-overs). The other thread
 * reports their open bounds; the answer does not change. */
static void give_away(worker *w, int depth)
{
    shared *sh = w->sh;
    for (int d = 0; d <= depth; d++) {
        frame *fr = &w->frames[d];
        if (fr->next >= fr->n)
            continue;
        pthread_mutex_lock(&sh->qlock);
        bool ok = true;
        for (size_t i = fr->next; i < fr->n && ok; i++) {
            task t;
            apply(sh, fr->s, &w->buf[d][i], fr->set, &t.s);
            ok = push_task(sh, &t.s, w->buf[d][i].lb);
        }
        if (ok) {
            fr->n = fr->next;
            atomic_store(&sh->hungry, 0);
            pthread_cond_broadcast(&sh->qcond);
        }
        pthread_mutex_unlock(&sh->qlock);
        return;
    }
}

/* Explore the subtree of s; returns a lower bound on the objective of what
 * was left unexplored (INFINITY when everything was explored or pruned). */
static double explore(worker *w, const partial *s, int depth, score lb)
{
    shared *sh = w->sh;
    if (should_stop(w))
        return lb.p;
    const order_set *set;
    size_t n = generate(w, s, depth, &set);
    if (n == 0)
        return INFINITY;
    child *kids = w->buf[depth];
    bool leaves = s->level == 0 && s->phase == PHASE_ORDER;
    /* At an order step, orders whose innermost loop cannot beat the best are
     * dropped by one bound per dimension instead of one per order. */
    score by_first[PETAL_MAX_DIMS];
    bool filter = s->phase == PHASE_ORDER && set->n > 0 && n > 1 && !sh->cfg->no_pruning;
    if (filter) {
        w->bounded++;
        bound_score(sh->ms, sh->cfg->objective, s, by_first);
    }
    if (leaves) {
        for (size_t i = 0; i < n; i++) {
            if (should_stop(w))
                return lb.p;
            const child *c = &w->buf[depth][i];
            if (filter && prunable(w, by_first[set->orders[c->order][0]])) {
                w->pruned++;
                continue;
            }
            partial done;
            apply(sh, s, c, set, &done);
            evaluate(w, &done.m);
        }
        return INFINITY;
    }
    partial next;
    if (n == 1) {
        kids[0].lb = lb;
    } else {
        for (size_t i = 0; i < n; i++) {
            if (filter) {
                score f = by_first[set->orders[kids[i].order][0]];
                if (prunable(w, f)) {
                    kids[i].lb = f;
                    continue;
                }
            }
            apply(sh, s, &kids[i], set, &next);
            kids[i].lb = score_max(lower_bound(w, &next), lb);
        }
        qsort(kids, n, sizeof *kids, cmp_child);
    }
    double open = INFINITY;
    frame *fr = &w->frames[depth];
    *fr = (frame){s, set, 0, n};
    for (size_t i = 0; i < fr->n; i++) {
        child *c = &w->buf[depth][i]; /* the buffer may move while deeper steps grow theirs */
        if (atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
            open = fmin(open, c->lb.p);
            break;
        }
        if (prunable(w, c->lb)) {
            w->pruned += fr->n - i;
            break;
        }
        fr->next = i + 1;
        if (atomic_load_explicit(&sh->hungry, memory_order_relaxed))
            give_away(w, depth);
        apply(sh, s, c, set, &next);
        open = fmin(open, explore(w, &next, depth + 1, c->lb));
    }
    fr->n = 0;
    return open;
}

/* A greedy descent: the child with the best bound at every step, the next
 * ones only when a step has no way down. It finds a good mapping in a
 * subtree long before the depth-first search would finish the subtrees
 * before it, and every mapping it finds tightens the pruning. */
static bool dive(worker *w, const partial *s, int depth, int tries)
{
    shared *sh = w->sh;
    if (should_stop(w))
        return false;
    const order_set *set;
    size_t n = generate(w, s, depth, &set);
    if (n == 0)
        return false;
    child *kids = w->buf[depth];
    if (s->level == 0 && s->phase == PHASE_ORDER) {
        for (size_t i = 0; i < n; i++) {
            partial done;
            apply(sh, s, &w->buf[depth][i], set, &done);
            evaluate(w, &done.m);
        }
        return true;
    }
    partial next;
    for (size_t i = 0; i < n; i++) {
        apply(sh, s, &kids[i], set, &next);
        kids[i].lb = n == 1 ? (score){0, 0} : lower_bound(w, &next);
    }
    qsort(kids, n, sizeof *kids, cmp_child);
    for (size_t i = 0; i < n && (int)i < tries; i++) {
        child *c = &w->buf[depth][i];
        if (prunable(w, c->lb))
            return false;
        apply(sh, s, c, set, &next);
        if (dive(w, &next, depth + 1, tries))
            return true;
    }
    return false;
}

/* --- the work list --- */

static bool build_tasks(shared *sh, worker *w, const partial *root, size_t target)
{
    size_t cap = 64, n = 1, head = 0;
    partial *q = malloc(cap * sizeof *q);
    score *qlb = malloc(cap * sizeof *qlb);
    if (!q || !qlb)
        goto oom;
    q[0] = *root;
    qlb[0] = bound_score(sh->ms, sh->cfg->objective, root, NULL);
    /* Expand the oldest node until there are enough subtrees, or the oldest is a
     * step whose children are complete mappings. */
    while (head < n && n - head < target) {
        const partial *s = &q[head];
        if (s->level == 0 && s->phase == PHASE_ORDER)
            break;
        const order_set *set;
        size_t k = generate(w, s, 0, &set);
        if (atomic_load(&sh->failure))
            goto fail_out;
        if (n + k > cap) {
            while (n + k > cap)
                cap *= 2;
            partial *gq = realloc(q, cap * sizeof *q);
            if (gq)
                q = gq;
            score *glb = realloc(qlb, cap * sizeof *qlb);
            if (glb)
                qlb = glb;
            if (!gq || !glb)
                goto oom;
            s = &q[head];
        }
        for (size_t i = 0; i < k; i++) {
            apply(sh, s, &w->buf[0][i], set, &q[n]);
            qlb[n] = k == 1 ? qlb[head] : lower_bound(w, &q[n]);
            n++;
        }
        head++;
    }
    /* Best bound first; ties keep generation order. */
    size_t count = n - head;
    child *order = malloc((count ? count : 1) * sizeof *order);
    if (!order)
        goto oom;
    for (size_t i = 0; i < count; i++)
        order[i] = (child){.lb = qlb[head + i], .index = (uint32_t)i};
    qsort(order, count, sizeof *order, cmp_child);
    size_t *idx = malloc((count ? count : 1) * sizeof *idx);
    if (!idx) {
        free(order);
        goto oom;
    }
    for (size_t i = 0; i < count; i++)
        idx[i] = head + order[i].index;
    free(order);
    bool ok = true;
    for (size_t i = 0; i < count && ok; i++)
        ok = push_task(sh, &q[idx[i]], qlb[idx[i]]);
    free(idx);
    free(q);
    free(qlb);
    if (!ok) {
        fail(sh, petal_error_set(PETAL_ENOMEM, "mapper: out of memory"));
        return false;
    }
    return true;
oom:
    fail(sh, petal_error_set(PETAL_ENOMEM, "mapper: out of memory"));
fail_out:
    free(q);
    free(qlb);
    return false;
}

/* Take the next task, or wait for one while others are busy; false when all
 * work is done. */
static bool take(shared *sh, task *t)
{
    pthread_mutex_lock(&sh->qlock);
    while (sh->qhead == sh->ntasks && !sh->done) {
        if (++sh->idle == sh->nthreads) {
            sh->done = true;
            pthread_cond_broadcast(&sh->qcond);
            break;
        }
        atomic_store(&sh->hungry, 1);
        pthread_cond_wait(&sh->qcond, &sh->qlock);
        sh->idle--;
    }
    bool got = sh->qhead < sh->ntasks;
    if (got)
        *t = sh->tasks[sh->qhead++];
    pthread_mutex_unlock(&sh->qlock);
    return got;
}

static void *work(void *arg)
{
    worker *w = arg;
    shared *sh = w->sh;
    task *t = malloc(sizeof *t);
    while (t && take(sh, t)) {
        double open = INFINITY;
        if (atomic_load(&sh->stop))
            open = t->lb.p;
        else if (prunable(w, t->lb))
            w->pruned++;
        else
            open = explore(w, &t->s, 0, t->lb);
        pthread_mutex_lock(&sh->qlock);
        sh->open = fmin(sh->open, open);
        pthread_mutex_unlock(&sh->qlock);
    }
    if (!t) {
        fail(sh, petal_error_set(PETAL_ENOMEM, "mapper: out of memory"));
        pthread_mutex_lock(&sh->qlock);
        sh->done = true;
        pthread_cond_broadcast(&sh->qcond);
        pthread_mutex_unlock(&sh->qlock);
    }
    free(t);
    atomic_fetch_add(&sh->evaluated, w->evaluated);
    atomic_fetch_add(&sh->bounded, w->bounded);
    atomic_fetch_add(&sh->pruned, w->pruned);
    return NULL;
}

static void worker_free(worker *w)
{
    for (int i = 0; i < MAX_DEPTH; i++)
        free(w->buf[i]);
}

/* --- setup --- */

static bool prepare(shared *sh)
{
    const mapspace *ms = sh->ms;
    const petal_problem *p = ms->p;
    for (int d = 0; d < ms->ndims; d++) {
        uint64_t b = p->bounds[d];
        int n = 0;
        for (uint64_t f = 1; f * f <= b; f++)
            if (b % f == 0)
                n += f * f == b ? 1 : 2;
        sh->divisors[d] = malloc((size_t)n * sizeof(uint64_t));
        if (!sh->divisors[d])
            return false;
        int lo = 0, hi = n - 1;
        for (uint64_t f = 1; f * f <= b; f++)
            if (b % f == 0) {
                sh->divisors[d][lo++] = f;
                if (f * f != b)
                    sh->divisors[d][hi--] = b / f;
            }
        sh->ndivisors[d] = n;
        sh->y_last[d] = -1;
        for (int l = ms->nlevels - 1; l >= 0; l--)
            if ((ms->lv[l].y_dims >> d) & 1 && ms->lv[l].fanout_y > 1)
                sh->y_last[d] = l;
    }
    /* What the temporal loops of the levels above l can still take of each
     * dimension (the fan-outs are decided first); absorb[nlevels] is what all
     * levels can take. */
    for (int l = 0; l <= ms->nlevels; l++)
        for (int d = 0; d < ms->ndims; d++) {
            uint64_t cap = 1;
            bool unbounded = false;
            for (int k = 0; k < l && !unbounded; k++) {
                const ms_level *lv = &ms->lv[k];
                uint64_t t = lv->t_exact[d] ? lv->t_exact[d] : lv->t_max[d];
                if (!t)
                    unbounded = true;
                else
                    cap *= t;
            }
            sh->absorb[l][d] = unbounded ? 0 : cap;
        }
    size_t norders = (size_t)ms->nlevels * 256 * NSTATES;
    sh->orders = calloc(norders, sizeof *sh->orders);
    return sh->orders != NULL;
}

static void release(shared *sh)
{
    for (int d = 0; d < PETAL_MAX_DIMS; d++)
        free(sh->divisors[d]);
    if (sh->orders) {
        size_t norders = (size_t)sh->ms->nlevels * 256 * NSTATES;
        for (size_t i = 0; i < norders; i++) {
            order_set *set = atomic_load(&sh->orders[i]);
            if (set) {
                order_set_free(set);
                free(set);
            }
        }
        free(sh->orders);
    }
    free(sh->tasks);
    pthread_mutex_destroy(&sh->lock);
    pthread_mutex_destroy(&sh->qlock);
    pthread_cond_destroy(&sh->qcond);
}

petal_status search_run(const mapspace *ms, const search_config *cfg, petal_map_result *out)
{
    shared *sh = calloc(1, sizeof *sh);
    if (!sh)
        return petal_error_set(PETAL_ENOMEM, "mapper: out of memory");
    sh->ms = ms;
    sh->cfg = cfg;
    pthread_mutex_init(&sh->lock, NULL);
    atomic_init(&sh->best_seq, 0);
    atomic_init(&sh->best_p, cfg->threshold ? cfg->threshold[0] : INFINITY);
    atomic_init(&sh->best_s, cfg->threshold ? cfg->threshold[1] : INFINITY);
    atomic_init(&sh->stop, false);
    atomic_init(&sh->failure, PETAL_OK);
    pthread_mutex_init(&sh->qlock, NULL);
    pthread_cond_init(&sh->qcond, NULL);
    atomic_init(&sh->hungry, 0);
    sh->open = INFINITY;
    atomic_init(&sh->evaluated, 0);
    atomic_init(&sh->bounded, 0);
    atomic_init(&sh->pruned, 0);
    sh->start = petal_seconds();
    sh->budget = cfg->budget_seconds;

    unsigned nthreads = cfg->threads ? cfg->threads : 1;
    if (nthreads > 256)
        nthreads = 256;
    sh->nthreads = nthreads;
    worker *workers = calloc(nthreads, sizeof *workers);
    if (!workers || !prepare(sh)) {
        free(workers);
        release(sh);
        free(sh);
        return petal_error_set(PETAL_ENOMEM, "mapper: out of memory");
    }
    for (unsigned i = 0; i < nthreads; i++)
        workers[i].sh = sh;

    partial root;
    partial_root(ms, &root);
    double root_lb = bound_partial(ms, cfg->objective, &root);

    bool stopped_early = false;
    if (sh->budget == 0) {
        stopped_early = true;
    } else if (build_tasks(sh, &workers[0], &root, 4 * (size_t)nthreads)) {
        /* Dive into the most promising subtrees first, for a good incumbent,
         * unless the caller brought one (a threshold): then the dives, on one
         * thread, would only delay the search. */
        double dive_until = sh->budget >= 0 ? 0.1 * sh->budget : 0.5;
        for (size_t i = 0; i < sh->ntasks && i < 256 && !cfg->no_pruning && !cfg->threshold; i++) {
            if (elapsed(sh) >= dive_until || atomic_load(&sh->stop))
                break;
            if (!prunable(&workers[0], sh->tasks[i].lb))
                dive(&workers[0], &sh->tasks[i].s, 0, 3);
        }
        pthread_t *tids = calloc(nthreads, sizeof *tids);
        bool *running = calloc(nthreads, sizeof *running);
        /* Threads that cannot be started leave their share to the others. */
        for (unsigned i = 1; tids && running && i < nthreads; i++)
            running[i] = pthread_create(&tids[i], NULL, work, &workers[i]) == 0;
        work(&workers[0]);
        for (unsigned i = 1; tids && running && i < nthreads; i++)
            if (running[i])
                pthread_join(tids[i], NULL);
        free(tids);
        free(running);
    }

    petal_status failure = (petal_status)atomic_load(&sh->failure);
    if (failure) {
        petal_error_set(failure, "%s", sh->failure_msg);
    } else {
        memset(out, 0, sizeof *out);
        double best = read_best(sh).p;
        double open = stopped_early ? root_lb : INFINITY;
        open = fmin(open, sh->open);
        for (size_t i = sh->qhead; i < sh->ntasks; i++)
            open = fmin(open, sh->tasks[i].lb.p);
        out->found = sh->found;
        out->complete = !stopped_early && !atomic_load(&sh->stop);
        if (sh->found) {
            out->mapping = sh->best_m;
            out->stats = sh->best_r;
            out->objective = best;
            out->found_seconds = sh->best_at;
        }
        out->lower_bound = fmin(best, open);
        if (out->complete)
            out->lower_bound = sh->found ? best : INFINITY;
        out->evaluated = atomic_load(&sh->evaluated);
        out->bounded = atomic_load(&sh->bounded);
        out->pruned = atomic_load(&sh->pruned);
        out->seconds = elapsed(sh);
    }
    for (unsigned i = 0; i < nthreads; i++)
        worker_free(&workers[i]);
    free(workers);
    release(sh);
    free(sh);
    return failure;
}
