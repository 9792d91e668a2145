/* common.c - option parsing and error reporting shared by the subcommands. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cli_fail(petal_status status)
{
    const char *message = petal_error_message();
    fprintf(stderr, "petal: %s\n", message[0] ? message : petal_status_name(status));
    switch (status) {
    case PETAL_OK: return EXIT_PETAL_OK;
    case PETAL_EMAPPING:
    case PETAL_ENOMAPPING: return EXIT_PETAL_NO_MAPPING;
    case PETAL_ENOMEM:
    case PETAL_EINTERNAL: return EXIT_PETAL_INTERNAL;
    default: return EXIT_PETAL_INPUT;
    }
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "petal %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(run 'petal %s --help' for usage)\n", cmd);
    return EXIT_PETAL_USAGE;
}

bool cli_parse_format(const char *value, unsigned allowed, cli_format *out)
{
    static const char *names[] = {"text", "json", "csv", "timeloop"};
    for (unsigned f = 0; f < sizeof names / sizeof names[0]; f++)
        if ((allowed & (1u << f)) && strcmp(value, names[f]) == 0) {
            *out = (cli_format)f;
            return true;
        }
    return false;
}

bool cli_parse_u64(const char *value, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!value || *value < '0' || *value > '9')
        return false;
    unsigned long long v = strtoull(value, &end, 10);
    if (errno || *end != '\0')
        return false;
    *out = v;
    return true;
}

bool cli_option(int argc, char **argv, int *i, const char *name, const char **value,
                bool *missing)
{
    const char *arg = argv[*i];
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return false;
    if (arg[n] == '=') {
        *value = arg + n + 1;
        *missing = false;
        return true;
    }
    if (arg[n] != '\0')
        return false;
    if (*i + 1 >= argc) {
        *missing = true;
        *value = NULL;
        return true;
    }
    *missing = false;
    *value = argv[++*i];
    return true;
}

bool cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0 || strcmp(arg, "help") == 0;
}

int cli_workload_option(const char *cmd, int argc, char **argv, int *i, const cli_workload_args *w)
{
    const char *value;
    bool missing;
    if (w->net && cli_option(argc, argv, i, "--net", &value, &missing)) {
        if (missing || !value[0])
            return cli_usage_error(cmd, "--net needs a network name or file"), -1;
        *w->net = value;
        return 1;
    }
    if (w->layer && cli_option(argc, argv, i, "--layer", &value, &missing)) {
        if (missing || !value[0])
            return cli_usage_error(cmd, "--layer needs a layer name or index"), -1;
        *w->layer = value;
        return 1;
    }
    if (w->arch && cli_option(argc, argv, i, "--arch", &value, &missing)) {
        if (missing || !value[0])
            return cli_usage_error(cmd, w->arch_list ? "--arch needs architecture names or files, "
                                                       "separated by commas"
                                                     : "--arch needs an architecture name or file"),
                   -1;
        *w->arch = value;
        return 1;
    }
    if (w->batch && cli_option(argc, argv, i, "--batch", &value, &missing)) {
        if (missing || !cli_parse_u64(value, w->batch) || *w->batch == 0)
            return cli_usage_error(cmd, "--batch takes a whole number of at least 1"), -1;
        return 1;
    }
    return 0;
}

int cli_accuracy_option(const char *cmd, int argc, char **argv, int *i, bool *given, double *value)
{
    const char *text;
    bool missing;
    if (!cli_option(argc, argv, i, "--accuracy", &text, &missing))
        return 0;
    char *end = NULL;
    *value = missing ? NAN : strtod(text, &end);
    if (missing || end == text || *end != '\0' || !isfinite(*value) || *value < 0)
        return cli_usage_error(cmd, "--accuracy takes a number of 0 or more "
                                    "(a fraction such as 0.571, or a percentage)"),
               -1;
    *given = true;
    return 1;
}

const char cli_precision_help[] =
    "  --precision LIST   word widths of every layer's data spaces, overriding the\n"
    "                     network's: Weights=8,Inputs=8,Outputs=16,Psums=24 (bits; 16f or\n"
    "                     fp16/bf16/fp32 for floating point, int4/int8/uint8 also taken).\n"
    "                     Data spaces it leaves out keep the network's width, or each\n"
    "                     level's word (docs/precision.md)\n";

int cli_precision_option(const char *cmd, int argc, char **argv, int *i, petal_precision *out)
{
    const char *value;
    bool missing;
    if (!cli_option(argc, argv, i, "--precision", &value, &missing))
        return 0;
    if (missing || !value[0]) {
        cli_usage_error(cmd, "--precision needs a list such as Weights=8,Inputs=8,Outputs=16");
        return -1;
    }
    if (petal_precision_parse(value, out)) {
        cli_usage_error(cmd, "--%s", petal_error_message()); /* "precision: ..." */
        return -1;
    }
    return 1;
}
