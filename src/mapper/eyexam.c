/* eyexam.c - Eyexam's seven upper bounds on a layer's MACs per cycle
 * (petal/eyexam.h; the rules in words and a worked layer: docs/eyexam.md).
 *
 * The bounds are read from the layer's mapspace under the dataflow (the same
 * one petal_map searches: which dimensions each fan-out may spread on X and
 * on Y, what the PEs must keep, which factors are fixed). Steps 4, 5 and 7
 * depend on how the layer is spread over the array, so one depth-first walk
 * enumerates every spread (an extent per dimension per fan-out and axis,
 * within the room of that axis) and keeps, for each step, the best a spread
 * allows: step 4 its MACs per cycle, step 5 the same among spreads whose
 * smallest tiles fit, step 7 that further capped by the bandwidth of the
 * level that must deliver what the PEs cannot keep. A dimension may be folded
 * over an axis (an extent that does not divide its bound): passes then leave
 * PEs idle, and a spread of extent e over a bound b runs b / ceil(b / e) on
 * average. petal's mapspace uses whole factors, so its mappings are among
 * the spreads counted here and never beat the bounds.
 */
#include "petal/eyexam.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapper/mapspace.h"
#include "mapper/partial.h"
#include "util/error.h"

static const char *const step_names[PETAL_EYEXAM_STEPS] = {
    "layer size and shape",      "dataflow loop nest", "number of PEs",
    "physical array dimensions", "storage capacity",   "average bandwidth",
    "instantaneous bandwidth",
};

const char *petal_eyexam_step_name(int step)
{
    return step >= 1 && step <= PETAL_EYEXAM_STEPS ? step_names[step - 1] : NULL;
}

/* Leaves of the spread walk before it gives up (steps 4, 5 and 7 then claim
 * nothing beyond step 3). Presets need well under a million. */
#define SPREAD_LEAF_LIMIT 4000000u

typedef struct slot {
    int level, axis, dim; /* axis 0 = X, 1 = Y */
} slot;

typedef struct spread_walk {
    const mapspace *ms;
    const petal_problem *p;
    const petal_arch *a;
    int nslots;
    slot slots[PETAL_MAX_LEVELS * 2 * PETAL_MAX_DIMS];
    uint64_t e[PETAL_MAX_LEVELS][2][PETAL_MAX_DIMS]; /* extents chosen */
    uint64_t total[PETAL_MAX_DIMS];                  /* product over fan-outs and axes */
    uint64_t room[PETAL_MAX_LEVELS][2];              /* left on each axis */
    uint64_t leaves;
    bool cut;
    uint64_t most_pes; /* the largest product of extents of a valid spread */

    /* Per step 4, 5, 7: the best MACs per cycle, the spread that gives it. */
    double best[3];
    uint64_t best_x[3][PETAL_MAX_DIMS], best_y[3][PETAL_MAX_DIMS];
    /* Why the step-4 best does not fit (step 5), and what caps the step-7
     * best's delivery (step 7). */
    char misfit[PETAL_WHY_MAX];
    char delivery[PETAL_WHY_MAX];
} spread_walk;

/* b / ceil(b / e): the average of a dimension of bound b over an axis of e. */
static double folded(uint64_t b, uint64_t e)
{
    uint64_t passes = (b + e - 1) / e;
    return (double)b / (double)passes;
}

/* Dims names of a mask, "C, M, P". */
static void dim_list(const petal_problem *p, uint8_t mask, char *buf, size_t size)
{
    buf[0] = '\0';
    size_t used = 0;
    for (int d = 0; d < p->ndims && used < size; d++)
        if (mask & MS_DIM_MASK(d))
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                                     p->dim_names[d]);
    if (!buf[0])
        snprintf(buf, size, "none");
}

/* The smallest extent of each dimension in a tile of level l, given the
 * spread: the spatial extents at and below l, the temporal factors fixed at
 * and below l, or the whole bound when no level above l may take any of it. */
static void smallest_extents(const spread_walk *w, int l, uint64_t *ext)
{
    const mapspace *ms = w->ms;
    for (int d = 0; d < ms->ndims; d++) {
        uint64_t x = 1;
        for (int k = l; k < ms->nlevels; k++) {
            x *= w->e[k][0][d] * w->e[k][1][d];
            if (ms->lv[k].t_exact[d] > 1)
                x *= ms->lv[k].t_exact[d];
        }
        bool outside = false;
        for (int k = 0; k < l && !outside; k++) {
            const ms_level *lv = &ms->lv[k];
            bool spatial = ((lv->x_dims | lv->y_dims) & MS_DIM_MASK(d)) && lv->s_exact[d] != 1;
            bool temporal = lv->t_exact[d] != 1;
            outside = spatial || temporal;
        }
        if (!outside || x > w->p->bounds[d])
            x = w->p->bounds[d];
        ext[d] = x;
    }
}

/* Whether the smallest tiles of the current spread fit every level that
 * must keep them; when not, a sentence into why. */
static bool spread_fits(const spread_walk *w, char *why, size_t why_size)
{
    const mapspace *ms = w->ms;
    /* From the outermost level: one with a depth (no DRAM above it) must
     * hold the whole layer. */
    for (int l = 0; l < ms->nlevels; l++) {
        const ms_level *lv = &ms->lv[l];
        if (!lv->storage || !lv->depth || !lv->keep_required)
            continue;
        uint64_t ext[PETAL_MAX_DIMS];
        smallest_extents(w, l, ext);
        uint64_t need = 0;
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            if (lv->keep_required & (1u << ds))
                need += tile_words(w->p, ds, ext);
        if (need > lv->depth) {
            snprintf(why, why_size, "%s must keep at least %llu words, but holds %llu",
                     w->a->levels[l].name, (unsigned long long)need, (unsigned long long)lv->depth);
            return false;
        }
    }
    return true;
}

/* The MACs per cycle the current spread allows once every data space is
 * delivered to the MACs: a data space is read by the MACs (written, for
 * Outputs) from the innermost level that keeps it, so the best any level
 * that may keep it allows is the cap; a level of unlimited bandwidth caps
 * nothing. A level s with bandwidth bw, u used instances and, below each
 * instance, a spread of n MACs touching t distinct words per step, moves at
 * least t / n words per MAC: at most bw * u * n / t MACs per cycle. */
static double delivery_cap(const spread_walk *w, char *why, size_t why_size)
{
    const mapspace *ms = w->ms;
    const petal_arch *a = w->a;
    double cap = INFINITY;
    why[0] = '\0';
    for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
        double ds_cap = 0;
        int ds_level = -1;
        double ds_words = 0;
        for (int s = 0; s < ms->nlevels && ds_cap < INFINITY; s++) {
            if (!ms->lv[s].storage || !(ms->lv[s].keep_allowed & (1u << ds)))
                continue;
            double bw = ds == PETAL_DS_OUTPUTS ? a->levels[s].write_bw : a->levels[s].read_bw;
            if (bw <= 0) {
                ds_cap = INFINITY;
                break;
            }
            uint64_t below[PETAL_MAX_DIMS];
            double used = 1, n = 1;
            for (int d = 0; d < ms->ndims; d++) {
                below[d] = 1;
                for (int k = 0; k < ms->nlevels; k++) {
                    uint64_t x = w->e[k][0][d] * w->e[k][1][d];
                    if (k < s)
                        used *= (double)x;
                    else
                        below[d] *= x;
                }
                n *= (double)below[d];
            }
            /* A MAC may hold a word over consecutive iterations of the loops
             * the data space does not depend on (the model's reuse at the
             * level feeding the MACs): at most all of them. */
            double reuse = 1;
            for (int d = 0; d < ms->ndims; d++)
                if (!(ms->relevant[ds] & MS_DIM_MASK(d)))
                    reuse *= (double)((w->p->bounds[d] + w->total[d] - 1) / w->total[d]);
            double t = (double)tile_words(w->p, ds, below);
            double c = bw * used * n * reuse / t;
            if (c > ds_cap) {
                ds_cap = c;
                ds_level = s;
                ds_words = t / (n * reuse);
            }
        }
        if (ds_cap < cap) {
            cap = ds_cap;
            snprintf(why, why_size,
                     "%s reach the MACs from %s at %g words/cycle, %.3g words per MAC at this "
                     "spread",
                     w->p->ds[ds].name, a->levels[ds_level].name,
                     ds == PETAL_DS_OUTPUTS ? a->levels[ds_level].write_bw
                                            : a->levels[ds_level].read_bw,
                     ds_words);
        }
    }
    return cap;
}

static void record(spread_walk *w, int k, double v)
{
    w->best[k] = v;
    for (int d = 0; d < PETAL_MAX_DIMS; d++) {
        w->best_x[k][d] = 1;
        w->best_y[k][d] = 1;
    }
    for (int l = 0; l < w->ms->nlevels; l++)
        for (int d = 0; d < w->ms->ndims; d++) {
            w->best_x[k][d] *= w->e[l][0][d];
            w->best_y[k][d] *= w->e[l][1][d];
        }
}

static void leaf(spread_walk *w)
{
    const mapspace *ms = w->ms;
    const petal_problem *p = w->p;
    if (++w->leaves > SPREAD_LEAF_LIMIT) {
        w->cut = true;
        return;
    }
    for (int d = 0; d < ms->ndims; d++) {
        uint64_t y = 1;
        for (int l = 0; l < ms->nlevels; l++) {
            uint64_t both = w->e[l][0][d] * w->e[l][1][d];
            if (ms->lv[l].s_exact[d] > 1 && both != ms->lv[l].s_exact[d])
                return;
            y *= w->e[l][1][d];
        }
        if (ms->y_total_exact[d] && y != ms->y_total_exact[d])
            return;
    }
    double rate = 1;
    uint64_t pes = 1;
    for (int d = 0; d < ms->ndims; d++) {
        rate *= folded(p->bounds[d], w->total[d]);
        pes *= w->total[d];
    }
    if (pes > w->most_pes)
        w->most_pes = pes;
    char why[PETAL_WHY_MAX];
    int fits = -1; /* not checked yet */
    if (rate > w->best[0]) {
        fits = spread_fits(w, why, sizeof why);
        record(w, 0, rate);
        snprintf(w->misfit, sizeof w->misfit, "%s", fits ? "" : why);
    }
    if (rate <= w->best[2])
        return;
    if (fits < 0)
        fits = spread_fits(w, why, sizeof why);
    if (!fits)
        return;
    if (rate > w->best[1])
        record(w, 1, rate);
    char dwhy[PETAL_WHY_MAX];
    double c = delivery_cap(w, dwhy, sizeof dwhy);
    double r7 = c < rate ? c : rate;
    if (r7 > w->best[2]) {
        record(w, 2, r7);
        snprintf(w->delivery, sizeof w->delivery, "%s", c < rate ? dwhy : "");
    }
}

/* Every extent of slot i onwards, largest first; a subtree that cannot beat
 * the step-7 best (the smallest of the three) is skipped. */
static void walk(spread_walk *w, int i)
{
    if (w->cut)
        return;
    if (i == w->nslots) {
        leaf(w);
        return;
    }
    double reach = 1;
    for (int d = 0; d < w->ms->ndims; d++)
        reach *= (double)w->total[d];
    for (int l = 0; l < w->ms->nlevels; l++)
        for (int ax = 0; ax < 2; ax++) {
            bool open = false;
            for (int j = i; j < w->nslots && !open; j++)
                open = w->slots[j].level == l && w->slots[j].axis == ax;
            if (open)
                reach *= (double)w->room[l][ax];
        }
    if (reach <= w->best[2])
        return;
    const slot *sl = &w->slots[i];
    const ms_level *lv = &w->ms->lv[sl->level];
    uint64_t bound = w->p->bounds[sl->dim];
    uint64_t most = w->room[sl->level][sl->axis];
    if (bound / w->total[sl->dim] < most)
        most = bound / w->total[sl->dim];
    uint64_t other = w->e[sl->level][1 - sl->axis][sl->dim];
    if (lv->s_max[sl->dim] && lv->s_max[sl->dim] / other < most)
        most = lv->s_max[sl->dim] / other;
    uint64_t room = w->room[sl->level][sl->axis];
    for (uint64_t e = most; e >= 1 && !w->cut; e--) {
        w->e[sl->level][sl->axis][sl->dim] = e;
        w->total[sl->dim] *= e;
        w->room[sl->level][sl->axis] = room / e;
        walk(w, i + 1);
        w->total[sl->dim] /= e;
    }
    w->room[sl->level][sl->axis] = room;
    w->e[sl->level][sl->axis][sl->dim] = 1;
}

/* Step k (1-based): its cap, the bound min(cap, previous), and the words. */
static void step_set(petal_eyexam_result *r, int k, double cap, const char *fmt, ...)
    PETAL_PRINTF(4, 5);
static void step_set(petal_eyexam_result *r, int k, double cap, const char *fmt, ...)
{
    petal_eyexam_step *s = &r->steps[k - 1];
    double prev = k > 1 ? r->steps[k - 2].macs_per_cycle : INFINITY;
    s->step = k;
    s->name = step_names[k - 1];
    s->cap = cap;
    s->limiting = cap < prev;
    s->macs_per_cycle = s->limiting ? cap : prev;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->limited_by, sizeof s->limited_by, fmt, ap);
    va_end(ap);
}

/* Not limiting: say so, naming the step whose bound stands. */
static const char *standing(const petal_eyexam_result *r, int k)
{
    int j = k - 1;
    while (j > 1 && !r->steps[j - 1].limiting)
        j--;
    static const char *const words[] = {"",
                                        "step 1 stands",
                                        "step 2 stands",
                                        "step 3 stands",
                                        "step 4 stands",
                                        "step 5 stands",
                                        "step 6 stands"};
    return words[j];
}

/* Step 6: every level with a bandwidth limit moves at least the distinct
 * words it must keep: reads of Weights and Inputs, writes of Outputs. */
static void average_bandwidth(const mapspace *ms, petal_eyexam_result *r, uint64_t macs)
{
    const petal_arch *a = ms->a;
    double worst = 0;
    char why[PETAL_WHY_MAX] = "";
    for (int l = 0; l < ms->nlevels; l++) {
        const ms_level *lv = &ms->lv[l];
        const petal_level *pl = &a->levels[l];
        if (!lv->storage || !lv->keep_required)
            continue;
        double inst = (double)pl->instances;
        double reads = 0, writes = 0;
        for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
            if (!(lv->keep_required & (1u << ds)))
                continue;
            if (ds == PETAL_DS_OUTPUTS)
                writes += ms->wmin[ds];
            else
                reads += ms->wmin[ds];
        }
        double rc = pl->read_bw > 0 ? reads / (pl->read_bw * inst) : 0;
        double wc = pl->write_bw > 0 ? writes / (pl->write_bw * inst) : 0;
        if (rc > worst) {
            worst = rc;
            snprintf(why, sizeof why,
                     "%s reads: at least %.0f words (every weight and input once) at %g "
                     "words/cycle take %.0f cycles for %llu MACs",
                     pl->name, reads, pl->read_bw * inst, rc, (unsigned long long)macs);
        }
        if (wc > worst) {
            worst = wc;
            snprintf(why, sizeof why,
                     "%s writes: at least %.0f words (every output once) at %g words/cycle "
                     "take %.0f cycles for %llu MACs",
                     pl->name, writes, pl->write_bw * inst, wc, (unsigned long long)macs);
        }
    }
    double cap = worst > 0 ? (double)macs / worst : INFINITY;
    if (cap < r->steps[4].macs_per_cycle)
        step_set(r, 6, cap, "%s", why);
    else if (worst > 0)
        step_set(r, 6, cap, "not limiting (%s; %s)", standing(r, 6), why);
    else
        step_set(r, 6, cap,
                 "not limiting (%s): no level that must keep data has a bandwidth "
                 "limit",
                 standing(r, 6));
}

petal_status petal_eyexam_bounds(const petal_problem *p, const petal_arch *a, const char *dataflow,
                                 petal_eyexam_result *out)
{
    memset(out, 0, sizeof *out);
    petal_status st = petal_problem_check(p);
    if (!st)
        st = petal_arch_check(a);
    if (st)
        return st;
    const char *df = dataflow && dataflow[0] ? dataflow : NULL;
    if (df && !petal_dataflow_known(df)) {
        char known[160];
        petal_dataflow_names(known, sizeof known);
        return petal_error_set(PETAL_ENOTFOUND, "unknown dataflow '%s' (known: %s)", df, known);
    }
    snprintf(out->layer, sizeof out->layer, "%s", p->name);
    snprintf(out->arch, sizeof out->arch, "%s", a->name);
    snprintf(out->dataflow, sizeof out->dataflow, "%s", df ? df : "");
    out->macs = petal_problem_macs(p);
    out->pes = a->arith.instances;
    for (int d = 0; d < PETAL_MAX_DIMS; d++)
        out->spread_x[d] = out->spread_y[d] = 1;

    mapspace ms;
    ms_init(&ms, p, a);
    char why[PETAL_WHY_MAX] = "";

    /* 1: every MAC of the layer at once. */
    char dims[96];
    step_set(out, 1, (double)out->macs, "the layer's %llu MACs, all independent",
             (unsigned long long)out->macs);

    /* 2: only the dimensions the dataflow may spread. */
    bool held = !df || ms_apply_dataflow(&ms, df, why, sizeof why);
    uint8_t spreadable = 0;
    for (int l = 0; held && l < ms.nlevels; l++)
        for (int d = 0; d < ms.ndims; d++)
            if (((ms.lv[l].x_dims | ms.lv[l].y_dims) & MS_DIM_MASK(d)) && ms.lv[l].s_exact[d] != 1)
                spreadable |= MS_DIM_MASK(d);
    double par = 1;
    for (int d = 0; d < p->ndims; d++)
        if (spreadable & MS_DIM_MASK(d))
            par *= (double)p->bounds[d];
    dim_list(p, spreadable, dims, sizeof dims);
    if (!held)
        step_set(out, 2, 0, "%s cannot run here: %s", df, why);
    else if (!spreadable)
        step_set(out, 2, 1, "no level of %s fans out: one MAC at a time", a->name);
    else if (par < out->steps[0].macs_per_cycle)
        step_set(out, 2, par, "%s spreads only %s over the array; the other loops run in time",
                 df ? df : "the mapspace", dims);
    else
        step_set(out, 2, par,
                 "not limiting (step 1 stands): %s may spread every dimension "
                 "(%s)",
                 df ? df : "the whole mapspace", dims);

    /* 3: the MAC units. */
    if ((double)out->pes < out->steps[1].macs_per_cycle)
        step_set(out, 3, (double)out->pes, "%llu PEs (MAC units)", (unsigned long long)out->pes);
    else
        step_set(out, 3, (double)out->pes, "not limiting (%s): %llu PEs", standing(out, 3),
                 (unsigned long long)out->pes);

    /* 4, 5, 7: the spreads. */
    static spread_walk w_zero;
    spread_walk w = w_zero;
    w.ms = &ms;
    w.p = p;
    w.a = a;
    bool feasible = held && ms_feasible(&ms, why, sizeof why);
    for (int l = 0; l < ms.nlevels; l++)
        for (int ax = 0; ax < 2; ax++) {
            w.room[l][ax] = ax ? ms.lv[l].fanout_y : ms.lv[l].fanout_x;
            uint8_t mask = ax ? ms.lv[l].y_dims : ms.lv[l].x_dims;
            for (int d = 0; d < ms.ndims; d++) {
                w.e[l][ax][d] = 1;
                if (w.room[l][ax] > 1 && (mask & MS_DIM_MASK(d)) && p->bounds[d] > 1 &&
                    ms.lv[l].s_exact[d] != 1)
                    w.slots[w.nslots++] = (slot){l, ax, d};
            }
        }
    for (int d = 0; d < PETAL_MAX_DIMS; d++)
        w.total[d] = 1;
    if (feasible)
        walk(&w, 0);

    double prev = out->steps[2].macs_per_cycle;
    if (!held) {
        step_set(out, 4, 0, "%s cannot run here (step 2)", df);
        step_set(out, 5, 0, "%s cannot run here (step 2)", df);
    } else if (!feasible) {
        step_set(out, 4, 0, "no mapping can exist: %s", why);
        step_set(out, 5, 0, "no mapping can exist (step 4)");
    } else if (w.cut) {
        step_set(out, 4, prev,
                 "not computed: more than %u ways to spread the layer; step 3 "
                 "stands",
                 SPREAD_LEAF_LIMIT);
        step_set(out, 5, prev, "not computed (step 4); step 3 stands");
    } else {
        char spread[160] = "";
        size_t used = 0;
        for (int d = 0; d < p->ndims && used < sizeof spread; d++)
            if (w.best_x[0][d] * w.best_y[0][d] > 1)
                used += (size_t)snprintf(spread + used, sizeof spread - used, "%s%s %llu of %llu%s",
                                         used ? ", " : "", p->dim_names[d],
                                         (unsigned long long)(w.best_x[0][d] * w.best_y[0][d]),
                                         (unsigned long long)p->bounds[d],
                                         w.best_x[0][d] > 1 && w.best_y[0][d] > 1 ? " (X and Y)"
                                         : w.best_x[0][d] > 1                     ? " (X)"
                                                                                  : " (Y)");
        out->step4_pes = w.most_pes;
        if (w.best[0] < prev)
            step_set(out, 4, w.best[0],
                     "the best spread on the %ux%u array: %s; at most %llu "
                     "PEs busy at once",
                     (unsigned)a->arith.mesh_x, (unsigned)a->arith.mesh_y,
                     spread[0] ? spread : "nothing spread", (unsigned long long)w.most_pes);
        else
            step_set(out, 4, w.best[0], "not limiting (%s): %s on the %ux%u array",
                     standing(out, 4), spread[0] ? spread : "nothing spread",
                     (unsigned)a->arith.mesh_x, (unsigned)a->arith.mesh_y);
        if (w.best[1] <= 0)
            step_set(out, 5, 0, "no spread's smallest tiles fit: %s", w.misfit);
        else if (w.best[1] < out->steps[3].macs_per_cycle)
            step_set(out, 5, w.best[1],
                     "the smallest tiles of step 4's spread do not fit (%s); "
                     "the best spread whose tiles fit",
                     w.misfit);
        else
            step_set(out, 5, w.best[1], "not limiting (%s): the smallest tiles fit",
                     standing(out, 5));
    }

    /* 6: the roofline of every level that must keep data. */
    average_bandwidth(&ms, out, out->macs);

    /* 7: delivery within a pass. */
    if (!held || !feasible)
        step_set(out, 7, 0, "no mapping can exist (step %d)", held ? 4 : 2);
    else if (w.cut)
        step_set(out, 7, out->steps[5].macs_per_cycle, "not computed (step 4); step %d stands",
                 out->steps[5].limiting ? 6 : 3);
    else if (w.best[2] <= 0)
        step_set(out, 7, 0, "no spread's smallest tiles fit (step 5)");
    else if (w.best[2] < out->steps[5].macs_per_cycle)
        step_set(out, 7, w.best[2], "%s",
                 w.delivery[0] ? w.delivery : "the best spread that fits, delivered in time");
    else
        step_set(out, 7, w.best[2], "not limiting (%s): %s", standing(out, 7),
                 w.delivery[0] ? w.delivery
                               : "what the PEs cannot keep arrives in time (or nothing must)");

    int k = w.best[2] > 0 ? 2 : w.best[1] > 0 ? 1 : 0;
    for (int d = 0; d < p->ndims && w.best[k] > 0; d++) {
        out->spread_x[d] = w.best_x[k][d];
        out->spread_y[d] = w.best_y[k][d];
    }
    return PETAL_OK;
}

void petal_eyexam_best(petal_eyexam_result *r, const petal_map_result *best)
{
    r->searched = true;
    r->best_found = best->found;
    snprintf(r->best_why, sizeof r->best_why, "%s", best->found ? "" : best->why);
    r->best_complete = best->found && best->complete;
    r->best_cycles = best->found ? best->stats.cycles : 0;
    r->best_macs_per_cycle = best->found && best->stats.cycles
                                 ? (double)best->stats.computes / (double)best->stats.cycles
                                 : 0;
}

petal_status petal_eyexam(const petal_problem *p, const petal_arch *a, const petal_map_options *o,
                          petal_eyexam_result *out)
{
    petal_map_options defaults;
    if (!o) {
        petal_map_options_init(&defaults);
        o = &defaults;
    }
    petal_status st = petal_eyexam_bounds(p, a, o->dataflow, out);
    if (st)
        return st;
    static petal_map_result zero;
    petal_map_result *m = malloc(sizeof *m);
    if (!m)
        return petal_error_set(PETAL_ENOMEM, "eyexam: out of memory");
    *m = zero;
    st = petal_map(p, a, o, m);
    if (!st)
        petal_eyexam_best(out, m);
    free(m);
    return st;
}
