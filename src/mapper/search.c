/* search.c - depth-first branch and bound over a mapspace, and its incumbent.
 *
 * A mapping is built from the innermost level outwards, four steps per level
 * (spatial factors, keeps, temporal factors, loop order; mapper/partial.h). At
 * every step all choices are generated (mapper/choices.c), each gets a lower
 * bound on the objective of its completions (mapper/bound.c), and they are
 * explored best bound first; a choice whose bound exceeds the best mapping
 * found so far (the incumbent, shared by all threads) is dropped with
 * everything after it.
 *
 * Threads: the first steps are expanded breadth first into a list of subtrees
 * that the threads take in order (mapper/workqueue.c). The answer does not
 * depend on who finds what: a subtree is dropped only when its bound is
 * strictly above the incumbent, so every mapping as good as the final best is
 * evaluated by someone, and among equals the smallest in search_mapping_cmp
 * order wins.
 *
 * Budget: when the time runs out every thread stops where it is; what was not
 * explored still has the bound it was sorted by, and the smallest of those (and
 * the best found) is the proven lower bound reported with the result.
 *
 * Effort (a budget in bounds plus evaluations): what a search explores must not
 * depend on which thread gets there first, so the search runs in rounds. The
 * subtrees are always the same DET_TASKS (whatever the thread count), taken
 * DET_ROUND at a time; each task of a round prunes with the incumbent of the
 * round's start and its own finds only, and gets a share of the effort left
 * (a round's tasks share half of it: the tasks come best bound first, so the
 * most promising get the most); after the round the tasks' bests are merged (score, then canonical
 * order) and the unused effort passes to the next round. Tasks that their
 * share cut are run again from their start in a next pass (at most
 * DET_PASSES) with what the easy ones left, and a better incumbent. Threads
 * only decide who runs which task of a round, never what it explores.
 */
#include "mapper/search.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/search_internal.h"
#include "model/unchecked.h"
#include "petal/model.h"
#include "util/clock.h"
#include "util/error.h"

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

bool stopped(const worker *w)
{
    return w->cut || atomic_load_explicit(&w->sh->stop, memory_order_relaxed);
}

/* Poll the clock now and then, and the task's effort; true when the search
 * (or, under an effort, the task) must stop. */
static bool should_stop(worker *w)
{
    shared *sh = w->sh;
    if (stopped(w))
        return true;
    if (w->limit && w->evaluated + w->bounded >= w->limit) {
        w->cut = true;
        return true;
    }
    if (sh->budget >= 0 && (w->ticks++ & 63) == 0 && elapsed(sh) >= sh->budget) {
        atomic_store(&sh->stop, true);
        return true;
    }
    return false;
}

void fail(shared *sh, petal_status st)
{
    int expected = PETAL_OK;
    if (atomic_compare_exchange_strong(&sh->failure, &expected, (int)st))
        snprintf(sh->failure_msg, sizeof sh->failure_msg, "%s", petal_error_message());
    atomic_store(&sh->stop, true);
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

/* --- evaluating complete mappings --- */

static void evaluate(worker *w, const petal_mapping *m)
{
    shared *sh = w->sh;
    const mapspace *ms = sh->ms;
    petal_model_result *r = &w->scratch;
    /* petal_map checked the problem and the architecture once. */
    petal_status st = model_eval_unchecked(ms->p, ms->exact, m, r);
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
    if (w->own_best) {
        int c = score_cmp(v, w->best);
        if (c > 0 || (w->found && c == 0 && search_mapping_cmp(m, &w->best_m) >= 0))
            return;
        w->found = true;
        w->best = v;
        w->best_m = *m;
        w->best_r = *r;
        w->best_at = elapsed(sh);
        return;
    }
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

score lower_bound(worker *w, const partial *s)
{
    w->bounded++;
    return bound_score(w->sh->ms, w->sh->cfg->objective, s, NULL);
}

/* A child's bound. When the child's next step is an order step with one
 * order only (a level with at most one loop, or one class of orders), the
 * bound is taken after that order: the child's completions are exactly its
 * one grandchild's, and the bound after the order knows more (the order
 * step's bound only knows which loop may be innermost). Not at the
 * outermost level, whose order step evaluates complete mappings. */
static score child_bound(worker *w, const partial *next, child *c)
{
    shared *sh = w->sh;
    c->has_first = false;
    if (next->phase == PHASE_ORDER && next->level > 0 && !sh->cfg->all_orders) {
        const order_set *set = order_set_for(sh, next);
        if (set && set->count == 1) {
            child only = {.order = 0};
            partial after;
            apply(sh, next, &only, set, &after);
            return lower_bound(w, &after);
        }
    }
    if (next->phase == PHASE_ORDER && !sh->cfg->no_pruning) {
        /* The bound and, in the same pass, the bounds by innermost loop its
         * order step filters with. */
        w->bounded++;
        c->has_first = true;
        return bound_score(sh->ms, sh->cfg->objective, next, c->first);
    }
    return lower_bound(w, next);
}

/* Whether a subtree with bound lb can be dropped. */
bool prunable(worker *w, score lb)
{
    if (w->sh->cfg->no_pruning)
        return false;
    return score_worse(lb, w->own_best ? w->best : read_best(w->sh));
}

/* Explore the subtree of s; returns a lower bound on the objective of what
 * was left unexplored (INFINITY when everything was explored or pruned). */
double explore(worker *w, const partial *s, int depth, score lb, const score *first)
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
    if (filter && first) {
        memcpy(by_first, first, sizeof by_first);
    } else if (filter) {
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
            kids[i].lb = score_max(child_bound(w, &next, &kids[i]), lb);
        }
        qsort(kids, n, sizeof *kids, cmp_child);
    }
    double open = INFINITY;
    frame *fr = &w->frames[depth];
    *fr = (frame){s, set, 0, n};
    for (size_t i = 0; i < fr->n; i++) {
        child *c = &w->buf[depth][i]; /* the buffer may move while deeper steps grow theirs */
        if (stopped(w)) {
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
        score first_of[PETAL_MAX_DIMS];
        bool has_first = c->has_first;
        if (has_first)
            memcpy(first_of, c->first, sizeof first_of);
        open = fmin(open, explore(w, &next, depth + 1, c->lb, has_first ? first_of : NULL));
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

/* --- deterministic rounds (under an effort) --- */

/* Subtrees, tasks per round, and greedy dives before the rounds: constants,
 * never the thread count, so that the work done is the same on any machine. */
#define DET_TASKS 64
#define DET_ROUND 8
#define DET_DIVES 8
#define DET_PASSES 4

/* What one task of a round found and left. */
typedef struct task_result {
    bool found, cut;
    score best;
    petal_mapping m;
    petal_model_result r;
    double at, open;
} task_result;

typedef struct det_round {
    shared *sh;
    const size_t *tasks; /* indices into sh->tasks */
    size_t n;
    atomic_size_t next;
    uint64_t share;
    bool found; /* the round's incumbent */
    score best;
    petal_mapping best_m;
    task_result res[DET_ROUND];
} det_round;

static uint64_t work_done(const worker *workers, unsigned n)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += workers[i].evaluated + workers[i].bounded;
    return sum;
}

static void run_task(det_round *rd, worker *w, size_t j)
{
    shared *sh = rd->sh;
    const task *t = &sh->tasks[rd->tasks[j]];
    w->own_best = true;
    w->found = rd->found;
    w->best = rd->best;
    if (rd->found)
        w->best_m = rd->best_m;
    w->cut = false;
    w->limit = w->evaluated + w->bounded + rd->share;
    double open = INFINITY;
    if (atomic_load(&sh->stop))
        open = t->lb.p;
    else if (prunable(w, t->lb))
        w->pruned++;
    else
        open = explore(w, &t->s, 0, t->lb, NULL);
    task_result *res = &rd->res[j];
    res->found = w->found;
    res->cut = w->cut;
    res->best = w->best;
    res->open = open;
    if (w->found) {
        res->m = w->best_m;
        res->r = w->best_r;
        res->at = w->best_at;
    }
    w->own_best = false;
    w->limit = 0;
    w->cut = false;
}

typedef struct round_arg {
    det_round *rd;
    worker *w;
} round_arg;

/* A thread's part of a round: the round's next task until none is left. */
static void *round_thread(void *arg)
{
    round_arg *ra = arg;
    for (;;) {
        size_t j = atomic_fetch_add(&ra->rd->next, 1);
        if (j >= ra->rd->n)
            break;
        run_task(ra->rd, ra->w, j);
    }
    return NULL;
}

/* Merge a task's best into the incumbent: score, then canonical order, so
 * that the order of merging does not matter. */
static void merge(shared *sh, const task_result *res)
{
    if (!res->found)
        return;
    int c = score_cmp(res->best, read_best(sh));
    if (sh->found && (c > 0 || (c == 0 && search_mapping_cmp(&res->m, &sh->best_m) >= 0)))
        return;
    sh->found = true;
    sh->best_m = res->m;
    sh->best_r = res->r;
    sh->best_at = res->at;
    atomic_fetch_add_explicit(&sh->best_seq, 1, memory_order_acq_rel);
    atomic_store_explicit(&sh->best_p, res->best.p, memory_order_relaxed);
    atomic_store_explicit(&sh->best_s, res->best.s, memory_order_relaxed);
    atomic_fetch_add_explicit(&sh->best_seq, 1, memory_order_acq_rel);
}

/* Run the tasks pending[0..n) in rounds, each task with its share of the
 * effort left; the ones their share cut are moved to the front of pending,
 * and their count returned. */
static size_t run_pass(shared *sh, worker *workers, unsigned nthreads, det_round *rd,
                       round_arg *args, pthread_t *tids, bool *running, size_t *pending, size_t n,
                       double *open, bool *finished)
{
    const uint64_t effort = sh->cfg->effort;
    size_t ncut = 0, k = 0;
    for (; k < n && !atomic_load(&sh->stop); k += rd->n) {
        uint64_t used = work_done(workers, nthreads);
        if (used >= effort)
            break;
        rd->sh = sh;
        rd->tasks = pending + k;
        rd->n = n - k < DET_ROUND ? n - k : DET_ROUND;
        /* Tasks come best bound first, and the first ones are where a search
         * most often finds its best: a round's tasks share half of what is
         * left (the last round all of it), not an equal part with every later
         * task. (An equal part left the WS and NLR searches of `petal study
         * dataflows --effort 300k` 3-5x above their optimum.) */
        size_t ways = n - k < 2 * DET_ROUND ? n - k : 2 * DET_ROUND;
        rd->share = (effort - used) / ways;
        if (rd->share == 0)
            rd->share = 1;
        atomic_store(&rd->next, 0);
        rd->found = sh->found;
        rd->best = read_best(sh);
        if (sh->found)
            rd->best_m = sh->best_m;
        unsigned helpers = nthreads < rd->n ? nthreads : (unsigned)rd->n;
        for (unsigned i = 0; i < helpers; i++)
            args[i] = (round_arg){rd, &workers[i]};
        for (unsigned i = 1; i < helpers; i++)
            running[i] = pthread_create(&tids[i], NULL, round_thread, &args[i]) == 0;
        round_thread(&args[0]);
        for (unsigned i = 1; i < helpers; i++)
            if (running[i]) {
                pthread_join(tids[i], NULL);
                running[i] = false;
            }
        for (size_t j = 0; j < rd->n; j++) {
            size_t t = pending[k + j];
            open[t] = rd->res[j].open;
            finished[t] = !rd->res[j].cut && !atomic_load(&sh->stop);
            merge(sh, &rd->res[j]);
            if (rd->res[j].cut)
                pending[ncut++] = t; /* ncut <= k + j: nothing unread is overwritten */
        }
    }
    /* Tasks this pass did not reach stay pending. */
    for (; k < n; k++)
        pending[ncut++] = pending[k];
    return ncut;
}

/* The search under an effort: dives, then the tasks in rounds and passes.
 * Returns whether the effort cut it. */
static bool run_rounds(shared *sh, worker *workers, unsigned nthreads)
{
    const search_config *cfg = sh->cfg;
    if (!cfg->no_pruning && !cfg->threshold) {
        /* The dives' share is capped so that the rounds always get most. */
        workers[0].limit = work_done(workers, nthreads) + cfg->effort / 20 + 1;
        for (size_t i = 0; i < sh->ntasks && i < DET_DIVES && !stopped(&workers[0]); i++)
            if (!prunable(&workers[0], sh->tasks[i].lb))
                dive(&workers[0], &sh->tasks[i].s, 0, 3);
        workers[0].limit = 0;
        workers[0].cut = false;
    }
    size_t nt = sh->ntasks ? sh->ntasks : 1;
    det_round *rd = calloc(1, sizeof *rd);
    round_arg *args = calloc(nthreads, sizeof *args);
    pthread_t *tids = calloc(nthreads, sizeof *tids);
    bool *running = calloc(nthreads, sizeof *running);
    size_t *pending = malloc(nt * sizeof *pending);
    double *open = malloc(nt * sizeof *open);
    bool *finished = calloc(nt, sizeof *finished);
    bool cut = false;
    if (!rd || !args || !tids || !running || !pending || !open || !finished) {
        fail(sh, petal_error_set(PETAL_ENOMEM, "mapper: out of memory"));
        goto out;
    }
    for (size_t i = 0; i < sh->ntasks; i++) {
        pending[i] = i;
        open[i] = sh->tasks[i].lb.p;
    }
    size_t n = sh->ntasks;
    for (int pass = 0; pass < DET_PASSES && n > 0 && !atomic_load(&sh->stop); pass++) {
        size_t before = work_done(workers, nthreads);
        n = run_pass(sh, workers, nthreads, rd, args, tids, running, pending, n, open, finished);
        if (work_done(workers, nthreads) >= cfg->effort || work_done(workers, nthreads) == before)
            break;
    }
    for (size_t i = 0; i < sh->ntasks; i++) {
        sh->open = fmin(sh->open, open[i]);
        cut = cut || !finished[i];
    }
out:
    sh->qhead = sh->ntasks; /* every task's bound is in sh->open */
    free(rd);
    free(args);
    free(tids);
    free(running);
    free(pending);
    free(open);
    free(finished);
    for (unsigned i = 0; i < nthreads; i++) {
        atomic_fetch_add(&sh->evaluated, workers[i].evaluated);
        atomic_fetch_add(&sh->bounded, workers[i].bounded);
        atomic_fetch_add(&sh->pruned, workers[i].pruned);
    }
    return cut && !atomic_load(&sh->stop);
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

    bool stopped_early = false, effort_cut = false;
    if (sh->budget == 0) {
        stopped_early = true;
    } else if (cfg->effort) {
        if (build_tasks(sh, &workers[0], &root, DET_TASKS))
            effort_cut = run_rounds(sh, workers, nthreads);
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
        out->complete = !stopped_early && !effort_cut && !atomic_load(&sh->stop);
        out->stopped_by = out->complete ? PETAL_LIMIT_NONE
                          : effort_cut  ? PETAL_LIMIT_EFFORT
                                        : PETAL_LIMIT_TIME;
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
