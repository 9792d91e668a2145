/* cli/sweep_run.h - what `petal sweep` shares between its single-process run and
 * its Open MPI run: the points still to do, handed out one at a time, and the
 * place each finished point's rows go (the output file, or memory until they can
 * be printed in point order). */
#ifndef PETAL_CLI_SWEEP_RUN_H
#define PETAL_CLI_SWEEP_RUN_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "petal/sweep.h"

typedef struct sweep_run {
    const petal_sweep_spec *spec;
    petal_map_options opt;    /* one search thread: the points are the parallelism */
    petal_sweep_output *file; /* NULL: rows go to stdout at the end */
    char **pending;           /* without a file: each point's rows, printed in order */
    size_t next;              /* the next point to consider handing out */
    size_t todo, finished;    /* points this run does, and has done */
    uint64_t asked, searched; /* the shape memos' counts, summed */
    double start;
    bool tty;
    petal_status failed;   /* the first failure: nothing more is handed out */
    const char *spec_path; /* as given on the command line */
    const char *output;    /* the results file, or NULL */
    const char *report;    /* --report: the HTML page, or NULL */
    pthread_mutex_t lock;
} sweep_run;

/* The next point not yet done, or SIZE_MAX when none is left (or after a failure). */
size_t sweep_take(sweep_run *r);

/* Rows of point i, run with memo (the caller frees the text). */
petal_status sweep_compute(sweep_run *r, petal_sweep_memo *memo, size_t i, char **text);

/* A finished point: its rows to the file or memory, the progress line redrawn.
 * Takes the text. */
petal_status sweep_deliver(sweep_run *r, size_t i, char *text);

/* Run `threads` workers in this process, taking and delivering points, until
 * none is left; add their memo counts to r. */
petal_status sweep_local(sweep_run *r, unsigned threads);

/* Open (resume) the output file, or make room for the rows in memory without
 * one; sets r->todo. */
petal_status sweep_open(sweep_run *r, const char *output, uint64_t fingerprint);

/* Whether this process was started by mpirun (or another MPI launcher), and the
 * run under MPI (cmd_sweep_mpi.c): rank 0 deals points to the ranks as they
 * become free and computes with `threads` threads of its own; the others compute.
 * Returns the exit code. Without Open MPI in the build, a launch of more than one
 * rank is refused. */
bool sweep_mpi_launched(void);
int sweep_mpi_main(sweep_run *r, unsigned threads, const char *output, uint64_t fingerprint,
                   const char *front, const char *svg);

/* What the single-process and the MPI runs do at the end: print or finish the
 * output, write the HTML page (--report) from the finished file, say what the
 * memo saved; returns the exit code. */
int sweep_finish(sweep_run *r, const char *front, const char *svg);

#endif
