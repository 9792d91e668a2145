/* cli/map_args.h - the search options `petal map` and `petal eval` share:
 * --dataflow D, --objective energy|delay|edp, --threads T, --effort N,
 * --budget SECONDS. */
#ifndef PETAL_CLI_MAP_ARGS_H
#define PETAL_CLI_MAP_ARGS_H

#include "petal/mapper.h"

/* Lines for a subcommand's --help. */
extern const char cli_map_help[];

/* Defaults: energy, whole mapspace, one thread per online CPU, the default
 * effort (PETAL_MAP_DEFAULT_EFFORT), no time limit. */
void cli_map_defaults(petal_map_options *o);

/* --effort's value: a whole number of at least 1, with an optional k (10^3)
 * or M (10^6); false for anything else. */
bool cli_parse_effort(const char *text, uint64_t *out);

/* 1 when argv[*i] is one of the options above (stored, *i advanced), 0 when it
 * is not, -1 after printing a usage error. */
int cli_map_option(const char *cmd, int argc, char **argv, int *i, petal_map_options *o);

/* Where the constraints of a search on a petal architecture come from: the
 * architecture file's `constraints:` and a --constraints file, each read
 * for every layer (their dimensions are the layer's). */
typedef struct cli_constraint_files {
    const char *arch;        /* a petal architecture file, or NULL (a preset) */
    const char *preset;      /* a preset with constraints of its own, or NULL */
    const char *constraints; /* --constraints FILE, or NULL */
    unsigned reads;          /* layers read for so far */
} cli_constraint_files;

/* Point o at the files (kept in *files, which must outlive the search) when
 * there is anything to read: arch when it names a .yaml/.yml file. */
void cli_map_constraints(petal_map_options *o, cli_constraint_files *files, const char *arch,
                         const char *constraints);

#endif
