/* bench_sim.c - how fast the reference simulator runs one small triple, dense
 * and on sparse tensors: a 3x3 convolution (M8 C8 P8 Q8 R3 S3, 36,864 MACs)
 * on DRAM, a global buffer and 4 register files over 4 MACs, first dense,
 * then with Weights fixed_structured at 0.5 and Inputs hypergeometric at 0.6,
 * the register files keeping Weights in CP, gating Inputs and skipping
 * Outputs on zero Weights, and the MACs skipping. Prints figures only; the
 * last lines are `sim_runs_per_second_dense N` and `sim_runs_per_second_sparse N`. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "petal/sim.h"
#include "unit/nest_builder.h"

static double cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs per second of CPU time over at least 1 s. */
static double time_runs(const petal_problem *p, const petal_arch *a, const petal_mapping *m)
{
    petal_sim_result r;
    uint64_t runs = 0, checksum = 0;
    double start = cpu_seconds(), elapsed = 0;
    while (elapsed < 1.0) {
        if (petal_sim_run(p, a, m, NULL, &r) != PETAL_OK) {
            fprintf(stderr, "bench_sim: %s\n", petal_error_message());
            return 0;
        }
        checksum += r.actual_computes;
        runs++;
        elapsed = cpu_seconds() - start;
    }
    printf("  %llu runs in %.2f s CPU (checksum %llu)\n", (unsigned long long)runs, elapsed,
           (unsigned long long)checksum);
    return (double)runs / elapsed;
}

int main(void)
{
    petal_problem p;
    uint64_t b[] = {8, 8, 8, 8, 3, 3};
    if (nb_problem(&p, "conv3x3", "MCPQRS", b, "M|C|R|S", "C|P+R|Q+S", "M|P|Q")) {
        fprintf(stderr, "bench_sim: cannot build the problem\n");
        return 1;
    }
    petal_arch a;
    memset(&a, 0, sizeof a);
    snprintf(a.name, sizeof a.name, "bench");
    a.nlevels = 3;
    nb_level(&a.levels[0], "DRAM", PETAL_MEM_DRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
    nb_level(&a.levels[1], "GLB", PETAL_MEM_SRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
    nb_level(&a.levels[2], "RF", PETAL_MEM_REGFILE, 0, 1, 4, 1, PETAL_KEEP_ALL);
    snprintf(a.arith.name, sizeof a.arith.name, "mac");
    a.arith.mesh_x = 4;
    a.arith.mesh_y = 1;
    a.arith.instances = 4;
    a.arith.word_bits = 16;
    a.arith.mac_pj = 1;
    petal_mapping m = {.nlevels = 3};
    if (nb_level_mapping(&p, &m.levels[0], "M2 C2", "CM", "", "", PETAL_KEEP_ALL) ||
        nb_level_mapping(&p, &m.levels[1], "P8 Q2", "QP", "M4", "", PETAL_KEEP_ALL) ||
        nb_level_mapping(&p, &m.levels[2], "C4 Q4 R3 S3", "SRQC", "", "", PETAL_KEEP_ALL)) {
        fprintf(stderr, "bench_sim: cannot build the mapping\n");
        return 1;
    }
    printf("dense:\n");
    double dense = time_runs(&p, &a, &m);
    p.density[PETAL_DS_WEIGHTS] =
        (petal_density){.kind = PETAL_DENSITY_FIXED_STRUCTURED, .density = 0.5};
    p.density[PETAL_DS_INPUTS] =
        (petal_density){.kind = PETAL_DENSITY_HYPERGEOMETRIC, .density = 0.6};
    petal_level_sparse *rf = &a.levels[2].sparse;
    rf->format[PETAL_DS_WEIGHTS].nranks = 1;
    rf->format[PETAL_DS_WEIGHTS].ranks[0].format = PETAL_FORMAT_CP;
    rf->opts[rf->nopts++] =
        (petal_action_opt){PETAL_OPT_GATING, PETAL_DS_INPUTS, 1u << PETAL_DS_WEIGHTS};
    rf->opts[rf->nopts++] =
        (petal_action_opt){PETAL_OPT_SKIPPING, PETAL_DS_OUTPUTS, 1u << PETAL_DS_WEIGHTS};
    a.arith.sparse.kind = PETAL_OPT_SKIPPING;
    printf("sparse:\n");
    double sparse = time_runs(&p, &a, &m);
    printf("sim_runs_per_second_dense %.1f\n", dense);
    printf("sim_runs_per_second_sparse %.1f\n", sparse);
    return dense > 0 && sparse > 0 ? 0 : 1;
}
