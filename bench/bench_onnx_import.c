/* bench_onnx_import.c - time and memory of importing a large ONNX model whose
 * weights are inline: a synthetic VGG-16 (553 MB) written with protobuf-c into
 * the temporary directory and removed afterwards. Each measurement runs in a
 * fresh process (this program again) and reports its own peak RSS:
 *   - petal_network_load_onnx (file mapped, weights skipped before unpacking);
 *   - protobuf-c unpacking the whole ModelProto, from a read buffer and from
 *     the mapped file, for comparison;
 *   - protobuf-c unpacking a 256 MB tensor with a schema that lacks raw_data,
 *     to show that unknown fields are copied, not skipped.
 * Figures only; the page cache is warm (the file was just written). */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "onnx_build.h"
#include "petal/onnx.h"

extern char **environ;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0; /* kilobytes on Linux */
}

static double file_mb(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (double)st.st_size / (1024.0 * 1024.0) : 0.0;
}

/* protobuf-c writes packed bytes through this buffer straight to the file. */
typedef struct file_buffer {
    ProtobufCBuffer base;
    FILE *file;
} file_buffer;

static void file_append(ProtobufCBuffer *buffer, size_t len, const uint8_t *data)
{
    fwrite(data, 1, len, ((file_buffer *)buffer)->file);
}

static void pack_to_file(const ProtobufCMessage *msg, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    file_buffer fb = {.base = {.append = file_append}, .file = f};
    protobuf_c_message_pack_to_buffer(msg, &fb.base);
    if (ferror(f) | fclose(f)) {
        fprintf(stderr, "%s: cannot write the model (disk full?)\n", path);
        unlink(path);
        exit(1);
    }
}

/* Raw data for every weight: one mapping of /dev/zero, never written. */
static const uint8_t *zeros(size_t size)
{
    int fd = open("/dev/zero", O_RDONLY);
    void *p = fd < 0 ? MAP_FAILED : mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (fd >= 0)
        close(fd);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    return p;
}

static void inline_weight(onnx_build *b, const char *name, int rank, const int64_t *dims,
                          const uint8_t *data)
{
    Onnx__TensorProto *t = ob_tensor(b, name, rank, dims, NULL, 0);
    size_t bytes = 4;
    for (int i = 0; i < rank; i++)
        bytes *= (size_t)dims[i];
    t->has_raw_data = 1;
    t->raw_data.len = bytes;
    t->raw_data.data = (uint8_t *)data;
    b->inits[b->graph.n_initializer++] = t;
}

/* VGG-16 at 224 x 224 with its 138 M weights (and biases) inline. */
static void write_vgg16(const char *path)
{
    static const int64_t widths[] = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0,
                                     512, 512, 512, 0, 512, 512, 512, 0};
    const uint8_t *data = zeros((size_t)25088 * 4096 * 4);
    onnx_build *b = calloc(1, sizeof *b);
    ob_init(b, 13);
    ob_input(b, "input", 4, DIMS(1, 3, 224, 224));
    char x[32] = "input", y[32], w[32], bias[32];
    int64_t channels = 3;
    for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
        snprintf(y, sizeof y, "t%zu", i);
        if (widths[i] == 0) {
            Onnx__NodeProto *pool = ob_node(b, "MaxPool", NULL, x, y);
            ob_ints(b, pool, "kernel_shape", 2, DIMS(2, 2));
            ob_ints(b, pool, "strides", 2, DIMS(2, 2));
        } else {
            char inputs[128], act[32];
            snprintf(w, sizeof w, "conv%zu.weight", i);
            snprintf(bias, sizeof bias, "conv%zu.bias", i);
            inline_weight(b, w, 4, DIMS(widths[i], channels, 3, 3), data);
            inline_weight(b, bias, 1, DIMS(widths[i]), data);
            snprintf(inputs, sizeof inputs, "%s,%s,%s", x, w, bias);
            snprintf(act, sizeof act, "c%zu", i);
            ob_ints(b, ob_node(b, "Conv", NULL, inputs, act), "pads", 4, DIMS(1, 1, 1, 1));
            ob_node(b, "Relu", NULL, act, y);
            channels = widths[i];
        }
        snprintf(x, sizeof x, "%s", y);
    }
    ob_node(b, "Flatten", NULL, x, "flat");
    static const int64_t fc[][2] = {{25088, 4096}, {4096, 4096}, {4096, 1000}};
    snprintf(x, sizeof x, "flat");
    for (size_t i = 0; i < 3; i++) {
        char inputs[128];
        snprintf(w, sizeof w, "fc%zu.weight", i);
        snprintf(bias, sizeof bias, "fc%zu.bias", i);
        inline_weight(b, w, 2, DIMS(fc[i][1], fc[i][0]), data);
        inline_weight(b, bias, 1, DIMS(fc[i][1]), data);
        snprintf(inputs, sizeof inputs, "%s,%s,%s", x, w, bias);
        snprintf(y, sizeof y, "fc%zu", i);
        ob_int(b, ob_node(b, "Gemm", NULL, inputs, y), "transB", 1);
        snprintf(x, sizeof x, "%s", y);
    }
    pack_to_file(&b->model.base, path);
    ob_free(b);
    free(b);
    munmap((void *)data, (size_t)25088 * 4096 * 4);
}

/* A tensor of `mb` MB of raw data, to be unpacked with a schema lacking raw_data. */
static void write_tensor(const char *path, size_t mb)
{
    onnx_build *b = calloc(1, sizeof *b);
    ob_init(b, 13);
    const uint8_t *data = zeros(mb << 20);
    Onnx__TensorProto *t = ob_tensor(b, "big", 1, DIMS((int64_t)(mb << 18)), NULL, 0);
    t->has_data_type = 0; /* field 2 would clash with the reading schema */
    t->has_raw_data = 1;
    t->raw_data.len = mb << 20;
    t->raw_data.data = (uint8_t *)data;
    pack_to_file(&t->base, path);
    ob_free(b);
    free(b);
    munmap((void *)data, mb << 20);
}

static const uint8_t *map_file(const char *path, size_t *size)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(path);
        exit(1);
    }
    *size = (size_t)st.st_size;
    void *p = mmap(NULL, *size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    return p;
}

static uint8_t *read_file(const char *path, size_t *size)
{
    size_t mapped;
    const uint8_t *map = map_file(path, &mapped);
    uint8_t *copy = malloc(mapped);
    memcpy(copy, map, mapped);
    munmap((void *)map, mapped);
    *size = mapped;
    return copy;
}

/* One measurement, in this process. */
static int measure(const char *mode, const char *path)
{
    double t0 = now();
    size_t size;
    if (strcmp(mode, "petal") == 0) {
        petal_network net;
        if (petal_network_load_onnx(path, &net)) {
            fprintf(stderr, "%s\n", petal_error_message());
            return 1;
        }
        petal_network_totals totals;
        petal_network_totals_get(&net, &totals);
        printf("  petal_network_load_onnx:          %.4f s, peak RSS %7.1f MB  (%zu layers, "
               "%llu MACs)\n",
               now() - t0, peak_rss_mb(), net.nlayers, (unsigned long long)totals.macs);
        petal_network_free(&net);
    } else if (strcmp(mode, "unpack-read") == 0 || strcmp(mode, "unpack-mmap") == 0) {
        bool mapped = strcmp(mode, "unpack-mmap") == 0;
        const uint8_t *bytes = mapped ? map_file(path, &size) : read_file(path, &size);
        Onnx__ModelProto *m = onnx__model_proto__unpack(NULL, size, bytes);
        printf("  protobuf-c whole model, %s: %.3f s, peak RSS %7.1f MB  (%zu initializers)\n",
               mapped ? "mapped  " : "read    ", now() - t0, peak_rss_mb(),
               m && m->graph ? m->graph->n_initializer : 0);
        onnx__model_proto__free_unpacked(m, NULL);
    } else if (strcmp(mode, "unknown") == 0) {
        const uint8_t *bytes = map_file(path, &size);
        ProtobufCMessage *t = protobuf_c_message_unpack(&onnx__type_proto__tensor__descriptor,
                                                        NULL, size, bytes);
        size_t kept = 0;
        for (unsigned i = 0; t && i < t->n_unknown_fields; i++)
            kept += t->unknown_fields[i].len;
        printf("  protobuf-c, schema without raw_data: %u unknown fields kept, %zu bytes "
               "copied; peak RSS %.1f MB for a %.1f MB message (mapped)\n",
               t ? t->n_unknown_fields : 0, kept, peak_rss_mb(),
               (double)size / (1024.0 * 1024.0));
        protobuf_c_message_free_unpacked(t, NULL);
    }
    return 0;
}

static void spawn(const char *mode, const char *path)
{
    char *argv[] = {"bench_onnx_import", (char *)mode, (char *)path, NULL};
    pid_t pid;
    int status;
    fflush(stdout);
    if (posix_spawn(&pid, "/proc/self/exe", NULL, NULL, argv, environ) != 0) {
        perror("posix_spawn");
        return;
    }
    waitpid(pid, &status, 0);
}

int main(int argc, char **argv)
{
    if (argc == 3)
        return measure(argv[1], argv[2]);
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char model[4096], tensor[4096];
    snprintf(model, sizeof model, "%s/petal-bench-vgg16-%d.onnx", tmp, (int)getpid());
    snprintf(tensor, sizeof tensor, "%s/petal-bench-tensor-%d.pb", tmp, (int)getpid());

    double t0 = now();
    write_vgg16(model);
    printf("synthetic VGG-16 with inline weights: %.1f MB, written in %.1f s\n", file_mb(model),
           now() - t0);
    spawn("petal", model);
    spawn("unpack-read", model);
    spawn("unpack-mmap", model);
    write_tensor(tensor, 256);
    spawn("unknown", tensor);
    unlink(model);
    unlink(tensor);
    return 0;
}
