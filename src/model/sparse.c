/* sparse.c - the sparse model: from the dense counts of one mapping to the
 * actual, gated and skipped accesses, metadata traffic and computes that
 * Sparseloop (Timeloop v3) reports for the same mapping.
 *
 * Four steps, each per instance of a level (docs/sparsity.md has them in
 * words, with a worked example):
 *   1. Formats. A level that keeps data space s in a compressed format moves
 *      only its non-zeros: reads and fills (and Outputs' updates) lose
 *      floor(count x (1 - density)).
 *   2. Explicit optimizations. An option at level L gating or skipping target
 *      T on condition data spaces C applies to the nearest level at or above
 *      L that keeps T. Its probability is that of any condition tile being
 *      empty: 1 - prod over C of (1 - P(tile of C empty)), the tile of C
 *      being C's part of the operations one access of T serves (one MAC's
 *      operand when T feeds the MACs, the child level's tile otherwise).
 *      Of the level's reads, ceil(reads x p) for Outputs, floor(reads x p)
 *      otherwise, and floor(updates x p) are gated or skipped; the levels
 *      inside it lose floor(count x p) of every access as their supply is
 *      cut, down to the next level with an optimization of its own, which
 *      applies the probability left over, 1 - (1 - p_own) / (1 - p).
 *   3. Computes. An optimization whose effect reaches the MACs (no inner
 *      level optimizes the same operand) removes floor(computes x p) of
 *      the operations; what is left is split over the operands' states
 *      (non-zero, zero stored, not stored) into actual, gated (compute
 *      gating), skipped (compute skipping) and non-existent operations.
 *   4. Metadata and (de)compression: the compressed rank's metadata follows
 *      the data it describes; a level that stores uncompressed what its
 *      parent holds compressed decompresses its fills (and compresses the
 *      updates it sends back).
 * All rounding is Sparseloop's (floor, and ceil for Outputs' reads), so
 * that its reference outputs are matched to the access.
 */
#include "model/sparse.h"

#include <math.h>
#include <string.h>

#include "util/error.h"
#include "workload/density.h"

bool model_sparse_active(const petal_problem *p, const petal_arch *a)
{
    /* With every data space dense, no value is zero: nothing is gated or
     * skipped, and formats apply only to data spaces with a density model
     * (model_sparse_uncoded), so the dense model is exact. */
    (void)a;
    for (int s = 0; s < PETAL_NUM_DS; s++)
        if (!density_is_dense(&p->density[s]))
            return true;
    return false;
}

bool model_sparse_uncoded(const petal_problem *p, const petal_arch *a, petal_arch *copy)
{
    bool any = false;
    for (int l = 0; l < a->nlevels; l++)
        for (int s = 0; s < PETAL_NUM_DS; s++)
            any |= a->levels[l].sparse.format[s].nranks && density_is_dense(&p->density[s]);
    if (!any)
        return false;
    *copy = *a;
    for (int l = 0; l < a->nlevels; l++)
        for (int s = 0; s < PETAL_NUM_DS; s++)
            if (density_is_dense(&p->density[s]))
                memset(&copy->levels[l].sparse.format[s], 0,
                       sizeof copy->levels[l].sparse.format[s]);
    return true;
}

/* Words of data space s over the whole problem: level 0's tile, which is the
 * whole tensor once the model has checked that each dimension's factors
 * multiply to its bound (petal_problem_ds_words, without working it again). */
static uint64_t tensor_words(const reuse_nest *n, int s)
{
    return n->tile[s][0];
}

static bool is_banded(const petal_density *d)
{
    return d->kind == PETAL_DENSITY_BANDED;
}

/* The fraction of data space s that is non-zero: a banded matrix's from its
 * band over the whole tensor (level 0's tile), the others' density_expected. */
static double ds_density(const petal_problem *p, const reuse_nest *n, int s)
{
    const petal_density *d = &p->density[s];
    if (is_banded(d))
        return density_banded_fraction(d->band_width, n->tile_ext[s][0]);
    return density_expected(d, tensor_words(n, s));
}

/* The aligned tiles of a banded data space s of the extents along its two
 * ranks in box[] (workload/density.h), with sub-boxes sub[] when given. */
static void banded_stats(const petal_problem *p, const reuse_nest *n, int s, const uint64_t *box,
                         uint64_t block, const uint64_t *sub, banded_tiles *out)
{
    density_banded_tiles(p->density[s].band_width, n->tile_ext[s][0], box, block, sub, out);
}

petal_status model_sparse_check(const petal_problem *p)
{
    return petal_problem_banded_check(p);
}

/* A format compresses when one of its ranks stores non-zeros only. */
static bool compressed(const petal_format *f)
{
    for (int r = 0; r < f->nranks; r++)
        if (f->ranks[r].format != PETAL_FORMAT_U && f->ranks[r].format != PETAL_FORMAT_UB)
            return true;
    return false;
}

static int rank_occupancy(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                          const reuse_nest *n, int l, int s, bool expected, double *md, double *pl,
                          uint32_t *md_bits, uint32_t *pl_bits);

void model_sparse_tile(const petal_problem *p, const petal_arch *a, const reuse_nest *n, int l,
                       int s, uint64_t *data_words, uint64_t *metadata_bits)
{
    const petal_level *lv = &a->levels[l];
    const petal_format *f = &lv->sparse.format[s];
    uint64_t tile = n->tile[s][l];
    *data_words = tile;
    *metadata_bits = 0;
    if (!f->nranks)
        return;
    uint64_t tensor = tensor_words(n, s);
    uint64_t occupancy;
    if (is_banded(&p->density[s])) {
        /* Room for the fullest tile of the band (Sparseloop at confidence 1). */
        banded_tiles bt;
        banded_stats(p, n, s, n->tile_ext[s][l], 1, NULL, &bt);
        occupancy = bt.max_nnz;
    } else {
        occupancy = density_max_occupancy(&p->density[s], tile, tensor);
    }
    if (compressed(f))
        *data_words = occupancy;
    double md[PETAL_MAX_FORMAT_RANKS], pl[PETAL_MAX_FORMAT_RANKS];
    uint32_t md_bits[PETAL_MAX_FORMAT_RANKS], pl_bits[PETAL_MAX_FORMAT_RANKS];
    int nr = rank_occupancy(p, a, n->m, n, l, s, false, md, pl, md_bits, pl_bits);
    double bits = 0;
    for (int r = 0; r < nr; r++)
        bits += ceil(md[r]) * md_bits[r] + ceil(pl[r]) * pl_bits[r];
    *metadata_bits = (uint64_t)bits;
}

double model_sparse_vector_ratio(const petal_problem *p, const petal_arch *a, const reuse_nest *n,
                                 int l, int s)
{
    /* Sparseloop's thresholds on tile / block per block size and density
     * decile (0.1 to 1.0), below which blocks are counted by occupancy. */
    static const struct {
        unsigned block;
        double threshold[10];
    } table[] = {
        {2, {251, 125, 84, 63, 51, 42, 36, 32, 28, 1}},
        {4, {375, 188, 125, 94, 75, 63, 54, 47, 42, 1}},
        {8, {438, 219, 146, 110, 88, 73, 63, 55, 49, 1}},
        {16, {469, 235, 157, 118, 94, 79, 67, 59, 52, 1}},
        {32, {485, 243, 162, 122, 97, 81, 70, 61, 52, 1}},
    };
    const petal_level *lv = &a->levels[l];
    uint64_t block = lv->block_size ? lv->block_size : 1;
    uint64_t shape = n->tile[s][l];
    double d = ds_density(p, n, s);
    if (!compressed(&lv->sparse.format[s]) || block <= 1 || shape == 0 || d >= 1)
        return 1;
    int row = -1;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].block == block)
            row = (int)i;
    if (row < 0)
        return 1;
    int idx = d >= 0.1 ? (int)floor(d / 0.1) - 1 : 0;
    if (idx < 0)
        idx = 0;
    if (idx > 9)
        idx = 9;
    if (!(table[row].threshold[idx] > (double)(shape / block)))
        return 1;
    uint64_t tensor = tensor_words(n, s);
    double total = 0;
    if (is_banded(&p->density[s])) {
        /* The band's own tiles, each read in whole blocks. */
        banded_tiles bt;
        banded_stats(p, n, s, n->tile_ext[s][l], block, NULL, &bt);
        total = bt.tiles ? bt.blocks / (double)bt.tiles : 0;
    }
    for (uint64_t nnz = 1; nnz <= shape && !is_banded(&p->density[s]); nnz++)
        total += (double)((nnz + block - 1) / block) *
                 density_occupancy_prob(&p->density[s], shape, tensor, nnz);
    double naive = (double)shape * d / (double)block;
    return naive > 0 ? total / naive : 1;
}

static bool kept(const petal_mapping *m, int l, int s)
{
    return (m->levels[l].keep & (1u << s)) != 0;
}

/* Sparseloop rounds operand densities to six decimals. */
static double round6(double x)
{
    return round(x * 1e6) / 1e6;
}

typedef struct saf {
    uint8_t kind; /* 0, PETAL_OPT_GATING or PETAL_OPT_SKIPPING */
    double p;
} saf;

/* One loop of the nest as Sparseloop walks it: a level's spatial loops, then
 * its temporal ones in their order, innermost first. */
typedef struct walk_loop {
    int level, dim;
    uint64_t count;
    bool spatial;
} walk_loop;

static bool uses_dim(const reuse_nest *n, int s, int d)
{
    return n->dim_nranks[s][d] > 0;
}

/* The loops of levels from..to (petal indices, from >= to: inside out);
 * with skip_ones, no temporal loop of one iteration. */
static int walk_loops(const petal_problem *p, const petal_mapping *m, int from, int to,
                      bool skip_ones, walk_loop *out)
{
    int k = 0;
    for (int l = from; l >= to; l--) {
        const petal_level_mapping *lm = &m->levels[l];
        for (int i = 0; i < p->ndims; i++) {
            int d = lm->perm[i];
            if (d >= p->ndims)
                continue;
            if (lm->spatial_x[d] > 1)
                out[k++] = (walk_loop){l, d, lm->spatial_x[d], true};
            if (lm->spatial_y[d] > 1)
                out[k++] = (walk_loop){l, d, lm->spatial_y[d], true};
        }
        for (int i = 0; i < p->ndims; i++) {
            int d = lm->perm[i];
            if (d < p->ndims && !(skip_ones && lm->temporal[d] == 1))
                out[k++] = (walk_loop){l, d, lm->temporal[d], false};
        }
    }
    return k;
}

/* The tile of condition data space c whose emptiness lets one access of
 * target t at level tl (feeding `child`, nl for the MACs) be gated or
 * skipped, following Sparseloop's choice: the operations of the innermost
 * loop over t's dimensions below tl (one MAC's when that loop is temporal
 * and feeds the MACs), widened by the spatial loops above it and, when the
 * level reads blocks of several words, along the loops t and c share until
 * one access covers a block. False when the condition cannot cut anything
 * (a spatial loop shares a dimension of c with t). */
static bool condition_tile(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                           const reuse_nest *n, int t, int c, int tl, int child, uint64_t *shape,
                           uint64_t *box)
{
    int nl = a->nlevels, nd = p->ndims;
    walk_loop loops[PETAL_MAX_LEVELS * PETAL_MAX_DIMS * 3];
    int from = child < nl ? child - 1 : nl - 1;
    int count = walk_loops(p, m, from, tl, false, loops);
    double mold[PETAL_MAX_DIMS];
    const uint64_t *base = n->ext[child < nl ? child : nl];
    for (int d = 0; d < nd; d++)
        mold[d] = (double)base[d];
    int target = -1;
    bool scalar = false;
    for (int i = 0; i < count && target < 0; i++) {
        const walk_loop *lp = &loops[i];
        if (child < nl) {
            if (lp->count > 1 && uses_dim(n, t, lp->dim))
                target = i;
        } else if (i + 1 >= count || !loops[i + 1].spatial) {
            target = i;
            scalar = !lp->spatial;
        } else if (lp->count > 1 && uses_dim(n, t, lp->dim)) {
            target = i;
        }
    }
    if (target < 0) {
        target = count - 1;
        scalar = false;
    }
    int target_dim = target >= 0 ? loops[target].dim : 0;
    bool spatial_target = target >= 0 && loops[target].spatial;
    if (!scalar)
        for (int i = 0; i <= target; i++)
            mold[loops[i].dim] *= (double)loops[i].count;
    if (scalar)
        for (int d = 0; d < nd; d++)
            mold[d] = 1;
    double cond[PETAL_MAX_DIMS];
    memcpy(cond, mold, sizeof cond);
    /* Relevant loops: the target loop, then above it the spatial ones (and,
     * above a spatial target feeding a storage child, the temporal loops over
     * other dimensions up to the first over t's). */
    int relevant[PETAL_MAX_LEVELS * PETAL_MAX_DIMS * 3], nrel = 0;
    if (target >= 0)
        relevant[nrel++] = target;
    bool upper_found = !spatial_target;
    for (int i = target + 1; i < count; i++) {
        const walk_loop *lp = &loops[i];
        if (lp->count <= 1)
            continue;
        bool other = !upper_found && !lp->spatial && child < nl && !uses_dim(n, t, lp->dim);
        if (lp->spatial || other) {
            cond[lp->dim] *= (double)lp->count;
            relevant[nrel++] = i;
        }
        if (spatial_target && !lp->spatial && (child == nl || uses_dim(n, t, lp->dim)))
            upper_found = true;
    }
    /* Dimensions both t and c are indexed by, and how far the relevant loops
     * iterate them together. */
    double factor[PETAL_MAX_DIMS], aggregated = 1;
    bool co_iterated = false;
    for (int d = 0; d < nd; d++)
        factor[d] = 0;
    for (int r = 0; r < nrel && !scalar; r++) {
        const walk_loop *lp = &loops[relevant[r]];
        if (spatial_target && co_iterated && uses_dim(n, c, lp->dim))
            return false;
        if (uses_dim(n, t, lp->dim) && uses_dim(n, c, lp->dim)) {
            factor[lp->dim] = (factor[lp->dim] ? factor[lp->dim] : 1) * (double)lp->count;
            aggregated *= (double)lp->count;
            co_iterated = true;
        }
    }
    uint64_t ext[PETAL_MAX_DIMS];
    for (int d = 0; d < nd; d++)
        ext[d] = (uint64_t)mold[d];
    double granularity = (double)reuse_tile_words(n, t, ext, NULL);
    uint64_t block = a->levels[tl].block_size ? a->levels[tl].block_size : 1;
    double scaling = ceil((double)block / (granularity / aggregated));
    for (int d = 0; d < nd; d++) {
        if (!factor[d])
            continue;
        double effective = factor[d] / scaling;
        cond[d] = ceil(cond[d] / effective);
        scaling /= factor[d];
    }
    if (scaling > 1)
        cond[target_dim] = (double)(uint64_t)(cond[target_dim] * scaling);
    for (int d = 0; d < nd; d++)
        ext[d] = cond[d] < 1 ? 1 : (uint64_t)cond[d];
    *shape = reuse_tile_words(n, c, ext, box);
    return true;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Distinct positions of the tile inside loops[] (innermost first) of the
 * levels lo..hi, as those loops move it over data space s: per rank of s,
 * the offsets sum_j i_j x step_j, which are min(prod count_j,
 * 1 + sum_j (count_j - 1) step_j / gcd(steps)) many (exact for perfect tiling
 * and for sliding windows). */
static uint64_t distinct_positions(const petal_problem *p, const reuse_nest *n, int s,
                                   const walk_loop *loops, int count, int lo, int hi)
{
    (void)p;
    uint64_t positions = 1;
    for (int rank = 0; rank < n->nranks[s]; rank++) {
        double product = 1, span = 0;
        uint64_t g = 0;
        bool any = false;
        for (int j = 0; j < count; j++) {
            const walk_loop *lp = &loops[j];
            if (lp->level < lo || lp->level > hi)
                continue;
            int64_t coef = 0;
            for (int t = 0; t < n->rank_nterms[s][rank]; t++)
                if (n->rank_dim[s][rank][t] == lp->dim)
                    coef = n->rank_coef[s][rank][t];
            if (!coef)
                continue;
            uint64_t inside = 1;
            for (int i = 0; i < j; i++)
                if (loops[i].dim == lp->dim)
                    inside *= loops[i].count;
            uint64_t step = (uint64_t)coef * inside;
            product *= (double)lp->count;
            span += (double)(lp->count - 1) * (double)step;
            g = gcd64(g, step);
            any = true;
        }
        if (!any)
            continue;
        double distinct = 1 + span / (double)g;
        positions *= (uint64_t)(distinct < product ? distinct : product);
    }
    return positions;
}

/* P(a sub-tile of m values is empty); given, that the tile of n values it
 * lies in holds exactly k non-zeros (the density Sparseloop conditions on:
 * k / n spread evenly for fixed_structured, k drawn without replacement for
 * hypergeometric). */
static double prob_empty(const petal_density *dm, uint64_t tensor, uint64_t m, bool given,
                         uint64_t n, uint64_t k)
{
    if (!given)
        return density_prob_empty(dm, m, tensor);
    if (m == 0 || density_is_dense(dm))
        return 0;
    if (k == 0)
        return 1;
    if (dm->kind == PETAL_DENSITY_HYPERGEOMETRIC) {
        if (m > n - k)
            return 0;
        /* C(n - k, m) / C(n, m) */
        return exp(lgamma((double)(n - k) + 1) - lgamma((double)(n - k - m) + 1) -
                   lgamma((double)n + 1) + lgamma((double)(n - m) + 1));
    }
    double exact = (double)m * (double)k / (double)n;
    return floor(exact) == 0 ? 1 - exact : 0;
}

/* A format's ranks over one tile (rank_occupancy). */
typedef struct rank_plan {
    int nranks;
    const petal_format *f;
    const uint64_t *fiber;    /* coordinates per fiber */
    const uint64_t *elements; /* values per element */
    uint64_t tile;            /* values in the tile */
    const petal_density *dm;
    uint64_t tensor;
    /* A banded matrix: the boxes (rows, columns) of the tile and of each
     * rank's element. */
    bool banded;
    const uint64_t *tensor_box, *tile_box;
    uint64_t element_box[PETAL_MAX_FORMAT_RANKS][PETAL_MAX_RANKS];
} rank_plan;

/* The share of a banded matrix's aligned boxes of shape box[] that are empty. */
static double banded_empty(const rank_plan *rp, const uint64_t *box)
{
    banded_tiles bt;
    density_banded_tiles(rp->dm->band_width, rp->tensor_box, box, 1, NULL, &bt);
    return bt.tiles ? (double)bt.empty / (double)bt.tiles : 0;
}

/* P(the tile (idx < 0) or an element of rank idx is empty), given k
 * non-zeros in the tile when `given`. A banded matrix's tiles are told apart
 * only as empty (k = 0) or not (k > 0): an element of an empty tile is empty;
 * of a non-empty one, with the share e of the band's boxes of its shape that
 * are empty and e0 that of the tiles, (e - e0) / (1 - e0), since every empty
 * tile's elements are empty. Averaged over the tiles that way, the fibers and
 * elements the format keeps are exact (each a sum over the tile's boxes);
 * only emptiness changes which rank's payload is the data. */
static double plan_empty(const rank_plan *rp, int idx, bool given, uint64_t k)
{
    if (rp->banded) {
        if (given && k == 0)
            return 1;
        double e = banded_empty(rp, idx < 0 ? rp->tile_box : rp->element_box[idx]);
        if (!given)
            return e;
        if (idx < 0)
            return 0;
        double e0 = banded_empty(rp, rp->tile_box);
        return e0 < 1 ? (e - e0) / (1 - e0) : 1;
    }
    return prob_empty(rp->dm, rp->tensor, idx < 0 ? rp->tile : rp->elements[idx], given, rp->tile,
                      k);
}

/* The room a banded tile needs at rank r: the most non-empty fibers (the
 * non-empty elements of the rank above; the tile itself for the outermost)
 * and elements any one tile of the band has. Summed over ranks, this holds
 * every tile's metadata. */
static void banded_room(const rank_plan *rp, int r, double *fibers, double *elements)
{
    banded_tiles bt;
    density_banded_tiles(rp->dm->band_width, rp->tensor_box, rp->tile_box, 1, rp->element_box[r],
                         &bt);
    *elements = (double)bt.max_sub;
    if (r == 0) {
        *fibers = bt.max_nnz ? 1 : 0;
        return;
    }
    density_banded_tiles(rp->dm->band_width, rp->tensor_box, rp->tile_box, 1,
                         rp->element_box[r - 1], &bt);
    *fibers = (double)bt.max_sub;
}

/* Metadata and payload units per rank, from the probabilities that fibers
 * and elements are empty (given k non-zeros in the tile when `given`); the
 * fullest fiber's count when `room`. */
static void lay_ranks(const rank_plan *rp, bool given, uint64_t k, bool room, double *md,
                      double *pl)
{
    double fibers_above = 1;
    int above = -1; /* the tile, then the element of the rank above */
    for (int r = 0; r < rp->nranks; r++) {
        md[r] = pl[r] = 0;
        uint64_t shape = rp->fiber[r];
        double element_empty = plan_empty(rp, r, given, k);
        double fibers = fibers_above * (1 - plan_empty(rp, above, given, k));
        double per_fiber = (double)shape * (1 - element_empty);
        if (room)
            per_fiber = ceil(per_fiber); /* room for the fullest fiber */
        double max_fibers = fibers_above;
        /* Every element of the rank that holds a non-zero has a coordinate:
         * all elements x P(non-empty). Sparseloop multiplies by the chance
         * that the fiber is non-empty too, counting an element's emptiness
         * twice; the same when every fiber holds a non-zero (docs/sparsity.md). */
        double nonempty_elements =
            room ? fibers * per_fiber : max_fibers * (double)shape * (1 - element_empty);
        if (room && rp->banded)
            banded_room(rp, r, &fibers, &nonempty_elements);
        fibers_above *= (double)shape;
        above = r;
        /* A rank of one coordinate (over no loop) holds nothing, except the
         * outermost, which stands for the tile itself (Sparseloop's rule). */
        if (shape == 1 && r != 0)
            continue;
        switch (rp->f->ranks[r].format) {
        case PETAL_FORMAT_UOP:
            pl[r] = fibers * (double)(shape + 1);
            break;
        case PETAL_FORMAT_CP:
        case PETAL_FORMAT_RLE:
            md[r] = pl[r] = nonempty_elements;
            break;
        case PETAL_FORMAT_B:
            md[r] = fibers * (double)shape;
            pl[r] = nonempty_elements;
            break;
        case PETAL_FORMAT_UB:
            /* Uncompressed: every fiber is there, a bit and a payload per
             * coordinate, whatever the values. */
            md[r] = pl[r] = max_fibers * (double)shape;
            break;
        default:
            break;
        }
    }
    for (int r = rp->nranks - 1; r >= 0; r--)
        if (md[r] || pl[r]) {
            pl[r] = 0; /* the innermost rank's payload is the data */
            break;
        }
}

/* The occupancies a tile can have: fixed_structured the two whole numbers
 * around tile x d; hypergeometric what the tensor's non-zeros allow. */
static void occupancy_range(const rank_plan *rp, uint64_t *lo, uint64_t *hi)
{
    if (rp->dm->kind == PETAL_DENSITY_HYPERGEOMETRIC && rp->tensor > 0) {
        double r = ceil(rp->dm->density * (double)rp->tensor);
        uint64_t nnz = r > (double)rp->tensor ? rp->tensor : (uint64_t)r;
        uint64_t zeros = rp->tensor - nnz;
        *lo = rp->tile > zeros ? rp->tile - zeros : 0;
        *hi = rp->tile < nnz ? rp->tile : nnz;
        return;
    }
    double exact = (double)rp->tile * density_of(rp->dm);
    *lo = (uint64_t)floor(exact);
    *hi = (uint64_t)ceil(exact);
    if (*hi > rp->tile)
        *hi = rp->tile;
}

static void add_occupancy(const rank_plan *rp, uint64_t nnz, double pk, double *md, double *pl)
{
    double mk[PETAL_MAX_FORMAT_RANKS], pk_units[PETAL_MAX_FORMAT_RANKS];
    lay_ranks(rp, true, nnz, false, mk, pk_units);
    for (int r = 0; r < rp->nranks; r++) {
        md[r] += pk * mk[r];
        pl[r] += pk * pk_units[r];
    }
}

/* The metadata of one tile of data space s at level l, rank by rank from
 * the outermost, as Sparseloop lays a format over the tile: each rank takes
 * the next loop over s's dimensions inside the tile (outermost first; with
 * flattened_rankIDs, the run of loops over the rank's dimensions), its fiber
 * shape the product of their counts. A rank of fiber shape 1 other than the
 * innermost holds nothing. Per rank: fibers = fibers above x P(its tile is
 * not empty); UOP keeps shape + 1 offsets per fiber; CP and RLE a
 * coordinate (and a payload) per non-empty element, shape x P(element not
 * empty) per fiber (expected), rounded up for the room a tile needs; B a bit per element and a
 * payload per non-empty one; U nothing. The innermost rank's payload is the data itself. Units go
 * to md[] and pl[], bits per unit to md_bits[] and pl_bits[]. */
static int rank_occupancy(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                          const reuse_nest *n, int l, int s, bool expected, double *md, double *pl,
                          uint32_t *md_bits, uint32_t *pl_bits)
{
    const petal_level *lv = &a->levels[l];
    const petal_format *f = &lv->sparse.format[s];
    int nr = f->nranks, nd = p->ndims;
    walk_loop all[PETAL_MAX_LEVELS * PETAL_MAX_DIMS * 3],
        loops[PETAL_MAX_LEVELS * PETAL_MAX_DIMS * 3];
    int count = walk_loops(p, m, a->nlevels - 1, l, true, all), k = 0;
    for (int i = 0; i < count; i++)
        if (uses_dim(n, s, all[i].dim)) /* loops of one iteration are not walked */
            loops[k++] = all[i];
    /* loops[] is innermost first; ranks take them from the outermost. */
    int next = k - 1;
    uint64_t fiber[PETAL_MAX_FORMAT_RANKS];
    uint64_t below[PETAL_MAX_FORMAT_RANKS][PETAL_MAX_DIMS]; /* an element's operations */
    bool flattened = false;
    for (int r = 0; r < nr; r++)
        flattened |= f->ranks[r].dim_mask != 0;
    if (flattened) {
        /* Flattened ranks follow the tiling: one rank per step between
         * consecutive keepers of s from this level inwards, the innermost
         * rank taking what is left; a fiber's shape counts the distinct
         * positions of the inner tile. */
        int first[PETAL_MAX_LEVELS + 1], ngroups = 0;
        for (int i = l; i < a->nlevels; i++)
            if (kept(m, i, s))
                first[ngroups++] = i;
        int lo[PETAL_MAX_FORMAT_RANKS], hi[PETAL_MAX_FORMAT_RANKS]; /* levels per rank */
        for (int r = 0; r < nr; r++) {
            lo[r] = a->nlevels;
            hi[r] = a->nlevels - 1;
            if (r < ngroups) {
                lo[r] = first[r];
                hi[r] = r + 1 < ngroups && r + 1 < nr ? first[r + 1] - 1 : a->nlevels - 1;
            }
        }
        for (int r = 0; r < nr; r++) {
            fiber[r] = distinct_positions(p, n, s, loops, k, lo[r], hi[r]);
            for (int d = 0; d < nd; d++)
                below[r][d] = 1;
            for (int i = 0; i < k; i++)
                if (loops[i].level > hi[r])
                    below[r][loops[i].dim] *= loops[i].count;
        }
        next = -1;
    }
    for (int r = 0; r < nr && !flattened; r++) {
        fiber[r] = 1;
        uint16_t mask = f->ranks[r].dim_mask;
        if (next >= 0 && (!mask || (mask & (1u << loops[next].dim)))) {
            fiber[r] *= loops[next].count;
            next--;
            while (mask && next >= 0 && (mask & (1u << loops[next].dim)))
                fiber[r] *= loops[next--].count;
        }
        for (int d = 0; d < nd; d++)
            below[r][d] = 1;
        for (int i = 0; i <= next; i++)
            below[r][loops[i].dim] *= loops[i].count;
    }
    uint64_t elements[PETAL_MAX_FORMAT_RANKS];
    rank_plan plan = {nr, f, fiber, elements, n->tile[s][l], &p->density[s], tensor_words(n, s)};
    plan.banded = is_banded(plan.dm);
    plan.tensor_box = n->tile_ext[s][0];
    plan.tile_box = n->tile_ext[s][l];
    for (int r = 0; r < nr; r++) {
        uint32_t level_bits = lv->sparse.metadata_word_bits;
        md_bits[r] = f->ranks[r].metadata_word_bits ? f->ranks[r].metadata_word_bits : level_bits;
        pl_bits[r] = f->ranks[r].payload_word_bits ? f->ranks[r].payload_word_bits : level_bits;
        if ((f->ranks[r].format == PETAL_FORMAT_B || f->ranks[r].format == PETAL_FORMAT_UB) &&
            !f->ranks[r].metadata_word_bits)
            md_bits[r] = 1;
        elements[r] = reuse_tile_words(n, s, below[r], plan.element_box[r]);
    }
    if (!expected) {
        lay_ranks(&plan, false, 0, true, md, pl);
        return nr;
    }
    if (plan.banded) {
        /* The band's empty tiles, then its non-empty ones (plan_empty). */
        double e0 = banded_empty(&plan, plan.tile_box);
        for (int r = 0; r < nr; r++)
            md[r] = pl[r] = 0;
        if (e0 > 0)
            add_occupancy(&plan, 0, e0, md, pl);
        if (e0 < 1)
            add_occupancy(&plan, 1, 1 - e0, md, pl);
        return nr;
    }
    /* Sparseloop's expectation: over the tile's possible occupancies k, the
     * metadata of a tile holding exactly k non-zeros, weighted by P(k). */
    for (int r = 0; r < nr; r++)
        md[r] = pl[r] = 0;
    uint64_t lo, hi;
    occupancy_range(&plan, &lo, &hi);
    /* Hypergeometric occupancies fall away fast from the mode: walk out from
     * it both ways until they no longer count. */
    uint64_t mode = lo + (hi - lo) / 2;
    if (plan.dm->kind == PETAL_DENSITY_HYPERGEOMETRIC && plan.tensor > 0) {
        double r = ceil(plan.dm->density * (double)plan.tensor);
        double guess = floor(((double)plan.tile + 1) * (r + 1) / ((double)plan.tensor + 2));
        mode = guess < (double)lo ? lo : guess > (double)hi ? hi : (uint64_t)guess;
    }
    for (int way = 0; way < 2; way++)
        for (uint64_t nnz = way ? mode + 1 : mode; way ? nnz <= hi : nnz + 1 > lo;
             way ? nnz++ : nnz--) {
            double pk = density_occupancy_prob(plan.dm, plan.tile, plan.tensor, nnz);
            if (pk < 1e-12 && nnz != mode)
                break;
            if (pk > 0)
                add_occupancy(&plan, nnz, pk, md, pl);
            if (!way && nnz == 0)
                break;
        }
    return nr;
}

/* Step 2: the probability of option o at level L, and the level it acts at. */
static petal_status define_saf(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                               const reuse_nest *n, int L, const petal_action_opt *o,
                               saf (*safs)[PETAL_NUM_DS])
{
    int t = o->target, nl = a->nlevels;
    int tl = L;
    while (tl >= 0 && !kept(m, tl, t))
        tl--;
    if (tl < 0)
        return petal_error_set(PETAL_EINVAL,
                               "level %s: %s %s, but no level at or above it keeps %s",
                               a->levels[L].name, petal_action_opt_name(o->kind),
                               p->ds[t].name[0] ? p->ds[t].name : "the target", p->ds[t].name);
    if (o->kind == PETAL_OPT_SPATIAL_SKIP)
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "level %s: spatial skipping is not modelled yet (docs/sparsity.md)",
                               a->levels[L].name);
    int child = tl + 1;
    while (child < nl && !kept(m, child, t))
        child++;
    double effectual = 1;
    for (int c = 0; c < PETAL_NUM_DS; c++) {
        if (!(o->condition_mask & (1u << c)))
            continue;
        uint64_t shape, box[PETAL_MAX_RANKS];
        if (!condition_tile(p, a, m, n, t, c, tl, child, &shape, box))
            continue; /* this condition cannot cut anything (see condition_tile) */
        uint64_t tensor = tensor_words(n, c);
        if (is_banded(&p->density[c])) {
            /* The share of the band's tiles of that shape that are empty. */
            banded_tiles bt;
            banded_stats(p, n, c, box, 1, NULL, &bt);
            effectual *= bt.tiles ? 1 - (double)bt.empty / (double)bt.tiles : 1;
        } else {
            effectual *= 1 - density_prob_empty(&p->density[c], shape, tensor);
        }
    }
    double prob = 1 - effectual;
    saf *f = &safs[tl][t];
    /* Two options on one access: the one that saves more wins. */
    if (!f->kind || f->p < prob) {
        f->kind = o->kind;
        f->p = prob;
    }
    return PETAL_OK;
}

/* Gate or skip p of a level's own reads and updates (its fills still come). */
static void apply_local(sparse_counts *c, uint64_t *actual, bool outputs, const saf *f, double p)
{
    uint64_t *into = f->kind == PETAL_OPT_GATING ? c->gated : c->skipped;
    double r = (double)actual[SPARSE_READ] * p;
    uint64_t dr = outputs ? (uint64_t)ceil(r) : (uint64_t)floor(r);
    if (dr > actual[SPARSE_READ])
        dr = actual[SPARSE_READ];
    uint64_t du = (uint64_t)floor((double)actual[SPARSE_UPDATE] * p);
    if (du > actual[SPARSE_UPDATE])
        du = actual[SPARSE_UPDATE];
    into[SPARSE_READ] += dr;
    into[SPARSE_UPDATE] += du;
    actual[SPARSE_READ] -= dr;
    actual[SPARSE_UPDATE] -= du;
}

/* x less the fraction p of it, rounded as Sparseloop rounds; p is a
 * probability, held to [0, 1] against rounding. */
static uint64_t cut(uint64_t x, double p)
{
    if (!(p > 0))
        return x;
    if (p >= 1)
        return 0;
    uint64_t off = (uint64_t)floor((double)x * p);
    return off < x ? x - off : 0;
}

enum { ENZ, EZ, NE, NSTATES };

/* Step 3: Sparseloop's two-operand split of the computes left. */
static void split_computes(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                           const reuse_nest *n, double total, const bool *gs_saf,
                           const double *inner_p, petal_model_result *out)
{
    int ops[2] = {PETAL_DS_WEIGHTS, PETAL_DS_INPUTS};
    double st[2][NSTATES], d[2];
    bool md[2];
    for (int i = 0; i < 2; i++) {
        int s = ops[i];
        d[i] = round6(ds_density(p, n, s));
        int inner = -1;
        for (int l = 0; l < a->nlevels; l++)
            if (kept(m, l, s))
                inner = l;
        md[i] = inner >= 0 && a->levels[inner].sparse.format[s].nranks > 0;
        st[i][ENZ] = d[i];
        st[i][EZ] = md[i] ? 0 : 1 - d[i];
        st[i][NE] = md[i] ? 1 - d[i] : 0;
    }
    /* An operand whose accesses were cut on the other's zeros: given that the
     * operation still happens, the other is non-zero more often. */
    for (int i = 0; i < 2; i++) {
        int other = 1 - i;
        if (!gs_saf[ops[other]])
            continue;
        double ratio = 1 - inner_p[ops[other]];
        double enz = ratio > 0 ? d[i] / ratio : 1;
        st[i][ENZ] = enz;
        st[i][EZ] = md[i] ? 0 : 1 - enz;
        st[i][NE] = md[i] ? 1 - enz : 0;
        for (int k = 0; k < NSTATES; k++)
            st[i][k] = st[i][k] < 0 ? 0 : st[i][k] > 1 ? 1 : st[i][k];
    }
    bool gate = a->arith.sparse.kind == PETAL_OPT_GATING;
    bool skip = a->arith.sparse.kind == PETAL_OPT_SKIPPING;
    double actual = total * st[0][ENZ] * st[1][ENZ];
    double gated = 0, skipped = 0;
    double zero_one = total * (st[0][ENZ] * st[1][EZ] + st[0][EZ] * st[1][ENZ]);
    double zero_both = total * st[0][EZ] * st[1][EZ];
    double missing_one = total * (st[0][ENZ] * st[1][NE] + st[0][NE] * st[1][ENZ]);
    double missing_zero = total * (st[0][EZ] * st[1][NE] + st[0][NE] * st[1][EZ]);
    double missing_both = total * st[0][NE] * st[1][NE];
    *(gate ? &gated : &actual) += zero_one + zero_both;
    *(skip ? &skipped : gate ? &gated : &actual) += missing_one + missing_zero;
    uint64_t t = (uint64_t)total;
    uint64_t sk = (uint64_t)floor(skipped), ga = (uint64_t)floor(gated),
             ne = (uint64_t)floor(missing_both);
    out->skipped_computes = sk;
    out->gated_computes = ga;
    out->actual_computes = t >= sk + ga + ne ? t - sk - ga - ne : 0;
    (void)actual;
}

petal_status model_sparse_apply(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                                const reuse_nest *n, petal_model_result *out, sparse_state *state)
{
    int nl = a->nlevels;
    /* Only the architecture's levels are read back: clearing the rest would
     * cost a tenth of a sparse evaluation. */
    memset(state->c, 0, (size_t)nl * sizeof state->c[0]);
    uint64_t actual[PETAL_MAX_LEVELS][PETAL_NUM_DS][SPARSE_ACTIONS];
    memset(actual, 0, (size_t)nl * sizeof actual[0]);

    /* Step 1: the dense counts, then what compressed formats keep of them. */
    for (int l = 0; l < nl; l++)
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            petal_ds_stats *ds = &out->levels[l].ds[s];
            if (!ds->kept)
                continue;
            sparse_counts *c = &state->c[l][s];
            c->algorithmic[SPARSE_READ] = ds->reads_per_instance;
            c->algorithmic[SPARSE_FILL] = ds->fills_per_instance;
            c->algorithmic[SPARSE_UPDATE] = ds->updates_per_instance;
            memcpy(actual[l][s], c->algorithmic, sizeof actual[l][s]);
            const petal_format *f = &a->levels[l].sparse.format[s];
            double d = ds_density(p, n, s);
            if (f->nranks && d < 1) {
                actual[l][s][SPARSE_READ] = cut(actual[l][s][SPARSE_READ], 1 - d);
                actual[l][s][SPARSE_FILL] = cut(actual[l][s][SPARSE_FILL], 1 - d);
                if (s == PETAL_DS_OUTPUTS)
                    actual[l][s][SPARSE_UPDATE] = cut(actual[l][s][SPARSE_UPDATE], 1 - d);
            }
        }

    /* Step 2: where each option acts, with what probability. */
    saf safs[PETAL_MAX_LEVELS][PETAL_NUM_DS];
    memset(safs, 0, (size_t)nl * sizeof safs[0]);
    for (int l = 0; l < nl; l++)
        for (int i = 0; i < a->levels[l].sparse.nopts; i++) {
            petal_status st = define_saf(p, a, m, n, l, &a->levels[l].sparse.opts[i], safs);
            if (st)
                return st;
        }

    /* Outer levels first: an optimization cuts the supply of every level
     * inside it down to the next one with its own. */
    double computes = (double)out->computes;
    bool gs_saf[PETAL_NUM_DS] = {false};
    double inner_p[PETAL_NUM_DS] = {0};
    bool finalized[PETAL_MAX_LEVELS][PETAL_NUM_DS] = {{false}};
    /* What happened to each level's accesses, for its metadata to follow. */
    double cuts[PETAL_MAX_LEVELS][PETAL_NUM_DS][PETAL_MAX_LEVELS];
    int ncuts[PETAL_MAX_LEVELS][PETAL_NUM_DS] = {{0}};
    saf local[PETAL_MAX_LEVELS][PETAL_NUM_DS];
    memset(local, 0, (size_t)nl * sizeof local[0]);
    for (int s = 0; s < PETAL_NUM_DS; s++)
        for (int l = 0; l < nl; l++) {
            const saf *f = &safs[l][s];
            if (!f->kind)
                continue;
            bool reached_macs = true;
            for (int i = l + 1; i < nl; i++) {
                for (int k = 0; k < SPARSE_ACTIONS; k++)
                    actual[i][s][k] = cut(actual[i][s][k], f->p);
                if (ncuts[i][s] < PETAL_MAX_LEVELS)
                    cuts[i][s][ncuts[i][s]++] = f->p;
                const saf *own = &safs[i][s];
                if (own->kind) {
                    /* An inner option weaker than the outer one has nothing
                     * left to cut (Sparseloop's formula goes negative). */
                    double left = f->p < 1 ? 1 - (1 - own->p) / (1 - f->p) : 0;
                    left = left < 0 ? 0 : left;
                    apply_local(&state->c[i][s], actual[i][s], s == PETAL_DS_OUTPUTS, own, left);
                    local[i][s] = (saf){own->kind, left};
                    finalized[i][s] = true;
                    reached_macs = false;
                    break;
                }
            }
            if (!finalized[l][s]) {
                finalized[l][s] = true;
                apply_local(&state->c[l][s], actual[l][s], s == PETAL_DS_OUTPUTS, f, f->p);
                local[l][s] = *f;
            }
            if (reached_macs && s != PETAL_DS_OUTPUTS) {
                computes -= floor(computes * f->p);
                gs_saf[s] = true;
                inner_p[s] = round6(f->p);
            }
        }

    /* Step 4: metadata and (de)compression; then the actual counts go back
     * into the result. */
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        int parent = -1;
        for (int l = 0; l < nl; l++) {
            petal_ds_stats *ds = &out->levels[l].ds[s];
            if (!ds->kept)
                continue;
            sparse_counts *c = &state->c[l][s];
            const petal_level *lv = &a->levels[l];
            const petal_format *f = &lv->sparse.format[s];
            if (f->nranks && n->tile[s][l]) {
                /* Per rank, the tile's metadata as often as the tile moves,
                 * cut and gated or skipped as its data are. */
                double md[PETAL_MAX_FORMAT_RANKS], pl[PETAL_MAX_FORMAT_RANKS];
                uint32_t md_bits[PETAL_MAX_FORMAT_RANKS], pl_bits[PETAL_MAX_FORMAT_RANKS];
                int nr = rank_occupancy(p, a, m, n, l, s, true, md, pl, md_bits, pl_bits);
                for (int k = 0; k < SPARSE_ACTIONS; k++) {
                    double ratio = (double)c->algorithmic[k] / (double)n->tile[s][l];
                    for (int r = 0; r < nr; r++)
                        for (int kind = 0; kind < 2; kind++) {
                            uint64_t x = (uint64_t)ceil((kind ? pl[r] : md[r]) * ratio);
                            uint32_t bits = kind ? pl_bits[r] : md_bits[r];
                            for (int i = 0; i < ncuts[l][s]; i++)
                                x = cut(x, cuts[l][s][i]);
                            uint64_t off = 0;
                            if (local[l][s].kind && k != SPARSE_FILL)
                                off = x - cut(x, local[l][s].p);
                            x -= off;
                            c->metadata[k] += x;
                            c->metadata_bits[k] += x * bits;
                            if (local[l][s].kind == PETAL_OPT_GATING)
                                c->gated_metadata_bits[k] += off * bits;
                        }
                }
            }
            bool here = compressed(f);
            if (parent >= 0 && !here && compressed(&a->levels[parent].sparse.format[s])) {
                c->decompressions = actual[l][s][SPARSE_FILL];
                if (s == PETAL_DS_OUTPUTS)
                    c->compressions = actual[parent][s][SPARSE_UPDATE];
            }
            ds->reads_per_instance = actual[l][s][SPARSE_READ];
            ds->fills_per_instance = actual[l][s][SPARSE_FILL];
            ds->updates_per_instance = actual[l][s][SPARSE_UPDATE];
            parent = l;
        }
    }
    split_computes(p, a, m, n, computes, gs_saf, inner_p, out);
    return PETAL_OK;
}
