/* bench_eyexam.c - how long petal_eyexam_bounds takes (no search: the seven
 * bounds alone, dominated by the walk over every spread of the layer on the
 * array) for AlexNet's layers on eyeriss-v1 and simple-ws, under row
 * stationary and over the whole mapspace. Prints figures only. */
#include <stdio.h>
#include <time.h>

#include "petal/arch.h"
#include "petal/eyexam.h"
#include "petal/network.h"

/* The thread's CPU time: one core's cost even on a shared machine. */
static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(void)
{
    petal_network net;
    if (petal_zoo_build("alexnet", &net)) {
        fprintf(stderr, "bench_eyexam: %s\n", petal_error_message());
        return 1;
    }
    const char *archs[] = {"eyeriss-v1", "simple-ws"};
    const char *dataflows[] = {"rs", NULL};
    static petal_eyexam_result r;
    double worst = 0;
    for (size_t ai = 0; ai < 2; ai++) {
        petal_arch a;
        if (petal_arch_preset(archs[ai], &a)) {
            fprintf(stderr, "bench_eyexam: %s\n", petal_error_message());
            petal_network_free(&net);
            return 1;
        }
        for (size_t di = 0; di < 2; di++)
            for (size_t i = 0; i < net.nlayers; i++) {
                /* Repeat for at least 0.2 s of CPU time. */
                double start = cpu_seconds(), elapsed = 0;
                unsigned calls = 0;
                while (elapsed < 0.2) {
                    if (petal_eyexam_bounds(&net.layers[i], &a, dataflows[di], &r)) {
                        fprintf(stderr, "bench_eyexam: %s\n", petal_error_message());
                        petal_network_free(&net);
                        return 1;
                    }
                    calls++;
                    elapsed = cpu_seconds() - start;
                }
                double ms = 1e3 * elapsed / calls;
                if (ms > worst)
                    worst = ms;
                printf("%-10s %-6s %-6s %8.3f ms per call (%u calls), step 7 %.4g MACs/cycle\n",
                       archs[ai], dataflows[di] ? dataflows[di] : "all", net.layers[i].name, ms,
                       calls, r.steps[6].macs_per_cycle);
            }
    }
    printf("eyexam_bounds_worst_ms %.3f\n", worst);
    petal_network_free(&net);
    return 0;
}
