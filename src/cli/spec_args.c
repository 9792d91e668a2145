/* spec_args.c - parsing and loading the layer, architecture and mapping that
 * `petal model` and `petal sim` evaluate, from petal's files or Timeloop's,
 * and the start both subcommands share. */
#include "cli/spec_args.h"

#include <string.h>

#include "petal/network.h"
#include "petal/formats.h"

int cli_spec_option(const char *cmd, int argc, char **argv, int *i, cli_spec_args *a)
{
    int taken = cli_timeloop_option(cmd, argc, argv, i, &a->tl);
    if (!taken)
        taken = cli_precision_option(cmd, argc, argv, i, &a->precision);
    if (!taken)
        taken = cli_density_option(cmd, argc, argv, i, &a->density);
    if (taken)
        return taken;
    const char *value;
    bool missing;
    const char **slot = NULL, *flag = NULL;
    if (cli_option(argc, argv, i, "--net", &value, &missing)) {
        slot = &a->net;
        flag = "--net";
    } else if (cli_option(argc, argv, i, "--layer", &value, &missing)) {
        slot = &a->layer;
        flag = "--layer";
    } else {
        return 0;
    }
    if (missing || !value[0]) {
        cli_usage_error(cmd, "%s needs a value", flag);
        return -1;
    }
    *slot = value;
    return 1;
}

/* petal's own files: a network layer, an architecture, a mapping. */
static int load_native(const char *cmd, const cli_spec_args *a, petal_timeloop_spec *spec)
{
    const char *arch = a->tl.files.arch, *mapping = a->tl.files.mapping;
    const char *need = !a->net     ? "--net"
                       : !a->layer ? "--layer"
                       : !arch     ? "--arch"
                       : !mapping  ? "--mapping"
                                   : NULL;
    if (need)
        return cli_usage_error(cmd, "needs %s (or Timeloop files: --problem, or --timeloop)", need);
    petal_network net;
    petal_status st = petal_network_load(a->net, &net);
    if (st)
        return cli_fail(st);
    int code = cli_density_apply(&a->density, &net);
    if (code) {
        petal_network_free(&net);
        return code;
    }
    const petal_problem *layer = petal_network_find(&net, a->layer, NULL);
    st = layer ? PETAL_OK : PETAL_ENOTFOUND;
    if (!st) {
        spec->problem = *layer;
        st = petal_arch_load(arch, &spec->arch);
    }
    if (!st)
        st = petal_mapping_load_yaml(mapping, &spec->problem, &spec->arch, &spec->mapping);
    petal_network_free(&net);
    return st ? cli_fail(st) : EXIT_PETAL_OK;
}

int cli_spec_load(const char *cmd, const cli_spec_args *a, petal_timeloop_spec *spec)
{
    int rc;
    if (cli_timeloop_selected(&a->tl)) {
        if (a->net || a->layer)
            return cli_usage_error(cmd, "--net and --layer do not go with Timeloop files (the "
                                        "problem comes from --problem or --timeloop)");
        if (a->density.profile)
            return cli_usage_error(cmd, "--density-profile goes with --net (it names the "
                                        "network's layers); --density LIST applies to a "
                                        "Timeloop problem");
        rc = cli_timeloop_load(cmd, &a->tl, true, spec);
    } else {
        rc = load_native(cmd, a, spec);
    }
    if (!rc) {
        petal_precision_apply(&spec->problem, &a->precision);
        petal_density_apply(&spec->problem, a->density.density);
    }
    return rc;
}

static int parse(const cli_spec_command *c, int argc, char **argv, cli_spec_args *a,
                 cli_format *format, void *own, bool *help)
{
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        if (cli_is_help(argv[i])) {
            *help = true;
            return EXIT_PETAL_OK;
        }
        int taken = cli_spec_option(c->name, argc, argv, &i, a);
        if (!taken && c->option)
            taken = c->option(c->name, argc, argv, &i, own);
        if (taken < 0)
            return EXIT_PETAL_USAGE;
        if (taken)
            continue;
        if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            if (missing || !cli_parse_format(value, c->formats, format))
                return cli_usage_error(c->name, "--format takes %s", c->formats_words);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error(c->name, "unknown option '%s'", argv[i]);
        } else {
            return cli_usage_error(c->name, "unexpected argument '%s'", argv[i]);
        }
    }
    return EXIT_PETAL_OK;
}

int cli_spec_start(const cli_spec_command *c, int argc, char **argv, cli_spec_args *a,
                   cli_format *format, void *own, petal_timeloop_spec *spec, bool *help)
{
    *help = false;
    *format = FORMAT_TEXT;
    int rc = parse(c, argc, argv, a, format, own, help);
    if (*help) {
        fputs(c->help, stdout);
        fputs(cli_precision_help, stdout);
        fputs(cli_density_help, stdout);
        fputs(cli_timeloop_help, stdout);
    }
    if (rc || *help)
        return rc;
    memset(spec, 0, sizeof *spec);
    return cli_spec_load(c->name, a, spec);
}
