/* fuzz_tl_problem.c - libFuzzer harness for the Timeloop problem reader
 * (petal_timeloop_read_problem): any bytes either load as a problem that passes
 * petal_problem_check or fail with a message; never a crash, a hang, undefined
 * behaviour or a leak. Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/problem.h"
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
        for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
            (void)petal_problem_ds_words(&p, (petal_dataspace_id)ds);
            /* A banded data space the reader takes is a matrix, whose band's
             * share of non-zeros is a fraction. */
            double f = petal_problem_density_fraction(&p, ds);
            if (!(f >= 0 && f <= 1))
                fuzz_die("a loaded problem's density is not a fraction");
        }
        if (petal_problem_banded_check(&p) != PETAL_OK)
            fuzz_die("a loaded problem is banded on a data space that is not a matrix");
    }
    return 0;
}
