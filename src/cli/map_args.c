/* map_args.c - parsing the search options of `petal map` and `petal eval`. */
#include "cli/map_args.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "petal/formats.h"

const char cli_map_help[] =
    "Search:\n"
    "  --dataflow D           ws, os, is, rs, nlr, or the ISCA 2016 study's os_a, os_b,\n"
    "                         os_c (docs/dataflows.md); default: the whole\n"
    "                         mapspace\n"
    "  --objective O          energy (default), delay (cycles) or edp\n"
    "  --threads T            search threads (default: one per CPU); the answer does not\n"
    "                         depend on it\n"
    "  --effort N             stop searching a layer after about N partial mappings\n"
    "                         bounded and complete ones evaluated (suffix k or M), and\n"
    "                         report the gap between the best mapping found and the\n"
    "                         proven lower bound; the same answer on any machine and\n"
    "                         thread count (default 2M; none: search until the best\n"
    "                         is proven)\n"
    "  --budget SECONDS       a time limit per layer on top of the effort, a safety net:\n"
    "                         a search it cuts says so and depends on the machine\n"
    "                         (default none)\n";

void cli_map_defaults(petal_map_options *o)
{
    petal_map_options_init(o);
    o->effort = PETAL_MAP_DEFAULT_EFFORT;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->threads = cpus > 0 ? (unsigned)(cpus < 64 ? cpus : 64) : 1;
}

/* A whole number of at least 1, with an optional k (10^3) or M (10^6). */
bool cli_parse_effort(const char *text, uint64_t *out)
{
    char digits[32];
    size_t n = strlen(text);
    uint64_t scale = 1;
    if (n > 0 && (text[n - 1] == 'k' || text[n - 1] == 'M')) {
        scale = text[n - 1] == 'k' ? 1000 : 1000000;
        n--;
    }
    if (n == 0 || n >= sizeof digits)
        return false;
    memcpy(digits, text, n);
    digits[n] = '\0';
    unsigned long long v;
    if (!cli_parse_u64(digits, &v) || v == 0 || v > UINT64_MAX / scale)
        return false;
    *out = (uint64_t)v * scale;
    return true;
}

int cli_map_option(const char *cmd, int argc, char **argv, int *i, petal_map_options *o)
{
    const char *value;
    bool missing;
    if (cli_option(argc, argv, i, "--dataflow", &value, &missing)) {
        if (missing || !petal_dataflow_known(value)) {
            char known[160];
            petal_dataflow_names(known, sizeof known);
            cli_usage_error(cmd, "--dataflow takes one of %s (docs/dataflows.md)", known);
            return -1;
        }
        o->dataflow = value;
        return 1;
    }
    if (cli_option(argc, argv, i, "--objective", &value, &missing)) {
        if (missing || !petal_objective_parse(value, &o->objective)) {
            cli_usage_error(cmd, "--objective takes energy, delay or edp");
            return -1;
        }
        return 1;
    }
    if (cli_option(argc, argv, i, "--threads", &value, &missing)) {
        unsigned long long t;
        if (missing || !cli_parse_u64(value, &t) || t == 0 || t > 256) {
            cli_usage_error(cmd, "--threads takes a whole number from 1 to 256");
            return -1;
        }
        o->threads = (unsigned)t;
        return 1;
    }
    if (cli_option(argc, argv, i, "--effort", &value, &missing)) {
        if (!missing && strcmp(value, "none") == 0) {
            o->effort = 0;
            return 1;
        }
        if (missing || !cli_parse_effort(value, &o->effort)) {
            cli_usage_error(cmd, "--effort takes a whole number of at least 1 (suffix k or M), "
                                 "or none");
            return -1;
        }
        return 1;
    }
    if (cli_option(argc, argv, i, "--budget", &value, &missing)) {
        if (!missing && strcmp(value, "none") == 0) {
            o->budget_seconds = -1;
            return 1;
        }
        char *end = NULL;
        double b = missing ? -1 : strtod(value, &end);
        if (missing || end == value || *end != '\0' || !(b >= 0) || b > 1e9) {
            cli_usage_error(cmd, "--budget takes a number of seconds (0 or more) or none");
            return -1;
        }
        o->budget_seconds = b;
        return 1;
    }
    return 0;
}

/* A preset's own constraints (tpu-like), the architecture file's, then the
 * --constraints file's. The
 * files are read again for every layer; their warnings (unknown keys) are
 * shown once: the architecture file's when it loaded, the --constraints
 * file's on its first read. */
static int constraints_for(void *ctx, const petal_problem *p, const petal_arch *a,
                           petal_constraints *c)
{
    cli_constraint_files *files = ctx;
    petal_status st = PETAL_OK;
    if (files->preset)
        st = petal_arch_preset_constraints(files->preset, p, a, c);
    if (st)
        return st;
    petal_set_warning_handler(NULL, NULL);
    if (files->arch)
        st = petal_constraints_load_yaml(files->arch, p, a, c);
    if (files->reads++ == 0)
        petal_set_warning_handler(cli_print_warning, NULL);
    if (!st && files->constraints)
        st = petal_constraints_load_yaml(files->constraints, p, a, c);
    petal_set_warning_handler(cli_print_warning, NULL);
    return st;
}

static bool yaml_path(const char *path)
{
    size_t n = strlen(path);
    return (n > 5 && strcasecmp(path + n - 5, ".yaml") == 0) ||
           (n > 4 && strcasecmp(path + n - 4, ".yml") == 0);
}

void cli_map_constraints(petal_map_options *o, cli_constraint_files *files, const char *arch,
                         const char *constraints)
{
    files->arch = arch && yaml_path(arch) ? arch : NULL;
    /* A built-in architecture whose wiring fixes its dataflow (tpu-like). */
    files->preset = arch && !files->arch && petal_arch_preset_has_constraints(arch) ? arch : NULL;
    files->constraints = constraints;
    files->reads = 0;
    if (files->arch || files->preset || files->constraints) {
        o->constraints_for = constraints_for;
        o->constraints_ctx = files;
    }
}
