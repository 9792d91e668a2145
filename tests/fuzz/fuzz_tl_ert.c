/* fuzz_tl_ert.c - libFuzzer harness for the Accelergy table readers
 * (petal_timeloop_read_ert, then petal_timeloop_read_art on the same bytes),
 * applied to a fixed architecture from the reference data (the Timeloop
 * tutorial's 3-level spatial architecture, exercise 04). One harness for both:
 * they read the same shape (named `tables`, instance-range names) and the seeds
 * are Timeloop's ERT and ART pairs. Any bytes either set energies or areas or
 * fail with a message; never a crash, a hang, undefined behaviour or a leak.
 * Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/timeloop.h"

#define EXERCISE "timeloop-exercises/tutorial-timeloop/04-model-conv1d+oc-3levelspatial/"

static petal_arch arch;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    fuzz_reference_arch(EXERCISE "arch/3levelspatial.arch.yaml", &arch);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_as_file(data, size);
    petal_arch a = arch;
    if (petal_timeloop_read_ert(path, &a) == PETAL_OK)
        (void)petal_arch_area(&a);
    a = arch;
    if (petal_timeloop_read_art(path, &a) == PETAL_OK)
        (void)petal_arch_area(&a);
    return 0;
}
