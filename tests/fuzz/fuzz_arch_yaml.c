/* fuzz_arch_yaml.c - libFuzzer harness for petal's YAML architecture reader
 * (petal_arch_load_yaml): any bytes either load as an architecture that passes
 * petal_arch_check or fail with a message; never a crash, a hang, undefined
 * behaviour or a leak. Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/formats.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    petal_arch a;
    if (petal_arch_load_yaml(fuzz_as_file(data, size), &a) == PETAL_OK)
        fuzz_check_arch(&a);
    return 0;
}
