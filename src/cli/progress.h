/* cli/progress.h - a progress bar with the time left, drawn on stderr while a
 * long job (eval, sheet, report) runs, and only when stderr is a terminal:
 * a pipe or a file never receives one. */
#ifndef PETAL_CLI_PROGRESS_H
#define PETAL_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cli_progress {
    FILE *out;    /* stderr, or NULL when it is not a terminal (nothing drawn) */
    double start; /* petal_seconds() at cli_progress_start */
    int drawn;    /* characters on the line now, to clear it */
} cli_progress;

/* Start a bar on stderr if it is a terminal (else draw nothing);
 * cli_progress_start_on draws on `out` whatever it is. */
void cli_progress_start(cli_progress *p);
void cli_progress_start_on(cli_progress *p, FILE *out);

/* Redraw: done of total steps, the step's label, and an estimate of the time
 * left (elapsed / done x (total - done)). The line is cleared when done ==
 * total. */
void cli_progress_update(cli_progress *p, size_t done, size_t total, const char *label);

/* Clear the line if anything is drawn (after an error, say). */
void cli_progress_finish(cli_progress *p);

/* petal_eval_progress_fn / petal_sheet_build's callback: ctx is a cli_progress. */
void cli_progress_callback(void *ctx, size_t done, size_t total, const char *label);

#endif
