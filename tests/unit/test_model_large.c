/* test_model_large.c - the analytical model on layers far too large for the
 * reference simulator: an LLM-sized matrix multiply, ResNet-50 at batch 256,
 * a layer whose partition sizes need the model's 128-bit arithmetic, and
 * layers whose counts do not fit in 64 bits, which must fail with
 * PETAL_EOVERFLOW rather than give a wrapped number.
 *
 * Every expected count is a closed form derived by hand in the comments, from
 * the layer's sizes and the mapping, never from the model. The mappings are
 * simple on purpose (everything temporal at DRAM above one-word tiles, or a
 * weight-stationary array) so that each count is a short product. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "petal/model.h"
#include "petal/network.h"
#include "unit/nest_builder.h"

enum { W = PETAL_DS_WEIGHTS, I = PETAL_DS_INPUTS, O = PETAL_DS_OUTPUTS };

/* Per-instance counts of one level and data space, and its instances. */
static void expect_ds(const petal_model_result *r, int level, int s, uint64_t instances,
                      uint64_t reads, uint64_t fills, uint64_t updates)
{
    const petal_ds_stats *d = &r->levels[level].ds[s];
    assert_true(d->kept);
    assert_int_equal(d->instances, instances);
    assert_int_equal(d->reads_per_instance, reads);
    assert_int_equal(d->fills_per_instance, fills);
    assert_int_equal(d->updates_per_instance, updates);
    assert_int_equal(d->reads, reads * instances);
    assert_int_equal(d->fills, fills * instances);
    assert_int_equal(d->updates, updates * instances);
}

static void finish_arch(petal_arch *a, const char *name, uint32_t mac_x, uint32_t mac_y)
{
    snprintf(a->name, sizeof a->name, "%s", name);
    snprintf(a->arith.name, sizeof a->arith.name, "mac");
    a->arith.mesh_x = mac_x;
    a->arith.mesh_y = mac_y;
    a->arith.instances = (uint64_t)mac_x * mac_y;
    a->arith.word_bits = 16;
    a->arith.mac_pj = 1;
    a->clock_hz = 1e9;
    for (int l = 0; l < a->nlevels; l++)
        a->levels[l].hop_pj = 1; /* network energy in pJ = words crossing */
    assert_int_equal(petal_arch_check(a), PETAL_OK);
}

/* DRAM above one register file keeping everything, above one MAC. */
static void serial_arch(petal_arch *a)
{
    memset(a, 0, sizeof *a);
    a->nlevels = 2;
    nb_level(&a->levels[0], "DRAM", PETAL_MEM_DRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
    nb_level(&a->levels[1], "rf", PETAL_MEM_REGFILE, 0, 1, 1, 1, PETAL_KEEP_ALL);
    finish_arch(a, "serial", 1, 1);
}

/* DRAM above a 16 x 16 array of register files that may keep only Weights,
 * each above one MAC: Inputs and Outputs go between DRAM and the MACs. DRAM
 * reads 16 words and writes 16 words per cycle. */
static void ws_array_arch(petal_arch *a)
{
    memset(a, 0, sizeof *a);
    a->nlevels = 2;
    nb_level(&a->levels[0], "DRAM", PETAL_MEM_DRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
    a->levels[0].read_bw = a->levels[0].write_bw = 16;
    nb_level(&a->levels[1], "rf", PETAL_MEM_REGFILE, 0, 1, 16, 16, 1u << W);
    finish_arch(a, "ws-array", 16, 16);
}

static void eval_ok(const petal_problem *p, const petal_arch *a, const petal_mapping *m,
                    petal_model_result *r)
{
    petal_status st = petal_model_eval(p, a, m, r);
    if (st != PETAL_OK)
        fail_msg("%s: %s", p->name, petal_error_message());
    if (!r->valid)
        fail_msg("%s: invalid: %s", p->name, r->why);
}

/* --- an LLM-sized matrix multiply --- */

/* Out[M][N] = In[M][K] x W[K][N] with M = K = 4096 and N = 131072: 2^41 MACs,
 * W = K N = 2^29 weights, In = M K = 2^24 inputs, Out = M N = 2^29 outputs. */
static void llm_matmul(petal_problem *p)
{
    petal_matmul_params mm = {
        .batch = 1, .m = 4096, .k = 4096, .n = 131072, .weights_are_params = true};
    assert_int_equal(petal_problem_matmul(p, "llm", &mm), PETAL_OK);
    assert_int_equal(petal_problem_macs(p), (uint64_t)1 << 41);
}

/* Every loop at DRAM, outermost first M, N, K, above one-word tiles in rf.
 *   - Weights W[k][n] change at every step (K is innermost): rf is filled once
 *     per MAC, 2^41 times, and DRAM read as often: W x refetch M = 2^29 x 2^12.
 *   - Inputs In[m][k] change at every step too: 2^41 fills and DRAM reads,
 *     In x refetch N = 2^24 x 2^17.
 *   - Outputs Out[m][n] stay while K runs: 2^29 words enter rf, each output
 *     once, so rf's partition is 2^29 and its fills 2^29 - 2^29 = 0. The MAC
 *     updates rf 2^41 times; each output's first update is not a read:
 *     2^41 - 2^29 reads. DRAM is updated 2^29 times, once per output, and
 *     never read (every update is the first).
 *   - 2^41 compute cycles on one MAC. */
static void test_llm_all_at_dram(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    llm_matmul(&p);
    serial_arch(&a);
    m.nlevels = 2;
    assert_int_equal(
        nb_level_mapping(&p, &m.levels[0], "M4096 N131072 K4096", "KNM", "", "", PETAL_KEEP_ALL),
        0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "", "", "", "", PETAL_KEEP_ALL), 0);
    petal_model_result r;
    eval_ok(&p, &a, &m, &r);
    const uint64_t macs = (uint64_t)1 << 41, weights = (uint64_t)1 << 29,
                   inputs = (uint64_t)1 << 24, outputs = (uint64_t)1 << 29;
    assert_int_equal(r.computes, macs);
    assert_int_equal(r.compute_cycles, macs);
    assert_int_equal(r.cycles, macs);
    expect_ds(&r, 1, W, 1, macs, macs, 0);
    expect_ds(&r, 1, I, 1, macs, macs, 0);
    expect_ds(&r, 1, O, 1, macs - outputs, 0, macs);
    assert_int_equal(r.levels[1].ds[O].partition, outputs);
    expect_ds(&r, 0, W, 1, weights * 4096, 0, 0);
    expect_ds(&r, 0, I, 1, inputs * 131072, 0, 0);
    expect_ds(&r, 0, O, 1, 0, 0, outputs);
    assert_int_equal(r.levels[0].ds[W].tile, weights);
    assert_int_equal(r.levels[0].ds[O].partition, outputs);
}

/* Weight-stationary on the 16 x 16 array: K (16) across X and N (16) down Y,
 * and at DRAM, outermost first, N 8192, K 256, M 4096, so each register file
 * keeps one weight while M runs.
 *   - 256 MACs, 2^41 / 2^8 = 2^33 compute cycles.
 *   - Weights: one word per register file, new at each of the 8192 x 256 = 2^21
 *     steps of N and K: 2^21 fills per instance, 2^29 in all (each weight
 *     once); DRAM serves 256 distinct tiles per step: 2^29 reads, multicast 1.
 *     The MACs read their register file 2^33 times each.
 *   - Inputs bypass rf: each MAC takes one per cycle (2^33), and the 256 MACs
 *     ask for 16 distinct words (In does not depend on N, the Y loop): DRAM
 *     reads 2^33 x 16 = 2^37 = In x refetch N / 16 = 2^24 x 2^13, multicast
 *     256 / 16 = 16.
 *   - Outputs bypass rf: the MACs send 2^33 partial sums each; the 16 along X
 *     (K) add in the network (spatial reduction 16): DRAM gets 2^33 x 16 =
 *     2^37 updates = Out x (K / 16) = 2^29 x 2^8, and reads all but the first
 *     of each output: 2^37 - 2^29.
 *   - Network, in words per link summed over the children (hop_pj = 1): into
 *     rf, Weights 2^29 and Inputs and Outputs passing through 2^33 x 256 =
 *     2^41 each; into the MACs, 2^41 of each.
 *   - Cycles: DRAM reads 2^29 + 2^37 + 2^37 - 2^29 = 2^38 words at 16 per
 *     cycle, 2^34 cycles, twice the compute cycles; it writes 2^37 at 16 per
 *     cycle, 2^33. */
static void test_llm_weight_stationary(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    llm_matmul(&p);
    ws_array_arch(&a);
    m.nlevels = 2;
    assert_int_equal(
        nb_level_mapping(&p, &m.levels[0], "N8192 K256 M4096", "MKN", "K16", "N16", PETAL_KEEP_ALL),
        0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "", "", "", "", 1u << W), 0);
    petal_model_result r;
    eval_ok(&p, &a, &m, &r);
    const uint64_t macs = (uint64_t)1 << 41, steps = (uint64_t)1 << 33, outputs = (uint64_t)1 << 29;
    assert_int_equal(r.computes, macs);
    assert_int_equal(r.utilized_macs, 256);
    assert_int_equal(r.compute_cycles, steps);
    expect_ds(&r, 1, W, 256, steps, (uint64_t)1 << 21, 0);
    expect_ds(&r, 0, W, 1, (uint64_t)1 << 29, 0, 0);
    expect_ds(&r, 0, I, 1, (uint64_t)1 << 37, 0, 0);
    expect_ds(&r, 0, O, 1, ((uint64_t)1 << 37) - outputs, 0, (uint64_t)1 << 37);
    assert_true(r.levels[0].ds[W].multicast == 1);
    assert_true(r.levels[0].ds[I].multicast == 16);
    assert_true(r.levels[0].ds[O].spatial_reduction == 16);
    assert_true(r.levels[1].ds[W].multicast == 1);
    assert_true(r.levels[0].ds[W].network_energy_pj == 0x1p29);
    assert_true(r.levels[0].ds[I].network_energy_pj == 0x1p41);
    assert_true(r.levels[0].ds[O].network_energy_pj == 0x1p41);
    for (int s = 0; s < PETAL_NUM_DS; s++)
        assert_true(r.levels[1].ds[s].network_energy_pj == 0x1p41);
    assert_int_equal(r.levels[0].cycles, (uint64_t)1 << 34);
    assert_int_equal(r.levels[1].cycles, steps);
    assert_int_equal(r.cycles, (uint64_t)1 << 34);
    assert_true(r.levels[0].read_words_per_cycle == 32);  /* 2^38 / 2^33 */
    assert_true(r.levels[0].write_words_per_cycle == 16); /* 2^37 / 2^33 */
}

/* --- ResNet-50 at batch 256 --- */

typedef struct conv_dims {
    uint64_t n, m, c, p, q, r, s;
} conv_dims;

static conv_dims dims_of(const petal_problem *p)
{
    conv_dims d;
    d.n = p->bounds[nb_dim(p, 'N')];
    d.m = p->bounds[nb_dim(p, 'M')];
    d.c = p->bounds[nb_dim(p, 'C')];
    d.p = p->bounds[nb_dim(p, 'P')];
    d.q = p->bounds[nb_dim(p, 'Q')];
    d.r = p->bounds[nb_dim(p, 'R')];
    d.s = p->bounds[nb_dim(p, 'S')];
    return d;
}

/* Everything at DRAM over one-word tiles in rf, in the loop order given
 * (innermost first). */
static void all_at_dram(const petal_problem *p, const petal_arch *a, const char *order,
                        petal_mapping *m)
{
    conv_dims d = dims_of(p);
    char factors[160];
    snprintf(factors, sizeof factors, "N%llu M%llu C%llu P%llu Q%llu R%llu S%llu",
             (unsigned long long)d.n, (unsigned long long)d.m, (unsigned long long)d.c,
             (unsigned long long)d.p, (unsigned long long)d.q, (unsigned long long)d.r,
             (unsigned long long)d.s);
    (void)a;
    m->nlevels = 2;
    assert_int_equal(nb_level_mapping(p, &m->levels[0], factors, order, "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(p, &m->levels[1], "", "", "", "", PETAL_KEEP_ALL), 0);
}

/* With MACs = N M C P Q R S, Wt = M C R S weights, Out = N M P Q outputs, one
 * MAC and one-word tiles in rf, for the two loop orders below:
 *
 * Output-stationary, outermost first N M P Q C R S: the output stays while C,
 * R, S run and changes at every other step; the weight and the input change at
 * every step (S, then R, then C move both, and each outer step moves C, R and
 * S back by a nonzero amount since C >= 3).
 *   rf:   Weights and Inputs filled and read MACs times; Outputs entered Out
 *         times (partition Out, fills 0), updated MACs times, read MACs - Out.
 *   DRAM: Weights read MACs = Wt x N P Q times (refetched for every output
 *         pixel), Inputs MACs times; Outputs updated Out times, never read.
 *
 * Weight-stationary, outermost first M C R S N P Q: the weight stays while N,
 * P, Q run; the output and the input change at every step.
 *   rf:   Weights entered Wt times (each weight once), read MACs times; Inputs
 *         filled and read MACs times; Outputs entered MACs times, of which Out
 *         are first visits: fills MACs - Out, updates MACs, reads MACs - Out.
 *   DRAM: Weights read Wt times (refetch 1), Inputs MACs times; Outputs
 *         updated MACs = Out x C R S times (once per accumulation step), read
 *         MACs - Out times.
 * Both: MACs compute cycles. */
static void check_resnet_layer(const petal_problem *p)
{
    petal_arch a;
    serial_arch(&a);
    conv_dims d = dims_of(p);
    const uint64_t macs = d.n * d.m * d.c * d.p * d.q * d.r * d.s;
    const uint64_t wt = d.m * d.c * d.r * d.s, out = d.n * d.m * d.p * d.q;
    assert_int_equal(petal_problem_macs(p), macs);
    petal_mapping m;
    petal_model_result r;

    all_at_dram(p, &a, "SRCQPMN", &m); /* output-stationary */
    eval_ok(p, &a, &m, &r);
    assert_int_equal(r.compute_cycles, macs);
    expect_ds(&r, 1, W, 1, macs, macs, 0);
    expect_ds(&r, 1, I, 1, macs, macs, 0);
    expect_ds(&r, 1, O, 1, macs - out, 0, macs);
    assert_int_equal(r.levels[1].ds[O].partition, out);
    expect_ds(&r, 0, W, 1, wt * d.n * d.p * d.q, 0, 0);
    expect_ds(&r, 0, I, 1, macs, 0, 0);
    expect_ds(&r, 0, O, 1, 0, 0, out);

    all_at_dram(p, &a, "QPNSRCM", &m); /* weight-stationary */
    eval_ok(p, &a, &m, &r);
    assert_int_equal(r.compute_cycles, macs);
    expect_ds(&r, 1, W, 1, macs, wt, 0);
    expect_ds(&r, 1, I, 1, macs, macs, 0);
    expect_ds(&r, 1, O, 1, macs - out, macs - out, macs);
    expect_ds(&r, 0, W, 1, wt, 0, 0);
    expect_ds(&r, 0, I, 1, macs, 0, 0);
    expect_ds(&r, 0, O, 1, out * d.c * d.r * d.s - out, 0, out * d.c * d.r * d.s);
}

/* ResNet-50 at batch 256 on the 16 x 16 weight-stationary array, for a layer
 * with C and M multiples of 16: C 16 across X, M 16 down Y, and at DRAM,
 * outermost first, M/16, C/16, R, S, N, P, Q.
 *   - 256 MACs, MACs / 256 compute cycles (= steps).
 *   - Weights: each register file keeps one weight while N, P, Q run: it takes
 *     (M/16)(C/16) R S words; the 256 hold distinct weights, so DRAM reads
 *     (M/16)(C/16) R S x 256 = Wt, each weight once.
 *   - Inputs (bypassing rf): one per MAC per step, 16 distinct per step (the
 *     Y loop, M, does not move them): DRAM reads steps x 16 = MACs / 16,
 *     multicast 16.
 *   - Outputs: the 16 MACs along X (C) add their partial sums in the network:
 *     DRAM gets steps x 16 = MACs / 16 = Out x (C/16) R S updates, spatial
 *     reduction 16, and reads all but the first of each output.
 *   - Cycles: DRAM reads Wt + 2 MACs/16 - Out words at 16 per cycle. */
static void check_resnet_layer_on_array(const petal_problem *p)
{
    petal_arch a;
    ws_array_arch(&a);
    conv_dims d = dims_of(p);
    assert_true(d.c % 16 == 0 && d.m % 16 == 0);
    const uint64_t macs = d.n * d.m * d.c * d.p * d.q * d.r * d.s, steps = macs / 256;
    const uint64_t wt = d.m * d.c * d.r * d.s, out = d.n * d.m * d.p * d.q;
    char factors[160];
    snprintf(factors, sizeof factors, "N%llu M%llu C%llu P%llu Q%llu R%llu S%llu",
             (unsigned long long)d.n, (unsigned long long)(d.m / 16),
             (unsigned long long)(d.c / 16), (unsigned long long)d.p, (unsigned long long)d.q,
             (unsigned long long)d.r, (unsigned long long)d.s);
    petal_mapping m;
    m.nlevels = 2;
    assert_int_equal(
        nb_level_mapping(p, &m.levels[0], factors, "QPNSRCM", "C16", "M16", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(p, &m.levels[1], "", "", "", "", 1u << W), 0);
    petal_model_result r;
    eval_ok(p, &a, &m, &r);
    assert_int_equal(r.compute_cycles, steps);
    expect_ds(&r, 1, W, 256, steps, wt / 256, 0);
    expect_ds(&r, 0, W, 1, wt, 0, 0);
    expect_ds(&r, 0, I, 1, macs / 16, 0, 0);
    const uint64_t updates = out * (d.c / 16) * d.r * d.s;
    assert_int_equal(updates, macs / 16);
    expect_ds(&r, 0, O, 1, updates - out, 0, updates);
    assert_true(r.levels[0].ds[I].multicast == 16);
    assert_true(r.levels[0].ds[O].spatial_reduction == 16);
    uint64_t dram_reads = wt + macs / 16 + updates - out;
    uint64_t bw_cycles = dram_reads / 16 + (dram_reads % 16 != 0);
    assert_int_equal(r.levels[0].cycles, bw_cycles > steps ? bw_cycles : steps);
    assert_int_equal(r.cycles, r.levels[0].cycles);
}

static void test_resnet50_batch256(void **state)
{
    (void)state;
    petal_network net;
    assert_int_equal(petal_zoo_build("resnet50", &net), PETAL_OK);
    assert_int_equal(petal_network_set_batch(&net, 256), PETAL_OK);
    /* conv1 (7x7, stride 2, 3 channels), a 1x1, a 3x3, the 3x3 stride-2 of
     * stage 2, a stride-2 projection, the last 3x3, and the classifier. */
    const char *layers[] = {"conv1",
                            "layer1.0.conv1",
                            "layer1.0.conv2",
                            "layer2.0.conv2",
                            "layer3.0.downsample.0",
                            "layer4.2.conv2",
                            "fc"};
    for (size_t k = 0; k < sizeof layers / sizeof layers[0]; k++) {
        const petal_problem *p = petal_network_find(&net, layers[k], NULL);
        assert_non_null(p);
        check_resnet_layer(p);
        conv_dims d = dims_of(p);
        if (d.c % 16 == 0 && d.m % 16 == 0)
            check_resnet_layer_on_array(p);
    }
    /* Pin the sizes the closed forms start from: conv1 at batch 256 is
     * 256 x 64 x 3 x 112 x 112 x 7 x 7 MACs, 64 x 3 x 7 x 7 weights. */
    const petal_problem *conv1 = petal_network_find(&net, "conv1", NULL);
    assert_int_equal(petal_problem_macs(conv1), 30211571712ull);
    assert_int_equal(petal_problem_ds_words(conv1, PETAL_DS_WEIGHTS), 9408);
    assert_int_equal(petal_problem_ds_words(conv1, PETAL_DS_OUTPUTS), 205520896);
    petal_network_free(&net);
}

/* --- 128-bit partitions --- */

/* Out[M][N] = In[M][K] x W[K][N] with M = N = 2^30 and K = 4: 2^62 MACs and
 * 2^60 outputs. DRAM splits M over 2 buffers (X) and everything else is
 * temporal in the buffers, each above one MAC.
 *   - Partition: DRAM's is its tile, 2^60. A buffer's is DRAM's times the
 *     buffer's tile (2^29 x 2^30 = 2^59) over the tile DRAM's fan-out spans
 *     (2^60): 2^60 x 2^59 / 2^60 = 2^59. The product 2^119 needs 128 bits.
 *   - Buffer Outputs: the tile enters once (nothing above it moves it):
 *     2^59 words, fills 2^59 - 2^59 = 0; the MAC updates it every cycle,
 *     2^61 times, reads 2^61 - 2^59. DRAM: 2^59 x 2 = 2^60 updates, no reads.
 *   - Buffer Weights: all of W, 2^32 words, enter once; the two buffers share
 *     them (W does not depend on M): DRAM reads 2^32, multicast 2.
 *   - Buffer Inputs: its half of In, 2^29 x 4 = 2^31, enters once; DRAM reads
 *     2^32, multicast 1. */
static void huge_matmul(petal_problem *p, petal_arch *a, petal_mapping *m)
{
    petal_matmul_params mm = {.batch = 1,
                              .m = (int64_t)1 << 30,
                              .k = 4,
                              .n = (int64_t)1 << 30,
                              .weights_are_params = true};
    assert_int_equal(petal_problem_matmul(p, "huge", &mm), PETAL_OK);
    memset(a, 0, sizeof *a);
    a->nlevels = 2;
    nb_level(&a->levels[0], "DRAM", PETAL_MEM_DRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
    nb_level(&a->levels[1], "buf", PETAL_MEM_SRAM, 0, 1, 2, 1, PETAL_KEEP_ALL);
    finish_arch(a, "two-buffers", 2, 1);
    m->nlevels = 2;
    assert_int_equal(nb_level_mapping(p, &m->levels[0], "", "", "M2", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(p, &m->levels[1], "M536870912 N1073741824 K4", "KNM", "", "",
                                      PETAL_KEEP_ALL),
                     0);
}

static void test_partition_needs_128_bits(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    huge_matmul(&p, &a, &m);
    petal_model_result r;
    eval_ok(&p, &a, &m, &r);
    const uint64_t steps = (uint64_t)1 << 61;
    assert_int_equal(r.computes, (uint64_t)1 << 62);
    assert_int_equal(r.compute_cycles, steps);
    assert_int_equal(r.levels[0].ds[O].partition, (uint64_t)1 << 60);
    assert_int_equal(r.levels[1].ds[O].partition, (uint64_t)1 << 59);
    expect_ds(&r, 1, O, 2, steps - ((uint64_t)1 << 59), 0, steps);
    expect_ds(&r, 0, O, 1, 0, 0, (uint64_t)1 << 60);
    expect_ds(&r, 1, W, 2, steps, (uint64_t)1 << 32, 0);
    expect_ds(&r, 0, W, 1, (uint64_t)1 << 32, 0, 0);
    assert_true(r.levels[0].ds[W].multicast == 2);
    expect_ds(&r, 1, I, 2, steps, (uint64_t)1 << 31, 0);
    expect_ds(&r, 0, I, 1, (uint64_t)1 << 32, 0, 0);
}

/* --- counts past 64 bits --- */

static void expect_overflow(const petal_problem *p, const petal_arch *a, const petal_mapping *m)
{
    petal_model_result r;
    petal_status st = petal_model_eval(p, a, m, &r);
    if (st != PETAL_EOVERFLOW)
        fail_msg("%s: status %s (%s), valid %d, computes %llu, cycles %llu; expected an "
                 "overflow",
                 p->name, petal_status_name(st), petal_error_message(), r.valid,
                 (unsigned long long)r.computes, (unsigned long long)r.cycles);
}

/* 2^22 x 2^22 x 2^22 = 2^66 MACs. The constructor refuses it; a problem
 * written directly with those bounds (as a reader or a caller might) must be
 * refused by the model too, not evaluated with its MACs wrapped to 0. */
static void test_macs_past_64_bits(void **state)
{
    (void)state;
    petal_problem p;
    petal_matmul_params mm = {.batch = 1,
                              .m = (int64_t)1 << 22,
                              .k = (int64_t)1 << 22,
                              .n = (int64_t)1 << 22,
                              .weights_are_params = true};
    assert_int_equal(petal_problem_matmul(&p, "too-big", &mm), PETAL_EOVERFLOW);
    mm.m = mm.k = mm.n = 4;
    assert_int_equal(petal_problem_matmul(&p, "too-big", &mm), PETAL_OK);
    for (int d = 0; d < p.ndims; d++)
        if (p.bounds[d] == 4)
            p.bounds[d] = (uint64_t)1 << 22;
    assert_int_equal(petal_problem_check(&p), PETAL_EOVERFLOW);
    petal_arch a;
    serial_arch(&a);
    petal_mapping m;
    m.nlevels = 2;
    assert_int_equal(nb_level_mapping(&p, &m.levels[0], "M4194304 N4194304 K4194304", "KNM", "", "",
                                      PETAL_KEEP_ALL),
                     0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "", "", "", "", PETAL_KEEP_ALL), 0);
    expect_overflow(&p, &a, &m);
}

/* A generic layer whose Inputs rank is 2^41 Y + X: X (16) is spread over 16
 * buffers by DRAM, Y (2^22) is temporal in the buffers. A buffer's Inputs tile
 * is the bounding box 1 + 2^41 (2^22 - 1) ~ 2^63 words, which fits; Inputs as
 * a whole are 16 more. */
static void inflated(petal_problem *p, petal_arch *a, petal_mapping *m, const char *inputs)
{
    uint64_t bounds[] = {16, (uint64_t)1 << 22};
    assert_int_equal(nb_problem(p, "inflated", "XY", bounds, "X", inputs, "X|Y"), 0);
    memset(a, 0, sizeof *a);
    a->nlevels = 2;
    nb_level(&a->levels[0], "DRAM", PETAL_MEM_DRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
    nb_level(&a->levels[1], "buf", PETAL_MEM_SRAM, 0, 1, 16, 1, PETAL_KEEP_ALL);
    finish_arch(a, "sixteen-buffers", 16, 1);
    m->nlevels = 2;
    assert_int_equal(nb_level_mapping(p, &m->levels[0], "", "", "X16", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(p, &m->levels[1], "Y4194304", "", "", "", PETAL_KEEP_ALL), 0);
}

/* The 16 buffers hold distinct tiles (X moves the Inputs): DRAM would read
 * 16 x 2^63 = 2^67 words. */
static void test_level_accesses_past_64_bits(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    inflated(&p, &a, &m, "2199023255552Y+X");
    expect_overflow(&p, &a, &m);
}

/* Inputs 2^41 Y only: the 16 buffers share one tile, so DRAM reads it once
 * (~2^63, fits) and multicasts it, but the buffers' fills in total are 16 x
 * 2^63 = 2^67: the per-instance counts fit, the totals do not. */
static void test_totals_past_64_bits(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    inflated(&p, &a, &m, "2199023255552Y");
    expect_overflow(&p, &a, &m);
}

/* The 128-bit partition layer with a buffer reading 1 word every 4 cycles: a
 * buffer reads 2^61 + 2^61 + 2^61 - 2^59 words, which would take about
 * 2^64.5 cycles. */
static void test_cycles_past_64_bits(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    huge_matmul(&p, &a, &m);
    a.levels[1].read_bw = 0.25;
    expect_overflow(&p, &a, &m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_llm_all_at_dram),
        cmocka_unit_test(test_llm_weight_stationary),
        cmocka_unit_test(test_resnet50_batch256),
        cmocka_unit_test(test_partition_needs_128_bits),
        cmocka_unit_test(test_macs_past_64_bits),
        cmocka_unit_test(test_level_accesses_past_64_bits),
        cmocka_unit_test(test_totals_past_64_bits),
        cmocka_unit_test(test_cycles_past_64_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
