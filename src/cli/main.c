/* main.c - the petal command: dispatches to one subcommand per file. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "petal/version.h"

typedef struct command {
    const char *name;
    cli_command_fn fn;
    const char *summary;
} command;

static const command commands[] = {
    {"net", cmd_net, "list the built-in networks, show a network's layers"},
    {"arch", cmd_arch, "list the built-in architectures, show an architecture's levels"},
    {"mapping", cmd_mapping, "show a mapping of a layer on an architecture as a loop nest"},
    {"model", cmd_model,
     "evaluate a mapping: accesses, energy, cycles (petal or Timeloop files); SCALE-Sim runs"},
    {"sim", cmd_sim, "run a mapping through the reference simulator and check the model"},
    {"map", cmd_map, "find the best mapping of a layer: branch and bound with a proven gap"},
    {"eval", cmd_eval, "map every layer of a network: energy, latency, throughput per layer"},
    {"sweep", cmd_sweep, "a design space: every point mapped, Pareto front, resume, Open MPI"},
    {"report", cmd_report, "the same evaluation as one self-contained HTML page with charts"},
    {"eyexam", cmd_eyexam, "bound a layer's MACs per cycle in Eyexam's seven steps"},
    {"sheet", cmd_sheet, "the benchmark sheet: a network on several architectures side by side"},
    {"study", cmd_study,
     "reproduce published Eyeriss results: the v1 chip, the dataflow comparison"},
};

static void print_usage(FILE *out)
{
    fprintf(out, "usage: petal <command> [options]\n\n"
                 "petal models DNN accelerators: energy, latency and the best mapping of each\n"
                 "layer of a network on a memory hierarchy and PE array.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'petal <command> --help' describes a command. 'petal --version' prints the "
                 "version.\nExit codes: 0 ok, 1 no valid mapping, 2 usage, 3 bad input, 4 "
                 "internal error.\n");
}

void cli_print_warning(const char *message, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "petal: warning: %s\n", message);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_PETAL_USAGE;
    }
    if (cli_is_help(argv[1])) {
        print_usage(stdout);
        return EXIT_PETAL_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("petal %s\n", petal_version());
        return EXIT_PETAL_OK;
    }
    petal_set_warning_handler(cli_print_warning, NULL);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "petal: unknown command '%s'\n\n", argv[1]);
    print_usage(stderr);
    return EXIT_PETAL_USAGE;
}
