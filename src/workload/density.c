/* density.c - the density models' arithmetic: empty-tile probabilities and
 * tile occupancies (workload/density.h; Sparseloop's meanings, written
 * afresh). */
#include "workload/density.h"

#include <math.h>

bool density_is_dense(const petal_density *d)
{
    /* A banded matrix's density follows from its band, not from d->density. */
    return d->kind == PETAL_DENSITY_DENSE || (d->kind != PETAL_DENSITY_BANDED && d->density >= 1);
}

double density_of(const petal_density *d)
{
    return density_is_dense(d) ? 1.0 : d->density;
}

static uint64_t hyper_nnz(const petal_density *d, uint64_t tensor)
{
    double nnz = ceil(d->density * (double)tensor);
    return nnz > (double)tensor ? tensor : (uint64_t)nnz;
}

double density_expected(const petal_density *d, uint64_t tensor)
{
    if (!density_is_dense(d) && d->kind == PETAL_DENSITY_HYPERGEOMETRIC && tensor > 0)
        return (double)hyper_nnz(d, tensor) / (double)tensor;
    return density_of(d);
}

double density_prob_empty(const petal_density *d, uint64_t shape, uint64_t tensor)
{
    if (density_is_dense(d) || shape == 0)
        return 0;
    if (d->kind == PETAL_DENSITY_HYPERGEOMETRIC && tensor > 0) {
        uint64_t nnz = hyper_nnz(d, tensor);
        if (shape > tensor - nnz)
            return 0;
        /* C(N - r, n) / C(N, n) as a product of n ratios, in logs. */
        long double log_p = 0;
        for (uint64_t i = 0; i < shape; i++)
            log_p += logl((long double)(tensor - nnz - i)) - logl((long double)(tensor - i));
        return (double)expl(log_p);
    }
    double exact = (double)shape * d->density;
    return floor(exact) == 0 ? 1 - exact : 0;
}

uint64_t density_max_occupancy(const petal_density *d, uint64_t shape, uint64_t tensor)
{
    if (density_is_dense(d))
        return shape;
    if (d->kind == PETAL_DENSITY_HYPERGEOMETRIC && tensor > 0) {
        uint64_t nnz = hyper_nnz(d, tensor);
        return shape < nnz ? shape : nnz;
    }
    double occ = ceil((double)shape * d->density);
    return occ > (double)shape ? shape : (uint64_t)occ;
}

double density_occupancy_prob(const petal_density *d, uint64_t shape, uint64_t tensor,
                              uint64_t nonzeros)
{
    if (density_is_dense(d))
        return nonzeros == shape ? 1 : 0;
    if (d->kind == PETAL_DENSITY_HYPERGEOMETRIC && tensor > 0) {
        uint64_t r = hyper_nnz(d, tensor);
        if (nonzeros > r || nonzeros > shape || shape - nonzeros > tensor - r)
            return 0;
        /* C(r, x) C(N - r, n - x) / C(N, n), in logs. */
        long double lp = lgammal((long double)r + 1) - lgammal((long double)nonzeros + 1) -
                         lgammal((long double)(r - nonzeros) + 1) +
                         lgammal((long double)(tensor - r) + 1) -
                         lgammal((long double)(shape - nonzeros) + 1) -
                         lgammal((long double)(tensor - r - shape + nonzeros) + 1) -
                         lgammal((long double)tensor + 1) + lgammal((long double)shape + 1) +
                         lgammal((long double)(tensor - shape) + 1);
        return (double)expl(lp);
    }
    double exact = (double)shape * d->density;
    double frac = exact - floor(exact);
    if ((double)nonzeros == floor(exact))
        return 1 - frac;
    if ((double)nonzeros == ceil(exact))
        return frac;
    return 0;
}

/* Sums of up to a matrix's size squared: 128 bits. */
__extension__ typedef __int128 i128;

/* Sum of clamp(x, 0, w) over every whole x <= n. */
static i128 clamp_sum(i128 n, i128 w)
{
    if (n <= 0)
        return 0;
    if (n <= w)
        return n * (n + 1) / 2;
    return w * (w + 1) / 2 + (n - w) * w;
}

uint64_t density_banded_box_nnz(uint64_t band_width, uint64_t r0, uint64_t c0, uint64_t rows,
                                uint64_t cols)
{
    if (!rows || !cols)
        return 0;
    /* A band wider than the box's farthest point reaches all of it. */
    i128 far = (i128)(r0 > c0 ? r0 - c0 : c0 - r0) + (i128)rows + (i128)cols;
    i128 b = (i128)band_width > far ? far : (i128)band_width;
    i128 a = (i128)r0 - (i128)c0, h = (i128)rows, w = (i128)cols;
    /* Row r holds the columns c of the box with r - b <= c <= r + b: the
     * columns up to r + b less those up to r - b - 1, each a clamp to
     * [0, w] of a line in r, summed over the rows in closed form. */
    i128 upto = clamp_sum(a + h + b, w) - clamp_sum(a + b, w);
    i128 below = clamp_sum(a + h - 1 - b, w) - clamp_sum(a - b - 1, w);
    i128 nnz = upto - below;
    return nnz > (i128)UINT64_MAX ? UINT64_MAX : (uint64_t)nnz;
}

double density_banded_fraction(uint64_t band_width, const uint64_t tensor[2])
{
    double size = (double)tensor[0] * (double)tensor[1];
    if (size == 0)
        return 0;
    return (double)density_banded_box_nnz(band_width, 0, 0, tensor[0], tensor[1]) / size;
}

/* Sub-boxes of sub[] laid from (r0, c0) over the box rows x cols there that
 * hold a non-zero: per row of sub-boxes, the column groups the band crosses. */
static uint64_t nonempty_subs(uint64_t bw, uint64_t r0, uint64_t c0, uint64_t rows, uint64_t cols,
                              const uint64_t sub[2])
{
    uint64_t count = 0;
    for (uint64_t rr = r0; rr < r0 + rows; rr += sub[0]) {
        uint64_t h = r0 + rows - rr < sub[0] ? r0 + rows - rr : sub[0];
        uint64_t lo = rr > bw ? rr - bw : 0, hi = rr + h - 1 + bw;
        if (lo < c0)
            lo = c0;
        if (hi > c0 + cols - 1)
            hi = c0 + cols - 1;
        if (lo <= hi)
            count += (hi - c0) / sub[1] - (lo - c0) / sub[1] + 1;
    }
    return count;
}

void density_banded_tiles(uint64_t band_width, const uint64_t tensor[2], const uint64_t tile[2],
                          uint64_t block, const uint64_t *sub, banded_tiles *out)
{
    *out = (banded_tiles){0};
    uint64_t h = tile[0] ? tile[0] : 1, w = tile[1] ? tile[1] : 1;
    if (!tensor[0] || !tensor[1])
        return;
    uint64_t row_groups = (tensor[0] + h - 1) / h, col_groups = (tensor[1] + w - 1) / w;
    uint64_t nonempty = 0;
    /* A band wider than the matrix reaches all of it. */
    uint64_t bw = band_width > tensor[0] + tensor[1] ? tensor[0] + tensor[1] : band_width;
    if (block == 0)
        block = 1;
    out->tiles = row_groups * col_groups;
    /* Only the tiles the band crosses hold anything: per row of tiles, the
     * column groups from the one holding column r0 - bw to the one holding
     * the last row + bw. */
    for (uint64_t i = 0; i < row_groups; i++) {
        uint64_t r0 = i * h, rows = tensor[0] - r0 < h ? tensor[0] - r0 : h;
        uint64_t first = r0 > bw ? (r0 - bw) / w : 0;
        uint64_t last = (r0 + rows - 1 + (bw < tensor[1] ? bw : tensor[1])) / w;
        if (last >= col_groups)
            last = col_groups - 1;
        for (uint64_t j = first; j <= last; j++) {
            uint64_t c0 = j * w, cols = tensor[1] - c0 < w ? tensor[1] - c0 : w;
            uint64_t nnz = density_banded_box_nnz(bw, r0, c0, rows, cols);
            if (!nnz)
                continue;
            nonempty++;
            if (nnz > out->max_nnz)
                out->max_nnz = nnz;
            out->blocks += (double)((nnz + block - 1) / block);
            if (sub && sub[0] && sub[1]) {
                uint64_t k = nonempty_subs(bw, r0, c0, rows, cols, sub);
                if (k > out->max_sub)
                    out->max_sub = k;
            }
        }
    }
    out->empty = out->tiles - nonempty;
}
