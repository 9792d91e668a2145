/* cmd_model.c - `petal model`: evaluate one mapping of one layer on one
 * architecture, from petal's own files (a network layer, an architecture, a
 * mapping) or from Timeloop's (cli/timeloop_args.h); or, with --scalesim,
 * SCALE-Sim's numbers for every layer of a SCALE-Sim topology. */
#include <string.h>

#include "cli/cli.h"
#include "cli/spec_args.h"
#include "petal/model.h"
#include "petal/network.h"
#include "petal/report.h"
#include "petal/scalesim.h"
#include "petal/timeloop.h"

static const char model_help[] =
    "usage: petal model --net NAME|FILE --layer NAME|INDEX --arch NAME|FILE --mapping FILE\n"
    "                   [--precision LIST] [--density LIST] [--density-profile FILE]\n"
    "                   [--format text|json|timeloop]\n"
    "       petal model --problem P.yaml --arch A.yaml --mapping M.yaml [--ert ERT.yaml]\n"
    "                   [--art ART.yaml] [--format text|json|timeloop]\n"
    "       petal model --timeloop FILE.yaml [--mapping M.yaml] [--ert ERT.yaml] [...]\n"
    "       petal model --scalesim CONFIG.cfg --topology TOPO.csv [--format text|json|csv]\n\n"
    "Evaluate a mapping: per storage level and data space the tile, reads, fills and\n"
    "updates, the energy, the cycles, and whether the mapping is valid (exit code 1\n"
    "when it is not). --format timeloop writes Timeloop's stats layout\n"
    "(timeloop-model.stats.txt). With petal's files, --arch is a preset or a YAML file\n"
    "and --mapping petal's mapping format (docs/formats.md).\n\n"
    "SCALE-Sim inputs (docs/systolic.md):\n"
    "  --scalesim CONFIG.cfg  a SCALE-Sim v2 configuration (array, SRAMs, dataflow)\n"
    "  --topology TOPO.csv    its topology: conv rows, or M, N, K rows (told from the\n"
    "                         header); per layer SCALE-Sim's cycles, utilisation and\n"
    "                         SRAM and DRAM counts, in topology order\n\n";

static const cli_spec_command model_command = {
    .name = "model",
    .help = model_help,
    .formats = 1u << FORMAT_TEXT | 1u << FORMAT_JSON | 1u << FORMAT_TIMELOOP,
    .formats_words = "text, json or timeloop",
};

/* `petal model --scalesim CONFIG --topology TOPO [--format F]`. */
static int model_scalesim(int argc, char **argv)
{
    const char *config = NULL, *topology = NULL, *value;
    cli_format format = FORMAT_TEXT;
    for (int i = 1; i < argc; i++) {
        bool missing = false;
        if (cli_is_help(argv[i])) {
            fputs(model_help, stdout);
            return EXIT_PETAL_OK;
        } else if (cli_option(argc, argv, &i, "--scalesim", &value, &missing)) {
            config = value;
        } else if (cli_option(argc, argv, &i, "--topology", &value, &missing)) {
            topology = value;
        } else if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            if (!missing &&
                !cli_parse_format(value, 1u << FORMAT_TEXT | 1u << FORMAT_JSON | 1u << FORMAT_CSV,
                                  &format))
                return cli_usage_error("model", "--format with --scalesim takes text, json or csv");
        } else {
            return cli_usage_error("model", "--scalesim takes only --topology and --format, not %s",
                                   argv[i]);
        }
        if (missing)
            return cli_usage_error("model", "%s needs a value", argv[i]);
    }
    if (!config || !topology)
        return cli_usage_error("model", "--scalesim needs a configuration file and --topology");
    petal_scalesim_config c;
    petal_scalesim_topology t;
    petal_scalesim_result r;
    petal_status st = petal_scalesim_load_config(config, &c);
    if (st)
        return cli_fail(st);
    if ((st = petal_scalesim_load_topology(topology, &t)))
        return cli_fail(st);
    st = petal_scalesim_run(&c, &t, &r);
    petal_scalesim_topology_free(&t);
    if (st)
        return cli_fail(st);
    st = petal_report_scalesim(stdout, &c, &r,
                               format == FORMAT_JSON  ? PETAL_REPORT_JSON
                               : format == FORMAT_CSV ? PETAL_REPORT_CSV
                                                      : PETAL_REPORT_TEXT);
    petal_scalesim_result_free(&r);
    return st ? cli_fail(st) : EXIT_PETAL_OK;
}

int cmd_model(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--scalesim") == 0 || strncmp(argv[i], "--scalesim=", 11) == 0)
            return model_scalesim(argc, argv);

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
