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

/* 1 when argv[*i] is one of the options above (stored, *i advanced), 0 when it
 * is not, -1 after printing a usage error. */
int cli_map_option(const char *cmd, int argc, char **argv, int *i, petal_map_options *o);

#endif
