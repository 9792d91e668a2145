/* bench_model.c - how many mappings petal_model_eval evaluates per second on
 * one core: random valid mappings of ResNet-50's first 3x3 layer from the zoo
 * (layer1.0.conv2: N1 M64 C64 P56 Q56 R3 S3) on the eyeriss-v1 preset, through
 * the mapper's unchecked entry and the public one that checks its arguments.
 * Then the same pool on a sparse layer (issue 13): weights 44.6% and inputs
 * 27.5% dense (fixed_structured, Sparseloop's exercise 04.2.1 densities) on
 * eyeriss-v1 with its scratchpads gating the weight and psum reads on zero
 * inputs and the MACs gated likewise. Prints figures only; the last lines are
 * `model_evals_per_second N` (dense, public entry),
 * `sparse_model_evals_per_second N` and their ratio. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "petal/arch.h"
#include "petal/mapping.h"
#include "petal/model.h"
#include "petal/network.h"
#include "petal/problem.h"
#include "petal/formats.h"
#include "support/random_mapping.c"
#include "model/unchecked.h"

enum { POOL = 256 };

/* Seconds on a clock: the thread's CPU time measures one core's throughput
 * even when other processes share the machine; wall time is printed beside. */
static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef petal_status (*eval_fn)(const petal_problem *, const petal_arch *, const petal_mapping *,
                                petal_model_result *);

/* Evaluate the pool with `eval` for 2 s of CPU time; ns per evaluation. */
static double time_evals(eval_fn eval, const char *what, const petal_problem *p,
                         const petal_arch *a, const petal_mapping *pool)
{
    petal_model_result r;
    double checksum = 0, wall = seconds(CLOCK_MONOTONIC);
    double start = seconds(CLOCK_THREAD_CPUTIME_ID), elapsed = 0;
    unsigned long evals = 0;
    while (elapsed < 2.0) {
        for (int i = 0; i < POOL; i++) {
            eval(p, a, &pool[i], &r);
            checksum += r.energy_pj;
        }
        evals += POOL;
        elapsed = seconds(CLOCK_THREAD_CPUTIME_ID) - start;
    }
    wall = seconds(CLOCK_MONOTONIC) - wall;
    printf("%s: %lu evaluations in %.3f s of CPU time, %.3f s wall (checksum %.6g), %.1f ns each\n",
           what, evals, elapsed, wall, checksum, 1e9 * elapsed / (double)evals);
    return 1e9 * elapsed / (double)evals;
}

/* Each prime factor goes to a temporal loop of some level or to the glb's
 * fan-out, biased towards DRAM so that most draws fit the scratchpads;
 * fan-out factors that would exceed 14 x 12 go to DRAM. */
typedef struct glb_rule {
    int glb;
    uint64_t used_x, used_y;
} glb_rule;

static void place_biased(uint64_t *s, const petal_arch *a, int d, uint64_t f, petal_mapping *m,
                         void *rule)
{
    glb_rule *r = rule;
    unsigned dice = (unsigned)rnd_pick(s, 0, 99);
    int level = 0;
    if (dice < 40)
        level = 0;
    else if (dice < 60)
        level = r->glb;
    else if (dice < 70 && r->used_x * f <= 14) {
        m->levels[r->glb].spatial_x[d] *= f;
        r->used_x *= f;
        return;
    } else if (dice < 80 && r->used_y * f <= 12) {
        m->levels[r->glb].spatial_y[d] *= f;
        r->used_y *= f;
        return;
    } else if (dice >= 80)
        level = (int)rnd_pick(s, 2, (uint64_t)a->nlevels - 1);
    m->levels[level].temporal[d] *= f;
}

/* Only the glb draws what it keeps. */
static void random_mapping(uint64_t *s, const petal_problem *p, const petal_arch *a,
                           petal_mapping *m)
{
    glb_rule rule = {.glb = petal_arch_level(a, "glb"), .used_x = 1, .used_y = 1};
    rnd_mapping(s, p, a, place_biased, &rule, 1u << rule.glb, m);
}

int main(void)
{
    petal_network net;
    petal_arch a;
    if (petal_network_load("resnet50", &net) || petal_arch_preset("eyeriss-v1", &a)) {
        fprintf(stderr, "bench_model: %s\n", petal_error_message());
        return 1;
    }
    const petal_problem *layer = petal_network_find(&net, "layer1.0.conv2", NULL);
    if (!layer) {
        fprintf(stderr, "bench_model: resnet50 has no layer1.0.conv2\n");
        return 1;
    }
    petal_problem p = *layer;
    petal_network_free(&net);
    petal_mapping *pool = malloc(POOL * sizeof *pool);
    if (!pool)
        return 1;
    petal_model_result r;
    unsigned long tried = 0;
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    for (int n = 0; n < POOL;) {
        random_mapping(&seed, &p, &a, &pool[n]);
        tried++;
        if (petal_model_eval(&p, &a, &pool[n], &r) == PETAL_OK && r.valid)
            n++;
    }
    printf("layer: resnet50 %s on %s; %d valid random mappings (%lu drawn)\n", p.name, a.name, POOL,
           tried);

    /* The mapper's entry first (it checked the problem and the architecture
     * once), then the public one, which checks them on every call. */
    double unchecked =
        time_evals(model_eval_unchecked, "unchecked (the mapper's entry)", &p, &a, pool);
    double checked = time_evals(petal_model_eval, "petal_model_eval", &p, &a, pool);
    printf("checks cost %.1f ns per evaluation\n", checked - unchecked);
    printf("ns_per_eval %.1f\n", checked);
    printf("model_evals_per_second %.0f\n", 1e9 / checked);

    petal_problem sp = p;
    sp.density[PETAL_DS_WEIGHTS] =
        (petal_density){.kind = PETAL_DENSITY_FIXED_STRUCTURED, .density = 0.446133};
    sp.density[PETAL_DS_INPUTS] =
        (petal_density){.kind = PETAL_DENSITY_FIXED_STRUCTURED, .density = 0.275};
    petal_arch sa = a;
    const char *spads[] = {"filter_spad", "psum_spad"};
    const int targets[] = {PETAL_DS_WEIGHTS, PETAL_DS_OUTPUTS};
    for (int k = 0; k < 2; k++) {
        int l = petal_arch_level(&sa, spads[k]);
        if (l < 0) {
            fprintf(stderr, "bench_model: eyeriss-v1 has no %s\n", spads[k]);
            free(pool);
            return 1;
        }
        petal_level_sparse *ls = &sa.levels[l].sparse;
        ls->nopts = 1;
        ls->opts[0] = (petal_action_opt){.kind = PETAL_OPT_GATING,
                                         .target = (uint8_t)targets[k],
                                         .condition_mask = 1u << PETAL_DS_INPUTS};
    }
    sa.arith.sparse.kind = PETAL_OPT_GATING;
    double sparse = time_evals(petal_model_eval, "petal_model_eval, sparse", &sp, &sa, pool);
    printf("sparse_model_evals_per_second %.0f\n", 1e9 / sparse);
    printf("sparse_over_dense_time %.2f (issue 13: at most 3)\n", sparse / checked);
    free(pool);
    return 0;
}
