/* fuzz_scalesim.c - libFuzzer harness for the SCALE-Sim readers
 * (petal_scalesim_load_config, then petal_scalesim_load_topology on the same
 * bytes), each loaded input then run through petal_scalesim_run with the other
 * half fixed: the public AlexNet os run's config (read from the reference data
 * at start-up) for a topology, and two small layers for a config. A topology
 * is run only when its layers are small (at most 2^24 MACs each): the
 * computation replays SCALE-Sim's buffers in time proportional to the SRAM
 * counts, which would make every large input a timeout. One harness for both: the two files are
 * short line-based texts and the seeds are SCALE-Sim's own pairs. Any bytes either load and
 * compute, with the invariants checked below, or fail with a message; never a crash, a hang,
 * undefined behaviour or a leak. Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/scalesim.h"

#define RUN "scalesim/public-google-alexnet-os/"

static petal_scalesim_config config;
static petal_scalesim_layer small_layers[2] = {
    {.name = "conv",
     .ifmap_h = 13,
     .ifmap_w = 11,
     .filter_h = 3,
     .filter_w = 2,
     .channels = 8,
     .filters = 24,
     .stride_h = 2,
     .stride_w = 1,
     .line = 2},
    {.name = "gemm",
     .ifmap_h = 100,
     .ifmap_w = 70,
     .filter_h = 1,
     .filter_w = 70,
     .channels = 1,
     .filters = 37,
     .stride_h = 1,
     .stride_w = 1,
     .line = 3},
};
static const petal_scalesim_topology topology = {.nlayers = 2, .layers = small_layers};

/* At most 2^24 MACs in every layer (an upper bound on each SRAM count), and
 * in all: a depthwise row becomes a layer per channel, and 1664 small layers
 * took 12 s under the fuzzer's instrumentation (slow, not wrong: the replay
 * of SCALE-Sim's writes is linear in the outputs). */
static bool small(const petal_scalesim_topology *t)
{
    uint64_t total = 0;
    for (size_t i = 0; i < t->nlayers; i++) {
        const petal_scalesim_layer *l = &t->layers[i];
        uint64_t macs = l->ifmap_h;
        if (__builtin_mul_overflow(macs, l->ifmap_w, &macs) ||
            __builtin_mul_overflow(macs, l->filter_h, &macs) ||
            __builtin_mul_overflow(macs, l->filter_w, &macs) ||
            __builtin_mul_overflow(macs, l->channels, &macs) ||
            __builtin_mul_overflow(macs, l->filters, &macs) || macs > (UINT64_C(1) << 24))
            return false;
        total += macs;
        if (total > (UINT64_C(1) << 24))
            return false;
    }
    return true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    if (petal_scalesim_load_config(fuzz_reference(RUN "config.cfg"), &config) != PETAL_OK)
        fuzz_die("reading the reference SCALE-Sim config");
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
        if (small(&t))
            run(&config, &t);
        petal_scalesim_topology_free(&t);
    }
    return 0;
}
