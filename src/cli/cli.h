/* cli/cli.h - what the petal command's subcommands share: exit codes, option
 * helpers and output formats. The command only parses arguments and calls the
 * library; every number it prints comes from libpetal. */
#ifndef PETAL_CLI_H
#define PETAL_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "petal/error.h"
#include "petal/problem.h"

/* Exit codes, documented in docs/cli.md. */
enum {
    EXIT_PETAL_OK = 0,
    EXIT_PETAL_NO_MAPPING = 1, /* ran, but a mapping is invalid or none exists */
    EXIT_PETAL_USAGE = 2,      /* bad flags or arguments */
    EXIT_PETAL_INPUT = 3,      /* bad input: a file, spec, name or value */
    EXIT_PETAL_INTERNAL = 4,   /* out of memory or a bug */
};

typedef enum { FORMAT_TEXT, FORMAT_JSON, FORMAT_CSV, FORMAT_TIMELOOP } cli_format;

/* A subcommand: argv[0] is its own name. */
typedef int (*cli_command_fn)(int argc, char **argv);

int cmd_net(int argc, char **argv);
int cmd_arch(int argc, char **argv);
int cmd_mapping(int argc, char **argv);
int cmd_model(int argc, char **argv);
int cmd_sim(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_study(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_eyexam(int argc, char **argv);
int cmd_sheet(int argc, char **argv);

/* Print "petal: <message>" for the last library error and return the exit code
 * that its status maps to. */
int cli_fail(petal_status status);

/* The library's warnings, as "petal: warning: <message>" on standard error
 * (the handler main installs). */
void cli_print_warning(const char *message, void *ctx);

/* Print "petal <cmd>: <message>" and a hint to run --help; returns EXIT_PETAL_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse a --format value from the allowed set (a mask of 1 << cli_format). */
bool cli_parse_format(const char *value, unsigned allowed, cli_format *out);

/* Parse a positive integer option value. */
bool cli_parse_u64(const char *value, unsigned long long *out);

/* True when argv[i] is "--name"; takes its value from "--name=V" or argv[i+1]
 * (advancing *i). Sets *missing when the value is absent. */
bool cli_option(int argc, char **argv, int *i, const char *name, const char **value, bool *missing);

bool cli_is_help(const char *arg);

/* What a command evaluates: --net NAME|FILE, --layer NAME|INDEX, --arch
 * NAME|FILE and --batch B, the options the commands share. A NULL field is an
 * option the command does not take. arch_list: --arch names several,
 * separated by commas (petal sheet). */
typedef struct cli_workload_args {
    const char **net, **layer, **arch;
    unsigned long long *batch;
    bool arch_list;
} cli_workload_args;

/* --accuracy X, printed on the benchmark sheet as given (petal does not
 * measure it): a finite number of 0 or more. 1 when argv[*i] is it (stored in
 * *value, *given set, *i advanced), 0 when not, -1 after a usage error. */
int cli_accuracy_option(const char *cmd, int argc, char **argv, int *i, bool *given, double *value);

/* 1 when argv[*i] is one of the options w has room for (stored, *i
 * advanced), 0 when not, -1 after printing a usage error. */
int cli_workload_option(const char *cmd, int argc, char **argv, int *i, const cli_workload_args *w);

/* --precision LIST (Weights=8,Inputs=8,Outputs=16,Psums=24; docs/precision.md):
 * 1 when argv[*i] is it (parsed into *out, *i advanced), 0 when not, -1
 * after printing a usage error. cli_precision_help is its --help line. */
int cli_precision_option(const char *cmd, int argc, char **argv, int *i, petal_precision *out);
extern const char cli_precision_help[];

/* Densities from the command line (docs/densities.md): --density LIST
 * (Weights=0.35,Inputs=hypergeometric:0.6), which every layer takes, and
 * --density-profile FILE, which names layers. */
typedef struct cli_density_args {
    petal_density density[PETAL_NUM_DS]; /* --density; not given: all zero */
    const char *profile;                 /* --density-profile, or NULL */
} cli_density_args;

/* 1 when argv[*i] is --density or --density-profile (stored in *out, *i
 * advanced), 0 when not, -1 after printing a usage error.
 * cli_density_help is their --help lines. */
int cli_density_option(const char *cmd, int argc, char **argv, int *i, cli_density_args *out);
extern const char cli_density_help[];

struct petal_network;

/* Give net's layers the densities of *a: the profile's first, then
 * --density's over them. Returns the exit code (a bad profile prints why). */
int cli_density_apply(const cli_density_args *a, struct petal_network *net);

#endif
