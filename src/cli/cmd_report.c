/* cmd_report.c - `petal report`: `petal eval`'s job written as one
 * self-contained HTML page (petal_report_html), and optionally the same
 * result as eval's JSON beside it. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/map_args.h"
#include "cli/progress.h"
#include "petal/eval.h"
#include "petal/formats.h"
#include "petal/network.h"
#include "petal/report.h"

static const char report_help[] =
    "usage: petal report --net NAME|FILE --arch NAME|FILE -o FILE.html [--json FILE]\n"
    "                    [--batch B] [--accuracy A] [--dataflow D] [--objective O]\n"
    "                    [--threads T] [--effort N] [--budget SECONDS] [--density LIST]\n"
    "                    [--density-profile FILE]\n\n"
    "Map every layer of a network as `petal eval` does and write one self-contained\n"
    "HTML page (inline CSS and SVG; it loads nothing): what was evaluated, the totals\n"
    "per inference, the per-layer table, energy per layer by level and by data type,\n"
    "the whole network's split, a roofline, the benchmark sheet, Eyexam's seven\n"
    "bounds per layer and each layer's best mapping as a loop nest (one search per\n"
    "distinct layer shape serves them all). --accuracy is printed as given on the\n"
    "sheet. -o - writes the page to standard output. --json FILE also writes the\n"
    "result as `petal eval --format json` does (the page's numbers are that JSON's).\n"
    "A layer with no valid mapping is reported on the page and the exit code is 1.\n"
    "--effort and --budget apply to each distinct layer shape, as for `petal eval`:\n"
    "by default the effort 2M and no time limit, so the page is the same on any machine.\n\n";

typedef struct report_args {
    const char *net, *arch, *html, *json;
    unsigned long long batch;
    bool has_accuracy;
    double accuracy;
    petal_map_options opt;
    cli_density_args density;
} report_args;

static int parse(int argc, char **argv, report_args *a, bool *help)
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
        int taken = cli_map_option("report", argc, argv, &i, &a->opt);
        if (!taken)
            taken = cli_workload_option("report", argc, argv, &i, &workload);
        if (!taken)
            taken = cli_accuracy_option("report", argc, argv, &i, &a->has_accuracy, &a->accuracy);
        if (!taken)
            taken = cli_density_option("report", argc, argv, &i, &a->density);
        if (taken < 0)
            return EXIT_PETAL_USAGE;
        if (taken)
            continue;
        if (cli_option(argc, argv, &i, "-o", &value, &missing) ||
            cli_option(argc, argv, &i, "--output", &value, &missing)) {
            if (missing || !value[0])
                return cli_usage_error("report", "-o needs a file name (or - for stdout)");
            a->html = value;
        } else if (cli_option(argc, argv, &i, "--json", &value, &missing)) {
            if (missing || !value[0])
                return cli_usage_error("report", "--json needs a file name (or - for stdout)");
            a->json = value;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("report", "unknown option '%s'", argv[i]);
        } else {
            return cli_usage_error("report", "unexpected argument '%s'", argv[i]);
        }
    }
    if (!a->net)
        return cli_usage_error("report", "needs --net NAME|FILE");
    if (!a->arch)
        return cli_usage_error("report", "needs --arch NAME|FILE");
    if (!a->html)
        return cli_usage_error("report", "needs -o FILE.html (or -o - for stdout)");
    if (a->json && strcmp(a->json, "-") == 0 && strcmp(a->html, "-") == 0)
        return cli_usage_error("report", "-o - and --json - cannot both write to stdout");
    return EXIT_PETAL_OK;
}

/* Open a file for writing, or stdout for "-"; NULL with a message naming it. */
static FILE *open_output(const char *path)
{
    if (strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "petal: %s: cannot write: %s\n", path, strerror(errno));
    return f;
}

/* Close what open_output opened; false (with a message) when writing failed. */
static bool close_output(FILE *f, const char *path)
{
    bool ok = !ferror(f);
    if (f == stdout)
        ok = fflush(f) == 0 && ok;
    else
        ok = fclose(f) == 0 && ok;
    if (!ok)
        fprintf(stderr, "petal: %s: writing failed\n", path);
    return ok;
}

/* Close what open_output opened, after a failure (nothing more is written). */
static void close_files(FILE *html, FILE *json)
{
    if (html && html != stdout)
        fclose(html);
    if (json && json != stdout)
        fclose(json);
}

/* Write the page (and the JSON) to files opened before the search, so that a
 * path that cannot be written is refused before minutes of work. */
static int write_outputs(const report_args *a, FILE *html, FILE *json, const petal_html_input *in)
{
    petal_status st = petal_report_html(html, in);
    bool ok = close_output(html, a->html);
    if (json) {
        petal_status js =
            petal_report_eval(json, in->net, in->arch, &a->opt, in->eval, PETAL_REPORT_JSON);
        ok = close_output(json, a->json) && ok;
        if (!st)
            st = js;
    }
    if (st)
        return cli_fail(st);
    return ok ? EXIT_PETAL_OK : EXIT_PETAL_INPUT;
}

int cmd_report(int argc, char **argv)
{
    report_args a;
    memset(&a, 0, sizeof a);
    cli_map_defaults(&a.opt);
    bool help;
    int code = parse(argc, argv, &a, &help);
    if (code || help) {
        if (help)
            printf("%s%s%s", report_help, cli_map_help, cli_density_help);
        return code;
    }
    petal_network net;
    petal_status st = petal_network_load(a.net, &net);
    if (st)
        return cli_fail(st);
    if (a.batch)
        st = petal_network_set_batch(&net, a.batch);
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
    FILE *html = open_output(a.html);
    FILE *json = html && a.json ? open_output(a.json) : NULL;
    if (!html || (a.json && !json)) {
        close_files(html, NULL);
        petal_network_free(&net);
        return EXIT_PETAL_INPUT;
    }
    /* One search: the sheet's evaluation is the page's and the JSON's. A
     * build without the sheet evaluates alone and the page says so. */
    petal_sheet sheet;
    petal_eval_result own;
    const petal_eval_result *r = NULL;
    bool have_sheet = false;
    memset(&own, 0, sizeof own);
    cli_progress bar;
    cli_progress_start(&bar);
    st = petal_sheet_build(&net, &arch, 1, &a.opt, bar.out ? cli_progress_callback : NULL, &bar,
                           &sheet);
    if (st == PETAL_EUNSUPPORTED) {
        st = petal_eval_network(&net, &arch, &a.opt, bar.out ? cli_progress_callback : NULL, &bar,
                                &own);
        r = &own;
    } else if (!st) {
        have_sheet = true;
        sheet.has_accuracy = a.has_accuracy;
        sheet.accuracy = a.accuracy;
        r = &sheet.archs[0].eval;
    }
    cli_progress_finish(&bar);
    if (st) {
        close_files(html, json);
        petal_network_free(&net);
        return cli_fail(st);
    }
    /* Eyexam's bounds per distinct shape, set against the mapping found above. */
    petal_eyexam_result *eyexam = calloc(net.nlayers, sizeof *eyexam);
    for (size_t i = 0; eyexam && i < net.nlayers; i++) {
        if (r->layers[i].same_as != i)
            continue;
        st = petal_eyexam_bounds(&net.layers[i], &arch, a.opt.dataflow, &eyexam[i]);
        if (st == PETAL_EUNSUPPORTED) {
            free(eyexam);
            eyexam = NULL;
            st = PETAL_OK;
            break;
        }
        if (st)
            break;
        petal_eyexam_best(&eyexam[i], &r->layers[i].map);
    }
    if (st) {
        close_files(html, json);
        code = cli_fail(st);
    } else {
        petal_html_input in = {&net, &arch, &a.opt, r, have_sheet ? &sheet : NULL, eyexam};
        code = write_outputs(&a, html, json, &in);
    }
    for (size_t i = 0; !code && i < r->nlayers; i++)
        if (!r->layers[i].map.found && r->layers[i].same_as == i)
            fprintf(stderr, "petal: layer %s: no valid mapping: %s\n", net.layers[i].name,
                    r->layers[i].map.why);
    size_t unmapped = r->unmapped;
    free(eyexam);
    if (have_sheet)
        petal_sheet_free(&sheet);
    petal_eval_free(&own);
    petal_network_free(&net);
    if (code)
        return code;
    return unmapped ? EXIT_PETAL_NO_MAPPING : EXIT_PETAL_OK;
}
