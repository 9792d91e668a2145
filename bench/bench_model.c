/* bench_model.c - how many mappings petal_model_eval evaluates per second on
 * one core: random valid mappings of a ResNet-50 3x3 layer (N1 M64 C64 P56
 * Q56 R3 S3) on the eyeriss-v1 preset. Prints figures only; the last line is
 * `model_evals_per_second N`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "petal/arch.h"
#include "petal/mapping.h"
#include "petal/model.h"
#include "petal/problem.h"

enum { POOL = 256 };

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Seconds on a clock: the thread's CPU time measures one core's throughput
 * even when other processes share the machine; wall time is printed beside. */
static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Slots a factor can go to: a temporal loop of each level, or the glb's
 * spatial X or Y fan-out. */
enum { SLOT_X = PETAL_MAX_LEVELS, SLOT_Y, NSLOTS };

/* Each prime factor of each bound goes to a temporal loop of some level or to
 * the glb's fan-out, biased towards DRAM so that most draws fit the
 * scratchpads; fan-out factors that would exceed 14 x 12 go to DRAM. */
static void random_mapping(const petal_problem *p, const petal_arch *a, petal_mapping *m)
{
    petal_mapping_init(m, p, a);
    int glb = petal_arch_level(a, "glb");
    uint64_t used_x = 1, used_y = 1;
    for (int d = 0; d < p->ndims; d++) {
        uint64_t b = p->bounds[d];
        for (uint64_t f = 2; b > 1;) {
            if (b % f) {
                f++;
                continue;
            }
            b /= f;
            unsigned dice = (unsigned)(rng() % 100);
            int level = 0;
            if (dice < 40)
                level = 0;
            else if (dice < 60)
                level = glb;
            else if (dice < 70 && used_x * f <= 14) {
                m->levels[glb].spatial_x[d] *= f;
                used_x *= f;
                continue;
            } else if (dice < 80 && used_y * f <= 12) {
                m->levels[glb].spatial_y[d] *= f;
                used_y *= f;
                continue;
            } else if (dice >= 80)
                level = 2 + (int)(rng() % (uint64_t)(a->nlevels - 2));
            m->levels[level].temporal[d] *= f;
        }
    }
    for (int l = 0; l < a->nlevels; l++) {
        petal_level_mapping *lm = &m->levels[l];
        for (int k = p->ndims - 1; k > 0; k--) {
            int j = (int)(rng() % (uint64_t)(k + 1));
            uint8_t t = lm->perm[k];
            lm->perm[k] = lm->perm[j];
            lm->perm[j] = t;
        }
        if (l == glb)
            lm->keep = (uint8_t)(rng() % 8);
    }
}

int main(void)
{
    petal_problem p;
    petal_conv_params c = {.batch = 1,
                           .in_channels = 64,
                           .in_h = 56,
                           .in_w = 56,
                           .out_channels = 64,
                           .kernel_h = 3,
                           .kernel_w = 3,
                           .pad_top = 1,
                           .pad_bottom = 1,
                           .pad_left = 1,
                           .pad_right = 1};
    petal_arch a;
    if (petal_problem_conv(&p, "resnet50-conv2_x-3x3", &c) || petal_arch_preset("eyeriss-v1", &a)) {
        fprintf(stderr, "bench_model: %s\n", petal_error_message());
        return 1;
    }
    petal_mapping *pool = malloc(POOL * sizeof *pool);
    if (!pool)
        return 1;
    petal_model_result r;
    unsigned long tried = 0;
    for (int n = 0; n < POOL;) {
        random_mapping(&p, &a, &pool[n]);
        tried++;
        if (petal_model_eval(&p, &a, &pool[n], &r) == PETAL_OK && r.valid)
            n++;
    }
    printf("layer: %s on %s; %d valid random mappings (%lu drawn)\n", p.name, a.name, POOL, tried);

    double checksum = 0, wall = seconds(CLOCK_MONOTONIC);
    double start = seconds(CLOCK_THREAD_CPUTIME_ID), elapsed = 0;
    unsigned long evals = 0;
    while (elapsed < 2.0) {
        for (int i = 0; i < POOL; i++) {
            petal_model_eval(&p, &a, &pool[i], &r);
            checksum += r.energy_pj;
        }
        evals += POOL;
        elapsed = seconds(CLOCK_THREAD_CPUTIME_ID) - start;
    }
    wall = seconds(CLOCK_MONOTONIC) - wall;
    printf("evaluations: %lu in %.3f s of CPU time, %.3f s wall (checksum %.6g)\n", evals, elapsed,
           wall, checksum);
    printf("ns_per_eval %.1f\n", 1e9 * elapsed / (double)evals);
    printf("model_evals_per_second %.0f\n", (double)evals / elapsed);
    free(pool);
    return 0;
}
