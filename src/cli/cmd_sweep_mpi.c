/* cmd_sweep_mpi.c - `mpirun -np N petal sweep`: the points spread over the ranks.
 *
 * Rank 0 deals: each rank asks for a point when it is free (its first request is
 * empty, each later one carries the rows of the point it finished), and rank 0
 * answers with the next point not yet done, or -1 to stop. Rank 0 also maps
 * points on a thread of its own; its dealing thread sleeps a millisecond between
 * polls rather than spinning in a blocking receive, so it costs no core. Rows
 * reach the output in the order they finish; finishing puts them in point order,
 * so the file is the single-process run's byte for byte. Only this file and the
 * build know about MPI. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/sweep_run.h"
#include "util/clock.h"

bool sweep_mpi_launched(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK");
}

#if !PETAL_HAVE_MPI

int sweep_mpi_main(sweep_run *r, unsigned threads, const char *output, uint64_t fingerprint,
                   const char *front, const char *svg)
{
    const char *size = getenv("OMPI_COMM_WORLD_SIZE");
    if (!size)
        size = getenv("PMI_SIZE");
    if (size && atoi(size) > 1) {
        fprintf(stderr,
                "petal: sweep: started as one of %s MPI ranks, but this petal was built "
                "without Open MPI (install libopenmpi-dev and rebuild); every rank "
                "would run the whole sweep, so none does\n",
                size);
        return EXIT_PETAL_USAGE;
    }
    petal_status st = sweep_open(r, output, fingerprint);
    if (st)
        return cli_fail(st);
    r->start = petal_seconds();
    sweep_local(r, threads);
    return sweep_finish(r, front, svg);
}

#else

#include <mpi.h>
#include <pthread.h>

enum { TAG_ASK = 1, TAG_POINT = 2 };

typedef struct local_job {
    sweep_run *run;
    unsigned threads;
} local_job;

static void *local_points(void *arg)
{
    local_job *j = arg;
    sweep_local(j->run, j->threads);
    return NULL;
}

static int deal(sweep_run *r, int size, unsigned threads, const char *output, uint64_t fingerprint,
                const char *front, const char *svg)
{
    petal_status open_st = sweep_open(r, output, fingerprint);
    if (open_st) {
        cli_fail(open_st);
        r->failed = open_st; /* every rank is told to stop at once */
    }
    r->start = petal_seconds();
    local_job job = {r, threads};
    pthread_t local;
    bool started = !open_st && pthread_create(&local, NULL, local_points, &job) == 0;
    int active = size - 1;
    while (active > 0) {
        int flag = 0;
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_ASK, MPI_COMM_WORLD, &flag, &status);
        if (!flag) {
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, NULL);
            continue;
        }
        int count = 0;
        MPI_Get_count(&status, MPI_BYTE, &count);
        char *msg = malloc((size_t)count + 1);
        if (!msg)
            MPI_Abort(MPI_COMM_WORLD, EXIT_PETAL_INTERNAL);
        MPI_Recv(msg, count, MPI_BYTE, status.MPI_SOURCE, TAG_ASK, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        msg[count] = '\0';
        int64_t done;
        memcpy(&done, msg, sizeof done);
        if (done >= 0) {
            size_t len = (size_t)count - sizeof done;
            char *text = malloc(len + 1);
            if (!text)
                MPI_Abort(MPI_COMM_WORLD, EXIT_PETAL_INTERNAL);
            memcpy(text, msg + sizeof done, len);
            text[len] = '\0';
            sweep_deliver(r, (size_t)done, text);
        }
        free(msg);
        size_t next = sweep_take(r);
        int64_t answer = next == SIZE_MAX ? -1 : (int64_t)next;
        MPI_Send(&answer, 1, MPI_INT64_T, status.MPI_SOURCE, TAG_POINT, MPI_COMM_WORLD);
        if (answer < 0)
            active--;
    }
    if (started)
        pthread_join(local, NULL);
    uint64_t mine[2] = {0, 0}, all[2] = {0, 0};
    MPI_Reduce(mine, all, 2, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    r->asked += all[0];
    r->searched += all[1];
    if (open_st)
        return open_st == PETAL_ENOMEM ? EXIT_PETAL_INTERNAL : EXIT_PETAL_INPUT;
    return sweep_finish(r, front, svg);
}

static void compute(sweep_run *r, int rank)
{
    petal_sweep_memo *memo = NULL;
    if (petal_sweep_memo_new(&memo))
        MPI_Abort(MPI_COMM_WORLD, EXIT_PETAL_INTERNAL);
    int64_t done = -1;
    char *text = NULL;
    for (;;) {
        size_t len = text ? strlen(text) : 0;
        char *msg = malloc(sizeof done + len);
        if (!msg)
            MPI_Abort(MPI_COMM_WORLD, EXIT_PETAL_INTERNAL);
        memcpy(msg, &done, sizeof done);
        if (len)
            memcpy(msg + sizeof done, text, len);
        free(text);
        text = NULL;
        MPI_Send(msg, (int)(sizeof done + len), MPI_BYTE, 0, TAG_ASK, MPI_COMM_WORLD);
        free(msg);
        int64_t point;
        MPI_Recv(&point, 1, MPI_INT64_T, 0, TAG_POINT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (point < 0)
            break;
        if (sweep_compute(r, memo, (size_t)point, &text)) {
            fprintf(stderr, "petal: sweep: rank %d, point %lld: %s\n", rank, (long long)point,
                    petal_error_message());
            MPI_Abort(MPI_COMM_WORLD, EXIT_PETAL_INTERNAL);
        }
        done = point;
    }
    uint64_t mine[2], all[2];
    petal_sweep_memo_counts(memo, &mine[0], &mine[1]);
    MPI_Reduce(mine, all, 2, MPI_UINT64_T, MPI_SUM, 0, MPI_COMM_WORLD);
    petal_sweep_memo_free(memo);
}

int sweep_mpi_main(sweep_run *r, unsigned threads, const char *output, uint64_t fingerprint,
                   const char *front, const char *svg)
{
    int provided = 0;
    MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    int code = EXIT_PETAL_OK;
    if (rank == 0) {
        r->tty = isatty(fileno(stderr));
        code = deal(r, size, threads, output, fingerprint, front, svg);
    } else {
        compute(r, rank);
    }
    /* Every rank leaves with rank 0's code, so mpirun reports the run's result. */
    MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
    MPI_Finalize();
    return code;
}

#endif
