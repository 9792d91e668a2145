/* test_sweep.c - the sweep engine (petal/sweep.h): points in spec order and a
 * reproducible sample, a point's architecture re-priced by the energy table's
 * own rule, a point's row equal to mapping the same architecture directly, the
 * shape memo answering a repeated network without searching, and the Pareto
 * front on rows whose front is known by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "petal/energy.h"
#include "petal/eval.h"
#include "petal/formats.h"
#include "petal/network.h"
#include "petal/sweep.h"

static petal_sweep_spec spec; /* large: not on the stack */

/* Two small layers (a convolution and a fully connected one): quick to prove. */
#define TINY_NET PETAL_SOURCE_DIR "/tests/data/sweep/tiny_net.yaml"

/* eyeriss-256 with the PE array's X (rf and MACs) and rf.depth varied, the tiny network. */
static void small_spec(size_t nnetworks)
{
    memset(&spec, 0, sizeof spec);
    assert_int_equal(petal_arch_preset("eyeriss-256", &spec.arch), PETAL_OK);
    assert_int_equal(petal_energy_table_get("eyeriss-65nm", &spec.energy_table), PETAL_OK);
    for (size_t i = 0; i < nnetworks; i++)
        assert_int_equal(petal_network_load(TINY_NET, &spec.networks[i]), PETAL_OK);
    spec.nnetworks = nnetworks;
    int rf = petal_arch_level(&spec.arch, "rf");
    assert_true(rf >= 0);
    petal_sweep_param *x = &spec.params[0];
    strcpy(x->name, "array.mesh_x");
    x->places[0] = (petal_sweep_place){rf, PETAL_SWEEP_MESH_X, 0};
    x->places[1] = (petal_sweep_place){-1, PETAL_SWEEP_MESH_X, 0};
    x->nplaces = 2;
    x->values[0] = 8, x->values[1] = 16, x->nvalues = 2;
    petal_sweep_param *d = &spec.params[1];
    strcpy(d->name, "rf.depth");
    d->places[0] = (petal_sweep_place){rf, PETAL_SWEEP_DEPTH, 0};
    d->nplaces = 1;
    d->values[0] = 128, d->values[1] = 512, d->nvalues = 2;
    spec.nparams = 2;
    strcpy(spec.dataflows[0], "rs");
    strcpy(spec.dataflows[1], "ws");
    spec.ndataflows = 2;
}

static void points_in_spec_order(void **state)
{
    (void)state;
    small_spec(1);
    assert_int_equal(petal_sweep_spec_finish(&spec), PETAL_OK);
    assert_int_equal(spec.npoints, 8);
    /* First parameter slowest, then the dataflows. */
    static const double want_x[] = {8, 8, 8, 8, 16, 16, 16, 16};
    static const double want_d[] = {128, 128, 512, 512, 128, 128, 512, 512};
    for (size_t i = 0; i < 8; i++) {
        petal_sweep_point pt;
        assert_int_equal(petal_sweep_point_get(&spec, i, &pt), PETAL_OK);
        assert_true(pt.values[0] == want_x[i]);
        assert_true(pt.values[1] == want_d[i]);
        assert_string_equal(pt.dataflow, i % 2 ? "ws" : "rs");
        assert_int_equal(pt.objective, PETAL_OBJECTIVE_ENERGY);
    }
    petal_sweep_point pt;
    assert_int_not_equal(petal_sweep_point_get(&spec, 8, &pt), PETAL_OK);
    petal_sweep_spec_free(&spec);
}

static void sample_is_reproducible(void **state)
{
    (void)state;
    small_spec(1);
    spec.sample = 3;
    spec.seed = 7;
    assert_int_equal(petal_sweep_spec_finish(&spec), PETAL_OK);
    assert_int_equal(spec.npoints, 3);
    uint64_t first[3];
    memcpy(first, spec.points, sizeof first);
    for (size_t i = 0; i < 3; i++) {
        assert_true(first[i] < 8);
        if (i)
            assert_true(first[i] > first[i - 1]); /* distinct, in point order */
    }
    assert_int_equal(petal_sweep_spec_finish(&spec), PETAL_OK);
    assert_memory_equal(spec.points, first, sizeof first);
    petal_sweep_spec_free(&spec);
}

/* The re-priced level costs what the table's rule gives for its new size, the
 * meshes move together, and nothing else changes. */
static void point_arch_is_repriced(void **state)
{
    (void)state;
    small_spec(1);
    assert_int_equal(petal_sweep_spec_finish(&spec), PETAL_OK);
    petal_sweep_point pt;
    assert_int_equal(petal_sweep_point_get(&spec, 2, &pt), PETAL_OK); /* 8, 512, rs */
    petal_arch a;
    assert_int_equal(petal_sweep_point_arch(&spec, &pt, &a), PETAL_OK);
    int rf = petal_arch_level(&a, "rf");
    petal_storage_cost c;
    assert_int_equal(petal_energy_storage(spec.energy_table, PETAL_MEM_REGFILE, 512, 16, 1, &c),
                     PETAL_OK);
    assert_int_equal(a.levels[rf].depth, 512);
    assert_true(a.levels[rf].read_pj == c.read_pj);
    assert_true(a.levels[rf].fill_pj == c.write_pj);
    assert_true(a.levels[rf].area_um2 == c.area_um2);
    assert_int_equal(a.levels[rf].instances, 8 * 16);
    assert_int_equal(a.arith.instances, 8 * 16);
    /* The table's area rule is per bit: twice the bits, twice the area. */
    assert_int_equal(petal_energy_storage(spec.energy_table, PETAL_MEM_REGFILE, 256, 16, 1, &c),
                     PETAL_OK);
    assert_true(fabs(a.levels[rf].area_um2 - 2 * c.area_um2) < 1e-9 * c.area_um2);
    int glb = petal_arch_level(&a, "glb");
    assert_memory_equal(&a.levels[glb], &spec.arch.levels[glb], sizeof a.levels[glb]);
    /* A point whose meshes do not divide is invalid, with the check's reason. */
    spec.params[0].nplaces = 1; /* rf alone */
    spec.params[0].values[0] = 3;
    assert_int_equal(petal_sweep_point_get(&spec, 0, &pt), PETAL_OK);
    assert_int_not_equal(petal_sweep_point_arch(&spec, &pt, &a), PETAL_OK);
    petal_sweep_row rows[1];
    petal_map_options o;
    petal_map_options_init(&o);
    assert_int_equal(petal_sweep_run_point(&spec, 0, &o, NULL, rows), PETAL_OK);
    assert_int_equal(rows[0].status, PETAL_SWEEP_INVALID);
    assert_non_null(strstr(rows[0].reason, "rf"));
    petal_sweep_spec_free(&spec);
}

/* A row is what mapping every layer of the network on the point's architecture
 * gives (the model behind it is held to the simulator by test_model_vs_sim). */
static void row_is_the_network_mapped(void **state)
{
    (void)state;
    small_spec(1);
    spec.ndataflows = 1; /* rs */
    spec.params[0].nvalues = 1;
    assert_int_equal(petal_sweep_spec_finish(&spec), PETAL_OK);
    petal_map_options o;
    petal_map_options_init(&o);
    o.budget_seconds = -1; /* proven: no dependence on time */
    petal_sweep_memo *memo;
    assert_int_equal(petal_sweep_memo_new(&memo), PETAL_OK);
    for (size_t i = 0; i < spec.npoints; i++) {
        petal_sweep_row row;
        assert_int_equal(petal_sweep_run_point(&spec, i, &o, memo, &row), PETAL_OK);
        assert_int_equal(row.status, PETAL_SWEEP_OK);
        assert_true(row.proven);
        petal_sweep_point pt;
        petal_arch a;
        assert_int_equal(petal_sweep_point_get(&spec, i, &pt), PETAL_OK);
        assert_int_equal(petal_sweep_point_arch(&spec, &pt, &a), PETAL_OK);
        petal_map_options direct = o;
        direct.dataflow = "rs";
        petal_eval_result er;
        assert_int_equal(petal_eval_network(&spec.networks[0], &a, &direct, NULL, NULL, &er),
                         PETAL_OK);
        assert_true(row.energy == er.energy_pj);
        assert_int_equal(row.cycles, er.cycles);
        assert_int_equal(row.macs, er.macs);
        assert_true(row.area_mm2 == petal_arch_area(&a) / 1e6);
        assert_true(fabs(row.dram_bytes_per_mac - (double)er.dram_bytes / (double)er.macs) < 1e-12);
        petal_eval_free(&er);
    }
    petal_sweep_memo_free(memo);
    petal_sweep_spec_free(&spec);
}

/* The same network twice: the second is answered from the memo, with the same row. */
static void memo_answers_repeated_shapes(void **state)
{
    (void)state;
    small_spec(2);
    spec.ndataflows = 1;
    spec.params[0].nvalues = 1;
    spec.params[1].nvalues = 1;
    assert_int_equal(petal_sweep_spec_finish(&spec), PETAL_OK);
    assert_int_equal(petal_sweep_rows_per_point(&spec), 2);
    petal_map_options o;
    petal_map_options_init(&o);
    o.budget_seconds = -1;
    petal_sweep_memo *memo;
    assert_int_equal(petal_sweep_memo_new(&memo), PETAL_OK);
    petal_sweep_row rows[2];
    assert_int_equal(petal_sweep_run_point(&spec, 0, &o, memo, rows), PETAL_OK);
    uint64_t asked, searched;
    petal_sweep_memo_counts(memo, &asked, &searched);
    assert_int_equal(asked, 2 * 2); /* two distinct shapes, twice */
    assert_int_equal(searched, 2);
    assert_true(rows[0].energy == rows[1].energy);
    assert_int_equal(rows[0].cycles, rows[1].cycles);
    petal_sweep_memo_free(memo);
    petal_sweep_spec_free(&spec);
}

/* Word widths as places: the layers' widths (precision.Weights) and a level's
 * and the MACs' word_bits. The level and the MACs are priced by the table at the
 * new width; every row is the network, with the point's widths on its layers,
 * mapped directly on the point's architecture; and the memo, which keys on the
 * widths, never answers one width's search with another's. */
static void widths_are_places(void **state)
{
    (void)state;
    small_spec(1);
    spec.ndataflows = 1;
    int rf = petal_arch_level(&spec.arch, "rf");
    petal_sweep_param *w = &spec.params[0];
    memset(w, 0, sizeof *w);
    strcpy(w->name, "precision.Weights");
    w->places[0] = (petal_sweep_place){-1, PETAL_SWEEP_PRECISION, PETAL_DS_WEIGHTS};
    w->nplaces = 1;
    w->values[0] = 8, w->values[1] = 16, w->nvalues = 2;
    w->precisions[0].bits[PETAL_DS_WEIGHTS] = 8;
    w->precisions[1].bits[PETAL_DS_WEIGHTS] = 16;
    petal_sweep_param *b = &spec.params[1];
    memset(b, 0, sizeof *b);
    strcpy(b->name, "bits");
    b->places[0] = (petal_sweep_place){rf, PETAL_SWEEP_WORD_BITS, 0};
    b->places[1] = (petal_sweep_place){-1, PETAL_SWEEP_WORD_BITS, 0};
    b->nplaces = 2;
    b->values[0] = 8, b->values[1] = 16, b->nvalues = 2;
    assert_int_equal(petal_sweep_spec_finish(&spec), PETAL_OK);
    assert_int_equal(spec.npoints, 4);

    petal_sweep_point pt;
    petal_arch a;
    assert_int_equal(petal_sweep_point_get(&spec, 0, &pt), PETAL_OK); /* Weights 8, 8 bits */
    assert_int_equal(petal_sweep_point_arch(&spec, &pt, &a), PETAL_OK);
    petal_storage_cost c;
    assert_int_equal(petal_energy_storage(spec.energy_table, PETAL_MEM_REGFILE, 256, 8, 1, &c),
                     PETAL_OK);
    assert_int_equal(a.levels[rf].word_bits, 8);
    assert_true(a.levels[rf].read_pj == c.read_pj);
    assert_true(a.levels[rf].area_um2 == c.area_um2);
    double mac_pj, mac_um2;
    assert_int_equal(petal_energy_mac(spec.energy_table, 8, false, &mac_pj, &mac_um2), PETAL_OK);
    assert_int_equal(a.arith.word_bits, 8);
    assert_true(a.arith.mac_pj == mac_pj && a.arith.area_um2 == mac_um2);
    assert_true(mac_pj < 1); /* an 8-bit MAC costs less than the table's 16-bit unit */
    petal_precision widths;
    petal_sweep_point_precision(&spec, &pt, &widths);
    assert_int_equal(widths.bits[PETAL_DS_WEIGHTS], 8);
    assert_int_equal(widths.bits[PETAL_DS_INPUTS], 0);

    petal_map_options o;
    petal_map_options_init(&o);
    o.budget_seconds = -1;
    petal_sweep_memo *memo;
    assert_int_equal(petal_sweep_memo_new(&memo), PETAL_OK);
    double energy[4];
    for (size_t i = 0; i < spec.npoints; i++) {
        petal_sweep_row row;
        assert_int_equal(petal_sweep_run_point(&spec, i, &o, memo, &row), PETAL_OK);
        assert_int_equal(row.status, PETAL_SWEEP_OK);
        energy[i] = row.energy;
        assert_int_equal(petal_sweep_point_get(&spec, i, &pt), PETAL_OK);
        assert_int_equal(petal_sweep_point_arch(&spec, &pt, &a), PETAL_OK);
        petal_sweep_point_precision(&spec, &pt, &widths);
        petal_network net;
        assert_int_equal(petal_network_init(&net, "tiny"), PETAL_OK);
        for (size_t l = 0; l < spec.networks[0].nlayers; l++) {
            petal_problem layer = spec.networks[0].layers[l];
            petal_precision_apply(&layer, &widths);
            assert_int_equal(layer.precision.bits[PETAL_DS_WEIGHTS], pt.values[0]);
            assert_int_equal(petal_network_add(&net, &layer), PETAL_OK);
        }
        petal_map_options direct = o;
        direct.dataflow = "rs";
        petal_eval_result er;
        assert_int_equal(petal_eval_network(&net, &a, &direct, NULL, NULL, &er), PETAL_OK);
        assert_true(row.energy == er.energy_pj);
        assert_int_equal(row.cycles, er.cycles);
        petal_eval_free(&er);
        petal_network_free(&net);
    }
    uint64_t asked, searched;
    petal_sweep_memo_counts(memo, &asked, &searched);
    assert_int_equal(asked, 4 * 2);
    assert_int_equal(searched, 4 * 2); /* no two points share widths and architecture */
    /* 8-bit weights cost less than 16-bit ones on the same hardware. */
    assert_true(energy[0] < energy[2] && energy[1] < energy[3]);
    petal_sweep_memo_free(memo);
    petal_sweep_spec_free(&spec);
}

/* Rows written to a results file and read back (as a resumed run and the page
 * read them) are the rows computed, to the digits the CSV keeps. */
static void rows_read_back(void **state)
{
    (void)state;
    small_spec(1);
    spec.ndataflows = 1;
    spec.params[1].nvalues = 1;
    spec.max_area_mm2 = 5; /* the 16-wide point is pruned: a row without numbers */
    assert_int_equal(petal_sweep_spec_finish(&spec), PETAL_OK);
    assert_int_equal(spec.npoints, 2);
    char path[] = "/tmp/petal-test-sweep-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    remove(path);
    petal_sweep_output *out;
    assert_int_equal(petal_sweep_output_open(path, &spec, 42, &out), PETAL_OK);
    petal_map_options o;
    petal_map_options_init(&o);
    o.budget_seconds = -1;
    petal_sweep_row computed[2];
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(petal_sweep_run_point(&spec, i, &o, NULL, &computed[i]), PETAL_OK);
        char *text;
        assert_int_equal(petal_sweep_rows_text(&spec, &computed[i], &text), PETAL_OK);
        assert_int_equal(petal_sweep_output_add(out, i, text), PETAL_OK);
        free(text);
    }
    assert_int_equal(computed[0].status, PETAL_SWEEP_OK);
    assert_int_equal(computed[1].status, PETAL_SWEEP_PRUNED);
    petal_sweep_row *back;
    size_t n;
    assert_int_equal(petal_sweep_output_rows(out, &back, &n), PETAL_OK);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < 2; i++) {
        const petal_sweep_row *a = &computed[i], *b = &back[i];
        assert_int_equal(b->point, a->point);
        assert_int_equal(b->status, a->status);
        assert_int_equal(b->batch, a->batch);
        assert_true(fabs(b->area_mm2 - a->area_mm2) <= 5e-7);
        assert_string_equal(b->reason, a->reason);
        if (a->status != PETAL_SWEEP_OK)
            continue;
        assert_int_equal(b->macs, a->macs);
        assert_int_equal(b->cycles, a->cycles);
        assert_true(fabs(b->energy - a->energy) <= 1e-9 * a->energy);
        assert_true(fabs(b->latency_s - a->latency_s) <= 1e-9 * a->latency_s);
        assert_true(fabs(b->energy_per_mac - a->energy_per_mac) <= 1e-9 * a->energy_per_mac);
        assert_int_equal(b->proven, a->proven);
    }
    assert_true(back[0].on_front && !back[1].on_front); /* the only ok row */
    free(back);
    assert_int_equal(petal_sweep_output_finish(out, NULL, NULL), PETAL_OK);
    remove(path);
    petal_sweep_spec_free(&spec);
}

static void front_by_hand(void **state)
{
    (void)state;
    /* energy, latency, area; network 0 unless said. */
    petal_sweep_row rows[6];
    memset(rows, 0, sizeof rows);
    double v[6][3] = {{1, 5, 5}, {2, 2, 2}, {3, 3, 3}, {1, 5, 6}, {9, 9, 9}, {0.5, 1, 1}};
    for (int i = 0; i < 6; i++) {
        rows[i].energy = v[i][0], rows[i].latency_s = v[i][1], rows[i].area_mm2 = v[i][2];
        rows[i].batch = 1;
    }
    rows[4].network = 1;                   /* alone in its network: on its front */
    rows[5].status = PETAL_SWEEP_UNMAPPED; /* never on a front */
    petal_sweep_front(rows, 6);
    /* 0: best energy (with 3 tied on energy and latency but larger area);
     * 1: best latency and area; 2: dominated by 1; 3: dominated by 0. */
    static const bool want[6] = {true, true, false, false, true, false};
    for (int i = 0; i < 6; i++)
        assert_int_equal(rows[i].on_front, want[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(points_in_spec_order),
        cmocka_unit_test(sample_is_reproducible),
        cmocka_unit_test(point_arch_is_repriced),
        cmocka_unit_test(row_is_the_network_mapped),
        cmocka_unit_test(memo_answers_repeated_shapes),
        cmocka_unit_test(widths_are_places),
        cmocka_unit_test(rows_read_back),
        cmocka_unit_test(front_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
