/* reuse.c - closed-form counting of what enters each tile of a loop nest.
 *
 * Everything here is arithmetic on loop factors: a tile is the bounding box of
 * the operations below a level, and a loop step moves it by a fixed
 * translation, so the words entering a tile over a run, the groups of spatial
 * children that share a tile and the partition sizes all follow from products
 * and sums over the loops. No function iterates over loop indices, and none
 * allocates except the exact counts of spatial groups that a stack bitset
 * cannot hold (offsets spread over more than 65536 words, or a dimension that
 * moves two ranks of a data space), which enumerate the children of one
 * fan-out; reuse_spatial_groups returns 0 when that allocation fails.
 * docs/model.md states the rules in words; the reference simulator (src/sim)
 * checks them by brute force.
 */
#include "model/reuse.h"

#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

bool reuse_nest_init(reuse_nest *n, const petal_problem *p, const petal_mapping *m)
{
    int nd = p->ndims, nl = m->nlevels;
    if (nd == 0 || nd > PETAL_MAX_DIMS || nl == 0 || nl > PETAL_MAX_LEVELS)
        return false;
    n->ndims = nd;
    n->nlevels = nl;
    n->m = m;
    for (int d = 0; d < nd; d++)
        n->ext[nl][d] = 1;
    bool overflow = false;
    for (int i = nl - 1; i >= 0; i--) {
        const petal_level_mapping *lm = &m->levels[i];
        uint64_t fan = 1, ux = 1, uy = 1;
        int k = 0;
        for (int d = 0; d < nd; d++) {
            uint64_t sx = lm->spatial_x[d], sy = lm->spatial_y[d], sxy, e;
            /* X loops sit inside Y loops: the Y index advances by the X extent. */
            if (sx > 1)
                n->spatial_loops[i][k++] = (reuse_spatial_loop){(uint8_t)d, sx, n->ext[i + 1][d]};
            if (sy > 1)
                n->spatial_loops[i][k++] =
                    (reuse_spatial_loop){(uint8_t)d, sy, n->ext[i + 1][d] * sx};
            overflow |= __builtin_mul_overflow(sx, sy, &sxy);
            n->spatial[i][d] = sxy;
            ux *= sx;
            uy *= sy;
            overflow |= __builtin_mul_overflow(n->ext[i + 1][d], sxy, &e) |
                        __builtin_mul_overflow(e, lm->temporal[d], &n->ext[i][d]);
        }
        n->nspatial[i] = (uint8_t)k;
        n->used_x[i] = ux;
        n->used_y[i] = uy;
        fan = ux * uy;
        n->fanout[i] = fan;
    }
    n->overflow = overflow;
    /* Temporal loops outermost first: level by level, each level's order
     * reversed (perm lists the innermost loop first). */
    n->instances[0] = 1;
    n->steps_above[0] = 1;
    int nloops = 0;
    uint64_t outside = 1;
    for (int i = 0; i < nl; i++) {
        const petal_level_mapping *lm = &m->levels[i];
        n->loops_above[i] = nloops;
        for (int k = nd - 1; k >= 0; k--) {
            int d = lm->perm[k];
            if (d >= nd)
                continue; /* a malformed order: the mapping check reports it */
            uint64_t f = lm->temporal[d];
            if (f <= 1)
                continue;
            n->loops[nloops++] = (reuse_loop){
                (uint8_t)i, (uint8_t)d, f, n->spatial[i][d] * n->ext[i + 1][d], (f - 1) * outside};
            outside *= f;
        }
        n->instances[i + 1] = n->instances[i] * n->fanout[i];
        n->steps_above[i + 1] = outside;
    }
    n->loops_above[nl] = nloops;
    n->nloops = nloops;
    n->iterations = outside;
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        const petal_dataspace *ds = &p->ds[s];
        if (ds->nranks > PETAL_MAX_RANKS)
            return false;
        n->nranks[s] = ds->nranks;
        n->coupled[s] = false;
        for (int d = 0; d < nd; d++)
            n->dim_nranks[s][d] = 0;
        for (int r = 0; r < ds->nranks; r++) {
            const petal_rank *rank = &ds->ranks[r];
            if (rank->nterms == 0 || rank->nterms > PETAL_MAX_TERMS)
                return false;
            int k = 0;
            for (int t = 0; t < rank->nterms; t++) {
                int d = rank->terms[t].dim, u = 0;
                if (d >= nd || rank->terms[t].coef < 1)
                    return false;
                while (u < k && n->rank_dim[s][r][u] != d)
                    u++;
                if (u == k) {
                    n->rank_dim[s][r][k] = (uint8_t)d;
                    n->rank_coef[s][r][k++] = 0;
                }
                n->rank_coef[s][r][u] += rank->terms[t].coef;
            }
            n->rank_nterms[s][r] = (uint8_t)k;
            for (int u = 0; u < k; u++) {
                int d = n->rank_dim[s][r][u], a = n->dim_nranks[s][d]++;
                n->dim_rank[s][d][a] = (uint8_t)r;
                n->dim_coef[s][d][a] = n->rank_coef[s][r][u];
                n->coupled[s] |= a > 0;
            }
        }
        for (int i = 0; i < nl; i++)
            n->tile[s][i] = reuse_tile_words(n, s, n->ext[i], n->tile_ext[s][i]);
    }
    for (int d = 0; d < nd; d++)
        if (p->bounds[d] == 0)
            return false;
    return true;
}

uint64_t reuse_tile_words(const reuse_nest *n, int s, const uint64_t *ext, uint64_t *rank_ext)
{
    uint64_t words = 1;
    for (int r = 0; r < n->nranks[s]; r++) {
        uint64_t e = 1;
        for (int t = 0; t < n->rank_nterms[s][r]; t++)
            e += (uint64_t)n->rank_coef[s][r][t] * (ext[n->rank_dim[s][r][t]] - 1);
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
 * The test Ti == t1 is kept as g = t1 + sum (nj - 1) tj == ti, with a count
 * of the ranks where g is not zero (a loop leaves the other ranks unmoved).
 */
bool reuse_words_entering(const reuse_nest *n, int s, int c, uint64_t *out)
{
    int nr = n->nranks[s];
    const uint64_t *e = n->tile_ext[s][c];
    uint64_t tile = n->tile[s][c];
    uint64_t words;
    if (__builtin_mul_overflow(tile, n->steps_above[c], &words))
        return false;
    int k = n->loops_above[c];
    if (k == 0) {
        *out = words;
        return true;
    }
    const reuse_loop *l1 = &n->loops[k - 1];
    int64_t g[PETAL_MAX_RANKS] = {0}, first[PETAL_MAX_RANKS] = {0};
    int moved = 0;     /* ranks with g != 0 */
    bool wide = false; /* a translation beyond int64_t: a rank of 2^62 words or more */
    for (int a = 0; a < n->dim_nranks[s][l1->dim]; a++) {
        int r = n->dim_rank[s][l1->dim][a];
        wide |= __builtin_mul_overflow(n->dim_coef[s][l1->dim][a], (int64_t)l1->stride, &first[r]) |
                __builtin_mul_overflow(first[r], (int64_t)l1->count, &g[r]);
        moved += g[r] != 0;
    }
    uint64_t sliding = l1->advances;
    for (int i = k - 2; i >= 0; i--) {
        const reuse_loop *l = &n->loops[i];
        int nd_r = n->dim_nranks[s][l->dim];
        const uint8_t *ranks = n->dim_rank[s][l->dim];
        const int64_t *coef = n->dim_coef[s][l->dim];
        int matched = 0, moved_here = 0;
        int64_t t[PETAL_MAX_RANKS];
        for (int a = 0; a < nd_r; a++) {
            int r = ranks[a];
            wide |= __builtin_mul_overflow(coef[a], (int64_t)l->stride, &t[a]);
            matched += t[a] == g[r];
            moved_here += g[r] != 0;
        }
        if (matched == nd_r && moved == moved_here)
            sliding += l->advances;
        for (int a = 0; a < nd_r; a++) {
            int r = ranks[a];
            int64_t step;
            moved -= g[r] != 0;
            wide |= __builtin_mul_overflow((int64_t)(l->count - 1), t[a], &step) |
                    __builtin_add_overflow(g[r], step, &g[r]);
            moved += g[r] != 0;
        }
        /* g only grows. Uncoupled, a loop moves one rank, so once two ranks
         * have moved no outer loop can continue the slide. */
        if (moved > 1 && !n->coupled[s])
            break;
    }
    if (wide)
        return false;
    *out = words - overlap(e, first, nr) * sliding;
    return true;
}

/* --- spatial groups --- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Distinct values of sum step[k] * i[k], 0 <= i[k] < count[k]; 0 when the
 * memory to count them exactly cannot be had. */
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
    uint64_t *v = calloc(product, sizeof *v);
    if (!v)
        return 0;
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
 * spatially unrolled dimension feeds several ranks; 0 when the memory for
 * them cannot be had. */
static uint64_t distinct_vectors(const reuse_nest *n, int s, const reuse_spatial_loop *loops, int k)
{
    uint64_t children = 1;
    for (int a = 0; a < k; a++)
        children *= loops[a].count;
    uint64_t(*v)[PETAL_MAX_RANKS] = calloc(children, sizeof *v);
    if (!v)
        return 0;
    for (uint64_t idx = 0; idx < children; idx++) {
        uint64_t rest = idx;
        for (int a = 0; a < k; a++) {
            uint64_t i = rest % loops[a].count;
            rest /= loops[a].count;
            int d = loops[a].dim;
            for (int u = 0; u < n->dim_nranks[s][d]; u++)
                v[idx][n->dim_rank[s][d][u]] +=
                    (uint64_t)n->dim_coef[s][d][u] * loops[a].stride * i;
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
    const reuse_spatial_loop *loops = n->spatial_loops[i];
    int k = n->nspatial[i];
    int nr = n->nranks[s];
    /* A dimension that moves two ranks at once couples them; count vectors. */
    if (n->coupled[s])
        for (int a = 0; a < k; a++)
            if (n->dim_nranks[s][loops[a].dim] > 1)
                return distinct_vectors(n, s, loops, k);
    /* Uncoupled: each rank's offsets come from its own loops, so the groups
     * are the product over ranks of the distinct offsets of each rank. */
    uint64_t step[PETAL_MAX_RANKS][2 * PETAL_MAX_DIMS], count[PETAL_MAX_RANKS][2 * PETAL_MAX_DIMS];
    int m[PETAL_MAX_RANKS] = {0};
    for (int a = 0; a < k; a++) {
        int d = loops[a].dim;
        if (n->dim_nranks[s][d] == 0)
            continue;
        int r = n->dim_rank[s][d][0];
        step[r][m[r]] = (uint64_t)n->dim_coef[s][d][0] * loops[a].stride;
        count[r][m[r]++] = loops[a].count;
    }
    uint64_t groups = 1;
    for (int r = 0; r < nr; r++)
        groups *= distinct_sums(step[r], count[r], m[r]); /* 0 stays 0 */
    return groups;
}

void reuse_partitions(const reuse_nest *n, int s, const uint64_t *tile, uint64_t *partition)
{
    partition[0] = tile[0];
    for (int i = 1; i < n->nlevels; i++) {
        if (n->fanout[i - 1] == 1) {
            partition[i] = partition[i - 1]; /* the parent spans exactly this tile */
            continue;
        }
        uint64_t e[PETAL_MAX_DIMS];
        for (int d = 0; d < n->ndims; d++)
            e[d] = n->spatial[i - 1][d] * n->ext[i][d];
        uint64_t spanned = reuse_tile_words(n, s, e, NULL), product;
        if (!__builtin_mul_overflow(partition[i - 1], tile[i], &product))
            partition[i] = product / spanned;
        else
            partition[i] = (uint64_t)((u128)partition[i - 1] * tile[i] / spanned);
    }
}
