/* petal/problem.h - one layer as a tensor-algebra problem.
 *
 * A problem is a set of named dimensions with bounds (the loop nest of the
 * layer) and three data spaces, Weights, Inputs and Outputs, each a tensor whose
 * coordinates (ranks) are affine projections of the dimensions: a rank is a sum
 * of terms coef * dim. A 2-D convolution's input row is stride * P + dilation * R.
 * Outputs are read-write (partial sums); the other two are read-only.
 *
 * The data spaces are always these three, in this order, whatever the source
 * calls them (their names are kept for printing). Counts are uint64_t.
 */
#ifndef PETAL_PROBLEM_H
#define PETAL_PROBLEM_H

#include <stdbool.h>
#include <stdint.h>

#include "petal/error.h"
#include "petal/limits.h"
#include "petal/sparse.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum petal_dataspace_id {
    PETAL_DS_WEIGHTS = 0,
    PETAL_DS_INPUTS = 1,
    PETAL_DS_OUTPUTS = 2,
    PETAL_NUM_DS = PETAL_DATASPACES
} petal_dataspace_id;

typedef enum petal_layer_kind {
    PETAL_LAYER_CONV,   /* 2-D convolution, grouped and depthwise included */
    PETAL_LAYER_FC,     /* fully connected: a 1x1 convolution on a 1x1 input */
    PETAL_LAYER_MATMUL, /* (batched) matrix multiply */
    PETAL_LAYER_GENERIC /* any other shape, e.g. read from a Timeloop problem */
} petal_layer_kind;

typedef struct petal_term {
    uint8_t dim;  /* index into the problem's dimensions */
    int64_t coef; /* >= 1 */
} petal_term;

typedef struct petal_rank {
    uint8_t nterms;
    petal_term terms[PETAL_MAX_TERMS];
} petal_rank;

typedef struct petal_dataspace {
    char name[PETAL_DS_NAME_MAX];
    uint8_t nranks;
    petal_rank ranks[PETAL_MAX_RANKS];
} petal_dataspace;

/* What a convolution was written as, before it became dimensions; kept for
 * reports (kernel, stride, groups) and for the tensor's real input size. */
typedef struct petal_conv_params {
    int64_t batch;
    int64_t in_channels, in_h, in_w;
    int64_t out_channels;
    int64_t kernel_h, kernel_w;
    int64_t stride_h, stride_w;     /* 0 means 1 */
    int64_t dilation_h, dilation_w; /* 0 means 1 */
    int64_t pad_top, pad_bottom, pad_left, pad_right;
    int64_t groups; /* 0 means 1; groups == in_channels: depthwise */
} petal_conv_params;

typedef struct petal_matmul_params {
    int64_t batch;           /* B: independent products (heads x batch) */
    int64_t m, k, n;         /* Out[B][M][N] = In[B][M][K] x W[(B)][K][N] */
    bool weights_batched;    /* W has the B coordinate (both operands are activations) */
    bool weights_are_params; /* W is a parameter tensor (counted as weights) */
} petal_matmul_params;

/* Word widths of a layer's values (docs/precision.md). A width of 0 is "not
 * given": every storage level then holds that data space in its own word_bits
 * and the MACs take arith.word_bits, exactly as before widths existed. Partial
 * sums (an accumulator wider than the stored output) have their own width,
 * psum_bits; 0 means as Outputs. Widths are 1 to PETAL_PRECISION_MAX_BITS. */
#define PETAL_PRECISION_MAX_BITS 64
#define PETAL_PRECISION_PSUMS PETAL_NUM_DS /* index of partial sums in bits[] and float_mask */

typedef struct petal_precision {
    uint8_t bits[PETAL_NUM_DS + 1]; /* Weights, Inputs, Outputs, then Psums */
    uint8_t float_mask;             /* bit i set: bits[i] is a floating-point format */
} petal_precision;

typedef struct petal_problem {
    char name[PETAL_NAME_MAX];
    petal_layer_kind kind;
    uint8_t ndims;
    char dim_names[PETAL_MAX_DIMS][PETAL_DIM_NAME_MAX];
    uint64_t bounds[PETAL_MAX_DIMS];
    petal_dataspace ds[PETAL_NUM_DS];
    bool weights_are_params;             /* false for activation x activation products */
    int8_t batch_dim;                    /* dimension scaled by the batch size, -1 if none */
    petal_precision precision;           /* all 0: the hardware's word widths */
    petal_density density[PETAL_NUM_DS]; /* all 0: dense (petal/sparse.h) */
    union {
        petal_conv_params conv; /* PETAL_LAYER_CONV and PETAL_LAYER_FC */
        petal_matmul_params matmul;
    } source;
} petal_problem;

/* Build a 2-D convolution named `name`. Dimensions: N, M, C, P, Q, R, S, and G
 * when groups > 1 (M and C are then per group). Padding and dilation are folded
 * into P and Q. Rejects zero or negative sizes, sizes above PETAL_BOUND_MAX, a
 * stride larger than the padded input, a kernel larger than the padded input
 * and channels not divisible by groups, with a message that names the layer. */
petal_status petal_problem_conv(petal_problem *p, const char *name, const petal_conv_params *c);

/* A fully connected layer: batch x in_features -> batch x out_features. */
petal_status petal_problem_fc(petal_problem *p, const char *name, int64_t batch,
                              int64_t in_features, int64_t out_features);

/* A (batched) matrix multiply. Dimensions: B, M, N, K. */
petal_status petal_problem_matmul(petal_problem *p, const char *name,
                                  const petal_matmul_params *mm);

/* Check that bounds are >= 1, projections name existing dimensions with
 * positive coefficients, and names are set; and that the MACs and the words of
 * every data space fit in 64 bits (PETAL_EOVERFLOW otherwise). The constructors
 * end with this check. */
petal_status petal_problem_check(const petal_problem *p);

/* Index of the dimension called `name`, or -1. */
int petal_problem_dim(const petal_problem *p, const char *name);

/* Multiply-accumulates: the product of all bounds. */
uint64_t petal_problem_macs(const petal_problem *p);

/* Words of a data space over the whole problem: the product over ranks of the
 * rank's extent, sum(coef * (bound - 1)) + 1. For Inputs this includes padding. */
uint64_t petal_problem_ds_words(const petal_problem *p, petal_dataspace_id ds);

/* Words of the layer's tensors as a framework stores them: weights of a
 * parameter tensor (0 for activation operands), input activations without
 * padding, output activations. */
uint64_t petal_problem_weights(const petal_problem *p);
uint64_t petal_problem_input_words(const petal_problem *p);
uint64_t petal_problem_output_words(const petal_problem *p);

/* Index into petal_precision.bits of a precision name: a data space name as
 * petal_ds_from_name takes it (Weights, inputs, ifmap, ...) or Psums /
 * partial_sums / psums for partial sums; -1 if none. */
int petal_precision_index(const char *name);

/* "Weights", "Inputs", "Outputs", "Psums". */
const char *petal_precision_name(int index);

/* Parse a list such as "Weights=8,Inputs=8,Outputs=16,Psums=24" into *prec,
 * setting only the widths it names (others keep their value); each width as
 * petal_precision_parse_width takes it (Inputs=16f, Weights=int4). A width of
 * 0 or above PETAL_PRECISION_MAX_BITS, an unknown name or a malformed item
 * fails with PETAL_EINVAL naming the item. */
petal_status petal_precision_parse(const char *text, petal_precision *prec);

/* One width: a number of bits 1 to PETAL_PRECISION_MAX_BITS ("8"), with f
 * for floating point ("16f"), or a type name: int4, uint4, int8, uint8,
 * int16, uint16, int32, uint32, fp16, bf16, fp32, fp64. PETAL_EINVAL with a
 * message saying what was expected otherwise. */
petal_status petal_precision_parse_width(const char *text, uint8_t *bits, bool *is_float);

/* Overwrite the widths of p that `over` gives (its non-zero entries). */
void petal_precision_apply(petal_problem *p, const petal_precision *over);

/* True when any width is given. */
bool petal_precision_any(const petal_precision *prec);

/* The width in bits data space `ds` (or PETAL_PRECISION_PSUMS) takes in a
 * storage word of `word_bits`: the given width, or word_bits when none is
 * given (partial sums fall back on Outputs first). */
uint32_t petal_precision_bits(const petal_precision *prec, int index, uint32_t word_bits);

/* Overwrite the densities of p that `over` gives (petal_density_given); one
 * given as dense becomes the all-zero dense of a problem that names none. */
void petal_density_apply(petal_problem *p, const petal_density over[PETAL_NUM_DS]);

/* True when any data space of p has a density other than dense. */
bool petal_problem_has_density(const petal_problem *p);

/* PETAL_OK unless a data space is banded without being a matrix (two ranks,
 * each one dimension of unit stride: the only shape Sparseloop's banded model
 * takes); then PETAL_EUNSUPPORTED with a message naming the layer and data
 * space. The model and the simulator refuse such a problem with it. */
petal_status petal_problem_banded_check(const petal_problem *p);

/* The fraction of non-zero values of data space s (a petal_dataspace_id):
 * petal_density_fraction, and for a banded matrix its band's non-zeros over
 * its size; NaN for a banded data space that is not a matrix. */
double petal_problem_density_fraction(const petal_problem *p, int s);

/* Non-zero MACs, in expectation: MACs whose weight and input are both
 * non-zero, petal_problem_macs x the fraction of non-zero Weights x that of
 * Inputs (petal_problem_density_fraction; the two taken as independent, as
 * Sparseloop does). Equal to the MACs for a dense problem; NaN when a
 * fraction is not known (banded on a data space that is not a matrix). */
double petal_problem_nonzero_macs(const petal_problem *p);

/* Non-zero weights in expectation: petal_problem_weights x the fraction of
 * non-zero Weights (petal_problem_density_fraction); NaN when it is not
 * known. */
double petal_problem_nonzero_weights(const petal_problem *p);

/* "conv", "fc", "matmul", "generic". */
const char *petal_layer_kind_name(petal_layer_kind kind);

/* Two problems with the same dimensions, bounds, projections and widths map the
 * same way. */
bool petal_problem_same_shape(const petal_problem *a, const petal_problem *b);

#ifdef __cplusplus
}
#endif
#endif
