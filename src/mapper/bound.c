/* bound.c - lower bounds on the objective of every completion of a partial
 * mapping: what the branch and bound search prunes with. */
#include <math.h>

#include "mapper/partial.h"

uint64_t tile_words(const petal_problem *p, int ds, const uint64_t *ext)
{
    const petal_dataspace *s = &p->ds[ds];
    uint64_t words = 1;
    for (int r = 0; r < s->nranks; r++) {
        uint64_t extent = 1;
        for (int t = 0; t < s->ranks[r].nterms; t++) {
            const petal_term *term = &s->ranks[r].terms[t];
            extent += (uint64_t)term->coef * (ext[term->dim] - 1);
        }
        words *= extent;
    }
    return words;
}

/* Largest parallelism the undecided fan-outs could still add. */
static double spatial_room(const mapspace *ms, const partial *s)
{
    double room = 1;
    for (int l = 0; l <= s->level; l++) {
        if (l == s->level && s->phase > PHASE_SPATIAL)
            continue;
        room *= (double)ms->lv[l].fanout_x * ms->lv[l].fanout_y;
    }
    double rest = 1;
    for (int d = 0; d < ms->ndims; d++)
        rest *= (double)s->rem[d];
    return room < rest ? room : rest;
}

static double cycles_bound(const mapspace *ms, const partial *s)
{
    double decided = 1;
    for (int l = s->level < 0 ? 0 : s->level; l < ms->nlevels; l++)
        for (int d = 0; d < ms->ndims; d++)
            decided *= (double)s->m.levels[l].spatial_x[d] * (double)s->m.levels[l].spatial_y[d];
    double macs = (double)petal_problem_macs(ms->p);
    return ceil(macs / (decided * spatial_room(ms, s)));
}

static double energy_bound(const mapspace *ms, const partial *s)
{
    (void)s;
    return (double)petal_problem_macs(ms->p) * ms->a->arith.mac_pj;
}

double bound_partial(const mapspace *ms, petal_objective obj, const partial *s)
{
    const double shave = 1.0 - 1e-9;
    switch (obj) {
    case PETAL_OBJECTIVE_ENERGY: return energy_bound(ms, s) * shave;
    case PETAL_OBJECTIVE_DELAY: return cycles_bound(ms, s) * shave;
    case PETAL_OBJECTIVE_EDP: return energy_bound(ms, s) * cycles_bound(ms, s) * shave;
    }
    return 0;
}
