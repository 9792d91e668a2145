/* best_mapping.c - libpetal from a program of your own: find the best mapping
 * of one layer of a built-in network on a built-in architecture, and print its
 * energy. Uses the core API only, so it runs against a core-only build too.
 *
 *   cc best_mapping.c $(pkg-config --cflags --libs petal) -o best_mapping
 *   ./best_mapping [network [layer [architecture]]]    (alexnet conv1 eyeriss-v1)
 */
#include <stdio.h>

#include <petal/petal.h>

static int fail(const char *what, petal_status st)
{
    fprintf(stderr, "best_mapping: %s: %s (%s)\n", what, petal_error_message(),
            petal_status_name(st));
    return 1;
}

int main(int argc, char **argv)
{
    const char *net_name = argc > 1 ? argv[1] : "alexnet";
    const char *layer_name = argc > 2 ? argv[2] : "conv1";
    const char *arch_name = argc > 3 ? argv[3] : "eyeriss-v1";
    printf("libpetal %s\n", petal_version());

    petal_network net;
    petal_status st = petal_zoo_build(net_name, &net);
    if (st)
        return fail(net_name, st);
    const petal_problem *layer = petal_network_find(&net, layer_name, NULL);
    if (!layer) {
        fprintf(stderr, "best_mapping: %s has no layer %s\n", net_name, layer_name);
        petal_network_free(&net);
        return 1;
    }
    petal_arch arch;
    st = petal_arch_preset(arch_name, &arch);
    if (st) {
        petal_network_free(&net);
        return fail(arch_name, st);
    }

    petal_map_options options;
    petal_map_options_init(&options);
    options.dataflow = "rs";
    petal_map_result best;
    st = petal_map(layer, &arch, &options, &best);
    petal_network_free(&net);
    if (st)
        return fail("petal_map", st);
    if (!best.found) {
        printf("%s %s on %s: no valid mapping: %s\n", net_name, layer_name, arch_name, best.why);
        return 1;
    }
    /* Energies are in the unit of the architecture's energy table: pJ for
     * absolute tables, one 16-bit MAC for eyeriss-v1's normalised one. */
    printf("%s %s on %s, row stationary: energy %.6g (table units), %llu cycles, %s\n", net_name,
           layer_name, arch_name, best.stats.energy_pj, (unsigned long long)best.stats.cycles,
           best.complete ? "proven optimal" : "best found");
    petal_mapping_print_nest(stdout, layer, &arch, &best.mapping);
    return 0;
}
