/* cmd_study.c - `petal study eyeriss-v1` and `petal study dataflows`: the
 * reproductions of published Eyeriss results (docs/eyeriss.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/map_args.h"
#include "petal/study.h"

static const char study_help[] =
    "usage: petal study eyeriss-v1 [--format text|json|svg] [--mappings]\n"
    "                              [--json FILE] [--svg FILE]\n"
    "       petal study dataflows [--batch N] [--threads T] [--effort N]\n"
    "                             [--budget SECONDS] [--save DIR | --from DIR] [--format "
    "text|json|svg]\n"
    "                             [--mappings] [--json FILE] [--svg FILE]\n\n"
    "eyeriss-v1  the Eyeriss v1 chip (JSSC 2017) running AlexNet (alexnet-2012) CONV1-5\n"
    "            at batch 4 with the chip's row-stationary mapping (whose parameters\n"
    "            give the chip's active PEs: an input, not a result): MACs,\n"
    "            processing latency, global-buffer and DRAM traffic, each beside the\n"
    "            published figure with the error in percent.\n"
    "dataflows   the ISCA 2016 comparison: WS, OS_A, OS_B, OS_C, NLR and RS on 256 PEs\n"
    "            of equal storage area (eyeriss-256 variants), AlexNet CONV and FC layers,\n"
    "            energy per MAC (in MAC energies) by level and by data type.\n\n"
    "options:\n"
    "  --format F       text (default), json, or svg (bar charts, docs/img/)\n"
    "  --json FILE      also write the JSON to FILE (one run, several outputs)\n"
    "  --svg FILE       also write the SVG chart to FILE\n"
    "  --mappings       print the mappings as loop nests instead: eyeriss-v1, the chip's\n"
    "                   mapping of each layer; dataflows, each layer's best mapping\n"
    "  --batch N        dataflows: images per batch (default 16)\n"
    "  --threads T      dataflows: mapper threads (default 1; the answer does not depend on it)\n"
    "  --effort N       dataflows: stop each layer's search after about N partial\n"
    "                   mappings bounded plus mappings evaluated (suffix k or M); the\n"
    "                   answer is then the same on any machine\n"
    "  --budget S       dataflows: mapper time limit per layer and dataflow in seconds\n"
    "                   (a safety net: the answer then depends on the machine)\n"
    "                   (default for both: none, every search completes and is optimal)\n"
    "  --save DIR       dataflows: keep the search's results (mappings, bounds) in DIR\n"
    "  --from DIR       dataflows: no search: evaluate the mappings saved in DIR again\n"
    "                   (docs/data holds the ones docs/eyeriss.md shows)\n";

typedef struct study_options {
    petal_study_format fmt;
    bool mappings;
    unsigned long long batch, threads;
    uint64_t effort;
    double budget;
    const char *json_path, *svg_path;
    const char *save_dir, *from_dir;
    bool search_options; /* --batch, --threads, --effort or --budget given */
} study_options;

/* text, json or svg */
static bool parse_format(const char *value, petal_study_format *out)
{
    if (!value)
        return false;
    if (strcmp(value, "svg") == 0) {
        *out = PETAL_STUDY_SVG;
        return true;
    }
    cli_format f;
    if (!cli_parse_format(value, 1u << FORMAT_TEXT | 1u << FORMAT_JSON, &f))
        return false;
    *out = f == FORMAT_JSON ? PETAL_STUDY_JSON : PETAL_STUDY_TEXT;
    return true;
}

/* An option only `petal study dataflows` takes (as --NAME or --NAME=VALUE). */
static bool dataflows_only_option(const char *arg)
{
    static const char *const names[] = {"--batch",  "--threads", "--effort",
                                        "--budget", "--save",    "--from"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t n = strlen(names[k]);
        if (strncmp(arg, names[k], n) == 0 && (arg[n] == '\0' || arg[n] == '='))
            return true;
    }
    return false;
}

/* Parse the options of one study; the mapper's options only when `search`.
 * Returns -1 to go on, else an exit code. */
static int parse_options(int argc, char **argv, bool search, study_options *o)
{
    *o = (study_options){PETAL_STUDY_TEXT, false, 16, 1, 0, -1, NULL, NULL, NULL, NULL, false};
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        if (cli_is_help(argv[i])) {
            fputs(study_help, stdout);
            return EXIT_PETAL_OK;
        } else if (strcmp(argv[i], "--mappings") == 0) {
            o->mappings = true;
        } else if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            if (missing || !parse_format(value, &o->fmt))
                return cli_usage_error("study", "--format takes text, json or svg");
        } else if (cli_option(argc, argv, &i, "--json", &value, &missing)) {
            if (missing || !*value)
                return cli_usage_error("study", "--json takes a file name");
            o->json_path = value;
        } else if (cli_option(argc, argv, &i, "--svg", &value, &missing)) {
            if (missing || !*value)
                return cli_usage_error("study", "--svg takes a file name");
            o->svg_path = value;
        } else if (search && cli_option(argc, argv, &i, "--save", &value, &missing)) {
            if (missing || !*value)
                return cli_usage_error("study", "--save takes a directory");
            o->save_dir = value;
        } else if (search && cli_option(argc, argv, &i, "--from", &value, &missing)) {
            if (missing || !*value)
                return cli_usage_error("study", "--from takes a directory");
            o->from_dir = value;
        } else if (search && cli_option(argc, argv, &i, "--batch", &value, &missing)) {
            o->search_options = true;
            if (missing || !cli_parse_u64(value, &o->batch) || o->batch == 0 || o->batch > 1u << 20)
                return cli_usage_error("study", "--batch takes a whole number from 1 to %u",
                                       1u << 20);
        } else if (search && cli_option(argc, argv, &i, "--threads", &value, &missing)) {
            o->search_options = true;
            if (missing || !cli_parse_u64(value, &o->threads) || o->threads == 0 ||
                o->threads > 1024)
                return cli_usage_error("study", "--threads takes a whole number from 1 to 1024");
        } else if (search && cli_option(argc, argv, &i, "--effort", &value, &missing)) {
            o->search_options = true;
            if (missing || !cli_parse_effort(value, &o->effort))
                return cli_usage_error("study", "--effort takes a whole number of at least 1 "
                                                "(suffix k or M)");
        } else if (search && cli_option(argc, argv, &i, "--budget", &value, &missing)) {
            o->search_options = true;
            char *end = NULL;
            o->budget = missing ? -1 : strtod(value, &end);
            if (missing || end == value || *end != '\0' || !(o->budget > 0))
                return cli_usage_error("study", "--budget takes a positive number of seconds");
        } else if (!search && dataflows_only_option(argv[i])) {
            return cli_usage_error("study",
                                   "%s is an option of 'petal study dataflows'; eyeriss-v1 "
                                   "runs the chip's mapping at batch 4 and searches nothing",
                                   argv[i]);
        } else {
            return cli_usage_error("study", "unexpected argument '%s'", argv[i]);
        }
    }
    if (o->mappings && o->fmt != PETAL_STUDY_TEXT)
        return cli_usage_error("study", "--mappings prints loop nests as text only");
    if (o->from_dir && (o->save_dir || o->search_options))
        return cli_usage_error("study", "--from replays saved results: it takes no --save, "
                                        "--batch, --threads, --effort or --budget");
    return -1;
}

typedef petal_status (*write_fn)(FILE *out, const void *study, petal_study_format fmt);

static petal_status write_eyeriss(FILE *out, const void *s, petal_study_format fmt)
{
    return petal_study_eyeriss_v1_write(out, s, fmt);
}

static petal_status write_dataflows(FILE *out, const void *s, petal_study_format fmt)
{
    return petal_study_dataflows_write(out, s, fmt);
}

/* Write one more output to a file; a file that cannot be written is bad input. */
static int write_file(const char *path, write_fn fn, const void *s, petal_study_format fmt)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "petal: %s: cannot write: %s\n", path, strerror(errno));
        return EXIT_PETAL_INPUT;
    }
    petal_status st = fn(f, s, fmt);
    if (fclose(f) != 0 && !st) {
        fprintf(stderr, "petal: %s: cannot write: %s\n", path, strerror(errno));
        return EXIT_PETAL_INPUT;
    }
    return st ? cli_fail(st) : EXIT_PETAL_OK;
}

/* The main output on stdout, then the extra files. */
static int write_outputs(const study_options *o, write_fn fn, const void *s)
{
    petal_status st = fn(stdout, s, o->fmt);
    if (st)
        return cli_fail(st);
    int rc = EXIT_PETAL_OK;
    if (o->json_path)
        rc = write_file(o->json_path, fn, s, PETAL_STUDY_JSON);
    if (rc == EXIT_PETAL_OK && o->svg_path)
        rc = write_file(o->svg_path, fn, s, PETAL_STUDY_SVG);
    return rc;
}

static int study_eyeriss_v1(int argc, char **argv)
{
    study_options o;
    int rc = parse_options(argc, argv, false, &o);
    if (rc >= 0)
        return rc;
    if (o.mappings) {
        petal_status st = petal_study_eyeriss_v1_mappings(stdout);
        return st ? cli_fail(st) : EXIT_PETAL_OK;
    }
    petal_eyeriss_study *s = malloc(sizeof *s);
    if (!s) {
        fputs("petal: out of memory\n", stderr);
        return EXIT_PETAL_INTERNAL;
    }
    petal_status st = petal_study_eyeriss_v1(s);
    rc = st ? cli_fail(st) : write_outputs(&o, write_eyeriss, s);
    free(s);
    return rc;
}

static int study_dataflows(int argc, char **argv)
{
    study_options o;
    int rc = parse_options(argc, argv, true, &o);
    if (rc >= 0)
        return rc;
    petal_dataflow_study *s = malloc(sizeof *s);
    if (!s) {
        fputs("petal: out of memory\n", stderr);
        return EXIT_PETAL_INTERNAL;
    }
    petal_status st =
        o.from_dir ? petal_study_dataflows_load(o.from_dir, s)
                   : petal_study_dataflows(o.batch, (unsigned)o.threads, o.effort, o.budget, s);
    if (!st && o.save_dir)
        st = petal_study_dataflows_save(s, o.save_dir);
    if (st)
        rc = cli_fail(st);
    else if (o.mappings)
        rc = (st = petal_study_dataflows_mappings(stdout, s)) ? cli_fail(st) : EXIT_PETAL_OK;
    else
        rc = write_outputs(&o, write_dataflows, s);
    free(s);
    return rc;
}

int cmd_study(int argc, char **argv)
{
    if (argc < 2) {
        fputs(study_help, stderr);
        return EXIT_PETAL_USAGE;
    }
    if (cli_is_help(argv[1])) {
        fputs(study_help, stdout);
        return EXIT_PETAL_OK;
    }
    if (strcmp(argv[1], "eyeriss-v1") == 0)
        return study_eyeriss_v1(argc - 1, argv + 1);
    if (strcmp(argv[1], "dataflows") == 0)
        return study_dataflows(argc - 1, argv + 1);
    return cli_usage_error("study", "unknown study '%s' (expected eyeriss-v1 or dataflows)",
                           argv[1]);
}
