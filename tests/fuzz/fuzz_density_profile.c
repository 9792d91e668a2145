/* fuzz_density_profile.c - libFuzzer harness for the per-layer density
 * profile reader (petal_network_apply_density_profile, docs/densities.md) on
 * the zoo's alexnet-2012: any bytes either apply, leaving every density a
 * checked one, or fail with a message and leave the network as it was; never
 * a crash, a hang, undefined behaviour or a leak.
 * Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/formats.h"

static petal_network fixed;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    if (petal_zoo_build("alexnet-2012", &fixed))
        fuzz_die("the zoo's alexnet-2012");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    petal_network net;
    if (petal_zoo_build("alexnet-2012", &net))
        fuzz_die("the zoo's alexnet-2012");
    if (petal_network_apply_density_profile(&net, fuzz_as_file(data, size)) == PETAL_OK) {
        for (size_t i = 0; i < net.nlayers; i++)
            for (int ds = 0; ds < PETAL_NUM_DS; ds++)
                if (petal_density_check(&net.layers[i].density[ds]))
                    fuzz_die("a profile that applied left a density out of range");
    } else {
        for (size_t i = 0; i < net.nlayers; i++)
            if (memcmp(net.layers[i].density, fixed.layers[i].density,
                       sizeof fixed.layers[i].density) != 0)
                fuzz_die("a profile that failed changed a layer");
    }
    petal_network_free(&net);
    return 0;
}
