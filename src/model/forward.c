/* forward.c - the chains of neighbour forwarding (docs/systolic.md).
 *
 * A child of a fan-out sits at X = its X loop indices read as one number,
 * the first dimension's fastest, and likewise Y (the simulator places it
 * the same way). Forwarded along X, the children of one row whose tiles of
 * the data space coincide form a chain; the chain's links are the hops from
 * its first to its last member. A child's tile offset is a sum of an X part
 * and a Y part, so within a row two children coincide exactly when their X
 * parts do, and every row has the same chains: it is enough to group the X
 * positions by their X part and multiply by the rows.
 */
#include "model/forward.h"

#include <stdlib.h>
#include <string.h>

/* One position along the axis: its offset along every rank of the data
 * space, then the position, so that sorting groups equal offsets in order. */
typedef struct axis_point {
    int64_t offset[PETAL_MAX_RANKS];
    uint64_t position;
} axis_point;

static int compare_points(const void *a, const void *b)
{
    const axis_point *x = a, *y = b;
    for (int r = 0; r < PETAL_MAX_RANKS; r++)
        if (x->offset[r] != y->offset[r])
            return x->offset[r] < y->offset[r] ? -1 : 1;
    return (x->position > y->position) - (x->position < y->position);
}

/* The offset of the child at `position` along the axis, from its digits. */
static void point_at(const reuse_nest *n, const petal_problem *p, int l, int s, bool along_x,
                     uint64_t position, axis_point *pt)
{
    const petal_level_mapping *lm = &n->m->levels[l];
    const petal_dataspace *ds = &p->ds[s];
    int64_t index[PETAL_MAX_DIMS] = {0};
    uint64_t rest = position;
    for (int d = 0; d < n->ndims; d++) {
        uint64_t f = along_x ? lm->spatial_x[d] : lm->spatial_y[d];
        /* An X digit steps the dimension by what lies inside the level; a Y
         * digit by that times the X factor (Y loops sit outside X loops). */
        uint64_t weight = along_x ? n->ext[l + 1][d] : n->ext[l + 1][d] * lm->spatial_x[d];
        index[d] = (int64_t)((rest % f) * weight);
        rest /= f;
    }
    memset(pt, 0, sizeof *pt);
    for (int r = 0; r < ds->nranks; r++)
        for (int t = 0; t < ds->ranks[r].nterms; t++)
            pt->offset[r] += ds->ranks[r].terms[t].coef * index[ds->ranks[r].terms[t].dim];
    pt->position = position;
}

bool forward_chains_count(const reuse_nest *n, const petal_problem *p, int l, int s,
                          petal_forward axis, forward_chains *out)
{
    bool along_x = axis == PETAL_FORWARD_X;
    uint64_t length = along_x ? n->used_x[l] : n->used_y[l];
    uint64_t lines = along_x ? n->used_y[l] : n->used_x[l];
    memset(out, 0, sizeof *out);
    if (length <= 1) {
        out->chains = length * lines; /* each child a chain of one */
        return true;
    }
    axis_point small[64], *pts = small;
    if (length > sizeof small / sizeof small[0]) {
        pts = malloc(length * sizeof *pts);
        if (!pts)
            return false;
    }
    for (uint64_t x = 0; x < length; x++)
        point_at(n, p, l, s, along_x, x, &pts[x]);
    qsort(pts, length, sizeof *pts, compare_points);
    uint64_t chains = 0, hops = 0, longest = 0;
    for (uint64_t i = 0; i < length;) {
        uint64_t k = i;
        while (k + 1 < length &&
               memcmp(pts[k + 1].offset, pts[i].offset, sizeof pts[i].offset) == 0)
            k++;
        uint64_t span = pts[k].position - pts[i].position;
        chains++;
        hops += span;
        if (span > longest)
            longest = span;
        i = k + 1;
    }
    if (pts != small)
        free(pts);
    out->chains = chains * lines;
    out->hops = hops * lines;
    out->longest = longest;
    return true;
}
