/* cmd_sheet.c - `petal sheet`: the benchmark sheet, one network on several
 * architectures side by side (the survey's metrics). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/map_args.h"
#include "cli/progress.h"
#include "petal/formats.h"
#include "petal/network.h"
#include "petal/report.h"
#include "petal/sheet.h"

static const char sheet_help[] =
    "usage: petal sheet --net NAME|FILE --arch NAME|FILE[,NAME|FILE...] [--batch B]\n"
    "                   [--accuracy X] [--dataflow D] [--objective O] [--threads T]\n"
    "                   [--effort N] [--budget SECONDS] [--density LIST]\n"
    "                   [--density-profile FILE] [--format text|json|csv]\n\n"
    "The benchmark sheet of the survey (Sze et al., section 8): the network's weights and\n"
    "MACs (and the non-zero ones expected from the layers' densities: a non-zero MAC\n"
    "has a non-zero weight and input; without densities they equal the totals), and per\n"
    "architecture the energy per inference including DRAM (in the architecture's unit:\n"
    "pJ, or MAC for a normalised table), latency and inferences per second at the\n"
    "batch, energy and DRAM bytes per MAC and per non-zero MAC, mm2 and on-chip\n"
    "kB per multiplier, PE utilisation and whether every layer's mapping is proven\n"
    "optimal. Each architecture runs `petal eval` (each distinct layer shape gets the\n"
    "effort 2M and no time limit, so the sheet is the same on any machine; --effort\n"
    "none proves every optimum; --budget adds a time limit). --accuracy is\n"
    "printed as given: petal does not measure it. Exit code 1 when a layer has no valid\n"
    "mapping on some architecture (its figures are then marked PARTIAL).\n\n";

#define SHEET_MAX_ARCHS 16

typedef struct sheet_args {
    const char *net, *archs;
    unsigned long long batch;
    bool has_accuracy;
    double accuracy;
    cli_format format;
    petal_map_options opt;
    cli_density_args density;
} sheet_args;

static int parse(int argc, char **argv, sheet_args *a, bool *help)
{
    *help = false;
    const cli_workload_args workload = {&a->net, NULL, &a->archs, &a->batch, true};
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        if (cli_is_help(argv[i])) {
            *help = true;
            return EXIT_PETAL_OK;
        }
        int taken = cli_map_option("sheet", argc, argv, &i, &a->opt);
        if (!taken)
            taken = cli_workload_option("sheet", argc, argv, &i, &workload);
        if (!taken)
            taken = cli_accuracy_option("sheet", argc, argv, &i, &a->has_accuracy, &a->accuracy);
        if (!taken)
            taken = cli_density_option("sheet", argc, argv, &i, &a->density);
        if (taken < 0)
            return EXIT_PETAL_USAGE;
        if (taken)
            continue;
        if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            unsigned allowed = 1u << FORMAT_TEXT | 1u << FORMAT_JSON | 1u << FORMAT_CSV;
            if (missing || !cli_parse_format(value, allowed, &a->format))
                return cli_usage_error("sheet", "--format takes text, json or csv");
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("sheet", "unknown option '%s'", argv[i]);
        } else {
            return cli_usage_error("sheet", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!a->net)
        return cli_usage_error("sheet", "needs --net NAME|FILE");
    if (!a->archs)
        return cli_usage_error("sheet", "needs --arch NAME|FILE[,NAME|FILE...]");
    return EXIT_PETAL_OK;
}

/* Load every comma-separated architecture of `list`. */
static int load_archs(const char *list, petal_arch *archs, size_t *n)
{
    *n = 0;
    const char *start = list;
    for (;;) {
        const char *comma = strchr(start, ',');
        size_t len = comma ? (size_t)(comma - start) : strlen(start);
        if (len == 0)
            return cli_usage_error("sheet", "--arch has an empty name in '%s'", list);
        if (*n == SHEET_MAX_ARCHS)
            return cli_usage_error("sheet", "--arch takes at most %d architectures",
                                   SHEET_MAX_ARCHS);
        char name[4096];
        if (len >= sizeof name)
            return cli_usage_error("sheet", "--arch: a name or path is too long");
        memcpy(name, start, len);
        name[len] = '\0';
        petal_status st = petal_arch_load(name, &archs[*n]);
        if (st)
            return cli_fail(st);
        (*n)++;
        if (!comma)
            return EXIT_PETAL_OK;
        start = comma + 1;
    }
}

int cmd_sheet(int argc, char **argv)
{
    sheet_args a;
    memset(&a, 0, sizeof a);
    cli_map_defaults(&a.opt);
    bool help;
    int code = parse(argc, argv, &a, &help);
    if (code || help) {
        if (help)
            printf("%s%s%s", sheet_help, cli_map_help, cli_density_help);
        return code;
    }
    static petal_arch archs[SHEET_MAX_ARCHS];
    size_t narchs;
    code = load_archs(a.archs, archs, &narchs);
    if (code)
        return code;
    petal_network net;
    petal_status st = petal_network_load(a.net, &net);
    if (st)
        return cli_fail(st);
    if (a.batch)
        st = petal_network_set_batch(&net, a.batch);
    if (st) {
        petal_network_free(&net);
        return cli_fail(st);
    }
    code = cli_density_apply(&a.density, &net);
    if (code) {
        petal_network_free(&net);
        return code;
    }
    petal_sheet sheet;
    cli_progress bar;
    cli_progress_start(&bar);
    st = petal_sheet_build(&net, archs, narchs, &a.opt, bar.out ? cli_progress_callback : NULL,
                           &bar, &sheet);
    cli_progress_finish(&bar);
    if (st) {
        petal_network_free(&net);
        return cli_fail(st);
    }
    sheet.has_accuracy = a.has_accuracy;
    sheet.accuracy = a.accuracy;
    petal_report_format fmt = a.format == FORMAT_JSON  ? PETAL_REPORT_JSON
                              : a.format == FORMAT_CSV ? PETAL_REPORT_CSV
                                                       : PETAL_REPORT_TEXT;
    st = petal_report_sheet(stdout, &sheet, fmt);
    size_t unmapped = 0;
    for (size_t i = 0; i < sheet.narchs; i++) {
        const petal_eval_result *r = &sheet.archs[i].eval;
        unmapped += sheet.archs[i].unmapped;
        if (sheet.archs[i].unmapped)
            fprintf(stderr, "petal: %s: %zu %s no valid mapping\n", sheet.archs[i].arch,
                    sheet.archs[i].unmapped,
                    sheet.archs[i].unmapped == 1 ? "layer has" : "layers have");
        /* Why, once per shape, as petal eval says it. */
        for (size_t l = 0; l < r->nlayers && l < net.nlayers; l++)
            if (!r->layers[l].map.found && r->layers[l].same_as == l)
                fprintf(stderr, "petal: %s: layer %s: no valid mapping: %s\n", sheet.archs[i].arch,
                        net.layers[l].name, r->layers[l].map.why);
    }
    petal_sheet_free(&sheet);
    petal_network_free(&net);
    if (st)
        return cli_fail(st);
    return unmapped ? EXIT_PETAL_NO_MAPPING : EXIT_PETAL_OK;
}
