/* arch_print.c - an architecture as text tables: structure, then costs. (JSON:
 * report/arch_report.c.) */
#include <stdio.h>
#include <string.h>

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

/* "Inputs" or "Inputs or Weights" for a condition mask. */
static void format_condition(char *buf, size_t size, uint8_t mask)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int ds = 0; ds < PETAL_NUM_DS; ds++)
        if ((mask & (1u << ds)) && used < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? " or " : "",
                                     petal_ds_canonical_name(ds));
}

/* One line per sparse feature (petal/sparse.h; docs/presets.md): formats,
 * gating and skipping per level, then the MACs'. Nothing when there is none. */
static void print_sparse(FILE *out, const petal_arch *a)
{
    bool any = a->arith.sparse.kind != 0;
    for (int i = 0; i < a->nlevels; i++) {
        const petal_level_sparse *ls = &a->levels[i].sparse;
        any |= ls->nopts != 0;
        for (int ds = 0; ds < PETAL_NUM_DS; ds++)
            any |= ls->format[ds].nranks != 0;
    }
    if (!any)
        return;
    fprintf(out, "sparse features:\n");
    for (int i = 0; i < a->nlevels; i++) {
        const petal_level *l = &a->levels[i];
        for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
            const petal_format *f = &l->sparse.format[ds];
            if (!f->nranks)
                continue;
            fprintf(out, "  %s: %s stored as", l->name, petal_ds_canonical_name(ds));
            for (int r = 0; r < f->nranks && r < PETAL_MAX_FORMAT_RANKS; r++) {
                const petal_format_rank *k = &f->ranks[r];
                fprintf(out, "%s %s", r ? "," : "", petal_rank_format_name(k->format));
                if (k->metadata_word_bits || k->payload_word_bits) {
                    const char *sep = " (";
                    if (k->metadata_word_bits) {
                        fprintf(out, "%s%u-bit %s", sep, k->metadata_word_bits,
                                k->format == PETAL_FORMAT_RLE ? "runs" : "metadata");
                        sep = ", ";
                    }
                    if (k->payload_word_bits)
                        fprintf(out, "%s%u-bit values", sep, k->payload_word_bits);
                    fprintf(out, ")");
                }
            }
            fprintf(out, "\n");
        }
        for (int k = 0; k < l->sparse.nopts && k < PETAL_MAX_ACTION_OPTS; k++) {
            const petal_action_opt *o = &l->sparse.opts[k];
            char cond[64];
            format_condition(cond, sizeof cond, o->condition_mask);
            fprintf(out, "  %s: %s of %s accesses when the %s value is zero\n", l->name,
                    petal_action_opt_name(o->kind), petal_ds_canonical_name(o->target), cond);
        }
    }
    if (a->arith.sparse.kind)
        fprintf(out, "  %s: %s of MACs on the zeros the levels' conditions name\n", a->arith.name,
                petal_action_opt_name(a->arith.sparse.kind));
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

    /* Energies in the architecture's unit: a normalised table's are not pJ. */
    const char *unit = petal_energy_unit_name(a->energy_unit);
    if (a->energy_unit == PETAL_ENERGY_MAC)
        fprintf(out,
                "\nenergies in multiples of one %u-bit MAC's energy (a normalised table), "
                "not pJ\n",
                a->mac_unit_bits);
    char head[5][16];
    const char *action[5] = {"read", "fill", "update", "leak", "hop"};
    for (int k = 0; k < 5; k++)
        snprintf(head[k], sizeof head[k], "%s_%s", action[k], unit);
    fprintf(out, "\n%-22s %10s %10s %10s %10s %10s %14s %14s\n", "level", head[0], head[1], head[2],
            head[3], head[4], "area_um2", "total_um2");
    for (int i = 0; i < a->nlevels; i++) {
        const petal_level *l = &a->levels[i];
        fprintf(out, "%-22s %10.4g %10.4g %10.4g %10.4g %10.4g %14.1f %14.0f\n", l->name,
                l->read_pj, l->fill_pj, l->update_pj, l->leak_pj, l->hop_pj, l->area_um2,
                petal_arch_level_area(a, i));
    }
    const petal_arith *m = &a->arith;
    fprintf(out,
            "\narithmetic %s: %llu (%ux%u) %u-bit MACs, %.4g %s per MAC, %.1f um2 each, "
            "%.0f um2 in all\n",
            m->name, (unsigned long long)m->instances, m->mesh_x, m->mesh_y, m->word_bits,
            m->mac_pj, unit, m->area_um2, petal_arch_arith_area(a));
    /* The widths the hardware takes (docs/precision.md), when it limits them. */
    bool limited = m->max_bits || m->max_psum_bits || m->bits_per_cycle;
    for (int i = 0; i < a->nlevels; i++)
        limited |= a->levels[i].max_bits != 0;
    if (limited) {
        fprintf(out, "widths:");
        for (int i = 0; i < a->nlevels; i++)
            if (a->levels[i].max_bits)
                fprintf(out, " %s at most %u bits;", a->levels[i].name, a->levels[i].max_bits);
        if (m->max_bits)
            fprintf(out, " MAC operands at most %u bits;", m->max_bits);
        if (m->max_psum_bits)
            fprintf(out, " partial sums at most %u bits;", m->max_psum_bits);
        if (m->bits_per_cycle)
            fprintf(out, " bit-serial, %u weight bits per cycle;", m->bits_per_cycle);
        fprintf(out, "\n");
    }
    /* Links with a width (docs/latency.md), a line per level that has any. */
    for (int i = 0; i < a->nlevels; i++) {
        const petal_level *l = &a->levels[i];
        bool any = false;
        for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
            if (!l->network_bits[ds])
                continue;
            if (!any)
                fprintf(out, "network from %s to the next keeper inwards:", l->name);
            fprintf(out, "%s %s %u bits per cycle", any ? "," : "", petal_ds_canonical_name(ds),
                    l->network_bits[ds]);
            any = true;
        }
        if (any)
            fprintf(out, "\n");
    }
    /* Neighbour forwarding (docs/systolic.md), a line per level that has any. */
    for (int i = 0; i < a->nlevels; i++) {
        const petal_level *l = &a->levels[i];
        bool any = false;
        for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
            if (!l->forward[ds])
                continue;
            if (!any)
                fprintf(out, "forwarding below %s (%.4g %s per word-hop):", l->name, l->forward_pj,
                        unit);
            fprintf(out, "%s %s along %s", any ? "," : "", petal_ds_canonical_name(ds),
                    petal_forward_name((petal_forward)l->forward[ds]));
            any = true;
        }
        if (any)
            fprintf(out, "\n");
    }
    if (petal_arch_area(a) > 0)
        fprintf(out, "total area: %.0f um2 (%.3f mm2)\n", petal_arch_area(a),
                petal_arch_area(a) / 1e6);
    else
        fprintf(out, "total area: not given (no level or MAC has an area)\n");
    print_sparse(out, a);
}
