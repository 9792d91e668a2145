/* mapper.c - petal_map: build the mapspace (architecture, dataflow, user
 * constraints), say why when it is empty, and search it. */
#include "petal/mapper.h"

#include "petal/constraints.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mapper/local.h"
#include "mapper/mapspace.h"
#include "mapper/objective.h"
#include "mapper/partial.h"
#include "mapper/search.h"
#include "util/clock.h"
#include "util/error.h"

void petal_map_options_init(petal_map_options *o)
{
    memset(o, 0, sizeof *o);
    o->objective = PETAL_OBJECTIVE_ENERGY;
    o->threads = 1;
    o->effort = 0;
    o->budget_seconds = -1;
}

const char *petal_map_limit_name(petal_map_limit limit)
{
    switch (limit) {
    case PETAL_LIMIT_NONE:
        return "none";
    case PETAL_LIMIT_EFFORT:
        return "effort";
    case PETAL_LIMIT_TIME:
        return "time";
    }
    return "none";
}

double petal_map_gap(const petal_map_result *r)
{
    if (!r->found)
        return 1;
    if (r->complete || r->objective <= 0)
        return 0;
    double gap = (r->objective - r->lower_bound) / r->objective;
    return gap > 0 ? gap : 0;
}

/* The local walks: at most so many steps per thread with no budget, a share
 * of a budget otherwise, and each ends early after so many steps without a
 * better mapping. Under an effort there are LOCAL_WALKS walks per warm start
 * whatever the thread count, together taking at most LOCAL_EFFORT_SHARE of
 * the effort. */
#define LOCAL_STEPS 200000
#define LOCAL_PATIENCE 30000
#define LOCAL_SHARE 0.3
#define LOCAL_WALKS 2
#define LOCAL_EFFORT_SHARE 0.1

/* A level that cannot hold even the smallest tile its keeps and the fixed
 * factors force on it. */
static bool capacity_feasible(const mapspace *ms, char *why, size_t why_size)
{
    const petal_problem *p = ms->p;
    const petal_arch *a = ms->a;
    uint64_t ext[PETAL_MAX_DIMS];
    for (int d = 0; d < PETAL_MAX_DIMS; d++)
        ext[d] = 1;
    for (int l = ms->nlevels - 1; l >= 0; l--) {
        const ms_level *lv = &ms->lv[l];
        for (int d = 0; d < ms->ndims; d++) {
            if (lv->s_exact[d])
                ext[d] *= lv->s_exact[d];
            if (lv->t_exact[d])
                ext[d] *= lv->t_exact[d];
            if (l == 0)
                ext[d] = p->bounds[d];
        }
        if (!lv->storage || !lv->depth)
            continue;
        uint64_t need = 0;
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            if (lv->keep_required & (1u << ds))
                need += tile_words(p, ds, ext);
        if (need > lv->depth) {
            char names[96] = "";
            for (int ds = 0; ds < PETAL_NUM_DS; ds++)
                if (lv->keep_required & (1u << ds)) {
                    size_t used = strlen(names);
                    snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "",
                             p->ds[ds].name);
                }
            snprintf(why, why_size, "%s must keep %s: at least %llu words%s, but it holds %llu%s",
                     a->levels[l].name, names, (unsigned long long)need,
                     l == 0            ? " (the whole layer)"
                     : ms->dataflow[0] ? " under the dataflow"
                                       : "",
                     (unsigned long long)lv->depth,
                     a != ms->exact ? " (values of its narrowest data space's width)" : "");
            return false;
        }
    }
    return true;
}

/* The mapspace of p on a under dataflow df and constraints c (either may be
 * NULL). Fails only when the constraints are for another architecture;
 * *feasible is false, with `why` set, when no mapping can exist in it. */
static petal_status build_mapspace(mapspace *ms, const petal_problem *p, const petal_arch *a,
                                   const petal_arch *exact, const char *df,
                                   const petal_constraints *c, bool *feasible, char *why,
                                   size_t why_size)
{
    ms_init(ms, p, a);
    ms->exact = exact;
    ms->spatial_first = true;
    *feasible = false;
    if (df && !ms_apply_dataflow(ms, df, why, why_size))
        return PETAL_OK;
    if (c) {
        petal_status st = ms_apply_constraints(ms, c);
        if (st)
            return st;
    }
    *feasible = ms_feasible(ms, why, why_size) && capacity_feasible(ms, why, why_size);
    return PETAL_OK;
}

petal_status petal_map(const petal_problem *p, const petal_arch *a, const petal_map_options *o,
                       petal_map_result *out)
{
    petal_map_options defaults;
    if (!o) {
        petal_map_options_init(&defaults);
        o = &defaults;
    }
    memset(out, 0, sizeof *out);
    out->lower_bound = INFINITY;
    petal_status st = petal_problem_check(p);
    if (!st)
        st = petal_arch_check(a);
    if (!st)
        st = petal_precision_check(p, a);
    if (st)
        return st;
    /* With word widths the search prunes on a relaxed copy; every mapping it
     * keeps is evaluated on `exact`. */
    const petal_arch *exact = a;
    petal_arch forwarded, relaxed;
    if (ms_relax_forwarding(exact, &forwarded))
        a = &forwarded;
    if (ms_relax_widths(p, a, &relaxed))
        a = &relaxed;
    const char *df = o->dataflow && o->dataflow[0] ? o->dataflow : NULL;
    if (df && !petal_dataflow_known(df)) {
        char known[160];
        petal_dataflow_names(known, sizeof known);
        return petal_error_set(PETAL_ENOTFOUND, "unknown dataflow '%s' (known: %s)", df, known);
    }

    /* Constraints resolved for this layer, when the caller has them by name. */
    const petal_constraints *constraints = o->constraints;
    petal_constraints layer_constraints;
    if (!constraints && o->constraints_for) {
        petal_constraints_init(&layer_constraints, exact);
        st = (petal_status)o->constraints_for(o->constraints_ctx, p, exact, &layer_constraints);
        if (st)
            return st;
        constraints = &layer_constraints;
    }

    mapspace ms;
    bool feasible;
    st = build_mapspace(&ms, p, a, exact, df, constraints, &feasible, out->why, sizeof out->why);
    if (st)
        return st;
    if (!feasible) {
        out->complete = true;
        return PETAL_OK;
    }

    /* The whole mapspace: first a short search of each named dataflow (parts
     * of it, often with a good mapping quickly found) gives a threshold that
     * prunes the full search from the start. */
    static const char *const warm[] = {"rs", "ws", "os", "is", "nlr"};
    enum { NWARM = sizeof warm / sizeof warm[0] };
    petal_map_result found[NWARM];
    size_t nfound = 0;
    uint64_t evaluated = 0, bounded = 0, pruned = 0; /* before the full search */
    double start = petal_seconds();
    /* Shares of the budget (seconds when there is none): row stationary, the
     * richest of them, gets the most. */
    static const double share[NWARM] = {0.15, 0.04, 0.04, 0.04, 0.04};
    /* A named dataflow warms up on itself: a short search for a start. */
    size_t nwarm = df ? 1 : NWARM;
    for (size_t i = 0; o->budget_seconds != 0 && i < nwarm; i++) {
        /* Never long: the warm searches only seed the walks and the full
         * search, which covers their mapspaces again. */
        double part = df ? 0.1 : share[i];
        double warm_budget = o->budget_seconds < 0 ? 4 * part : part * o->budget_seconds;
        warm_budget = fmin(warm_budget, df ? 0.25 : 1.0);
        /* A named dataflow's warm search runs in ms itself. */
        const mapspace *wms = &ms;
        mapspace dataflow_ms;
        if (!df) {
            bool ok;
            char why[256];
            if (build_mapspace(&dataflow_ms, p, a, exact, warm[i], constraints, &ok, why,
                               sizeof why) ||
                !ok)
                continue;
            wms = &dataflow_ms;
        }
        search_config wcfg = {
            .objective = o->objective, .threads = o->threads, .budget_seconds = warm_budget};
        if (o->effort) {
            /* Under an effort the warm searches count work, not time: the
             * same shares of the effort; the time limit stays a safety net. */
            wcfg.effort = (uint64_t)(part * (double)o->effort) + 1;
            wcfg.budget_seconds = o->budget_seconds < 0 ? -1 : warm_budget;
        }
        petal_map_result *r = &found[nfound];
        double offset = petal_seconds() - start;
        st = search_run(wms, &wcfg, r);
        if (st)
            return st;
        r->found_seconds += offset;
        evaluated += r->evaluated;
        bounded += r->bounded;
        pruned += r->pruned;
        nfound += r->found;
    }
    /* Then a walk over complete mappings from each dataflow's best: the model
     * is cheap, and a better incumbent prunes the full search more. With no
     * budget each walk is bounded in steps, not seconds, so that its result
     * does not depend on the machine. */
    for (size_t i = 0; i < nfound; i++) {
        local_config lcfg = {.objective = o->objective,
                             .threads = o->threads,
                             .max_moves = LOCAL_STEPS,
                             .patience = LOCAL_PATIENCE,
                             .seconds = -1,
                             .seed = 1 + i};
        if (o->effort) {
            uint64_t steps =
                (uint64_t)(LOCAL_EFFORT_SHARE * (double)o->effort / (double)(nfound * LOCAL_WALKS));
            lcfg.walks = LOCAL_WALKS;
            lcfg.max_moves = steps < LOCAL_STEPS ? steps + 1 : LOCAL_STEPS;
            if (o->budget_seconds >= 0)
                lcfg.seconds = LOCAL_SHARE * o->budget_seconds / (double)nfound;
        } else if (o->budget_seconds >= 0) {
            lcfg.max_moves = 0;
            lcfg.seconds = LOCAL_SHARE * o->budget_seconds / (double)nfound;
        }
        petal_map_result walked = found[i];
        uint64_t steps = 0;
        st = local_search(&ms, &lcfg, &walked.mapping, &walked.stats, &steps);
        if (st)
            return st;
        evaluated += steps;
        if (result_better(o->objective, &walked, &found[i])) {
            walked.objective = petal_objective_value(o->objective, &walked.stats);
            walked.found_seconds = petal_seconds() - start; /* by then at the latest */
            found[i] = walked;
        }
    }
    bool warmed = nfound > 0;
    petal_map_result best;
    memset(&best, 0, sizeof best);
    for (size_t i = 0; i < nfound; i++)
        if (i == 0 || result_better(o->objective, &found[i], &best))
            best = found[i];
    double threshold[2];
    search_config cfg = {
        .objective = o->objective,
        .threads = o->threads,
        .budget_seconds = o->budget_seconds,
    };
    if (o->effort) {
        /* What the warm start left, and never less than half. */
        uint64_t used = evaluated + bounded;
        cfg.effort = used < o->effort / 2 ? o->effort - used : o->effort - o->effort / 2;
        if (cfg.effort == 0)
            cfg.effort = 1;
    }
    if (warmed) {
        score_pair(o->objective, &best.stats, threshold);
        cfg.threshold = threshold;
        if (o->budget_seconds >= 0) {
            double left = o->budget_seconds - (petal_seconds() - start);
            cfg.budget_seconds = left > 0 ? left : 0;
        }
    }
    double offset = petal_seconds() - start;
    st = search_run(&ms, &cfg, out);
    if (st)
        return st;
    if (out->found)
        out->found_seconds += offset;
    out->evaluated += evaluated;
    out->bounded += bounded;
    out->pruned += pruned;
    out->seconds = petal_seconds() - start;
    /* Only a strictly better score displaces the full search's answer: the
     * warm starts and walks can hold an equal mapping in a loop order the
     * full search reaches only through its class's representative, and which
     * of those they found depends on their time budgets. On a tie the full
     * search's mapping is kept, so a complete search gives the same mapping
     * on every run, with or without an effort. */
    int vs = out->found ? score_cmp(score_of(o->objective, &best.stats),
                                    score_of(o->objective, &out->stats))
                        : -1;
    if (warmed && vs < 0) {
        /* The full search stopped before matching the dataflows' best. */
        out->found = true;
        out->mapping = best.mapping;
        out->stats = best.stats;
        out->objective = best.objective;
        out->found_seconds = best.found_seconds;
        if (out->lower_bound > out->objective)
            out->lower_bound = out->objective;
    } else if (warmed && vs == 0 && best.found_seconds < out->found_seconds) {
        /* As good as the warm best, and kept for the tie-break: the score
         * itself was reached when the warm start found it. */
        out->found_seconds = best.found_seconds;
    }
    if (!out->found) {
        if (out->complete)
            snprintf(out->why, sizeof out->why,
                     "no mapping satisfies the capacities, fan-outs and constraints of %s%s%s",
                     a->name, df ? " under dataflow " : "", df ? df : "");
        else if (out->stopped_by == PETAL_LIMIT_EFFORT)
            snprintf(out->why, sizeof out->why,
                     "the effort of %llu bounds and evaluations ran out before a valid mapping "
                     "was found",
                     (unsigned long long)o->effort);
        else
            snprintf(out->why, sizeof out->why,
                     "the budget of %g s ran out before a valid mapping was found",
                     o->budget_seconds);
    }
    return PETAL_OK;
}
