/* fuzz_onnx.c - libFuzzer harness for the ONNX reader: any bytes either load as
 * a network or fail with a message; never a crash, a hang or a leak.
 * Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh (the fuzz_onnx test). */
#include <stddef.h>
#include <stdint.h>

#include "petal/error.h"
#include "petal/onnx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

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
    if (petal_network_load_onnx_buffer(data, size, "fuzz.onnx", &net) == PETAL_OK) {
        petal_network_totals totals;
        (void)petal_network_totals_get(&net, &totals);
        (void)petal_network_set_batch(&net, 3);
        petal_network_free(&net);
    }
    return 0;
}
