/* local.c - iterated local search over complete mappings (mapper/local.h). */
#include "mapper/local.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/objective.h"
#include "mapper/order.h"
#include "mapper/partial.h"
#include "mapper/search.h"
#include "model/unchecked.h"
#include "petal/model.h"
#include "util/clock.h"
#include "util/error.h"

bool ms_contains(const mapspace *ms, const petal_mapping *m)
{
    if (m->nlevels != ms->nlevels)
        return false;
    uint64_t product[PETAL_MAX_DIMS], ytotal[PETAL_MAX_DIMS];
    for (int d = 0; d < ms->ndims; d++)
        product[d] = ytotal[d] = 1;
    for (int l = 0; l < ms->nlevels; l++) {
        const ms_level *lv = &ms->lv[l];
        const petal_level_mapping *lm = &m->levels[l];
        uint64_t xs = 1, ys = 1;
        uint8_t mask = 0;
        for (int d = 0; d < ms->ndims; d++) {
            uint64_t t = lm->temporal[d], x = lm->spatial_x[d], y = lm->spatial_y[d];
            if (!ms_temporal_ok(lv, d, t) || !ms_spatial_ok(lv, d, x * y))
                return false;
            if ((x > 1 && !(lv->x_dims & MS_DIM_MASK(d))) ||
                (y > 1 && !(lv->y_dims & MS_DIM_MASK(d))))
                return false;
            xs *= x;
            ys *= y;
            product[d] *= t * x * y;
            ytotal[d] *= y;
            if (t > 1)
                mask |= MS_DIM_MASK(d);
        }
        if (xs > lv->fanout_x || ys > lv->fanout_y)
            return false;
        if ((lm->keep & lv->keep_required) != lv->keep_required ||
            (lm->keep & (uint8_t)~lv->keep_allowed))
            return false;
        uint8_t seq[PETAL_MAX_DIMS];
        int n = 0;
        for (int k = 0; k < ms->ndims; k++)
            if (mask & MS_DIM_MASK(lm->perm[k]))
                seq[n++] = lm->perm[k];
        if (!order_meets_constraints(lv, mask, seq, n))
            return false;
    }
    for (int d = 0; d < ms->ndims; d++) {
        /* A factor that does not divide its bound is of the mapspace in the
         * one form the mapper makes (mapper/choices.c); the model refuses
         * the forms it does not count. */
        if (product[d] != ms->p->bounds[d] &&
            petal_mapping_factor_fit(m, d, ms->p->bounds[d], NULL, NULL, NULL) !=
                PETAL_FACTORS_IMPERFECT)
            return false;
        if (ms->y_total_exact[d] && ytotal[d] != ms->y_total_exact[d])
            return false;
    }
    return true;
}

/* --- one walk --- */

typedef struct walk {
    const mapspace *ms;
    const local_config *cfg;
    uint64_t rng;
    double start; /* petal_seconds() when the walk began */
    petal_mapping cur, best;
    petal_model_result cur_r, best_r, scratch;
    score cur_s, best_s;
    uint64_t evals;       /* mappings evaluated */
    uint64_t steps;       /* moves tried (most are evaluated; some leave the mapspace) */
    uint64_t improved_at; /* steps when the best last improved */
    petal_status status;
} walk;

static uint64_t next_random(walk *w)
{
    /* xorshift64*: deterministic for a seed, good enough to pick moves. */
    w->rng ^= w->rng >> 12;
    w->rng ^= w->rng << 25;
    w->rng ^= w->rng >> 27;
    return w->rng * 0x2545F4914F6CDD1DULL;
}

static uint64_t pick(walk *w, uint64_t n)
{
    return n ? next_random(w) % n : 0;
}

/* The smallest prime factor of n > 1. */
static uint64_t small_prime(uint64_t n)
{
    for (uint64_t p = 2; p * p <= n; p++)
        if (n % p == 0)
            return p;
    return n;
}

enum { SLOT_T, SLOT_X, SLOT_Y, NSLOTS };

static uint64_t *slot(petal_mapping *m, int l, int kind, int d)
{
    petal_level_mapping *lm = &m->levels[l];
    return kind == SLOT_T   ? &lm->temporal[d]
           : kind == SLOT_X ? &lm->spatial_x[d]
                            : &lm->spatial_y[d];
}

/* Move a prime factor of one dimension from one slot to another. */
static bool move_factor(walk *w, petal_mapping *m)
{
    const mapspace *ms = w->ms;
    int d = (int)pick(w, (uint64_t)ms->ndims);
    /* A source slot holding a factor of d above 1, chosen at random. */
    int from_l = -1, from_k = 0, seen = 0;
    for (int l = 0; l < ms->nlevels; l++)
        for (int k = 0; k < NSLOTS; k++)
            if (*slot(m, l, k, d) > 1 && pick(w, (uint64_t)++seen) == 0) {
                from_l = l;
                from_k = k;
            }
    if (from_l < 0)
        return false;
    int to_l = (int)pick(w, (uint64_t)ms->nlevels), to_k = (int)pick(w, NSLOTS);
    if (to_l == from_l && to_k == from_k)
        return false;
    uint64_t *src = slot(m, from_l, from_k, d);
    /* Usually the smallest prime, sometimes all of it. */
    uint64_t f = pick(w, 4) == 0 ? *src : small_prime(*src);
    *src /= f;
    *slot(m, to_l, to_k, d) *= f;
    return true;
}

/* Swap two loops with factors above 1 in one level's order. */
static bool swap_loops(walk *w, petal_mapping *m)
{
    const mapspace *ms = w->ms;
    petal_level_mapping *lm = &m->levels[pick(w, (uint64_t)ms->nlevels)];
    int pos[PETAL_MAX_DIMS], n = 0;
    for (int k = 0; k < ms->ndims; k++)
        if (lm->temporal[lm->perm[k]] > 1)
            pos[n++] = k;
    if (n < 2)
        return false;
    int i = (int)pick(w, (uint64_t)n), j = (int)pick(w, (uint64_t)n - 1);
    if (j >= i)
        j++;
    uint8_t t = lm->perm[pos[i]];
    lm->perm[pos[i]] = lm->perm[pos[j]];
    lm->perm[pos[j]] = t;
    return true;
}

static bool toggle_keep(walk *w, petal_mapping *m)
{
    const mapspace *ms = w->ms;
    int l = (int)pick(w, (uint64_t)ms->nlevels);
    const ms_level *lv = &ms->lv[l];
    uint8_t free_bits = lv->keep_allowed & (uint8_t)~lv->keep_required;
    if (!free_bits)
        return false;
    int ds = (int)pick(w, PETAL_NUM_DS);
    if (!(free_bits & (1u << ds)))
        return false;
    m->levels[l].keep ^= (uint8_t)(1u << ds);
    return true;
}

static bool random_move(walk *w, petal_mapping *m)
{
    uint64_t r = pick(w, 20);
    if (r < 12)
        return move_factor(w, m);
    if (r < 18)
        return swap_loops(w, m);
    return toggle_keep(w, m);
}

/* Evaluate m; true when it is a valid mapping of the mapspace (score in *s). */
static bool try_mapping(walk *w, const petal_mapping *m, score *s)
{
    const mapspace *ms = w->ms;
    if (!ms_contains(ms, m))
        return false;
    /* petal_map checked the problem and the architecture once. */
    petal_status st = model_eval_unchecked(ms->p, ms->exact, m, &w->scratch);
    if (st) {
        w->status = st;
        return false;
    }
    w->evals++;
    if (!w->scratch.valid)
        return false;
    if (ms->min_utilization > 0 && (double)w->scratch.utilized_macs <
                                       ms->min_utilization * (double)ms->a->arith.instances - 1e-9)
        return false;
    *s = score_of(w->cfg->objective, &w->scratch);
    return true;
}

static bool out_of_time(const walk *w)
{
    if (w->cfg->max_moves && w->steps >= w->cfg->max_moves)
        return true;
    if (w->cfg->patience && w->steps - w->improved_at >= w->cfg->patience)
        return true;
    return w->cfg->seconds >= 0 && (w->steps & 255) == 0 &&
           petal_seconds() - w->start >= w->cfg->seconds;
}

/* Moves that neither improve nor tie before the walk restarts from the best
 * with a few random moves (a kick). */
#define STALL 3000
#define TRAVEL 0.03

static void run_walk(walk *w)
{
    uint64_t stall = 0;
    petal_mapping cand;
    while (!w->status && !out_of_time(w)) {
        w->steps++;
        cand = w->cur;
        if (!random_move(w, &cand))
            continue;
        score s;
        if (!try_mapping(w, &cand, &s)) {
            stall++;
        } else if (score_cmp(s, w->cur_s) <= 0 || s.p <= w->best_s.p * (1 + TRAVEL)) {
            /* Record-to-record travel: anything within TRAVEL of the best is
             * taken, so the walk crosses plateaus (loop orders that do not
             * matter) and small ridges between basins. */
            stall = score_cmp(s, w->best_s) < 0 ? 0 : stall + 1;
            w->cur = cand;
            w->cur_r = w->scratch;
            w->cur_s = s;
            if (score_cmp(s, w->best_s) < 0) {
                w->best = cand;
                w->best_r = w->scratch;
                w->best_s = s;
                w->improved_at = w->steps;
            }
        } else {
            stall++;
        }
        if (stall >= STALL) {
            /* Kick: the best, moved a few valid steps at random. */
            stall = 0;
            w->cur = w->best;
            w->cur_r = w->best_r;
            w->cur_s = w->best_s;
            for (int k = 0, done = 0; k < 50 && done < 3 && !w->status; k++) {
                cand = w->cur;
                if (random_move(w, &cand) && try_mapping(w, &cand, &s)) {
                    w->cur = cand;
                    w->cur_r = w->scratch;
                    w->cur_s = s;
                    done++;
                }
            }
        }
    }
}

/* The walks a thread runs: first, first + stride, ... */
typedef struct walk_share {
    walk *walks;
    unsigned first, stride, n;
} walk_share;

static void *walk_thread(void *arg)
{
    const walk_share *ws = arg;
    for (unsigned i = ws->first; i < ws->n; i += ws->stride)
        run_walk(&ws->walks[i]);
    return NULL;
}

petal_status local_search(const mapspace *ms, const local_config *cfg, petal_mapping *m,
                          petal_model_result *r, uint64_t *evaluations)
{
    unsigned nthreads = cfg->threads ? cfg->threads : 1;
    unsigned n = cfg->walks ? cfg->walks : nthreads;
    if (n > 64)
        n = 64;
    if (nthreads > n)
        nthreads = n;
    walk *walks = calloc(n, sizeof *walks);
    pthread_t *tids = calloc(n, sizeof *tids);
    bool *running = calloc(n, sizeof *running);
    walk_share *shares = calloc(n, sizeof *shares);
    if (!walks || !tids || !running || !shares) {
        free(walks);
        free(tids);
        free(running);
        free(shares);
        return petal_error_set(PETAL_ENOMEM, "mapper: out of memory");
    }
    score start = score_of(cfg->objective, r);
    for (unsigned i = 0; i < n; i++) {
        walk *w = &walks[i];
        w->ms = ms;
        w->cfg = cfg;
        w->rng = (cfg->seed + i) * 0x9E3779B97F4A7C15ULL + 1;
        w->start = petal_seconds();
        w->cur = w->best = *m;
        w->cur_r = w->best_r = *r;
        w->cur_s = w->best_s = start;
    }
    /* A thread that cannot be started leaves its walks to the calling one. */
    for (unsigned t = 0; t < nthreads; t++)
        shares[t] = (walk_share){walks, t, nthreads, n};
    for (unsigned t = 1; t < nthreads; t++)
        running[t] = pthread_create(&tids[t], NULL, walk_thread, &shares[t]) == 0;
    walk_thread(&shares[0]);
    for (unsigned t = 1; t < nthreads; t++) {
        if (running[t])
            pthread_join(tids[t], NULL);
        else
            for (unsigned i = t; i < n; i += nthreads)
                run_walk(&walks[i]);
    }
    petal_status st = PETAL_OK;
    uint64_t evals = 0;
    for (unsigned i = 0; i < n; i++) {
        const walk *w = &walks[i];
        evals += w->evals;
        if (w->status && !st)
            st = w->status;
        /* The best over the walks; equal scores go to the canonical order. */
        int c = score_cmp(w->best_s, start);
        if (c < 0 || (c == 0 && search_mapping_cmp(&w->best, m) < 0)) {
            *m = w->best;
            *r = w->best_r;
            start = w->best_s;
        }
    }
    free(walks);
    free(tids);
    free(running);
    free(shares);
    *evaluations = evals;
    return st;
}
