/* model_report.c - one mapping's evaluation (petal_model_eval's result) as
 * text or JSON: per level and data space the tile, reads, fills, updates and
 * energies, the network and leakage, what sets the cycles (petal/report.h). */
#include <stdio.h>

#include "formats/json/jsonw.h"
#include "petal/report.h"
#include "report/latency.h"
#include "report/report_json.h"
#include "report/units.h"
#include "util/error.h"

void report_json_counts(jw *w, uint64_t tile, uint64_t instances, uint64_t reads, uint64_t fills,
                        uint64_t updates)
{
    jw_key(w, "tile");
    jw_u64(w, tile);
    jw_key(w, "instances");
    jw_u64(w, instances);
    jw_key(w, "reads");
    jw_u64(w, reads);
    jw_key(w, "fills");
    jw_u64(w, fills);
    jw_key(w, "updates");
    jw_u64(w, updates);
}

void report_json_sparse_counts(jw *w, const report_sparse_counts *c)
{
    /* Sparseloop's order: algorithmic, then gated and skipped per action, then metadata. */
    static const struct {
        const char *key;
        int kind, action;
    } keys[] = {
        {"algorithmic_reads", 0, 0}, {"algorithmic_fills", 0, 1}, {"algorithmic_updates", 0, 2},
        {"gated_reads", 1, 0},       {"skipped_reads", 2, 0},     {"gated_fills", 1, 1},
        {"skipped_fills", 2, 1},     {"gated_updates", 1, 2},     {"skipped_updates", 2, 2},
        {"metadata_reads", 3, 0},    {"metadata_fills", 3, 1},    {"metadata_updates", 3, 2},
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        jw_key(w, keys[k].key);
        jw_u64(w, c->count[keys[k].kind][keys[k].action]);
    }
}

static void model_text(FILE *out, const petal_problem *p, const petal_arch *a,
                       const petal_model_result *r)
{
    fprintf(out, "layer %s on %s: %s\n", p->name, a->name, r->valid ? "valid" : "INVALID");
    if (!r->valid)
        fprintf(out, "  %s\n", r->why);
    if (!r->valid)
        return;
    report_units u = report_units_of(a);
    if (u.legend[0])
        fprintf(out, "%s\n", u.legend);
    fprintf(out,
            "computes %llu, cycles %llu (compute-bound %llu), utilization %.2f%%, energy %.2f %s "
            "(%.3f %s)\n",
            (unsigned long long)r->computes, (unsigned long long)r->cycles,
            (unsigned long long)r->compute_cycles, 100.0 * r->utilization, r->energy_pj, u.unit,
            r->computes ? r->energy_pj / (double)r->computes : 0.0, u.per_mac);
    if (r->actual_computes != r->computes || r->gated_computes || r->skipped_computes)
        fprintf(out, "sparse: actual computes %llu, gated %llu, skipped %llu\n",
                (unsigned long long)r->actual_computes, (unsigned long long)r->gated_computes,
                (unsigned long long)r->skipped_computes);
    report_latency_text(out, "", p, a, r);
    fprintf(out, "\n");
    char energy_head[16];
    snprintf(energy_head, sizeof energy_head, "energy %s", u.unit);
    /* With widths (docs/precision.md), each value's bits here. */
    bool widths = petal_precision_any(&p->precision);
    fprintf(out, "%-24s %-8s %9s %14s %14s %14s %16s%s\n", "level", "data", "tile", "reads",
            "fills", "updates", energy_head, widths ? "  bits" : "");
    for (int l = 0; l < a->nlevels; l++) {
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_ds_stats *ds = &r->levels[l].ds[s];
            if (!ds->kept)
                continue;
            char bits[16] = "";
            if (widths)
                snprintf(bits, sizeof bits, "  %4u", ds->word_bits);
            fprintf(out, "%-24s %-8s %9llu %14llu %14llu %14llu %16.2f%s\n", a->levels[l].name,
                    p->ds[s].name, (unsigned long long)ds->tile, (unsigned long long)ds->reads,
                    (unsigned long long)ds->fills, (unsigned long long)ds->updates, ds->energy_pj,
                    bits);
        }
    }
    /* Sparse counts, where a level has any (docs/sparsity.md). */
    for (int l = 0; l < a->nlevels; l++)
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_ds_stats *ds = &r->levels[l].ds[s];
            if (!ds->kept)
                continue;
            struct {
                const char *what;
                uint64_t value;
            } extra[] = {
                {"gated reads", ds->gated_reads},          {"skipped reads", ds->skipped_reads},
                {"gated fills", ds->gated_fills},          {"skipped fills", ds->skipped_fills},
                {"gated updates", ds->gated_updates},      {"skipped updates", ds->skipped_updates},
                {"metadata reads", ds->metadata_reads},    {"metadata fills", ds->metadata_fills},
                {"metadata updates", ds->metadata_updates}};
            bool any = false;
            for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++) {
                if (!extra[k].value)
                    continue;
                if (!any)
                    fprintf(out, "%-24s %-8s sparse:", a->levels[l].name, p->ds[s].name);
                fprintf(out, "%s %s %llu", any ? "," : "", extra[k].what,
                        (unsigned long long)extra[k].value);
                any = true;
            }
            if (any)
                fprintf(out, "\n");
        }
    fprintf(out, "%-24s %-8s %9s %14s %14s %14s %16.2f\n", a->arith.name, "MACs", "", "", "", "",
            r->mac_energy_pj);
    if (widths && r->cycles_per_mac > 1)
        fprintf(out, "%-24s bit-serial: %llu cycles per MAC\n", a->arith.name,
                (unsigned long long)r->cycles_per_mac);
    for (int l = 0; l < a->nlevels; l++) {
        const petal_level_stats *ls = &r->levels[l];
        if (ls->network_energy_pj > 0 || ls->leak_pj > 0)
            fprintf(out, "%-24s network %.2f %s, leakage %.2f %s\n", a->levels[l].name,
                    ls->network_energy_pj, u.unit, ls->leak_pj, u.unit);
        if (ls->cycles > r->compute_cycles)
            fprintf(out, "%-24s needs %llu cycles for its bandwidth\n", a->levels[l].name,
                    (unsigned long long)ls->cycles);
        for (int s = 0; s < PETAL_NUM_DS; s++)
            if (a->levels[l].forward[s])
                fprintf(
                    out, "%-24s forwards %s along %s: %llu word-hops, %.2f %s\n", a->levels[l].name,
                    p->ds[s].name, petal_forward_name((petal_forward)a->levels[l].forward[s]),
                    (unsigned long long)ls->ds[s].forwards, ls->ds[s].forward_energy_pj, u.unit);
    }
    if (petal_arch_forwards(a))
        fprintf(out, "fill/drain of the forwarding chains: %llu cycles\n",
                (unsigned long long)r->fill_drain_cycles);
}

/* Neighbour forwarding of data space s below level l, where the level has it
 * (docs/systolic.md): the axis, the word-hops and their energy. */
static void forward_json(jw *w, const petal_arch *a, int l, int s, const petal_ds_stats *ds)
{
    if (!a->levels[l].forward[s])
        return;
    jw_key(w, "forward");
    jw_string(w, petal_forward_name((petal_forward)a->levels[l].forward[s]));
    jw_key(w, "forwards");
    jw_u64(w, ds->forwards);
    jw_key(w, "forward_energy_pj");
    jw_double(w, ds->forward_energy_pj);
}

static void model_json(FILE *out, const petal_problem *p, const petal_arch *a,
                       const petal_model_result *r)
{
    jw w;
    jw_init(&w, out, true);
    jw_object(&w);
    jw_key(&w, "energy_unit"); /* of every *_pj field below */
    jw_string(&w, report_units_of(a).unit);
    jw_key(&w, "valid");
    jw_bool(&w, r->valid);
    if (!r->valid) {
        static const char *reasons[] = {"valid",  "factors", "capacity",
                                        "fanout", "bypass",  "structure"};
        jw_key(&w, "reason");
        jw_string(&w, reasons[r->reason]);
        jw_key(&w, "level");
        if (r->invalid_level >= 0)
            jw_string(&w, a->levels[r->invalid_level].name);
        else
            jw_null(&w);
        jw_key(&w, "why");
        jw_string(&w, r->why);
    }
    jw_key(&w, "computes"); /* algorithmic: every MAC of the loop nest */
    jw_u64(&w, r->computes);
    jw_key(&w, "actual_computes");
    jw_u64(&w, r->actual_computes);
    jw_key(&w, "gated_computes");
    jw_u64(&w, r->gated_computes);
    jw_key(&w, "skipped_computes");
    jw_u64(&w, r->skipped_computes);
    jw_key(&w, "cycles");
    jw_u64(&w, r->cycles);
    jw_key(&w, "energy_pj");
    jw_double(&w, r->energy_pj);
    jw_key(&w, "mac_energy_pj");
    jw_double(&w, r->mac_energy_pj);
    jw_key(&w, "compute_cycles");
    jw_u64(&w, r->compute_cycles);
    if (petal_arch_forwards(a)) { /* docs/latency.md, the fill/drain bound */
        jw_key(&w, "fill_drain_cycles");
        jw_u64(&w, r->fill_drain_cycles);
    }
    jw_key(&w, "cycles_per_mac");
    jw_u64(&w, r->cycles_per_mac);
    jw_key(&w, "mac_energy_scale");
    jw_double(&w, r->mac_energy_scale);
    jw_key(&w, "utilization");
    jw_double(&w, r->utilization);
    jw_key(&w, "utilized_macs");
    jw_u64(&w, r->utilized_macs);
    if (r->valid)
        report_latency_json(&w, p, a, r);
    jw_key(&w, "area_um2");
    jw_double(&w, r->area_um2);
    jw_key(&w, "energy_by_data_space_pj");
    jw_object(&w);
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        jw_key(&w, p->ds[s].name);
        jw_double(&w, r->energy_by_ds[s]);
    }
    jw_end(&w);
    jw_key(&w, "levels");
    jw_array(&w);
    for (int l = 0; l < a->nlevels; l++) {
        jw_object(&w);
        jw_key(&w, "name");
        jw_string(&w, a->levels[l].name);
        jw_key(&w, "instances");
        jw_u64(&w, a->levels[l].instances);
        const petal_level_stats *ls = &r->levels[l];
        jw_key(&w, "utilized_instances");
        jw_u64(&w, ls->utilized_instances);
        jw_key(&w, "cycles");
        jw_u64(&w, ls->cycles);
        jw_key(&w, "capacity_used");
        jw_u64(&w, ls->capacity_used);
        jw_key(&w, "capacity_used_bits");
        jw_u64(&w, ls->capacity_used_bits);
        jw_key(&w, "energy_pj");
        jw_double(&w, ls->energy_pj);
        jw_key(&w, "network_energy_pj");
        jw_double(&w, ls->network_energy_pj);
        jw_key(&w, "leak_pj");
        jw_double(&w, ls->leak_pj);
        jw_key(&w, "data_spaces");
        jw_object(&w);
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_ds_stats *ds = &r->levels[l].ds[s];
            /* A data space the level bypasses still crosses its network on the
             * way from a keeper above to one below (docs/model.md, "Network"):
             * list its network energy, so that the level's is their sum. */
            if (!ds->kept && ds->network_energy_pj == 0 && !a->levels[l].forward[s])
                continue;
            jw_key(&w, p->ds[s].name);
            jw_object(&w);
            jw_key(&w, "kept");
            jw_bool(&w, ds->kept);
            if (!ds->kept) {
                jw_key(&w, "network_energy_pj");
                jw_double(&w, ds->network_energy_pj);
                forward_json(&w, a, l, s, ds);
                jw_end(&w);
                continue;
            }
            report_json_counts(&w, ds->tile, ds->instances, ds->reads, ds->fills, ds->updates);
            report_sparse_counts sc = REPORT_SPARSE_COUNTS(ds);
            report_json_sparse_counts(&w, &sc);
            jw_key(&w, "tile_data_words");
            jw_u64(&w, ds->tile_data_words);
            jw_key(&w, "tile_metadata_bits");
            jw_u64(&w, ds->tile_metadata_bits);
            jw_key(&w, "word_bits");
            jw_u64(&w, ds->word_bits);
            jw_key(&w, "energy_pj");
            jw_double(&w, ds->energy_pj);
            jw_key(&w, "partition");
            jw_u64(&w, ds->partition);
            jw_key(&w, "reads_per_instance");
            jw_u64(&w, ds->reads_per_instance);
            jw_key(&w, "fills_per_instance");
            jw_u64(&w, ds->fills_per_instance);
            jw_key(&w, "updates_per_instance");
            jw_u64(&w, ds->updates_per_instance);
            jw_key(&w, "multicast");
            jw_double(&w, ds->multicast);
            if (s == PETAL_DS_OUTPUTS) {
                jw_key(&w, "spatial_reduction");
                jw_double(&w, ds->spatial_reduction);
            }
            jw_key(&w, "read_energy_pj");
            jw_double(&w, ds->read_energy_pj);
            jw_key(&w, "fill_energy_pj");
            jw_double(&w, ds->fill_energy_pj);
            jw_key(&w, "update_energy_pj");
            jw_double(&w, ds->update_energy_pj);
            jw_key(&w, "network_energy_pj");
            jw_double(&w, ds->network_energy_pj);
            forward_json(&w, a, l, s, ds);
            jw_end(&w);
        }
        jw_end(&w);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    jw_finish(&w);
}

petal_status petal_report_model(FILE *out, const petal_problem *p, const petal_arch *a,
                                const petal_model_result *r, petal_report_format fmt)
{
    switch (fmt) {
    case PETAL_REPORT_TEXT:
        model_text(out, p, a, r);
        break;
    case PETAL_REPORT_JSON:
    case PETAL_REPORT_JSON_TIMINGS:
        model_json(out, p, a, r);
        break;
    default:
        return petal_error_set(PETAL_EUNSUPPORTED, "a model result has no CSV form");
    }
    return ferror(out) ? petal_error_set(PETAL_EIO, "writing the result failed") : PETAL_OK;
}
