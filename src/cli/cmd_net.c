/* cmd_net.c - `petal net list` and `petal net show NAME|FILE`. */
#include <string.h>

#include "cli/cli.h"
#include "formats/json/jsonw.h"
#include "petal/network.h"
#include "petal/report.h"
#include "petal/formats.h"

static const char net_help[] =
    "usage: petal net list [--format text|json]\n"
    "       petal net show NAME|FILE.yaml|FILE.onnx [--batch N] [--density LIST]\n"
    "                      [--density-profile FILE] [--format text|json|csv]\n\n"
    "list   the built-in networks (the zoo)\n"
    "show   one network's layers: dimensions, MACs, weights, input and output words,\n"
    "       and the totals; the densities of the layers that have any (and the\n"
    "       expected non-zero MACs and weights). NAME is a zoo network (see 'petal net\n"
    "       list'); a FILE is read by its extension (.yaml/.yml: petal's format,\n"
    "       docs/formats.md).\n\n"
    "options:\n"
    "  --batch N      scale every layer to N items (default: 1, or the file's batch)\n"
    "  --format F     text (default), json or csv (list: text or json)\n"
    "  --density LIST, --density-profile FILE\n"
    "                 give the layers densities, as for eval (docs/densities.md)\n";

static int net_list(int argc, char **argv)
{
    cli_format fmt = FORMAT_TEXT;
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        if (cli_is_help(argv[i])) {
            fputs(net_help, stdout);
            return EXIT_PETAL_OK;
        } else if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            if (missing || !cli_parse_format(value, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, &fmt))
                return cli_usage_error("net", "--format takes text or json");
        } else {
            return cli_usage_error("net", "unexpected argument '%s'", argv[i]);
        }
    }
    if (fmt == FORMAT_JSON) {
        jw w;
        jw_init(&w, stdout, true);
        jw_array(&w);
        for (size_t i = 0; i < petal_zoo_count(); i++) {
            jw_object(&w);
            jw_key(&w, "name");
            jw_string(&w, petal_zoo_name(i));
            jw_key(&w, "description");
            jw_string(&w, petal_zoo_description(i));
            jw_end(&w);
        }
        jw_finish(&w);
    } else {
        for (size_t i = 0; i < petal_zoo_count(); i++)
            printf("%-16s %s\n", petal_zoo_name(i), petal_zoo_description(i));
    }
    return EXIT_PETAL_OK;
}

static int net_show(int argc, char **argv)
{
    const char *source = NULL;
    unsigned long long batch = 0; /* 0: the network's own (1 for the zoo, a file's batch) */
    cli_format fmt = FORMAT_TEXT;
    cli_density_args density;
    memset(&density, 0, sizeof density);
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        int taken = cli_density_option("net", argc, argv, &i, &density);
        if (taken < 0)
            return EXIT_PETAL_USAGE;
        if (taken)
            continue;
        if (cli_is_help(argv[i])) {
            fputs(net_help, stdout);
            return EXIT_PETAL_OK;
        } else if (cli_option(argc, argv, &i, "--batch", &value, &missing)) {
            if (missing || !cli_parse_u64(value, &batch) || batch == 0)
                return cli_usage_error("net", "--batch takes a whole number of at least 1");
        } else if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            unsigned allowed = 1u << FORMAT_TEXT | 1u << FORMAT_JSON | 1u << FORMAT_CSV;
            if (missing || !cli_parse_format(value, allowed, &fmt))
                return cli_usage_error("net", "--format takes text, json or csv");
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("net", "unknown option '%s'", argv[i]);
        } else if (!source) {
            source = argv[i];
        } else {
            return cli_usage_error("net", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!source)
        return cli_usage_error("net", "show needs a network name or file");

    petal_network net;
    petal_status st = petal_network_load(source, &net);
    if (st)
        return cli_fail(st);
    if (batch)
        st = petal_network_set_batch(&net, batch);
    if (!st) {
        int code = cli_density_apply(&density, &net);
        if (code) {
            petal_network_free(&net);
            return code;
        }
    }
    if (!st) {
        petal_report_format rf = fmt == FORMAT_JSON  ? PETAL_REPORT_JSON
                                 : fmt == FORMAT_CSV ? PETAL_REPORT_CSV
                                                     : PETAL_REPORT_TEXT;
        st = petal_report_network(stdout, &net, rf);
    }
    petal_network_free(&net);
    return st ? cli_fail(st) : EXIT_PETAL_OK;
}

int cmd_net(int argc, char **argv)
{
    if (argc < 2) {
        fputs(net_help, stderr);
        return EXIT_PETAL_USAGE;
    }
    if (cli_is_help(argv[1])) {
        fputs(net_help, stdout);
        return EXIT_PETAL_OK;
    }
    if (strcmp(argv[1], "list") == 0)
        return net_list(argc - 1, argv + 1);
    if (strcmp(argv[1], "show") == 0)
        return net_show(argc - 1, argv + 1);
    return cli_usage_error("net", "unknown subcommand '%s' (expected list or show)", argv[1]);
}
