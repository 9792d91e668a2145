/* cmd_sheet.c - `petal sheet`: the benchmark sheet. Not written yet. */
#include "cli/cli.h"

int cmd_sheet(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "petal sheet: not implemented yet\n");
    return EXIT_PETAL_INTERNAL;
}
