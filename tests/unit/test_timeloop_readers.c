/* test_timeloop_readers.c - Timeloop problem, architecture, mapping,
 * constraint, ERT and ART readers against the reference exercises' files, and
 * their messages on bad input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "petal/timeloop.h"
#include "support/reader_io.c"
#include "support/timeloop_stats.c"

#define TL PETAL_SHARED_DIR "/reference/timeloop-exercises/tutorial-timeloop/"
#define ED PETAL_SHARED_DIR "/reference/timeloop-exercises/example_designs/example_designs/"

static int setup(void **state)
{
    (void)state;
    warnings[0] = '\0';
    petal_set_warning_handler(collect_warning, NULL);
    return 0;
}

static petal_timeloop_spec spec; /* large: keep it off the stack */

static void load_ok(const petal_timeloop_files *f)
{
    petal_status st = petal_timeloop_load(f, &spec);
    if (st)
        fail_msg("load failed: %s", petal_error_message());
}

static int dim(const char *name)
{
    int d = petal_problem_dim(&spec.problem, name);
    assert_true(d >= 0);
    return d;
}

static int level(const char *name)
{
    int l = petal_arch_level(&spec.arch, name);
    if (l < 0)
        fail_msg("no level %s", name);
    return l;
}

static void exercise00_original(void **state)
{
    (void)state;
    petal_timeloop_files f = {.problem = TL "00-model-conv1d-1level/prob/conv1d.prob.yaml",
                              .arch = TL "00-model-conv1d-1level/arch/1level.arch.yaml",
                              .mapping = TL "00-model-conv1d-1level/map/conv1d-1level.map.yaml"};
    load_ok(&f);
    const petal_problem *p = &spec.problem;
    assert_string_equal(p->name, "Conv1D");
    assert_int_equal(p->kind, PETAL_LAYER_GENERIC);
    assert_int_equal(p->ndims, 2);
    assert_int_equal(p->bounds[dim("R")], 3);
    assert_int_equal(p->bounds[dim("P")], 16);
    /* Inputs[R + P]: one rank of two terms. */
    const petal_dataspace *in = &p->ds[PETAL_DS_INPUTS];
    assert_string_equal(in->name, "Inputs");
    assert_int_equal(in->nranks, 1);
    assert_int_equal(in->ranks[0].nterms, 2);
    assert_int_equal(in->ranks[0].terms[0].dim, dim("R"));
    assert_int_equal(in->ranks[0].terms[1].dim, dim("P"));
    assert_int_equal(petal_problem_ds_words(p, PETAL_DS_INPUTS), 18);
    assert_int_equal(p->ds[PETAL_DS_OUTPUTS].ranks[0].terms[0].dim, dim("P"));

    const petal_arch *a = &spec.arch;
    assert_int_equal(a->nlevels, 1);
    assert_string_equal(a->levels[0].name, "Buffer");
    assert_int_equal(a->levels[0].cls, PETAL_MEM_REGFILE);
    assert_int_equal(a->levels[0].depth, 64);
    assert_int_equal(a->levels[0].word_bits, 8);
    assert_int_equal(a->levels[0].block_size, 1);
    assert_string_equal(a->arith.name, "MACC");
    assert_int_equal(a->arith.instances, 1);
    assert_true(a->clock_hz > 0.99e9 && a->clock_hz < 1.01e9);

    assert_true(spec.has_mapping);
    assert_false(spec.has_energy);
    const petal_level_mapping *lm = &spec.mapping.levels[0];
    assert_int_equal(lm->temporal[dim("R")], 3);
    assert_int_equal(lm->temporal[dim("P")], 16);
    assert_int_equal(lm->perm[0], dim("R")); /* "RP": R innermost */
    assert_int_equal(lm->perm[1], dim("P"));
    assert_int_equal(lm->keep, PETAL_KEEP_ALL);
}

static void exercise00_processed_with_energy(void **state)
{
    (void)state;
    petal_timeloop_files f = {
        .combined = TL "00-model-conv1d-1level/ref-output/parsed-processed-input.yaml",
        .ert = TL "00-model-conv1d-1level/ref-output/timeloop-model.ERT.yaml",
        .art = TL "00-model-conv1d-1level/ref-output/timeloop-model.ART.yaml"};
    load_ok(&f);
    assert_true(spec.has_mapping && spec.has_energy && spec.has_area);
    const petal_level *b = &spec.arch.levels[0];
    assert_float_equal(b->read_pj, 0.42564, 1e-9);
    assert_float_equal(b->fill_pj, 0.42564, 1e-9);
    assert_float_equal(b->update_pj, 0.42564, 1e-9);
    assert_float_equal(b->leak_pj, 0.000861, 1e-12);
    assert_float_equal(b->area_um2, 887.84, 1e-9);
    assert_float_equal(spec.arch.arith.mac_pj, 0.845, 1e-12);
    assert_float_equal(spec.arch.arith.area_um2, 332.25, 1e-9);
    /* The processed input's "R=3,P=16" form. */
    assert_int_equal(spec.mapping.levels[0].temporal[dim("P")], 16);
    assert_true(petal_constraints_empty(&spec.constraints));
}

static void exercise03_bypass(void **state)
{
    (void)state;
    petal_timeloop_files f = {.problem = TL "03-model-conv1d+oc-3level/prob/conv1d+oc.prob.yaml",
                              .arch = TL "03-model-conv1d+oc-3level/arch/3level.arch.yaml",
                              .mapping = TL
                              "03-model-conv1d+oc-3level/map/conv1d+oc-3level-bypass.map.yaml"};
    load_ok(&f);
    const petal_arch *a = &spec.arch;
    assert_int_equal(a->nlevels, 3);
    assert_int_equal(a->levels[0].cls, PETAL_MEM_DRAM);
    assert_int_equal(a->levels[0].depth, 0);         /* unbounded */
    assert_int_equal(a->levels[0].block_size, 32);   /* width 256 / 8 */
    assert_int_equal(a->levels[1].depth, 32768 * 8); /* depth x block */
    uint8_t w = 1 << PETAL_DS_WEIGHTS, i = 1 << PETAL_DS_INPUTS, o = 1 << PETAL_DS_OUTPUTS;
    assert_int_equal(spec.mapping.levels[0].keep, w | i | o);
    assert_int_equal(spec.mapping.levels[level("GlobalBuffer")].keep, w | i);
    assert_int_equal(spec.mapping.levels[level("RegisterFile")].keep, o);
    assert_int_equal(spec.mapping.levels[level("GlobalBuffer")].temporal[dim("K")], 16);
}

static void exercise04_original_and_processed(void **state)
{
    (void)state;
    /* The original: the PE container's mesh sits below the global buffer. */
    petal_timeloop_files f = {
        .problem = TL "04-model-conv1d+oc-3levelspatial/prob/conv1d+oc+ic.prob.yaml",
        .arch = TL "04-model-conv1d+oc-3levelspatial/arch/3levelspatial.arch.yaml",
        .mapping = TL "04-model-conv1d+oc-3levelspatial/map/"
                      "conv1d+oc+ic-3levelspatial-cp-ws.map.yaml"};
    load_ok(&f);
    const petal_arch *a = &spec.arch;
    assert_int_equal(a->nlevels, 4);
    assert_string_equal(a->levels[2].name, "inter_PE_spatial");
    assert_int_equal(a->levels[2].cls, PETAL_MEM_NONE);
    assert_int_equal(a->levels[1].instances, 1);
    assert_int_equal(a->levels[3].instances, 16);
    assert_int_equal(a->levels[3].mesh_x, 16);
    assert_int_equal(a->arith.instances, 16);
    /* "target: PE" reaches the container's fan-out level; no split: all X. */
    const petal_level_mapping *pe = &spec.mapping.levels[2];
    assert_int_equal(pe->spatial_x[dim("C")], 16);
    assert_int_equal(pe->spatial_y[dim("C")], 1);
    assert_int_equal(pe->keep, 0);

    /* The processed input: the global buffer is per PE. */
    petal_timeloop_files g = {.combined = TL "04-model-conv1d+oc-3levelspatial/ref-output/kp/"
                                             "parsed-processed-input.yaml"};
    load_ok(&g);
    a = &spec.arch;
    assert_int_equal(a->nlevels, 4);
    assert_string_equal(a->levels[1].name, "inter_PE_spatial");
    assert_int_equal(a->levels[2].instances, 16);
    assert_int_equal(spec.mapping.levels[1].spatial_x[dim("K")], 16);
    assert_int_equal(spec.mapping.levels[2].temporal[dim("C")], 32);
    /* "PRKC" innermost first. */
    assert_int_equal(spec.mapping.levels[2].perm[0], dim("P"));
    assert_int_equal(spec.mapping.levels[2].perm[3], dim("C"));
}

static void eyeriss_mapper_result(void **state)
{
    (void)state;
    petal_timeloop_files f = {
        .combined = ED "eyeriss_like/ref_outputs/default_problem/parsed-processed-input.yaml",
        .mapping = ED "eyeriss_like/ref_outputs/default_problem/timeloop-mapper.map.yaml",
        .ert = ED "eyeriss_like/ref_outputs/default_problem/timeloop-mapper.ERT.yaml",
        .art = ED "eyeriss_like/ref_outputs/default_problem/timeloop-mapper.ART.yaml"};
    load_ok(&f);
    const petal_problem *p = &spec.problem;
    assert_int_equal(p->ndims, 7);
    assert_int_equal(p->bounds[dim("P")], 112);
    /* Inputs' third rank is R*Wdilation + P*Wstride with Wstride = 2. */
    const petal_rank *r = &p->ds[PETAL_DS_INPUTS].ranks[2];
    assert_int_equal(r->nterms, 2);
    assert_int_equal(r->terms[0].dim, dim("R"));
    assert_int_equal(r->terms[0].coef, 1);
    assert_int_equal(r->terms[1].dim, dim("P"));
    assert_int_equal(r->terms[1].coef, 2);

    const petal_arch *a = &spec.arch;
    assert_int_equal(a->nlevels, 7);
    static const char *const names[] = {
        "DRAM",         "shared_glb", "inter_PE_column_spatial", "inter_PE_spatial", "ifmap_spad",
        "weights_spad", "psum_spad"};
    static const uint64_t instances[] = {1, 1, 1, 14, 168, 168, 168};
    for (int l = 0; l < 7; l++) {
        assert_string_equal(a->levels[l].name, names[l]);
        assert_int_equal(a->levels[l].instances, instances[l]);
    }
    assert_int_equal(a->levels[4].mesh_x, 14);
    assert_int_equal(a->levels[4].mesh_y, 12);
    assert_int_equal(a->levels[5].block_size, 2);
    assert_int_equal(a->levels[5].depth, 384);
    assert_float_equal(a->levels[1].read_bw, 16, 0);
    assert_float_equal(a->levels[1].read_pj, 18.183829, 1e-9);
    assert_float_equal(a->levels[1].fill_pj, 14.137929, 1e-9);
    assert_float_equal(a->levels[6].read_pj, 0.2513, 1e-9);
    assert_float_equal(a->levels[6].update_pj, 0.2191, 1e-9);
    assert_float_equal(a->levels[5].area_um2, 5816.44278, 1e-6);
    assert_float_equal(a->arith.mac_pj, 0.207692, 1e-9);

    /* split 1 puts Q on X at the column level, split 0 puts C and S on Y. */
    const petal_mapping *m = &spec.mapping;
    assert_int_equal(m->levels[2].spatial_x[dim("Q")], 14);
    assert_int_equal(m->levels[3].spatial_y[dim("C")], 3);
    assert_int_equal(m->levels[3].spatial_y[dim("S")], 3);
    assert_int_equal(m->levels[3].spatial_x[dim("C")], 1);
    assert_int_equal(m->levels[1].keep, (1 << PETAL_DS_INPUTS) | (1 << PETAL_DS_OUTPUTS));
    assert_int_equal(m->levels[4].keep, 1 << PETAL_DS_INPUTS);
    assert_int_equal(m->levels[0].temporal[dim("M")], 4);
    /* "MQPCRSN" innermost first. */
    assert_int_equal(m->levels[0].perm[0], dim("M"));
    assert_int_equal(m->levels[0].perm[1], dim("Q"));

    /* The processed input's architecture_constraints. */
    const petal_constraints *c = &spec.constraints;
    assert_int_equal(c->levels[1].keep, (1 << PETAL_DS_INPUTS) | (1 << PETAL_DS_OUTPUTS));
    assert_int_equal(c->levels[1].bypass, 1 << PETAL_DS_WEIGHTS);
    assert_int_equal(c->levels[3].spatial_split, 0);
    assert_int_equal(c->levels[2].spatial_split, 7); /* 999 clamps to all X */
    assert_int_equal(c->levels[3].spatial_exact[dim("N")], 1);
    assert_int_equal(c->levels[3].spatial_exact[dim("C")], 0);
    assert_int_equal(c->levels[6].n_temporal_inner, 7);
    assert_int_equal(c->levels[6].temporal_inner[6], dim("M"));
}

static void eyeriss_original_constraints(void **state)
{
    (void)state;
    petal_timeloop_files f = {.problem = TL "06-mapper-convlayer-eyeriss/prob/VGG02_layer5.yaml",
                              .arch = TL "06-mapper-convlayer-eyeriss/arch/eyeriss_like.yaml"};
    load_ok(&f);
    assert_false(spec.has_mapping);
    const petal_constraints *c = &spec.constraints;
    int glb = level("shared_glb"), ifmap = level("ifmap_spad"),
        col = level("inter_PE_column_spatial");
    assert_int_equal(c->levels[glb].bypass, 1 << PETAL_DS_WEIGHTS);
    /* keep: [Inputs] on a component bypasses the rest. */
    assert_int_equal(c->levels[ifmap].keep, 1 << PETAL_DS_INPUTS);
    assert_int_equal(c->levels[ifmap].bypass, (1 << PETAL_DS_WEIGHTS) | (1 << PETAL_DS_OUTPUTS));
    assert_int_equal(c->levels[ifmap].temporal_exact[dim("C")], 1);
    assert_int_equal(c->levels[col].spatial_split, 7);
    assert_int_equal(c->levels[col].n_spatial_order, 7);
    assert_int_equal(c->levels[col].spatial_order[0], dim("N"));
    /* A fan-out level keeps nothing and runs no temporal loop. */
    assert_int_equal(c->levels[col].bypass, PETAL_KEEP_ALL);
    assert_int_equal(c->levels[col].temporal_exact[dim("Q")], 1);
    assert_false(petal_constraints_factors_ok(&c->levels[ifmap], spec.problem.ndims,
                                              (uint64_t[PETAL_MAX_DIMS]){2, 1, 1, 1, 1, 1, 1},
                                              (uint64_t[PETAL_MAX_DIMS]){1, 1, 1, 1, 1, 1, 1}));
}

static void mapper_constraint_files(void **state)
{
    (void)state;
    petal_timeloop_files f = {.problem = TL "05-mapper-conv1d+oc-3level/prob/conv1d+oc.prob.yaml",
                              .arch = TL "05-mapper-conv1d+oc-3level/arch/3level.arch.yaml",
                              .constraints = TL "05-mapper-conv1d+oc-3level/constraints/"
                                                "conv1d+oc-3level-1mapping.constraints.yaml"};
    load_ok(&f);
    const petal_level_constraints *gb = &spec.constraints.levels[level("GlobalBuffer")];
    assert_int_equal(gb->temporal_exact[dim("P")], 16);
    assert_int_equal(gb->temporal_exact[dim("K")], 16);
    assert_int_equal(gb->keep, PETAL_KEEP_ALL);
    assert_int_equal(gb->n_temporal_inner, 3);
    f.constraints = TL "05-mapper-conv1d+oc-3level/constraints/null.constraints.yaml";
    load_ok(&f);
    assert_true(petal_constraints_empty(&spec.constraints));
}

static void every_original_loads(void **state)
{
    (void)state;
    struct {
        const char *prob, *arch, *map;
    } cases[] = {
        {TL "01-model-conv1d-2level/prob/conv1d.prob.yaml",
         TL "01-model-conv1d-2level/arch/2level.arch.yaml",
         TL "01-model-conv1d-2level/map/conv1d-2level-os.map.yaml"},
        {TL "01-model-conv1d-2level/prob/conv1d.prob.yaml",
         TL "01-model-conv1d-2level/arch/2level.arch.yaml",
         TL "01-model-conv1d-2level/map/conv1d-2level-ws.map.yaml"},
        {TL "02-model-conv1d+oc-2level/prob/conv1d+oc.prob.yaml",
         TL "02-model-conv1d+oc-2level/arch/2level.arch.yaml",
         TL "02-model-conv1d+oc-2level/map/conv1d+oc-2level-os-tiled.map.yaml"},
        {TL "02-model-conv1d+oc-2level/prob/conv1d+oc.prob.yaml",
         TL "02-model-conv1d+oc-2level/arch/2level.arch.yaml",
         TL "02-model-conv1d+oc-2level/map/conv1d+oc-2level-os.map.yaml"},
        {TL "03-model-conv1d+oc-3level/prob/conv1d+oc.prob.yaml",
         TL "03-model-conv1d+oc-3level/arch/3level.arch.yaml",
         TL "03-model-conv1d+oc-3level/map/conv1d+oc-3level.map.yaml"},
        {TL "04-model-conv1d+oc-3levelspatial/prob/conv1d+oc+ic.prob.yaml",
         TL "04-model-conv1d+oc-3levelspatial/arch/3levelspatial.arch.yaml",
         TL "04-model-conv1d+oc-3levelspatial/map/conv1d+oc+ic-3levelspatial-kp-ws.map.yaml"},
        {ED "_include/default_problem.yaml", ED "eyeriss_like/arch.yaml",
         ED "eyeriss_like/ref_outputs/default_problem/timeloop-mapper.map.yaml"},
        {ED "_include/default_problem.yaml", ED "simba_like/arch.yaml",
         ED "simba_like/ref_outputs/default_problem/timeloop-mapper.map.yaml"},
        {ED "_include/default_problem.yaml", ED "simple_weight_stationary/arch.yaml",
         ED "simple_weight_stationary/ref_outputs/default_problem/timeloop-mapper.map.yaml"},
        {ED "_include/default_problem.yaml", ED "simple_output_stationary/arch.yaml",
         ED "simple_output_stationary/ref_outputs/default_problem/timeloop-mapper.map.yaml"},
        {TL "06-mapper-convlayer-eyeriss/prob/VGG02_layer5.yaml",
         TL "06-mapper-convlayer-eyeriss/arch/eyeriss_like.yaml",
         TL "06-mapper-convlayer-eyeriss/ref-output/timeloop-mapper.map.yaml"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        petal_timeloop_files f = {
            .problem = cases[i].prob, .arch = cases[i].arch, .mapping = cases[i].map};
        load_ok(&f);
        assert_true(spec.has_mapping);
    }
    /* Simba's weight registers share accesses in clusters of 64, which the
     * model charges per cluster: the reader keeps the size. */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!strstr(cases[i].arch, "simba_like"))
            continue;
        petal_timeloop_files f = {
            .problem = cases[i].prob, .arch = cases[i].arch, .mapping = cases[i].map};
        load_ok(&f);
        int l = petal_arch_level(&spec.arch, "PEWeightRegs");
        assert_true(l >= 0);
        assert_int_equal(spec.arch.levels[l].cluster_size, 64);
    }
}

static void jinja_is_refused(void **state)
{
    (void)state;
    petal_problem p;
    const char *path = PETAL_SHARED_DIR "/reference/timeloop-exercises/example_designs/"
                                        "layer_shapes/alexnet/0.yaml";
    assert_int_equal(petal_timeloop_read_problem(path, &p), PETAL_EUNSUPPORTED);
    assert_non_null(strstr(petal_error_message(), "Jinja"));
    assert_non_null(strstr(petal_error_message(), "0.yaml:1"));
}

static const char *problem_text = "problem:\n"
                                  "  version: 0.4\n"
                                  "  shape:\n"
                                  "    name: Conv1D\n"
                                  "    dimensions: [ R, P ]\n"
                                  "    data_spaces:\n"
                                  "    - name: Weights\n"
                                  "      projection: [ [ [R] ] ]\n"
                                  "    - name: Inputs\n"
                                  "      projection: [ [ [R], [P] ] ]\n"
                                  "    - name: Outputs\n"
                                  "      projection: [ [ [P] ] ]\n"
                                  "      read_write: True\n"
                                  "  instance: { R: 3, P: 16 }\n";

static const char *arch_text = "architecture:\n"
                               "  version: 0.4\n"
                               "  nodes:\n"
                               "  - !Container\n"
                               "    name: top\n"
                               "  - !Component\n"
                               "    name: Buffer\n"
                               "    class: regfile\n"
                               "    attributes: {depth: 64, width: 8, datawidth: 8}\n"
                               "  - !Component\n"
                               "    name: MACC\n"
                               "    class: intmac\n";

/* Load problem_text + arch_text with a mapping (or an arch) given as text;
 * returns the status and leaves the message in petal_error_message(). */
static petal_status load_texts(const char *problem, const char *arch, const char *mapping)
{
    char pp[TEMP_PATH], ap[TEMP_PATH], mp[TEMP_PATH];
    temp_file(pp, problem);
    temp_file(ap, arch);
    if (mapping)
        temp_file(mp, mapping);
    petal_timeloop_files f = {.problem = pp, .arch = ap, .mapping = mapping ? mp : NULL};
    petal_status st = petal_timeloop_load(&f, &spec);
    unlink(pp);
    unlink(ap);
    if (mapping)
        unlink(mp);
    return st;
}

/* Timeloop v3's imperfect factors, "P6,4": 6 iterations, 4 in the loop's last
 * occurrence, on two levels: they read as petal's clipped grid (the
 * outermost loop runs its residual), a residual off the bound is refused
 * with its place, and the writer gives them back. */
static const char *arch_two = "architecture:\n"
                              "  version: 0.4\n"
                              "  nodes:\n"
                              "  - !Container\n"
                              "    name: top\n"
                              "  - !Component\n"
                              "    name: Main\n"
                              "    class: DRAM\n"
                              "    attributes: {width: 8, datawidth: 8}\n"
                              "  - !Component\n"
                              "    name: Buffer\n"
                              "    class: regfile\n"
                              "    attributes: {depth: 64, width: 8, datawidth: 8}\n"
                              "  - !Component\n"
                              "    name: MACC\n"
                              "    class: intmac\n";

static void imperfect_factors_read_and_written(void **state)
{
    (void)state;
    const char *imperfect = "mapping:\n- target: Main\n  type: temporal\n  factors: R1 P3\n"
                            "- target: Buffer\n  type: temporal\n  factors: R3 P6,4\n";
    assert_int_equal(load_texts(problem_text, arch_two, imperfect), PETAL_OK);
    int P = petal_problem_dim(&spec.problem, "P");
    assert_int_equal(spec.mapping.levels[0].temporal[P], 3);
    assert_int_equal(spec.mapping.levels[1].temporal[P], 6);
    assert_int_equal(petal_mapping_factor_fit(&spec.mapping, P, 16, NULL, NULL, NULL),
                     PETAL_FACTORS_IMPERFECT);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_int_equal(petal_timeloop_write_mapping(out, &spec.problem, &spec.arch, &spec.mapping),
                     PETAL_OK);
    fclose(out);
    if (!strstr(text, "factors: R3 P6,4") || !strstr(text, "factors: R1 P3\n"))
        fail_msg("written:\n%s", text);
    free(text);
    /* The outermost loop of 4 running 3: petal's factor 3. */
    assert_int_equal(load_texts(problem_text, arch_two,
                                "mapping:\n- target: Main\n  type: temporal\n  factors: R1 P4,3\n"
                                "- target: Buffer\n  type: temporal\n  factors: R3 P6,4\n"),
                     PETAL_OK);
    assert_int_equal(spec.mapping.levels[0].temporal[P], 3);
    /* 2 x 6 + 5 = 17 is not 16: refused with the place. */
    assert_int_equal(load_texts(problem_text, arch_two,
                                "mapping:\n- target: Main\n  type: temporal\n  factors: R1 P3\n"
                                "- target: Buffer\n  type: temporal\n  factors: R3 P6,5\n"),
                     PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), ":2:"));
    assert_non_null(strstr(petal_error_message(), "cover 17, but its bound is 16"));
    /* A residual above its factor. */
    assert_int_equal(load_texts(problem_text, arch_two,
                                "mapping:\n- target: Main\n  type: temporal\n  factors: R1 P3\n"
                                "- target: Buffer\n  type: temporal\n  factors: R3 P6,7\n"),
                     PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), ":7:"));
    assert_non_null(strstr(petal_error_message(), "the residual of P must be 1 to its factor 6"));
}

static void mapping_errors_name_the_place(void **state)
{
    (void)state;
    const char *ok = "mapping:\n- target: Buffer\n  type: temporal\n  factors: R3 P16\n"
                     "  permutation: PR\n";
    assert_int_equal(load_texts(problem_text, arch_text, ok), PETAL_OK);
    assert_int_equal(spec.mapping.levels[0].perm[0], 1); /* P innermost */

    assert_int_equal(load_texts(problem_text, arch_text,
                                "mapping:\n- target: Buffer\n  type: temporal\n"
                                "  factors: R=3 X=16\n"),
                     PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), ":4:"));
    assert_non_null(strstr(petal_error_message(), "no dimension 'X'"));

    assert_int_equal(load_texts(problem_text, arch_text,
                                "mapping:\n- target: Buffer\n  type: temporal\n"
                                "  factors: R=3 P=8\n"),
                     PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "dimension P multiply to 8"));

    assert_int_equal(load_texts(problem_text, arch_text,
                                "mapping:\n- target: Nowhere\n  type: temporal\n"
                                "  factors: R=3 P=16\n"),
                     PETAL_ENOTFOUND);
    assert_non_null(strstr(petal_error_message(), "levels: Buffer"));

    /* R 3 whose last occurrence runs once covers 1 of 3 (Timeloop's rule). */
    assert_int_equal(load_texts(problem_text, arch_text,
                                "mapping:\n- target: Buffer\n  type: temporal\n"
                                "  factors: R=3,1 P=16\n"),
                     PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(),
                           "dimension R with their residuals cover 1, but its bound is 3"));

    /* No fan-out under the buffer: a spatial factor cannot fit. */
    assert_int_equal(load_texts(problem_text, arch_text,
                                "mapping:\n- target: Buffer\n  type: spatial\n"
                                "  factors: R=3 P=16\n"),
                     PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "no spatial fan-out"));

    /* An unknown key is a warning with its position, not an error. */
    warnings[0] = '\0';
    assert_int_equal(load_texts(problem_text, arch_text,
                                "mapping:\n- target: Buffer\n  type: temporal\n"
                                "  factors: R=3 P=16\n  colour: blue\n"),
                     PETAL_OK);
    assert_non_null(strstr(warnings, ":5:3: unknown key 'colour'"));
}

static void problem_and_arch_errors(void **state)
{
    (void)state;
    const char *four =
        "problem:\n  shape:\n    dimensions: [R, P]\n    data_spaces:\n"
        "    - {name: A, projection: [[[R]]]}\n    - {name: B, projection: [[[P]]]}\n"
        "    - {name: C, projection: [[[P]]], read_write: true}\n"
        "    - {name: D, projection: [[[R]]]}\n  instance: {R: 3, P: 4}\n";
    assert_int_equal(load_texts(four, arch_text, NULL), PETAL_EUNSUPPORTED);
    assert_non_null(strstr(petal_error_message(), "4 data spaces (A, B, C, D)"));

    /* Other names: the read-write one is Outputs, the others in order. */
    const char *named =
        "problem:\n  shape:\n    dimensions: [M, N, K]\n    data_spaces:\n"
        "    - {name: Out, projection: [[[M]], [[N]]], read_write: true}\n"
        "    - {name: A, projection: [[[M]], [[K]]]}\n"
        "    - {name: B, projection: [[[K]], [[N]]]}\n  instance: {M: 2, N: 3, K: 4}\n";
    assert_int_equal(load_texts(named, arch_text, NULL), PETAL_OK);
    assert_string_equal(spec.problem.ds[PETAL_DS_OUTPUTS].name, "Out");
    assert_string_equal(spec.problem.ds[PETAL_DS_WEIGHTS].name, "A");
    assert_string_equal(spec.problem.ds[PETAL_DS_INPUTS].name, "B");
    assert_false(spec.has_mapping);

    /* A rank written as an expression with a coefficient. */
    const char *expr =
        "problem:\n  shape:\n    dimensions: [R, P]\n    coefficients: [{name: s, default: 2}]\n"
        "    data_spaces:\n    - {name: Weights, projection: [[[R]]]}\n"
        "    - {name: Inputs, projection: [\"R + P*s\"]}\n"
        "    - {name: Outputs, projection: [[[P]]], read_write: true}\n"
        "  instance: {R: 3, P: 4, s: 3}\n";
    assert_int_equal(load_texts(expr, arch_text, NULL), PETAL_OK);
    assert_int_equal(spec.problem.ds[PETAL_DS_INPUTS].ranks[0].terms[1].coef, 3);

    const char *bad_tag = "architecture:\n  nodes:\n  - !Widget\n    name: w\n";
    assert_int_equal(load_texts(problem_text, bad_tag, NULL), PETAL_EUNSUPPORTED);
    assert_non_null(strstr(petal_error_message(), "!Widget"));

    const char *two_macs =
        "architecture:\n  nodes:\n  - !Component\n    name: Buffer\n    class: SRAM\n"
        "    attributes: {depth: 64, width: 8, datawidth: 8}\n"
        "  - !Component\n    name: mac1\n    class: intmac\n"
        "  - !Component\n    name: mac2\n    class: intmac\n";
    assert_int_equal(load_texts(problem_text, two_macs, NULL), PETAL_EUNSUPPORTED);
    assert_non_null(strstr(petal_error_message(), "second compute"));

    /* v0.3: ranges in names give instance counts, meshX splits them. */
    const char *v03 =
        "architecture:\n  version: 0.3\n  subtree:\n  - name: sys\n    local:\n"
        "    - name: DRAM\n      class: DRAM\n      attributes: {width: 64, datawidth: 16}\n"
        "    subtree:\n    - name: PE[0..15]\n      local:\n"
        "      - name: RF\n        class: regfile\n"
        "        attributes: {depth: 16, width: 16, datawidth: 16, meshX: 4}\n"
        "      - name: mac[0..1]\n        class: intmac\n        attributes: {meshX: 8}\n";
    assert_int_equal(load_texts(problem_text, v03, NULL), PETAL_OK);
    assert_int_equal(spec.arch.nlevels, 2);
    assert_int_equal(spec.arch.levels[1].instances, 16);
    assert_int_equal(spec.arch.levels[1].mesh_x, 4);
    assert_int_equal(spec.arch.levels[1].mesh_y, 4);
    assert_int_equal(spec.arch.arith.instances, 32);
    assert_int_equal(spec.arch.levels[0].block_size, 4);
    assert_int_equal(spec.arch.levels[0].word_bits, 16);

    /* Nested ranges whose product passes 2^64: 4 x (2^62 + 1) is not 4. */
    const char *wraps =
        "architecture:\n  version: 0.3\n  subtree:\n  - name: sys\n    local:\n"
        "    - name: DRAM\n      class: DRAM\n      attributes: {width: 64, datawidth: 16}\n"
        "    subtree:\n    - name: A[0..3]\n      subtree:\n"
        "      - name: B[0..4611686018427387904]\n        local:\n"
        "        - name: RF\n          class: regfile\n"
        "          attributes: {depth: 16, width: 16, datawidth: 16}\n"
        "        - name: mac\n          class: intmac\n";
    assert_int_equal(load_texts(problem_text, wraps, NULL), PETAL_EINVAL);
    assert_non_null(strstr(petal_error_message(), "instances overflow"));
}

/* `enabled: false` leaves a component out, in v0.4 nodes and v0.3 locals
 * alike; a value that is not a boolean is an error at its position. */
static void disabled_components_are_left_out(void **state)
{
    (void)state;
    const char *v04 = "architecture:\n  nodes:\n  - !Component\n    name: Buffer\n    class: SRAM\n"
                      "    attributes: {depth: 64, width: 8, datawidth: 8}\n"
                      "  - !Component\n    name: Spare\n    class: SRAM\n    enabled: false\n"
                      "    attributes: {depth: 64, width: 8, datawidth: 8}\n"
                      "  - !Component\n    name: mac1\n    class: intmac\n"
                      "  - !Component\n    name: mac2\n    class: intmac\n    enabled: %s\n";
    char text[1024];
    snprintf(text, sizeof text, v04, "false");
    assert_int_equal(load_texts(problem_text, text, NULL), PETAL_OK);
    assert_int_equal(spec.arch.nlevels, 1);
    assert_string_equal(spec.arch.arith.name, "mac1");
    snprintf(text, sizeof text, v04, "maybe");
    assert_int_equal(load_texts(problem_text, text, NULL), PETAL_EPARSE);
    assert_non_null(strstr(petal_error_message(), ":18:14: enabled: expected true or false"));

    const char *v03 =
        "architecture:\n  version: 0.3\n  subtree:\n  - name: sys\n    local:\n"
        "    - name: DRAM\n      class: DRAM\n      attributes: {width: 64, datawidth: 16}\n"
        "    - name: Spare\n      class: regfile\n      enabled: %s\n"
        "      attributes: {depth: 16, width: 16, datawidth: 16}\n"
        "    - name: mac\n      class: intmac\n";
    snprintf(text, sizeof text, v03, "false");
    assert_int_equal(load_texts(problem_text, text, NULL), PETAL_OK);
    assert_int_equal(spec.arch.nlevels, 1);
    snprintf(text, sizeof text, v03, "true");
    assert_int_equal(load_texts(problem_text, text, NULL), PETAL_OK);
    assert_int_equal(spec.arch.nlevels, 2);
    snprintf(text, sizeof text, v03, "[no]");
    assert_int_equal(load_texts(problem_text, text, NULL), PETAL_EPARSE);
    assert_non_null(strstr(petal_error_message(), ":11:16: enabled: expected true or false"));
}

/* n copies of c, as a string in buf. */
static const char *repeat(char *buf, char c, size_t n)
{
    memset(buf, c, n);
    buf[n] = '\0';
    return buf;
}

/* The error names the limit and says how long the name is. */
static void expect_limit(petal_status st, const char *what, const char *limit)
{
    const char *msg = petal_error_message();
    if (st != PETAL_EINVAL || !strstr(msg, what) || !strstr(msg, limit))
        fail_msg("status %d, message '%s' (want '%s' and '%s')", st, msg, what, limit);
}

/* Names of exactly a limit's length load whole; one character more fails with
 * the limit's name, never a cut name (issue 11). */
static void names_at_and_over_the_limits(void **state)
{
    (void)state;
    char at[PETAL_NAME_MAX], over[PETAL_NAME_MAX + 1], text[2048];
    repeat(at, 'a', PETAL_NAME_MAX - 1);
    repeat(over, 'o', PETAL_NAME_MAX);
    const char *name64 = "is 64 characters; petal keeps at most PETAL_NAME_MAX - 1 = 63";

    /* Problem: the shape's name, a data space's and a dimension's. */
    const char *prob = "problem:\n  shape:\n    name: %s\n    dimensions: [%s, P]\n"
                       "    data_spaces:\n    - {name: %s, projection: [[[%s]]]}\n"
                       "    - {name: Inputs, projection: [[[%s], [P]]]}\n"
                       "    - {name: Outputs, projection: [[[P]]], read_write: true}\n"
                       "  instance: {%s: 3, P: 16}\n";
    char ds_at[PETAL_DS_NAME_MAX], ds_over[PETAL_DS_NAME_MAX + 1];
    char dim_at[PETAL_DIM_NAME_MAX], dim_over[PETAL_DIM_NAME_MAX + 1];
    repeat(ds_at, 'W', PETAL_DS_NAME_MAX - 1);
    repeat(ds_over, 'W', PETAL_DS_NAME_MAX);
    repeat(dim_at, 'R', PETAL_DIM_NAME_MAX - 1);
    repeat(dim_over, 'R', PETAL_DIM_NAME_MAX);
    snprintf(text, sizeof text, prob, at, dim_at, ds_at, dim_at, dim_at, dim_at);
    assert_int_equal(load_texts(text, arch_text, NULL), PETAL_OK);
    assert_string_equal(spec.problem.name, at);
    assert_string_equal(spec.problem.ds[PETAL_DS_WEIGHTS].name, ds_at);
    assert_string_equal(spec.problem.dim_names[0], dim_at);
    snprintf(text, sizeof text, prob, over, "R", "W", "R", "R", "R");
    expect_limit(load_texts(text, arch_text, NULL), ":3:11: shape: name", name64);
    snprintf(text, sizeof text, prob, "c", "R", ds_over, "R", "R", "R");
    expect_limit(load_texts(text, arch_text, NULL), ":6:14: data space name",
                 "is 32 characters; petal keeps at most PETAL_DS_NAME_MAX - 1 = 31");
    snprintf(text, sizeof text, prob, "c", dim_over, "W", dim_over, dim_over, dim_over);
    expect_limit(load_texts(text, arch_text, NULL), ":4:18: dimension name",
                 "is 8 characters; petal keeps at most PETAL_DIM_NAME_MAX - 1 = 7");

    /* Without a shape name the problem is named after its file. */
    const char *unnamed = strstr(problem_text, "    dimensions");
    char body[1024], pp[256], ap[TEMP_PATH];
    snprintf(body, sizeof body, "problem:\n  shape:\n%s", unnamed);
    temp_file(ap, arch_text);
    const char *stems[] = {at, over};
    for (int i = 0; i < 2; i++) {
        snprintf(pp, sizeof pp, "/tmp/%s.prob.yaml", stems[i]);
        FILE *f = fopen(pp, "w");
        assert_non_null(f);
        fputs(body, f);
        fclose(f);
        petal_timeloop_files files = {.problem = pp, .arch = ap};
        petal_status st = petal_timeloop_load(&files, &spec);
        unlink(pp);
        if (i == 0) {
            assert_int_equal(st, PETAL_OK);
            assert_string_equal(spec.problem.name, at);
        } else {
            expect_limit(st, "problem name (the file name)", name64);
        }
    }
    unlink(ap);

    /* Architecture: a component's name, v0.4 and v0.3 (before its range). */
    const char *v04 = "architecture:\n  nodes:\n  - !Component\n    name: %s\n    class: SRAM\n"
                      "    attributes: {depth: 64, width: 8, datawidth: 8}\n"
                      "  - !Component\n    name: mac\n    class: intmac\n";
    snprintf(text, sizeof text, v04, at);
    assert_int_equal(load_texts(problem_text, text, NULL), PETAL_OK);
    assert_string_equal(spec.arch.levels[0].name, at);
    snprintf(text, sizeof text, v04, over);
    expect_limit(load_texts(problem_text, text, NULL), ":4:11: !Component name", name64);
    const char *v03 = "architecture:\n  version: 0.3\n  subtree:\n  - name: sys\n    local:\n"
                      "    - name: %s[0..1]\n      class: DRAM\n"
                      "      attributes: {width: 64, datawidth: 16}\n"
                      "    - name: mac[0..1]\n      class: intmac\n";
    snprintf(text, sizeof text, v03, at);
    assert_int_equal(load_texts(problem_text, text, NULL), PETAL_OK);
    assert_string_equal(spec.arch.levels[0].name, at);
    snprintf(text, sizeof text, v03, over);
    expect_limit(load_texts(problem_text, text, NULL), ":6:7: name", name64);

    /* A container with a mesh becomes the level inter_<name>_spatial: the
     * derived name must fit, 6 + 8 characters more than the container's. */
    const char *mesh = "architecture:\n  nodes:\n  - !Container\n    name: top\n"
                       "  - !Component\n    name: DRAM\n    class: DRAM\n"
                       "    attributes: {width: 64, datawidth: 8}\n"
                       "  - !Container\n    name: %s\n    spatial: {meshX: 4}\n"
                       "  - !Component\n    name: mac\n    class: intmac\n";
    char pe[PETAL_NAME_MAX], level[PETAL_NAME_MAX + 16];
    repeat(pe, 'p', PETAL_NAME_MAX - 1 - 14);
    snprintf(text, sizeof text, mesh, pe);
    assert_int_equal(load_texts(problem_text, text, NULL), PETAL_OK);
    snprintf(level, sizeof level, "inter_%s_spatial", pe);
    assert_int_equal(strlen(level), PETAL_NAME_MAX - 1);
    assert_true(petal_arch_level(&spec.arch, level) >= 0);
    strcat(pe, "p");
    snprintf(text, sizeof text, mesh, pe);
    expect_limit(load_texts(problem_text, text, NULL),
                 ":9:5: level name (from the !Container's) 'inter_ppp", name64);
    /* Without a mesh the container makes no level: a name up to the limit loads. */
    const char *plain = "architecture:\n  nodes:\n  - !Container\n    name: %s\n"
                        "  - !Component\n    name: Buffer\n    class: regfile\n"
                        "    attributes: {depth: 64, width: 8, datawidth: 8}\n"
                        "  - !Component\n    name: MACC\n    class: intmac\n";
    snprintf(text, sizeof text, plain, at);
    assert_int_equal(load_texts(problem_text, text, NULL), PETAL_OK);
    assert_string_equal(spec.arch.name, at);
    snprintf(text, sizeof text, plain, over);
    expect_limit(load_texts(problem_text, text, NULL), ":4:11: !Container name", name64);
}

static void stats_parser_reads_the_figures(void **state)
{
    (void)state;
    tls_stats s;
    assert_int_equal(tls_parse(TL "00-model-conv1d-1level/ref-output/timeloop-model.stats.txt", &s),
                     0);
    assert_int_equal(s.computes, 48);
    assert_int_equal(s.cycles, 48);
    assert_int_equal(s.nlevels, 2);
    assert_true(s.levels[0].arith);
    assert_string_equal(s.levels[0].name, "MACC");
    const tls_level *b = tls_level_named(&s, "Buffer");
    assert_non_null(b);
    assert_int_equal(b->index, 1);
    const tls_ds *out = tls_ds_named(b, "Outputs");
    assert_non_null(out);
    assert_int_equal(out->reads, 32);
    assert_int_equal(out->updates, 48);
    assert_int_equal(out->fills, 0);
    assert_float_equal(s.energy_pj, 2406.54 * 48 / 1000, 1e-9);

    assert_int_equal(tls_parse(ED "eyeriss_like/ref_outputs/default_problem/"
                                  "timeloop-mapper.stats.txt",
                               &s),
                     0);
    assert_int_equal(s.computes, 10838016);
    assert_int_equal(s.cycles, 86016);
    const tls_level *glb = tls_level_named(&s, "shared_glb");
    assert_int_equal(glb->index, 6); /* the two fan-out levels are numbered, not printed */
    assert_int_equal(glb->nds, 2);
    assert_null(tls_ds_named(glb, "Weights"));
    assert_int_equal(tls_ds_named(glb, "Inputs")->fills, 157296);
    assert_int_equal(tls_ds_named(tls_level_named(&s, "psum_spad"), "Outputs")->utilized_instances,
                     126);
    assert_int_equal(tls_parse("/nonexistent/stats.txt", &s), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(exercise00_original, setup),
        cmocka_unit_test_setup(exercise00_processed_with_energy, setup),
        cmocka_unit_test_setup(exercise03_bypass, setup),
        cmocka_unit_test_setup(exercise04_original_and_processed, setup),
        cmocka_unit_test_setup(eyeriss_mapper_result, setup),
        cmocka_unit_test_setup(eyeriss_original_constraints, setup),
        cmocka_unit_test_setup(mapper_constraint_files, setup),
        cmocka_unit_test_setup(every_original_loads, setup),
        cmocka_unit_test_setup(jinja_is_refused, setup),
        cmocka_unit_test_setup(mapping_errors_name_the_place, setup),
        cmocka_unit_test_setup(imperfect_factors_read_and_written, setup),
        cmocka_unit_test_setup(problem_and_arch_errors, setup),
        cmocka_unit_test_setup(disabled_components_are_left_out, setup),
        cmocka_unit_test_setup(names_at_and_over_the_limits, setup),
        cmocka_unit_test_setup(stats_parser_reads_the_figures, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
