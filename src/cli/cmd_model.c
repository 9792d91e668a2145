/* cmd_model.c - `petal model`: evaluate one mapping of one layer on one
 * architecture, from petal's own files (a network layer, an architecture, a
 * mapping) or from Timeloop's (cli/timeloop_args.h). */
#include "cli/cli.h"
#include "cli/spec_args.h"
#include "petal/model.h"
#include "petal/network.h"
#include "petal/report.h"
#include "petal/timeloop.h"

static const char model_help[] =
    "usage: petal model --net NAME|FILE --layer NAME|INDEX --arch NAME|FILE --mapping FILE\n"
    "                   [--precision LIST] [--format text|json|timeloop]\n"
    "       petal model --problem P.yaml --arch A.yaml --mapping M.yaml [--ert ERT.yaml]\n"
    "                   [--art ART.yaml] [--format text|json|timeloop]\n"
    "       petal model --timeloop FILE.yaml [--mapping M.yaml] [--ert ERT.yaml] [...]\n\n"
    "Evaluate a mapping: per storage level and data space the tile, reads, fills and\n"
    "updates, the energy, the cycles, and whether the mapping is valid (exit code 1\n"
    "when it is not). --format timeloop writes Timeloop's stats layout\n"
    "(timeloop-model.stats.txt). With petal's files, --arch is a preset or a YAML file\n"
    "and --mapping petal's mapping format (docs/formats.md).\n\n";

static const cli_spec_command model_command = {
    .name = "model",
    .help = model_help,
    .formats = 1u << FORMAT_TEXT | 1u << FORMAT_JSON | 1u << FORMAT_TIMELOOP,
    .formats_words = "text, json or timeloop",
};

int cmd_model(int argc, char **argv)
{
    cli_spec_args a = {0};
    cli_format format;
    bool help;
    static petal_timeloop_spec spec;
    int rc = cli_spec_start(&model_command, argc, argv, &a, &format, NULL, &spec, &help);
    if (rc || help)
        return rc;
    petal_model_result r;
    petal_status st = petal_model_eval(&spec.problem, &spec.arch, &spec.mapping, &r);
    if (st)
        return cli_fail(st);
    if (format == FORMAT_TIMELOOP)
        st = petal_timeloop_write_stats(stdout, &spec.problem, &spec.arch, &spec.mapping, &r);
    else
        st = petal_report_model(stdout, &spec.problem, &spec.arch, &r,
                                format == FORMAT_JSON ? PETAL_REPORT_JSON : PETAL_REPORT_TEXT);
    if (st)
        return cli_fail(st);
    return r.valid ? EXIT_PETAL_OK : EXIT_PETAL_NO_MAPPING;
}
