/* cmd_study.c - `petal study eyeriss-v1` and `petal study dataflows`: the
 * reproductions of published Eyeriss results (docs/eyeriss.md). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "petal/study.h"

static const char study_help[] =
    "usage: petal study eyeriss-v1 [--format text|json|svg] [--mappings]\n"
    "       petal study dataflows [--batch N] [--threads T] [--budget SECONDS]\n"
    "                             [--format text|json|svg] [--mappings]\n\n"
    "eyeriss-v1  the Eyeriss v1 chip (JSSC 2017) running AlexNet (alexnet-2012) CONV1-5\n"
    "            at batch 4 with the chip's row-stationary mapping: MACs, active PEs,\n"
    "            processing latency, global-buffer and DRAM traffic, each beside the\n"
    "            published figure with the error in percent.\n"
    "dataflows   the ISCA 2016 comparison: WS, OS_A, OS_B, OS_C, NLR and RS on 256 PEs\n"
    "            of equal storage area (eyeriss-256 variants), AlexNet CONV and FC layers,\n"
    "            energy per MAC (in MAC energies) by level and by data type.\n\n"
    "options:\n"
    "  --format F       text (default), json, or svg (bar charts, docs/img/)\n"
    "  --mappings       print the mappings as loop nests: eyeriss-v1, the chip's mapping of\n"
    "                   each layer; dataflows, each layer's best mapping per dataflow\n"
    "  --batch N        dataflows: images per batch (default 16)\n"
    "  --threads T      dataflows: mapper threads (default 1; the answer does not depend on it)\n"
    "  --budget S       dataflows: mapper time limit per layer and dataflow in seconds\n"
    "                   (default: none, every search completes)\n";

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

static int study_eyeriss_v1(int argc, char **argv)
{
    petal_study_format fmt = PETAL_STUDY_TEXT;
    bool mappings = false;
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        if (cli_is_help(argv[i])) {
            fputs(study_help, stdout);
            return EXIT_PETAL_OK;
        } else if (strcmp(argv[i], "--mappings") == 0) {
            mappings = true;
        } else if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            if (missing || !parse_format(value, &fmt))
                return cli_usage_error("study", "--format takes text, json or svg");
        } else {
            return cli_usage_error("study", "unexpected argument '%s'", argv[i]);
        }
    }
    if (mappings) {
        if (fmt != PETAL_STUDY_TEXT)
            return cli_usage_error("study", "--mappings prints loop nests as text only");
        petal_status st = petal_study_eyeriss_v1_mappings(stdout);
        return st ? cli_fail(st) : EXIT_PETAL_OK;
    }
    petal_eyeriss_study *s = malloc(sizeof *s);
    if (!s) {
        fputs("petal: out of memory\n", stderr);
        return EXIT_PETAL_INTERNAL;
    }
    petal_status st = petal_study_eyeriss_v1(s);
    if (!st)
        st = petal_study_eyeriss_v1_write(stdout, s, fmt);
    free(s);
    return st ? cli_fail(st) : EXIT_PETAL_OK;
}

static int study_dataflows(int argc, char **argv)
{
    petal_study_format fmt = PETAL_STUDY_TEXT;
    unsigned long long batch = 16, threads = 1;
    double budget = -1;
    bool mappings = false;
    for (int i = 1; i < argc; i++) {
        const char *value;
        bool missing;
        if (cli_is_help(argv[i])) {
            fputs(study_help, stdout);
            return EXIT_PETAL_OK;
        } else if (strcmp(argv[i], "--mappings") == 0) {
            mappings = true;
        } else if (cli_option(argc, argv, &i, "--format", &value, &missing)) {
            if (missing || !parse_format(value, &fmt))
                return cli_usage_error("study", "--format takes text, json or svg");
        } else if (cli_option(argc, argv, &i, "--batch", &value, &missing)) {
            if (missing || !cli_parse_u64(value, &batch) || batch == 0 || batch > 1u << 20)
                return cli_usage_error("study", "--batch takes a whole number from 1 to %u",
                                       1u << 20);
        } else if (cli_option(argc, argv, &i, "--threads", &value, &missing)) {
            if (missing || !cli_parse_u64(value, &threads) || threads == 0 || threads > 1024)
                return cli_usage_error("study", "--threads takes a whole number from 1 to 1024");
        } else if (cli_option(argc, argv, &i, "--budget", &value, &missing)) {
            char *end = NULL;
            budget = missing ? -1 : strtod(value, &end);
            if (missing || end == value || *end != '\0' || !(budget > 0))
                return cli_usage_error("study", "--budget takes a positive number of seconds");
        } else {
            return cli_usage_error("study", "unexpected argument '%s'", argv[i]);
        }
    }
    petal_dataflow_study *s = malloc(sizeof *s);
    if (!s) {
        fputs("petal: out of memory\n", stderr);
        return EXIT_PETAL_INTERNAL;
    }
    if (mappings && fmt != PETAL_STUDY_TEXT) {
        free(s);
        return cli_usage_error("study", "--mappings prints loop nests as text only");
    }
    petal_status st = petal_study_dataflows(batch, (unsigned)threads, budget, s);
    if (!st)
        st = mappings ? petal_study_dataflows_mappings(stdout, s)
                      : petal_study_dataflows_write(stdout, s, fmt);
    free(s);
    return st ? cli_fail(st) : EXIT_PETAL_OK;
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
