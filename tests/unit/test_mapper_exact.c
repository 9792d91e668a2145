/* test_mapper_exact.c - the mapper against brute force on small layers:
 * every bound the search prunes with is below every mapping under it, the
 * reduced loop orders give the same accesses as all permutations, branch
 * and bound finds the same best as evaluating everything, every enumerated
 * mapping is a member of its mapspace (as the local walks test it), and the
 * walks stay inside it; on a sparse layer too, and on an architecture that
 * forwards between neighbours. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mapper/local.h"
#include "mapper/mapspace.h"
#include "mapper/partial.h"
#include "mapper/search.h"
#include "petal/mapper.h"
#include "petal/model.h"

static void level(petal_level *l, const char *name, petal_mem_class cls, uint64_t depth,
                  uint32_t mx, uint32_t my, uint8_t keep, double pj, double hop)
{
    memset(l, 0, sizeof *l);
    snprintf(l->name, sizeof l->name, "%s", name);
    l->cls = cls;
    l->depth = depth;
    l->word_bits = 16;
    l->block_size = 1;
    l->instances = (uint64_t)mx * my;
    l->mesh_x = mx;
    l->mesh_y = my;
    l->may_keep = keep;
    l->read_pj = pj;
    l->fill_pj = pj * 1.1;
    l->update_pj = pj * 1.2;
    l->hop_pj = hop;
}

/* DRAM, a shared buffer and a 2x2 array of register files. */
static void arch_three(petal_arch *a, uint64_t glb, uint64_t rf)
{
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "three");
    a->nlevels = 3;
    level(&a->levels[0], "DRAM", PETAL_MEM_DRAM, 0, 1, 1, PETAL_KEEP_ALL, 200, 0);
    level(&a->levels[1], "glb", PETAL_MEM_SRAM, glb, 1, 1, PETAL_KEEP_ALL, 6, 2);
    level(&a->levels[2], "rf", PETAL_MEM_REGFILE, rf, 2, 2, PETAL_KEEP_ALL, 1, 0);
    a->arith.instances = 4;
    a->arith.mesh_x = 2;
    a->arith.mesh_y = 2;
    a->arith.mac_pj = 1;
    a->clock_hz = 1e9;
}

/* Eyeriss in small: split scratchpads, each for one data space, 3x2 PEs, and a
 * block size and bandwidths that make rounding and cycles matter. */
static void arch_split(petal_arch *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "split");
    a->nlevels = 5;
    level(&a->levels[0], "DRAM", PETAL_MEM_DRAM, 0, 1, 1, PETAL_KEEP_ALL, 200, 0);
    a->levels[0].block_size = 4;
    a->levels[0].read_bw = 2;
    level(&a->levels[1], "glb", PETAL_MEM_SRAM, 96, 1, 1, PETAL_KEEP_ALL, 6, 2);
    level(&a->levels[2], "ifmap", PETAL_MEM_REGFILE, 4, 3, 2, 1u << PETAL_DS_INPUTS, 1, 0);
    level(&a->levels[3], "filter", PETAL_MEM_REGFILE, 6, 3, 2, 1u << PETAL_DS_WEIGHTS, 1, 0);
    level(&a->levels[4], "psum", PETAL_MEM_REGFILE, 3, 3, 2, 1u << PETAL_DS_OUTPUTS, 1, 0);
    a->levels[4].leak_pj = 0.01;
    a->arith.instances = 6;
    a->arith.mesh_x = 3;
    a->arith.mesh_y = 2;
    a->arith.mac_pj = 1;
    a->clock_hz = 1e9;
}

static void conv(petal_problem *p, int m, int c, int hw_in, int k, int stride)
{
    petal_conv_params cp = {.batch = 1,
                            .in_channels = c,
                            .in_h = hw_in,
                            .in_w = 1,
                            .out_channels = m,
                            .kernel_h = k,
                            .kernel_w = 1,
                            .stride_h = stride,
                            .stride_w = 1};
    assert_int_equal(petal_problem_conv(p, "tiny", &cp), PETAL_OK);
}

/* --- collecting what a search evaluated --- */

typedef struct access {
    uint64_t v[PETAL_MAX_LEVELS][PETAL_NUM_DS][3];
} access;

typedef struct collect {
    const mapspace *ms;
    petal_objective obj;
    bool check_bounds;
    size_t violations, checked, valid, outside;
    size_t imperfect; /* valid mappings with a factor that does not divide its bound */
    double best;
    access *seen;
    size_t n, cap;
    char first_violation[512];
} collect;

static void record(void *ctx, const petal_mapping *m, const petal_model_result *r)
{
    collect *c = ctx;
    if (!ms_contains(c->ms, m))
        c->outside++;
    if (!r->valid)
        return;
    c->valid++;
    bool imperfect = false;
    for (int d = 0; d < c->ms->ndims; d++)
        imperfect |= petal_mapping_factor_fit(m, d, c->ms->p->bounds[d], NULL, NULL, NULL) ==
                     PETAL_FACTORS_IMPERFECT;
    c->imperfect += imperfect;
    double v = petal_objective_value(c->obj, r);
    if (v < c->best)
        c->best = v;
    /* The reduced loop orders are classes of perfect nests: an imperfect
     * mapping the model counts in one order of a class it may refuse in
     * another (docs/model.md, "Imperfect factors"), so only perfect
     * mappings' accesses are compared; the optimum and the bounds cover all. */
    if (imperfect)
        goto bounds;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 1024;
        c->seen = realloc(c->seen, c->cap * sizeof *c->seen);
        assert_non_null(c->seen);
    }
    access *a = &c->seen[c->n++];
    memset(a, 0, sizeof *a);
    for (int l = 0; l < r->nlevels; l++)
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            a->v[l][s][0] = r->levels[l].ds[s].reads;
            a->v[l][s][1] = r->levels[l].ds[s].fills;
            a->v[l][s][2] = r->levels[l].ds[s].updates;
        }
bounds:
    /* Bounds are checked on every third valid mapping: enough to cover every
     * kind of completion while keeping the test short. */
    if (!c->check_bounds || c->valid % 3)
        return;
    /* Every partial mapping on the way to m must bound it from below. */
    int steps = partial_steps(c->ms);
    for (int k = 0; k < steps; k++) {
        partial s;
        partial_from_mapping(c->ms, m, k, &s);
        double b = bound_partial(c->ms, c->obj, &s);
        c->checked++;
        if (b > v) {
            if (!c->violations)
                snprintf(c->first_violation, sizeof c->first_violation,
                         "bound %.9g above %.9g after step %d (level %d phase %d)", b, v, k,
                         s.level, s.phase);
            c->violations++;
        }
    }
}

static int cmp_access(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(access));
}

static size_t distinct(collect *c)
{
    qsort(c->seen, c->n, sizeof *c->seen, cmp_access);
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++)
        if (i == 0 || cmp_access(&c->seen[i], &c->seen[k - 1]) != 0)
            c->seen[k++] = c->seen[i];
    c->n = k;
    return k;
}

static void run(const mapspace *ms, petal_objective obj, bool all_orders, bool prune, collect *c,
                petal_map_result *res)
{
    memset(c, 0, sizeof *c);
    c->ms = ms;
    c->obj = obj;
    c->best = 1e300;
    c->check_bounds = all_orders;
    search_config cfg = {.objective = obj,
                         .threads = 1,
                         .budget_seconds = -1,
                         .all_orders = all_orders,
                         .no_pruning = !prune,
                         .split_loops = !prune,
                         .on_eval = record,
                         .eval_ctx = c};
    assert_int_equal(search_run(ms, &cfg, res), PETAL_OK);
}

static bool weak_bound;       /* set while a sparse layer is compared */
static size_t imperfect_seen; /* imperfect mappings the brute force evaluated, summed */

/* Brute force (every permutation, nothing pruned) against the reduced orders
 * and against branch and bound, for one layer, architecture and objective. */
static void compare_order(const petal_problem *p, const petal_arch *a, const char *dataflow,
                          petal_objective obj, bool spatial_first)
{
    mapspace ms;
    ms_init(&ms, p, a);
    /* Forwarding: the search bounds on the relaxed copy petal_map uses, and
     * every mapping is evaluated on `a`. */
    petal_arch relaxed;
    if (ms_relax_forwarding(a, &relaxed))
        ms.a = &relaxed;
    ms.spatial_first = spatial_first;
    ms.imperfect = true; /* imperfect factors are searched and bounded too */
    char why[256];
    if (dataflow)
        assert_true(ms_apply_dataflow(&ms, dataflow, why, sizeof why));
    collect brute, reduced, pruned;
    petal_map_result rb, rr, rp;
    run(&ms, obj, true, false, &brute, &rb);
    imperfect_seen += brute.imperfect;
    run(&ms, obj, false, false, &reduced, &rr);
    run(&ms, obj, false, true, &pruned, &rp);
    assert_int_equal(brute.outside + reduced.outside + pruned.outside, 0);
    if (brute.violations)
        fail_msg("%s: %zu of %zu bounds too high; first: %s", dataflow ? dataflow : "all",
                 brute.violations, brute.checked, brute.first_violation);
    assert_true(rb.found);
    assert_true(rb.complete && rr.complete && rp.complete);
    /* The reduced orders lose no access pattern and add none. */
    size_t nb = distinct(&brute), nr = distinct(&reduced);
    assert_int_equal(nb, nr);
    assert_memory_equal(brute.seen, reduced.seen, nb * sizeof(access));
    assert_true(rr.evaluated < rb.evaluated);
    /* The same optimum three ways, and the pruned search proves it. */
    assert_true(rb.objective == brute.best);
    assert_true(rr.objective == rb.objective);
    assert_true(rp.objective == rb.objective);
    assert_true(rp.lower_bound == rp.objective);
    /* Pruning saves evaluations, except where the bound is too weak to prune
     * (a sparse layer's: docs/sparsity.md) and the search's early walks add some. */
    assert_true(weak_bound || rp.evaluated <= rr.evaluated);
    free(brute.seen);
    free(reduced.seen);
    free(pruned.seen);
}

static void compare(const petal_problem *p, const petal_arch *a, const char *dataflow,
                    petal_objective obj)
{
    compare_order(p, a, dataflow, obj, true);
    compare_order(p, a, dataflow, obj, false);
}

static void three_levels_energy(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    arch_three(&a, 40, 6);
    conv(&p, 2, 2, 5, 3, 1);
    compare(&p, &a, NULL, PETAL_OBJECTIVE_ENERGY);
}

/* Bounds no factor of the fan-out divides (P 5 and M 3 on a 2 x 2 array):
 * the mapper also tries filling an axis imperfectly (docs/model.md,
 * "Imperfect factors"), every bound stays below every mapping under it and
 * branch and bound finds the brute force's optimum. */
static void three_levels_imperfect(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    arch_three(&a, 40, 6);
    conv(&p, 3, 1, 7, 3, 1);
    imperfect_seen = 0;
    compare(&p, &a, NULL, PETAL_OBJECTIVE_ENERGY);
    a.levels[0].read_bw = 0.5;
    compare(&p, &a, NULL, PETAL_OBJECTIVE_DELAY);
    compare(&p, &a, NULL, PETAL_OBJECTIVE_EDP);
    assert_true(imperfect_seen > 0);
}

static void three_levels_stride(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    arch_three(&a, 40, 8);
    conv(&p, 1, 3, 9, 3, 2);
    compare(&p, &a, NULL, PETAL_OBJECTIVE_ENERGY);
}

static void three_levels_delay_and_edp(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    arch_three(&a, 40, 6);
    a.levels[0].read_bw = 0.5;
    a.levels[1].write_bw = 1;
    conv(&p, 2, 2, 4, 3, 1);
    compare(&p, &a, NULL, PETAL_OBJECTIVE_DELAY);
    compare(&p, &a, NULL, PETAL_OBJECTIVE_EDP);
}

/* Networks with a width (docs/latency.md): 16-bit links for Inputs below the
 * buffer and for Weights below each register file, and a 32-bit psum link. */
static void three_levels_networks(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    arch_three(&a, 40, 6);
    a.levels[0].read_bw = 0.5;
    a.levels[1].network_bits[PETAL_DS_INPUTS] = 16;
    a.levels[1].network_bits[PETAL_DS_OUTPUTS] = 32;
    a.levels[2].network_bits[PETAL_DS_WEIGHTS] = 16;
    conv(&p, 2, 2, 4, 3, 1);
    compare(&p, &a, NULL, PETAL_OBJECTIVE_DELAY);
    compare(&p, &a, NULL, PETAL_OBJECTIVE_EDP);
}

/* Sparse (docs/sparsity.md): fixed_structured weights and inputs, the
 * register files gating weight reads on zero inputs, the buffer keeping
 * inputs compressed, the MACs gated. The bounds stay below every mapping and
 * the search finds brute force's best. */
/* A systolic glb: Inputs forwarded along X, Outputs along Y, each hop cheaper
 * than a delivery from the glb's network, so the energy bound must price a
 * delivery at the cheaper of the two (without ms_relax_forwarding a tenth of
 * the bounds are too high); the fill and drain lengthen the cycles, which
 * delay and EDP must bound as well. */
static void three_levels_forwarding(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    arch_three(&a, 40, 6);
    a.levels[1].forward[PETAL_DS_INPUTS] = PETAL_FORWARD_X;
    a.levels[1].forward[PETAL_DS_OUTPUTS] = PETAL_FORWARD_Y;
    a.levels[1].forward_pj = 0.5;
    assert_int_equal(petal_arch_check(&a), PETAL_OK);
    conv(&p, 2, 2, 4, 3, 1);
    compare(&p, &a, NULL, PETAL_OBJECTIVE_ENERGY);
    compare(&p, &a, NULL, PETAL_OBJECTIVE_DELAY);
    compare(&p, &a, NULL, PETAL_OBJECTIVE_EDP);
}

static void three_levels_sparse(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    arch_three(&a, 40, 6);
    a.levels[1].sparse.metadata_word_bits = 4;
    a.levels[1].sparse.format[PETAL_DS_INPUTS] =
        (petal_format){.nranks = 1, .ranks = {{.format = PETAL_FORMAT_CP}}};
    a.levels[2].sparse.nopts = 1;
    a.levels[2].sparse.opts[0] = (petal_action_opt){.kind = PETAL_OPT_GATING,
                                                    .target = PETAL_DS_WEIGHTS,
                                                    .condition_mask = 1u << PETAL_DS_INPUTS};
    a.levels[2].sparse.energy.gated_read_pj = 0.1;
    a.arith.sparse.kind = PETAL_OPT_GATING;
    a.levels[0].read_bw = 0.5;
    conv(&p, 2, 2, 4, 3, 1);
    p.density[PETAL_DS_WEIGHTS] = (petal_density){PETAL_DENSITY_FIXED_STRUCTURED, 0.5, 0};
    p.density[PETAL_DS_INPUTS] = (petal_density){PETAL_DENSITY_FIXED_STRUCTURED, 0.3, 0};
    weak_bound = true;
    compare(&p, &a, NULL, PETAL_OBJECTIVE_ENERGY);
    compare(&p, &a, NULL, PETAL_OBJECTIVE_EDP);
    weak_bound = false;
}

static void split_scratchpads_dataflows(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    arch_split(&a);
    conv(&p, 2, 2, 4, 2, 1);
    compare(&p, &a, "rs", PETAL_OBJECTIVE_ENERGY);
    compare(&p, &a, "ws", PETAL_OBJECTIVE_ENERGY);
    compare(&p, &a, "os", PETAL_OBJECTIVE_ENERGY);
    compare(&p, &a, "nlr", PETAL_OBJECTIVE_ENERGY);
}

/* The bound's capacity rule (a scratchpad whose smallest tile is past its
 * depth is no candidate keeper), its own-loop rule (a level's loops over a
 * keeper's lone coordinates refill that keeper's tile) and the forced order
 * steps, where they weigh most: tiny scratchpads, the input-stationary
 * dataflow (inputs in a 4-word pad), and EDP and delay, where the cycles
 * count too. */
static void split_scratchpads_capacity(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    arch_split(&a);
    conv(&p, 2, 2, 4, 2, 1);
    compare(&p, &a, "is", PETAL_OBJECTIVE_ENERGY);
    compare(&p, &a, "ws", PETAL_OBJECTIVE_EDP);
    a.levels[2].depth = 2; /* ifmap: too small for most input tiles */
    compare(&p, &a, "os", PETAL_OBJECTIVE_DELAY);
}

/* Mappings that break one rule each are not members of the mapspace. */
static void membership_rejects(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    arch_three(&a, 40, 6);
    conv(&p, 2, 2, 5, 3, 1);
    mapspace ms;
    ms_init(&ms, &p, &a);
    petal_map_options o;
    petal_map_options_init(&o);
    petal_map_result r;
    assert_int_equal(petal_map(&p, &a, &o, &r), PETAL_OK);
    assert_true(r.found);
    assert_true(ms_contains(&ms, &r.mapping));
    int last = ms.nlevels - 1;
    petal_mapping m = r.mapping;
    m.levels[0].temporal[0] *= 2; /* the factors no longer multiply to the bound */
    assert_false(ms_contains(&ms, &m));
    m = r.mapping;
    m.levels[last].spatial_x[0] = 2; /* the innermost level has no fan-out */
    m.levels[0].temporal[0] = 1;
    assert_false(ms_contains(&ms, &m));
    m = r.mapping;
    m.levels[0].keep &= (uint8_t)~1u; /* DRAM must keep everything */
    assert_false(ms_contains(&ms, &m));
    /* An order constraint: dimension d0 innermost at the buffer, which takes
     * all of d0 and d1 (the first two dimensions above 1). */
    int d0 = -1, d1 = -1;
    for (int d = 0; d < ms.ndims; d++)
        if (p.bounds[d] > 1) {
            if (d0 < 0)
                d0 = d;
            else if (d1 < 0)
                d1 = d;
        }
    assert_true(d1 > d0 && d0 >= 0);
    mapspace constrained = ms;
    constrained.lv[1].inner[0] = (uint8_t)d0;
    constrained.lv[1].n_inner = 1;
    m = r.mapping;
    for (int l = 0; l < ms.nlevels; l++)
        for (int d = 0; d < ms.ndims; d++) {
            m.levels[l].temporal[d] = l == 0 && d != d0 && d != d1 ? p.bounds[d] : 1;
            m.levels[l].spatial_x[d] = m.levels[l].spatial_y[d] = 1;
            m.levels[l].perm[d] = (uint8_t)d;
        }
    m.levels[1].temporal[d0] = p.bounds[d0];
    m.levels[1].temporal[d1] = p.bounds[d1];
    assert_true(ms_contains(&constrained, &m));
    m.levels[1].perm[d0] = (uint8_t)d1;
    m.levels[1].perm[d1] = (uint8_t)d0;
    assert_false(ms_contains(&constrained, &m));
}

/* Walks from a dataflow's best stay in the whole mapspace, never end worse
 * than they start nor better than the optimum, and petal_map (warm starts,
 * walks, then branch and bound) still finds the brute-force optimum. */
static void walks_stay_inside(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    arch_split(&a);
    conv(&p, 2, 2, 4, 2, 1);
    mapspace ms;
    ms_init(&ms, &p, &a);
    ms.spatial_first = true;
    collect brute;
    petal_map_result rb;
    run(&ms, PETAL_OBJECTIVE_ENERGY, false, false, &brute, &rb);
    free(brute.seen);
    assert_int_equal(brute.outside, 0);
    const char *flows[] = {"rs", "ws", "os", "nlr"};
    for (size_t i = 0; i < sizeof flows / sizeof flows[0]; i++) {
        petal_map_options o;
        petal_map_options_init(&o);
        o.dataflow = flows[i];
        petal_map_result r;
        assert_int_equal(petal_map(&p, &a, &o, &r), PETAL_OK);
        assert_true(r.found);
        for (unsigned threads = 1; threads <= 2; threads++) {
            local_config cfg = {.objective = PETAL_OBJECTIVE_ENERGY,
                                .threads = threads,
                                .max_moves = 5000,
                                .seconds = -1,
                                .seed = 7 + i};
            petal_mapping m = r.mapping;
            petal_model_result mr = r.stats;
            uint64_t evals = 0;
            assert_int_equal(local_search(&ms, &cfg, &m, &mr, &evals), PETAL_OK);
            assert_true(evals > 0);
            assert_true(ms_contains(&ms, &m));
            petal_model_result check;
            assert_int_equal(petal_model_eval(&p, &a, &m, &check), PETAL_OK);
            assert_true(check.valid);
            assert_true(check.energy_pj == mr.energy_pj);
            assert_true(mr.energy_pj <= r.stats.energy_pj);
            assert_true(mr.energy_pj >= rb.objective);
        }
    }
    petal_map_options o;
    petal_map_options_init(&o);
    petal_map_result r;
    assert_int_equal(petal_map(&p, &a, &o, &r), PETAL_OK);
    assert_true(r.complete);
    assert_true(r.objective == rb.objective);
    assert_int_equal(search_mapping_cmp(&r.mapping, &rb.mapping), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(three_levels_energy),         cmocka_unit_test(three_levels_imperfect),
        cmocka_unit_test(three_levels_stride),         cmocka_unit_test(three_levels_delay_and_edp),
        cmocka_unit_test(three_levels_networks),       cmocka_unit_test(split_scratchpads_dataflows),
        cmocka_unit_test(split_scratchpads_capacity),  cmocka_unit_test(membership_rejects),
        cmocka_unit_test(walks_stay_inside),           cmocka_unit_test(three_levels_sparse),
        cmocka_unit_test(three_levels_forwarding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
