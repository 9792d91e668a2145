/* cli/spec_args.h - the options naming one layer on one architecture with one
 * mapping, in petal's files (--net NAME|FILE --layer NAME|INDEX --arch
 * NAME|FILE --mapping FILE) or Timeloop's (cli/timeloop_args.h), and loading
 * them; shared by `petal model` and `petal sim`, which also share --help and
 * --format and start the same way (cli_spec_start). */
#ifndef PETAL_CLI_SPEC_ARGS_H
#define PETAL_CLI_SPEC_ARGS_H

#include "cli/cli.h"
#include "cli/timeloop_args.h"

typedef struct cli_spec_args {
    const char *net, *layer;
    petal_precision precision; /* --precision, applied to the layer */
    cli_density_args density;  /* --density and --density-profile */
    cli_timeloop_args tl;      /* --arch and --mapping are kept here in both forms */
} cli_spec_args;

/* 1 when argv[*i] is one of the options (stored, *i advanced), 0 when it is
 * not, -1 after printing a usage error. */
int cli_spec_option(const char *cmd, int argc, char **argv, int *i, cli_spec_args *a);

/* Read the layer, architecture and mapping into *spec; on failure print why
 * and return the exit code (EXIT_PETAL_OK on success). */
int cli_spec_load(const char *cmd, const cli_spec_args *a, petal_timeloop_spec *spec);

/* Where one subcommand taking a spec differs from the others in its arguments. */
typedef struct cli_spec_command {
    const char *name;          /* "model", "sim": for messages */
    const char *help;          /* its --help; cli_timeloop_help is printed after it */
    unsigned formats;          /* the --format values it takes: a mask of 1 << cli_format */
    const char *formats_words; /* the same in words, for the usage error */
    /* Its own options, or NULL: 1 when argv[*i] is one (stored in *own, *i
     * advanced), 0 when it is not, -1 after printing a usage error. */
    int (*option)(const char *cmd, int argc, char **argv, int *i, void *own);
} cli_spec_command;

/* The start of such a subcommand: parse argv (--help, the options above,
 * --format into *format, then c->option into *own); on --help print the help
 * and set *help; otherwise load *spec. Returns the exit code: the subcommand
 * goes on only when it is EXIT_PETAL_OK and *help is not set. */
int cli_spec_start(const cli_spec_command *c, int argc, char **argv, cli_spec_args *a,
                   cli_format *format, void *own, petal_timeloop_spec *spec, bool *help);

#endif
