/* density_args.c - --density LIST and --density-profile FILE, shared by the
 * commands that evaluate layers (model, sim, map, eval, sheet, report, net
 * show), and giving a network's layers their densities (docs/densities.md). */
#include <string.h>

#include "cli/cli.h"
#include "petal/formats.h"
#include "petal/network.h"

const char cli_density_help[] =
    "  --density LIST     densities of every layer's data spaces, overriding the\n"
    "                     network's and the profile's: Weights=0.35,Inputs=0.6 (a plain\n"
    "                     fraction of non-zero values is fixed_structured, as in\n"
    "                     Sparseloop), Inputs=hypergeometric:0.6, Outputs=dense\n"
    "  --density-profile FILE\n"
    "                     per-layer densities of the network (YAML: densities: {conv1:\n"
    "                     {Inputs: 1.0}, conv2: {Inputs: 0.6}}); docs/densities.md\n";

int cli_density_option(const char *cmd, int argc, char **argv, int *i, cli_density_args *out)
{
    const char *value;
    bool missing;
    if (cli_option(argc, argv, i, "--density-profile", &value, &missing)) {
        if (missing || !value[0]) {
            cli_usage_error(cmd, "--density-profile needs a file");
            return -1;
        }
        out->profile = value;
        return 1;
    }
    if (!cli_option(argc, argv, i, "--density", &value, &missing))
        return 0;
    if (missing || !value[0]) {
        cli_usage_error(cmd, "--density needs a list such as Weights=0.35,Inputs=0.6");
        return -1;
    }
    if (petal_density_parse(value, out->density)) {
        cli_usage_error(cmd, "--%s", petal_error_message()); /* "density: ..." */
        return -1;
    }
    return 1;
}

int cli_density_apply(const cli_density_args *a, petal_network *net)
{
    if (a->profile) {
        petal_status st = petal_network_apply_density_profile(net, a->profile);
        if (st)
            return cli_fail(st);
    }
    for (size_t i = 0; i < net->nlayers; i++)
        petal_density_apply(&net->layers[i], a->density);
    return EXIT_PETAL_OK;
}
