/* cli/spec_args.h - the options naming one layer on one architecture with one
 * mapping, in petal's files (--net NAME|FILE --layer NAME|INDEX --arch
 * NAME|FILE --mapping FILE) or Timeloop's (cli/timeloop_args.h), and loading
 * them; shared by `petal model` and `petal sim`. */
#ifndef PETAL_CLI_SPEC_ARGS_H
#define PETAL_CLI_SPEC_ARGS_H

#include "cli/timeloop_args.h"

typedef struct cli_spec_args {
    const char *net, *layer;
    cli_timeloop_args tl; /* --arch and --mapping are kept here in both forms */
} cli_spec_args;

/* 1 when argv[*i] is one of the options (stored, *i advanced), 0 when it is
 * not, -1 after printing a usage error. */
int cli_spec_option(const char *cmd, int argc, char **argv, int *i, cli_spec_args *a);

/* Read the layer, architecture and mapping into *spec; on failure print why
 * and return the exit code (EXIT_PETAL_OK on success). */
int cli_spec_load(const char *cmd, const cli_spec_args *a, petal_timeloop_spec *spec);

#endif
