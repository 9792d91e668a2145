/* sim_sparse.c - the reference simulator's sparse tensors and compressed
 * tiles.
 *
 * A tensor's zeros are placed by its density model (docs/sim.md):
 *   - dense: no zeros;
 *   - fixed_structured: with t the sum of a point's coordinates plus an offset
 *     drawn from the seed, the point is non-zero when floor((t + 1) d) >
 *     floor(t d). Every run of L consecutive points along any one rank then
 *     holds floor(L d) or ceil(L d) non-zeros, exactly L d when that is whole:
 *     the closest a real tensor comes to Sparseloop's "every tile holds
 *     density x its size", for tiles along every rank at once;
 *   - hypergeometric: ceil(d x size) non-zeros at points drawn uniformly
 *     without replacement;
 *   - banded: the points of the matrix within band_width of its diagonal
 *     (|row - column| <= band_width, Sparseloop's band; a banded data space
 *     that is not a matrix is refused before drawing).
 * Metadata of read-only data is counted per tile as Sparseloop lays a format
 * over it (sim_tile_metadata); Outputs partial sums sent up are encoded as a
 * fibertree over their bounding box (sim_format_metadata).
 */
#include "sim/sim_sparse.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint64_t next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static int64_t nonzero_value(uint64_t *rng)
{
    int64_t v = (int64_t)(next(rng) % 14);
    return v < 7 ? v - 7 : v - 6;
}

static int64_t coord(const sim_shape *sh, uint64_t a, int r)
{
    return (int64_t)(a / (uint64_t)sh->stride[r]) % sh->ext[r];
}

bool sim_draw_tensor(const petal_density *d, const sim_shape *sh, int64_t *values, uint64_t *rng)
{
    double density = d->density < 0 ? 0 : d->density > 1 ? 1 : d->density;
    switch (d->kind) {
    case PETAL_DENSITY_FIXED_STRUCTURED: {
        uint64_t offset = next(rng) % 1048576;
        for (uint64_t w = 0; w < sh->words; w++) {
            uint64_t t = offset;
            for (int r = 0; r < sh->nranks; r++)
                t += (uint64_t)coord(sh, w, r);
            bool nz = floor((double)(t + 1) * density) > floor((double)t * density);
            values[w] = nz ? nonzero_value(rng) : 0;
        }
        return true;
    }
    case PETAL_DENSITY_HYPERGEOMETRIC: {
        /* Sparseloop's count of non-zeros, rounded up (its hypergeometric model). */
        uint64_t k = (uint64_t)ceil(density * (double)sh->words);
        uint64_t *order = malloc((sh->words ? sh->words : 1) * sizeof *order);
        if (!order)
            return false;
        for (uint64_t w = 0; w < sh->words; w++) {
            order[w] = w;
            values[w] = 0;
        }
        for (uint64_t i = 0; i < k && i < sh->words; i++) {
            uint64_t j = i + next(rng) % (sh->words - i);
            uint64_t t = order[i];
            order[i] = order[j];
            order[j] = t;
            values[order[i]] = nonzero_value(rng);
        }
        free(order);
        return true;
    }
    case PETAL_DENSITY_BANDED:
        for (uint64_t w = 0; w < sh->words; w++) {
            bool nz = true;
            if (sh->nranks >= 2) {
                int64_t gap = coord(sh, w, 0) - coord(sh, w, 1);
                nz = (uint64_t)(gap < 0 ? -gap : gap) <= d->band_width;
            }
            values[w] = nz ? nonzero_value(rng) : 0;
        }
        return true;
    default:
        for (uint64_t w = 0; w < sh->words; w++)
            values[w] = nonzero_value(rng);
        return true;
    }
}

static bool rank_compresses(int format)
{
    return format == PETAL_FORMAT_B || format == PETAL_FORMAT_RLE || format == PETAL_FORMAT_CP;
}

bool sim_format_compresses(const petal_format *f)
{
    for (int i = 0; f && i < f->nranks; i++)
        if (rank_compresses(f->ranks[i].format))
            return true;
    return false;
}

/* Distinct values of addr / stride among the kept words (ascending addresses
 * give ascending quotients). */
static uint64_t distinct_prefixes(const uint64_t *addr, uint64_t n, const bool *kept,
                                  uint64_t stride)
{
    uint64_t count = 0, last = 0;
    bool any = false;
    for (uint64_t i = 0; i < n; i++) {
        if (!kept[i])
            continue;
        uint64_t q = addr[i] / stride;
        if (!any || q != last)
            count++;
        any = true;
        last = q;
    }
    return count;
}

uint64_t sim_format_metadata(const petal_format *f, const sim_shape *sh, const uint64_t *addr,
                             uint64_t n, const int64_t *values)
{
    if (!f || f->nranks == 0 || n == 0)
        return 0;
    bool zeros_dropped = sim_format_compresses(f);
    bool *kept = malloc(n * sizeof *kept);
    if (!kept)
        return 0;
    uint64_t nkept = 0;
    int64_t lo[PETAL_MAX_RANKS], hi[PETAL_MAX_RANKS];
    for (int r = 0; r < sh->nranks; r++) {
        lo[r] = INT64_MAX;
        hi[r] = INT64_MIN;
    }
    for (uint64_t i = 0; i < n; i++) {
        kept[i] = !zeros_dropped || values[addr[i]] != 0;
        nkept += kept[i];
        for (int r = 0; r < sh->nranks; r++) {
            int64_t c = coord(sh, addr[i], r);
            lo[r] = c < lo[r] ? c : lo[r];
            hi[r] = c > hi[r] ? c : hi[r];
        }
    }
    uint64_t metadata = 0;
    bool outer_uncompressed = true;
    for (int i = 0; i < f->nranks; i++) {
        int r = sh->nranks - f->nranks + i; /* the data space's rank; < 0: a rank of extent 1 */
        uint64_t extent = r >= 0 ? (uint64_t)(hi[r] - lo[r] + 1) : 1;
        uint64_t fibers = 1; /* an uncompressed rank is there whatever the values */
        if (outer_uncompressed) {
            for (int k = 0; k < r; k++)
                fibers *= (uint64_t)(hi[k] - lo[k] + 1);
        } else if (r > 0) {
            fibers = distinct_prefixes(addr, n, kept, (uint64_t)sh->stride[r - 1]);
        }
        uint64_t elements =
            r >= 0 ? distinct_prefixes(addr, n, kept, (uint64_t)sh->stride[r]) : nkept > 0;
        switch (f->ranks[i].format) {
        case PETAL_FORMAT_UOP:
            metadata += fibers * (extent + 1);
            break;
        case PETAL_FORMAT_B:
        case PETAL_FORMAT_UB:
            metadata += fibers * extent;
            break;
        case PETAL_FORMAT_CP:
        case PETAL_FORMAT_RLE:
            metadata += elements;
            break;
        default:
            break;
        }
        outer_uncompressed &= !rank_compresses(f->ranks[i].format);
    }
    free(kept);
    return metadata;
}

uint64_t sim_format_scalar_metadata(const petal_format *f)
{
    uint64_t metadata = 0;
    for (int i = 0; f && i < f->nranks; i++)
        metadata += f->ranks[i].format == PETAL_FORMAT_UOP ? 2
                    : f->ranks[i].format == PETAL_FORMAT_U ? 0
                                                           : 1;
    return metadata;
}

/* --- a tile's metadata as Sparseloop lays a format over it --- */

typedef struct tile_walk {
    const sim_rank_plan *plan;
    const sim_projection *proj;
    const sim_shape *sh;
    const int64_t *lo, *values;
    uint64_t nonempty[PETAL_MAX_FORMAT_RANKS]; /* non-empty elements per rank */
} tile_walk;

/* Whether the operations offset[d] + [0, extent[d]) of the tile touch a
 * non-zero value. */
static bool box_nonempty(const tile_walk *w, const uint64_t *offset, const uint64_t *extent)
{
    int64_t blo[PETAL_MAX_RANKS], bhi[PETAL_MAX_RANKS], c[PETAL_MAX_RANKS];
    int n = w->sh->nranks;
    for (int i = 0; i < n; i++) {
        int64_t a = 0, b = 0;
        for (int t = 0; t < w->proj->nterms[i]; t++) {
            int d = w->proj->dim[i][t];
            a += w->proj->coef[i][t] * (int64_t)offset[d];
            b += w->proj->coef[i][t] * (int64_t)(offset[d] + extent[d] - 1);
        }
        blo[i] = w->lo[i] + a;
        bhi[i] = w->lo[i] + b;
        if (bhi[i] >= w->sh->ext[i])
            bhi[i] = w->sh->ext[i] - 1;
        if (blo[i] > bhi[i])
            return false;
        c[i] = blo[i];
    }
    for (;;) {
        uint64_t a = 0;
        for (int i = 0; i < n; i++)
            a += (uint64_t)(c[i] * w->sh->stride[i]);
        if (w->values[a] != 0)
            return true;
        int i = n - 1;
        while (i >= 0 && ++c[i] > bhi[i]) {
            c[i] = blo[i];
            i--;
        }
        if (i < 0)
            return false;
    }
}

/* Count the non-empty elements of rank r inside the fiber at offset. */
static void walk_rank(tile_walk *w, int r, const uint64_t *offset)
{
    const sim_rank_plan *pl = w->plan;
    for (uint64_t j = 0; j < pl->fiber[r]; j++) {
        uint64_t at[PETAL_MAX_DIMS];
        memcpy(at, offset, sizeof at);
        if (pl->dim[r] >= 0)
            at[pl->dim[r]] += j * pl->element[r][pl->dim[r]];
        if (!box_nonempty(w, at, pl->element[r]))
            continue;
        w->nonempty[r]++;
        if (r + 1 < pl->nranks)
            walk_rank(w, r + 1, at);
    }
}

uint64_t sim_tile_metadata(const sim_rank_plan *plan, const sim_projection *proj,
                           const sim_shape *sh, const int64_t *lo, const int64_t *values)
{
    if (plan->nranks == 0)
        return 0;
    tile_walk w = {plan, proj, sh, lo, values, {0}};
    uint64_t origin[PETAL_MAX_DIMS] = {0};
    walk_rank(&w, 0, origin);
    uint64_t md[PETAL_MAX_FORMAT_RANKS], pl[PETAL_MAX_FORMAT_RANKS];
    uint64_t fibers = w.nonempty[0] > 0, max_fibers = 1; /* of rank 0: the tile */
    for (int r = 0; r < plan->nranks; r++) {
        uint64_t shape = plan->fiber[r], elements = w.nonempty[r];
        md[r] = pl[r] = 0;
        if (shape > 1 || r == 0) {
            switch (plan->format[r]) {
            case PETAL_FORMAT_UOP:
                pl[r] = fibers * (shape + 1);
                break;
            case PETAL_FORMAT_CP:
            case PETAL_FORMAT_RLE:
                md[r] = pl[r] = elements;
                break;
            case PETAL_FORMAT_B:
                md[r] = fibers * shape;
                pl[r] = elements;
                break;
            case PETAL_FORMAT_UB:
                md[r] = pl[r] = max_fibers * shape;
                break;
            default:
                break;
            }
        }
        fibers = elements;
        max_fibers *= shape;
    }
    uint64_t units = 0;
    bool inner_found = false;
    for (int r = plan->nranks - 1; r >= 0; r--) {
        if (!inner_found && (md[r] || pl[r])) {
            pl[r] = 0;
            inner_found = true;
        }
        units += md[r] + pl[r];
    }
    return units;
}
