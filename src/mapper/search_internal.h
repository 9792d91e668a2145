/* mapper/search_internal.h - what the search (search.c), the choices it
 * makes at each step (choices.c) and its work queue (workqueue.c) share
 * (library-internal; mapper/search.h is the interface).
 */
#ifndef PETAL_MAPPER_SEARCH_INTERNAL_H
#define PETAL_MAPPER_SEARCH_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapper/objective.h"
#include "mapper/order.h"
#include "mapper/partial.h"
#include "mapper/search.h"
#include "petal/model.h"

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
    /* For a child at an order step: its bound by innermost loop
     * (bound_score's by_first), kept so that its step need not compute it. */
    bool has_first;
    score first[PETAL_MAX_DIMS];
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
    /* Under an effort (search.c, deterministic rounds): the task stops when
     * evaluated + bounded reaches `limit` (0: no limit), and the incumbent is
     * the worker's own, started from the round's, so that what a task
     * explores does not depend on what other threads find meanwhile. */
    uint64_t limit;
    bool cut; /* the limit stopped the current task */
    bool own_best;
    bool found;
    score best;
    petal_mapping best_m;
    petal_model_result best_r;
    double best_at;
} worker;

/* --- choices.c: the choices of one step --- */

/* Generate the choices of s's next step into w->buf[depth]; returns how many
 * (0 on a dead end, or when memory ran out: then the search fails). At an
 * order step *set is the level's order set the choices index. */
size_t generate(worker *w, const partial *s, int depth, const order_set **set);

/* The partial mapping s becomes with choice c (set: as generate gave it). */
void apply(const shared *sh, const partial *s, const child *c, const order_set *set, partial *out);

/* The order set of s's level in its context (s at an order step), or NULL
 * when memory ran out. */
const order_set *order_set_for(shared *sh, const partial *s);

/* qsort order of children: best bound first, then generation order. */
int cmp_child(const void *pa, const void *pb);

/* --- search.c: the depth-first search --- */

/* Record the first failure st (with the current error message) and stop. */
void fail(shared *sh, petal_status st);

/* s's lower bound, counted in w's statistics. */
score lower_bound(worker *w, const partial *s);

/* Whether a subtree with bound lb can be dropped. */
bool prunable(worker *w, score lb);

/* Whether w must stop: the time limit, a failure, or its task's effort. */
bool stopped(const worker *w);

/* Explore the subtree of s; returns a lower bound on the objective of what
 * was left unexplored (INFINITY when everything was explored or pruned).
 * `first`: s's bounds by innermost loop when s is at an order step and they
 * are known (else NULL). */
double explore(worker *w, const partial *s, int depth, score lb, const score *first);

/* --- workqueue.c: subtrees for the threads --- */

/* Expand root breadth first into about `target` subtrees and queue them best
 * bound first; false (after fail) when memory runs out. */
bool build_tasks(shared *sh, worker *w, const partial *root, size_t target);

/* Hand the unexplored children of w's shallowest open step to the queue. */
void give_away(worker *w, int depth);

/* A thread's body: take tasks and explore them until all work is done. */
void *work(void *arg);

#endif
