/* cmd_mapping.c - `petal mapping show`: a mapping file read against a layer and
 * an architecture, printed as a loop nest (or written back as YAML). */
#include <string.h>

#include "cli/cli.h"
#include "petal/arch.h"
#include "petal/mapping.h"
#include "petal/network.h"
#include "petal/formats.h"

static const char mapping_help[] =
    "usage: petal mapping show --net NAME|FILE --layer NAME|INDEX --arch NAME|FILE\n"
    "                          --mapping FILE.yaml [--format text|yaml]\n\n"
    "show   read a mapping (petal's YAML mapping format, docs/formats.md) for one layer\n"
    "       of a network on an architecture and print it as a loop nest, outermost loop\n"
    "       first, with each storage level's name and the data spaces it keeps; spatial\n"
    "       loops are marked (spatial X) or (spatial Y). --format yaml writes the mapping\n"
    "       back in full (every level, every loop order). Whether the mapping is valid is\n"
    "       `petal model`'s question.\n";

typedef struct show_args {
    const char *net, *layer, *arch, *mapping;
    bool yaml;
} show_args;

static int parse_show(int argc, char **argv, show_args *args, bool *help)
{
    *help = false;
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        struct {
            const char *flag;
            const char **dest;
        } opts[] = {{"--net", &args->net},
                    {"--layer", &args->layer},
                    {"--arch", &args->arch},
                    {"--mapping", &args->mapping}};
        bool matched = false;
        if (cli_is_help(argv[i])) {
            *help = true;
            return EXIT_PETAL_OK;
        }
        for (size_t o = 0; o < sizeof opts / sizeof opts[0] && !matched; o++) {
            if (!cli_option(argc, argv, &i, opts[o].flag, &value, &missing))
                continue;
            if (missing)
                return cli_usage_error("mapping", "%s needs a value", opts[o].flag);
            *opts[o].dest = value;
            matched = true;
        }
        if (matched)
            continue;
        if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            if (missing || (strcmp(value, "text") != 0 && strcmp(value, "yaml") != 0))
                return cli_usage_error("mapping", "--format takes text or yaml");
            args->yaml = strcmp(value, "yaml") == 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("mapping", "unknown option '%s'", argv[i]);
        } else {
            return cli_usage_error("mapping", "unexpected argument '%s'", argv[i]);
        }
    }
    const char *need = !args->net       ? "--net"
                       : !args->layer   ? "--layer"
                       : !args->arch    ? "--arch"
                       : !args->mapping ? "--mapping"
                                        : NULL;
    if (need)
        return cli_usage_error("mapping", "show needs %s", need);
    return EXIT_PETAL_OK;
}

static int mapping_show(int argc, char **argv)
{
    show_args args = {0};
    bool help;
    int rc = parse_show(argc, argv, &args, &help);
    if (help)
        fputs(mapping_help, stdout);
    if (rc || help)
        return rc;

    petal_network net;
    petal_status st = petal_network_load(args.net, &net);
    if (st)
        return cli_fail(st);
    const petal_problem *layer = petal_network_find(&net, args.layer, NULL);
    petal_arch arch;
    petal_mapping mapping;
    st = layer ? petal_arch_load(args.arch, &arch) : PETAL_ENOTFOUND;
    if (!st)
        st = petal_mapping_load_yaml(args.mapping, layer, &arch, &mapping);
    if (!st) {
        if (args.yaml) {
            st = petal_mapping_write_yaml(stdout, layer, &arch, &mapping);
        } else {
            printf("layer %s on %s\n\n", layer->name, arch.name);
            petal_mapping_print_nest(stdout, layer, &arch, &mapping);
        }
    }
    petal_network_free(&net);
    return st ? cli_fail(st) : EXIT_PETAL_OK;
}

int cmd_mapping(int argc, char **argv)
{
    if (argc < 2) {
        fputs(mapping_help, stderr);
        return EXIT_PETAL_USAGE;
    }
    if (cli_is_help(argv[1])) {
        fputs(mapping_help, stdout);
        return EXIT_PETAL_OK;
    }
    if (strcmp(argv[1], "show") == 0)
        return mapping_show(argc - 1, argv + 1);
    return cli_usage_error("mapping", "unknown subcommand '%s' (expected show)", argv[1]);
}
