/* fuzz_sweep_yaml.c - libFuzzer harness for the sweep spec reader
 * (petal_sweep_spec_load): any bytes either load as a spec or fail with a
 * message; a loaded spec's points all build an architecture that passes its
 * checks or fail with a reason, and its widths are ones a layer may take; never
 * a crash, a hang, undefined behaviour or a leak. No point is mapped (that is
 * the mapper's harness-free territory).
 * Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/sweep.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    return 0;
}

static petal_sweep_spec spec;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (petal_sweep_spec_load(fuzz_as_file(data, size), &spec) != PETAL_OK)
        return 0;
    /* The first points only: a spec may describe up to a million. */
    for (size_t i = 0; i < spec.npoints && i < 64; i++) {
        petal_sweep_point pt;
        if (petal_sweep_point_get(&spec, i, &pt) != PETAL_OK)
            fuzz_die("a point of a loaded spec");
        petal_arch a;
        if (petal_sweep_point_arch(&spec, &pt, &a) == PETAL_OK && petal_arch_check(&a) != PETAL_OK)
            fuzz_die("a point's architecture accepted but failing its check");
        petal_precision widths;
        petal_sweep_point_precision(&spec, &pt, &widths);
        for (int w = 0; w <= PETAL_PRECISION_PSUMS; w++)
            if (widths.bits[w] > PETAL_PRECISION_MAX_BITS)
                fuzz_die("a point's width above the widest a layer may take");
    }
    petal_sweep_spec_free(&spec);
    return 0;
}
