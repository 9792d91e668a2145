/* reuse.c - closed-form counting of what enters each tile of a loop nest.
 *
 * Everything here is arithmetic on loop factors: a tile is the bounding box of
 * the operations below a level, and a loop step moves it by a fixed
 * translation, so the words entering a tile over a run, the groups of spatial
 * children that share a tile and the partition sizes all follow from products
 * and sums over the loops. No function iterates over loop indices, and none
 * allocates except the exact fallback for spatial offset sets too large for a
 * stack bitset, which real layers never reach. docs/model.md states the rules
 * in words; the reference simulator (src/sim) checks them by brute force.
 */
#include "model/reuse.h"

#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

void reuse_nest_init(reuse_nest *n, const petal_problem *p, const petal_mapping *m)
{
    int nd = p->ndims, nl = m->nlevels;
    n->ndims = nd;
    n->nlevels = nl;
    n->m = m;
    for (int d = 0; d < nd; d++)
        n->ext[nl][d] = 1;
    n->instances[0] = 1;
    n->steps_above[0] = 1;
    for (int i = 0; i < nl; i++) {
        const petal_level_mapping *lm = &m->levels[i];
        uint64_t fan = 1, steps = 1;
        for (int d = 0; d < nd; d++) {
            n->spatial[i][d] = lm->spatial_x[d] * lm->spatial_y[d];
            fan *= n->spatial[i][d];
            steps *= lm->temporal[d];
        }
        n->fanout[i] = fan;
        n->instances[i + 1] = n->instances[i] * fan;
        n->steps_above[i + 1] = n->steps_above[i] * steps;
    }
    n->iterations = n->steps_above[nl];
    for (int i = nl - 1; i >= 0; i--)
        for (int d = 0; d < nd; d++)
            n->ext[i][d] = n->ext[i + 1][d] * n->spatial[i][d] * m->levels[i].temporal[d];
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        const petal_dataspace *ds = &p->ds[s];
        n->nranks[s] = ds->nranks;
        for (int r = 0; r < ds->nranks; r++) {
            for (int d = 0; d < nd; d++)
                n->coef[s][r][d] = 0;
            for (int t = 0; t < ds->ranks[r].nterms; t++)
                n->coef[s][r][ds->ranks[r].terms[t].dim] += ds->ranks[r].terms[t].coef;
        }
    }
}

uint64_t reuse_tile_words(const reuse_nest *n, int s, const uint64_t *ext, uint64_t *rank_ext)
{
    uint64_t words = 1;
    for (int r = 0; r < n->nranks[s]; r++) {
        uint64_t e = 1;
        for (int d = 0; d < n->ndims; d++)
            e += (uint64_t)n->coef[s][r][d] * (ext[d] - 1);
        if (rank_ext)
            rank_ext[r] = e;
        words *= e;
    }
    return words;
}

/* Words a tile with rank extents `e` shares with itself moved by `v`. */
static uint64_t overlap(const uint64_t *e, const int64_t *v, int nranks)
{
    uint64_t words = 1;
    for (int r = 0; r < nranks; r++) {
        uint64_t shift = (uint64_t)(v[r] < 0 ? -v[r] : v[r]);
        if (shift >= e[r])
            return 0;
        words *= e[r] - shift;
    }
    return words;
}

/*
 * The loops above level c, innermost first, are l1, l2, ... with trip counts
 * n1, n2, ... and tile translations t1, t2, ... per step. A step of loop li
 * (all loops inside it wrapping to 0) moves the tile by
 *     Ti = ti - sum over j < i of (nj - 1) tj,
 * and happens (ni - 1) * (n(i+1) * n(i+2) * ...) times. The innermost loop's
 * steps always slide by t1; a step of an outer loop keeps the words already
 * held only when Ti equals t1 (the slide continues), otherwise the whole tile
 * is fetched again. So, with X the tile and S the number of steps in all,
 *     entering = X * (S + 1) - overlap(t1) * (steps that slide by t1).
 */
bool reuse_words_entering(const reuse_nest *n, int s, int c, uint64_t *out)
{
    int nr = n->nranks[s];
    uint64_t e[PETAL_MAX_RANKS];
    uint64_t tile = reuse_tile_words(n, s, n->ext[c], e);
    uint64_t total = n->steps_above[c];
    int64_t first[PETAL_MAX_RANKS], wrap[PETAL_MAX_RANKS] = {0};
    bool have_first = false;
    uint64_t first_overlap = 0, prefix = 1;
    u128 sliding = 0;
    for (int a = c - 1; a >= 0; a--) {
        const petal_level_mapping *lm = &n->m->levels[a];
        for (int k = 0; k < n->ndims; k++) {
            int d = lm->perm[k];
            uint64_t f = lm->temporal[d];
            if (f <= 1)
                continue;
            int64_t stride = (int64_t)(n->spatial[a][d] * n->ext[a + 1][d]);
            prefix *= f;
            uint64_t steps = (f - 1) * (total / prefix);
            bool slides = true;
            for (int r = 0; r < nr; r++) {
                int64_t t = n->coef[s][r][d] * stride;
                if (!have_first)
                    first[r] = t;
                else if (t - wrap[r] != first[r])
                    slides = false;
                wrap[r] += (int64_t)(f - 1) * t;
            }
            if (!have_first) {
                have_first = true;
                first_overlap = overlap(e, first, nr);
            }
            if (slides)
                sliding += steps;
        }
    }
    u128 words = (u128)tile * total - (u128)first_overlap * sliding;
    if (words > UINT64_MAX)
        return false;
    *out = (uint64_t)words;
    return true;
}

/* --- spatial groups --- */

/* One spatial loop of a level: how far it moves each rank per step, and its trip count. */
typedef struct spatial_loop {
    int dim;
    uint64_t count;
    uint64_t stride; /* in its dimension */
} spatial_loop;

static int level_spatial_loops(const reuse_nest *n, int i, spatial_loop *loops)
{
    const petal_level_mapping *lm = &n->m->levels[i];
    int k = 0;
    for (int d = 0; d < n->ndims; d++) {
        /* X loops sit inside Y loops: the Y index advances by the X extent. */
        if (lm->spatial_x[d] > 1)
            loops[k++] = (spatial_loop){d, lm->spatial_x[d], n->ext[i + 1][d]};
        if (lm->spatial_y[d] > 1)
            loops[k++] = (spatial_loop){d, lm->spatial_y[d], n->ext[i + 1][d] * lm->spatial_x[d]};
    }
    return k;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Distinct values of sum step[k] * i[k], 0 <= i[k] < count[k]. */
static uint64_t distinct_sums(uint64_t *step, uint64_t *count, int k)
{
    if (k == 0)
        return 1;
    if (k == 1)
        return count[0];
    /* Sorted by step, a loop whose step exceeds everything the loops before it
     * reach cannot collide with them: the counts simply multiply. */
    for (int a = 1; a < k; a++)
        for (int b = a; b > 0 && step[b] < step[b - 1]; b--) {
            uint64_t t = step[b];
            step[b] = step[b - 1];
            step[b - 1] = t;
            t = count[b];
            count[b] = count[b - 1];
            count[b - 1] = t;
        }
    uint64_t reach = 0, product = 1;
    bool separable = true;
    for (int a = 0; a < k; a++) {
        if (a > 0 && step[a] <= reach)
            separable = false;
        reach += step[a] * (count[a] - 1);
        product *= count[a];
    }
    if (separable)
        return product;
    enum { BITS = 65536, WORDS = BITS / 64 };
    if (reach < BITS) {
        uint64_t cur[WORDS], next[WORDS];
        size_t words = reach / 64 + 1;
        memset(cur, 0, words * sizeof cur[0]);
        cur[0] = 1;
        uint64_t top = 0; /* highest value reached so far */
        for (int a = 0; a < k; a++) {
            memset(next, 0, words * sizeof next[0]);
            size_t used = top / 64 + 1;
            for (uint64_t t = 0; t < count[a]; t++) {
                uint64_t shift = step[a] * t;
                size_t ws = shift / 64;
                unsigned bs = shift % 64;
                for (size_t w = 0; w < used && w + ws < words; w++) {
                    next[w + ws] |= cur[w] << bs;
                    if (bs && w + ws + 1 < words)
                        next[w + ws + 1] |= cur[w] >> (64 - bs);
                }
            }
            top += step[a] * (count[a] - 1);
            memcpy(cur, next, words * sizeof cur[0]);
        }
        uint64_t distinct = 0;
        for (size_t w = 0; w < words; w++)
            distinct += (uint64_t)__builtin_popcountll(cur[w]);
        return distinct;
    }
    /* Exact but allocating; only for offsets spread over more than 65536 words. */
    uint64_t *v = malloc(product * sizeof *v);
    if (!v)
        return product;
    for (uint64_t idx = 0; idx < product; idx++) {
        uint64_t rest = idx, sum = 0;
        for (int a = 0; a < k; a++) {
            sum += step[a] * (rest % count[a]);
            rest /= count[a];
        }
        v[idx] = sum;
    }
    qsort(v, product, sizeof *v, cmp_u64);
    uint64_t distinct = 0;
    for (uint64_t idx = 0; idx < product; idx++)
        distinct += idx == 0 || v[idx] != v[idx - 1];
    free(v);
    return distinct;
}

static int cmp_vec(const void *a, const void *b)
{
    return memcmp(a, b, PETAL_MAX_RANKS * sizeof(uint64_t));
}

/* Distinct offset vectors by enumeration, for data spaces in which one
 * spatially unrolled dimension feeds several ranks. */
static uint64_t distinct_vectors(const reuse_nest *n, int s, const spatial_loop *loops, int k)
{
    uint64_t children = 1;
    for (int a = 0; a < k; a++)
        children *= loops[a].count;
    uint64_t(*v)[PETAL_MAX_RANKS] = calloc(children, sizeof *v);
    if (!v)
        return children;
    for (uint64_t idx = 0; idx < children; idx++) {
        uint64_t rest = idx;
        for (int a = 0; a < k; a++) {
            uint64_t i = rest % loops[a].count;
            rest /= loops[a].count;
            for (int r = 0; r < n->nranks[s]; r++)
                v[idx][r] += (uint64_t)n->coef[s][r][loops[a].dim] * loops[a].stride * i;
        }
    }
    qsort(v, children, sizeof *v, cmp_vec);
    uint64_t distinct = 0;
    for (uint64_t idx = 0; idx < children; idx++)
        distinct += idx == 0 || cmp_vec(v[idx], v[idx - 1]) != 0;
    free(v);
    return distinct;
}

uint64_t reuse_spatial_groups(const reuse_nest *n, int s, int i)
{
    if (n->fanout[i] <= 1)
        return 1;
    spatial_loop loops[2 * PETAL_MAX_DIMS];
    int k = level_spatial_loops(n, i, loops);
    int nr = n->nranks[s];
    /* A dimension that moves two ranks at once couples them; count vectors. */
    for (int a = 0; a < k; a++) {
        int ranks = 0;
        for (int r = 0; r < nr; r++)
            ranks += n->coef[s][r][loops[a].dim] != 0;
        if (ranks > 1)
            return distinct_vectors(n, s, loops, k);
    }
    uint64_t groups = 1;
    for (int r = 0; r < nr; r++) {
        uint64_t step[2 * PETAL_MAX_DIMS], count[2 * PETAL_MAX_DIMS];
        int m = 0;
        for (int a = 0; a < k; a++) {
            int64_t c = n->coef[s][r][loops[a].dim];
            if (c == 0)
                continue;
            step[m] = (uint64_t)c * loops[a].stride;
            count[m] = loops[a].count;
            m++;
        }
        groups *= distinct_sums(step, count, m);
    }
    return groups;
}

void reuse_partitions(const reuse_nest *n, int s, const uint64_t *tile, uint64_t *partition)
{
    partition[0] = tile[0];
    for (int i = 1; i < n->nlevels; i++) {
        uint64_t spanned = tile[i];
        if (n->fanout[i - 1] > 1) {
            uint64_t e[PETAL_MAX_DIMS];
            for (int d = 0; d < n->ndims; d++)
                e[d] = n->spatial[i - 1][d] * n->ext[i][d];
            spanned = reuse_tile_words(n, s, e, NULL);
        }
        partition[i] = (uint64_t)((u128)partition[i - 1] * tile[i] / spanned);
    }
}
