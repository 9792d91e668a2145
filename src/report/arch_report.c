/* arch_report.c - an architecture as JSON (petal/report.h); the text table is
 * arch/arch_print.c. */
#include <stdio.h>

#include "formats/json/jsonw.h"
#include "petal/report.h"

/* A level's sparse features in Sparseloop's words (petal/sparse.h): its
 * representation formats rank by rank and its action optimizations. Nothing
 * for a level without any. */
static void json_level_sparse(jw *w, const petal_level *l)
{
    const petal_level_sparse *ls = &l->sparse;
    bool formats = false;
    for (int ds = 0; ds < PETAL_NUM_DS; ds++)
        formats |= ls->format[ds].nranks != 0;
    if (!formats && !ls->nopts)
        return;
    jw_key(w, "sparse");
    jw_object(w);
    jw_key(w, "metadata_word_bits");
    jw_u64(w, ls->metadata_word_bits);
    jw_key(w, "representation_format");
    jw_object(w);
    for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
        const petal_format *f = &ls->format[ds];
        if (!f->nranks)
            continue;
        jw_key(w, petal_ds_canonical_name(ds));
        jw_array(w);
        for (int r = 0; r < f->nranks && r < PETAL_MAX_FORMAT_RANKS; r++) {
            jw_object(w);
            jw_key(w, "format");
            jw_string(w, petal_rank_format_name(f->ranks[r].format));
            jw_key(w, "metadata_word_bits");
            jw_u64(w, f->ranks[r].metadata_word_bits);
            jw_key(w, "payload_word_bits");
            jw_u64(w, f->ranks[r].payload_word_bits);
            jw_key(w, "dim_mask");
            jw_u64(w, f->ranks[r].dim_mask);
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);
    jw_key(w, "action_optimization");
    jw_array(w);
    for (int k = 0; k < ls->nopts && k < PETAL_MAX_ACTION_OPTS; k++) {
        jw_object(w);
        jw_key(w, "type");
        jw_string(w, petal_action_opt_name(ls->opts[k].kind));
        jw_key(w, "target");
        jw_string(w, petal_ds_canonical_name(ls->opts[k].target));
        jw_key(w, "condition_on");
        jw_array(w);
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            if (ls->opts[k].condition_mask & (1u << ds))
                jw_string(w, petal_ds_canonical_name(ds));
        jw_end(w);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

void petal_arch_write_json(FILE *out, const petal_arch *a)
{
    jw w;
    jw_init(&w, out, true);
    jw_object(&w);
    jw_key(&w, "name");
    jw_string(&w, a->name);
    jw_key(&w, "energy_unit"); /* of every *_pj field */
    jw_string(&w, petal_energy_unit_name(a->energy_unit));
    jw_key(&w, "clock_hz");
    jw_double(&w, a->clock_hz);
    jw_key(&w, "levels");
    jw_array(&w);
    for (int i = 0; i < a->nlevels; i++) {
        const petal_level *l = &a->levels[i];
        uint32_t fx, fy;
        uint64_t f = petal_arch_fanout(a, i, &fx, &fy);
        jw_object(&w);
        jw_key(&w, "name");
        jw_string(&w, l->name);
        jw_key(&w, "class");
        jw_string(&w, petal_mem_class_name(l->cls));
        struct {
            const char *key;
            uint64_t v;
        } counts[] = {
            {"depth", l->depth},
            {"word_bits", l->word_bits},
            {"block_size", l->block_size},
            {"instances", l->instances},
            {"mesh_x", l->mesh_x},
            {"mesh_y", l->mesh_y},
            {"fanout", f},
            {"fanout_x", fx},
            {"fanout_y", fy},
            {"max_bits", l->max_bits}, /* 0: any width (docs/precision.md) */
        };
        for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
            jw_key(&w, counts[k].key);
            jw_u64(&w, counts[k].v);
        }
        jw_key(&w, "read_bw");
        jw_double(&w, l->read_bw);
        jw_key(&w, "write_bw");
        jw_double(&w, l->write_bw);
        jw_key(&w, "network_bits"); /* per data space; 0: unlimited (docs/latency.md) */
        jw_object(&w);
        for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
            jw_key(&w, petal_ds_canonical_name(ds));
            jw_u64(&w, l->network_bits[ds]);
        }
        jw_end(&w);
        if (petal_arch_forwards(a)) { /* per data space: X, Y or none (docs/systolic.md) */
            jw_key(&w, "forward");
            jw_object(&w);
            for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
                jw_key(&w, petal_ds_canonical_name(ds));
                jw_string(&w, petal_forward_name((petal_forward)l->forward[ds]));
            }
            jw_end(&w);
            jw_key(&w, "forward_pj");
            jw_double(&w, l->forward_pj);
        }
        jw_key(&w, "data_spaces");
        jw_array(&w);
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            if (l->may_keep & (1u << ds))
                jw_string(&w, petal_ds_canonical_name(ds));
        jw_end(&w);
        struct {
            const char *key;
            double v;
        } costs[] = {
            {"read_pj", l->read_pj},
            {"fill_pj", l->fill_pj},
            {"update_pj", l->update_pj},
            {"leak_pj", l->leak_pj},
            {"hop_pj", l->hop_pj},
            {"area_um2", l->area_um2},
            {"total_area_um2", petal_arch_level_area(a, i)},
        };
        for (size_t k = 0; k < sizeof costs / sizeof costs[0]; k++) {
            jw_key(&w, costs[k].key);
            jw_double(&w, costs[k].v);
        }
        json_level_sparse(&w, l);
        jw_end(&w);
    }
    jw_end(&w);
    const petal_arith *m = &a->arith;
    jw_key(&w, "arithmetic");
    jw_object(&w);
    jw_key(&w, "name");
    jw_string(&w, m->name);
    jw_key(&w, "instances");
    jw_u64(&w, m->instances);
    jw_key(&w, "mesh_x");
    jw_u64(&w, m->mesh_x);
    jw_key(&w, "mesh_y");
    jw_u64(&w, m->mesh_y);
    jw_key(&w, "word_bits");
    jw_u64(&w, m->word_bits);
    jw_key(&w, "type");
    jw_string(&w, m->is_float ? "fp" : "int");
    jw_key(&w, "max_bits");
    jw_u64(&w, m->max_bits);
    jw_key(&w, "max_psum_bits");
    jw_u64(&w, m->max_psum_bits);
    jw_key(&w, "bits_per_cycle");
    jw_u64(&w, m->bits_per_cycle);
    jw_key(&w, "mac_pj");
    jw_double(&w, m->mac_pj);
    jw_key(&w, "area_um2");
    jw_double(&w, m->area_um2);
    jw_key(&w, "total_area_um2");
    jw_double(&w, petal_arch_arith_area(a));
    jw_key(&w, "sparse"); /* compute gating or skipping, or null */
    if (m->sparse.kind)
        jw_string(&w, petal_action_opt_name(m->sparse.kind));
    else
        jw_null(&w);
    jw_end(&w);
    jw_key(&w, "total_area_um2");
    jw_double(&w, petal_arch_area(a));
    jw_end(&w);
    jw_finish(&w);
}
