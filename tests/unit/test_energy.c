/* test_energy.c - the built-in energy tables reproduce their published anchors,
 * and the size scaling rule behaves as docs/energy.md states. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "petal/energy.h"

#define assert_close(a, b) assert_true(fabs((a) - (b)) <= 1e-9 * fmax(1.0, fabs(b)))

static const petal_energy_table *table(const char *name)
{
    const petal_energy_table *t = NULL;
    assert_int_equal(petal_energy_table_get(name, &t), PETAL_OK);
    assert_non_null(t);
    return t;
}

static double read_pj(const petal_energy_table *t, petal_mem_class cls, uint64_t depth,
                      uint32_t bits, uint32_t block)
{
    petal_storage_cost c;
    assert_int_equal(petal_energy_storage(t, cls, depth, bits, block, &c), PETAL_OK);
    assert_close(c.write_pj, c.read_pj);
    return c.read_pj;
}

static void eyeriss_anchors(void **state)
{
    (void)state;
    const petal_energy_table *t = table("eyeriss-65nm");
    /* 0.5 kB register file, 16-bit words: 1 MAC-equivalent per access. */
    assert_close(read_pj(t, PETAL_MEM_REGFILE, 256, 16, 1), 1.0);
    /* Any RF up to 1 kB costs the same: the paper's scratchpads are all "RF". */
    assert_close(read_pj(t, PETAL_MEM_REGFILE, 12, 16, 1), 1.0);
    assert_close(read_pj(t, PETAL_MEM_REGFILE, 512, 16, 1), 1.0);
    /* Global buffer 100-500 kB: 6. */
    assert_close(read_pj(t, PETAL_MEM_SRAM, 100 * 512, 16, 1), 6.0);
    assert_close(read_pj(t, PETAL_MEM_SRAM, 108 * 512, 16, 1), 6.0);
    assert_close(read_pj(t, PETAL_MEM_SRAM, 500 * 512, 16, 1), 6.0);
    /* DRAM: 200 per word, any depth. */
    assert_close(read_pj(t, PETAL_MEM_DRAM, 0, 16, 1), 200.0);
    /* NoC: 2 per word per hop. */
    assert_close(petal_energy_hop(t, 16), 2.0);
    /* MAC: the unit. */
    double pj, area;
    assert_int_equal(petal_energy_mac(t, 16, false, &pj, &area), PETAL_OK);
    assert_close(pj, 1.0);
    assert_true(area > 0);
}

static void horowitz_anchors(void **state)
{
    (void)state;
    const petal_energy_table *t = table("horowitz-45nm");
    /* 32-bit read of an 8 kB SRAM: 5 pJ; of DRAM: 640 pJ. */
    assert_close(read_pj(t, PETAL_MEM_SRAM, 2048, 32, 1), 5.0);
    assert_close(read_pj(t, PETAL_MEM_DRAM, 0, 32, 1), 640.0);
    /* 8-bit integer MAC = 8b multiply (0.2 pJ, 282 um2) + 16b add (0.05 pJ, 67 um2). */
    double pj, area;
    assert_int_equal(petal_energy_mac(t, 8, false, &pj, &area), PETAL_OK);
    assert_close(pj, 0.25);
    assert_close(area, 349.0);
    /* 16-bit integer MAC: add 32b is listed (0.1 pJ, 137 um2); the 16b multiply
     * lies on the power law through 8b and 32b. */
    assert_int_equal(petal_energy_mac(t, 16, false, &pj, &area), PETAL_OK);
    assert_close(pj, 0.2 * sqrt(3.1 / 0.2) + 0.1);
    assert_close(area, 282.0 * sqrt(3495.0 / 282.0) + 137.0);
    /* Floating point: multiply and add of the same width. */
    assert_int_equal(petal_energy_mac(t, 32, true, &pj, &area), PETAL_OK);
    assert_close(pj, 3.7 + 0.9);
    assert_close(area, 7700.0 + 4184.0);
    assert_int_equal(petal_energy_mac(t, 16, true, &pj, &area), PETAL_OK);
    assert_close(pj, 1.1 + 0.4);
    assert_int_equal(petal_energy_mac(t, 8, true, &pj, &area), PETAL_EINVAL);
    assert_int_equal(petal_energy_mac(t, 0, false, &pj, &area), PETAL_EINVAL);
    assert_close(petal_energy_hop(t, 16), 0.0);
}

static void sqrt_rule_outside_the_anchors(void **state)
{
    (void)state;
    const petal_energy_table *h = table("horowitz-45nm");
    /* Four times the capacity: twice the energy per bit; a quarter: half. */
    assert_close(read_pj(h, PETAL_MEM_SRAM, 4 * 2048, 32, 1), 10.0);
    assert_close(read_pj(h, PETAL_MEM_SRAM, 2048 / 4, 32, 1), 2.5);
    /* Register files follow the same curve; only their area differs. */
    assert_close(read_pj(h, PETAL_MEM_REGFILE, 2048, 32, 1), 5.0);
    /* Energy is linear in the access width: a 4-word block costs 4 words. */
    assert_close(read_pj(h, PETAL_MEM_SRAM, 8192, 16, 4),
                 4 * read_pj(h, PETAL_MEM_SRAM, 8192, 16, 1));

    const petal_energy_table *e = table("eyeriss-65nm");
    /* Above the buffer range: sqrt growth from its upper edge (500 kB). */
    assert_close(read_pj(e, PETAL_MEM_SRAM, 4 * 500 * 512, 16, 1), 12.0);
    /* Between the RF and buffer ranges: a power law through 1 kB -> 1 and
     * 100 kB -> 6, so 10 kB (the geometric middle) costs sqrt(6). */
    assert_close(read_pj(e, PETAL_MEM_SRAM, 10 * 512, 16, 1), sqrt(6.0));
    assert_close(petal_energy_pj_per_bit(e, 8192), 1.0 / 16);
    assert_close(petal_energy_pj_per_bit(e, 819200), 6.0 / 16);
    /* Monotone in capacity. */
    double last = 0;
    for (double c = 16; c < 1e8; c *= 1.5) {
        double v = petal_energy_pj_per_bit(e, c);
        assert_true(v >= last);
        last = v;
    }
}

static void areas_scale_with_bits(void **state)
{
    (void)state;
    const petal_energy_table *h = table("horowitz-45nm");
    petal_storage_cost c;
    assert_int_equal(petal_energy_storage(h, PETAL_MEM_SRAM, 1024, 16, 1, &c), PETAL_OK);
    assert_close(c.area_um2, 1024 * 16 * h->sram_um2_per_bit);
    assert_int_equal(petal_energy_storage(h, PETAL_MEM_REGFILE, 4, 16, 1, &c), PETAL_OK);
    assert_close(c.area_um2, 4 * 16 * h->regfile_um2_per_bit);
    assert_int_equal(petal_energy_storage(h, PETAL_MEM_DRAM, 0, 16, 4, &c), PETAL_OK);
    assert_close(c.area_um2, 0.0);
    assert_int_equal(petal_energy_storage(h, PETAL_MEM_NONE, 0, 16, 1, &c), PETAL_OK);
    assert_close(c.read_pj, 0.0);
    /* An on-chip memory without a depth has no cost to look up. */
    assert_int_equal(petal_energy_storage(h, PETAL_MEM_SRAM, 0, 16, 1, &c), PETAL_EINVAL);
    /* 65 nm areas are 45 nm areas scaled by (65/45)^2. */
    const petal_energy_table *e = table("eyeriss-65nm");
    double s = (65.0 / 45.0) * (65.0 / 45.0);
    assert_close(e->sram_um2_per_bit, h->sram_um2_per_bit * s);
    double a45, a65;
    assert_int_equal(petal_energy_mac(h, 16, false, NULL, &a45), PETAL_OK);
    assert_int_equal(petal_energy_mac(e, 16, false, NULL, &a65), PETAL_OK);
    assert_close(a65, a45 * s);
}

static void lookup_and_fill(void **state)
{
    (void)state;
    const petal_energy_table *t = NULL;
    assert_int_equal(petal_energy_table_get("tsmc-7nm", &t), PETAL_ENOTFOUND);
    assert_non_null(strstr(petal_error_message(), "eyeriss-65nm"));
    assert_int_equal(petal_energy_table_count(), 2);
    assert_null(petal_energy_table_at(2));

    /* Two levels: a DRAM with a given read energy, and an RF under a fan-out. */
    petal_arch a;
    memset(&a, 0, sizeof a);
    a.nlevels = 2;
    petal_level *dram = &a.levels[0], *rf = &a.levels[1];
    *dram = (petal_level){.name = "DRAM",
                          .cls = PETAL_MEM_DRAM,
                          .word_bits = 16,
                          .block_size = 1,
                          .instances = 1,
                          .mesh_x = 1,
                          .mesh_y = 1};
    *rf = (petal_level){.name = "rf",
                        .cls = PETAL_MEM_REGFILE,
                        .depth = 256,
                        .word_bits = 16,
                        .block_size = 1,
                        .instances = 4,
                        .mesh_x = 2,
                        .mesh_y = 2};
    for (int i = 0; i < 2; i++) {
        petal_level *l = &a.levels[i];
        l->read_pj = l->fill_pj = l->update_pj = l->leak_pj = l->hop_pj = l->area_um2 = NAN;
    }
    dram->read_pj = 150;
    a.arith = (petal_arith){.name = "mac",
                            .instances = 4,
                            .mesh_x = 2,
                            .mesh_y = 2,
                            .word_bits = 16,
                            .mac_pj = NAN,
                            .area_um2 = NAN};
    assert_int_equal(petal_energy_fill(table("eyeriss-65nm"), &a), PETAL_OK);
    assert_close(dram->read_pj, 150.0);
    assert_close(dram->fill_pj, 200.0);
    assert_close(dram->hop_pj, 2.0); /* DRAM feeds 4 RFs */
    assert_close(rf->read_pj, 1.0);
    assert_close(rf->hop_pj, 0.0); /* one MAC per RF */
    assert_close(rf->leak_pj, 0.0);
    assert_close(a.arith.mac_pj, 1.0);
    assert_false(isnan(a.arith.area_um2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(eyeriss_anchors),
        cmocka_unit_test(horowitz_anchors),
        cmocka_unit_test(sqrt_rule_outside_the_anchors),
        cmocka_unit_test(areas_scale_with_bits),
        cmocka_unit_test(lookup_and_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
