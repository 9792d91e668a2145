/* test_precision.c - word widths per data space (docs/precision.md), checked
 * against numbers worked out by hand from the energy tables and the layer:
 * the LeNet-5 conv2 mapping that fits eyeriss-v1's scratchpads only at 8 bits,
 * word counts that do not change with width, DRAM energy linear in bits,
 * partial sums wider than outputs, MAC energy by operand and accumulator
 * widths, bit-serial MACs, and the parser's refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "petal/arch.h"
#include "petal/energy.h"
#include "petal/mapper.h"
#include "petal/model.h"
#include "petal/network.h"
#include "unit/nest_builder.h"

static void assert_close(double x, double want)
{
    if (fabs(x - want) > 1e-9 * fabs(want) + 1e-12)
        fail_msg("%.17g, expected %.17g", x, want);
}

/* LeNet-5 conv2 (N1 M16 C6 P10 Q10 R5 S5) on eyeriss-v1 with the mapping of
 * docs/examples/precision/lenet5_conv2.yaml: each PE's scratchpads hold
 * M16 x C3 x S5 = 240 weights, C3 x (1 + S5 - 1) = 15 inputs, 16 outputs. */
static void lenet_conv2(petal_problem *p, petal_arch *a, petal_mapping *m)
{
    petal_network net;
    assert_int_equal(petal_zoo_build("lenet5", &net), PETAL_OK);
    const petal_problem *conv2 = petal_network_find(&net, "conv2", NULL);
    assert_non_null(conv2);
    *p = *conv2;
    petal_network_free(&net);
    assert_int_equal(petal_arch_preset("eyeriss-v1", a), PETAL_OK);
    m->nlevels = a->nlevels;
    const uint8_t W = 1u << PETAL_DS_WEIGHTS, I = 1u << PETAL_DS_INPUTS, O = 1u << PETAL_DS_OUTPUTS;
    assert_int_equal(nb_level_mapping(p, &m->levels[0], "", "", "", "", W | I | O), 0);
    assert_int_equal(nb_level_mapping(p, &m->levels[1], "P2 Q10", "QP", "C2 P5", "R5", I), 0);
    assert_int_equal(nb_level_mapping(p, &m->levels[2], "", "", "", "", I), 0);
    assert_int_equal(nb_level_mapping(p, &m->levels[3], "", "", "", "", W), 0);
    assert_int_equal(nb_level_mapping(p, &m->levels[4], "M16 C3 S5", "MCS", "", "", O), 0);
}

static void lenet_conv2_fits_at_8_bits(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    lenet_conv2(&p, &a, &m);
    int filter = petal_arch_level(&a, "filter_spad"), ifmap = petal_arch_level(&a, "ifmap_spad");
    assert_int_equal(a.levels[filter].depth, 224);
    assert_int_equal(a.levels[ifmap].depth, 12);

    /* No widths given: 16-bit words, 240 > 224 and 15 > 12 words. */
    petal_model_result dense, r16, r8;
    assert_int_equal(petal_model_eval(&p, &a, &m, &dense), PETAL_OK);
    assert_false(dense.valid);
    assert_int_equal(dense.reason, PETAL_INVALID_CAPACITY);

    /* 16 bits given: the same, in bits (ifmap_spad is checked first: 15 x 16 =
     * 240 bits against 12 x 16 = 192). */
    assert_int_equal(petal_precision_parse("Weights=16,Inputs=16", &p.precision), PETAL_OK);
    assert_int_equal(petal_model_eval(&p, &a, &m, &r16), PETAL_OK);
    assert_false(r16.valid);
    assert_int_equal(r16.reason, PETAL_INVALID_CAPACITY);
    assert_int_equal(r16.invalid_level, ifmap);
    assert_non_null(strstr(r16.why, "240 bits but it holds 192"));

    /* 8 bits: 240 x 8 = 1920 <= 3584 and 15 x 8 = 120 <= 192 bits. */
    assert_int_equal(petal_precision_parse("Weights=8,Inputs=8", &p.precision), PETAL_OK);
    assert_int_equal(petal_model_eval(&p, &a, &m, &r8), PETAL_OK);
    assert_true(r8.valid);
    assert_int_equal(r8.levels[filter].ds[PETAL_DS_WEIGHTS].tile, 240);
    assert_int_equal(r8.levels[filter].capacity_used_bits, 1920);
    assert_int_equal(r8.levels[ifmap].ds[PETAL_DS_INPUTS].tile, 15);
    assert_int_equal(r8.levels[ifmap].capacity_used_bits, 120);
}

/* Word counts do not depend on widths; DRAM energy is linear in each data
 * space's bits: eyeriss-65nm prices DRAM at 200 per 16-bit word, 12.5 per bit. */
static void counts_fixed_dram_linear(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    lenet_conv2(&p, &a, &m);
    /* Room for 16-bit data, so that every width is valid. */
    for (int l = 1; l < a.nlevels; l++)
        a.levels[l].depth = 0;
    petal_model_result base;
    assert_int_equal(petal_model_eval(&p, &a, &m, &base), PETAL_OK);
    assert_true(base.valid);
    static const uint8_t widths[] = {4, 8, 12, 16, 24, 32};
    for (size_t k = 0; k < sizeof widths; k++) {
        uint8_t b = widths[k];
        memset(&p.precision, 0, sizeof p.precision);
        for (int s = 0; s < PETAL_NUM_DS; s++)
            p.precision.bits[s] = b;
        petal_model_result r;
        assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
        assert_true(r.valid);
        assert_int_equal(r.computes, base.computes);
        for (int l = 0; l < a.nlevels; l++)
            for (int s = 0; s < PETAL_NUM_DS; s++) {
                const petal_ds_stats *x = &r.levels[l].ds[s], *y = &base.levels[l].ds[s];
                assert_int_equal(x->kept, y->kept);
                assert_int_equal(x->tile, y->tile);
                assert_int_equal(x->reads, y->reads);
                assert_int_equal(x->fills, y->fills);
                assert_int_equal(x->updates, y->updates);
                if (x->kept)
                    assert_int_equal(x->word_bits, b);
            }
        /* DRAM: 2400 weights and 1176 inputs read once, 1600 outputs written
         * once (the reduction ends on chip), at 12.5 per bit. */
        const petal_level_stats *dram = &r.levels[0];
        assert_close(dram->ds[PETAL_DS_WEIGHTS].energy_pj, 2400.0 * b * 12.5);
        assert_close(dram->ds[PETAL_DS_INPUTS].energy_pj, 1176.0 * b * 12.5);
        assert_close(dram->ds[PETAL_DS_OUTPUTS].energy_pj, 1600.0 * b * 12.5);
    }
}

/* MAC energy by widths, from Horowitz's 45 nm figures (docs/energy.md): a
 * 16-bit multiply is 0.2 x (3.1 / 0.2)^(1/2) = 0.78740 pJ, a 32-bit add 0.1,
 * so the 16-bit MAC eyeriss-65nm counts as 1 is 0.88740 pJ. */
static void mac_energy_by_widths(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    assert_int_equal(petal_problem_fc(&p, "fc", 1, 4, 4), PETAL_OK);
    assert_int_equal(petal_arch_preset("eyeriss-v1", &a), PETAL_OK);
    double unit = 0.2 * sqrt(3.1 / 0.2) + 0.1;
    assert_close(petal_energy_mac_scale(&p, &a), 1);
    /* 16/16/16: the accumulator stays the product's 32 bits. */
    assert_int_equal(petal_precision_parse("Weights=16,Inputs=16,Outputs=16", &p.precision), 0);
    assert_close(petal_energy_mac_scale(&p, &a), 1);
    /* 8/8/16: 8-bit multiply 0.2 + 16-bit add 0.05. */
    assert_int_equal(petal_precision_parse("Weights=8,Inputs=8,Psums=16", &p.precision), 0);
    assert_close(petal_energy_mac_scale(&p, &a), 0.25 / unit);
    /* 8/8 with 24-bit partial sums: the add lies on the line through 16 and
     * 32 bits, 0.05 x 24 / 16 = 0.075. */
    p.precision.bits[PETAL_PRECISION_PSUMS] = 24;
    assert_close(petal_energy_mac_scale(&p, &a), 0.275 / unit);
    /* 8/8 without partial sums given: the product's 16-bit add. */
    p.precision.bits[PETAL_PRECISION_PSUMS] = 0;
    assert_close(petal_energy_mac_scale(&p, &a), 0.25 / unit);
    /* 32/32: 3.1 + 0.1 (64-bit add extrapolated: 0.1 x 2 = 0.2): 3.3. */
    assert_int_equal(petal_precision_parse("Weights=32,Inputs=32", &p.precision), 0);
    assert_close(petal_energy_mac_scale(&p, &a), (3.1 + 0.2) / unit);
    /* fp16 x fp16: 1.1 + 0.4. */
    assert_int_equal(petal_precision_parse("Weights=fp16,Inputs=fp16", &p.precision), 0);
    assert_close(petal_energy_mac_scale(&p, &a), 1.5 / unit);
}

/* Outputs at their own width where a level only receives finished sums, as
 * partial sums where it adds them: an FC layer with C split between DRAM and
 * the register file. */
static void partial_sums_wider_than_outputs(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    uint64_t bounds[] = {4, 8}; /* M, C */
    assert_int_equal(nb_problem(&p, "fc", "MC", bounds, "M|C", "C", "M"), 0);
    const char *names[] = {"DRAM", "buf", "rf"};
    const petal_mem_class cls[] = {PETAL_MEM_DRAM, PETAL_MEM_SRAM, PETAL_MEM_REGFILE};
    const uint32_t one[] = {1, 1, 1};
    assert_int_equal(nb_chain(&a, 3, names, cls, one, one, 1, 1), 0);
    a.arith.word_bits = 16;
    a.arith.mac_pj = 1;
    m.nlevels = 3;
    /* buf takes every output once, finished (C is whole below it); rf adds. */
    assert_int_equal(nb_level_mapping(&p, &m.levels[0], "", "", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "M4", "M", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[2], "C8", "C", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(petal_precision_parse("Weights=8,Inputs=8,Outputs=8,Psums=24", &p.precision),
                     0);
    petal_model_result r;
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    assert_true(r.valid);
    assert_int_equal(r.levels[0].ds[PETAL_DS_OUTPUTS].word_bits, 8);
    assert_int_equal(r.levels[1].ds[PETAL_DS_OUTPUTS].word_bits, 8);
    assert_int_equal(r.levels[2].ds[PETAL_DS_OUTPUTS].word_bits, 24);
    /* rf: 32 updates from the MACs, 28 reads (the first of each of the 4
     * outputs is elided), each a 24-bit value in 16-bit words at 1 per word:
     * ceil(32 x 24 / 16) = 48 and ceil(28 x 24 / 16) = 42. */
    assert_int_equal(r.levels[2].ds[PETAL_DS_OUTPUTS].updates, 32);
    assert_int_equal(r.levels[2].ds[PETAL_DS_OUTPUTS].reads, 28);
    assert_close(r.levels[2].ds[PETAL_DS_OUTPUTS].energy_pj, 48 + 42);
    /* DRAM: 4 finished 8-bit outputs, two to a 16-bit word: 2 vector updates. */
    assert_int_equal(r.levels[0].ds[PETAL_DS_OUTPUTS].updates, 4);
    assert_close(r.levels[0].ds[PETAL_DS_OUTPUTS].energy_pj, 2);
    /* rf's tile spans its own C loop: 8 weights and 8 inputs of 8 bits and
     * one 24-bit partial sum, 152 bits. */
    assert_int_equal(r.levels[2].capacity_used_bits, 152);
    a.levels[2].depth = 9; /* 144 bits: too few */
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    assert_false(r.valid);
    assert_int_equal(r.invalid_level, 2);
    a.levels[2].depth = 10; /* 160 bits */
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    assert_true(r.valid);
    /* At the outputs' 8 bits the same tile would need only 136 bits: the
     * partial sums' width is what counts where they are added. */
}

/* Bit-serial MACs: 8-bit weights 2 bits per cycle take 4 cycles each. */
static void bit_serial_cycles(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    uint64_t bounds[] = {4, 8};
    assert_int_equal(nb_problem(&p, "fc", "MC", bounds, "M|C", "C", "M"), 0);
    const char *names[] = {"DRAM", "rf"};
    const petal_mem_class cls[] = {PETAL_MEM_DRAM, PETAL_MEM_REGFILE};
    const uint32_t one[] = {1, 1};
    assert_int_equal(nb_chain(&a, 2, names, cls, one, one, 1, 1), 0);
    a.arith.word_bits = 16;
    a.arith.bits_per_cycle = 2;
    m.nlevels = 2;
    assert_int_equal(nb_level_mapping(&p, &m.levels[0], "M4", "M", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(&p, &m.levels[1], "C8", "C", "", "", PETAL_KEEP_ALL), 0);
    petal_model_result r;
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    assert_int_equal(r.cycles_per_mac, 8); /* no widths: the MAC's 16 bits */
    assert_int_equal(r.compute_cycles, 32 * 8);
    assert_int_equal(petal_precision_parse("Weights=8", &p.precision), 0);
    assert_int_equal(petal_model_eval(&p, &a, &m, &r), PETAL_OK);
    assert_int_equal(r.cycles_per_mac, 4);
    assert_int_equal(r.compute_cycles, 128);
    assert_int_equal(r.cycles, 128);
    assert_close(r.utilization, 1);
}

static void parse_refusals(void **state)
{
    (void)state;
    petal_precision pr = {{0}, 0};
    assert_int_equal(petal_precision_parse("Weights=8,inputs=int4,Psums=24,Outputs=bf16", &pr),
                     PETAL_OK);
    assert_int_equal(pr.bits[PETAL_DS_WEIGHTS], 8);
    assert_int_equal(pr.bits[PETAL_DS_INPUTS], 4);
    assert_int_equal(pr.bits[PETAL_PRECISION_PSUMS], 24);
    assert_int_equal(pr.bits[PETAL_DS_OUTPUTS], 16);
    assert_int_equal(pr.float_mask, 1u << PETAL_DS_OUTPUTS);
    const struct {
        const char *text, *says;
    } bad[] = {
        {"Weights=0", "out of range"},
        {"Weights=65", "out of range"},
        {"Bias=8", "'Bias' is not a data space"},
        {"Weights", "not NAME=BITS"},
        {"Weights=8x", "is not a width"},
        {"Weights=-8", "is not a width"},
        {"Inputs=8f", "floating point of 8 bits"},
        {"", "empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        petal_precision keep = pr;
        assert_int_equal(petal_precision_parse(bad[i].text, &keep), PETAL_EINVAL);
        if (!strstr(petal_error_message(), bad[i].says))
            fail_msg("'%s': message '%s' lacks '%s'", bad[i].text, petal_error_message(),
                     bad[i].says);
        assert_memory_equal(&keep, &pr, sizeof pr); /* untouched on failure */
    }
}

/* The mapper finds the 8-bit LeNet conv2 mappings the scratchpads hold only
 * at 8 bits: its pruning works on a relaxation in the narrowest width. */
static void mapper_uses_the_room(void **state)
{
    (void)state;
    petal_problem p;
    petal_arch a;
    petal_mapping m;
    lenet_conv2(&p, &a, &m);
    petal_map_options o;
    petal_map_options_init(&o);
    o.dataflow = "rs";
    o.threads = 1;
    petal_map_result r16, r8;
    assert_int_equal(petal_map(&p, &a, &o, &r16), PETAL_OK);
    assert_true(r16.found);
    assert_int_equal(petal_precision_parse("Weights=8,Inputs=8", &p.precision), 0);
    assert_int_equal(petal_map(&p, &a, &o, &r8), PETAL_OK);
    assert_true(r8.found);
    /* The model's verdict on what the mapper returns, and a better energy
     * than the 16-bit one. */
    petal_model_result check;
    assert_int_equal(petal_model_eval(&p, &a, &r8.mapping, &check), PETAL_OK);
    assert_true(check.valid);
    assert_true(r8.stats.energy_pj < r16.stats.energy_pj);
    /* The search is complete, so its best is no worse than the 240-weight
     * mapping, which is in the rs mapspace. */
    assert_true(r8.complete);
    petal_model_result hand;
    assert_int_equal(petal_model_eval(&p, &a, &m, &hand), PETAL_OK);
    assert_true(hand.valid);
    assert_true(r8.stats.energy_pj <= hand.energy_pj * (1 + 1e-12));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lenet_conv2_fits_at_8_bits),
        cmocka_unit_test(counts_fixed_dram_linear),
        cmocka_unit_test(mac_energy_by_widths),
        cmocka_unit_test(partial_sums_wider_than_outputs),
        cmocka_unit_test(bit_serial_cycles),
        cmocka_unit_test(parse_refusals),
        cmocka_unit_test(mapper_uses_the_room),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
