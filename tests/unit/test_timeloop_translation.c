/* test_timeloop_translation.c - every reference run's inputs, as petal reads
 * them, describe the loop nest Timeloop printed in its map.txt: the same
 * levels, at each level the same temporal loops in the same order and the same
 * spatial loops on the same axis, and the same data spaces kept with the same
 * tile sizes. This checks the translation (levels, fan-outs, splits, bypass,
 * factor and permutation forms, projection coefficients) independently of the
 * model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "petal/timeloop.h"
#include "support/mismatch.c"
#include "support/timeloop_cases.c"
#include "support/timeloop_map.c"
#include "support/timeloop_stats.c"

static petal_timeloop_spec spec;

/* Words of data space s held at level l: the footprint of every loop at l
 * and inside it. */
static uint64_t tile_words(int l, int s)
{
    const petal_problem *p = &spec.problem;
    uint64_t extent[PETAL_MAX_DIMS];
    for (int d = 0; d < p->ndims; d++) {
        extent[d] = 1;
        for (int k = l; k < spec.mapping.nlevels; k++) {
            const petal_level_mapping *lm = &spec.mapping.levels[k];
            extent[d] *= lm->temporal[d] * lm->spatial_x[d] * lm->spatial_y[d];
        }
    }
    uint64_t words = 1;
    for (int r = 0; r < p->ds[s].nranks; r++) {
        uint64_t e = 1;
        for (int t = 0; t < p->ds[s].ranks[r].nterms; t++) {
            const petal_term *term = &p->ds[s].ranks[r].terms[t];
            e += (uint64_t)term->coef * (extent[term->dim] - 1);
        }
        words *= e;
    }
    return words;
}

static void check_level(const char *cname, const tlm_level *ref, int l)
{
    const petal_problem *p = &spec.problem;
    const petal_level_mapping *lm = &spec.mapping.levels[l];
    const char *lname = spec.arch.levels[l].name;
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        int found = -1;
        for (int i = 0; i < ref->ntiles; i++)
            if (strcmp(ref->tile_ds[i], p->ds[s].name) == 0)
                found = i;
        bool kept = lm->keep & (1u << s);
        if (kept != (found >= 0))
            mismatch("%s %s %s: petal %s, Timeloop %s", cname, lname, p->ds[s].name,
                     kept ? "keeps" : "bypasses", found >= 0 ? "keeps" : "bypasses");
        else if (kept && tile_words(l, s) != ref->tile[found])
            mismatch("%s %s %s: tile %llu, Timeloop %llu", cname, lname, p->ds[s].name,
                     (unsigned long long)tile_words(l, s), (unsigned long long)ref->tile[found]);
    }
    /* Temporal loops with a factor above 1, outermost first. */
    int t = 0;
    for (int i = p->ndims - 1; i >= 0; i--) {
        int d = lm->perm[i];
        if (lm->temporal[d] <= 1)
            continue;
        while (t < ref->nloops && ref->loops[t].kind != 'T')
            t++;
        if (t == ref->nloops || strcmp(ref->loops[t].dim, p->dim_names[d]) != 0 ||
            ref->loops[t].factor != lm->temporal[d])
            mismatch("%s %s: temporal loop %s:%llu is not Timeloop's next loop", cname, lname,
                     p->dim_names[d], (unsigned long long)lm->temporal[d]);
        t++;
    }
    int ref_temporal = 0, ref_spatial = 0, petal_spatial = 0;
    for (int i = 0; i < ref->nloops; i++) {
        const tlm_loop *lp = &ref->loops[i];
        if (lp->kind == 'T') {
            ref_temporal++;
            continue;
        }
        ref_spatial++;
        int d = petal_problem_dim(p, lp->dim);
        uint64_t f = d < 0 ? 0 : lp->kind == 'X' ? lm->spatial_x[d] : lm->spatial_y[d];
        if (f != lp->factor)
            mismatch("%s %s: Timeloop's %s:%llu (Spatial-%c) is %llu in petal", cname, lname,
                     lp->dim, (unsigned long long)lp->factor, lp->kind, (unsigned long long)f);
    }
    int petal_temporal = 0;
    for (int d = 0; d < p->ndims; d++) {
        petal_temporal += lm->temporal[d] > 1;
        petal_spatial += (lm->spatial_x[d] > 1) + (lm->spatial_y[d] > 1);
    }
    if (petal_temporal != ref_temporal || petal_spatial != ref_spatial)
        mismatch("%s %s: %d temporal and %d spatial loops, Timeloop %d and %d", cname, lname,
                 petal_temporal, petal_spatial, ref_temporal, ref_spatial);
}

static void every_reference_run(void **state)
{
    (void)state;
    for (size_t i = 0; i < TLC_COUNT; i++) {
        const tlc_case *c = &tlc_cases[i];
        tlc_paths paths;
        if (tlc_load(c, &paths, &spec) != PETAL_OK) {
            mismatch("%s: %s", c->name, petal_error_message());
            continue;
        }
        tlm_map ref;
        if (tlm_parse(paths.map_txt, &ref) != 0) {
            mismatch("%s: cannot read %s", c->name, paths.map_txt);
            continue;
        }
        if (ref.nlevels != spec.arch.nlevels)
            mismatch("%s: %d levels, Timeloop %d", c->name, spec.arch.nlevels, ref.nlevels);
        for (int l = 0; l < spec.arch.nlevels; l++) {
            const tlm_level *rl = tlm_level_named(&ref, spec.arch.levels[l].name);
            if (!rl)
                mismatch("%s: level %s is not in Timeloop's map", c->name,
                         spec.arch.levels[l].name);
            else
                check_level(c->name, rl, l);
        }
    }
    assert_int_equal(mismatches, 0);
}

static bool close_to(double got, double want)
{
    double diff = got > want ? got - want : want - got;
    /* Timeloop prints energies with two decimals. */
    return diff <= 0.006 + 1e-6 * (want > 0 ? want : -want);
}

/* Energies are petal's reading of the ERT: per-action energies of one block
 * access. Timeloop counts, per instance, data space and action, the scalar
 * accesses rounded up to whole blocks (18 fills of an 8-word block are 3
 * block writes), and static energy per cycle per utilised instance (at least
 * one). Priced that way on Timeloop's own counts, petal's energies must give
 * Timeloop's: this pins both the ERT reading and the rule the model follows. */
static void energies_price_the_reference_counts(void **state)
{
    (void)state;
    mismatches = 0;
    for (size_t i = 0; i < TLC_COUNT; i++) {
        const tlc_case *c = &tlc_cases[i];
        tlc_paths paths;
        tls_stats ref;
        if (tlc_load(c, &paths, &spec) != PETAL_OK || tls_parse(paths.stats, &ref) != 0) {
            mismatch("%s: cannot load", c->name);
            continue;
        }
        for (int k = 0; k < ref.nlevels; k++) {
            const tls_level *rl = &ref.levels[k];
            if (rl->arith) {
                double want = (double)rl->computes * spec.arch.arith.mac_pj;
                if (!close_to(want, rl->energy_total))
                    mismatch("%s %s: MAC energy %.2f, Timeloop %.2f", c->name, rl->name, want,
                             rl->energy_total);
                continue;
            }
            int l = petal_arch_level(&spec.arch, rl->name);
            if (l < 0) {
                mismatch("%s: no level %s", c->name, rl->name);
                continue;
            }
            const petal_level *lv = &spec.arch.levels[l];
            uint64_t used = 0;
            for (int s = 0; s < rl->nds; s++) {
                const tls_ds *ds = &rl->ds[s];
                if (ds->utilized_instances > used)
                    used = ds->utilized_instances;
                uint64_t bs = lv->block_size;
                /* A cluster of instances shares one access (Simba-like's weight
                 * registers: 64 to a cluster): Timeloop charges utilised clusters. */
                uint64_t charged = ds->utilized_instances;
                if (lv->cluster_size > 1 && lv->instances / lv->cluster_size < charged)
                    charged = lv->instances / lv->cluster_size;
                double want = (double)charged *
                              ((double)((ds->reads + bs - 1) / bs) * lv->read_pj +
                               (double)((ds->fills + bs - 1) / bs) * lv->fill_pj +
                               (double)((ds->updates + bs - 1) / bs) * lv->update_pj);
                if (!close_to(want, ds->energy_total))
                    mismatch("%s %s %s: energy %.2f, Timeloop %.2f", c->name, lv->name, ds->name,
                             want, ds->energy_total);
            }
            double leak = lv->leak_pj * (double)ref.cycles * (double)(used ? used : 1);
            if (!close_to(leak, rl->leak_total))
                mismatch("%s %s: leakage %.2f, Timeloop %.2f", c->name, lv->name, leak,
                         rl->leak_total);
        }
    }
    assert_int_equal(mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_reference_run),
        cmocka_unit_test(energies_price_the_reference_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
