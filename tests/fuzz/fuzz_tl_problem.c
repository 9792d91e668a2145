/* fuzz_tl_problem.c - libFuzzer harness for the Timeloop problem reader
 * (petal_timeloop_read_problem): any bytes either load as a problem that passes
 * petal_problem_check or fail with a message; never a crash, a hang, undefined
 * behaviour or a leak. Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/timeloop.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    petal_problem p;
    if (petal_timeloop_read_problem(fuzz_as_file(data, size), &p) == PETAL_OK) {
        if (petal_problem_check(&p) != PETAL_OK)
            fuzz_die("a loaded problem fails petal_problem_check");
        (void)petal_problem_macs(&p);
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            (void)petal_problem_ds_words(&p, (petal_dataspace_id)ds);
    }
    return 0;
}
