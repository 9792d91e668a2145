/* cmd_arch.c - `petal arch list` and `petal arch show NAME|FILE`. */
#include <string.h>

#include "cli/cli.h"
#include "formats/json/jsonw.h"
#include "petal/arch.h"
#include "petal/formats.h"
#include "petal/report.h"

static const char arch_help[] =
    "usage: petal arch list [--format text|json]\n"
    "       petal arch show NAME|FILE.yaml [--format text|json]\n\n"
    "list   the built-in architectures (presets)\n"
    "show   one architecture: its storage levels (class, depth, word bits, block size,\n"
    "       instances and mesh, fan-out, bandwidth, data spaces), per-action energies,\n"
    "       area per level and in total, the MACs and the clock. NAME is a preset; a\n"
    "       FILE is petal's YAML architecture format (docs/formats.md).\n";

/* Parse [--format F] and at most one positional argument. */
static int parse_args(int argc, char **argv, unsigned formats, cli_format *fmt,
                      const char **positional, bool *help)
{
    *help = false;
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        if (cli_is_help(argv[i])) {
            *help = true;
            return EXIT_PETAL_OK;
        } else if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            if (missing || !cli_parse_format(value, formats, fmt))
                return cli_usage_error("arch", "--format takes text or json");
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("arch", "unknown option '%s'", argv[i]);
        } else if (positional && !*positional) {
            *positional = argv[i];
        } else {
            return cli_usage_error("arch", "unexpected argument '%s'", argv[i]);
        }
    }
    return EXIT_PETAL_OK;
}

static int arch_list(int argc, char **argv)
{
    cli_format fmt = FORMAT_TEXT;
    bool help;
    int rc = parse_args(argc, argv, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, &fmt, NULL, &help);
    if (rc || help) {
        if (help)
            fputs(arch_help, stdout);
        return rc;
    }
    if (fmt == FORMAT_JSON) {
        jw w;
        jw_init(&w, stdout, true);
        jw_array(&w);
        for (size_t i = 0; i < petal_arch_preset_count(); i++) {
            jw_object(&w);
            jw_key(&w, "name");
            jw_string(&w, petal_arch_preset_name(i));
            jw_key(&w, "description");
            jw_string(&w, petal_arch_preset_description(i));
            jw_end(&w);
        }
        jw_finish(&w);
    } else {
        for (size_t i = 0; i < petal_arch_preset_count(); i++)
            printf("%-14s %s\n", petal_arch_preset_name(i), petal_arch_preset_description(i));
    }
    return EXIT_PETAL_OK;
}

static int arch_show(int argc, char **argv)
{
    cli_format fmt = FORMAT_TEXT;
    const char *source = NULL;
    bool help;
    int rc = parse_args(argc, argv, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, &fmt, &source, &help);
    if (rc || help) {
        if (help)
            fputs(arch_help, stdout);
        return rc;
    }
    if (!source)
        return cli_usage_error("arch", "show needs an architecture name or file");
    petal_arch a;
    petal_status st = petal_arch_load(source, &a);
    if (st)
        return cli_fail(st);
    if (fmt == FORMAT_JSON)
        petal_arch_write_json(stdout, &a);
    else
        petal_arch_print(stdout, &a);
    return EXIT_PETAL_OK;
}

int cmd_arch(int argc, char **argv)
{
    if (argc < 2) {
        fputs(arch_help, stderr);
        return EXIT_PETAL_USAGE;
    }
    if (cli_is_help(argv[1])) {
        fputs(arch_help, stdout);
        return EXIT_PETAL_OK;
    }
    if (strcmp(argv[1], "list") == 0)
        return arch_list(argc - 1, argv + 1);
    if (strcmp(argv[1], "show") == 0)
        return arch_show(argc - 1, argv + 1);
    return cli_usage_error("arch", "unknown subcommand '%s' (expected list or show)", argv[1]);
}
