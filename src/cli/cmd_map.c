/* cmd_map.c - `petal map`: the best mapping of one layer on one architecture,
 * from petal's files (a network layer, an architecture) or Timeloop's (a
 * problem, an architecture with its constraints, an ERT). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/map_args.h"
#include "cli/timeloop_args.h"
#include "petal/constraints.h"
#include "petal/eval.h"
#include "petal/network.h"
#include "petal/formats.h"
#include "petal/report.h"
#include "petal/timeloop.h"

static const char map_help[] =
    "usage: petal map --net NAME|FILE --layer NAME|INDEX --arch NAME|FILE [--batch B]\n"
    "                 [--constraints C.yaml]\n"
    "                 [--dataflow D] [--objective O] [--threads T] [--effort N]\n"
    "                 [--budget SECONDS] [--precision LIST] [--format text|json|timeloop]\n"
    "                 [--density LIST] [--density-profile FILE] [--timings] [--output FILE]\n"
    "       petal map --problem P.yaml --arch A.yaml [--constraints C.yaml] [--ert ERT.yaml]\n"
    "                 [...]\n"
    "       petal map --timeloop FILE.yaml [--ert ERT.yaml] [...]\n\n"
    "Search the mapspace of one layer for its best mapping: branch and bound over every\n"
    "factorisation, loop order and bypass choice the architecture, the dataflow and the\n"
    "constraints allow. Prints the search summary and the loop nest as comments, then the\n"
    "mapping in petal's format (docs/formats.md), so that the output loads as it is:\n"
    "`petal map ... > m.yaml; petal model ... --mapping m.yaml`. --format timeloop writes\n"
    "the mapping as Timeloop mapping directives instead (for `petal model --timeloop ...\n"
    "--mapping` or Timeloop itself). --output FILE also writes the mapping alone to FILE\n"
    "(in Timeloop's form with --format timeloop). Exit code 1 when no valid mapping\n"
    "exists (the output says why). Timeloop architectures bring their own constraints;\n"
    "--constraints adds more. --timings adds the wall-clock times to JSON.\n\n";

typedef struct map_args {
    const char *net, *layer, *output;
    unsigned long long batch;
    cli_format format;
    bool timings; /* --timings: wall-clock times in the JSON */
    cli_timeloop_args tl;
    petal_map_options opt;
    petal_precision precision;
    cli_density_args density;
} map_args;

static int parse(int argc, char **argv, map_args *a, bool *help)
{
    *help = false;
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        if (cli_is_help(argv[i])) {
            *help = true;
            return EXIT_PETAL_OK;
        }
        int taken = cli_timeloop_option("map", argc, argv, &i, &a->tl);
        if (!taken)
            taken = cli_map_option("map", argc, argv, &i, &a->opt);
        if (!taken)
            taken = cli_precision_option("map", argc, argv, &i, &a->precision);
        if (!taken)
            taken = cli_density_option("map", argc, argv, &i, &a->density);
        if (taken < 0)
            return EXIT_PETAL_USAGE;
        if (taken)
            continue;
        if (cli_option(argc, argv, &i, "--net", &value, &missing)) {
            if (missing || !value[0])
                return cli_usage_error("map", "--net needs a network name or file");
            a->net = value;
        } else if (cli_option(argc, argv, &i, "--layer", &value, &missing)) {
            if (missing || !value[0])
                return cli_usage_error("map", "--layer needs a layer name or index");
            a->layer = value;
        } else if (cli_option(argc, argv, &i, "--batch", &value, &missing)) {
            if (missing || !cli_parse_u64(value, &a->batch) || a->batch == 0)
                return cli_usage_error("map", "--batch takes a whole number of at least 1");
        } else if (cli_option(argc, argv, &i, "--output", &value, &missing)) {
            if (missing || !value[0])
                return cli_usage_error("map", "--output needs a file");
            a->output = value;
        } else if (strcmp(argv[i], "--timings") == 0) {
            a->timings = true;
        } else if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            unsigned allowed = 1u << FORMAT_TEXT | 1u << FORMAT_JSON | 1u << FORMAT_TIMELOOP;
            if (missing || !cli_parse_format(value, allowed, &a->format))
                return cli_usage_error("map", "--format takes text, json or timeloop");
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("map", "unknown option '%s'", argv[i]);
        } else {
            return cli_usage_error("map", "unexpected argument '%s'", argv[i]);
        }
    }
    if (a->tl.files.mapping)
        return cli_usage_error("map", "--mapping is what petal map finds; it takes none");
    return EXIT_PETAL_OK;
}

/* petal's own files: a layer of a network, an architecture. */
static int load_native(const map_args *a, petal_timeloop_spec *spec)
{
    const char *need = !a->net             ? "--net"
                       : !a->layer         ? "--layer"
                       : !a->tl.files.arch ? "--arch"
                                           : NULL;
    if (need)
        return cli_usage_error("map", "needs %s (or Timeloop files: --problem, or --timeloop)",
                               need);
    petal_network net;
    petal_status st = petal_network_load(a->net, &net);
    if (st)
        return cli_fail(st);
    if (a->batch)
        st = petal_network_set_batch(&net, a->batch);
    if (!st) {
        int code = cli_density_apply(&a->density, &net);
        if (code) {
            petal_network_free(&net);
            return code;
        }
    }
    const petal_problem *layer = st ? NULL : petal_network_find(&net, a->layer, NULL);
    if (!st && !layer) {
        fprintf(stderr, "petal: %s (petal net show %s lists them)\n", petal_error_message(),
                a->net);
        petal_network_free(&net);
        return EXIT_PETAL_INPUT;
    }
    if (!st) {
        spec->problem = *layer;
        st = petal_arch_load(a->tl.files.arch, &spec->arch);
    }
    petal_network_free(&net);
    return st ? cli_fail(st) : EXIT_PETAL_OK;
}

/* The mapping alone, in petal's format or (timeloop) Timeloop's. */
static petal_status write_mapping(FILE *f, const petal_timeloop_spec *spec,
                                  const petal_map_result *r, bool timeloop)
{
    if (timeloop)
        return petal_timeloop_write_mapping(f, &spec->problem, &spec->arch, &r->mapping);
    return petal_mapping_write_yaml(f, &spec->problem, &spec->arch, &r->mapping);
}

static int write_output(const char *path, const char *text, size_t size)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "petal: %s: cannot write the mapping\n", path);
        return EXIT_PETAL_INPUT;
    }
    bool ok = fwrite(text, 1, size, f) == size;
    if (fclose(f) != 0 || !ok) {
        fprintf(stderr, "petal: %s: writing the mapping failed\n", path);
        return EXIT_PETAL_INPUT;
    }
    return EXIT_PETAL_OK;
}

/* The mapping alone as text in *text (the caller frees it), so that a
 * mapping that cannot be written (Timeloop's format puts a dimension on one
 * axis) is refused before anything is printed or a file is made. Returns an
 * exit code. */
static int mapping_text(const petal_timeloop_spec *spec, const petal_map_result *r, bool timeloop,
                        char **text, size_t *size)
{
    *text = NULL;
    *size = 0;
    FILE *f = open_memstream(text, size);
    if (!f) {
        fprintf(stderr, "petal: out of memory writing the mapping\n");
        return EXIT_PETAL_INTERNAL;
    }
    petal_status st = write_mapping(f, spec, r, timeloop);
    bool closed = fclose(f) == 0;
    if (st || !closed) {
        free(*text);
        *text = NULL;
        if (st)
            return cli_fail(st);
        fprintf(stderr, "petal: out of memory writing the mapping\n");
        return EXIT_PETAL_INTERNAL;
    }
    return EXIT_PETAL_OK;
}

int cmd_map(int argc, char **argv)
{
    map_args a;
    memset(&a, 0, sizeof a);
    cli_map_defaults(&a.opt);
    bool help;
    int code = parse(argc, argv, &a, &help);
    if (code || help) {
        if (help)
            printf("%s%s%s%s\n%s", map_help, cli_map_help, cli_precision_help, cli_density_help,
                   cli_timeloop_help);
        return code;
    }
    if (a.batch && cli_timeloop_selected(&a.tl))
        return cli_usage_error("map", "--batch goes with --net (a Timeloop problem sets its N)");
    if (a.density.profile && cli_timeloop_selected(&a.tl))
        return cli_usage_error("map", "--density-profile goes with --net (it names the "
                                      "network's layers); --density LIST applies to a "
                                      "Timeloop problem");

    static petal_timeloop_spec spec; /* large: keep it off the stack */
    memset(&spec, 0, sizeof spec);
    if (cli_timeloop_selected(&a.tl)) {
        if (a.net || a.layer)
            return cli_usage_error("map", "--net and --layer do not go with Timeloop files (the "
                                          "problem comes from --problem or --timeloop)");
        code = cli_timeloop_load("map", &a.tl, false, &spec);
        if (!code && !petal_constraints_empty(&spec.constraints))
            a.opt.constraints = &spec.constraints;
    } else {
        code = load_native(&a, &spec);
    }
    if (code)
        return code;
    static cli_constraint_files constraint_files;
    if (!cli_timeloop_selected(&a.tl))
        cli_map_constraints(&a.opt, &constraint_files, a.tl.files.arch, a.tl.files.constraints);
    petal_precision_apply(&spec.problem, &a.precision);
    petal_density_apply(&spec.problem, a.density.density);

    static petal_map_result result;
    petal_status st = petal_map(&spec.problem, &spec.arch, &a.opt, &result);
    if (st)
        return cli_fail(st);
    petal_report_format fmt = a.format != FORMAT_JSON ? PETAL_REPORT_TEXT
                              : a.timings             ? PETAL_REPORT_JSON_TIMINGS
                                                      : PETAL_REPORT_JSON;
    bool timeloop = a.format == FORMAT_TIMELOOP;
    char *text = NULL;
    size_t size = 0;
    if (result.found && (a.output || timeloop)) {
        code = mapping_text(&spec, &result, timeloop, &text, &size);
        if (code)
            return code;
    }
    if (a.output && result.found) {
        code = write_output(a.output, text, size);
        if (code) {
            free(text);
            return code;
        }
    }
    if (timeloop) {
        /* The mapping in Timeloop's directives, for timeloop-model or
         * `petal model --timeloop ... --mapping`; the summary as comments. */
        printf("# petal map: layer %s on %s, objective %s: ", spec.problem.name, spec.arch.name,
               petal_objective_name(a.opt.objective));
        if (!result.found)
            printf("no valid mapping: %s\n", result.why);
        else if (result.complete)
            printf("optimal\n");
        else
            printf("best found, gap %.4f%% to the lower bound\n", 100.0 * petal_map_gap(&result));
        if (text)
            fwrite(text, 1, size, stdout);
        if (ferror(stdout)) {
            free(text);
            fprintf(stderr, "petal: writing the result failed\n");
            return EXIT_PETAL_INPUT;
        }
    } else {
        st = petal_report_map(stdout, &spec.problem, &spec.arch, &a.opt, &result, fmt);
    }
    free(text);
    if (st)
        return cli_fail(st);
    if (!result.found) {
        fprintf(stderr, "petal: layer %s on %s: no valid mapping: %s\n", spec.problem.name,
                spec.arch.name, result.why);
        return EXIT_PETAL_NO_MAPPING;
    }
    return EXIT_PETAL_OK;
}
