/* timeloop_stats.c - reads the figures of a Timeloop stats file
 * (timeloop-model.stats.txt, timeloop-mapper.stats.txt) for the conformance
 * tests: per level its name and, per data space, the scalar reads, fills and
 * updates per instance and the utilised instances; the computes, cycles and
 * total energy. Included by the tests that need it (its functions are static).
 *
 * The file is laid out as "Level N" blocks (the MACs are level 0, storage
 * levels follow innermost first), each with "=== name ===", a SPECS part and a
 * STATS part in which "    Weights:" opens a data space's lines
 * "        Key : value"; then "Summary Stats" with "Cycles: N",
 * "Computes = N" and "fJ/Compute" lines ending with "Total = x". */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TLS_MAX_LEVELS 16
#define TLS_MAX_DS 4

typedef struct tls_ds {
    char name[32];
    uint64_t partition_size, utilized_capacity, utilized_instances;
    uint64_t reads, fills, updates; /* per instance */
    double energy_total;            /* pJ */
} tls_ds;

typedef struct tls_level {
    int index; /* Timeloop's level number */
    char name[64];
    bool arith;
    uint64_t instances;
    uint64_t block_size, word_bits;
    double leak_total; /* pJ, storage levels */
    int nds;
    tls_ds ds[TLS_MAX_DS];
    /* arithmetic level */
    uint64_t utilized_instances, computes, cycles;
    double energy_total;
} tls_level;

typedef struct tls_stats {
    int nlevels;
    tls_level levels[TLS_MAX_LEVELS];
    uint64_t cycles, computes;
    double fj_per_compute; /* Total */
    double energy_pj;      /* fj_per_compute * computes / 1000 */
} tls_stats;

static char *tls_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    char *e = s + strlen(s);
    while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
        *--e = '\0';
    return s;
}

/* "Key : value" -> key and value (both trimmed); false if no colon. */
static bool tls_split(char *line, char **key, char **value)
{
    char *colon = strstr(line, " : ");
    size_t skip = 3;
    if (!colon) {
        colon = strchr(line, ':');
        skip = 1;
    }
    if (!colon)
        return false;
    *colon = '\0';
    *key = tls_trim(line);
    *value = tls_trim(colon + skip);
    return true;
}

static uint64_t tls_u64(const char *v)
{
    return strtoull(v, NULL, 10);
}

/* Returns 0, or -1 when the file cannot be read or has no summary. */
static int tls_parse(const char *path, tls_stats *out)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char buf[512];
    tls_level *level = NULL;
    tls_ds *ds = NULL;
    bool in_levels = false, in_summary = false, in_fj = false;
    while (fgets(buf, sizeof buf, f)) {
        char *line = buf;
        size_t indent = strspn(line, " ");
        char *t = tls_trim(line);
        if (strncmp(t, "Buffer and Arithmetic Levels", 28) == 0) {
            in_levels = true;
            continue;
        }
        if (strcmp(t, "Networks") == 0) {
            in_levels = false;
            continue;
        }
        if (strcmp(t, "Summary Stats") == 0) {
            in_summary = true;
            continue;
        }
        if (in_levels) {
            int index;
            if (indent == 0 && sscanf(t, "Level %d", &index) == 1) {
                if (out->nlevels == TLS_MAX_LEVELS)
                    break;
                level = &out->levels[out->nlevels++];
                level->index = index;
                ds = NULL;
                continue;
            }
            if (!level)
                continue;
            if (strncmp(t, "=== ", 4) == 0) {
                size_t n = strlen(t);
                if (n > 8) {
                    snprintf(level->name, sizeof level->name, "%.*s", (int)(n - 8), t + 4);
                }
                continue;
            }
            /* "    Weights:" opens a data space in the STATS part. */
            size_t n = strlen(t);
            if (indent == 4 && n > 1 && t[n - 1] == ':' && !strchr(t, ' ')) {
                if (level->nds < TLS_MAX_DS) {
                    ds = &level->ds[level->nds++];
                    snprintf(ds->name, sizeof ds->name, "%.*s", (int)(n - 1), t);
                }
                continue;
            }
            char *key, *value;
            if (!tls_split(t, &key, &value))
                continue;
            if (ds && indent >= 8) {
                if (strcmp(key, "Partition size") == 0)
                    ds->partition_size = tls_u64(value);
                else if (strcmp(key, "Utilized capacity") == 0)
                    ds->utilized_capacity = tls_u64(value);
                else if (strcmp(key, "Utilized instances (max)") == 0)
                    ds->utilized_instances = tls_u64(value);
                else if (strcmp(key, "Scalar reads (per-instance)") == 0)
                    ds->reads = tls_u64(value);
                else if (strcmp(key, "Scalar fills (per-instance)") == 0)
                    ds->fills = tls_u64(value);
                else if (strcmp(key, "Scalar updates (per-instance)") == 0)
                    ds->updates = tls_u64(value);
                else if (strcmp(key, "Energy (total)") == 0)
                    ds->energy_total = strtod(value, NULL);
                continue;
            }
            if (strcmp(key, "Instances") == 0)
                level->instances = tls_u64(value);
            else if (strcmp(key, "Block size") == 0)
                level->block_size = tls_u64(value);
            else if (strcmp(key, "Word bits") == 0)
                level->word_bits = tls_u64(value);
            else if (strcmp(key, "Leakage energy (total)") == 0)
                level->leak_total = strtod(value, NULL);
            else if (strcmp(key, "Computes (total)") == 0) {
                level->arith = true;
                level->computes = tls_u64(value);
            } else if (strcmp(key, "Utilized instances") == 0)
                level->utilized_instances = tls_u64(value);
            else if (strcmp(key, "Cycles") == 0)
                level->cycles = tls_u64(value);
            else if (strcmp(key, "Energy (total)") == 0)
                level->energy_total = strtod(value, NULL);
            continue;
        }
        if (in_summary) {
            unsigned long long v;
            if (sscanf(t, "Cycles: %llu", &v) == 1)
                out->cycles = v;
            else if (sscanf(t, "Computes = %llu", &v) == 1)
                out->computes = v;
            else if (strcmp(t, "fJ/Compute") == 0)
                in_fj = true;
            else if (in_fj && strncmp(t, "Total", 5) == 0) {
                char *eq = strchr(t, '=');
                if (eq)
                    out->fj_per_compute = strtod(eq + 1, NULL);
            }
        }
    }
    fclose(f);
    if (!out->computes || !out->cycles)
        return -1;
    out->energy_pj = out->fj_per_compute * (double)out->computes / 1000.0;
    return 0;
}

/* The level called `name`, or NULL. */
__attribute__((unused)) static const tls_level *tls_level_named(const tls_stats *s,
                                                                const char *name)
{
    for (int i = 0; i < s->nlevels; i++)
        if (strcmp(s->levels[i].name, name) == 0)
            return &s->levels[i];
    return NULL;
}

/* The data space called `name` at a level, or NULL (the level bypasses it). */
__attribute__((unused)) static const tls_ds *tls_ds_named(const tls_level *l, const char *name)
{
    for (int i = 0; l && i < l->nds; i++)
        if (strcmp(l->ds[i].name, name) == 0)
            return &l->ds[i];
    return NULL;
}
