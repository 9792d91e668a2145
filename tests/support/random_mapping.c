/* random_mapping.c - drawing random mappings, for the model-against-simulator
 * property test (tests/unit/test_model_vs_sim.c) and the model benchmark
 * (bench/bench_model.c). Included by the programs that need it.
 *
 * Both draw the same way: a xorshift64 generator with the state in the
 * caller's hands (a fixed seed gives the same draws on every run), every bound
 * split into its prime factors, smallest first, each factor placed in a loop
 * by the caller's rule, then per level, outermost first, a shuffle of the loop
 * order and, at the levels the caller names, a random choice of the data
 * spaces kept among those the level may keep. The placement rule is the
 * caller's, since it sets what the draws cover.
 *
 * rnd_bandwidths gives an architecture's levels random finite read and write
 * bandwidths (or leaves them unlimited), so that draws reach the cycles a
 * level's bandwidth needs beyond the compute cycles. */
#include <stdint.h>

#include "petal/arch.h"
#include "petal/mapping.h"
#include "petal/problem.h"

static uint64_t rnd_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Uniform enough in [lo, hi] for tests. */
static uint64_t rnd_pick(uint64_t *s, uint64_t lo, uint64_t hi)
{
    return lo + rnd_next(s) % (hi - lo + 1);
}

/* Multiply the prime factor f of dimension d into some loop of *m. */
typedef void rnd_place_fn(uint64_t *s, const petal_arch *a, int d, uint64_t f, petal_mapping *m,
                          void *rule);

/* A random mapping of p onto a: factors placed by place(rule), loop orders
 * shuffled, and the levels in the mask keep_levels (bit l for level l) given
 * a random subset of what they may keep; the others keep what
 * petal_mapping_init gives them. */
static void rnd_mapping(uint64_t *s, const petal_problem *p, const petal_arch *a,
                        rnd_place_fn *place, void *rule, uint32_t keep_levels, petal_mapping *m)
{
    petal_mapping_init(m, p, a);
    for (int d = 0; d < p->ndims; d++) {
        uint64_t b = p->bounds[d];
        for (uint64_t f = 2; b > 1;) {
            if (b % f) {
                f++;
                continue;
            }
            b /= f;
            place(s, a, d, f, m, rule);
        }
    }
    for (int l = 0; l < a->nlevels; l++) {
        petal_level_mapping *lm = &m->levels[l];
        for (int k = p->ndims - 1; k > 0; k--) {
            int j = (int)rnd_pick(s, 0, (uint64_t)k);
            uint8_t t = lm->perm[k];
            lm->perm[k] = lm->perm[j];
            lm->perm[j] = t;
        }
        if (keep_levels & (1u << l))
            lm->keep = (uint8_t)(a->levels[l].may_keep & rnd_pick(s, 0, 7));
    }
}

/* Each level's read and write bandwidth, drawn independently: unlimited (0)
 * half the time, otherwise from 0.1 to 4 words per cycle: some exact in
 * binary, some decimals that are not (0.7 x 90 is a hair under 63), where a
 * cycle count is easily off by one. */
static inline void rnd_bandwidths(uint64_t *s, petal_arch *a)
{
    static const double bw[] = {0.1, 0.3, 0.7, 1.1, 2.2, 0.25, 0.5, 1, 1.5, 2, 3, 4};
    enum { NBW = sizeof bw / sizeof bw[0] };
    for (int l = 0; l < a->nlevels; l++) {
        petal_level *lv = &a->levels[l];
        lv->read_bw = rnd_pick(s, 0, 1) ? bw[rnd_pick(s, 0, NBW - 1)] : 0;
        lv->write_bw = rnd_pick(s, 0, 1) ? bw[rnd_pick(s, 0, NBW - 1)] : 0;
    }
}
