/* partial.c - the empty partial mapping, and the partial mappings a complete
 * mapping passes through on its way down the search (for checking bounds). */
#include "mapper/partial.h"

#include <string.h>

#include "mapper/order.h"

/* What is left after a factor: an imperfect one leaves the iterations it
 * needs (the last clipped, docs/model.md); a divisor leaves the quotient. */
static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return a / b + (a % b != 0);
}

bool partial_has_fanout(const mapspace *ms, int l)
{
    const ms_level *lv = &ms->lv[l];
    return (uint64_t)lv->fanout_x * lv->fanout_y > 1 && (lv->x_dims | lv->y_dims);
}

void partial_after_spatial(const mapspace *ms, partial *s, int l)
{
    if (!ms->spatial_first) {
        s->level = l < ms->nlevels ? l : ms->nlevels - 1;
        s->phase = PHASE_KEEP;
        return;
    }
    for (int k = l - 1; k >= 0; k--)
        if (partial_has_fanout(ms, k)) {
            s->level = k;
            s->phase = PHASE_SPATIAL;
            return;
        }
    s->level = ms->nlevels - 1;
    s->phase = PHASE_KEEP;
}

void partial_enter_level(const mapspace *ms, partial *s, int l)
{
    s->level = l;
    s->phase =
        !ms->spatial_first && l >= 0 && partial_has_fanout(ms, l) ? PHASE_SPATIAL : PHASE_KEEP;
}

void partial_root(const mapspace *ms, partial *s)
{
    memset(s, 0, sizeof *s);
    petal_mapping_init(&s->m, ms->p, ms->a);
    for (int l = 0; l < ms->nlevels; l++)
        s->m.levels[l].keep = 0;
    for (int d = 0; d < ms->ndims; d++)
        s->rem[d] = ms->p->bounds[d];
    if (ms->spatial_first)
        partial_after_spatial(ms, s, ms->nlevels);
    else
        partial_enter_level(ms, s, ms->nlevels - 1);
}

/* The loops of a level with a factor above 1, innermost first. */
static int level_loops(const mapspace *ms, const petal_level_mapping *lm, uint8_t *seq)
{
    int n = 0;
    for (int k = 0; k < ms->ndims; k++)
        if (lm->temporal[lm->perm[k]] > 1)
            seq[n++] = lm->perm[k];
    return n;
}

void partial_advance_states(const mapspace *ms, partial *s, const petal_level_mapping *lm)
{
    uint8_t seq[PETAL_MAX_DIMS];
    int n = level_loops(ms, lm, seq);
    for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
        uint8_t next = 0;
        for (uint8_t st = ORDER_UNBROKEN; st <= ORDER_BROKEN_SLIDING; st <<= 1)
            if (s->states[ds] & st)
                next |= order_next_state(ms, ds, st, seq, n);
        if (lm->keep & (1u << ds))
            next |= ORDER_UNBROKEN;
        s->states[ds] = next;
    }
}

int partial_steps(const mapspace *ms)
{
    int n = 3 * ms->nlevels;
    for (int l = 0; l < ms->nlevels; l++)
        n += partial_has_fanout(ms, l);
    return n;
}

void partial_from_mapping(const mapspace *ms, const petal_mapping *m, int step, partial *s)
{
    partial_root(ms, s);
    for (int k = 0; k < step && s->level >= 0; k++) {
        int l = s->level;
        const petal_level_mapping *src = &m->levels[l];
        petal_level_mapping *dst = &s->m.levels[l];
        switch (s->phase) {
        case PHASE_SPATIAL:
            for (int d = 0; d < ms->ndims; d++) {
                dst->spatial_x[d] = src->spatial_x[d];
                dst->spatial_y[d] = src->spatial_y[d];
                s->rem[d] = ceil_div(s->rem[d], src->spatial_x[d] * src->spatial_y[d]);
            }
            s->spatial_done |= 1u << l;
            partial_after_spatial(ms, s, l);
            break;
        case PHASE_KEEP:
            dst->keep = src->keep;
            s->phase = PHASE_TEMPORAL;
            break;
        case PHASE_TEMPORAL:
            for (int d = 0; d < ms->ndims; d++) {
                dst->temporal[d] = src->temporal[d];
                s->rem[d] = ceil_div(s->rem[d], src->temporal[d]);
            }
            s->phase = PHASE_ORDER;
            break;
        case PHASE_ORDER:
            memcpy(dst->perm, src->perm, sizeof dst->perm);
            partial_advance_states(ms, s, dst);
            partial_enter_level(ms, s, l - 1);
            break;
        }
    }
}
