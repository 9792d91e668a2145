/* fuzz_constraints_yaml.c - libFuzzer harness for petal's YAML mapspace
 * constraints reader (petal_constraints_load_yaml) for a fixed layer and
 * architecture: AlexNet's conv2 from the zoo on the eyeriss-v1 preset. Any
 * bytes either add constraints or fail with a message; never a crash, a hang,
 * undefined behaviour or a leak. What loads must be constraints petal_map can
 * take: it builds their mapspace (a zero-effort search, no mapping sought).
 * Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/constraints.h"
#include "petal/formats.h"
#include "petal/mapper.h"

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
    petal_constraints c;
    petal_constraints_init(&c, &arch);
    if (petal_constraints_load_yaml(fuzz_as_file(data, size), &layer, &arch, &c) != PETAL_OK)
        return 0;
    petal_map_options o;
    petal_map_options_init(&o);
    o.constraints = &c;
    o.budget_seconds = 0;
    static petal_map_result r;
    if (petal_map(&layer, &arch, &o, &r) != PETAL_OK)
        fuzz_die("petal_map refuses loaded constraints");
    return 0;
}
