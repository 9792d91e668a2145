/* timeloop_map.c - reads a Timeloop map.txt (timeloop-model.map.txt,
 * timeloop-mapper.map.txt) for the tests: per level, the tile size of each
 * data space it keeps and its loops (dimension, factor, temporal / Spatial-X /
 * Spatial-Y) outermost first. Included by the tests that need it.
 *
 * The layout: a header "NAME [ Weights:192 (192) Inputs:36 (36) ] " opens a
 * level; lines "|   for C in [0:16) (Spatial-X)" below it are its loops. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TLM_MAX_LEVELS 16
#define TLM_MAX_LOOPS 24

typedef struct tlm_loop {
    char dim[16];
    uint64_t factor;
    char kind; /* 'T', 'X' or 'Y' */
} tlm_loop;

typedef struct tlm_level {
    char name[64];
    int ntiles;
    char tile_ds[4][32];
    uint64_t tile[4];
    int nloops;
    tlm_loop loops[TLM_MAX_LOOPS];
} tlm_level;

typedef struct tlm_map {
    int nlevels;
    tlm_level levels[TLM_MAX_LEVELS]; /* outermost first, as printed */
} tlm_map;

static int tlm_parse(const char *path, tlm_map *out)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[512];
    tlm_level *cur = NULL;
    while (fgets(line, sizeof line, f)) {
        char *bracket = strstr(line, " [ ");
        if (line[0] != '|' && line[0] != '-' && bracket) {
            if (out->nlevels == TLM_MAX_LEVELS)
                break;
            cur = &out->levels[out->nlevels++];
            snprintf(cur->name, sizeof cur->name, "%.*s", (int)(bracket - line), line);
            char *p = bracket + 3;
            char ds[32];
            unsigned long long n;
            int used;
            while (cur->ntiles < 4 && sscanf(p, "%31[^:]:%llu (%*u)%n", ds, &n, &used) == 2) {
                snprintf(cur->tile_ds[cur->ntiles], sizeof cur->tile_ds[0], "%s", ds);
                cur->tile[cur->ntiles++] = n;
                p += used;
                while (*p == ' ')
                    p++;
            }
            continue;
        }
        char *forp = strstr(line, "for ");
        if (line[0] != '|' || !forp || !cur || cur->nloops == TLM_MAX_LOOPS)
            continue;
        tlm_loop *l = &cur->loops[cur->nloops];
        unsigned long long lo, hi;
        if (sscanf(forp, "for %15s in [%llu:%llu)", l->dim, &lo, &hi) != 3)
            continue;
        l->factor = hi - lo;
        l->kind = strstr(forp, "(Spatial-X)") ? 'X' : strstr(forp, "(Spatial-Y)") ? 'Y' : 'T';
        cur->nloops++;
    }
    fclose(f);
    return out->nlevels ? 0 : -1;
}

__attribute__((unused)) static const tlm_level *tlm_level_named(const tlm_map *m, const char *name)
{
    for (int i = 0; i < m->nlevels; i++)
        if (strcmp(m->levels[i].name, name) == 0)
            return &m->levels[i];
    return NULL;
}
