/* bench_mapper.c - the mapper's figures (docs/dataflows.md quotes them):
 *   (a) Timeloop's example designs (default problem, the constraints in their
 *       arch.yaml) and the tutorial's mapper exercises 05 and 06: petal's best
 *       energy beside the energy of Timeloop's mapper result in ref_outputs,
 *       whether the search finished (gap), when the best was found and the
 *       seconds in all on 2 threads;
 *   (b) every AlexNet layer on eyeriss-v1 under each named dataflow: the gap
 *       left (0 when optimality was proven), mappings evaluated, seconds;
 *   (c) proofs of the whole mapspace (no effort, no budget but the cap):
 *       AlexNet and ResNet-50 on eyeriss-v1 as `petal eval --effort none
 *       --budget none --threads 2` maps them, per distinct shape the seconds,
 *       the bounds and the gap left;
 *   then the proof targets of issue 15 side by side, and partial mappings
 *       bounded per second over all the proofs above.
 * Figures only: nothing passes or fails on a timing. Searches are capped at
 * PETAL_BENCH_BUDGET seconds each (default 300); ResNet-50's shapes at
 * PETAL_BENCH_RESNET_CAP seconds each (default 60). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "petal/constraints.h"
#include "petal/eval.h"
#include "petal/mapper.h"
#include "petal/network.h"
#include "petal/timeloop.h"
#include "petal/formats.h"

/* What the summary quotes. */
static struct {
    double ex06_seconds;
    bool ex06_complete;
    double dataflow_seconds;
    size_t dataflow_proven, dataflow_searches;
    double proof_seconds, proof_bounded; /* every search above with no cut */
} fig;

static double budget(void)
{
    const char *b = getenv("PETAL_BENCH_BUDGET");
    return b ? atof(b) : 300;
}

/* pJ per compute of a Timeloop stats file: its "Total" line under
 * "fJ/Compute", in fJ. 0 when the file cannot be read. */
static double reference_pj_per_mac(const char *stats)
{
    FILE *f = fopen(stats, "r");
    if (!f)
        return 0;
    char line[512];
    double total = 0;
    bool in_summary = false;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "fJ/Compute", 10) == 0)
            in_summary = true;
        const char *eq = strchr(line, '=');
        if (in_summary && eq && strstr(line, "Total"))
            total = atof(eq + 1);
    }
    fclose(f);
    return total / 1000.0;
}

static void timeloop_case(const char *label, const petal_timeloop_files *files, const char *stats)
{
    static petal_timeloop_spec spec;
    if (petal_timeloop_load(files, &spec)) {
        printf("%-34s cannot load: %s\n", label, petal_error_message());
        return;
    }
    petal_map_options o;
    petal_map_options_init(&o);
    o.threads = 2;
    o.budget_seconds = budget();
    if (!petal_constraints_empty(&spec.constraints))
        o.constraints = &spec.constraints;
    static petal_map_result r;
    if (petal_map(&spec.problem, &spec.arch, &o, &r)) {
        printf("%-34s failed: %s\n", label, petal_error_message());
        return;
    }
    double ref = reference_pj_per_mac(stats);
    if (!r.found) {
        printf("%-34s no mapping: %s\n", label, r.why);
        return;
    }
    double pj = r.objective / (double)r.stats.computes;
    if (strncmp(label, "06", 2) == 0) {
        fig.ex06_seconds = r.seconds;
        fig.ex06_complete = r.complete;
    }
    if (r.complete) {
        fig.proof_seconds += r.seconds;
        fig.proof_bounded += (double)r.bounded;
    }
    printf("%-34s %10.4f %10.4f %7.3f %8.4f%% %10llu %8.2f %8.2f\n", label, pj, ref,
           ref > 0 ? pj / ref : 0, 100 * petal_map_gap(&r), (unsigned long long)r.evaluated,
           r.found_seconds, r.seconds);
}

static void designs(void)
{
    const char *root = PETAL_SHARED_DIR "/reference/timeloop-exercises";
    printf("(a) Timeloop designs and mapper exercises, energy objective, 2 threads\n");
    printf("%-34s %10s %10s %7s %9s %10s %8s %8s\n", "case", "petal", "timeloop", "ratio", "gap",
           "evaluated", "found", "seconds");
    printf("%-34s %10s %10s %7s %9s %10s %8s %8s\n", "", "pJ/MAC", "pJ/MAC", "", "", "", "at s",
           "in all");
    static const char *const names[] = {"simple_weight_stationary", "simple_output_stationary",
                                        "eyeriss_like", "simba_like"};
    char problem[512], arch[512], ert[512], stats[512];
    snprintf(problem, sizeof problem,
             "%s/example_designs/example_designs/_include/"
             "default_problem.yaml",
             root);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *dir = "example_designs/example_designs";
        snprintf(arch, sizeof arch, "%s/%s/%s/arch.yaml", root, dir, names[i]);
        snprintf(ert, sizeof ert, "%s/%s/%s/ref_outputs/default_problem/timeloop-mapper.ERT.yaml",
                 root, dir, names[i]);
        snprintf(stats, sizeof stats,
                 "%s/%s/%s/ref_outputs/default_problem/timeloop-mapper.stats.txt", root, dir,
                 names[i]);
        petal_timeloop_files f = {.problem = problem, .arch = arch, .ert = ert};
        timeloop_case(names[i], &f, stats);
    }
    struct {
        const char *label, *dir;
    } ex[] = {
        {"05 baked", "05-mapper-conv1d+oc-3level/ref-output/baked"},
        {"05 freebypass", "05-mapper-conv1d+oc-3level/ref-output/freebypass"},
        {"05 null", "05-mapper-conv1d+oc-3level/ref-output/null"},
        {"06 eyeriss-like, VGG layer", "06-mapper-convlayer-eyeriss/ref-output"},
    };
    char combined[512];
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        snprintf(combined, sizeof combined, "%s/tutorial-timeloop/%s/parsed-processed-input.yaml",
                 root, ex[i].dir);
        snprintf(ert, sizeof ert, "%s/tutorial-timeloop/%s/timeloop-mapper.ERT.yaml", root,
                 ex[i].dir);
        snprintf(stats, sizeof stats, "%s/tutorial-timeloop/%s/timeloop-mapper.stats.txt", root,
                 ex[i].dir);
        petal_timeloop_files f = {.combined = combined, .ert = ert};
        timeloop_case(ex[i].label, &f, stats);
    }
}

static void alexnet(void)
{
    printf("\n(b) AlexNet on eyeriss-v1 by dataflow, energy objective, 2 threads\n");
    printf("%-8s %-6s %10s %9s %10s %8s\n", "dataflow", "layer", "pJ/MAC", "gap", "evaluated",
           "seconds");
    petal_network net;
    petal_arch a;
    if (petal_network_load("alexnet", &net) || petal_arch_preset("eyeriss-v1", &a)) {
        printf("cannot load alexnet / eyeriss-v1: %s\n", petal_error_message());
        return;
    }
    double worst = 0, total = 0;
    size_t proven = 0, searches = 0;
    for (size_t k = 0; k < petal_dataflow_count(); k++) {
        for (size_t i = 0; i < net.nlayers; i++) {
            petal_map_options o;
            petal_map_options_init(&o);
            o.threads = 2;
            o.budget_seconds = budget();
            o.dataflow = petal_dataflow_name(k);
            static petal_map_result r;
            if (petal_map(&net.layers[i], &a, &o, &r)) {
                printf("%-8s %-6s failed: %s\n", o.dataflow, net.layers[i].name,
                       petal_error_message());
                continue;
            }
            searches++;
            total += r.seconds;
            if (r.complete) {
                fig.proof_seconds += r.seconds;
                fig.proof_bounded += (double)r.bounded;
            }
            if (!r.found) {
                printf("%-8s %-6s no mapping: %s\n", o.dataflow, net.layers[i].name, r.why);
                continue;
            }
            double gap = petal_map_gap(&r);
            proven += r.complete;
            if (gap > worst)
                worst = gap;
            printf("%-8s %-6s %10.4f %8.4f%% %10llu %8.2f\n", o.dataflow, net.layers[i].name,
                   r.objective / (double)r.stats.computes, 100 * gap,
                   (unsigned long long)r.evaluated, r.seconds);
        }
    }
    printf("proven optimal: %zu of %zu searches; largest gap %.4f%%; %.1f s in all\n", proven,
           searches, 100 * worst, total);
    fig.dataflow_seconds = total;
    fig.dataflow_proven = proven;
    fig.dataflow_searches = searches;
    petal_network_free(&net);
}

/* One network's whole-mapspace proof: what `petal eval --effort none
 * --budget none --threads 2` does, with a cap per shape. */
typedef struct proof {
    double seconds, worst_gap, bounded;
    size_t shapes, proven;
    bool ok;
} proof;

static proof prove_network(const char *name, double cap)
{
    proof pr = {0};
    printf("\n(c) %s on eyeriss-v1, whole mapspace to the proof (cap %g s a shape), 2 "
           "threads\n",
           name, cap);
    printf("%-22s %10s %9s %12s %8s\n", "layer", "pJ/MAC", "gap", "bounded", "seconds");
    petal_network net;
    petal_arch a;
    if (petal_network_load(name, &net) || petal_arch_preset("eyeriss-v1", &a)) {
        printf("cannot load %s / eyeriss-v1: %s\n", name, petal_error_message());
        return pr;
    }
    petal_map_options o;
    petal_map_options_init(&o);
    o.threads = 2;
    o.effort = 0;
    o.budget_seconds = cap;
    petal_eval_result r;
    if (petal_eval_network(&net, &a, &o, NULL, NULL, &r)) {
        printf("%s failed: %s\n", name, petal_error_message());
        petal_network_free(&net);
        return pr;
    }
    for (size_t i = 0; i < r.nlayers; i++) {
        const petal_map_result *m = &r.layers[i].map;
        if (r.layers[i].same_as != i)
            continue;
        pr.shapes++;
        pr.proven += m->complete;
        pr.bounded += (double)m->bounded;
        double gap = petal_map_gap(m);
        if (gap > pr.worst_gap)
            pr.worst_gap = gap;
        printf("%-22s %10.4f %8.4f%% %12llu %8.2f\n", net.layers[i].name,
               m->found ? m->objective / (double)m->stats.computes : 0, 100 * gap,
               (unsigned long long)m->bounded, m->seconds);
        if (m->complete) {
            fig.proof_seconds += m->seconds;
            fig.proof_bounded += (double)m->bounded;
        }
    }
    pr.seconds = r.seconds;
    pr.ok = true;
    printf("%zu distinct shapes, %zu proven optimal, largest gap %.4f%%, %.1f s in all\n",
           pr.shapes, pr.proven, 100 * pr.worst_gap, pr.seconds);
    petal_eval_free(&r);
    petal_network_free(&net);
    return pr;
}

static void summary(const proof *alex, const proof *resnet)
{
    printf("\nproof targets (issue 15), 2 threads: figure, target\n");
    printf("  AlexNet whole mapspace, every layer proven:  %7.1f s (%zu of %zu shapes "
           "proven)   < 30 s\n",
           alex->seconds, alex->proven, alex->shapes);
    printf("  ResNet-50 whole mapspace:                    %7.1f s (%zu of %zu shapes "
           "proven, largest gap %.2f%%)   < 120 s, all proven\n",
           resnet->seconds, resnet->proven, resnet->shapes, 100 * resnet->worst_gap);
    printf("  exercise 06 proof:                           %7.1f s (%s)   < 5 s\n",
           fig.ex06_seconds, fig.ex06_complete ? "proven" : "not proven");
    printf("  AlexNet under every named dataflow:          %7.1f s (%zu of %zu proven)   "
           "< 60 s\n",
           fig.dataflow_seconds, fig.dataflow_proven, fig.dataflow_searches);
    printf("  partial mappings bounded per second (every completed search above, wall "
           "time, 2 threads): %.0f\n",
           fig.proof_seconds > 0 ? fig.proof_bounded / fig.proof_seconds : 0);
}

int main(void)
{
    designs();
    alexnet();
    proof alex = prove_network("alexnet", budget());
    const char *cap = getenv("PETAL_BENCH_RESNET_CAP");
    proof resnet = prove_network("resnet50", cap ? atof(cap) : 60);
    summary(&alex, &resnet);
    return 0;
}
