/* dataflows_setup.c - the dataflow study's six setups: the variants of
 * eyeriss-256 at equal storage area, one per dataflow (dataflows.c). */
#include <math.h>
#include <string.h>

#include "petal/energy.h"
#include "study/dataflows_internal.h"
#include "util/error.h"

#define BASE_RF_BYTES 512 /* per PE, the paper's baseline */

/* The one table of per-dataflow storage. A register file is what the dataflow
 * keeps in the PE: RS the filter, ifmap and psum rows of its 1-D convolutions,
 * WS weights, OS partial sums; NLR keeps nothing and gives the area to the
 * buffer. */
const setup_row dataflow_setup_rows[PETAL_STUDY_DATAFLOWS] = {
    {"WS", "ws", BASE_RF_BYTES},
    {"OS_A", "os_a", BASE_RF_BYTES},
    {"OS_B", "os_b", BASE_RF_BYTES},
    {"OS_C", "os_c", BASE_RF_BYTES},
    {"NLR", "nlr", 0},
    {"RS", "rs", BASE_RF_BYTES},
};

/* Storage area of one instance of a level of class cls holding depth words. */
static petal_status storage_area(const petal_energy_table *t, petal_mem_class cls, uint64_t depth,
                                 uint32_t bits, double *um2)
{
    petal_storage_cost c;
    petal_status st = petal_energy_storage(t, cls, depth, bits, 1, &c);
    *um2 = st ? 0 : c.area_um2;
    return st;
}

petal_status dataflow_build_setup(const setup_row *row, petal_arch *a, petal_dataflow_setup *out)
{
    const petal_energy_table *t;
    petal_status st = petal_energy_table_get("eyeriss-65nm", &t);
    if (!st)
        st = petal_arch_preset("eyeriss-256", a);
    if (st)
        return st;
    int glb = 1, rf = 2;
    const uint32_t bits = a->levels[glb].word_bits;
    const uint64_t pes = a->levels[rf].instances;
    const uint64_t base_rf_words = BASE_RF_BYTES * 8 / bits;
    double rf_um2, glb_um2, word_um2;
    st = storage_area(t, a->levels[rf].cls, base_rf_words, bits, &rf_um2);
    if (!st)
        st = storage_area(t, a->levels[glb].cls, pes * base_rf_words, bits, &glb_um2);
    if (!st)
        st = storage_area(t, a->levels[glb].cls, 1, bits, &word_um2);
    if (st)
        return st;
    double budget = (double)pes * rf_um2 + glb_um2;

    uint64_t rf_words = row->rf_bytes * 8 / bits;
    double my_rf_um2 = 0;
    if (rf_words) {
        st = storage_area(t, a->levels[rf].cls, rf_words, bits, &my_rf_um2);
        if (st)
            return st;
    }
    double left = budget - (double)pes * my_rf_um2;
    if (left < word_um2)
        return petal_error_set(PETAL_EINVAL, "dataflow %s: a %llu-byte RF per PE leaves no buffer",
                               row->name, (unsigned long long)row->rf_bytes);
    uint64_t glb_words = (uint64_t)floor(left / word_um2);

    a->levels[glb].depth = glb_words;
    if (rf_words) {
        a->levels[rf].depth = rf_words;
    } else {
        /* No RF: the PEs store nothing; a level of class none carries the fan-out. */
        petal_level *l = &a->levels[rf];
        l->cls = PETAL_MEM_NONE;
        l->depth = 0;
        l->may_keep = 0;
    }
    for (int i = 0; i < a->nlevels; i++) {
        petal_level *l = &a->levels[i];
        l->read_pj = l->fill_pj = l->update_pj = l->leak_pj = l->area_um2 = l->hop_pj = NAN;
    }
    a->arith.mac_pj = a->arith.area_um2 = NAN;
    snprintf(a->name, sizeof a->name, "eyeriss-256-%s", row->dataflow);
    st = petal_energy_fill(t, a);
    if (!st)
        st = petal_arch_check(a);
    if (st)
        return st;

    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", row->name);
    snprintf(out->mapper_dataflow, sizeof out->mapper_dataflow, "%s", row->dataflow);
    out->rf_words = rf_words;
    out->buffer_words = glb_words;
    out->buffer_read_pj = a->levels[glb].read_pj / a->arith.mac_pj;
    out->area_mm2 = ((double)pes * my_rf_um2 + (double)glb_words * word_um2) / 1e6;
    return PETAL_OK;
}
