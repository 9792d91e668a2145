/* timeloop_mapping_write.c - a petal_mapping written as Timeloop mapping
 * directives, in the form timeloop-mapper writes its .map.yaml (v3.0.3):
 * per level, innermost first, a `datatype` directive (keep and bypass), a
 * `temporal` one and, where the level fans out, a `spatial` one whose `split`
 * puts the dimensions before it in the permutation on X. Factors and
 * permutations name every dimension; permutations are innermost first.
 * petal_timeloop_read_mapping reads the result back to the same mapping. */
#include <stdio.h>
#include <string.h>

#include "petal/timeloop.h"
#include "util/error.h"

/* A name as a YAML double-quoted scalar when it is not a plain word. */
static void yaml_name(FILE *out, const char *name)
{
    bool plain = name[0] != '\0';
    for (const char *c = name; *c && plain; c++)
        plain = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                *c == '_' || *c == '.' || *c == '-';
    if (plain) {
        fputs(name, out);
        return;
    }
    fputc('"', out);
    for (const char *c = name; *c; c++) {
        if (*c == '"' || *c == '\\')
            fputc('\\', out);
        fputc(*c, out);
    }
    fputc('"', out);
}

/* Whether every dimension name is one character: then factors are written
 * "K2 R3" and permutations "KRP", as Timeloop does; else "K=2" and names
 * separated by spaces, which the reader also takes. */
static bool short_names(const petal_problem *p)
{
    for (int d = 0; d < p->ndims; d++)
        if (strlen(p->dim_names[d]) != 1)
            return false;
    return true;
}

/* Imperfect factors as Timeloop v3 writes them, "P14,12": per level, [0]
 * temporal and [1] spatial, the iterations of each loop's last occurrence on
 * petal's clipped grid (docs/model.md), the digits of bound - 1 in the mixed
 * radix of the factors, plus one. */
static void residuals(const petal_problem *p, const petal_mapping *m,
                      uint64_t (*res)[2][PETAL_MAX_DIMS])
{
    for (int d = 0; d < p->ndims; d++) {
        uint64_t inner[PETAL_MAX_LEVELS][2], below = 1;
        for (int l = m->nlevels - 1; l >= 0; l--) {
            const petal_level_mapping *lm = &m->levels[l];
            inner[l][1] = below;
            below *= lm->spatial_x[d] * lm->spatial_y[d];
            inner[l][0] = below;
            below *= lm->temporal[d];
        }
        uint64_t rest = p->bounds[d] - 1;
        for (int l = 0; l < m->nlevels; l++)
            for (int k = 0; k < 2; k++) {
                res[l][k][d] = rest / inner[l][k] + 1;
                rest %= inner[l][k];
            }
    }
}

static void write_factors(FILE *out, const petal_problem *p, const uint8_t *order,
                          const uint64_t *f, const uint64_t *res)
{
    bool brief = short_names(p);
    fputs("    factors: ", out);
    for (int i = 0; i < p->ndims; i++) {
        int d = order[i];
        fprintf(out, "%s%s%s%llu", i ? " " : "", p->dim_names[d], brief ? "" : "=",
                (unsigned long long)f[d]);
        if (res[d] != f[d])
            fprintf(out, ",%llu", (unsigned long long)res[d]);
    }
    fputc('\n', out);
}

static void write_permutation(FILE *out, const petal_problem *p, const uint8_t *perm)
{
    bool brief = short_names(p);
    fputs("    permutation: ", out);
    for (int i = 0; i < p->ndims; i++)
        fprintf(out, "%s%s", i && !brief ? " " : "", p->dim_names[perm[i]]);
    fputc('\n', out);
}

static void write_target(FILE *out, const petal_level *level, const char *type)
{
    fputs("  - target: ", out);
    yaml_name(out, level->name);
    fprintf(out, "\n    type: %s\n", type);
}

static void write_dataspaces(FILE *out, const petal_problem *p, uint8_t mask)
{
    bool any = false;
    for (int ds = 0; ds < PETAL_NUM_DS; ds++)
        if (mask & (1u << ds)) {
            fputs(any ? ", " : "[", out);
            yaml_name(out, p->ds[ds].name);
            any = true;
        }
    fputs(any ? "]\n" : "[]\n", out);
}

petal_status petal_timeloop_write_mapping(FILE *out, const petal_problem *p, const petal_arch *a,
                                          const petal_mapping *m)
{
    if (m->nlevels != a->nlevels)
        return petal_error_set(PETAL_EINVAL, "mapping has %d levels, architecture %s has %d",
                               m->nlevels, a->name, a->nlevels);
    /* Timeloop's spatial directive puts a dimension on X or on Y, not both. */
    for (int l = 0; l < a->nlevels; l++)
        for (int d = 0; d < p->ndims; d++)
            if (m->levels[l].spatial_x[d] > 1 && m->levels[l].spatial_y[d] > 1)
                return petal_error_set(PETAL_EUNSUPPORTED,
                                       "level %s splits %s over both X (%llu) and Y (%llu); "
                                       "Timeloop's mapping format puts a dimension on one axis",
                                       a->levels[l].name, p->dim_names[d],
                                       (unsigned long long)m->levels[l].spatial_x[d],
                                       (unsigned long long)m->levels[l].spatial_y[d]);
    uint64_t res[PETAL_MAX_LEVELS][2][PETAL_MAX_DIMS];
    residuals(p, m, res);
    fputs("mapping:\n", out);
    for (int l = a->nlevels - 1; l >= 0; l--) {
        const petal_level *level = &a->levels[l];
        const petal_level_mapping *lm = &m->levels[l];
        if (level->cls != PETAL_MEM_NONE) {
            write_target(out, level, "datatype");
            fputs("    keep: ", out);
            write_dataspaces(out, p, lm->keep);
            fputs("    bypass: ", out);
            write_dataspaces(out, p, (uint8_t)(PETAL_KEEP_ALL & ~lm->keep));
        }
        write_target(out, level, "temporal");
        write_factors(out, p, lm->perm, lm->temporal, res[l][0]);
        write_permutation(out, p, lm->perm);
        if (petal_arch_fanout(a, l, NULL, NULL) > 1) {
            /* X dimensions first, then Y, each in dimension order. */
            uint8_t order[PETAL_MAX_DIMS];
            uint64_t spatial[PETAL_MAX_DIMS];
            int n = 0, split;
            for (int d = 0; d < p->ndims; d++)
                if (lm->spatial_x[d] > 1)
                    order[n++] = (uint8_t)d;
            split = n;
            for (int d = 0; d < p->ndims; d++)
                if (lm->spatial_x[d] <= 1)
                    order[n++] = (uint8_t)d;
            for (int d = 0; d < p->ndims; d++)
                spatial[d] = lm->spatial_x[d] * lm->spatial_y[d];
            write_target(out, level, "spatial");
            write_factors(out, p, order, spatial, res[l][1]);
            write_permutation(out, p, order);
            fprintf(out, "    split: %d\n", split);
        }
    }
    return ferror(out) ? petal_error_set(PETAL_EIO, "writing the mapping failed") : PETAL_OK;
}
