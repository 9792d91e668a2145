/* cmd_sweep.c - `petal sweep SPEC.yaml`: every point of a design space mapped,
 * rows written as points finish, resumed after an interruption; the points
 * spread over threads here, and over ranks by cmd_sweep_mpi.c under mpirun. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/map_args.h"
#include "cli/sweep_run.h"
#include "petal/report.h"
#include "petal/sweep.h"
#include "util/clock.h"

static const char sweep_help[] =
    "usage: petal sweep SPEC.yaml [-o RESULTS.csv [--report PAGE.html]] [--threads T]\n"
    "                   [--budget SECONDS|none]\n"
    "       mpirun -np N petal sweep SPEC.yaml -o RESULTS.csv [...]\n\n"
    "Map every layer of every network of the spec (docs/sweep.md) on every point of its\n"
    "design space and write one CSV row per point, network and batch: the parameters,\n"
    "status, area, energy, cycles, latency, throughput, energy and DRAM bytes per MAC,\n"
    "whether every search was proven optimal and the largest gap. A point that cannot\n"
    "run is a row with its reason. With `netadapt: {fractions: [...]}` in the spec, each\n"
    "point's rows are a NetAdapt look-up table: every layer alone with its output channels\n"
    "scaled by each fraction.\n\n"
    "  -o, --output FILE   write the rows to FILE as points finish; a rerun with the same\n"
    "                      spec skips the points already there (resume); a file begun\n"
    "                      with another spec or budget is refused. Also writes the\n"
    "                      Pareto front of energy, latency and area (FILE less .csv,\n"
    "                      plus .front.csv) and a scatter (.svg). Without it the rows\n"
    "                      go to standard output once every point is done.\n"
    "  --report PAGE.html  with -o, once every point is in the file: one self-contained\n"
    "                      HTML page with the scatter, the front and every row (each\n"
    "                      number tied to its row and column of the file). Run again\n"
    "                      on a finished file, it maps nothing and writes the page.\n"
    "  --threads T         points mapped at once in this process (default: one per\n"
    "                      CPU; 1 per rank under mpirun); the rows do not depend on it\n"
    "  --budget SECONDS    stop searching a layer shape after this long (default 2);\n"
    "                      none: every search runs until its best is proven. Rows are\n"
    "                      reproducible only when every search completes.\n\n"
    "Exit codes: 0 the sweep finished (rows may still say unmapped, invalid or\n"
    "pruned), 2 usage, 3 bad spec or output file, 4 internal.\n";

#define SWEEP_DEFAULT_BUDGET 2.0

size_t sweep_take(sweep_run *r)
{
    pthread_mutex_lock(&r->lock);
    size_t i = SIZE_MAX;
    while (!r->failed && r->next < r->spec->npoints) {
        size_t k = r->next++;
        if (!r->file || !petal_sweep_output_has(r->file, k)) {
            i = k;
            break;
        }
    }
    pthread_mutex_unlock(&r->lock);
    return i;
}

petal_status sweep_compute(sweep_run *r, petal_sweep_memo *memo, size_t i, char **text)
{
    size_t per = petal_sweep_rows_per_point(r->spec);
    petal_sweep_row *rows = calloc(per, sizeof *rows);
    if (!rows)
        return PETAL_ENOMEM;
    petal_status st = petal_sweep_run_point(r->spec, i, &r->opt, memo, rows);
    if (!st)
        st = petal_sweep_rows_text(r->spec, rows, text);
    free(rows);
    return st;
}

static void draw_progress(sweep_run *r)
{
    double t = petal_seconds() - r->start;
    double rate = t > 0 ? (double)r->finished / t : 0;
    double left = rate > 0 ? (double)(r->todo - r->finished) / rate : 0;
    fprintf(stderr, "\rsweep: %zu/%zu points, %.2f points/s, %.0f s left   ", r->finished, r->todo,
            rate, left);
    if (r->finished == r->todo)
        fputc('\n', stderr);
    fflush(stderr);
}

petal_status sweep_deliver(sweep_run *r, size_t i, char *text)
{
    pthread_mutex_lock(&r->lock);
    petal_status st = PETAL_OK;
    if (r->file) {
        st = petal_sweep_output_add(r->file, i, text);
        free(text);
    } else {
        r->pending[i] = text;
    }
    r->finished++;
    if (st && !r->failed)
        r->failed = st;
    if (r->tty)
        draw_progress(r);
    pthread_mutex_unlock(&r->lock);
    return st;
}

typedef struct worker {
    sweep_run *run;
    petal_status st;
    char message[512];
    uint64_t asked, searched;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    petal_sweep_memo *memo;
    w->st = petal_sweep_memo_new(&memo);
    for (size_t i; !w->st && (i = sweep_take(w->run)) != SIZE_MAX;) {
        char *text = NULL;
        w->st = sweep_compute(w->run, memo, i, &text);
        if (!w->st)
            w->st = sweep_deliver(w->run, i, text);
    }
    if (w->st) {
        /* Messages are per thread: keep this one for the caller. */
        snprintf(w->message, sizeof w->message, "%s", petal_error_message());
        pthread_mutex_lock(&w->run->lock);
        if (!w->run->failed)
            w->run->failed = w->st;
        pthread_mutex_unlock(&w->run->lock);
    }
    petal_sweep_memo_counts(memo, &w->asked, &w->searched);
    petal_sweep_memo_free(memo);
    return NULL;
}

petal_status sweep_local(sweep_run *r, unsigned threads)
{
    if (threads < 1)
        threads = 1;
    worker *ws = calloc(threads, sizeof *ws);
    pthread_t *ids = calloc(threads, sizeof *ids);
    if (!ws || !ids) {
        free(ws);
        free(ids);
        return PETAL_ENOMEM;
    }
    unsigned started = 0;
    for (unsigned t = 0; t < threads; t++) {
        ws[t].run = r;
        if (t > 0 && pthread_create(&ids[t], NULL, work, &ws[t]) != 0)
            break;
        started = t + 1;
    }
    work(&ws[0]); /* the calling thread is worker 0 */
    petal_status st = ws[0].st;
    const char *msg = ws[0].message;
    for (unsigned t = 1; t < started; t++) {
        pthread_join(ids[t], NULL);
        if (!st && ws[t].st) {
            st = ws[t].st;
            msg = ws[t].message;
        }
    }
    for (unsigned t = 0; t < started; t++) {
        r->asked += ws[t].asked;
        r->searched += ws[t].searched;
    }
    if (st)
        fprintf(stderr, "petal: %s\n", msg);
    free(ids);
    free(ws);
    return st;
}

/* The page of a finished sweep, from the rows of its file. */
static int write_page(sweep_run *r, const petal_sweep_row *rows, size_t nrows)
{
    FILE *f = fopen(r->report, "w");
    if (!f) {
        fprintf(stderr, "petal: %s: cannot write: %s\n", r->report, strerror(errno));
        return EXIT_PETAL_INPUT;
    }
    petal_sweep_html_input in = {r->spec, r->spec_path, r->output, r->opt.budget_seconds,
                                 rows,    nrows};
    petal_status st = petal_report_sweep_html(f, &in);
    bool closed = fclose(f) == 0;
    if (st)
        return cli_fail(st);
    if (!closed) {
        fprintf(stderr, "petal: %s: writing failed\n", r->report);
        return EXIT_PETAL_INPUT;
    }
    return EXIT_PETAL_OK;
}

int sweep_finish(sweep_run *r, const char *front, const char *svg)
{
    petal_status st = r->failed;
    int page = EXIT_PETAL_OK;
    if (r->file) {
        /* The page is drawn from the file's rows, read before it is closed. */
        petal_sweep_row *rows = NULL;
        size_t nrows = 0;
        bool all = petal_sweep_output_count(r->file) == r->spec->npoints;
        petal_status rows_st = PETAL_OK;
        if (!st && r->report && all)
            rows_st = petal_sweep_output_rows(r->file, &rows, &nrows);
        petal_status fin = petal_sweep_output_finish(r->file, st ? NULL : front, st ? NULL : svg);
        r->file = NULL;
        if (!st && fin) {
            free(rows);
            return cli_fail(fin);
        }
        if (!st && r->report)
            page = rows_st ? cli_fail(rows_st) : write_page(r, rows, nrows);
        free(rows);
    } else if (!st) {
        petal_sweep_csv_header(stdout, r->spec);
        for (size_t i = 0; i < r->spec->npoints; i++)
            if (r->pending[i])
                fputs(r->pending[i], stdout);
    }
    if (st)
        return st == PETAL_ENOMEM ? EXIT_PETAL_INTERNAL : EXIT_PETAL_INPUT;
    double share = r->asked ? 1.0 - (double)r->searched / (double)r->asked : 0;
    fprintf(stderr,
            "petal sweep: %zu points (%zu run now, %zu already in the output); shape memo: %llu "
            "of %llu searches answered from it (%.1f%%)\n",
            r->spec->npoints, r->finished, r->spec->npoints - r->todo,
            (unsigned long long)(r->asked - r->searched), (unsigned long long)r->asked,
            100.0 * share);
    return page;
}

typedef struct sweep_args {
    const char *spec, *output, *report;
    unsigned threads;
    bool threads_given;
    petal_map_options opt;
} sweep_args;

static int parse(int argc, char **argv, sweep_args *a, bool *help)
{
    *help = false;
    a->opt.budget_seconds = -2; /* not given */
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        if (cli_is_help(argv[i])) {
            *help = true;
            return EXIT_PETAL_OK;
        }
        if (cli_option(argc, argv, &i, "--threads", &value, &missing)) {
            unsigned long long t;
            if (missing || !cli_parse_u64(value, &t) || t < 1 || t > 256)
                return cli_usage_error("sweep", "--threads takes a whole number from 1 to 256");
            a->threads = (unsigned)t;
            a->threads_given = true;
            continue;
        }
        if (strcmp(argv[i], "--dataflow") == 0 || strcmp(argv[i], "--objective") == 0 ||
            strncmp(argv[i], "--dataflow=", 11) == 0 || strncmp(argv[i], "--objective=", 12) == 0)
            return cli_usage_error("sweep",
                                   "dataflows and objectives are part of the spec (its dataflow "
                                   "and objective keys), not options");
        int taken = cli_map_option("sweep", argc, argv, &i, &a->opt);
        if (taken < 0)
            return EXIT_PETAL_USAGE;
        if (taken)
            continue;
        if (cli_option(argc, argv, &i, "--output", &value, &missing) ||
            cli_option(argc, argv, &i, "-o", &value, &missing)) {
            if (missing || !value[0])
                return cli_usage_error("sweep", "-o needs a file name");
            a->output = value;
        } else if (cli_option(argc, argv, &i, "--report", &value, &missing)) {
            if (missing || !value[0])
                return cli_usage_error("sweep", "--report needs a file name");
            a->report = value;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("sweep", "unknown option '%s'", argv[i]);
        } else if (a->spec) {
            return cli_usage_error("sweep", "unexpected argument '%s' (one spec per run)", argv[i]);
        } else {
            a->spec = argv[i];
        }
    }
    if (!a->spec)
        return cli_usage_error("sweep", "needs a spec file: petal sweep SPEC.yaml");
    if (a->report && !a->output)
        return cli_usage_error("sweep", "--report draws the page from the results file: give "
                                        "-o RESULTS.csv too");
    if (a->opt.budget_seconds == -2)
        a->opt.budget_seconds = SWEEP_DEFAULT_BUDGET;
    return EXIT_PETAL_OK;
}

/* FILE.csv -> FILE.front.csv and FILE.svg. */
static char *beside(const char *output, const char *suffix)
{
    size_t n = strlen(output);
    if (n > 4 && strcmp(output + n - 4, ".csv") == 0)
        n -= 4;
    char *p = malloc(n + strlen(suffix) + 1);
    if (p) {
        memcpy(p, output, n);
        strcpy(p + n, suffix);
    }
    return p;
}

petal_status sweep_open(sweep_run *r, const char *output, uint64_t fingerprint)
{
    if (output) {
        petal_status st = petal_sweep_output_open(output, r->spec, fingerprint, &r->file);
        if (st)
            return st;
        r->todo = r->spec->npoints - petal_sweep_output_count(r->file);
    } else {
        r->pending = calloc(r->spec->npoints ? r->spec->npoints : 1, sizeof *r->pending);
        if (!r->pending)
            return PETAL_ENOMEM;
        r->todo = r->spec->npoints;
    }
    return PETAL_OK;
}

int cmd_sweep(int argc, char **argv)
{
    sweep_args a;
    memset(&a, 0, sizeof a);
    cli_map_defaults(&a.opt);
    a.threads = a.opt.threads;
    bool help;
    int code = parse(argc, argv, &a, &help);
    if (code || help) {
        if (help)
            printf("%s", sweep_help);
        return code;
    }
    static petal_sweep_spec spec;
    petal_status st = petal_sweep_spec_load(a.spec, &spec);
    if (st)
        return cli_fail(st);
    if (a.report && spec.nfractions) {
        petal_sweep_spec_free(&spec);
        return cli_usage_error("sweep", "--report draws a front, and a NetAdapt table has none "
                                        "(its rows are layers, not designs)");
    }
    uint64_t fp = 0;
    if ((st = petal_sweep_fingerprint(a.spec, a.opt.budget_seconds, &fp))) {
        petal_sweep_spec_free(&spec);
        return cli_fail(st);
    }
    sweep_run r;
    memset(&r, 0, sizeof r);
    r.spec = &spec;
    r.spec_path = a.spec;
    r.output = a.output;
    r.report = a.report;
    r.opt = a.opt;
    r.opt.threads = 1;
    pthread_mutex_init(&r.lock, NULL);
    char *front = a.output ? beside(a.output, ".front.csv") : NULL;
    char *svg = a.output ? beside(a.output, ".svg") : NULL;
    if (sweep_mpi_launched()) {
        code = sweep_mpi_main(&r, a.threads_given ? a.threads : 1, a.output, fp, front, svg);
    } else if ((st = sweep_open(&r, a.output, fp))) {
        code = cli_fail(st);
    } else {
        r.tty = isatty(fileno(stderr));
        r.start = petal_seconds();
        if (r.tty && r.todo)
            draw_progress(&r);
        sweep_local(&r, a.threads);
        code = sweep_finish(&r, front, svg);
    }
    for (size_t i = 0; r.pending && i < spec.npoints; i++)
        free(r.pending[i]);
    free(r.pending);
    free(front);
    free(svg);
    pthread_mutex_destroy(&r.lock);
    petal_sweep_spec_free(&spec);
    return code;
}
