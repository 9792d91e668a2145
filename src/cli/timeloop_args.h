/* cli/timeloop_args.h - the command-line options that name Timeloop inputs,
 * shared by the subcommands that take a problem, an architecture and a mapping
 * (petal model, petal sim, petal map):
 *   --problem P.yaml --arch A.yaml [--mapping M.yaml] [--constraints C.yaml]
 *   [--ert ERT.yaml] [--art ART.yaml] [--sparse-opts S.yaml]
 *   --timeloop FILE.yaml   (one file with several parts, such as Timeloop's
 *                           parsed-processed-input.yaml; the options above
 *                           replace its parts, e.g. --mapping with
 *                           timeloop-mapper.map.yaml)
 * A subcommand offers argv[i] to cli_timeloop_option before its own options,
 * then asks cli_timeloop_selected whether the input is Timeloop's; when it is
 * not (say --arch names a preset), it reads files.arch and files.mapping its
 * own way. */
#ifndef PETAL_CLI_TIMELOOP_ARGS_H
#define PETAL_CLI_TIMELOOP_ARGS_H

#include <stdbool.h>

#include "petal/timeloop.h"

typedef struct cli_timeloop_args {
    petal_timeloop_files files;
} cli_timeloop_args;

/* Lines for a subcommand's --help. */
extern const char cli_timeloop_help[];

/* 1 when argv[*i] is one of the options above (its value is stored and *i
 * advanced), 0 when it is not, -1 after printing a usage error (a missing
 * value, an option given twice). */
int cli_timeloop_option(const char *cmd, int argc, char **argv, int *i, cli_timeloop_args *t);

/* Timeloop input: --timeloop, --problem, --ert, --art or --sparse-opts was given, or --arch
 * names a Timeloop architecture file. (--constraints goes with either.) */
bool cli_timeloop_selected(const cli_timeloop_args *t);

/* Read the inputs into *spec; on failure print the library's message and
 * return the exit code (EXIT_PETAL_OK on success). A missing mapping is an
 * error only when need_mapping is set. */
int cli_timeloop_load(const char *cmd, const cli_timeloop_args *t, bool need_mapping,
                      petal_timeloop_spec *spec);

#endif
