/* split.c - an imperfect outermost loop as two perfect nests.
 *
 * When the only imperfect loop L (dimension d, factor f, tiles of t) is the
 * outermost loop of the whole nest, the run is L's first f - 1 iterations, a
 * perfect nest over (f - 1) t of d, then its last, a perfect nest over the
 * residual r once r is a whole number q of the tiles of the next loop of d.
 * The model counts each part by its closed forms and joins them here: the
 * step of L between them moves every tile from where the first part left it
 * to where the second starts, and slides or reloads by the rule every step
 * follows; the second part's first move then slides or reloads as that
 * leaves it. docs/model.md, "Imperfect factors", says it in words; the
 * simulator runs the clipped grid itself and the property test holds the two
 * equal.
 */
#include "model/split.h"

#include <stdio.h>
#include <string.h>

/* Where d's next factor above 1 after level 0's temporal one sits, in nest
 * order (level by level; temporal, Y, X). */
static uint64_t *next_factor(petal_mapping *m, int d)
{
    for (int l = 0; l < m->nlevels; l++) {
        petal_level_mapping *lm = &m->levels[l];
        uint64_t *f[3] = {&lm->temporal[d], &lm->spatial_y[d], &lm->spatial_x[d]};
        for (int k = l == 0 ? 1 : 0; k < 3; k++)
            if (*f[k] > 1)
                return f[k];
    }
    return NULL;
}

static bool indexes(const petal_problem *p, int s, int d, bool *alone)
{
    bool found = false;
    *alone = true;
    for (int r = 0; r < p->ds[s].nranks; r++)
        for (int k = 0; k < p->ds[s].ranks[r].nterms; k++)
            if (p->ds[s].ranks[r].terms[k].dim == d) {
                found = true;
                *alone &= p->ds[s].ranks[r].nterms == 1;
            }
    return found;
}

bool split_plan(const petal_problem *p, const petal_arch *a, const petal_mapping *m, int d,
                uint64_t f, uint64_t t, model_split *sp, char *why, size_t len)
{
    const char *dim = p->dim_names[d];
    const petal_level_mapping *top = &m->levels[0];
    const char *not_yet = "; the model counts an imperfect factor only on the outermost loop of "
                          "the nest (not yet: docs/model.md, \"Imperfect factors\")";
    if (top->temporal[d] != f) {
        snprintf(why, len, "dimension %s: its imperfect loop is below level %s%s", dim,
                 a->levels[0].name, not_yet);
        return false;
    }
    int k = 0;
    while (k < p->ndims && top->perm[k] != d)
        k++;
    for (int o = k + 1; o < p->ndims; o++)
        if (top->temporal[top->perm[o]] > 1) {
            snprintf(why, len,
                     "dimension %s: its imperfect loop at level %s has the loop of %s "
                     "outside it%s",
                     dim, a->levels[0].name, p->dim_names[top->perm[o]], not_yet);
            return false;
        }
    uint64_t r = p->bounds[d] - (f - 1) * t;
    memcpy(&sp->mb, m, sizeof *m);
    uint64_t *next = next_factor(&sp->mb, d); /* t > 1 (r < t), so there is one */
    uint64_t tile = next ? t / *next : 1;
    if (!next || r % tile) {
        snprintf(why, len,
                 "dimension %s: the last iteration of its loop at level %s covers %llu, "
                 "not a whole number of the next loop's tiles of %llu%s",
                 dim, a->levels[0].name, (unsigned long long)r, (unsigned long long)tile, not_yet);
        return false;
    }
    bool alone, outputs = indexes(p, PETAL_DS_OUTPUTS, d, &alone);
    /* A spatial next loop leaves the instances past q idle in the last
     * iteration: their partial sums leave while those of instances sharing
     * their outputs stay, unless d indexes Outputs. */
    bool spatial = true;
    for (int l = 0; l < m->nlevels; l++)
        spatial &= next != &sp->mb.levels[l].temporal[d];
    if (spatial && !outputs) {
        {
            snprintf(why, len,
                     "dimension %s: the last iteration of its loop at level %s leaves "
                     "spatial instances idle while %s, which %s does not index, stays in the "
                     "others%s",
                     dim, a->levels[0].name, p->ds[PETAL_DS_OUTPUTS].name, dim, not_yet);
            return false;
        }
    }
    if (outputs && !alone) {
        snprintf(why, len, "dimension %s: it shares a rank of %s with another dimension%s", dim,
                 p->ds[PETAL_DS_OUTPUTS].name, not_yet);
        return false;
    }
    for (int l = 0; l < a->nlevels; l++)
        if (a->levels[l].cluster_size > 1) {
            snprintf(why, len,
                     "level %s shares accesses among clusters of %u instances, which "
                     "imperfect factors would leave unevenly used (not yet: docs/model.md, "
                     "\"Imperfect factors\")",
                     a->levels[l].name, a->levels[l].cluster_size);
            return false;
        }
    *next = r / tile;
    sp->mb.levels[0].temporal[d] = 1;
    memcpy(&sp->ma, m, sizeof *m);
    sp->ma.levels[0].temporal[d] = f - 1;
    sp->pa = *p;
    sp->pa.bounds[d] = (f - 1) * t;
    sp->pb = *p;
    sp->pb.bounds[d] = r;
    sp->dim = d;
    sp->outer = f;
    sp->inner = t;
    for (int s = 0; s < PETAL_NUM_DS; s++)
        sp->shared[s] = !indexes(p, s, d, &alone);
    return true;
}

/* Low corner, rank by rank, of the box of data space s whose operations start
 * at per-dimension offsets `off`. */
static void corner(const reuse_nest *n, int s, const uint64_t *off, int64_t *lo)
{
    for (int r = 0; r < n->nranks[s] && r < PETAL_MAX_RANKS; r++) {
        lo[r] = 0;
        for (int k = 0; k < n->rank_nterms[s][r]; k++)
            lo[r] += n->rank_coef[s][r][k] * (int64_t)off[n->rank_dim[s][r][k]];
    }
}

/* The translation, rank by rank, of one step of loop l. */
static void step_of(const reuse_nest *n, int s, const reuse_loop *l, int64_t *v)
{
    for (int r = 0; r < n->nranks[s] && r < PETAL_MAX_RANKS; r++) {
        v[r] = 0;
        for (int k = 0; k < n->rank_nterms[s][r]; k++)
            if (n->rank_dim[s][r][k] == l->dim)
                v[r] += n->rank_coef[s][r][k] * (int64_t)l->stride;
    }
}

/* Words two boxes share. */
static uint64_t shared_words(int nr, const int64_t *lo1, const uint64_t *e1, const int64_t *lo2,
                             const uint64_t *e2)
{
    uint64_t words = 1;
    for (int r = 0; r < nr; r++) {
        int64_t lo = lo1[r] > lo2[r] ? lo1[r] : lo2[r];
        int64_t hi1 = lo1[r] + (int64_t)e1[r], hi2 = lo2[r] + (int64_t)e2[r];
        int64_t hi = hi1 < hi2 ? hi1 : hi2;
        if (hi <= lo)
            return 0;
        words *= (uint64_t)(hi - lo);
    }
    return words;
}

bool split_correction(const model_split *sp, const reuse_nest *na, const reuse_nest *nb, int s,
                      int c, int64_t *corr)
{
    int nr = na->nranks[s];
    const uint64_t *ea = na->tile_ext[s][c], *eb = nb->tile_ext[s][c];
    /* The first part's last tile: every loop above c at its last iteration.
     * The second part's first: L at its last, every other loop at 0. */
    uint64_t off_a[PETAL_MAX_DIMS] = {0}, off_b[PETAL_MAX_DIMS] = {0};
    int ka = na->loops_above[c], kb = nb->loops_above[c];
    for (int k = 0; k < ka; k++)
        off_a[na->loops[k].dim] += (na->loops[k].count - 1) * na->loops[k].stride;
    off_b[sp->dim] = (sp->outer - 1) * sp->inner;
    int64_t lo_a[PETAL_MAX_RANKS] = {0}, lo_b[PETAL_MAX_RANKS] = {0}, move[PETAL_MAX_RANKS] = {0};
    corner(na, s, off_a, lo_a);
    corner(na, s, off_b, lo_b);
    for (int r = 0; r < nr; r++)
        move[r] = lo_b[r] - lo_a[r];
    /* The step of L slides when the first part's last move (a step of its
     * innermost loop, which always slides) had the same translation, or when
     * the first part had one tile (the step follows the first). */
    bool slide = true;
    if (ka > 0) {
        int64_t last[PETAL_MAX_RANKS] = {0};
        step_of(na, s, &na->loops[ka - 1], last);
        slide = memcmp(last, move, (size_t)nr * sizeof move[0]) == 0;
    }
    int64_t fewer = slide ? (int64_t)shared_words(nr, lo_a, ea, lo_b, eb) : 0;
    /* The second part counts its first move as following its first tile: a
     * slide. After a sliding step of L it slides only by L's translation. */
    if (slide && kb > 0) {
        const reuse_loop *l1 = &nb->loops[kb - 1];
        int64_t first[PETAL_MAX_RANKS] = {0};
        step_of(nb, s, l1, first);
        if (memcmp(first, move, (size_t)nr * sizeof move[0]) != 0) {
            /* It reloads; with three or more iterations the next step slides
             * again in both counts. With two, every later step of the part
             * would flip between the two patterns. */
            if (l1->count < 3)
                return false;
            int64_t zero[PETAL_MAX_RANKS] = {0};
            fewer -= (int64_t)shared_words(nr, zero, eb, first, eb);
        }
    }
    *corr = fewer;
    return true;
}
