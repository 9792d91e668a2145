/* cmd_eval.c - `petal eval`: the main job. Every layer of a network mapped on
 * one architecture, one row per layer and the totals per inference. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/map_args.h"
#include "cli/progress.h"
#include "petal/eval.h"
#include "petal/network.h"
#include "petal/formats.h"
#include "petal/report.h"

static const char eval_help[] =
    "usage: petal eval --net NAME|FILE --arch NAME|FILE [--batch B] [--dataflow D]\n"
    "                  [--constraints C.yaml] [--objective O] [--threads T] [--effort N]\n"
    "                  [--budget SECONDS] [--precision LIST] [--density LIST]\n"
    "                  [--density-profile FILE] [--format text|json|csv] [--timings]\n"
    "                  [--save-mappings DIR]\n\n"
    "Find the best mapping of every layer of a network (layers of the same shape once)\n"
    "and report, per layer: MACs, energy (uJ and pJ/MAC; M MAC and MAC/MAC for a\n"
    "normalised energy table), its split between DRAM, the global buffer, the\n"
    "network on chip, the register files and the MACs, cycles,\n"
    "latency at the architecture's clock, MAC utilisation and how the search ended\n"
    "(optimal, or the gap left when --budget stopped it); then the energy per inference,\n"
    "latency, inferences per second and DRAM bytes per MAC; when layers have densities\n"
    "(--density, --density-profile, the network file's), the expected non-zero MACs and\n"
    "the energy and DRAM bytes per non-zero MAC (docs/densities.md). A layer with no valid\n"
    "mapping is reported with the reason and the others still are; the exit code is\n"
    "then 1. --effort and --budget apply to each distinct layer shape. By default\n"
    "each search gets the effort 2M and no time limit, so the output (JSON included)\n"
    "is the same on any machine and thread count; --effort none: every search runs\n"
    "until its best is proven optimal. --timings adds the wall-clock times to JSON.\n"
    "The mapspace constraints of an architecture file (`constraints:`) and of\n"
    "--constraints C.yaml (docs/formats.md, \"Constraints\") apply to every layer.\n"
    "A second table splits each layer's energy by named level and by data space;\n"
    "then the area. --save-mappings DIR writes each layer's best mapping to\n"
    "DIR/<layer>.yaml (DIR is made if missing), the file `petal model --mapping`\n"
    "loads. On a terminal, standard error shows a progress bar with the time left.\n\n";

typedef struct eval_args {
    const char *net, *arch, *constraints, *save;
    unsigned long long batch;
    cli_format format;
    bool timings; /* --timings: wall-clock times in the JSON */
    petal_map_options opt;
    petal_precision precision;
    cli_density_args density;
} eval_args;

static int parse(int argc, char **argv, eval_args *a, bool *help)
{
    *help = false;
    const cli_workload_args workload = {&a->net, NULL, &a->arch, &a->batch, false};
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        if (cli_is_help(argv[i])) {
            *help = true;
            return EXIT_PETAL_OK;
        }
        int taken = cli_map_option("eval", argc, argv, &i, &a->opt);
        if (!taken)
            taken = cli_workload_option("eval", argc, argv, &i, &workload);
        if (!taken)
            taken = cli_precision_option("eval", argc, argv, &i, &a->precision);
        if (!taken)
            taken = cli_density_option("eval", argc, argv, &i, &a->density);
        if (taken < 0)
            return EXIT_PETAL_USAGE;
        if (taken)
            continue;
        if (cli_option(argc, argv, &i, "--constraints", &value, &missing)) {
            if (missing || !value[0])
                return cli_usage_error("eval", "--constraints needs a constraints file");
            a->constraints = value;
        } else if (strcmp(argv[i], "--timings") == 0) {
            a->timings = true;
        } else if (cli_option(argc, argv, &i, "--save-mappings", &value, &missing)) {
            if (missing || !value[0])
                return cli_usage_error("eval", "--save-mappings needs a directory");
            a->save = value;
        } else if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            unsigned allowed = 1u << FORMAT_TEXT | 1u << FORMAT_JSON | 1u << FORMAT_CSV;
            if (missing || !cli_parse_format(value, allowed, &a->format))
                return cli_usage_error("eval", "--format takes text, json or csv");
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("eval", "unknown option '%s'", argv[i]);
        } else {
            return cli_usage_error("eval", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!a->net)
        return cli_usage_error("eval", "needs --net NAME|FILE");
    if (!a->arch)
        return cli_usage_error("eval", "needs --arch NAME|FILE");
    return EXIT_PETAL_OK;
}

int cmd_eval(int argc, char **argv)
{
    eval_args a;
    memset(&a, 0, sizeof a);
    cli_map_defaults(&a.opt);
    bool help;
    int code = parse(argc, argv, &a, &help);
    if (code || help) {
        if (help)
            printf("%s%s%s%s", eval_help, cli_map_help, cli_precision_help, cli_density_help);
        return code;
    }
    petal_network net;
    petal_status st = petal_network_load(a.net, &net);
    if (st)
        return cli_fail(st);
    if (a.batch)
        st = petal_network_set_batch(&net, a.batch);
    for (size_t i = 0; i < net.nlayers; i++)
        petal_precision_apply(&net.layers[i], &a.precision);
    if (!st) {
        code = cli_density_apply(&a.density, &net);
        if (code) {
            petal_network_free(&net);
            return code;
        }
    }
    static petal_arch arch;
    if (!st)
        st = petal_arch_load(a.arch, &arch);
    if (st) {
        petal_network_free(&net);
        return cli_fail(st);
    }
    cli_constraint_files constraint_files;
    cli_map_constraints(&a.opt, &constraint_files, a.arch, a.constraints);
    if (a.save && mkdir(a.save, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "petal: %s: cannot make the directory for --save-mappings: %s\n", a.save,
                strerror(errno));
        petal_network_free(&net);
        return EXIT_PETAL_INPUT;
    }
    petal_eval_result r;
    cli_progress bar;
    cli_progress_start(&bar);
    st = petal_eval_network(&net, &arch, &a.opt, bar.out ? cli_progress_callback : NULL, &bar, &r);
    cli_progress_finish(&bar);
    if (!st && a.save) {
        st = petal_eval_save_mappings(&net, &arch, &r, a.save);
        if (st)
            petal_eval_free(&r);
    }
    if (st) {
        petal_network_free(&net);
        return cli_fail(st);
    }
    petal_report_format fmt = a.format == FORMAT_JSON
                                  ? (a.timings ? PETAL_REPORT_JSON_TIMINGS : PETAL_REPORT_JSON)
                              : a.format == FORMAT_CSV ? PETAL_REPORT_CSV
                                                       : PETAL_REPORT_TEXT;
    st = petal_report_eval(stdout, &net, &arch, &a.opt, &r, fmt);
    for (size_t i = 0; !st && i < r.nlayers; i++)
        if (!r.layers[i].map.found && r.layers[i].same_as == i)
            fprintf(stderr, "petal: layer %s: no valid mapping: %s\n", net.layers[i].name,
                    r.layers[i].map.why);
    size_t unmapped = r.unmapped;
    petal_eval_free(&r);
    petal_network_free(&net);
    if (st)
        return cli_fail(st);
    return unmapped ? EXIT_PETAL_NO_MAPPING : EXIT_PETAL_OK;
}
