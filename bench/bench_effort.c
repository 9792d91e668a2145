/* bench_effort.c - what the deterministic budget costs (docs/dataflows.md,
 * "The budget"): every AlexNet layer on eyeriss-v1, whole mapspace, energy
 * objective, searched under the default effort (PETAL_MAP_DEFAULT_EFFORT) on
 * 1 and 2 threads, and under the old default, a 2 s time limit per layer on 2
 * threads. Per layer: the energy found, the gap left, what cut the search,
 * the work done (evaluations and bounds), the wall and CPU seconds (the CPU
 * time of every thread: on a busy machine the wall time of a time-limited
 * search stays the same while its work shrinks), and evaluations and work
 * (bounds plus evaluations) per wall second. Figures only: nothing passes or
 * fails on a timing. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "petal/arch.h"
#include "petal/mapper.h"
#include "petal/network.h"

/* The old default of `petal eval`: 2 s per distinct layer shape. */
#define OLD_BUDGET_SECONDS 2.0

typedef struct run {
    const char *label;
    unsigned threads;
    uint64_t effort;
    double budget;
    double seconds, cpu, work; /* totals over the layers */
} run;

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void one(const petal_problem *p, const petal_arch *a, run *rn)
{
    petal_map_options o;
    petal_map_options_init(&o);
    o.threads = rn->threads;
    o.effort = rn->effort;
    o.budget_seconds = rn->budget;
    static petal_map_result r;
    double cpu = cpu_seconds();
    petal_status st = petal_map(p, a, &o, &r);
    cpu = cpu_seconds() - cpu;
    if (st) {
        printf("  %-28s failed: %s\n", rn->label, petal_error_message());
        return;
    }
    double work = (double)(r.evaluated + r.bounded);
    rn->seconds += r.seconds;
    rn->cpu += cpu;
    rn->work += work;
    if (!r.found) {
        printf("  %-28s no mapping: %s\n", rn->label, r.why);
        return;
    }
    printf("  %-28s %9.4f %8.4f%% %-7s %10.0f %10.0f %8.2f %8.2f %10.0f %10.0f\n", rn->label,
           r.objective / (double)r.stats.computes, 100 * petal_map_gap(&r),
           petal_map_limit_name(r.stopped_by), (double)r.evaluated, (double)r.bounded, r.seconds,
           cpu, r.seconds > 0 ? (double)r.evaluated / r.seconds : 0,
           r.seconds > 0 ? work / r.seconds : 0);
}

int main(void)
{
    petal_network net;
    petal_arch a;
    if (petal_zoo_build("alexnet", &net) || petal_arch_preset("eyeriss-v1", &a)) {
        printf("cannot load alexnet / eyeriss-v1: %s\n", petal_error_message());
        return 1;
    }
    run runs[] = {
        {.label = "effort 2M, 1 thread",
         .threads = 1,
         .effort = PETAL_MAP_DEFAULT_EFFORT,
         .budget = -1},
        {.label = "effort 2M, 2 threads",
         .threads = 2,
         .effort = PETAL_MAP_DEFAULT_EFFORT,
         .budget = -1},
        {.label = "old default: 2 s, 2 threads", .threads = 2, .budget = OLD_BUDGET_SECONDS},
    };
    enum { NRUNS = sizeof runs / sizeof runs[0] };
    printf("(d) the deterministic budget on AlexNet, eyeriss-v1, whole mapspace, energy "
           "objective\n");
    printf("  %-28s %9s %9s %-7s %10s %10s %8s %8s %10s %10s\n", "search", "pJ/MAC", "gap",
           "cut by", "evaluated", "bounded", "wall s", "CPU s", "evals/s", "work/s");
    for (size_t i = 0; i < net.nlayers; i++) {
        printf("%s\n", net.layers[i].name);
        for (size_t k = 0; k < NRUNS; k++)
            one(&net.layers[i], &a, &runs[k]);
    }
    printf("in all (work: bounds plus evaluations)\n");
    for (size_t k = 0; k < NRUNS; k++)
        printf("  %-28s %7.1f s wall, %7.1f s CPU, %10.0f bounds and evaluations, %8.0f per "
               "wall second\n",
               runs[k].label, runs[k].seconds, runs[k].cpu, runs[k].work,
               runs[k].seconds > 0 ? runs[k].work / runs[k].seconds : 0);
    petal_network_free(&net);
    return 0;
}
