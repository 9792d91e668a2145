/* fuzz_tl_sparse.c - libFuzzer harness for the reader of Sparseloop's
 * sparse_optimizations (formats/yaml/sparse_yaml.c), reached as `--sparse-opts
 * FILE` is: petal_timeloop_load with the fuzzed file beside a fixed run from
 * the reference data, Sparseloop's exercise 02.2.1 (spMspM: two compressed
 * operands, skipping at the buffer). Any bytes either load as sparse features
 * the model evaluates or refuses with a message, or fail with a message; never
 * a crash, a hang, undefined behaviour or a leak.
 * Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include <string.h>

#include "fuzz_common.h"
#include "petal/model.h"
#include "petal/timeloop.h"

#define RUN                                                                                        \
    "timeloop-exercises/example_designs/example_designs/sparseloop/02.2.1-spMspM/ref_outputs/"     \
    "default_problem/"

static char combined[4096], mapping[4096];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    snprintf(combined, sizeof combined, "%s", fuzz_reference(RUN "parsed-processed-input.yaml"));
    snprintf(mapping, sizeof mapping, "%s", fuzz_reference(RUN "timeloop-mapper.map.yaml"));
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    petal_timeloop_files files = {
        .combined = combined, .mapping = mapping, .sparse_opts = fuzz_as_file(data, size)};
    petal_timeloop_spec spec;
    if (petal_timeloop_load(&files, &spec) != PETAL_OK)
        return 0;
    if (petal_arch_check(&spec.arch) != PETAL_OK)
        fuzz_die("loaded sparse optimizations leave an architecture that fails petal_arch_check");
    petal_model_result r;
    petal_status st = petal_model_eval(&spec.problem, &spec.arch, &spec.mapping, &r);
    /* The model may refuse what it does not model yet (spatial skipping) or an
     * option on a data space no level keeps, with a message; nothing else. */
    if (st != PETAL_OK && st != PETAL_EUNSUPPORTED && st != PETAL_EINVAL)
        fuzz_die("the model fails on loaded sparse optimizations");
    if (st != PETAL_OK && !petal_error_message()[0])
        fuzz_die("the model refuses loaded sparse optimizations without a message");
    if (st == PETAL_OK && r.valid &&
        r.actual_computes + r.gated_computes + r.skipped_computes > r.computes)
        fuzz_die("more actual, gated and skipped computes than algorithmic ones");
    return 0;
}
