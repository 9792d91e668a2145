/* test_arch.c - presets, the YAML architecture reader (good files and every kind
 * of bad one, with positions), areas. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "petal/arch.h"
#include "petal/energy.h"
#include "petal/formats.h"
#include "support/reader_io.c"

#define assert_close(a, b) assert_true(fabs((a) - (b)) <= 1e-9 * fmax(1.0, fabs(b)))

static petal_status load_text(const char *text, petal_arch *a)
{
    char path[TEMP_PATH];
    temp_file(path, text);
    petal_status st = petal_arch_load_yaml(path, a);
    unlink(path);
    return st;
}

static int mismatches;

/* The error message names the temporary file, `line:col` and contains `what`. */
static void expect_error(const char *text, petal_status want, const char *line_col,
                         const char *what)
{
    petal_arch a;
    petal_status st = load_text(text, &a);
    const char *msg = petal_error_message();
    if (st != want || !strstr(msg, line_col) || !strstr(msg, what) || !strstr(msg, "/tmp/")) {
        print_error("status %d (want %d), message '%s' (want %s and '%s')\n", st, want, msg,
                    line_col, what);
        mismatches++;
    }
}

/* --- presets --- */

static void presets_build_and_check(void **state)
{
    (void)state;
    assert_int_equal(petal_arch_preset_count(), 6);
    for (size_t i = 0; i < petal_arch_preset_count(); i++) {
        petal_arch a;
        assert_non_null(petal_arch_preset_description(i));
        assert_int_equal(petal_arch_preset(petal_arch_preset_name(i), &a), PETAL_OK);
        assert_string_equal(a.name, petal_arch_preset_name(i));
        assert_int_equal(petal_arch_check(&a), PETAL_OK);
        for (int l = 0; l < a.nlevels; l++) {
            assert_false(isnan(a.levels[l].read_pj) || isnan(a.levels[l].area_um2) ||
                         isnan(a.levels[l].hop_pj) || isnan(a.levels[l].leak_pj) ||
                         isnan(a.levels[l].forward_pj));
            assert_true(a.levels[l].may_keep != 0);
        }
        assert_true(a.arith.mac_pj > 0);
        assert_true(a.clock_hz > 0);
    }
    assert_null(petal_arch_preset_name(99));
}

/* tpu-like (docs/presets.md): a 32 x 32 array under the unified buffer, which
 * forwards inputs down the columns and partial sums along the rows at the
 * 45 nm table's one-word register write per hop; its constraints put a
 * convolution's reduction (C, R, S) across and its output channels down, and
 * a matmul's K across and N down. */
static void tpu_like_is_systolic(void **state)
{
    (void)state;
    petal_arch a;
    assert_int_equal(petal_arch_preset("tpu-like", &a), PETAL_OK);
    assert_int_equal(a.nlevels, 3);
    assert_int_equal(a.arith.mesh_x * 100 + a.arith.mesh_y, 3232);
    assert_int_equal(a.levels[1].forward[PETAL_DS_INPUTS], PETAL_FORWARD_Y);
    assert_int_equal(a.levels[1].forward[PETAL_DS_OUTPUTS], PETAL_FORWARD_X);
    assert_int_equal(a.levels[1].forward[PETAL_DS_WEIGHTS], PETAL_FORWARD_NONE);
    assert_true(petal_arch_forwards(&a));
    const petal_energy_table *t;
    assert_int_equal(petal_energy_table_get("horowitz-45nm", &t), PETAL_OK);
    petal_storage_cost reg;
    assert_int_equal(petal_energy_storage(t, PETAL_MEM_REGFILE, 1, 8, 1, &reg), PETAL_OK);
    assert_true(reg.write_pj > 0);
    assert_true(a.levels[1].hop_pj == reg.write_pj && a.levels[1].forward_pj == reg.write_pj);
    assert_true(petal_arch_preset_has_constraints("tpu-like"));
    assert_false(petal_arch_preset_has_constraints("eyeriss-v1"));

    petal_problem p;
    petal_conv_params cp = {.batch = 1,
                            .in_channels = 8,
                            .in_h = 6,
                            .in_w = 6,
                            .out_channels = 4,
                            .kernel_h = 3,
                            .kernel_w = 3,
                            .stride_h = 1,
                            .stride_w = 1,
                            .dilation_h = 1,
                            .dilation_w = 1,
                            .groups = 1};
    assert_int_equal(petal_problem_conv(&p, "c", &cp), PETAL_OK);
    petal_constraints c;
    petal_constraints_init(&c, &a);
    assert_int_equal(petal_arch_preset_constraints("tpu-like", &p, &a, &c), PETAL_OK);
    const petal_level_constraints *u = &c.levels[1];
    char across[8] = "", down[8] = "";
    for (int k = 0; k < u->n_spatial_order; k++) {
        char *to = k < u->spatial_split ? across : down;
        strncat(to, p.dim_names[u->spatial_order[k]], 1);
    }
    assert_string_equal(across, "CRS");
    assert_string_equal(down, "M");
    assert_int_equal(c.levels[2].keep, 1u << PETAL_DS_WEIGHTS);
    for (int d = 0; d < p.ndims; d++)
        if (strchr("NPQ", p.dim_names[d][0]))
            assert_int_equal(u->spatial_max[d], 1);
    petal_matmul_params mm = {.batch = 1, .m = 4, .k = 8, .n = 6, .weights_are_params = true};
    assert_int_equal(petal_problem_matmul(&p, "mm", &mm), PETAL_OK);
    petal_constraints_init(&c, &a);
    assert_int_equal(petal_arch_preset_constraints("tpu-like", &p, &a, &c), PETAL_OK);
    across[0] = down[0] = '\0';
    for (int k = 0; k < u->n_spatial_order; k++)
        strncat(k < u->spatial_split ? across : down, p.dim_names[u->spatial_order[k]], 1);
    assert_string_equal(across, "K");
    assert_string_equal(down, "N");
    /* Any other preset: nothing added. */
    petal_constraints none;
    petal_constraints_init(&none, &a);
    assert_int_equal(petal_arch_preset_constraints("eyeriss-v1", &p, &a, &none), PETAL_OK);
    assert_true(petal_constraints_empty(&none));
}

/* eyeriss-v2-pe against shared/reference/eyeriss.md: a cluster is 12 PEs
 * (3 x 4), weights and activations 8 bits, partial sums 20; a layer wider
 * than that is refused naming both. */
static void eyeriss_v2_pe_is_one_cluster(void **state)
{
    (void)state;
    petal_arch a;
    assert_int_equal(petal_arch_preset("eyeriss-v2-pe", &a), PETAL_OK);
    assert_int_equal(a.arith.instances, 12);
    assert_int_equal(a.arith.mesh_x * 10 + a.arith.mesh_y, 34);
    assert_int_equal(a.arith.max_bits, 8);
    assert_int_equal(a.arith.max_psum_bits, 20);
    int w = petal_arch_level(&a, "weight_spad"), i = petal_arch_level(&a, "iact_spad"),
        o = petal_arch_level(&a, "psum_spad");
    assert_true(w > 0 && i > 0 && o > 0);
    assert_int_equal(a.levels[w].max_bits, 8);
    assert_int_equal(a.levels[i].max_bits, 8);
    assert_int_equal(a.levels[o].max_bits, 20);
    assert_int_equal(a.levels[o].word_bits, 20);
    assert_int_equal(a.levels[w].instances, 12);

    petal_problem p;
    assert_int_equal(petal_problem_fc(&p, "fc", 1, 8, 8), PETAL_OK);
    assert_int_equal(petal_precision_parse("Weights=8,Inputs=8,Outputs=8,Psums=20", &p.precision),
                     PETAL_OK);
    assert_int_equal(petal_precision_check(&p, &a), PETAL_OK);
    p.precision.bits[PETAL_DS_WEIGHTS] = 16;
    assert_int_equal(petal_precision_check(&p, &a), PETAL_EUNSUPPORTED);
    assert_non_null(strstr(petal_error_message(), "layer fc: Weights are 16 bits"));
    assert_non_null(strstr(petal_error_message(), "weight_spad"));
    p.precision.bits[PETAL_DS_WEIGHTS] = 8;
    p.precision.bits[PETAL_PRECISION_PSUMS] = 24;
    assert_int_equal(petal_precision_check(&p, &a), PETAL_EUNSUPPORTED);
    assert_non_null(strstr(petal_error_message(), "Psums are 24 bits"));
}

static void eyeriss_v1_is_the_chip(void **state)
{
    (void)state;
    petal_arch a;
    assert_int_equal(petal_arch_preset("eyeriss-v1", &a), PETAL_OK);
    assert_int_equal(a.nlevels, 5);
    assert_close(a.clock_hz, 200e6);
    int glb = petal_arch_level(&a, "glb");
    assert_int_equal(glb, 1);
    assert_int_equal(a.levels[glb].depth * a.levels[glb].word_bits, 108 * 1024 * 8);
    uint32_t fx, fy;
    assert_int_equal(petal_arch_fanout(&a, glb, &fx, &fy), 168);
    assert_int_equal(fx, 14);
    assert_int_equal(fy, 12);
    struct {
        const char *name;
        uint64_t depth;
        int ds;
    } spads[] = {{"ifmap_spad", 12, PETAL_DS_INPUTS},
                 {"filter_spad", 224, PETAL_DS_WEIGHTS},
                 {"psum_spad", 24, PETAL_DS_OUTPUTS}};
    for (int i = 0; i < 3; i++) {
        int l = petal_arch_level(&a, spads[i].name);
        assert_true(l > glb);
        assert_int_equal(a.levels[l].depth, spads[i].depth);
        assert_int_equal(a.levels[l].word_bits, 16);
        assert_int_equal(a.levels[l].instances, 168);
        assert_int_equal(a.levels[l].may_keep, 1u << spads[i].ds);
        assert_close(a.levels[l].read_pj, 1.0);
    }
    assert_int_equal(a.arith.instances, 168);
    assert_int_equal(a.arith.word_bits, 16);
    assert_close(a.arith.mac_pj, 1.0);
    assert_close(a.levels[0].read_pj, 200.0);
    assert_close(a.levels[glb].read_pj, 6.0);
    assert_close(a.levels[glb].hop_pj, 2.0);
}

static void other_presets(void **state)
{
    (void)state;
    petal_arch a;
    assert_int_equal(petal_arch_preset("eyeriss-256", &a), PETAL_OK);
    assert_int_equal(a.arith.instances, 256);
    int rf = petal_arch_level(&a, "rf");
    assert_int_equal(a.levels[rf].depth * a.levels[rf].word_bits, 512 * 8);
    int glb = petal_arch_level(&a, "glb");
    assert_int_equal(a.levels[glb].depth * a.levels[glb].word_bits, 128 * 1024 * 8);

    assert_int_equal(petal_arch_preset("simple-ws", &a), PETAL_OK);
    assert_int_equal(a.levels[petal_arch_level(&a, "pe_spad")].may_keep, 1u << PETAL_DS_WEIGHTS);
    assert_int_equal(petal_arch_preset("simple-os", &a), PETAL_OK);
    assert_int_equal(a.levels[petal_arch_level(&a, "pe_spad")].may_keep, 1u << PETAL_DS_OUTPUTS);
    assert_int_equal(petal_arch_fanout(&a, petal_arch_level(&a, "shared_glb"), NULL, NULL), 256);

    assert_int_equal(petal_arch_preset("eyeriss-v9", &a), PETAL_ENOTFOUND);
    assert_non_null(strstr(petal_error_message(), "eyeriss-v1, eyeriss-256, simple-ws"));
    assert_int_equal(petal_arch_load("simple-os", &a), PETAL_OK);
    assert_int_equal(petal_arch_load("/no/such/file.yaml", &a), PETAL_EIO);
}

static void area_is_instances_times_area(void **state)
{
    (void)state;
    petal_arch a;
    assert_int_equal(petal_arch_preset("simple-ws", &a), PETAL_OK);
    double sum = a.arith.area_um2 * (double)a.arith.instances;
    for (int l = 0; l < a.nlevels; l++) {
        assert_close(petal_arch_level_area(&a, l),
                     a.levels[l].area_um2 * (double)a.levels[l].instances);
        sum += petal_arch_level_area(&a, l);
    }
    assert_close(petal_arch_area(&a), sum);
    /* 128 kB of SRAM at 0.5 um2 per bit. */
    assert_close(petal_arch_level_area(&a, petal_arch_level(&a, "shared_glb")), 65536 * 16 * 0.5);
}

/* --- the YAML reader --- */

static void example_file_loads(void **state)
{
    (void)state;
    petal_arch a;
    assert_int_equal(petal_arch_load(PETAL_SOURCE_DIR "/docs/examples/arch.yaml", &a), PETAL_OK);
    assert_string_equal(a.name, "example-accel");
    assert_close(a.clock_hz, 500e6);
    assert_int_equal(a.nlevels, 4);
    const petal_level *dram = &a.levels[0], *glb = &a.levels[1], *cl = &a.levels[2],
                      *rf = &a.levels[3];
    assert_int_equal(dram->depth, 0);
    assert_int_equal(dram->block_size, 4);
    assert_close(dram->read_bw, 4.0);
    assert_close(dram->read_pj, 640.0 / 32 * 64); /* horowitz DRAM per bit, 64-bit access */
    assert_int_equal(glb->may_keep, (1u << PETAL_DS_INPUTS) | (1u << PETAL_DS_OUTPUTS));
    assert_close(glb->hop_pj, 0.5);
    assert_int_equal(cl->cls, PETAL_MEM_NONE);
    assert_int_equal(cl->may_keep, 0);
    uint32_t fx, fy;
    assert_int_equal(petal_arch_fanout(&a, 1, &fx, &fy), 4);
    assert_int_equal(petal_arch_fanout(&a, 2, &fx, &fy), 16);
    assert_int_equal(fx, 4);
    assert_int_equal(fy, 4);
    assert_close(rf->read_pj, 0.3);
    assert_close(rf->fill_pj, 0.35);
    assert_close(rf->update_pj, 0.35);
    assert_close(rf->area_um2, 2500.0);
    assert_int_equal(rf->instances, 64);
    assert_int_equal(a.arith.word_bits, 8);
    assert_close(a.arith.mac_pj, 0.25);
}

static const char minimal[] = "architecture:\n"
                              "  name: tiny\n"
                              "  levels:\n"
                              "    - {name: DRAM, class: DRAM, read_pj: 100, fill_pj: 100}\n"
                              "    - name: rf\n"
                              "      class: regfile\n"
                              "      depth: 8\n"
                              "      instances: 4\n"
                              "      read_pj: 1\n"
                              "      fill_pj: 2\n"
                              "  arithmetic: {instances: 4, mac_pj: 0.5}\n";

static void explicit_energies_without_a_table(void **state)
{
    (void)state;
    petal_arch a;
    assert_int_equal(load_text(minimal, &a), PETAL_OK);
    assert_string_equal(a.name, "tiny");
    assert_close(a.clock_hz, 1e9); /* the default */
    assert_int_equal(a.levels[1].word_bits, 16);
    assert_int_equal(a.levels[1].mesh_x, 4);
    assert_int_equal(a.levels[1].mesh_y, 1);
    assert_close(a.levels[1].update_pj, 2.0);
    assert_close(a.levels[1].area_um2, 0.0);
    assert_close(a.levels[0].hop_pj, 0.0);
    assert_int_equal(a.levels[0].may_keep, PETAL_KEEP_ALL);
    assert_close(a.arith.mac_pj, 0.5);
    assert_string_equal(a.arith.name, "mac");
}

static void unknown_keys_warn_with_lines(void **state)
{
    (void)state;
    petal_arch a;
    warnings[0] = '\0';
    petal_set_warning_handler(collect_warning, NULL);
    petal_status st =
        load_text("architecture:\n"
                  "  levels:\n"
                  "    - {name: DRAM, class: DRAM, read_pj: 1, fill_pj: 1, colour: red}\n"
                  "  arithmetic: {mac_pj: 1, speed: 3}\n"
                  "  flavour: x\n",
                  &a);
    petal_set_warning_handler(NULL, NULL);
    assert_int_equal(st, PETAL_OK);
    assert_non_null(strstr(warnings, ":3:"));
    assert_non_null(strstr(warnings, "'colour'"));
    assert_non_null(strstr(warnings, ":4:"));
    assert_non_null(strstr(warnings, "'speed'"));
    assert_non_null(strstr(warnings, ":5:3: unknown key 'flavour'"));
}

static void bad_files_are_positioned(void **state)
{
    (void)state;
    const char *head = "architecture:\n  energy: eyeriss-65nm\n  levels:\n"
                       "    - {name: DRAM, class: DRAM}\n";
    char text[1024];
#define BAD(body, status, pos, what)                                                               \
    do {                                                                                           \
        snprintf(text, sizeof text, "%s%s", head, body);                                           \
        expect_error(text, status, pos, what);                                                     \
    } while (0)
    BAD("    - {name: g, class: flash, depth: 4}\n  arithmetic: {}\n", PETAL_EINVAL,
        ":5:24:", "class: expected DRAM, SRAM, regfile or none, found 'flash'");
    BAD("    - {name: g, class: SRAM}\n  arithmetic: {}\n", PETAL_EINVAL,
        ":5:7:", "level g: depth: a SRAM level needs a depth");
    BAD("    - {name: g, class: SRAM, depth: -3}\n  arithmetic: {}\n", PETAL_EINVAL,
        ":5:37:", "level g: depth: expected a non-negative integer");
    BAD("    - {name: g, class: SRAM, depth: lots}\n  arithmetic: {}\n", PETAL_EPARSE,
        ":5:37:", "level g: depth: expected an integer, found 'lots'");
    BAD("    - {name: g, class: none, depth: 4}\n  arithmetic: {}\n", PETAL_EINVAL,
        ":5:37:", "class none stores nothing");
    BAD("    - {name: g, class: SRAM, depth: 4, instances: 6, mesh_x: 2, mesh_y: 2}\n"
        "  arithmetic: {}\n",
        PETAL_EINVAL, ":5:51:", "instances: 6, but mesh_x * mesh_y is 2 x 2");
    BAD("    - {name: g, class: SRAM, depth: 4, mesh_x: 3}\n  arithmetic: {instances: 4}\n",
        PETAL_EINVAL,
        ":6:27:", "arithmetic: instances: a 4x1 mesh is not a whole multiple of the 3x1");
    BAD("    - {name: g, class: SRAM, depth: 4, mesh_x: 4}\n    - {name: h, class: SRAM, depth: "
        "4, mesh_x: 2}\n  arithmetic: {instances: 4}\n",
        PETAL_EINVAL, ":6:48:", "h: instances: a 2x1 mesh is not a whole multiple of the 4x1");
    BAD("    - {name: g, class: SRAM, depth: 4, data_spaces: [Weights, Kernels]}\n"
        "  arithmetic: {}\n",
        PETAL_EINVAL, ":5:63:", "'Kernels' is not a data space");
    BAD("    - {name: g, class: SRAM, depth: 4, data_spaces: Weights}\n  arithmetic: {}\n",
        PETAL_EPARSE, ":5:53:", "data_spaces: expected a list");
    BAD("    - {name: g, class: SRAM, depth: 4, read_pj: -1}\n  arithmetic: {}\n", PETAL_EINVAL,
        ":5:49:", "level g: read_pj: expected a number >= 0");
    BAD("    - {name: g, class: SRAM, depth: 4, read_bw: fast}\n  arithmetic: {}\n", PETAL_EPARSE,
        ":5:49:", "level g: read_bw: expected a number, found 'fast'");
    BAD("    - {name: g, class: SRAM, depth: 4, word_bits: 0}\n  arithmetic: {}\n", PETAL_EINVAL,
        ":5:51:", "word_bits: expected 1 to 4096, found 0");
    BAD("    - {name: DRAM, class: SRAM, depth: 4}\n  arithmetic: {}\n", PETAL_EINVAL,
        ":5:14:", "level DRAM: name: used twice (also at line 4)");
    BAD("    - {class: SRAM, depth: 4}\n  arithmetic: {}\n", PETAL_EPARSE,
        ":5:7:", "levels[1]: name is missing");
    BAD("    - {name: g, depth: 4}\n  arithmetic: {}\n", PETAL_EPARSE,
        ":5:7:", "level g: class is missing");
    BAD("    - just-a-name\n  arithmetic: {}\n", PETAL_EPARSE,
        ":5:7:", "levels[1]: expected a mapping");
    BAD("  arithmetic: {instances: 0}\n", PETAL_EINVAL,
        ":5:27:", "arithmetic: instances: expected at least 1");
    BAD("  arithmetic: {type: bfloat}\n", PETAL_EINVAL,
        ":5:22:", "arithmetic: type: expected int or fp, found 'bfloat'");
    BAD("  arithmetic: {word_bits: 8, type: fp}\n", PETAL_EINVAL,
        ":5:15:", "no floating-point MAC of 8 bits");
    BAD("  clock_mhz: 0\n  arithmetic: {}\n", PETAL_EINVAL, ":5:14:", "clock_mhz");
    BAD("", PETAL_EPARSE, ":2:3:", "arithmetic is missing");
    BAD("  arithmetic: {}\n  levels2: []\n  [oops\n", PETAL_EPARSE, "", "malformed YAML");
#undef BAD
    expect_error("architecture:\n  energy: tsmc-7nm\n  levels: []\n", PETAL_ENOTFOUND, ":2:11:",
                 "no energy table named 'tsmc-7nm' (known tables: eyeriss-65nm, horowitz-45nm)");
    expect_error("architecture:\n  levels: []\n  arithmetic: {}\n", PETAL_EINVAL,
                 ":2:11:", "0 levels, expected 1 to 10");
    expect_error("architecture:\n  levels: {DRAM: 1}\n  arithmetic: {}\n", PETAL_EPARSE,
                 ":2:11:", "levels: expected a list");
    expect_error("architecture:\n  levels:\n    - {name: DRAM, class: DRAM, read_pj: 1}\n"
                 "  arithmetic: {}\n",
                 PETAL_EINVAL, ":3:7:",
                 "level DRAM: fill_pj is missing and the architecture "
                 "names no energy table");
    expect_error("architecture:\n  levels:\n    - {name: DRAM, class: DRAM, read_pj: 1, "
                 "fill_pj: 1}\n  arithmetic: {instances: 2}\n",
                 PETAL_EINVAL, ":4:15:", "arithmetic: mac_pj is missing");
    expect_error("network:\n  layers: []\n", PETAL_EPARSE,
                 ":1:1:", "expected a mapping with the key 'architecture'");
    expect_error("architecture: 3\n", PETAL_EPARSE, ":1:15:", "architecture: expected a mapping");

    /* Eleven levels: one too many. */
    char many[2048] = "architecture:\n  energy: eyeriss-65nm\n  levels:\n";
    for (int i = 0; i < 11; i++) {
        size_t used = strlen(many);
        snprintf(many + used, sizeof many - used, "    - {name: l%d, class: DRAM}\n", i);
    }
    strcat(many, "  arithmetic: {}\n");
    expect_error(many, PETAL_EINVAL, ":4:5:", "11 levels, expected 1 to 10");
    assert_int_equal(mismatches, 0);
}

/* n copies of c, as a string in buf. */
static const char *repeat(char *buf, char c, size_t n)
{
    memset(buf, c, n);
    buf[n] = '\0';
    return buf;
}

/* A name of PETAL_NAME_MAX - 1 characters is kept whole; one more is an error
 * that names the limit, never a cut name (issue 11). */
static void names_at_and_over_the_limit(void **state)
{
    (void)state;
    char at[PETAL_NAME_MAX], over[PETAL_NAME_MAX + 1], text[1024];
    repeat(at, 'a', PETAL_NAME_MAX - 1);
    repeat(over, 'o', PETAL_NAME_MAX);
    const char *form = "architecture:\n"
                       "  name: %s\n"
                       "  energy: eyeriss-65nm\n"
                       "  levels:\n"
                       "    - {name: %s, class: DRAM}\n"
                       "  arithmetic: {name: %s}\n";
    const char *limit = "is 64 characters; petal keeps at most PETAL_NAME_MAX - 1 = 63";
    petal_arch a;
    snprintf(text, sizeof text, form, at, at, at);
    assert_int_equal(load_text(text, &a), PETAL_OK);
    assert_string_equal(a.name, at);
    assert_string_equal(a.levels[0].name, at);
    assert_string_equal(a.arith.name, at);
    snprintf(text, sizeof text, form, over, "DRAM", "mac");
    expect_error(text, PETAL_EINVAL, ":2:9:", limit);
    snprintf(text, sizeof text, form, "x", over, "mac");
    expect_error(text, PETAL_EINVAL, ":5:14:", limit);
    snprintf(text, sizeof text, form, "x", "DRAM", over);
    expect_error(text, PETAL_EINVAL, ":6:22:", limit);

    /* Without `name:` the architecture is named after the file. */
    const char *unnamed = "architecture:\n  energy: eyeriss-65nm\n"
                          "  levels: [{name: DRAM, class: DRAM}]\n  arithmetic: {}\n";
    char path[256];
    snprintf(path, sizeof path, "/tmp/%s.yaml", at);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(unnamed, f);
    fclose(f);
    assert_int_equal(petal_arch_load_yaml(path, &a), PETAL_OK);
    unlink(path);
    assert_string_equal(a.name, at);
    snprintf(path, sizeof path, "/tmp/%s.yaml", over);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(unnamed, f);
    fclose(f);
    assert_int_equal(petal_arch_load_yaml(path, &a), PETAL_EINVAL);
    unlink(path);
    assert_non_null(strstr(petal_error_message(), "architecture name (the file name)"));
    assert_non_null(strstr(petal_error_message(), limit));
    assert_int_equal(mismatches, 0);
}

static void nothing_leaks_on_errors(void **state)
{
    (void)state;
    /* Loading the same bad file many times must not grow memory (run under ASan). */
    for (int i = 0; i < 20; i++) {
        petal_arch a;
        assert_int_not_equal(load_text("architecture:\n  levels: [1, 2]\n", &a), PETAL_OK);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(presets_build_and_check),
        cmocka_unit_test(eyeriss_v2_pe_is_one_cluster),
        cmocka_unit_test(tpu_like_is_systolic),
        cmocka_unit_test(eyeriss_v1_is_the_chip),
        cmocka_unit_test(other_presets),
        cmocka_unit_test(area_is_instances_times_area),
        cmocka_unit_test(example_file_loads),
        cmocka_unit_test(explicit_energies_without_a_table),
        cmocka_unit_test(unknown_keys_warn_with_lines),
        cmocka_unit_test(bad_files_are_positioned),
        cmocka_unit_test(names_at_and_over_the_limit),
        cmocka_unit_test(nothing_leaks_on_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
