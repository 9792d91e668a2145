/* fuzz_common.h - what the libFuzzer harnesses of the path-taking readers share:
 * the input written to a scratch file, fixed reference specs from the shared
 * data directory, and a hard stop when a setup step or an invariant fails.
 * Header-only (static inline) so each harness stays one translation unit. */
#ifndef PETAL_FUZZ_COMMON_H
#define PETAL_FUZZ_COMMON_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "petal/arch.h"
#include "petal/error.h"
#include "petal/network.h"
#include "petal/problem.h"
#include "petal/timeloop.h"

#ifndef PETAL_SHARED_DIR
#define PETAL_SHARED_DIR "../shared"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Stop the run: a setup failure or a broken invariant is a finding. */
static inline void fuzz_die(const char *what)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, petal_error_message());
    abort();
}

static char fuzz_scratch_path[1024];
static int fuzz_scratch_fd = -1;

static inline void fuzz_scratch_remove(void)
{
    if (fuzz_scratch_fd >= 0) {
        close(fuzz_scratch_fd);
        unlink(fuzz_scratch_path);
        fuzz_scratch_fd = -1;
    }
}

/* The input as a file (one per process, removed at exit): the YAML readers
 * take a path, and reading through it is what users do. The file lives in
 * $PETAL_FUZZ_TMPDIR, else /dev/shm (a disk-backed file costs milliseconds per
 * input), else $TMPDIR or /tmp. */
static inline const char *fuzz_as_file(const uint8_t *data, size_t size)
{
    if (fuzz_scratch_fd < 0) {
        const char *dir = getenv("PETAL_FUZZ_TMPDIR");
        if (!dir || !dir[0])
            dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
        snprintf(fuzz_scratch_path, sizeof fuzz_scratch_path, "%s/petal-fuzz-XXXXXX",
                 dir && dir[0] ? dir : "/tmp");
        fuzz_scratch_fd = mkstemp(fuzz_scratch_path);
        if (fuzz_scratch_fd < 0) {
            perror("fuzz: mkstemp");
            abort();
        }
        atexit(fuzz_scratch_remove);
    }
    if (ftruncate(fuzz_scratch_fd, 0) != 0) {
        perror("fuzz: ftruncate");
        abort();
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(fuzz_scratch_fd, data + done, size - done, (off_t)done);
        if (n <= 0) {
            perror("fuzz: pwrite");
            abort();
        }
        done += (size_t)n;
    }
    return fuzz_scratch_path;
}

/* A file of the shared reference data ($PETAL_SHARED_DIR overrides the
 * directory the build was configured with). */
static inline const char *fuzz_reference(const char *relative)
{
    static char path[2048];
    const char *dir = getenv("PETAL_SHARED_DIR");
    snprintf(path, sizeof path, "%s/reference/%s", dir && dir[0] ? dir : PETAL_SHARED_DIR,
             relative);
    return path;
}

/* Read a reference Timeloop problem or architecture (fuzz_reference's path),
 * or stop: the harnesses that need a fixed context read it this way. */
static inline void fuzz_reference_problem(const char *relative, petal_problem *p)
{
    if (petal_timeloop_read_problem(fuzz_reference(relative), p) != PETAL_OK)
        fuzz_die("reading the reference problem");
}

static inline void fuzz_reference_arch(const char *relative, petal_arch *a)
{
    if (petal_timeloop_read_arch(fuzz_reference(relative), a) != PETAL_OK)
        fuzz_die("reading the reference architecture");
}

/* A fixed context from petal's own tables, or stop: layer `layer_name` of zoo
 * network `net_name`, and preset `preset`. */
static inline void fuzz_zoo_context(const char *net_name, const char *layer_name,
                                    const char *preset, petal_problem *layer, petal_arch *a)
{
    petal_network net;
    if (petal_zoo_build(net_name, &net) != PETAL_OK)
        fuzz_die("petal_zoo_build");
    const petal_problem *p = petal_network_find(&net, layer_name, NULL);
    if (!p)
        fuzz_die("the zoo network has no such layer");
    *layer = *p;
    petal_network_free(&net);
    if (petal_arch_preset(preset, a) != PETAL_OK)
        fuzz_die("petal_arch_preset");
}

/* What every architecture a reader accepts must satisfy, whatever the format:
 * it passes petal_arch_check, and its area and fan-outs can be computed. */
static inline void fuzz_check_arch(const petal_arch *a)
{
    if (petal_arch_check(a) != PETAL_OK)
        fuzz_die("a loaded architecture fails petal_arch_check");
    (void)petal_arch_area(a);
    for (int l = 0; l < a->nlevels; l++) {
        uint32_t x, y;
        (void)petal_arch_fanout(a, l, &x, &y);
        /* Neighbour forwarding only along an axis with neighbours. */
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            uint8_t f = a->levels[l].forward[s];
            if ((f == PETAL_FORWARD_X && x < 2) || (f == PETAL_FORWARD_Y && y < 2) ||
                f > PETAL_FORWARD_Y)
                fuzz_die("a loaded architecture forwards along an axis without neighbours");
        }
    }
}

#endif
