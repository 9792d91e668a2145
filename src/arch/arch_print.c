/* arch_print.c - an architecture as text tables (structure, then costs) and as JSON. */
#include <stdio.h>
#include <string.h>

#include "arch/arch_internal.h"
#include "io/jsonw.h"
#include "petal/arch.h"

/* "Weights,Inputs" or "-" */
static void format_keeps(char *buf, size_t size, uint8_t mask)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int ds = 0; ds < PETAL_NUM_DS; ds++)
        if ((mask & (1u << ds)) && used < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "," : "",
                                     petal_ds_canonical_name(ds));
    if (!used)
        snprintf(buf, size, "-");
}

static void format_bw(char *buf, size_t size, double bw)
{
    if (bw > 0)
        snprintf(buf, size, "%g", bw);
    else
        snprintf(buf, size, "-");
}

void petal_arch_print(FILE *out, const petal_arch *a)
{
    fprintf(out, "architecture %s: %d storage levels, %llu MACs, clock %g MHz\n\n", a->name,
            a->nlevels, (unsigned long long)a->arith.instances, a->clock_hz / 1e6);
    fprintf(out, "%-22s %-7s %9s %5s %5s %16s %16s %8s %8s  %s\n", "level", "class", "depth",
            "bits", "block", "instances", "fan-out", "read_bw", "write_bw", "may keep");
    for (int i = 0; i < a->nlevels; i++) {
        const petal_level *l = &a->levels[i];
        char depth[24], inst[40], fan[40], rbw[24], wbw[24], keeps[64];
        if (l->depth)
            snprintf(depth, sizeof depth, "%llu", (unsigned long long)l->depth);
        else
            snprintf(depth, sizeof depth, "-");
        snprintf(inst, sizeof inst, "%llu (%ux%u)", (unsigned long long)l->instances, l->mesh_x,
                 l->mesh_y);
        uint32_t fx, fy;
        uint64_t f = petal_arch_fanout(a, i, &fx, &fy);
        snprintf(fan, sizeof fan, "%llu (%ux%u)", (unsigned long long)f, fx, fy);
        format_bw(rbw, sizeof rbw, l->read_bw);
        format_bw(wbw, sizeof wbw, l->write_bw);
        format_keeps(keeps, sizeof keeps, l->may_keep);
        fprintf(out, "%-22s %-7s %9s %5u %5u %16s %16s %8s %8s  %s\n", l->name,
                petal_mem_class_name(l->cls), depth, l->word_bits, l->block_size, inst, fan, rbw,
                wbw, keeps);
    }

    fprintf(out, "\n%-22s %10s %10s %10s %10s %10s %14s %14s\n", "level", "read_pJ", "fill_pJ",
            "update_pJ", "leak_pJ", "hop_pJ", "area_um2", "total_um2");
    for (int i = 0; i < a->nlevels; i++) {
        const petal_level *l = &a->levels[i];
        fprintf(out, "%-22s %10.4g %10.4g %10.4g %10.4g %10.4g %14.1f %14.0f\n", l->name,
                l->read_pj, l->fill_pj, l->update_pj, l->leak_pj, l->hop_pj, l->area_um2,
                petal_arch_level_area(a, i));
    }
    const petal_arith *m = &a->arith;
    fprintf(out,
            "\narithmetic %s: %llu (%ux%u) %u-bit MACs, %.4g pJ per MAC, %.1f um2 each, "
            "%.0f um2 in all\n",
            m->name, (unsigned long long)m->instances, m->mesh_x, m->mesh_y, m->word_bits,
            m->mac_pj, m->area_um2, petal_arch_arith_area(a));
    fprintf(out, "total area: %.0f um2 (%.3f mm2)\n", petal_arch_area(a), petal_arch_area(a) / 1e6);
}

void petal_arch_write_json(FILE *out, const petal_arch *a)
{
    jw w;
    jw_init(&w, out, true);
    jw_object(&w);
    jw_key(&w, "name");
    jw_string(&w, a->name);
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
        };
        for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
            jw_key(&w, counts[k].key);
            jw_u64(&w, counts[k].v);
        }
        jw_key(&w, "read_bw");
        jw_double(&w, l->read_bw);
        jw_key(&w, "write_bw");
        jw_double(&w, l->write_bw);
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
    jw_key(&w, "mac_pj");
    jw_double(&w, m->mac_pj);
    jw_key(&w, "area_um2");
    jw_double(&w, m->area_um2);
    jw_key(&w, "total_area_um2");
    jw_double(&w, petal_arch_arith_area(a));
    jw_end(&w);
    jw_key(&w, "total_area_um2");
    jw_double(&w, petal_arch_area(a));
    jw_end(&w);
    jw_finish(&w);
}
