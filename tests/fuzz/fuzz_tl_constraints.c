/* fuzz_tl_constraints.c - libFuzzer harness for the Timeloop mapspace
 * constraints reader (petal_timeloop_read_constraints) for a fixed problem and
 * architecture from the reference data: the conv1d+oc problem on the 3-level
 * architecture of the Timeloop tutorial's mapper exercise (05), whose
 * constraint files are the seeds. Any bytes either add constraints or fail with
 * a message; never a crash, a hang, undefined behaviour or a leak.
 * Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/timeloop.h"

#define EXERCISE "timeloop-exercises/tutorial-timeloop/05-mapper-conv1d+oc-3level/"

static petal_problem problem;
static petal_arch arch;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    fuzz_reference_problem(EXERCISE "prob/conv1d+oc.prob.yaml", &problem);
    fuzz_reference_arch(EXERCISE "arch/3level.arch.yaml", &arch);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    petal_constraints c;
    petal_constraints_init(&c, &arch);
    if (petal_timeloop_read_constraints(fuzz_as_file(data, size), &problem, &arch, &c) == PETAL_OK)
        (void)petal_constraints_empty(&c);
    return 0;
}
