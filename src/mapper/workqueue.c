/* workqueue.c - the search's work queue: the first steps expanded breadth
 * first into subtrees (tasks), handed out to the threads.
 *
 * The threads take the tasks in order: best bound first at the start, then
 * whatever busy threads give away. A thread that finds the queue empty waits;
 * a busy thread that sees one waiting gives it the unexplored children of its
 * shallowest step. Each finished task reports the smallest bound it left
 * unexplored (sh->open): with the tasks never taken, the proven lower bound
 * when the budget runs out.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#include "mapper/search_internal.h"
#include "util/error.h"

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
void give_away(worker *w, int depth)
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

bool build_tasks(shared *sh, worker *w, const partial *root, size_t target)
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

void *work(void *arg)
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
            open = explore(w, &t->s, 0, t->lb, NULL);
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
