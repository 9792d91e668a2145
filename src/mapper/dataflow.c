/* dataflow.c - the named dataflows of the Eyeriss taxonomy as restrictions of a
 * mapspace (docs/dataflows.md).
 *
 * A dataflow says what the PEs keep and which dimensions the array unrolls. It is
 * written in terms of the roles dimensions play for the data spaces, not their
 * names, so that it applies to any layer: the channel dimensions are those the
 * weights depend on outside a sliding window (M, C and the group G of a
 * convolution; K and N of a matrix multiply), the filter dimensions those the
 * weights share with an input window (R, S), the output dimensions those the
 * outputs depend on (N, M, P, Q).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mapper/mapspace.h"

typedef struct dataflow_def {
    const char *name;
    const char *description;
} dataflow_def;

static const dataflow_def dataflows[] = {
    {"ws", "weight stationary: PEs keep weights only; the array unrolls channels (M, C)"},
    {"os", "output stationary: PEs keep partial sums only; the array unrolls outputs "
           "(P, Q, M, N)"},
    {"is", "input stationary: PEs keep inputs only; the array unrolls inputs (C, P, Q, N)"},
    {"rs", "row stationary: filter rows on Y, output rows on X, 1-D convolutions of a filter "
           "row (S) in each PE"},
    {"nlr", "no local reuse: PEs keep nothing; the array unrolls channels (M, C)"},
    {"os_a", "output stationary, one output channel: PEs keep partial sums; the array unrolls "
             "output pixels (P, Q, N)"},
    {"os_b", "output stationary, channels x pixels: PEs keep partial sums; output pixels "
             "(P, Q, N) on X, output channels (M) on Y"},
    {"os_c", "output stationary, one output pixel: PEs keep partial sums; the array unrolls "
             "output channels (M)"},
};

#define NDATAFLOWS (sizeof dataflows / sizeof dataflows[0])

size_t petal_dataflow_count(void)
{
    return NDATAFLOWS;
}

const char *petal_dataflow_name(size_t i)
{
    return i < NDATAFLOWS ? dataflows[i].name : NULL;
}

const char *petal_dataflow_description(size_t i)
{
    return i < NDATAFLOWS ? dataflows[i].description : NULL;
}

void petal_dataflow_names(char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    for (size_t i = 0, used = 0; i < NDATAFLOWS && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", dataflows[i].name);
}

bool petal_dataflow_known(const char *name)
{
    for (size_t i = 0; name && i < NDATAFLOWS; i++)
        if (strcasecmp(name, dataflows[i].name) == 0)
            return true;
    return false;
}

/* The PE levels: storage levels below the outermost fan-out, or the innermost
 * storage level when the architecture has a single PE. Returns a level mask. */
static unsigned pe_levels(const mapspace *ms, int *array_level)
{
    int outer_fanout = -1;
    for (int l = 0; l < ms->nlevels && outer_fanout < 0; l++)
        if ((uint64_t)ms->lv[l].fanout_x * ms->lv[l].fanout_y > 1)
            outer_fanout = l;
    *array_level = outer_fanout;
    unsigned mask = 0;
    if (outer_fanout >= 0) {
        for (int l = outer_fanout + 1; l < ms->nlevels; l++)
            if (ms->lv[l].storage)
                mask |= 1u << l;
    } else {
        for (int l = ms->nlevels - 1; l > 0 && !mask; l--)
            if (ms->lv[l].storage)
                mask |= 1u << l;
    }
    return mask;
}

/* Restrict every fan-out to unroll only `x` dims on X and `y` dims on Y. */
static void limit_spatial(mapspace *ms, uint8_t x, uint8_t y)
{
    for (int l = 0; l < ms->nlevels; l++) {
        ms->lv[l].x_dims &= x;
        ms->lv[l].y_dims &= y;
    }
}

/* The PE levels keep exactly `keep` (where they may): the other data spaces
 * bypass the PEs. Fails when no PE level may hold one of `needed`. */
static bool pe_keep(mapspace *ms, unsigned pe, uint8_t keep, uint8_t needed, const char *df,
                    char *why, size_t why_size)
{
    uint8_t held = 0;
    for (int l = 0; l < ms->nlevels; l++) {
        if (!(pe & (1u << l)))
            continue;
        ms_level *lv = &ms->lv[l];
        lv->keep_allowed &= keep;
        lv->keep_required = lv->keep_allowed;
        held |= lv->keep_allowed;
    }
    for (int ds = 0; ds < PETAL_NUM_DS; ds++)
        if ((needed & (1u << ds)) && !(held & (1u << ds))) {
            snprintf(why, why_size, "%s keeps %s in the PEs, but no PE level of %s may hold them",
                     df, ms->p->ds[ds].name, ms->a->name);
            return false;
        }
    return true;
}

/* The dimensions of the first two sliding coordinates of the inputs: the filter
 * dimension and the output dimension of each (R and P of the rows, S and Q of
 * the columns of a convolution). Missing ones are -1. */
static void window_dims(const mapspace *ms, int filt[2], int out[2])
{
    const petal_problem *p = ms->p;
    const petal_dataspace *in = &p->ds[PETAL_DS_INPUTS];
    int found = 0;
    filt[0] = filt[1] = out[0] = out[1] = -1;
    for (int r = 0; r < in->nranks && found < 2; r++) {
        const petal_rank *rk = &in->ranks[r];
        int f = -1, o = -1;
        for (int t = 0; t < rk->nterms; t++) {
            int d = rk->terms[t].dim;
            if (ms->relevant[PETAL_DS_WEIGHTS] & MS_DIM_MASK(d))
                f = d;
            else if (ms->relevant[PETAL_DS_OUTPUTS] & MS_DIM_MASK(d))
                o = d;
        }
        if (rk->nterms > 1 && f >= 0 && o >= 0) {
            filt[found] = f;
            out[found] = o;
            found++;
        }
    }
    /* A single window (a 1-D convolution) is the one inside the PE. */
    if (found == 1) {
        filt[1] = filt[0];
        out[1] = out[0];
        filt[0] = out[0] = -1;
    }
}

bool ms_apply_dataflow(mapspace *ms, const char *name, char *why, size_t why_size)
{
    const petal_problem *p = ms->p;
    uint8_t W = ms->relevant[PETAL_DS_WEIGHTS];
    uint8_t I = ms->relevant[PETAL_DS_INPUTS];
    uint8_t O = ms->relevant[PETAL_DS_OUTPUTS];
    int filt[2], out[2];
    window_dims(ms, filt, out);
    uint8_t filter_dims = 0;
    for (int k = 0; k < 2; k++)
        if (filt[k] >= 0)
            filter_dims |= MS_DIM_MASK(filt[k]);
    uint8_t channels = W & (uint8_t)~filter_dims;
    uint8_t batch = I & O & (uint8_t)~W & (uint8_t)~ms->sliding[PETAL_DS_INPUTS];
    const uint8_t wbit = 1u << PETAL_DS_WEIGHTS, ibit = 1u << PETAL_DS_INPUTS,
                  obit = 1u << PETAL_DS_OUTPUTS;

    snprintf(ms->dataflow, sizeof ms->dataflow, "%s", name);
    int array_level;
    unsigned pe = pe_levels(ms, &array_level);
    /* No local reuse needs no PE storage; every other dataflow keeps something there. */
    if (!pe && strcasecmp(name, "nlr") != 0) {
        snprintf(why, why_size, "%s needs PE storage below the array, and %s has none", name,
                 ms->a->name);
        return false;
    }

    /* All but row stationary: what the PEs keep, which dimensions go across
     * the array (X) and down it (Y). The ISCA 2016 output-stationary variants
     * differ in which outputs share the array at once: pixels of one channel
     * (A), channels of one pixel (C), or pixels across and channels down (B). */
    uint8_t in_pixels = I & (uint8_t)~filter_dims;
    uint8_t out_channels = O & channels, pixels = O & (uint8_t)~W;
    const struct {
        const char *name;
        uint8_t x, y, keep;
    } plain[] = {
        {"ws", channels, channels, wbit},     {"os", O, O, obit},
        {"is", in_pixels, in_pixels, ibit},   {"os_a", pixels, pixels, obit},
        {"os_b", pixels, out_channels, obit}, {"os_c", out_channels, out_channels, obit},
        {"nlr", channels, channels, 0},
    };
    for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++)
        if (strcasecmp(name, plain[k].name) == 0) {
            limit_spatial(ms, plain[k].x, plain[k].y);
            return pe_keep(ms, pe, plain[k].keep, plain[k].keep, plain[k].name, why, why_size);
        }
    if (strcasecmp(name, "rs") == 0) {
        /* The logical PE set: filter rows (R) down Y, output rows (P) across X;
         * channels and the batch fill or replicate it. */
        uint8_t y = channels, x = channels | batch;
        if (filt[0] >= 0) {
            y |= MS_DIM_MASK(filt[0]);
            x |= MS_DIM_MASK(out[0]);
            ms->y_total_exact[filt[0]] = p->bounds[filt[0]];
        }
        limit_spatial(ms, x, y);
        /* Each PE runs 1-D convolutions: a whole filter row (S) in the PE, over
         * several filters and channels; rows and the batch stay outside. */
        uint8_t in_pe = channels;
        if (filt[1] >= 0)
            in_pe |= MS_DIM_MASK(filt[1]);
        for (int l = 0; l < ms->nlevels; l++) {
            ms_level *lv = &ms->lv[l];
            for (int d = 0; d < p->ndims; d++) {
                if ((pe & (1u << l)) && !(in_pe & MS_DIM_MASK(d)))
                    lv->t_exact[d] = 1;
                if (!(pe & (1u << l)) && filt[1] == d) {
                    lv->t_exact[d] = 1;
                    lv->s_exact[d] = 1;
                }
            }
        }
        return pe_keep(ms, pe, PETAL_KEEP_ALL, PETAL_KEEP_ALL, "rs", why, why_size);
    }
    snprintf(why, why_size, "unknown dataflow %s", name);
    return false;
}
