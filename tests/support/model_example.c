/* model_example.c - docs/model.md's worked example as a test fixture: conv1d
 * (C2 M4 Q8 S3) on DRAM -> buf -> 2x2 rf with its mapping. Included (after
 * cmocka.h and unit/nest_builder.h) by the model's tests. */
#include <stdio.h>
#include <string.h>

#include "petal/model.h"

typedef struct example {
    petal_problem p;
    petal_arch a;
    petal_mapping m;
} example;

__attribute__((unused)) static void build_example(example *e)
{
    petal_conv_params c = {.batch = 1,
                           .in_channels = 2,
                           .in_h = 1,
                           .in_w = 10,
                           .out_channels = 4,
                           .kernel_h = 1,
                           .kernel_w = 3};
    assert_int_equal(petal_problem_conv(&e->p, "conv1d", &c), PETAL_OK);
    petal_arch *a = &e->a;
    memset(a, 0, sizeof *a);
    snprintf(a->name, sizeof a->name, "model-example");
    a->nlevels = 3;
    nb_level(&a->levels[0], "DRAM", PETAL_MEM_DRAM, 0, 1, 1, 1, PETAL_KEEP_ALL);
    a->levels[0].read_bw = a->levels[0].write_bw = 0.5;
    a->levels[0].read_pj = a->levels[0].fill_pj = a->levels[0].update_pj = 100;
    nb_level(&a->levels[1], "buf", PETAL_MEM_SRAM, 64, 1, 1, 1, PETAL_KEEP_ALL);
    a->levels[1].read_pj = a->levels[1].fill_pj = a->levels[1].update_pj = 6;
    nb_level(&a->levels[2], "rf", PETAL_MEM_REGFILE, 32, 1, 2, 2, PETAL_KEEP_ALL);
    snprintf(a->arith.name, sizeof a->arith.name, "mac");
    a->arith.instances = 4;
    a->arith.mesh_x = a->arith.mesh_y = 2;
    a->arith.word_bits = 16;
    a->arith.mac_pj = 1;
    a->clock_hz = 1e9;
    assert_int_equal(petal_arch_check(a), PETAL_OK);
    petal_mapping *m = &e->m;
    memset(m, 0, sizeof *m);
    m->nlevels = 3;
    const petal_problem *p = &e->p;
    uint8_t io = 1u << PETAL_DS_INPUTS | 1u << PETAL_DS_OUTPUTS;
    assert_int_equal(nb_level_mapping(p, &m->levels[0], "Q2", "Q", "", "", PETAL_KEEP_ALL), 0);
    assert_int_equal(nb_level_mapping(p, &m->levels[1], "", "", "M2", "C2", io), 0);
    assert_int_equal(nb_level_mapping(p, &m->levels[2], "M2 Q4 S3", "SQM", "", "", PETAL_KEEP_ALL),
                     0);
}
