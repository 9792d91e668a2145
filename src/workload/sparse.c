/* Names of the sparse features (petal/sparse.h), and densities as users give
 * them: parsing, checking, applying to a problem and the expected non-zero
 * counts that follow (docs/densities.md). */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "petal/problem.h"
#include "petal/sparse.h"
#include "util/error.h"
#include "workload/density.h"

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
    /* Sparseloop also takes "fixed" for fixed_structured. */
    if (strcasecmp(s, "fixed-structured") == 0 || strcasecmp(s, "fixed") == 0) {
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

/* A density: a number in [0, 1] written plainly (no hex, inf or nan). */
static petal_status parse_fraction(const char *text, double *out)
{
    char *end;
    errno = 0;
    bool plain = (*text >= '0' && *text <= '9') || *text == '.' || *text == '-';
    for (const char *c = text; plain && *c; c++)
        plain = strchr("0123456789.eE+-", *c) != NULL;
    double v = plain ? strtod(text, &end) : NAN;
    if (!plain || end == text || *end || errno || !isfinite(v))
        return petal_error_set(PETAL_EINVAL,
                               "'%s' is not a density: expected a fraction of non-zero values "
                               "from 0 to 1 (0.35)",
                               text);
    if (v < 0 || v > 1)
        return petal_error_set(PETAL_EINVAL,
                               "a density of %g is out of range: a fraction of non-zero values "
                               "is from 0 to 1",
                               v);
    *out = v;
    return PETAL_OK;
}

petal_status petal_density_parse_value(const char *text, petal_density *out)
{
    if (!text || !*text)
        return petal_error_set(PETAL_EINVAL, "empty density: expected a fraction from 0 to 1, "
                                             "dense, or hypergeometric:0.35");
    petal_density d = {0};
    const char *colon = strchr(text, ':');
    if (!colon && ((*text >= '0' && *text <= '9') || *text == '.' || *text == '-')) {
        /* A plain number is fixed_structured, as in Sparseloop's problem files. */
        d.kind = PETAL_DENSITY_FIXED_STRUCTURED;
        if (parse_fraction(text, &d.density))
            return PETAL_EINVAL;
        *out = d;
        return PETAL_OK;
    }
    char name[32];
    size_t len = colon ? (size_t)(colon - text) : strlen(text);
    int kind = -1;
    if (len < sizeof name) {
        memcpy(name, text, len);
        name[len] = '\0';
        if (!petal_density_kind_parse(name, &kind))
            kind = -1;
    }
    if (kind < 0)
        return petal_error_set(PETAL_EINVAL,
                               "'%.*s' is not a density distribution (expected a fraction from "
                               "0 to 1, dense, fixed_structured:D or hypergeometric:D)",
                               (int)(len < 40 ? len : 40), text);
    if (kind == PETAL_DENSITY_BANDED)
        return petal_error_set(PETAL_EINVAL,
                               "banded: its density follows from a band width, which petal "
                               "reads from a Timeloop problem's densities only (expected a "
                               "fraction, dense, fixed_structured:D or hypergeometric:D)");
    d.kind = (uint8_t)kind;
    if (kind == PETAL_DENSITY_DENSE) {
        if (colon)
            return petal_error_set(PETAL_EINVAL,
                                   "dense takes no density ('%s'): every value "
                                   "may be non-zero",
                                   text);
        d.density = 1;
        *out = d;
        return PETAL_OK;
    }
    if (!colon)
        return petal_error_set(PETAL_EINVAL, "%s needs a density: %s:0.35", name, name);
    if (parse_fraction(colon + 1, &d.density))
        return petal_error_prefix(PETAL_EINVAL, "%s: ", name);
    *out = d;
    return PETAL_OK;
}

petal_status petal_density_parse(const char *text, petal_density out[PETAL_DATASPACES])
{
    petal_density parsed[PETAL_DATASPACES];
    memcpy(parsed, out, sizeof parsed);
    bool named[PETAL_DATASPACES] = {false};
    if (!text || !*text)
        return petal_error_set(PETAL_EINVAL, "density: empty (expected e.g. "
                                             "Weights=0.35,Inputs=0.6)");
    const char *item = text;
    for (;;) {
        size_t len = strcspn(item, ",");
        char buf[96];
        if (len >= sizeof buf)
            return petal_error_set(PETAL_EINVAL, "density: item '%.40s...' is too long", item);
        memcpy(buf, item, len);
        buf[len] = '\0';
        char *eq = strchr(buf, '=');
        if (!eq)
            return petal_error_set(
                PETAL_EINVAL, "density: item '%s' is not NAME=DENSITY (e.g. Weights=0.35)", buf);
        *eq = '\0';
        int ds = petal_precision_index(buf);
        if (ds < 0 || ds >= PETAL_DATASPACES)
            return petal_error_set(PETAL_EINVAL,
                                   "density: '%s' is not a data space of a layer (expected "
                                   "Weights, Inputs or Outputs)",
                                   buf);
        if (named[ds])
            return petal_error_set(PETAL_EINVAL, "density: %s is given twice",
                                   petal_precision_name(ds));
        named[ds] = true;
        if (petal_density_parse_value(eq + 1, &parsed[ds]))
            return petal_error_prefix(PETAL_EINVAL, "density: %s: ", buf);
        if (!item[len])
            break;
        item += len + 1;
    }
    memcpy(out, parsed, sizeof parsed);
    return PETAL_OK;
}

petal_status petal_density_check(const petal_density *d)
{
    if (d->kind > PETAL_DENSITY_BANDED)
        return petal_error_set(PETAL_EINVAL,
                               "unknown density distribution %d (expected dense, "
                               "fixed_structured, hypergeometric or banded)",
                               d->kind);
    if (!isfinite(d->density) || d->density < 0 || d->density > 1)
        return petal_error_set(PETAL_EINVAL,
                               "a density of %g is out of range: a fraction of non-zero values "
                               "is from 0 to 1",
                               d->density);
    return PETAL_OK;
}

bool petal_density_given(const petal_density *d)
{
    return d->kind != PETAL_DENSITY_DENSE || d->density != 0 || d->band_width != 0;
}

double petal_density_fraction(const petal_density *d)
{
    switch (d->kind) {
    case PETAL_DENSITY_DENSE:
        return 1;
    case PETAL_DENSITY_FIXED_STRUCTURED:
    case PETAL_DENSITY_HYPERGEOMETRIC:
        return d->density;
    default:
        return NAN;
    }
}

void petal_density_apply(petal_problem *p, const petal_density over[PETAL_NUM_DS])
{
    for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
        if (!petal_density_given(&over[ds]))
            continue;
        if (over[ds].kind == PETAL_DENSITY_DENSE)
            memset(&p->density[ds], 0, sizeof p->density[ds]);
        else
            p->density[ds] = over[ds];
    }
}

bool petal_problem_has_density(const petal_problem *p)
{
    for (int ds = 0; ds < PETAL_NUM_DS; ds++)
        if (p->density[ds].kind != PETAL_DENSITY_DENSE)
            return true;
    return false;
}

/* Whether data space s is a matrix whose ranks are one dimension each with
 * unit stride, the only shape Sparseloop's banded model takes; its rows and
 * columns go to box. */
static bool matrix_box(const petal_problem *p, int s, uint64_t box[2])
{
    const petal_dataspace *ds = &p->ds[s];
    if (ds->nranks != 2)
        return false;
    for (int r = 0; r < 2; r++) {
        if (ds->ranks[r].nterms != 1 || ds->ranks[r].terms[0].coef != 1)
            return false;
        box[r] = p->bounds[ds->ranks[r].terms[0].dim];
    }
    return true;
}

petal_status petal_problem_banded_check(const petal_problem *p)
{
    uint64_t box[2];
    for (int s = 0; s < PETAL_NUM_DS; s++)
        if (p->density[s].kind == PETAL_DENSITY_BANDED && !matrix_box(p, s, box))
            return petal_error_set(PETAL_EUNSUPPORTED,
                                   "layer %s: %s is banded, but a banded density needs a matrix: "
                                   "two ranks, each one dimension (Sparseloop's banded model "
                                   "takes no other shape); %s has %u rank(s)%s",
                                   p->name, p->ds[s].name, p->ds[s].name, p->ds[s].nranks,
                                   p->ds[s].nranks == 2 ? " and one of them is a sum or strided"
                                                        : "");
    return PETAL_OK;
}

double petal_problem_density_fraction(const petal_problem *p, int s)
{
    const petal_density *d = &p->density[s];
    uint64_t box[2];
    if (d->kind != PETAL_DENSITY_BANDED)
        return petal_density_fraction(d);
    return matrix_box(p, s, box) ? density_banded_fraction(d->band_width, box) : NAN;
}

double petal_problem_nonzero_macs(const petal_problem *p)
{
    return (double)petal_problem_macs(p) * petal_problem_density_fraction(p, PETAL_DS_WEIGHTS) *
           petal_problem_density_fraction(p, PETAL_DS_INPUTS);
}

double petal_problem_nonzero_weights(const petal_problem *p)
{
    return (double)petal_problem_weights(p) * petal_problem_density_fraction(p, PETAL_DS_WEIGHTS);
}
