/* bound.c - lower bounds on the energy and cycles of every completion of a
 * partial mapping: what the branch and bound search prunes with.
 *
 * The bound follows the model's own counting rules (src/model/reuse.h): for
 * each data space, the levels that keep it form a chain ending at the MACs, and
 * every link of the chain costs the words entering the inner keeper (fills,
 * network) and the words the outer keeper serves (reads; updates for partial
 * sums). With the inner levels decided, what is still open is how the factors
 * left over (O[d] per dimension) are split into the outer levels' loops, their
 * order and spatial fan-outs. The words entering an inner keeper c over the
 * whole run are, per instance,
 *     D(c) = K * pass - overlap * (outer steps that keep sliding),
 * where `pass` is what one sweep of the decided loops above c brings in (the
 * model's count with nothing outside), K the number of outer iterations and
 * `overlap` the words a slide keeps. Which outer steps can still slide depends
 * on the decided loops:
 *   - the innermost decided loop moves the tile to a disjoint place (a channel
 *     loop), or a decided loop moved a coordinate no other dimension shares:
 *     no outer step can return to the previous tile, so D(c) = K * pass exactly
 *     and the outer factors multiply it whatever their order or fan-out;
 *   - only loops the data space does not depend on were decided (it is still
 *     stationary): an outer step costs a full tile unless the tile does not
 *     move, so D(c) >= tile * (distinct tile positions), counted from the
 *     outer factors of the dimensions it depends on alone;
 *   - nothing was decided above c, or a sliding window may continue: D(c) is
 *     at least the distinct words the instance touches (the union of its
 *     tiles), and at least K * (pass - overlap) + overlap.
 * An undecided parent serves those words with at most the multicast its
 * undecided fan-outs allow; its cost is that of the cheapest level that may
 * hold the data space, plus filling it and DRAM once per word. Energies per
 * word are the level's action energies over its block size (the model rounds
 * vector accesses up). Everything else (network and leakage at undecided
 * levels) is counted as zero. The result is shaved by 1e-9 so rounding can
 * never put it above a mapping's exact value.
 */
#include <math.h>
#include <string.h>

#include "mapper/objective.h"
#include "mapper/partial.h"
#include "model/reuse.h"
#include "model/sparse.h"
#include "workload/density.h"

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

/* What the decided loops above a keeper say about its words entering. */
typedef struct run_info {
    double tile;     /* X: words of one tile */
    double steps;    /* T_dec: iterations of the decided loops above */
    double pass;     /* words entering over one sweep of them */
    double overlap;  /* words a slide by the innermost loop's step keeps */
    bool any;        /* a decided loop above has a factor > 1 */
    bool first_zero; /* ... and the innermost of them leaves the tile in place */
    bool wrap_zero;  /* no decided loop moved the tile at all */
    bool wrap_alone; /* a decided loop moved a coordinate no other dim shares */
} run_info;

typedef struct bctx {
    const mapspace *ms;
    const petal_problem *p;
    const petal_arch *a;
    const partial *s;
    int l, ph, nl, nd;
    reuse_nest nest;
    petal_mapping mm;
    uint64_t ext_l[PETAL_MAX_DIMS];       /* the true tile of level l when its tile is decided */
    double outer_below_l[PETAL_MAX_DIMS]; /* O for keepers below l */
    double outer_at_l[PETAL_MAX_DIMS];    /* O for a keeper at l */
    double room;                          /* parallelism the undecided fan-outs can add */
    bool spatial_decided[PETAL_MAX_LEVELS];
    /* Per level whose keeps are open: the data spaces it can still keep, as
     * their smallest tiles (every factor still open at 1) fit its depth
     * beside what it must keep; and whether what some level must keep can
     * no longer fit at all (no completion). */
    uint8_t fits[PETAL_MAX_LEVELS];
    bool infeasible;
    double groups[PETAL_NUM_DS][PETAL_MAX_LEVELS]; /* G(i) for decided fan-outs */
    /* Per data space and keeper: what the decided loops above it say (filled
     * on first use), and whether its bound depends on the innermost open loop. */
    run_info run[PETAL_NUM_DS][PETAL_MAX_LEVELS];
    bool run_done[PETAL_NUM_DS][PETAL_MAX_LEVELS];
    bool depends_on_first[PETAL_NUM_DS];
    bool none_possible; /* OUTER_NONE is among the candidates */
    /* Words of each whole tensor, and partition bounds (filled on first use:
     * neither depends on the outer loop a bound is computed for). */
    double whole[PETAL_NUM_DS];
    double part[PETAL_NUM_DS][PETAL_MAX_LEVELS + 1];
    bool part_done[PETAL_NUM_DS][PETAL_MAX_LEVELS + 1];
} bctx;

static bool tile_decided(const bctx *b, int i)
{
    return i > b->l || (i == b->l && b->ph == PHASE_ORDER);
}

static const uint64_t *tile_ext(const bctx *b, int c)
{
    return c == b->l ? b->ext_l : b->nest.ext[c];
}

static const double *outer_of(const bctx *b, int c)
{
    return c == b->l ? b->outer_at_l : b->outer_below_l;
}

/* Mirror of the model's sweep over the loops above keeper c (reuse.c),
 * restricted to the decided loops (levels l+1 .. c-1). */
static run_info decided_run(const bctx *b, int s, int c)
{
    const reuse_nest *n = &b->nest;
    int nr = n->nranks[s];
    uint64_t e[PETAL_MAX_RANKS];
    run_info ri;
    memset(&ri, 0, sizeof ri);
    ri.tile = (double)reuse_tile_words(n, s, tile_ext(b, c), e);
    int64_t first[PETAL_MAX_RANKS] = {0}, wrap[PETAL_MAX_RANKS] = {0};
    double total = 1;
    for (int a = c - 1; a > b->l; a--)
        for (int d = 0; d < b->nd; d++)
            total *= (double)b->mm.levels[a].temporal[d];
    double prefix = 1, sliding = 0;
    for (int a = c - 1; a > b->l; a--) {
        const petal_level_mapping *lm = &b->mm.levels[a];
        for (int k = 0; k < b->nd; k++) {
            int d = lm->perm[k];
            uint64_t f = lm->temporal[d];
            if (f <= 1)
                continue;
            int64_t stride = (int64_t)(n->spatial[a][d] * n->ext[a + 1][d]);
            prefix *= (double)f;
            double steps = (double)(f - 1) * (total / prefix);
            bool slides = true;
            for (int r = 0; r < nr; r++) {
                int64_t t = b->ms->coef[s][r][d] * stride;
                if (!ri.any)
                    first[r] = t;
                else if (t - wrap[r] != first[r])
                    slides = false;
                wrap[r] += (int64_t)(f - 1) * t;
            }
            if (!ri.any) {
                ri.any = true;
                uint64_t ov = 1;
                for (int r = 0; r < nr; r++) {
                    uint64_t shift = (uint64_t)(first[r] < 0 ? -first[r] : first[r]);
                    ov = shift >= e[r] ? 0 : ov * (e[r] - shift);
                }
                ri.overlap = (double)ov;
            }
            if (slides)
                sliding += steps;
        }
    }
    ri.steps = total;
    ri.pass = ri.tile * total - ri.overlap * sliding;
    ri.first_zero = true;
    ri.wrap_zero = true;
    for (int r = 0; r < nr; r++) {
        if (first[r])
            ri.first_zero = false;
        if (wrap[r]) {
            ri.wrap_zero = false;
            if (b->ms->ranks[s][r].alone)
                ri.wrap_alone = true;
        }
    }
    return ri;
}

/* Union of the tiles one instance touches when each dimension takes n[d]
 * positions (a lower bound on the distinct words it must take in). */
static double union_words(const bctx *b, int s, const uint64_t *ext, const double *n)
{
    double words = 1;
    for (int r = 0; r < b->nest.nranks[s]; r++) {
        const ms_rank *rd = &b->ms->ranks[s][r];
        double h = 1;
        for (int d = 0; d < b->nd; d++)
            h += (double)b->ms->coef[s][r][d] * (double)(ext[d] - 1);
        double u = h;
        if (rd->independent) {
            for (int k = 0; k < rd->n; k++) {
                int d = rd->dims[k];
                double step = (double)b->ms->coef[s][r][d] * (double)ext[d];
                double v = (n[d] - 1) * (step < h ? step : h) + h;
                if (v > u)
                    u = v;
            }
        }
        words *= u;
    }
    return words;
}

/* Distinct positions of a tile that only loops outside move: its lone
 * coordinates multiply, a shared coordinate takes at least its largest count. */
static double distinct_positions(const bctx *b, int s, const double *n)
{
    double pos = 1;
    for (int r = 0; r < b->nest.nranks[s]; r++) {
        const ms_rank *rd = &b->ms->ranks[s][r];
        if (!rd->independent)
            continue;
        double best = 1;
        for (int k = 0; k < rd->n; k++)
            if (n[rd->dims[k]] > best)
                best = n[rd->dims[k]];
        pos *= best;
    }
    return pos;
}

/* The most undecided fan-outs can multicast data space s (or replicate its
 * partial sums) given what is left of each dimension: only dimensions that
 * leave the tile in place or slide it within a window do. The undecided
 * parallelism between the two levels concerned caps it too (room_between). */
static double multicast_cap(const bctx *b, int s, const double *o)
{
    double m = 1;
    uint8_t rel = b->ms->relevant[s];
    for (int d = 0; d < b->nd; d++)
        if (!((rel >> d) & 1))
            m *= o[d];
    for (int r = 0; r < b->nest.nranks[s]; r++) {
        const ms_rank *rd = &b->ms->ranks[s][r];
        if (rd->n < 2)
            continue;
        double prod = 1, best = 1;
        for (int k = 0; k < rd->n; k++) {
            prod *= o[rd->dims[k]];
            if (o[rd->dims[k]] > best)
                best = o[rd->dims[k]];
        }
        m *= prod / best;
    }
    return m;
}

/* The parallelism undecided fan-outs of levels from .. to-1 can add. */
static double room_between(const bctx *b, int from, int to)
{
    double room = 1;
    for (int i = from; i < to && i < b->nl; i++)
        if (!b->spatial_decided[i])
            room *= (double)b->ms->lv[i].fanout_x * (double)b->ms->lv[i].fanout_y;
    return room;
}

/* What the innermost undecided loop above the decided levels is: the outer
 * loops start with it for every keeper below level l. */
enum { OUTER_ANY = -1, OUTER_NONE = -2 };

/* The rank a dimension appears in for data space s, or -1 (none, or several). */
static int rank_of(const bctx *b, int s, int d)
{
    int found = -1;
    for (int r = 0; r < b->nest.nranks[s]; r++)
        if (b->ms->coef[s][r][d]) {
            if (found >= 0)
                return -1;
            found = r;
        }
    return found;
}

/* Lower bounds on the words entering all instances of keeper c (`fills`) and
 * on what an undecided parent must serve for them before the multicast of the
 * decided fan-outs between them: max(sdiv / m, sfix), m being the most the
 * undecided fan-outs between them can multicast; given the innermost outer
 * loop (`first`: a dimension, OUTER_NONE for no outer loop, OUTER_ANY). */
static const run_info *run_of(bctx *b, int s, int c)
{
    if (!b->run_done[s][c]) {
        b->run[s][c] = decided_run(b, s, c);
        b->run_done[s][c] = true;
    }
    return &b->run[s][c];
}

/* At level l's order step, for a keeper c below l whose tile the decided
 * loops between them leave in place: l's loops over coordinates of c's data
 * space that no other dimension shares each move the tile to a disjoint
 * place, whatever the order; at best l's other loops sit inside them. So a
 * tile enters for every iteration of those loops, and again for every
 * iteration of the loops above l (each restarts l's sweep from a tile
 * disjoint from where it ended). 0 when l has no such loop. */
static double level_refills(bctx *b, int s, int c)
{
    if (b->ph != PHASE_ORDER || c <= b->l)
        return 0;
    const run_info *ri = run_of(b, s, c);
    if (ri->any && !(ri->first_zero && ri->wrap_zero))
        return 0;
    const petal_level_mapping *lm = &b->s->m.levels[b->l];
    double moves = 1;
    for (int r = 0; r < b->nest.nranks[s]; r++)
        if (b->ms->ranks[s][r].alone)
            moves *= (double)lm->temporal[b->ms->ranks[s][r].dims[0]];
    if (moves <= 1)
        return 0;
    double above = 1;
    for (int d = 0; d < b->nd; d++)
        above *= b->outer_at_l[d];
    return (double)b->nest.instances[c] * ri->tile * moves * above;
}

static void entering_bound_of(bctx *b, int s, int c, int first, double *fills, double *sdiv,
                              double *sfix);

static void entering_bound(bctx *b, int s, int c, int first, double *fills, double *sdiv,
                           double *sfix)
{
    entering_bound_of(b, s, c, first, fills, sdiv, sfix);
    double refills = level_refills(b, s, c);
    if (refills > *fills)
        *fills = refills;
    if (refills > *sdiv)
        *sdiv = refills;
}

static void entering_bound_of(bctx *b, int s, int c, int first, double *fills, double *sdiv,
                              double *sfix)
{
    const double *o = outer_of(b, c);
    double inst = (double)b->nest.instances[c];
    const uint64_t *ext = tile_ext(b, c);
    run_info ri = *run_of(b, s, c);
    double all = 1;
    for (int d = 0; d < b->nd; d++)
        all *= o[d];
    if (ri.any && (ri.overlap == 0 || ri.wrap_alone)) {
        /* No outer step can bring back the previous tile. */
        *fills = inst * ri.pass * all;
        *sdiv = *fills;
        *sfix = 0;
        return;
    }
    if (c == b->l)
        first = OUTER_ANY; /* its outer loops start above l */
    bool stationary = !ri.any || (ri.first_zero && ri.wrap_zero);
    /* Only a tile left in place, or no outer loop at all, tells the innermost
     * outer loop apart: otherwise every candidate gives the value for any. */
    if (c != b->l && (stationary || b->none_possible))
        b->depends_on_first[s] = true;
    if (first == OUTER_NONE) {
        /* Everything left is spread over fan-outs: one sweep per instance. */
        *fills = inst * ri.pass * all;
        *sdiv = *fills;
        *sfix = 0;
        return;
    }
    if (first >= 0 && stationary) {
        int r = rank_of(b, s, first);
        if (!((b->ms->relevant[s] >> first) & 1)) {
            /* Left in place by the first outer loop: only moves cost a tile. */
            *fills = inst * ri.tile * distinct_positions(b, s, o);
            *sdiv = 0;
            *sfix = *fills;
            return;
        }
        if (r >= 0 && b->ms->ranks[s][r].alone) {
            /* Moved to a disjoint tile at once: every outer step refills it. */
            *fills = inst * ri.tile * all;
            *sdiv = *fills;
            *sfix = 0;
            return;
        }
        if (r >= 0 && b->ms->ranks[s][r].independent) {
            double in_rank = 1, other = 1, largest = 1;
            for (int d = 0; d < b->nd; d++) {
                if (b->ms->coef[s][r][d]) {
                    in_rank *= o[d];
                    largest = fmax(largest, o[d]);
                } else {
                    other *= o[d];
                }
            }
            double f;
            if (ri.any) {
                /* Stationary so far, then moved: a tile per position, no slide. */
                f = inst * ri.tile * other * largest;
            } else {
                /* The window slides along `first`'s coordinate at best; any
                 * other step fetches the whole tile. */
                uint64_t e[PETAL_MAX_RANKS];
                reuse_tile_words(&b->nest, s, ext, e);
                uint64_t shift = (uint64_t)b->ms->coef[s][r][first] * b->nest.ext[b->l][first];
                double kept = shift >= e[r] ? 0 : ri.tile / (double)e[r] * (double)(e[r] - shift);
                f = inst * other * (ri.tile + (in_rank - 1) * (ri.tile - kept));
            }
            double uni = inst * union_words(b, s, ext, o);
            *fills = fmax(f, uni);
            *sdiv = f;
            *sfix = uni;
            return;
        }
    }
    if (stationary && ri.any) {
        /* Left in place by the decided loops: whatever the outer order, an
         * outer step costs a whole tile unless the tile does not move. */
        *fills = inst * ri.tile * distinct_positions(b, s, o);
        *sdiv = 0;
        *sfix = *fills;
        return;
    }
    double uni = inst * union_words(b, s, ext, o);
    double weak = 0;
    if (ri.any)
        weak = inst * (all * (ri.pass - ri.overlap) + ri.overlap);
    *fills = weak > uni ? weak : uni;
    *sdiv = weak;
    *sfix = uni;
}

/* Per-word energies of a level's actions, for data space s: with word widths
 * (docs/precision.md) no more than its narrowest width's share of a word. */
static double per_word(const bctx *b, int s, const petal_level *lv, double pj)
{
    double e = pj / (double)(lv->block_size ? lv->block_size : 1);
    return e * b->ms->width_scale[lv - b->a->levels][s];
}

/* The most a fan-out with factors f[d] can replicate data space s across its
 * children whatever their tiles: the factors of dimensions that do not index
 * a coordinate alone (a window's children overlap). */
static double replication_cap(const bctx *b, int s, const double *f)
{
    double cap = 1;
    uint8_t alone = 0;
    for (int r = 0; r < b->nest.nranks[s]; r++)
        if (b->ms->ranks[s][r].alone)
            alone |= (uint8_t)(1u << b->ms->ranks[s][r].dims[0]);
    for (int d = 0; d < b->nd; d++)
        if (!((alone >> d) & 1))
            cap *= f[d];
    return cap;
}

/* Upper bound on the sum over the instances of level x of its partition of
 * data space s (the model elides the first read of each partial sum in it):
 * the whole tensor, replicated at each fan-out above x by the children that
 * share a tile. */
static double partition_bound_of(const bctx *b, int s, int x)
{
    double part = b->whole[s];
    bool any_open = false;
    for (int i = 0; i < x; i++) {
        if (!b->spatial_decided[i]) {
            any_open = true;
            continue;
        }
        if (b->nest.fanout[i] <= 1)
            continue;
        if (!tile_decided(b, i + 1)) {
            double f[PETAL_MAX_DIMS];
            for (int d = 0; d < b->nd; d++)
                f[d] = (double)b->nest.spatial[i][d];
            part *= replication_cap(b, s, f);
            continue;
        }
        uint64_t e[PETAL_MAX_DIMS];
        const uint64_t *inner = tile_ext(b, i + 1);
        for (int d = 0; d < b->nd; d++)
            e[d] = b->nest.spatial[i][d] * inner[d];
        double spanned = (double)reuse_tile_words(&b->nest, s, e, NULL);
        double tile = (double)reuse_tile_words(&b->nest, s, inner, NULL);
        part *= (double)b->nest.fanout[i] * tile / spanned;
    }
    if (any_open) {
        /* Undecided fan-outs take at most what is left of each dimension. */
        double cap = replication_cap(b, s, b->outer_below_l);
        part *= cap < b->room ? cap : b->room;
    }
    return part;
}

static double partition_bound(bctx *b, int s, int x)
{
    if (!b->part_done[s][x]) {
        b->part[s][x] = partition_bound_of(b, s, x);
        b->part_done[s][x] = true;
    }
    return b->part[s][x];
}

static double ratio_between(const bctx *b, int s, int from, int to)
{
    double r = 1;
    for (int i = from; i < to; i++)
        if (b->spatial_decided[i] && b->nest.fanout[i] > 1)
            r *= b->groups[s][i] / (double)b->nest.fanout[i];
    return r;
}

/* The cheapest way an undecided parent p can serve the words of data space s
 * that the outermost decided keeper `inner` (or the MACs) takes in: `fills`
 * entering it; p sends max(sdiv / m, sfix) before the multicast of the
 * decided fan-outs between them, m at most `cap` and the undecided
 * parallelism between them. */
static double chain_bound(bctx *b, int s, int inner, double fills, double sdiv, double sfix,
                          double cap)
{
    const petal_arch *a = b->a;
    const mapspace *ms = b->ms;
    bool outputs = s == PETAL_DS_OUTPUTS;
    double wmin = ms->wmin[s];
    double wfull = b->whole[s];
    uint8_t bit = (uint8_t)(1u << s);
    /* Candidates: undecided levels above `inner` that may keep s; the
     * innermost level that must keep s bounds them from above. */
    int lo = 0, top = inner < b->nl ? inner : b->nl;
    for (int i = 0; i < top; i++) {
        bool undecided_keep = i < b->l || (i == b->l && b->ph <= PHASE_KEEP);
        bool kept = (i == b->l && b->ph >= PHASE_TEMPORAL && !tile_decided(b, i))
                        ? (b->s->m.levels[i].keep & bit) != 0
                        : false;
        if ((undecided_keep && (ms->lv[i].keep_required & bit)) || kept)
            lo = i;
    }
    double best = INFINITY;
    for (int p = lo; p < top; p++) {
        bool undecided_keep = p < b->l || (p == b->l && b->ph <= PHASE_KEEP);
        bool kept_known = p == b->l && b->ph >= PHASE_TEMPORAL && !tile_decided(b, p) &&
                          (b->s->m.levels[p].keep & bit);
        if (!kept_known &&
            !(undecided_keep && (ms->lv[p].keep_allowed & bit) && (b->fits[p] & bit)))
            continue;
        const petal_level *lv = &a->levels[p];
        double room = room_between(b, p, inner);
        double served =
            fmax(sdiv / (cap < room ? cap : room), sfix) * ratio_between(b, s, p, inner);
        double cost = 0;
        /* The networks between p and `inner` carry what enters `inner`. */
        for (int i = p; i < inner; i++)
            if (b->spatial_decided[i])
                cost += a->levels[i].hop_pj * fills * ratio_between(b, s, i + 1, inner);
        if (outputs) {
            /* Every partial sum sent up is an update; all but the first of
             * each word in p's partition are read back. */
            double part = p == 0 ? wfull : partition_bound(b, s, p);
            cost += per_word(b, s, lv, lv->update_pj) * served +
                    per_word(b, s, lv, lv->read_pj) * fmax(0, served - part);
        } else {
            cost += per_word(b, s, lv, lv->read_pj) * served;
        }
        if (p != 0) {
            /* The data must also reach p from DRAM, through every level that
             * must keep it, at least once per word. */
            const petal_level *top_lv = &a->levels[0];
            if (outputs) {
                cost += per_word(b, s, top_lv, top_lv->update_pj) * wmin;
            } else {
                cost +=
                    (per_word(b, s, lv, lv->fill_pj) + per_word(b, s, top_lv, top_lv->read_pj)) *
                    wmin;
            }
            for (int g = 1; g < p; g++) {
                bool open_g = g < b->l || (g == b->l && b->ph <= PHASE_KEEP);
                if (!open_g || !(ms->lv[g].keep_required & bit))
                    continue;
                const petal_level *gl = &a->levels[g];
                cost += outputs
                            ? per_word(b, s, gl, gl->update_pj) * wmin
                            : (per_word(b, s, gl, gl->read_pj) + per_word(b, s, gl, gl->fill_pj)) *
                                  wmin;
            }
        }
        if (cost < best)
            best = cost;
    }
    return isfinite(best) ? best : 0;
}

/* Energy of data space s over its decided chain and a bound on the rest.
 * Adds to level_reads and level_writes the least each decided keeper reads
 * and takes in, and to net (unless NULL) the least that crosses the network
 * below it for s: its reads and, for Outputs, the updates coming back. */
static double dataspace_energy(bctx *b, int s, int first, double *level_reads, double *level_writes,
                               double (*net)[PETAL_NUM_DS])
{
    const petal_arch *a = b->a;
    bool outputs = s == PETAL_DS_OUTPUTS;
    uint8_t bit = (uint8_t)(1u << s);
    int keepers[PETAL_MAX_LEVELS + 1], nk = 0;
    for (int i = 0; i < b->nl; i++)
        if (tile_decided(b, i) && (b->mm.levels[i].keep & bit))
            keepers[nk++] = i;
    double computes = (double)petal_problem_macs(b->p);
    double energy = 0;
    /* Links between decided keepers, innermost first; the MACs end the chain. */
    double fills_inner = computes, sdiv_inner = computes, sfix_inner = 0;
    int inner = b->nl;
    for (int k = nk - 1; k >= 0; k--) {
        int j = keepers[k];
        const petal_level *lv = &a->levels[j];
        double ratio = ratio_between(b, s, j, inner);
        double served = fills_inner * ratio;
        if (outputs) {
            double reads = fmax(0, served - partition_bound(b, s, j));
            energy += per_word(b, s, lv, lv->update_pj) * served +
                      per_word(b, s, lv, lv->read_pj) * reads;
            level_reads[j] += reads;
            level_writes[j] += served;
            if (net) /* full duplex: the busier direction */
                net[j][s] += fmax(reads, served);
        } else {
            energy += per_word(b, s, lv, lv->read_pj) * served;
            level_reads[j] += served;
            if (net)
                net[j][s] += served;
        }
        /* Network below j towards `inner`: what enters `inner` and, for
         * Outputs, its refills, grouped alike on every link (the model's
         * rule). */
        double refills =
            outputs && inner < b->nl ? fmax(0, fills_inner - partition_bound(b, s, inner)) : 0;
        for (int i = j; i < inner; i++) {
            double crossing = (fills_inner + refills) * ratio_between(b, s, i + 1, inner);
            energy += a->levels[i].hop_pj * crossing;
        }
        /* Words entering j. */
        double fills, sdiv, sfix;
        entering_bound(b, s, j, first, &fills, &sdiv, &sfix);
        if (j > 0) {
            double f = outputs ? fmax(0, fills - partition_bound(b, s, j)) : fills;
            energy += per_word(b, s, lv, lv->fill_pj) * f;
            level_writes[j] += f;
        }
        fills_inner = fills;
        sdiv_inner = sdiv;
        sfix_inner = sfix;
        inner = j;
    }
    if (inner == 0)
        return energy;
    /* The undecided parent of the outermost decided keeper (or of the MACs,
     * which take one operand per operation). */
    double cap = multicast_cap(b, s, b->outer_at_l); /* only open factors can be spatial */
    energy += chain_bound(b, s, inner, fills_inner, sdiv_inner, sfix_inner, cap);
    return energy;
}

/* Tiles only grow as factors are decided (the generator's rule in
 * choices.c), so a level whose smallest tile of a data space, beside the
 * smallest tiles of what it must keep, is past its depth can never keep it:
 * it is no candidate parent for that data space. A level whose required or
 * decided keeps cannot fit leaves no completion at all. */
static uint64_t smallest_words(const bctx *b, uint8_t keep, int i)
{
    uint64_t words = 0;
    for (int x = 0; x < PETAL_NUM_DS; x++)
        if (keep & (1u << x))
            words += tile_words(b->p, x, b->nest.ext[i]);
    return words;
}

static void capacity_info(bctx *b)
{
    b->infeasible = false;
    for (int i = 0; i < b->nl; i++) {
        const ms_level *lv = &b->ms->lv[i];
        b->fits[i] = lv->keep_allowed;
        bool open = i < b->l || (i == b->l && b->ph <= PHASE_KEEP);
        bool kept = i == b->l && b->ph == PHASE_TEMPORAL;
        if (!lv->depth || !(open || kept))
            continue;
        uint8_t must = kept ? b->s->m.levels[i].keep : lv->keep_required;
        uint64_t base = smallest_words(b, must, i);
        if (base > lv->depth) {
            b->infeasible = true;
            continue;
        }
        for (int x = 0; x < PETAL_NUM_DS; x++) {
            uint8_t bit = (uint8_t)(1u << x);
            if ((b->fits[i] & bit) && !(must & bit) &&
                base + tile_words(b->p, x, b->nest.ext[i]) > lv->depth)
                b->fits[i] &= (uint8_t)~bit;
        }
    }
}

static void setup(bctx *b, const mapspace *ms, const partial *s)
{
    b->ms = ms;
    b->p = ms->p;
    b->a = ms->a;
    b->s = s;
    b->l = s->level;
    b->ph = s->phase;
    if (b->ph == PHASE_SPATIAL) {
        /* No level is decided yet, only some fan-outs. */
        b->l = ms->nlevels - 1;
        b->ph = PHASE_KEEP;
    }
    b->nl = ms->nlevels;
    b->nd = ms->ndims;
    b->mm = s->m;
    int l = b->l;
    for (int d = 0; d < b->nd; d++) {
        uint64_t t = b->ph == PHASE_ORDER ? s->m.levels[l].temporal[d] : 1;
        b->outer_at_l[d] = (double)s->rem[d];
        b->outer_below_l[d] = (double)s->rem[d] * (double)t;
        if (b->ph == PHASE_ORDER)
            b->mm.levels[l].temporal[d] = 1;
    }
    reuse_nest_init(&b->nest, b->p, &b->mm);
    for (int d = 0; d < b->nd; d++)
        b->ext_l[d] = b->nest.ext[l][d] * s->m.levels[l].temporal[d];
    b->room = 1;
    for (int i = 0; i < b->nl; i++) {
        b->spatial_decided[i] = (s->spatial_done >> i) & 1;
        if (!b->spatial_decided[i])
            b->room *= (double)ms->lv[i].fanout_x * (double)ms->lv[i].fanout_y;
    }
    for (int x = 0; x < PETAL_NUM_DS; x++)
        for (int i = 0; i < b->nl; i++)
            b->groups[x][i] = b->spatial_decided[i] && b->nest.fanout[i] > 1
                                  ? (double)reuse_spatial_groups(&b->nest, x, i)
                                  : 1;
    capacity_info(b);
    memset(b->run_done, 0, sizeof b->run_done);
    memset(b->depends_on_first, 0, sizeof b->depends_on_first);
    memset(b->part_done, 0, sizeof b->part_done);
    for (int x = 0; x < PETAL_NUM_DS; x++)
        b->whole[x] = (double)reuse_tile_words(&b->nest, x, b->p->bounds, NULL);
}

/* `scale`: the compute cycles are at least the layer's MACs over the
 * parallelism times scale (above 1 for the first part of an imperfect loop:
 * the whole loop runs scale times its iterations, bound_first_part). */
static double cycles_lb(const bctx *b, const double *level_reads, const double *level_writes,
                        const double (*net)[PETAL_NUM_DS], double scale)
{
    double decided = 1;
    for (int i = 0; i < b->nl; i++)
        if (b->spatial_decided[i])
            decided *= (double)b->nest.fanout[i];
    double rest = 1;
    for (int d = 0; d < b->nd; d++)
        rest *= b->outer_below_l[d];
    double par = decided * (b->room < rest ? b->room : rest);
    double macs = (double)petal_problem_macs(b->p);
    /* The model's cycles are whole numbers: so is this bound. */
    double cycles = ceil(macs / par - 1e-6);
    if (scale > 1)
        cycles = floor(cycles * scale * (1 - 1e-12));
    /* Every level that must keep a data space reads each word of it out at
     * least once (partial sums: takes each in as an update), over at most
     * all its instances. */
    for (int i = 0; i < b->nl; i++) {
        const petal_level *lv = &b->a->levels[i];
        uint8_t keep = tile_decided(b, i) ? b->mm.levels[i].keep
                       : (i < b->l || (i == b->l && b->ph <= PHASE_KEEP))
                           ? b->ms->lv[i].keep_required
                           : b->s->m.levels[i].keep;
        double rd = 0, wr = 0;
        for (int x = 0; x < PETAL_NUM_DS; x++)
            if (keep & (1u << x)) {
                if (x == PETAL_DS_OUTPUTS)
                    wr += b->ms->wmin[x];
                else
                    rd += b->ms->wmin[x];
            }
        double inst = (double)lv->instances;
        if (lv->read_bw > 0 && rd > 0)
            cycles = fmax(cycles, ceil(rd / inst / lv->read_bw * (1 - 1e-9) - 1e-6));
        if (lv->write_bw > 0 && wr > 0)
            cycles = fmax(cycles, ceil(wr / inst / lv->write_bw * (1 - 1e-9) - 1e-6));
    }
    for (int i = b->l; i < b->nl; i++) {
        if (!tile_decided(b, i))
            continue;
        const petal_level *lv = &b->a->levels[i];
        double inst = (double)b->nest.instances[i] * b->room;
        if (lv->read_bw > 0)
            cycles = fmax(cycles, ceil(level_reads[i] / inst / lv->read_bw * (1 - 1e-9) - 1e-6));
        if (lv->write_bw > 0)
            cycles = fmax(cycles, ceil(level_writes[i] / inst / lv->write_bw * (1 - 1e-9) - 1e-6));
        /* Networks with a width (docs/latency.md): the words that cross one,
         * at the data space's narrowest width here. */
        for (int x = 0; x < PETAL_NUM_DS; x++)
            if (lv->network_bits[x] > 0 && net[i][x] > 0) {
                double bits = net[i][x] * b->ms->width_scale[i][x] * (double)lv->word_bits;
                cycles = fmax(cycles, ceil(bits / inst / lv->network_bits[x] * (1 - 1e-9) - 1e-6));
            }
    }
    return cycles;
}

/* The dimensions the innermost outer loop may be, and whether there may be
 * none at all (everything left fits the undecided fan-outs). */
static int first_candidates(const bctx *b, int *cand)
{
    int n = 0;
    const petal_level_mapping *lm = &b->s->m.levels[b->l];
    bool level_loops = false;
    if (b->ph == PHASE_ORDER)
        for (int d = 0; d < b->nd; d++)
            if (lm->temporal[d] > 1) {
                cand[n++] = d;
                level_loops = true;
            }
    if (level_loops)
        return n;
    bool none = true;
    double rest = 1;
    for (int d = 0; d < b->nd; d++) {
        if (b->outer_below_l[d] <= 1)
            continue;
        cand[n++] = d;
        rest *= b->outer_below_l[d];
        bool can_spread = false;
        for (int i = 0; i < b->nl; i++)
            if (!b->spatial_decided[i] && (((b->ms->lv[i].x_dims | b->ms->lv[i].y_dims) >> d) & 1))
                can_spread = true;
        if (!can_spread)
            none = false;
    }
    if (none && rest <= b->room)
        cand[n++] = OUTER_NONE;
    return n;
}

/* Which candidates for the innermost outer loop give data space x the same
 * bound (entering_bound_of tells them apart by no more): those it does not
 * depend on; those of a rank that is a coordinate alone; those of several
 * ranks; else each dimension apart. OUTER_NONE has a class of its own. */
enum { FIRST_CLASSES = 4 + PETAL_MAX_DIMS };

static int first_class(const bctx *b, int x, int first)
{
    if (first < 0)
        return 0;
    if (!((b->ms->relevant[x] >> first) & 1))
        return 1;
    int r = rank_of(b, x, first);
    if (r < 0)
        return 2;
    if (b->ms->ranks[x][r].alone)
        return 3;
    return 4 + first;
}

/* Sparsity only removes work (docs/sparsity.md): every actual access is at
 * least its dense count times the product of the densities (a format keeps
 * d(s) of them, an option cuts at most 1 - prod d(c)), less one for
 * rounding per level, data space and action; gated accesses and metadata
 * cost at least 0. So the dense bound times that product, less the rounding,
 * stays a lower bound. 1 when nothing is sparse. */
typedef struct sparse_scale {
    double f, energy_slack, cycle_slack;
} sparse_scale;

static sparse_scale sparse_scale_of(const petal_problem *p, const petal_arch *a)
{
    sparse_scale sc = {1, 0, 0};
    if (!model_sparse_active(p, a))
        return sc;
    for (int x = 0; x < PETAL_NUM_DS; x++)
        sc.f *= density_of(&p->density[x]);
    double most = a->arith.mac_pj;
    for (int i = 0; i < a->nlevels; i++) {
        const petal_level *lv = &a->levels[i];
        double e = fmax(lv->read_pj, fmax(lv->fill_pj, lv->update_pj));
        most = fmax(most, e);
        sc.energy_slack += 3.0 * PETAL_NUM_DS * e * (double)lv->instances;
    }
    sc.energy_slack += 3.0 * a->arith.mac_pj;
    sc.cycle_slack = 3.0 * PETAL_NUM_DS + 3.0;
    return sc;
}

static double sparse_energy(const sparse_scale *sc, double e)
{
    return sc->f < 1 ? fmax(0, e * sc->f - sc->energy_slack) : e;
}

static score bound_perfect(const mapspace *ms, petal_objective obj, const partial *s,
                           score *by_first, double scale);

/* With an imperfect factor of dimension d, every completion runs the
 * outermost loop of d (f iterations over tiles of t) and counts at least
 * what its first f - 1 iterations count (docs/model.md: the last iteration
 * only adds): a perfect mapping of the layer cut to (f - 1) t of d, whose
 * bound is a bound here. Its temporal loops all run in the last iteration
 * too (the mapper's imperfect factor is spatial), so the whole run has f /
 * (f - 1) times the first part's iterations. */
static score bound_first_part(const mapspace *ms, petal_objective obj, const partial *s,
                              score *by_first, int d)
{
    petal_problem cut = *ms->p;
    mapspace msc = *ms;
    partial sc = *s;
    uint64_t t = 1, f;
    for (int l = 0; l < ms->nlevels; l++) {
        const petal_level_mapping *lm = &s->m.levels[l];
        t *= (l ? lm->temporal[d] : 1) * lm->spatial_x[d] * lm->spatial_y[d];
    }
    if (s->m.levels[0].temporal[d] > 1) {
        f = s->m.levels[0].temporal[d];
        sc.m.levels[0].temporal[d] = f - 1;
    } else {
        f = s->rem[d];
        sc.rem[d] = f - 1;
    }
    cut.bounds[d] = (f - 1) * t;
    ms_set_problem(&msc, &cut);
    return bound_perfect(&msc, obj, &sc, by_first, (double)f / (double)(f - 1));
}

score bound_score(const mapspace *ms, petal_objective obj, const partial *s, score *by_first)
{
    int d = partial_imperfect_dim(ms, s);
    if (d >= 0)
        return bound_first_part(ms, obj, s, by_first, d);
    return bound_perfect(ms, obj, s, by_first, 1);
}

static score bound_perfect(const mapspace *ms, petal_objective obj, const partial *s,
                           score *by_first, double scale)
{
    sparse_scale sc = sparse_scale_of(ms->p, ms->a);
    bctx b;
    setup(&b, ms, s);
    if (b.infeasible) {
        if (by_first)
            for (int d = 0; d < PETAL_MAX_DIMS; d++)
                by_first[d] = (score){INFINITY, INFINITY};
        return (score){INFINITY, INFINITY};
    }
    double level_reads[PETAL_MAX_LEVELS] = {0}, level_writes[PETAL_MAX_LEVELS] = {0};
    double net[PETAL_MAX_LEVELS][PETAL_NUM_DS] = {{0}};
    int cand[PETAL_MAX_DIMS + 1];
    int nc = first_candidates(&b, cand);
    b.none_possible = nc > 0 && cand[nc - 1] == OUTER_NONE;
    /* Cycles from what holds whatever the outer order. */
    double any[PETAL_NUM_DS];
    for (int x = 0; x < PETAL_NUM_DS; x++)
        any[x] = dataspace_energy(&b, x, OUTER_ANY, level_reads, level_writes, net);
    double cycles =
        cycles_lb(&b, level_reads, level_writes, (const double(*)[PETAL_NUM_DS])net, scale);
    if (sc.f < 1)
        cycles = fmax(0, floor(cycles * sc.f) - sc.cycle_slack);
    double fixed = (double)petal_problem_macs(ms->p) * ms->a->arith.mac_pj;
    fixed = sparse_energy(&sc, fixed);
    for (int i = 0; i < b.nl; i++)
        fixed += ms->a->levels[i].leak_pj * cycles * (double)b.nest.instances[i];
    if (by_first)
        for (int d = 0; d < PETAL_MAX_DIMS; d++)
            by_first[d] = (score){INFINITY, INFINITY};
    /* Energy: the data spaces compete for the innermost outer loop, which
     * leaves at most those it does not index in place. Data spaces whose
     * bound does not depend on it keep their value. */
    double best = INFINITY;
    if (!nc)
        best = any[0] + any[1] + any[2];
    /* Candidates of one class (first_class) give a data space the same
     * value: each class is computed once. */
    double memo[PETAL_NUM_DS][FIRST_CLASSES];
    bool known[PETAL_NUM_DS][FIRST_CLASSES];
    memset(known, 0, sizeof known);
    for (int k = 0; k < nc; k++) {
        double e = 0, r[PETAL_MAX_LEVELS] = {0}, w[PETAL_MAX_LEVELS] = {0};
        for (int x = 0; x < PETAL_NUM_DS; x++) {
            if (!b.depends_on_first[x]) {
                e += any[x];
                continue;
            }
            int cl = first_class(&b, x, cand[k]);
            if (!known[x][cl]) {
                memo[x][cl] = dataspace_energy(&b, x, cand[k], r, w, NULL);
                known[x][cl] = true;
            }
            e += memo[x][cl];
        }
        best = fmin(best, e);
        if (by_first && cand[k] >= 0)
            by_first[cand[k]] = score_bound(obj, fixed + sparse_energy(&sc, e), cycles);
    }
    return score_bound(obj, fixed + sparse_energy(&sc, best), cycles);
}

double bound_partial(const mapspace *ms, petal_objective obj, const partial *s)
{
    return bound_score(ms, obj, s, NULL).p;
}
