/* fuzz_sweep_output.c - libFuzzer harness for reading a sweep's results file
 * back: resuming it (petal_sweep_output_open keeps its complete points), its
 * rows as numbers (petal_sweep_output_rows) and the HTML page drawn from them
 * (petal_report_sweep_html). The spec is fixed: lenet5 (zoo) at batches 1 and 4
 * on eyeriss-256 with rf.depth, the PE array's width and whole width lists
 * varied, 8 points. An input that begins with "# petal sweep " is the whole
 * file; any other follows this spec's own first two lines, so the fuzzer
 * reaches the rows without guessing the fingerprint. Every input either opens
 * or fails with a message, and what opens keeps the readers' invariants.
 * Built by cmake/fuzz.cmake, run by tests/fuzz/run.sh. */
#include "fuzz_common.h"
#include "petal/energy.h"
#include "petal/report.h"
#include "petal/sweep.h"

static petal_sweep_spec spec;
static char path[1024], tmp_path[1040];
static char *first_lines; /* the spec's line 1 and CSV header */
static size_t first_len;
static FILE *devnull;
#define FINGERPRINT 0x0123456789abcdefULL

static void remove_files(void)
{
    unlink(path);
    unlink(tmp_path);
    if (devnull)
        fclose(devnull);
}

static void param(const char *name, petal_sweep_place place, const double *values, size_t n)
{
    petal_sweep_param *p = &spec.params[spec.nparams++];
    snprintf(p->name, sizeof p->name, "%s", name);
    p->places[p->nplaces++] = place;
    for (size_t i = 0; i < n; i++)
        p->values[p->nvalues++] = values[i];
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    petal_set_warning_handler(NULL, NULL);
    if (petal_arch_preset("eyeriss-256", &spec.arch) != PETAL_OK ||
        petal_energy_table_get("eyeriss-65nm", &spec.energy_table) != PETAL_OK ||
        petal_zoo_build("lenet5", &spec.networks[0]) != PETAL_OK)
        fuzz_die("the fixed spec");
    spec.nnetworks = 1;
    spec.batches[0] = 1, spec.batches[1] = 4, spec.nbatches = 2;
    int rf = petal_arch_level(&spec.arch, "rf");
    param("rf.depth", (petal_sweep_place){rf, PETAL_SWEEP_DEPTH, 0}, (double[]){64, 128}, 2);
    param("rf.mesh_x", (petal_sweep_place){rf, PETAL_SWEEP_MESH_X, 0}, (double[]){8, 16}, 2);
    param("precision", (petal_sweep_place){-1, PETAL_SWEEP_PRECISION, -1}, (double[]){0, 1}, 2);
    if (petal_precision_parse("Weights=8,Inputs=8", &spec.params[2].precisions[0]) ||
        petal_precision_parse("Weights=16f,Psums=32", &spec.params[2].precisions[1]) ||
        petal_sweep_spec_finish(&spec) != PETAL_OK)
        fuzz_die("the fixed spec");
    const char *dir = getenv("PETAL_FUZZ_TMPDIR");
    if (!dir || !dir[0])
        dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(path, sizeof path, "%s/petal-fuzz-sweep-%d.csv", dir, (int)getpid());
    snprintf(tmp_path, sizeof tmp_path, "%s.tmp", path);
    atexit(remove_files);
    /* The spec's own first lines: what a new output begins with. */
    unlink(path);
    petal_sweep_output *o;
    if (petal_sweep_output_open(path, &spec, FINGERPRINT, &o) != PETAL_OK)
        fuzz_die("a new output");
    petal_sweep_output_close(o);
    FILE *f = fopen(path, "rb");
    first_lines = calloc(1, 4096);
    if (!f || !first_lines)
        fuzz_die("reading the new output");
    first_len = fread(first_lines, 1, 4095, f);
    fclose(f);
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        fuzz_die("/dev/null");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fuzz_die("the scratch output");
    if (size < 14 || memcmp(data, "# petal sweep ", 14) != 0)
        fwrite(first_lines, 1, first_len, f);
    fwrite(data, 1, size, f);
    fclose(f);
    petal_sweep_output *o;
    if (petal_sweep_output_open(path, &spec, FINGERPRINT, &o) != PETAL_OK)
        return 0;
    size_t kept = petal_sweep_output_count(o), seen = 0;
    for (size_t i = 0; i < spec.npoints; i++)
        seen += petal_sweep_output_has(o, i);
    if (seen != kept || kept > spec.npoints)
        fuzz_die("the kept points and their count disagree");
    petal_sweep_row *rows;
    size_t nrows;
    if (petal_sweep_output_rows(o, &rows, &nrows) != PETAL_OK)
        fuzz_die("the rows of an output that opened");
    if (nrows != kept * petal_sweep_rows_per_point(&spec))
        fuzz_die("rows read back: not every kept point's rows");
    for (size_t i = 0; i < nrows; i++) {
        if (rows[i].point >= spec.npoints || rows[i].network >= spec.nnetworks ||
            (i && rows[i].point < rows[i - 1].point))
            fuzz_die("a row read back outside the spec, or out of point order");
        if (rows[i].on_front && rows[i].status != PETAL_SWEEP_OK)
            fuzz_die("a row on the front whose status is not ok");
    }
    petal_sweep_html_input in = {&spec, "spec.yaml", "results.csv", -1, rows, nrows};
    if (petal_report_sweep_html(devnull, &in) != PETAL_OK)
        fuzz_die("the page of rows read back");
    free(rows);
    petal_sweep_output_close(o);
    return 0;
}
