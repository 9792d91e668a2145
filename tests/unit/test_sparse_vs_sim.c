/* test_sparse_vs_sim.c - the analytical model's sparse counts against the
 * reference simulator on real sparse tensors, over 800 seeded random triples
 * (problem with densities, architecture with formats and gating or skipping,
 * mapping).
 *
 * Problems are contractions whose every rank is one dimension (matmul, batched
 * matmul, fully connected, 1x1 convolution) with bounds of 4 or 8. Weights
 * and Inputs are dense, fixed_structured at 1/4, 1/2 or 3/4 (the first 420
 * triples), hypergeometric at a density from 0.1 to 0.9 (the next 180) or,
 * in the last 200, one of them banded with a band width of 0 to 2 (matmul
 * and fully connected only: a band needs a matrix) and the other dense.
 * Architectures have 2 to 4 storage levels, a fan-out of up to 4 MACs, at
 * each level a format of 0 to 2 ranks (U, B, RLE, CP, UOP, UB) for Weights and
 * Inputs, 0 to 3 gating or skipping optimizations of a data space conditioned
 * on Weights and/or Inputs, and compute gating or skipping at the MACs.
 * Optimizations the simulator does not execute (on the transfers between two
 * keepers, docs/sim.md) and those whose keeper has spatial fan-out below it
 * (where a condition covers a two-dimensional tile) are left out of the draw.
 *
 * Always checked: the simulator runs every triple and its outputs equal the
 * direct evaluation; its algorithmic counts (computes, and reads, fills and
 * updates per level and data space) equal the model's algorithmic counts;
 * actual + gated + skipped never exceed the algorithmic counts; on
 * fixed_structured triples Sparseloop's closed forms hold (check_closed_forms).
 *
 * The sparse comparison, per level and data space: actual, gated and skipped
 * reads, fills and updates, metadata reads and fills; actual, gated and
 * skipped computes. Three rules:
 *   - fixed_structured: equal exactly. The simulator's pattern puts
 *     exactly d x L non-zeros in every run of L points along a rank when d x L
 *     is whole (bounds of 4 and 8 make it so), so every count above has no
 *     freedom left, except two:
 *       - the reads of Outputs at its innermost keeper under an Outputs
 *         optimization: which operation first reaches a word (its read is
 *         elided) depends on where the zeros are; compared as random ones;
 *       - metadata whose tile or format elements span several ranks with no
 *         whole run (metadata_exact): Sparseloop's fixed_structured puts
 *         d x n non-zeros in every box of n values, which no tensor can do
 *         for boxes across ranks and runs along them at once (a 2 x 2 box at
 *         1/4 is sometimes empty in any tensor whose runs of 4 each hold one).
 *         That idealisation gives the most non-empty fibers and elements a
 *         tensor of that density can have, so the simulator's count must
 *         not exceed the model's (rounding slack below); the same counts are
 *         compared statistically on the hypergeometric triples.
 *   - banded: equal, within the model's rounding r (below). The band is the
 *     same whatever the seed (two seeds must give the same counts), and
 *     Sparseloop's banded model is an average over the band's aligned tiles,
 *     which the tiles a mapping moves cover evenly; what is left is the
 *     model's whole numbers per instance (a level whose instances hold
 *     unequal parts of the band: 8.5 non-zeros each count as 9). The test
 *     requires fewer than 1% of the comparisons to differ at all. Two
 *     things are left out of the draw because there the model is
 *     Sparseloop's estimate, not the count (docs/sparsity.md, "banded"): two
 *     banded operands (the MACs' split takes the operands as independent,
 *     and two bands sharing a dimension are not), and options targeting
 *     Outputs (which partial sum is read first depends on where along the
 *     band the zeros fall).
 *   - hypergeometric (and the Outputs reads above): over 16 seeds the
 *     simulator's mean m and standard deviation s; the model's count x (an
 *     expectation in whole numbers) must satisfy |m - x| <= 5 s / sqrt(16) + r.
 *     A triple with a count outside that is drawn again over 256 seeds, which
 *     decide (5 s / 16 + r): an event rarer than one draw in 16 (a whole
 *     window of operands empty) is then seen at its rate. r is the model's
 *     rounding: it rounds down per instance at each step of its rules (format,
 *     each outer optimization's cut, its own), so r is the level's instances
 *     times those steps (rounding_slack).
 * 0 comparisons may differ. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "petal/model.h"
#include "petal/sim.h"
#include "support/random_mapping.c"
#include "unit/nest_builder.h"

enum { CASES = 600, EXACT_CASES = 420, BANDED_CASES = 200, DRAWS = 16, MORE_DRAWS = 256 };

/* The density models of a triple's data spaces. */
typedef enum family { FIXED, HYPER, BANDED } family;
enum { W = PETAL_DS_WEIGHTS, I = PETAL_DS_INPUTS, O = PETAL_DS_OUTPUTS };

typedef struct coverage {
    int fixed, hyper, banded, formats, gating, skipping, compute_gating, compute_skipping, bypass,
        fanout;
    int gated_seen, skipped_seen, eliminated_seen, metadata_seen;
    int closed_computes, closed_accesses; /* closed forms checked */
    int window;                           /* optimizations on the transfers between two keepers */
} coverage;

typedef struct outcome {
    int compared, mismatched;
    int rounded, rounded_off; /* banded comparisons; those off by the model's rounding */
    char first[400];
} outcome;

/* With matrices, only problems whose Weights and Inputs are matrices (what a
 * banded density takes). */
static void random_problem(uint64_t *s, petal_problem *p, bool matrices)
{
    uint64_t b[4];
    for (int d = 0; d < 4; d++)
        b[d] = rnd_pick(s, 0, 1) ? 8 : 4;
    switch (rnd_pick(s, 0, matrices ? 1 : 3)) {
    case 0: /* matmul Z[M][N] = A[M][K] B[N][K] */
        assert_int_equal(nb_problem(p, "matmul", "MNK", b, "M|K", "N|K", "M|N"), 0);
        break;
    case 1: /* fully connected, weights K x C */
        assert_int_equal(nb_problem(p, "fc", "KCN", b, "K|C", "N|C", "N|K"), 0);
        break;
    case 2: /* batched matmul, weights shared by the batch */
        b[0] = 4;
        b[1] = b[2] = b[3] = 4;
        assert_int_equal(nb_problem(p, "bmm", "BMNK", b, "M|K", "B|N|K", "B|M|N"), 0);
        break;
    default: /* 1x1 convolution */
        b[0] = b[1] = b[2] = b[3] = 4;
        assert_int_equal(nb_problem(p, "conv1x1", "KCPQ", b, "K|C", "C|P|Q", "K|P|Q"), 0);
        break;
    }
}

static void random_densities(uint64_t *s, petal_problem *p, family fam, coverage *cov)
{
    static const double fixed[] = {0.25, 0.5, 0.75};
    if (fam == BANDED) {
        /* One operand banded, the other dense (header comment). */
        int t = rnd_pick(s, 0, 1) ? W : I;
        p->density[t].kind = PETAL_DENSITY_BANDED;
        p->density[t].band_width = rnd_pick(s, 0, 2);
        cov->banded++;
        return;
    }
    for (int t = W; t <= I; t++) {
        if (rnd_pick(s, 0, 4) == 0)
            continue; /* dense */
        if (fam == FIXED) {
            p->density[t].kind = PETAL_DENSITY_FIXED_STRUCTURED;
            p->density[t].density = fixed[rnd_pick(s, 0, 2)];
            cov->fixed++;
        } else {
            p->density[t].kind = PETAL_DENSITY_HYPERGEOMETRIC;
            p->density[t].density = 0.1 * (double)rnd_pick(s, 1, 9);
            cov->hyper++;
        }
    }
}

static void random_arch(uint64_t *s, petal_arch *a, coverage *cov)
{
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "sparse");
    int nl = (int)rnd_pick(s, 2, 4);
    a->nlevels = (uint8_t)nl;
    uint32_t mesh = 1;
    for (int l = 0; l < nl; l++) {
        petal_level *lv = &a->levels[l];
        char name[16];
        snprintf(name, sizeof name, "L%d", l);
        if (l == 0) {
            nb_level(lv, "DRAM", PETAL_MEM_DRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
        } else {
            if (mesh < 4 && rnd_pick(s, 0, 2) == 0)
                mesh *= 2;
            nb_level(lv, name, PETAL_MEM_SRAM, 0, 1, mesh, 1, PETAL_KEEP_ALL);
        }
        for (int t = W; t <= I; t++) {
            petal_format *f = &lv->sparse.format[t];
            f->nranks = (uint8_t)rnd_pick(s, 0, 2);
            for (int r = 0; r < f->nranks; r++)
                f->ranks[r].format = (uint8_t)rnd_pick(s, 0, PETAL_NUM_FORMATS - 1);
            cov->formats += f->nranks > 0;
        }
        int nopts = (int)rnd_pick(s, 0, 3);
        for (int k = 0; k < nopts; k++) {
            petal_action_opt *o = &lv->sparse.opts[lv->sparse.nopts++];
            o->kind = rnd_pick(s, 0, 1) ? PETAL_OPT_GATING : PETAL_OPT_SKIPPING;
            o->target = (uint8_t)rnd_pick(s, 0, 2);
            do
                o->condition_mask = (uint8_t)(rnd_pick(s, 1, 3) & ~(1u << o->target));
            while (!o->condition_mask);
        }
    }
    snprintf(a->arith.name, sizeof a->arith.name, "mac");
    a->arith.mesh_x = mesh;
    a->arith.mesh_y = 1;
    a->arith.instances = mesh;
    a->arith.word_bits = 16;
    a->arith.mac_pj = 1;
    a->arith.sparse.kind = (uint8_t)rnd_pick(s, 0, 2);
    a->clock_hz = 1e9;
}

/* Factors go to a level's temporal loop or, while its fan-out allows, its X loop. */
static void place(uint64_t *s, const petal_arch *a, int d, uint64_t f, petal_mapping *m, void *rule)
{
    uint64_t *used = rule;
    int l = (int)rnd_pick(s, 0, (uint64_t)a->nlevels - 1);
    uint32_t fx, fy;
    petal_arch_fanout(a, l, &fx, &fy);
    if (rnd_pick(s, 0, 1) && used[l] * f <= fx) {
        m->levels[l].spatial_x[d] *= f;
        used[l] *= f;
    } else {
        m->levels[l].temporal[d] *= f;
    }
}

/* Leave out the optimizations the simulator refuses or where the two are not
 * comparable (header comment). */
static void prune_opts(petal_arch *a, const petal_mapping *m, family fam, coverage *cov)
{
    int nl = a->nlevels;
    for (int l = 0; l < nl; l++) {
        petal_level_sparse *ls = &a->levels[l].sparse;
        int kept = 0;
        for (int k = 0; k < ls->nopts; k++) {
            const petal_action_opt *o = &ls->opts[k];
            int keeper = l, innermost = nl - 1; /* the target's keepers */
            while (keeper > 0 && !(m->levels[keeper].keep & (1u << o->target)))
                keeper--;
            while (innermost > 0 && !(m->levels[innermost].keep & (1u << o->target)))
                innermost--;
            bool spatial = false;
            for (int j = keeper; j < nl; j++)
                for (int d = 0; d < PETAL_MAX_DIMS; d++)
                    spatial |= m->levels[j].spatial_x[d] > 1 || m->levels[j].spatial_y[d] > 1;
            /* Between keepers a condition covers a tile of several ranks, whose
             * chance of being empty depends on where the zeros fall even for
             * fixed_structured tensors: only on random ones. */
            if (spatial || (fam == FIXED && keeper != innermost) ||
                (fam == BANDED && o->target == O))
                continue;
            cov->window += keeper != innermost;
            cov->gating += o->kind == PETAL_OPT_GATING;
            cov->skipping += o->kind == PETAL_OPT_SKIPPING;
            ls->opts[kept++] = *o;
        }
        ls->nopts = (uint8_t)kept;
    }
}

static void random_triple(uint64_t *s, family fam, petal_problem *p, petal_arch *a,
                          petal_mapping *m, coverage *cov)
{
    random_problem(s, p, fam == BANDED);
    random_densities(s, p, fam, cov);
    random_arch(s, a, cov);
    uint64_t used[PETAL_MAX_LEVELS];
    for (int l = 0; l < PETAL_MAX_LEVELS; l++)
        used[l] = 1;
    uint32_t keep_levels = 0;
    for (int l = 1; l < a->nlevels; l++)
        keep_levels |= 1u << l;
    rnd_mapping(s, p, a, place, used, keep_levels, m);
    prune_opts(a, m, fam, cov);
    cov->compute_gating += a->arith.sparse.kind == PETAL_OPT_GATING;
    cov->compute_skipping += a->arith.sparse.kind == PETAL_OPT_SKIPPING;
    for (int l = 1; l < a->nlevels; l++) {
        cov->bypass += m->levels[l].keep != PETAL_KEEP_ALL;
        for (int d = 0; d < p->ndims; d++)
            cov->fanout += m->levels[l - 1].spatial_x[d] > 1;
    }
}

/* --- comparing --- */

enum {
    K_READS,
    K_GATED_READS,
    K_SKIPPED_READS,
    K_FILLS,
    K_GATED_FILLS,
    K_SKIPPED_FILLS,
    K_UPDATES,
    K_GATED_UPDATES,
    K_SKIPPED_UPDATES,
    K_META_READS,
    K_META_FILLS,
    K_NKINDS
};

typedef struct counts {
    uint64_t v[PETAL_MAX_LEVELS][PETAL_NUM_DS][K_NKINDS];
    uint64_t computes[3]; /* actual, gated, skipped */
} counts;

static const char *const kind_names[K_NKINDS] = {
    "reads",           "gated_reads",    "skipped_reads", "fills",
    "gated_fills",     "skipped_fills",  "updates",       "gated_updates",
    "skipped_updates", "metadata_reads", "metadata_fills"};

static void sim_counts(const petal_sim_result *r, int nl, counts *c)
{
    memset(c, 0, sizeof *c);
    for (int l = 0; l < nl; l++)
        for (int t = 0; t < PETAL_NUM_DS; t++) {
            const petal_sim_ds_stats *d = &r->levels[l].ds[t];
            uint64_t v[K_NKINDS] = {d->reads,          d->gated_reads,   d->skipped_reads,
                                    d->fills,          d->gated_fills,   d->skipped_fills,
                                    d->updates,        d->gated_updates, d->skipped_updates,
                                    d->metadata_reads, d->metadata_fills};
            memcpy(c->v[l][t], v, sizeof v);
        }
    c->computes[0] = r->actual_computes;
    c->computes[1] = r->gated_computes;
    c->computes[2] = r->skipped_computes;
}

static void model_counts(const petal_model_result *r, int nl, counts *c)
{
    memset(c, 0, sizeof *c);
    for (int l = 0; l < nl; l++)
        for (int t = 0; t < PETAL_NUM_DS; t++) {
            const petal_ds_stats *d = &r->levels[l].ds[t];
            uint64_t v[K_NKINDS] = {d->reads,          d->gated_reads,   d->skipped_reads,
                                    d->fills,          d->gated_fills,   d->skipped_fills,
                                    d->updates,        d->gated_updates, d->skipped_updates,
                                    d->metadata_reads, d->metadata_fills};
            memcpy(c->v[l][t], v, sizeof v);
        }
    c->computes[0] = r->actual_computes;
    c->computes[1] = r->gated_computes;
    c->computes[2] = r->skipped_computes;
}

static double density_of(const petal_problem *p, int t)
{
    return petal_problem_density_fraction(p, t);
}

static void describe(const petal_problem *p, const petal_arch *a, const petal_mapping *m)
{
    fprintf(stderr, "problem %s:", p->name);
    for (int d = 0; d < p->ndims; d++)
        fprintf(stderr, " %s=%llu", p->dim_names[d], (unsigned long long)p->bounds[d]);
    for (int t = W; t <= I; t++)
        fprintf(stderr, " %s %s %g (band width %llu)", p->ds[t].name,
                petal_density_kind_name(p->density[t].kind), density_of(p, t),
                (unsigned long long)p->density[t].band_width);
    fprintf(stderr, "\n");
    for (int l = 0; l < a->nlevels; l++) {
        const petal_level_sparse *ls = &a->levels[l].sparse;
        fprintf(stderr, "level %s instances %llu keeps %u formats", a->levels[l].name,
                (unsigned long long)a->levels[l].instances, m->levels[l].keep);
        for (int t = W; t <= I; t++) {
            fprintf(stderr, " %s:", p->ds[t].name);
            for (int r = 0; r < ls->format[t].nranks; r++)
                fprintf(stderr, "%s ", petal_rank_format_name(ls->format[t].ranks[r].format));
        }
        for (int k = 0; k < ls->nopts; k++)
            fprintf(stderr, " %s %s on mask %u", petal_action_opt_name(ls->opts[k].kind),
                    p->ds[ls->opts[k].target].name, ls->opts[k].condition_mask);
        fprintf(stderr, "\n");
    }
    fprintf(stderr, "compute optimization %s\n",
            a->arith.sparse.kind ? petal_action_opt_name(a->arith.sparse.kind) : "none");
    petal_mapping_print_nest(stderr, p, a, m);
}

static void mismatch(outcome *out, int n, const char *what, double model, double sim)
{
    out->mismatched++;
    if (getenv("PETAL_SPARSE_VERBOSE"))
        fprintf(stderr, "differ: triple %d: %s: model %.3f, simulator %.3f\n", n, what, model, sim);
    if (!out->first[0])
        snprintf(out->first, sizeof out->first,
                 "triple %d: %s: model %.3f, simulator %.3f (mean over draws for random ones)", n,
                 what, model, sim);
}

static bool ds_uses(const petal_problem *p, int t, int d)
{
    for (int r = 0; r < p->ds[t].nranks; r++)
        for (int k = 0; k < p->ds[t].ranks[r].nterms; k++)
            if (p->ds[t].ranks[r].terms[k].dim == d)
                return true;
    return false;
}

/* Whether a box of extents ext[] (per dimension; every rank of these
 * problems is one dimension) holds the same number of non-zeros wherever it
 * lies in a fixed_structured tensor of density dt: when along one of its
 * ranks ext x dt is whole (header comment). */
static bool box_exact(const petal_problem *p, int t, const uint64_t *ext, double dt)
{
    for (int d = 0; d < p->ndims; d++)
        if (ds_uses(p, t, d) && ext[d] > 1 && (double)ext[d] * dt == floor((double)ext[d] * dt))
            return true;
    return false;
}

/* Whether the metadata of level l's tiles of t is the same for every
 * placement of the zeros. The format is laid over the tile as Sparseloop
 * lays it (docs/sim.md): rank r takes the r-th loop over t's dimensions below
 * the level, outermost first, and its elements are what the loops inside
 * cover. The counts it needs are the non-empty fibers and elements of every
 * rank: fixed when the tile and each rank's element hold a fixed number of
 * non-zeros (a single value is an element whose count is the tile's). */
static bool metadata_exact(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                           int l, int t)
{
    const petal_format *f = &a->levels[l].sparse.format[t];
    double dt = density_of(p, t);
    if (!f->nranks || dt >= 1)
        return true;
    struct {
        int dim;
        uint64_t count;
    } loops[PETAL_MAX_LEVELS * PETAL_MAX_DIMS * 3];
    int k = 0;
    uint64_t tile[PETAL_MAX_DIMS];
    for (int d = 0; d < PETAL_MAX_DIMS; d++)
        tile[d] = 1;
    for (int j = a->nlevels - 1; j >= l; j--) {
        const petal_level_mapping *lm = &m->levels[j];
        for (int i = 0; i < p->ndims; i++) {
            int d = lm->perm[i];
            if (d >= p->ndims || !ds_uses(p, t, d))
                continue;
            if (lm->spatial_x[d] > 1)
                loops[k].dim = d, loops[k++].count = lm->spatial_x[d];
            if (lm->spatial_y[d] > 1)
                loops[k].dim = d, loops[k++].count = lm->spatial_y[d];
        }
        for (int i = 0; i < p->ndims; i++) {
            int d = lm->perm[i];
            if (d < p->ndims && ds_uses(p, t, d) && lm->temporal[d] > 1)
                loops[k].dim = d, loops[k++].count = lm->temporal[d];
        }
    }
    for (int i = 0; i < k; i++)
        tile[loops[i].dim] *= loops[i].count;
    if (!box_exact(p, t, tile, dt))
        return false;
    int next = k - 1;
    for (int r = 0; r < f->nranks; r++) {
        if (next >= 0)
            next--;
        uint64_t element[PETAL_MAX_DIMS];
        bool scalar = true;
        for (int d = 0; d < PETAL_MAX_DIMS; d++)
            element[d] = 1;
        for (int i = 0; i <= next; i++) {
            element[loops[i].dim] *= loops[i].count;
            scalar = false;
        }
        if (!scalar && !box_exact(p, t, element, dt))
            return false;
    }
    return true;
}

/* Whether the Outputs reads at level l depend on where the zeros fall. */
static bool outputs_reads_random(const petal_arch *a, const petal_mapping *m, int l)
{
    int innermost = a->nlevels - 1;
    while (innermost > 0 && !(m->levels[innermost].keep & (1u << O)))
        innermost--;
    if (l != innermost)
        return false;
    for (int j = 0; j <= l; j++)
        for (int k = 0; k < a->levels[j].sparse.nopts; k++)
            if (a->levels[j].sparse.opts[k].target == O)
                return true;
    return false;
}

/* One comparison: exact, or by the statistical rule, or within the model's
 * rounding (header comment). */
enum { EXACT, STATISTICAL, BOUND, ROUNDED };

static void compare_one(outcome *out, int n, const char *what, uint64_t model, const double *draws,
                        int ndraws, int rule, double slack)
{
    bool exact = rule == EXACT;
    double mean = 0, var = 0;
    for (int k = 0; k < ndraws; k++)
        mean += draws[k] / ndraws;
    for (int k = 0; k < ndraws; k++)
        var += (draws[k] - mean) * (draws[k] - mean) / (ndraws > 1 ? ndraws - 1 : 1);
    out->compared++;
    out->rounded += rule == ROUNDED;
    out->rounded_off += rule == ROUNDED && (double)model != draws[0];
    bool ok = rule == EXACT     ? (double)model == draws[0]
              : rule == ROUNDED ? fabs((double)model - draws[0]) <= slack
              : rule == BOUND
                  ? mean <= (double)model + slack
                  : fabs(mean - (double)model) <= 5 * sqrt(var) / sqrt((double)ndraws) + slack;
    if (!ok) {
        mismatch(out, n, what, (double)model, exact ? draws[0] : mean);
        if (getenv("PETAL_SPARSE_VERBOSE") && !exact)
            fprintf(stderr, "  (standard deviation over %d draws %.3f)\n", ndraws, sqrt(var));
    }
}

/* How far the model's whole numbers may lie from its expectation: it rounds
 * down per instance at each of its steps (docs/sparsity.md, "The counting
 * rules"). A level's count of t goes through the format's cut, one cut per
 * optimization of t acting above, and its own optimization: one each. The
 * computes (l < 0) go through a cut per operand optimized in storage and the
 * three rounded classes (gated, skipped, non-existent). */
static double rounding_slack(const petal_arch *a, const petal_mapping *m, int l, int t)
{
    int steps = l < 0 ? 3 : 2;
    for (int j = 0; j < a->nlevels; j++)
        for (int k = 0; k < a->levels[j].sparse.nopts; k++) {
            const petal_action_opt *o = &a->levels[j].sparse.opts[k];
            int keeper = j;
            while (keeper > 0 && !(m->levels[keeper].keep & (1u << o->target)))
                keeper--;
            if (l < 0 ? o->target != O : (o->target == t && keeper < l))
                steps++;
        }
    return steps;
}

/* Binding today, independent of the model: on fixed_structured tensors the
 * counts Sparseloop's rules give in closed form. Without storage
 * optimizations, the operations with both operands non-zero are computes x
 * dW x dI, the others gated, skipped or actual as arith.sparse says; a level
 * keeping a data space in a format, with no optimization on it, reads and
 * fills exactly its non-zeros: algorithmic x d. */
static void check_closed_forms(int n, const petal_problem *p, const petal_arch *a,
                               const petal_mapping *m, const petal_sim_result *sr, coverage *cov)
{
    bool any_opt = false;
    for (int l = 0; l < a->nlevels; l++)
        any_opt |= a->levels[l].sparse.nopts > 0;
    double dw = density_of(p, W), di = density_of(p, I);
    if (!any_opt) {
        /* An operand whose innermost keeper holds it in a format is missing
         * where zero, otherwise a zero is read: operations with both operands
         * missing never reach the MACs, those with one missing are skipped
         * under compute skipping, and every one with a zero is gated under
         * compute gating. */
        bool coded[2];
        for (int t = W; t <= I; t++) {
            int inner = a->nlevels - 1;
            while (inner > 0 && !(m->levels[inner].keep & (1u << t)))
                inner--;
            coded[t - W] = a->levels[inner].sparse.format[t].nranks > 0 && density_of(p, t) < 1;
        }
        double c = (double)sr->computes;
        uint64_t effectual = (uint64_t)llround(c * dw * di);
        uint64_t none = coded[0] && coded[1] ? (uint64_t)llround(c * (1 - dw) * (1 - di)) : 0;
        uint64_t one_missing =
            (uint64_t)llround(c * ((coded[0] ? 1 - dw : 0) + (coded[1] ? 1 - di : 0))) - 2 * none;
        uint64_t rest = sr->computes - effectual - none;
        int kind = a->arith.sparse.kind;
        uint64_t want[3] = {kind == PETAL_OPT_GATING     ? effectual
                            : kind == PETAL_OPT_SKIPPING ? effectual + rest - one_missing
                                                         : effectual + rest,
                            kind == PETAL_OPT_GATING ? rest : 0,
                            kind == PETAL_OPT_SKIPPING ? one_missing : 0};
        uint64_t got[3] = {sr->actual_computes, sr->gated_computes, sr->skipped_computes};
        cov->closed_computes += effectual < sr->computes && a->arith.sparse.kind;
        if (memcmp(want, got, sizeof want) != 0) {
            describe(p, a, m);
            fail_msg("triple %d: actual/gated/skipped computes %llu/%llu/%llu, by the closed "
                     "form %llu/%llu/%llu",
                     n, (unsigned long long)got[0], (unsigned long long)got[1],
                     (unsigned long long)got[2], (unsigned long long)want[0],
                     (unsigned long long)want[1], (unsigned long long)want[2]);
        }
    }
    for (int l = 0; l < a->nlevels; l++)
        for (int t = W; t <= I; t++) {
            const petal_sim_ds_stats *d = &sr->levels[l].ds[t];
            bool targeted = false;
            for (int j = 0; j < a->nlevels; j++)
                for (int k = 0; k < a->levels[j].sparse.nopts; k++)
                    targeted |= a->levels[j].sparse.opts[k].target == t;
            if (!d->kept || a->levels[l].sparse.format[t].nranks == 0 || targeted)
                continue;
            double dt = density_of(p, t);
            cov->closed_accesses += dt < 1;
            uint64_t reads = (uint64_t)llround((double)d->algorithmic_reads * dt);
            uint64_t fills = (uint64_t)llround((double)d->algorithmic_fills * dt);
            if (d->reads != reads || d->fills != fills) {
                describe(p, a, m);
                fail_msg("triple %d: level %s %s: reads %llu, fills %llu; algorithmic x density "
                         "%llu, %llu",
                         n, a->levels[l].name, p->ds[t].name, (unsigned long long)d->reads,
                         (unsigned long long)d->fills, (unsigned long long)reads,
                         (unsigned long long)fills);
            }
        }
}

static void run_triple(int n, const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                       family fam, int ndraws, outcome *out, coverage *cov)
{
    bool exact = fam != HYPER;
    petal_model_result mr;
    assert_int_equal(petal_model_eval(p, a, m, &mr), PETAL_OK);
    if (!mr.valid) {
        describe(p, a, m);
        fail_msg("triple %d: the model calls the mapping invalid: %s", n, mr.why);
    }
    static counts draws[MORE_DRAWS];
    for (int k = 0; k < ndraws; k++) {
        petal_sim_options o;
        petal_sim_options_init(&o);
        o.seed = (uint64_t)n * 7919 + (uint64_t)k + 1;
        petal_sim_result sr;
        if (petal_sim_run(p, a, m, &o, &sr) != PETAL_OK) {
            describe(p, a, m);
            fail_msg("triple %d: simulator: %s", n, petal_error_message());
        }
        if (!sr.outputs_match) {
            describe(p, a, m);
            fail_msg("triple %d: %llu outputs differ from the direct evaluation", n,
                     (unsigned long long)sr.output_mismatches);
        }
        /* Binding today: algorithmic counts and the partition of each. */
        assert_int_equal(sr.computes, mr.computes);
        assert_true(sr.actual_computes + sr.gated_computes + sr.skipped_computes <= sr.computes);
        for (int l = 0; l < a->nlevels; l++)
            for (int t = 0; t < PETAL_NUM_DS; t++) {
                const petal_sim_ds_stats *d = &sr.levels[l].ds[t];
                const petal_ds_stats *md = &mr.levels[l].ds[t];
                if (d->algorithmic_reads != md->algorithmic_reads ||
                    d->algorithmic_fills != md->algorithmic_fills ||
                    d->algorithmic_updates != md->algorithmic_updates) {
                    describe(p, a, m);
                    fail_msg("triple %d: level %d %s: algorithmic reads/fills/updates model "
                             "%llu/%llu/%llu, simulator %llu/%llu/%llu",
                             n, l, p->ds[t].name, (unsigned long long)md->algorithmic_reads,
                             (unsigned long long)md->algorithmic_fills,
                             (unsigned long long)md->algorithmic_updates,
                             (unsigned long long)d->algorithmic_reads,
                             (unsigned long long)d->algorithmic_fills,
                             (unsigned long long)d->algorithmic_updates);
                }
                assert_true(d->reads + d->gated_reads + d->skipped_reads <= d->algorithmic_reads);
                assert_true(d->fills + d->gated_fills + d->skipped_fills <= d->algorithmic_fills);
                assert_true(d->updates + d->gated_updates + d->skipped_updates <=
                            d->algorithmic_updates);
                cov->gated_seen += d->gated_reads + d->gated_updates > 0;
                cov->skipped_seen += d->skipped_reads + d->skipped_updates > 0;
                cov->eliminated_seen +=
                    d->reads + d->gated_reads + d->skipped_reads < d->algorithmic_reads;
                cov->metadata_seen += d->metadata_reads + d->metadata_fills > 0;
            }
        if (fam == FIXED)
            check_closed_forms(n, p, a, m, &sr, cov);
        sim_counts(&sr, a->nlevels, &draws[k]);
    }
    if (fam == BANDED && memcmp(&draws[0], &draws[1], sizeof draws[0]) != 0) {
        /* A band's zeros are where they are: the seed only draws values. */
        describe(p, a, m);
        fail_msg("triple %d: banded, yet two seeds give different counts", n);
    }
    if (fam == FIXED && memcmp(&draws[0], &draws[1], sizeof draws[0]) != 0) {
        /* Two placements of the same fixed_structured pattern give the same
         * counts except where the header says they may not. */
        for (int l = 0; l < a->nlevels; l++)
            for (int t = 0; t < PETAL_NUM_DS; t++)
                for (int k = 0; k < K_NKINDS; k++)
                    if (draws[0].v[l][t][k] != draws[1].v[l][t][k] &&
                        !(t == O && k <= K_SKIPPED_READS && outputs_reads_random(a, m, l)) &&
                        !(k >= K_META_READS && !metadata_exact(p, a, m, l, t))) {
                        describe(p, a, m);
                        fail_msg("triple %d: level %d %s %s: %llu with one seed, %llu with "
                                 "another, though fixed_structured",
                                 n, l, p->ds[t].name, kind_names[k],
                                 (unsigned long long)draws[0].v[l][t][k],
                                 (unsigned long long)draws[1].v[l][t][k]);
                    }
    }
    counts model;
    model_counts(&mr, a->nlevels, &model);
    static double values[MORE_DRAWS];
    char what[160];
    for (int c = 0; c < 3; c++) {
        for (int k = 0; k < ndraws; k++)
            values[k] = (double)draws[k].computes[c];
        snprintf(what, sizeof what, "%s computes",
                 c == 0   ? "actual"
                 : c == 1 ? "gated"
                          : "skipped");
        compare_one(out, n, what, model.computes[c], values, ndraws,
                    fam == BANDED ? ROUNDED
                    : exact       ? EXACT
                                  : STATISTICAL,
                    rounding_slack(a, m, -1, W));
    }
    for (int l = 0; l < a->nlevels; l++)
        for (int t = 0; t < PETAL_NUM_DS; t++) {
            if (!(m->levels[l].keep & (1u << t)))
                continue;
            for (int k = 0; k < K_NKINDS; k++) {
                int rule =
                    fam == BANDED ? ROUNDED
                    : !exact || (t == O && k <= K_SKIPPED_READS && outputs_reads_random(a, m, l))
                        ? STATISTICAL
                    : k >= K_META_READS && !metadata_exact(p, a, m, l, t) ? BOUND
                                                                          : EXACT;
                for (int j = 0; j < ndraws; j++)
                    values[j] = (double)draws[j].v[l][t][k];
                snprintf(what, sizeof what, "level %s %s %s", a->levels[l].name, p->ds[t].name,
                         kind_names[k]);
                compare_one(out, n, what, model.v[l][t][k], values, ndraws, rule,
                            (double)mr.levels[l].ds[t].instances * rounding_slack(a, m, l, t));
            }
        }
}

static void sparse_model_vs_sim(void **state)
{
    (void)state;
    uint64_t seed = 0x5eed5a11u;
    coverage cov = {0};
    outcome out = {0};
    int mismatched_triples = 0;
    for (int n = 0; n < CASES + BANDED_CASES; n++) {
        static petal_problem p;
        static petal_arch a;
        static petal_mapping m;
        family fam = n < EXACT_CASES ? FIXED : n < CASES ? HYPER : BANDED;
        random_triple(&seed, fam, &p, &a, &m, &cov);
        int before = out.mismatched;
        const char *show = getenv("PETAL_SPARSE_DESCRIBE");
        if (show && atoi(show) == n)
            describe(&p, &a, &m);
        /* fixed_structured: two seeds, which must agree. Random: 16 draws,
         * and when a count is off, 256 that decide (header comment). */
        outcome first = {0};
        coverage seen = cov;
        run_triple(n, &p, &a, &m, fam, fam == HYPER ? DRAWS : 2, &first, &seen);
        if (first.mismatched && fam == HYPER) {
            first = (outcome){0};
            coverage again = cov;
            run_triple(n, &p, &a, &m, fam, MORE_DRAWS, &first, &again);
        }
        cov = seen;
        out.compared += first.compared;
        out.mismatched += first.mismatched;
        out.rounded += first.rounded;
        out.rounded_off += first.rounded_off;
        if (!out.first[0] && first.first[0])
            memcpy(out.first, first.first, sizeof out.first);
        mismatched_triples += out.mismatched > before;
    }
    printf("  %d triples (%d fixed_structured, %d hypergeometric, %d banded): %d sparse "
           "comparisons, %d differ, in %d triples\n",
           CASES + BANDED_CASES, EXACT_CASES, CASES - EXACT_CASES, BANDED_CASES, out.compared,
           out.mismatched, mismatched_triples);
    printf("  coverage: fixed %d hyper %d banded %d formats %d gating %d skipping %d compute "
           "gating %d "
           "compute skipping %d bypass %d fan-out %d; seen gated %d skipped %d zeros not "
           "accessed %d metadata %d; closed forms: computes %d, accesses %d; between keepers %d\n",
           cov.fixed, cov.hyper, cov.banded, cov.formats, cov.gating, cov.skipping,
           cov.compute_gating, cov.compute_skipping, cov.bypass, cov.fanout, cov.gated_seen,
           cov.skipped_seen, cov.eliminated_seen, cov.metadata_seen, cov.closed_computes,
           cov.closed_accesses, cov.window);
    printf("  banded: %d comparisons, %d equal, %d within the model's rounding\n", out.rounded,
           out.rounded - out.rounded_off, out.rounded_off);
    assert_true(cov.gated_seen > 50 && cov.skipped_seen > 50 && cov.eliminated_seen > 50 &&
                cov.metadata_seen > 50 && cov.compute_gating > 50 && cov.compute_skipping > 50 &&
                cov.bypass > 50 && cov.fanout > 50 && cov.closed_computes > 20 &&
                cov.closed_accesses > 100 && cov.banded == BANDED_CASES);
    /* The rounding slack is for the odd count, not a tolerance in general. */
    assert_true(out.rounded > 5000 && out.rounded_off * 100 < out.rounded);
    if (out.mismatched)
        fail_msg("%d sparse counts differ; the first: %s", out.mismatched, out.first);
}

/* Skipping on the transfers between two keepers, worked by hand (no model
 * involved). Z[M][N] = W[M][K] I[N][K] with M = 1, N = K = 4; I banded with
 * band width 0: I[n][k] is non-zero only where n = k. DRAM keeps everything
 * and runs `for N in [0:4) for K in [0:2)`; Buffer keeps W and runs
 * `for K in [0:2)`. DRAM skips W on I: W's keeper DRAM sends Buffer a tile
 * of two weights per iteration of its K loop (the target loop), each a
 * window of the operations n fixed, k in one half; the window is skipped
 * when I is zero there, i.e. when n is not in that half: 4 of the 8 windows.
 * So DRAM reads W 8 times and skips 8; Buffer fills 8 (the 8 others do not
 * happen, and are not counted as skipped: the level never sees them) and
 * reads 8 of its 16 for the MACs; the 8 operations of skipped windows are
 * none of actual, gated or skipped, the other 8 actual. */
static void window_by_hand(void **state)
{
    (void)state;
    petal_problem p;
    uint64_t b[] = {1, 4, 4};
    assert_int_equal(nb_problem(&p, "window", "MNK", b, "M|K", "N|K", "M|N"), 0);
    p.density[I] = (petal_density){.kind = PETAL_DENSITY_BANDED, .band_width = 0};
    petal_arch a;
    memset(&a, 0, sizeof a);
    snprintf(a.name, sizeof a.name, "window");
    a.nlevels = 2;
    nb_level(&a.levels[0], "DRAM", PETAL_MEM_DRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
    nb_level(&a.levels[1], "Buffer", PETAL_MEM_SRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
    a.levels[0].sparse.opts[a.levels[0].sparse.nopts++] =
        (petal_action_opt){.kind = PETAL_OPT_SKIPPING, .target = W, .condition_mask = 1u << I};
    snprintf(a.arith.name, sizeof a.arith.name, "mac");
    a.arith.mesh_x = a.arith.mesh_y = 1;
    a.arith.instances = 1;
    a.arith.word_bits = 16;
    a.arith.mac_pj = 1;
    petal_mapping m = {.nlevels = 2};
    assert_int_equal(nb_level_mapping(&p, &m.levels[0], "N4 K2", "KNM", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "K2", "KNM", "", "", 1u << W), 0);
    petal_sim_result r;
    assert_int_equal(petal_sim_run(&p, &a, &m, NULL, &r), PETAL_OK);
    assert_true(r.outputs_match);
    const petal_sim_ds_stats *dram = &r.levels[0].ds[W], *buf = &r.levels[1].ds[W];
    assert_int_equal(dram->algorithmic_reads, 16);
    assert_int_equal(dram->reads, 8);
    assert_int_equal(dram->skipped_reads, 8);
    assert_int_equal(buf->algorithmic_fills, 16);
    assert_int_equal(buf->fills, 8);
    assert_int_equal(buf->skipped_fills, 0);
    assert_int_equal(buf->algorithmic_reads, 16);
    assert_int_equal(buf->reads, 8);
    assert_int_equal(buf->skipped_reads, 0);
    assert_int_equal(r.computes, 16);
    assert_int_equal(r.actual_computes, 8);
    assert_int_equal(r.gated_computes + r.skipped_computes, 0);
    /* Inputs and Outputs have no optimization: every access actual. */
    assert_int_equal(r.levels[0].ds[I].reads, r.levels[0].ds[I].algorithmic_reads);
    assert_int_equal(r.levels[0].ds[O].updates, 16);
}

/* A dot product Z[0] = sum over k of W[0][k] I[0][k], K = 8, where W and I
 * are banded with band width 0: only W[0][0] and I[0][0] are non-zero. DRAM
 * keeps everything and runs nothing; Buffer keeps everything and runs
 * `for K in [0:2)`; RF keeps everything and runs `for K in [0:4)`, feeding
 * one MAC. Used by the cases worked by hand below (no model involved). */
static void dot_by_hand(petal_problem *p, petal_arch *a, petal_mapping *m)
{
    uint64_t b[] = {1, 1, 8};
    assert_int_equal(nb_problem(p, "dot", "MNK", b, "M|K", "N|K", "M|N"), 0);
    p->density[W] = (petal_density){.kind = PETAL_DENSITY_BANDED, .band_width = 0};
    p->density[I] = (petal_density){.kind = PETAL_DENSITY_BANDED, .band_width = 0};
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "dot");
    a->nlevels = 3;
    nb_level(&a->levels[0], "DRAM", PETAL_MEM_DRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
    nb_level(&a->levels[1], "Buffer", PETAL_MEM_SRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
    nb_level(&a->levels[2], "RF", PETAL_MEM_SRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
    snprintf(a->arith.name, sizeof a->arith.name, "mac");
    a->arith.mesh_x = a->arith.mesh_y = 1;
    a->arith.instances = 1;
    a->arith.word_bits = 16;
    a->arith.mac_pj = 1;
    memset(m, 0, sizeof *m);
    m->nlevels = 3;
    assert_int_equal(nb_level_mapping(p, &m->levels[0], "", "KNM", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(p, &m->levels[1], "K2", "KNM", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(p, &m->levels[2], "K4", "KNM", "", "", PETAL_KEEP_ALL), 0);
}

static void set_format(petal_arch *a, int l, int t, const char *ranks)
{
    petal_format *f = &a->levels[l].sparse.format[t];
    memset(f, 0, sizeof *f);
    for (const char *c = ranks; *c; c++) {
        int k = *c == 'C' ? PETAL_FORMAT_CP : *c == 'O' ? PETAL_FORMAT_UOP : PETAL_FORMAT_U;
        f->ranks[f->nranks++].format = (uint8_t)k;
    }
}

/* The operand states at the MACs (Sparseloop's ENZ, EZ, NE), by hand on
 * dot_by_hand: of the 8 operations only k = 0 has both operands non-zero;
 * the 7 others have two zeros. Kept uncoded at RF (their innermost keeper)
 * a zero is read: gated under compute gating, never skipped (both operands
 * arrive). Kept in a format a zero is not there: with one operand coded the
 * 7 are skipped under compute skipping (gated under gating); with both coded
 * the MACs never see them, whatever the compute optimization. */
static void operand_states_by_hand(void **state)
{
    (void)state;
    static petal_problem p;
    static petal_arch a;
    static petal_mapping m;
    struct {
        const char *w, *i; /* RF's formats */
        int kind;
        uint64_t actual, gated, skipped;
    } cases[] = {
        {"", "", PETAL_OPT_SKIPPING, 8, 0, 0},
        {"", "", PETAL_OPT_GATING, 1, 7, 0},
        {"C", "", PETAL_OPT_SKIPPING, 1, 0, 7},
        {"C", "", PETAL_OPT_GATING, 1, 7, 0},
        {"C", "C", PETAL_OPT_SKIPPING, 1, 0, 0},
        {"C", "C", PETAL_OPT_GATING, 1, 0, 0},
        {"C", "C", 0, 1, 0, 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        dot_by_hand(&p, &a, &m);
        set_format(&a, 2, W, cases[c].w);
        set_format(&a, 2, I, cases[c].i);
        a.arith.sparse.kind = (uint8_t)cases[c].kind;
        petal_sim_result r;
        assert_int_equal(petal_sim_run(&p, &a, &m, NULL, &r), PETAL_OK);
        assert_true(r.outputs_match);
        assert_int_equal(r.computes, 8);
        assert_int_equal(r.actual_computes, cases[c].actual);
        assert_int_equal(r.gated_computes, cases[c].gated);
        assert_int_equal(r.skipped_computes, cases[c].skipped);
    }
}

/* One optimization per keeper and data space, by hand on dot_by_hand with
 * no formats: RF gates W on I and skips W on I. The two conditions are the
 * same (I is zero at 7 of the 8 reads), so the first listed acts alone:
 * 7 reads gated and none skipped, or the other way round when skipping is
 * listed first. RF gating Outputs on W and skipping them on I: W and I are
 * zero at the same 7 operations, a tie again, so the first acts. With W made
 * dense, the gating on W never applies and the skipping on I, listed second,
 * is the one kept: 7 Outputs updates skipped. */
static void one_optimization_by_hand(void **state)
{
    (void)state;
    static petal_problem p;
    static petal_arch a;
    static petal_mapping m;
    for (int order = 0; order < 2; order++) {
        dot_by_hand(&p, &a, &m);
        petal_level_sparse *rf = &a.levels[2].sparse;
        int first = order ? PETAL_OPT_SKIPPING : PETAL_OPT_GATING;
        int second = order ? PETAL_OPT_GATING : PETAL_OPT_SKIPPING;
        rf->opts[rf->nopts++] =
            (petal_action_opt){.kind = (uint8_t)first, .target = W, .condition_mask = 1u << I};
        rf->opts[rf->nopts++] =
            (petal_action_opt){.kind = (uint8_t)second, .target = W, .condition_mask = 1u << I};
        petal_sim_result r;
        assert_int_equal(petal_sim_run(&p, &a, &m, NULL, &r), PETAL_OK);
        const petal_sim_ds_stats *w = &r.levels[2].ds[W];
        assert_int_equal(w->algorithmic_reads, 8);
        assert_int_equal(w->reads, 1);
        assert_int_equal(w->gated_reads, order ? 0 : 7);
        assert_int_equal(w->skipped_reads, order ? 7 : 0);
    }
    for (int dense_w = 0; dense_w < 2; dense_w++) {
        dot_by_hand(&p, &a, &m);
        if (dense_w)
            p.density[W] = (petal_density){.kind = PETAL_DENSITY_DENSE};
        petal_level_sparse *rf = &a.levels[2].sparse;
        rf->opts[rf->nopts++] =
            (petal_action_opt){.kind = PETAL_OPT_GATING, .target = O, .condition_mask = 1u << W};
        rf->opts[rf->nopts++] =
            (petal_action_opt){.kind = PETAL_OPT_SKIPPING, .target = O, .condition_mask = 1u << I};
        petal_sim_result r;
        assert_int_equal(petal_sim_run(&p, &a, &m, NULL, &r), PETAL_OK);
        const petal_sim_ds_stats *o = &r.levels[2].ds[O];
        assert_int_equal(o->algorithmic_updates, 8);
        assert_int_equal(o->gated_updates, dense_w ? 0 : 7);
        assert_int_equal(o->skipped_updates, dense_w ? 7 : 0);
    }
}

/* Metadata as Sparseloop lays a format over a tile, by hand on dot_by_hand:
 * Buffer's tile of W is the 8 weights, over the loops K2 (Buffer) and K4
 * (RF). A one-rank CP takes the outer loop, K2, whose elements are runs of 4
 * weights: one of the two holds the non-zero, one coordinate; as the
 * innermost rank its payload is the data itself, so the tile has 1 unit.
 * UOP then CP: UOP takes K2, one non-empty fiber of 2 + 1 offsets; CP takes
 * K4, one non-empty weight: 3 + 1 = 4 units (CP's payload is the data). A
 * lone UOP rank: its offsets are its payload, the data: 0 units. The tile is
 * filled once, so its metadata fills are those units, and each of the 8 reads
 * carries an eighth of them. */
static void metadata_by_hand(void **state)
{
    (void)state;
    static petal_problem p;
    static petal_arch a;
    static petal_mapping m;
    struct {
        const char *ranks;
        uint64_t units;
    } cases[] = {{"C", 1}, {"OC", 4}, {"O", 0}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        dot_by_hand(&p, &a, &m);
        set_format(&a, 1, W, cases[c].ranks);
        petal_sim_result r;
        assert_int_equal(petal_sim_run(&p, &a, &m, NULL, &r), PETAL_OK);
        const petal_sim_ds_stats *w = &r.levels[1].ds[W];
        assert_int_equal(w->algorithmic_fills, 8);
        assert_int_equal(w->algorithmic_reads, 8);
        assert_int_equal(w->fills, 1);
        assert_int_equal(w->metadata_fills, cases[c].units);
        assert_int_equal(w->metadata_reads, cases[c].units);
    }
}

/* A hypergeometric tensor holds ceil(d x size) non-zeros, Sparseloop's
 * count: 10 values at d = 0.25 hold 3. */
static void hypergeometric_count_by_hand(void **state)
{
    (void)state;
    static petal_problem p;
    static petal_arch a;
    static petal_mapping m;
    dot_by_hand(&p, &a, &m);
    uint64_t b[] = {1, 1, 10};
    assert_int_equal(nb_problem(&p, "dot", "MNK", b, "M|K", "N|K", "M|N"), 0);
    p.density[W] = (petal_density){.kind = PETAL_DENSITY_HYPERGEOMETRIC, .density = 0.25};
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "K10", "KNM", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[2], "", "KNM", "", "", PETAL_KEEP_ALL), 0);
    for (uint64_t seed = 1; seed <= 4; seed++) {
        petal_sim_options o;
        petal_sim_options_init(&o);
        o.seed = seed;
        petal_sim_result r;
        assert_int_equal(petal_sim_run(&p, &a, &m, &o, &r), PETAL_OK);
        assert_true(fabs(r.densities[W] - 0.3) < 1e-12);
    }
}

/* A banded matrix, worked by brute force (no model arithmetic): W[M][K] with
 * M = 8, K = 8 (and M = 4 for a matrix that is not square), band widths 0
 * to 8. Its fraction of non-zeros is the points with |m - k| <= width over
 * all; a Buffer keeping W in CP format with the tile of `for M in [0:h) for
 * K in [0:w)` must make room for the fullest aligned h x w tile of the band
 * (Sparseloop's room at confidence 1), which the model reports as the tile's
 * data words. */
static bool banded_nz(uint64_t m, uint64_t k, uint64_t width)
{
    return (m > k ? m - k : k - m) <= width;
}

static void banded_room_by_brute_force(void **state)
{
    (void)state;
    static const uint64_t shapes[][2] = {{8, 8}, {4, 8}};
    static const uint64_t tiles[][2] = {{1, 1}, {2, 2}, {2, 4}, {4, 2}, {4, 4}, {1, 8}, {8, 1}};
    int checked = 0;
    for (size_t sh = 0; sh < 2; sh++)
        for (uint64_t width = 0; width <= 8; width++)
            for (size_t t = 0; t < sizeof tiles / sizeof tiles[0]; t++) {
                uint64_t rows = shapes[sh][0], cols = shapes[sh][1];
                uint64_t h = tiles[t][0], w = tiles[t][1];
                if (rows % h || cols % w)
                    continue;
                petal_problem p;
                uint64_t b[] = {rows, 1, cols};
                assert_int_equal(nb_problem(&p, "band", "MNK", b, "M|K", "N|K", "M|N"), 0);
                p.density[W] = (petal_density){.kind = PETAL_DENSITY_BANDED, .band_width = width};
                uint64_t nnz = 0, fullest = 0;
                for (uint64_t m = 0; m < rows; m++)
                    for (uint64_t k = 0; k < cols; k++)
                        nnz += banded_nz(m, k, width);
                for (uint64_t m0 = 0; m0 < rows; m0 += h)
                    for (uint64_t k0 = 0; k0 < cols; k0 += w) {
                        uint64_t in = 0;
                        for (uint64_t m = m0; m < m0 + h; m++)
                            for (uint64_t k = k0; k < k0 + w; k++)
                                in += banded_nz(m, k, width);
                        fullest = in > fullest ? in : fullest;
                    }
                assert_true(petal_problem_density_fraction(&p, W) ==
                            (double)nnz / (double)(rows * cols));
                petal_arch a;
                memset(&a, 0, sizeof a);
                snprintf(a.name, sizeof a.name, "band");
                a.nlevels = 2;
                nb_level(&a.levels[0], "DRAM", PETAL_MEM_DRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
                nb_level(&a.levels[1], "Buffer", PETAL_MEM_SRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
                set_format(&a, 1, W, "C");
                snprintf(a.arith.name, sizeof a.arith.name, "mac");
                a.arith.mesh_x = a.arith.mesh_y = a.arith.instances = 1;
                a.arith.word_bits = 16;
                a.arith.mac_pj = 1;
                petal_mapping m = {.nlevels = 2};
                char outer[48], inner[48];
                snprintf(outer, sizeof outer, "M%llu K%llu", (unsigned long long)(rows / h),
                         (unsigned long long)(cols / w));
                snprintf(inner, sizeof inner, "M%llu K%llu", (unsigned long long)h,
                         (unsigned long long)w);
                assert_int_equal(
                    nb_level_mapping(&p, &m.levels[0], outer, "KNM", "", "", PETAL_KEEP_ALL), 0);
                assert_int_equal(
                    nb_level_mapping(&p, &m.levels[1], inner, "KNM", "", "", PETAL_KEEP_ALL), 0);
                petal_model_result r;
                assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
                assert_true(r.valid);
                if (r.levels[1].ds[W].tile_data_words != fullest)
                    fail_msg("%llux%llu band %llu, tile %llux%llu: room for %llu, fullest %llu",
                             (unsigned long long)rows, (unsigned long long)cols,
                             (unsigned long long)width, (unsigned long long)h,
                             (unsigned long long)w,
                             (unsigned long long)r.levels[1].ds[W].tile_data_words,
                             (unsigned long long)fullest);
                checked++;
            }
    assert_true(checked > 80);
}

/* A banded data space must be a matrix: the model and the simulator refuse
 * one of another shape, naming it. */
static void banded_needs_a_matrix(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    dot_by_hand(&p, &a, &m);
    uint64_t b[] = {4, 4, 4, 4};
    assert_int_equal(nb_problem(&p, "bmm", "BMNK", b, "M|K", "B|N|K", "B|M|N"), 0);
    p.density[I] = (petal_density){.kind = PETAL_DENSITY_BANDED, .band_width = 1};
    assert_int_equal(petal_problem_banded_check(&p), PETAL_EUNSUPPORTED);
    assert_non_null(strstr(petal_error_message(), "Inputs is banded, but a banded density needs "
                                                  "a matrix"));
    assert_true(isnan(petal_problem_density_fraction(&p, I)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sparse_model_vs_sim),
        cmocka_unit_test(window_by_hand),
        cmocka_unit_test(operand_states_by_hand),
        cmocka_unit_test(one_optimization_by_hand),
        cmocka_unit_test(metadata_by_hand),
        cmocka_unit_test(hypergeometric_count_by_hand),
        cmocka_unit_test(banded_room_by_brute_force),
        cmocka_unit_test(banded_needs_a_matrix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
