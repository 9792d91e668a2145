/* fuzz_tl_mapping.c - libFuzzer harness for the Timeloop mapping reader
 * (petal_timeloop_read_mapping) for a fixed problem and architecture from the
 * reference data: the conv1d+oc+ic problem on the 3-level spatial architecture
 * of the Timeloop tutorial (exercise 04), whose mappings are the seeds. Any
 * bytes either load as a mapping the model can evaluate or fail with a message;
 * never a crash, a hang, undefined behaviour or a leak.
 * Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/model.h"
#include "petal/timeloop.h"

#define EXERCISE "timeloop-exercises/tutorial-timeloop/04-model-conv1d+oc-3levelspatial/"

static petal_problem problem;
static petal_arch arch;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    fuzz_reference_problem(EXERCISE "prob/conv1d+oc+ic.prob.yaml", &problem);
    fuzz_reference_arch(EXERCISE "arch/3levelspatial.arch.yaml", &arch);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    petal_mapping m;
    if (petal_timeloop_read_mapping(fuzz_as_file(data, size), &problem, &arch, &m) == PETAL_OK) {
        petal_model_result r;
        if (petal_model_eval(&problem, &arch, &m, &r) != PETAL_OK)
            fuzz_die("the model refuses a loaded mapping");
    }
    return 0;
}
