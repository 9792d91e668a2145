/* fuzz_arch_yaml.c - libFuzzer harness for petal's YAML architecture reader
 * (petal_arch_load_yaml): any bytes either load as an architecture that passes
 * petal_arch_check or fail with a message; never a crash, a hang, undefined
 * behaviour or a leak. Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include <math.h>

#include "petal/formats.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    return 0;
}

/* What a `sparse:` block may load: energies that are numbers >= 0, and a
 * metadata storage depth or metadata energy only with the storage's width. */
static void check_sparse_block(const petal_arch *a)
{
    for (int l = 0; l < a->nlevels; l++) {
        const petal_level_sparse *ls = &a->levels[l].sparse;
        const double *e = (const double *)&ls->energy;
        size_t n = sizeof ls->energy / sizeof(double);
        bool metadata_priced = ls->energy.metadata_read_pj || ls->energy.metadata_fill_pj ||
                               ls->energy.metadata_update_pj || ls->energy.gated_metadata_read_pj ||
                               ls->energy.gated_metadata_fill_pj ||
                               ls->energy.gated_metadata_update_pj;
        for (size_t i = 0; i < n; i++)
            if (!(e[i] >= 0) || isinf(e[i]))
                fuzz_die("a loaded sparse energy is negative or not a number");
        if ((ls->metadata_depth || metadata_priced) && !ls->metadata_width)
            fuzz_die("a metadata storage depth or energy loaded without its width");
    }
    if (!(a->arith.sparse.gated_mac_pj >= 0) || isinf(a->arith.sparse.gated_mac_pj))
        fuzz_die("a loaded gated MAC energy is negative or not a number");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    petal_arch a;
    if (petal_arch_load_yaml(fuzz_as_file(data, size), &a) == PETAL_OK) {
        fuzz_check_arch(&a);
        check_sparse_block(&a);
    }
    return 0;
}
