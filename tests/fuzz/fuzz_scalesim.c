/* fuzz_scalesim.c - libFuzzer harness for the SCALE-Sim readers
 * (petal_scalesim_load_config, then petal_scalesim_load_topology on the same
 * bytes), each loaded input then run through petal_scalesim_run with the other
 * half fixed: the public AlexNet os run's config and topology, read from the
 * reference data at start-up. One harness for both: the two files are short
 * line-based texts and the seeds are SCALE-Sim's own pairs. Any bytes either
 * load and compute, with the invariants checked below, or fail with a message;
 * never a crash, a hang, undefined behaviour or a leak. Built by
 * cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/scalesim.h"

#define RUN "scalesim/public-google-alexnet-os/"

static petal_scalesim_config config;
static petal_scalesim_topology topology;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    if (petal_scalesim_load_config(fuzz_reference(RUN "config.cfg"), &config) != PETAL_OK)
        fuzz_die("reading the reference SCALE-Sim config");
    if (petal_scalesim_load_topology(fuzz_reference(RUN "topology.csv"), &topology) != PETAL_OK)
        fuzz_die("reading the reference SCALE-Sim topology");
    return 0;
}

/* What any result must satisfy: SRAM counts cover each input operand at
 * least once, utilisations are per cent, a DRAM read never exceeds the SRAM
 * reads it serves, and a DRAM count petal leaves out is 0. */
static void check(const petal_scalesim_result *r)
{
    const double most = 100 * (1 + 1e-12); /* a rounding above 100% is not a finding */
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_scalesim_result_layer *l = &r->layers[i];
        uint64_t mk, kn;
        if (__builtin_mul_overflow(l->m, l->k, &mk) || __builtin_mul_overflow(l->k, l->n, &kn))
            fuzz_die("petal_scalesim_run accepted a layer whose operands overflow");
        if (!(l->mapping_efficiency > 0 && l->mapping_efficiency <= most) ||
            !(l->compute_utilization > 0 && l->compute_utilization <= most) ||
            l->sram_ifmap_reads < mk || l->sram_filter_reads < kn ||
            l->dram_ifmap_reads > l->sram_ifmap_reads ||
            l->dram_filter_reads > l->sram_filter_reads ||
            (!l->dram_ifmap_known && l->dram_ifmap_reads) ||
            (!l->dram_filter_known && l->dram_filter_reads) ||
            (!l->dram_ofmap_known && l->dram_ofmap_writes))
            fuzz_die("a SCALE-Sim result breaks an invariant");
    }
}

static void run(const petal_scalesim_config *c, const petal_scalesim_topology *t)
{
    petal_scalesim_result r;
    if (petal_scalesim_run(c, t, &r) == PETAL_OK) {
        check(&r);
        FILE *sink = fopen("/dev/null", "w");
        if (sink) {
            (void)petal_report_scalesim(sink, c, &r, PETAL_REPORT_JSON);
            fclose(sink);
        }
        petal_scalesim_result_free(&r);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_as_file(data, size);
    petal_scalesim_config c;
    if (petal_scalesim_load_config(path, &c) == PETAL_OK)
        run(&c, &topology);
    petal_scalesim_topology t;
    if (petal_scalesim_load_topology(path, &t) == PETAL_OK) {
        run(&config, &t);
        petal_scalesim_topology_free(&t);
    }
    return 0;
}
