/* fuzz_mapping_yaml.c - libFuzzer harness for petal's YAML mapping reader
 * (petal_mapping_load_yaml) for a fixed layer and architecture: AlexNet's conv2
 * from the zoo on the eyeriss-v1 preset. Any bytes either load as a mapping the
 * model can evaluate or fail with a message; never a crash, a hang, undefined
 * behaviour or a leak. Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/formats.h"
#include "petal/model.h"

static petal_problem layer;
static petal_arch arch;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    fuzz_zoo_context("alexnet", "conv2", "eyeriss-v1", &layer, &arch);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    petal_mapping m;
    if (petal_mapping_load_yaml(fuzz_as_file(data, size), &layer, &arch, &m) == PETAL_OK) {
        petal_model_result r;
        if (petal_model_eval(&layer, &arch, &m, &r) != PETAL_OK)
            fuzz_die("the model refuses a loaded mapping");
    }
    return 0;
}
