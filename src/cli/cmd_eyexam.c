/* cmd_eyexam.c - `petal eyexam`: Eyexam's seven upper bounds on one layer's
 * MACs per cycle, and the mapper's best mapping set against the last. */
#include <string.h>

#include "cli/cli.h"
#include "cli/map_args.h"
#include "petal/eyexam.h"
#include "petal/formats.h"
#include "petal/network.h"
#include "petal/report.h"

static const char eyexam_help[] =
    "usage: petal eyexam --net NAME|FILE --layer NAME|INDEX --arch NAME|FILE [--batch B]\n"
    "                    [--dataflow D] [--objective O] [--threads T] [--effort N]\n"
    "                    [--budget SECONDS] [--format text|json]\n\n"
    "Bound how many MACs per cycle one layer can run at, in Eyexam's seven steps: the\n"
    "layer's size and shape, the dataflow's loop nest, the number of PEs, the array's\n"
    "dimensions, storage capacity, average bandwidth (the roofline) and instantaneous\n"
    "bandwidth. Each bound is computed from the layer, the architecture and the dataflow,\n"
    "never exceeds the one before, and says what limits it. Then the mapper's best\n"
    "mapping (by default the fastest: --objective delay) is set against the last bound.\n"
    "docs/eyexam.md works a layer by hand. Exit code 1 when no valid mapping exists.\n\n";

typedef struct eyexam_args {
    const char *net, *layer, *arch;
    unsigned long long batch;
    cli_format format;
    petal_map_options opt;
} eyexam_args;

static int parse(int argc, char **argv, eyexam_args *a, bool *help)
{
    *help = false;
    const cli_workload_args workload = {&a->net, &a->layer, &a->arch, &a->batch, false};
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        if (cli_is_help(argv[i])) {
            *help = true;
            return EXIT_PETAL_OK;
        }
        int taken = cli_map_option("eyexam", argc, argv, &i, &a->opt);
        if (!taken)
            taken = cli_workload_option("eyexam", argc, argv, &i, &workload);
        if (taken < 0)
            return EXIT_PETAL_USAGE;
        if (taken)
            continue;
        if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            unsigned allowed = 1u << FORMAT_TEXT | 1u << FORMAT_JSON;
            if (missing || !cli_parse_format(value, allowed, &a->format))
                return cli_usage_error("eyexam", "--format takes text or json");
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("eyexam", "unknown option '%s'", argv[i]);
        } else {
            return cli_usage_error("eyexam", "unexpected argument '%s'", argv[i]);
        }
    }
    const char *need = !a->net     ? "--net NAME|FILE"
                       : !a->layer ? "--layer NAME|INDEX"
                       : !a->arch  ? "--arch NAME|FILE"
                                   : NULL;
    if (need)
        return cli_usage_error("eyexam", "needs %s", need);
    return EXIT_PETAL_OK;
}

int cmd_eyexam(int argc, char **argv)
{
    eyexam_args a;
    memset(&a, 0, sizeof a);
    cli_map_defaults(&a.opt);
    a.opt.objective = PETAL_OBJECTIVE_DELAY;
    bool help;
    int code = parse(argc, argv, &a, &help);
    if (code || help) {
        if (help)
            printf("%s%s", eyexam_help, cli_map_help);
        return code;
    }
    petal_network net;
    petal_status st = petal_network_load(a.net, &net);
    if (st)
        return cli_fail(st);
    if (a.batch)
        st = petal_network_set_batch(&net, a.batch);
    const petal_problem *layer = st ? NULL : petal_network_find(&net, a.layer, NULL);
    if (!st && !layer) {
        fprintf(stderr, "petal: %s (petal net show %s lists them)\n", petal_error_message(), a.net);
        petal_network_free(&net);
        return EXIT_PETAL_INPUT;
    }
    static petal_problem problem;
    static petal_arch arch;
    if (!st) {
        problem = *layer;
        st = petal_arch_load(a.arch, &arch);
    }
    petal_network_free(&net);
    if (st)
        return cli_fail(st);
    static petal_eyexam_result r;
    st = petal_eyexam(&problem, &arch, &a.opt, &r);
    if (st)
        return cli_fail(st);
    st = petal_report_eyexam(stdout, &r,
                             a.format == FORMAT_JSON ? PETAL_REPORT_JSON : PETAL_REPORT_TEXT);
    if (st)
        return cli_fail(st);
    if (!r.best_found) {
        fprintf(stderr, "petal: layer %s on %s: no valid mapping: %s\n", problem.name, arch.name,
                r.best_why);
        return EXIT_PETAL_NO_MAPPING;
    }
    return EXIT_PETAL_OK;
}
