/* timeloop_stats.c - a model result written in the layout of Timeloop's
 * timeloop-model.stats.txt, so that scripts written against Timeloop's output
 * (which grep "Scalar reads (per-instance)", "Cycles:", "Total = ") read
 * petal's. Only figures petal computes are printed; the layout, labels and
 * level numbering (MACs are level 0, storage levels follow innermost first,
 * storage-less fan-out levels are numbered but not printed) follow Timeloop. */
#include <stdio.h>
#include <string.h>

#include "petal/timeloop.h"
#include "util/error.h"

/* Sparseloop's layout (algorithmic, actual, gated and skipped counts) for a
 * sparse problem or an architecture with sparse features. */
static bool sparse_layout(const petal_problem *p, const petal_arch *a)
{
    for (int s = 0; s < PETAL_NUM_DS; s++)
        if (p->density[s].kind != PETAL_DENSITY_DENSE && p->density[s].density < 1)
            return true;
    if (a->arith.sparse.kind)
        return true;
    for (int l = 0; l < a->nlevels; l++) {
        if (a->levels[l].sparse.nopts)
            return true;
        for (int s = 0; s < PETAL_NUM_DS; s++)
            if (a->levels[l].sparse.format[s].nranks)
                return true;
    }
    return false;
}

static void print_bw(FILE *out, const char *label, double bw)
{
    if (bw > 0)
        fprintf(out, "        %-31s : %.2f\n", label, bw);
    else
        fprintf(out, "        %-31s : -\n", label);
}

static double level_energy(const petal_level_stats *ls)
{
    return ls->energy_pj + ls->network_energy_pj + ls->leak_pj;
}

/* The level's own loops, outermost first: temporal, then the spatial ones
 * that fan out below it. */
static void print_loops(FILE *out, const petal_problem *p, const petal_level_mapping *lm)
{
    fprintf(out, "    Loop nest:\n");
    int depth = 0;
    for (int i = p->ndims - 1; i >= 0; i--) {
        int d = lm->perm[i];
        if (lm->temporal[d] > 1)
            fprintf(out, "      %*sfor %s in [0:%llu)\n", 2 * depth++, "", p->dim_names[d],
                    (unsigned long long)lm->temporal[d]);
    }
    for (int d = 0; d < p->ndims; d++)
        if (lm->spatial_x[d] > 1)
            fprintf(out, "      %*sfor %s in [0:%llu) (Spatial-X)\n", 2 * depth++, "",
                    p->dim_names[d], (unsigned long long)lm->spatial_x[d]);
    for (int d = 0; d < p->ndims; d++)
        if (lm->spatial_y[d] > 1)
            fprintf(out, "      %*sfor %s in [0:%llu) (Spatial-Y)\n", 2 * depth++, "",
                    p->dim_names[d], (unsigned long long)lm->spatial_y[d]);
}

static void print_sparse_counts(FILE *out, const petal_ds_stats *ds)
{
    uint64_t n = ds->instances ? ds->instances : 1;
    struct {
        const char *action;
        uint64_t algorithmic, actual, gated, skipped;
    } rows[] = {
        {"reads", ds->algorithmic_reads, ds->reads, ds->gated_reads, ds->skipped_reads},
        {"fills", ds->algorithmic_fills, ds->fills, ds->gated_fills, ds->skipped_fills},
        {"updates", ds->algorithmic_updates, ds->updates, ds->gated_updates, ds->skipped_updates},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *kinds[] = {"Algorithmic", "Actual", "Gated", "Skipped"};
        uint64_t values[] = {rows[i].algorithmic, rows[i].actual, rows[i].gated, rows[i].skipped};
        for (int k = 0; k < 4; k++) {
            char label[64];
            snprintf(label, sizeof label, "%s scalar %s (per-instance)", kinds[k], rows[i].action);
            fprintf(out, "        %-59s : %llu\n", label, (unsigned long long)(values[k] / n));
        }
    }
    struct {
        const char *label;
        uint64_t value;
    } md[] = {{"Actual scalar metadata reads (per-instance)", ds->metadata_reads},
              {"Actual scalar metadata fills (per-instance)", ds->metadata_fills},
              {"Actual scalar metadata updates (per-instance)", ds->metadata_updates}};
    for (size_t i = 0; i < sizeof md / sizeof md[0]; i++)
        fprintf(out, "        %-59s : %llu\n", md[i].label, (unsigned long long)(md[i].value / n));
}

static void print_storage(FILE *out, const petal_problem *p, const petal_arch *a,
                          const petal_mapping *m, const petal_model_result *r, int l)
{
    bool sparse = sparse_layout(p, a);
    const petal_level *lv = &a->levels[l];
    const petal_level_stats *ls = &r->levels[l];
    fprintf(out, "=== %s ===\n\n    SPECS\n    -----\n", lv->name);
    fprintf(out, "        %-31s : %s\n", "Technology", lv->cls == PETAL_MEM_DRAM ? "DRAM" : "SRAM");
    if (lv->depth)
        fprintf(out, "        %-31s : %llu\n", "Size", (unsigned long long)lv->depth);
    else
        fprintf(out, "        %-31s : -\n", "Size");
    fprintf(out, "        %-31s : %u\n", "Word bits", lv->word_bits);
    fprintf(out, "        %-31s : %u\n", "Block size", lv->block_size);
    fprintf(out, "        %-31s : %llu (%u*%u)\n", "Instances", (unsigned long long)lv->instances,
            lv->mesh_x, lv->mesh_y);
    print_bw(out, "Read bandwidth", lv->read_bw);
    print_bw(out, "Write bandwidth", lv->write_bw);
    double vector = lv->read_pj;
    if (lv->fill_pj > vector)
        vector = lv->fill_pj;
    if (lv->update_pj > vector)
        vector = lv->update_pj;
    fprintf(out, "        %-31s : %.2f pJ\n", "Vector access energy", vector);
    fprintf(out, "        %-31s : %.2f pJ\n", "Per-instance-cycle leakage", lv->leak_pj);
    fprintf(out, "        %-31s : %.2f pJ\n", "Leakage energy (total)", ls->leak_pj);
    fprintf(out, "        %-31s : %.2f um^2\n\n", "Area", lv->area_um2);

    fprintf(out, "    MAPPING\n    -------\n");
    print_loops(out, p, &m->levels[l]);
    fprintf(out, "\n    STATS\n    -----\n");
    fprintf(out, "    Cycles               : %llu\n", (unsigned long long)r->cycles);
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        const petal_ds_stats *ds = &ls->ds[s];
        if (!ds->kept)
            continue;
        uint64_t n = ds->instances ? ds->instances : 1;
        uint64_t accesses =
            ds->reads_per_instance + ds->fills_per_instance + ds->updates_per_instance;
        fprintf(out, "    %s:\n", p->ds[s].name);
        fprintf(out, "        %-40s : %llu\n", "Utilized capacity", (unsigned long long)ds->tile);
        fprintf(out, "        %-40s : %llu\n", "Utilized instances (max)",
                (unsigned long long)ds->instances);
        if (sparse) {
            fprintf(out, "        %-40s : %s\n", "Tile density distribution",
                    petal_density_kind_name(p->density[s].kind));
            fprintf(out, "        %-40s : %llu\n", "Max utilized data storage capacity",
                    (unsigned long long)ds->tile_data_words);
            print_sparse_counts(out, ds);
        } else {
            fprintf(out, "        %-40s : %llu\n", "Scalar reads (per-instance)",
                    (unsigned long long)ds->reads_per_instance);
            fprintf(out, "        %-40s : %llu\n", "Scalar fills (per-instance)",
                    (unsigned long long)ds->fills_per_instance);
            fprintf(out, "        %-40s : %llu\n", "Scalar updates (per-instance)",
                    (unsigned long long)ds->updates_per_instance);
        }
        fprintf(out, "        %-40s : %.2f pJ\n", "Energy (per-scalar-access)",
                accesses ? ds->energy_pj / (double)n / (double)accesses : 0.0);
        fprintf(out, "        %-40s : %.2f pJ\n", "Energy (per-instance)",
                ds->energy_pj / (double)n);
        fprintf(out, "        %-40s : %.2f pJ\n", "Energy (total)", ds->energy_pj);
        fprintf(out, "        %-40s : %.2f\n", "Average multicast", ds->multicast);
        fprintf(out, "        %-40s : %.2f pJ\n", "Network energy (total)", ds->network_energy_pj);
    }
    fprintf(out, "\n");
}

petal_status petal_timeloop_write_stats(FILE *out, const petal_problem *p, const petal_arch *a,
                                        const petal_mapping *m, const petal_model_result *r)
{
    /* Timeloop's layout states pJ (and fJ/Compute); scripts read them as such. */
    if (a->energy_unit != PETAL_ENERGY_PJ)
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "architecture %s counts energy in %s energies, not pJ, and "
                               "Timeloop's stats layout states pJ; use --format json or text",
                               a->name, petal_energy_unit_name(a->energy_unit));
    fprintf(out, "Buffer and Arithmetic Levels\n----------------------------\n");
    fprintf(out, "Level 0\n-------\n=== %s ===\n\n", a->arith.name);
    fprintf(out, "    SPECS\n    -----\n");
    fprintf(out, "    Word bits             : %u\n", a->arith.word_bits);
    fprintf(out, "    Instances             : %llu (%u*%u)\n",
            (unsigned long long)a->arith.instances, a->arith.mesh_x, a->arith.mesh_y);
    fprintf(out, "    Compute energy        : %.2f pJ\n\n", a->arith.mac_pj);
    fprintf(out, "    STATS\n    -----\n");
    fprintf(out, "    Utilized instances      : %llu\n", (unsigned long long)r->utilized_macs);
    bool sparse = sparse_layout(p, a);
    if (sparse) {
        fprintf(out, "    Algorithmic Computes (total) : %llu\n", (unsigned long long)r->computes);
        fprintf(out, "    Actual Computes (total)      : %llu\n",
                (unsigned long long)r->actual_computes);
        fprintf(out, "    Gated Computes (total)       : %llu\n",
                (unsigned long long)r->gated_computes);
        fprintf(out, "    Skipped Computes (total)     : %llu\n",
                (unsigned long long)r->skipped_computes);
    } else {
        fprintf(out, "    Computes (total)        : %llu\n", (unsigned long long)r->computes);
    }
    fprintf(out, "    Cycles                  : %llu\n", (unsigned long long)r->cycles);
    fprintf(out, "    Energy (total)          : %.2f pJ\n", r->mac_energy_pj);
    fprintf(out, "    Area (total)            : %.2f um^2\n\n",
            a->arith.area_um2 * (double)a->arith.instances);
    for (int l = a->nlevels - 1; l >= 0; l--) {
        if (a->levels[l].cls == PETAL_MEM_NONE)
            continue;
        fprintf(out, "Level %d\n-------\n", a->nlevels - l);
        print_storage(out, p, a, m, r, l);
    }
    fprintf(out, "Networks\n--------\n\n");

    double energy_j = r->energy_pj * 1e-12;
    uint64_t outputs = petal_problem_ds_words(p, PETAL_DS_OUTPUTS);
    /* Operations done: the actual computes when sparse, as Sparseloop counts them. */
    uint64_t done = sparse ? r->actual_computes : r->computes;
    uint64_t ops = 2 * done - (outputs < done ? outputs : done);
    fprintf(out, "Summary Stats\n-------------\n");
    if (!r->valid)
        fprintf(out, "Mapping: invalid (%s)\n", r->why);
    fprintf(out, "GFLOPs (@1GHz): %.2f\n", r->cycles ? (double)ops / (double)r->cycles : 0.0);
    fprintf(out, "Utilization: %.2f%%\n", 100.0 * r->utilization);
    fprintf(out, "Cycles: %llu\n", (unsigned long long)r->cycles);
    fprintf(out, "Energy: %.2f uJ\n", r->energy_pj * 1e-6);
    fprintf(out, "EDP(J*cycle): %.2e\n", energy_j * (double)r->cycles);
    fprintf(out, "Area: %.2f mm^2\n\n", r->area_um2 * 1e-6);
    size_t width = strlen("Total");
    if (strlen(a->arith.name) > width)
        width = strlen(a->arith.name);
    for (int l = 0; l < a->nlevels; l++)
        if (strlen(a->levels[l].name) > width)
            width = strlen(a->levels[l].name);
    /* Sparseloop prints fJ per algorithmic compute, then per actual one. */
    for (int pass = sparse ? 0 : 1; pass < 2; pass++) {
        uint64_t computes = pass == 0 || !sparse ? r->computes : r->actual_computes;
        if (!sparse)
            fprintf(out, "Computes = %llu\nfJ/Compute\n", (unsigned long long)computes);
        else if (pass == 0)
            fprintf(out, "Algorithmic Computes = %llu\nfJ/Algorithmic-Compute\n",
                    (unsigned long long)computes);
        else
            fprintf(out, "\nActual Computes = %llu\nfJ/Compute\n", (unsigned long long)computes);
        double per = computes ? 1000.0 / (double)computes : 0.0;
        fprintf(out, "    %-*s = %.2f\n", (int)width + 1, a->arith.name, r->mac_energy_pj * per);
        for (int l = a->nlevels - 1; l >= 0; l--)
            if (a->levels[l].cls != PETAL_MEM_NONE)
                fprintf(out, "    %-*s = %.2f\n", (int)width + 1, a->levels[l].name,
                        level_energy(&r->levels[l]) * per);
        fprintf(out, "    %-*s = %.2f\n", (int)width + 1, "Total", r->energy_pj * per);
    }
    return ferror(out) ? petal_error_set(PETAL_EIO, "writing Timeloop stats: output error")
                       : PETAL_OK;
}
