/* Names of the sparse features (petal/sparse.h). */
#include <stddef.h>
#include <strings.h>

#include "petal/sparse.h"

static const char *const density_names[] = {"dense", "fixed_structured", "hypergeometric",
                                            "banded"};

const char *petal_density_kind_name(int kind)
{
    if (kind < 0 || kind >= (int)(sizeof density_names / sizeof density_names[0]))
        return "?";
    return density_names[kind];
}

bool petal_density_kind_parse(const char *s, int *kind)
{
    if (!s)
        return false;
    for (int k = 0; k < (int)(sizeof density_names / sizeof density_names[0]); k++)
        if (strcasecmp(s, density_names[k]) == 0) {
            *kind = k;
            return true;
        }
    if (strcasecmp(s, "fixed-structured") == 0) {
        *kind = PETAL_DENSITY_FIXED_STRUCTURED;
        return true;
    }
    return false;
}

static const struct {
    const char *name, *long_name;
} format_names[PETAL_NUM_FORMATS] = {
    [PETAL_FORMAT_U] = {"U", "uncompressed"},
    [PETAL_FORMAT_B] = {"B", "bitmask"},
    [PETAL_FORMAT_RLE] = {"RLE", "run_length_encoding"},
    [PETAL_FORMAT_CP] = {"CP", "coordinate_payload"},
    [PETAL_FORMAT_UOP] = {"UOP", "uncompressed_offset_pairs"},
    [PETAL_FORMAT_UB] = {"UB", "uncompressed_bitmask"},
};

const char *petal_rank_format_name(int format)
{
    if (format < 0 || format >= PETAL_NUM_FORMATS)
        return "?";
    return format_names[format].name;
}

bool petal_rank_format_parse(const char *s, int *format)
{
    if (!s)
        return false;
    for (int f = 0; f < PETAL_NUM_FORMATS; f++)
        if (strcasecmp(s, format_names[f].name) == 0 ||
            strcasecmp(s, format_names[f].long_name) == 0) {
            *format = f;
            return true;
        }
    return false;
}

const char *petal_action_opt_name(int kind)
{
    switch (kind) {
    case PETAL_OPT_GATING:
        return "gating";
    case PETAL_OPT_SKIPPING:
        return "skipping";
    case PETAL_OPT_SPATIAL_SKIP:
        return "spatial_skipping";
    default:
        return "?";
    }
}
