/* fuzz_net_yaml.c - libFuzzer harness for petal's YAML network reader
 * (petal_network_load_yaml): any bytes either load as a network or fail with a
 * message; never a crash, a hang, undefined behaviour or a leak.
 * Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
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
    petal_network net;
    if (petal_network_load_yaml(fuzz_as_file(data, size), &net) == PETAL_OK) {
        petal_network_totals totals;
        (void)petal_network_totals_get(&net, &totals);
        (void)petal_network_set_batch(&net, 3);
        petal_network_free(&net);
    }
    return 0;
}
