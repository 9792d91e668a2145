/* sheet_report.c - the benchmark sheet (petal/sheet.h) as a text table with
 * one column per architecture, JSON, or CSV with one row per architecture. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "formats/csv/csvw.h"
#include "formats/json/jsonw.h"
#include "petal/report.h"
#include "util/error.h"

static const char dense_note[] = "dense: no densities are given, so the non-zero counts equal "
                                 "the totals";
static const char sparse_note[] = "non-zero counts expected from the layers' densities: a "
                                  "non-zero MAC has a non-zero weight and a non-zero input "
                                  "(MACs x density of Weights x density of Inputs)";
static const char unknown_note[] = "non-zero counts not known: a layer is banded on a data "
                                   "space that is not a matrix";

static const char *sparsity_note(const petal_sheet *s)
{
    return s->dense ? dense_note : s->nonzero_known ? sparse_note : unknown_note;
}

static const char *unit_name(petal_energy_unit u)
{
    return petal_energy_unit_name(u);
}

/* --- text --- */

typedef void (*cell_fn)(char *buf, size_t size, const petal_sheet_arch *sa);

static void c_unit(char *b, size_t n, const petal_sheet_arch *sa)
{
    snprintf(b, n, "%s", unit_name(sa->energy_unit));
}
static void c_energy(char *b, size_t n, const petal_sheet_arch *sa)
{
    snprintf(b, n, "%.6g", sa->energy_per_inference);
}
static void c_latency(char *b, size_t n, const petal_sheet_arch *sa)
{
    if (sa->clock_known)
        snprintf(b, n, "%.6g", 1e3 * sa->latency_s);
    else
        snprintf(b, n, "no clock");
}
static void c_ips(char *b, size_t n, const petal_sheet_arch *sa)
{
    if (sa->clock_known)
        snprintf(b, n, "%.6g", sa->inferences_per_second);
    else
        snprintf(b, n, "no clock");
}
static void c_epm(char *b, size_t n, const petal_sheet_arch *sa)
{
    snprintf(b, n, "%.4f", sa->energy_per_mac);
}
static void c_dram(char *b, size_t n, const petal_sheet_arch *sa)
{
    snprintf(b, n, "%.4f", sa->dram_bytes_per_mac);
}
static void c_epnz(char *b, size_t n, const petal_sheet_arch *sa)
{
    if (isfinite(sa->energy_per_nonzero_mac))
        snprintf(b, n, "%.4f", sa->energy_per_nonzero_mac);
    else
        snprintf(b, n, "not known");
}
static void c_dramnz(char *b, size_t n, const petal_sheet_arch *sa)
{
    if (isfinite(sa->dram_bytes_per_nonzero_mac))
        snprintf(b, n, "%.4f", sa->dram_bytes_per_nonzero_mac);
    else
        snprintf(b, n, "not known");
}
static void c_mm2(char *b, size_t n, const petal_sheet_arch *sa)
{
    if (isfinite(sa->mm2_per_multiplier))
        snprintf(b, n, "%.5f", sa->mm2_per_multiplier);
    else
        snprintf(b, n, "not given");
}
static void c_kb(char *b, size_t n, const petal_sheet_arch *sa)
{
    if (isfinite(sa->kb_per_multiplier))
        snprintf(b, n, "%.4f", sa->kb_per_multiplier);
    else
        snprintf(b, n, "unbounded");
}
static void c_util(char *b, size_t n, const petal_sheet_arch *sa)
{
    snprintf(b, n, "%.1f%%", 100.0 * sa->utilization);
}
static void c_proven(char *b, size_t n, const petal_sheet_arch *sa)
{
    snprintf(b, n, "%s", sa->proven ? "yes" : "no");
}
static void c_mult(char *b, size_t n, const petal_sheet_arch *sa)
{
    snprintf(b, n, "%" PRIu64, sa->multipliers);
}
static void c_mapped(char *b, size_t n, const petal_sheet_arch *sa)
{
    if (sa->unmapped)
        snprintf(b, n, "PARTIAL: %zu unmapped", sa->unmapped);
    else
        snprintf(b, n, "all %zu", sa->eval.nlayers);
}

static void write_text(FILE *out, const petal_sheet *s)
{
    fprintf(out, "benchmark sheet: network %s, batch %" PRIu64 "\n\n", s->net, s->batch);
    if (s->nonzero_known) {
        fprintf(out, "weights %" PRIu64 ", non-zero weights %" PRIu64 "\n", s->weights,
                s->nonzero_weights);
        fprintf(out, "MACs per inference %" PRIu64 ", non-zero MACs %" PRIu64 "\n", s->macs,
                s->nonzero_macs);
    } else {
        fprintf(out, "weights %" PRIu64 ", non-zero weights not known\n", s->weights);
        fprintf(out, "MACs per inference %" PRIu64 ", non-zero MACs not known\n", s->macs);
    }
    fprintf(out, "%s\n", sparsity_note(s));
    if (s->has_accuracy)
        fprintf(out, "accuracy %.6g (as given; petal does not measure it)\n", s->accuracy);
    else
        fprintf(out, "accuracy not given (--accuracy)\n");
    char batch_note[48];
    snprintf(batch_note, sizeof batch_note, "latency, batch of %" PRIu64 " (ms)", s->batch);
    typedef struct {
        const char *label;
        cell_fn fn;
    } sheet_row;
    /* Dense: per MAC is per non-zero MAC, one row each; with densities the
     * two apart. */
    const sheet_row all_rows[] = {
        {"energy unit", c_unit},
        {"energy per inference (DRAM incl.)", c_energy},
        {batch_note, c_latency},
        {"inferences per second", c_ips},
        {s->dense ? "energy per (non-zero) MAC" : "energy per MAC", c_epm},
        {"energy per non-zero MAC", c_epnz},
        {s->dense ? "DRAM bytes per (non-zero) MAC" : "DRAM bytes per MAC", c_dram},
        {"DRAM bytes per non-zero MAC", c_dramnz},
        {"multipliers (MAC units)", c_mult},
        {"mm2 per multiplier", c_mm2},
        {"on-chip kB per multiplier", c_kb},
        {"PE utilisation", c_util},
        {"layers mapped", c_mapped},
        {"every mapping proven optimal", c_proven},
    };
    sheet_row rows[sizeof all_rows / sizeof all_rows[0]];
    size_t nrows = 0;
    for (size_t k = 0; k < sizeof all_rows / sizeof all_rows[0]; k++)
        if (!s->dense || (all_rows[k].fn != c_epnz && all_rows[k].fn != c_dramnz))
            rows[nrows++] = all_rows[k];
    const size_t n = s->narchs;
    fprintf(out, "\n%-34s", "");
    for (size_t r = 0; r <= nrows; r++) {
        if (r > 0)
            fprintf(out, "%-34s", rows[r - 1].label);
        for (size_t i = 0; i < n; i++) {
            /* Each column as wide as its widest cell. */
            int width = (int)strlen(s->archs[i].arch);
            char cell[64];
            for (size_t k = 0; k < nrows; k++) {
                rows[k].fn(cell, sizeof cell, &s->archs[i]);
                if ((int)strlen(cell) > width)
                    width = (int)strlen(cell);
            }
            if (r > 0)
                rows[r - 1].fn(cell, sizeof cell, &s->archs[i]);
            fprintf(out, "  %*s", width, r > 0 ? cell : s->archs[i].arch);
        }
        fprintf(out, "\n");
    }
    /* Figures that leave layers out say so under the table too. */
    for (size_t i = 0; i < n; i++)
        if (s->archs[i].unmapped)
            fprintf(out,
                    "PARTIAL: %s's figures leave out the %zu of %zu layers that have no "
                    "valid mapping\n",
                    s->archs[i].arch, s->archs[i].unmapped, s->archs[i].eval.nlayers);
    bool normalised = false;
    for (size_t i = 0; i < n; i++)
        normalised |= s->archs[i].energy_unit == PETAL_ENERGY_MAC;
    fprintf(out,
            "\nEnergies are in each column's unit: pJ, or MAC = multiples of one MAC's "
            "energy (a normalised\ntable, not pJ): columns of different units do not "
            "compare.%s kB = 1024 bytes.\n",
            normalised ? "" : " (Every column here is in pJ.)");
}

/* --- JSON --- */

static void json_num_or_null(jw *w, const char *key, double v, bool known)
{
    jw_key(w, key);
    if (known && isfinite(v))
        jw_double(w, v);
    else
        jw_null(w);
}

static void write_json(FILE *out, const petal_sheet *s)
{
    jw w;
    jw_init(&w, out, true);
    jw_object(&w);
    jw_key(&w, "net");
    jw_string(&w, s->net);
    jw_key(&w, "batch");
    jw_u64(&w, s->batch);
    jw_key(&w, "architectures");
    jw_array(&w);
    for (size_t i = 0; i < s->narchs; i++) {
        const petal_sheet_arch *sa = &s->archs[i];
        jw_object(&w);
        jw_key(&w, "arch");
        jw_string(&w, sa->arch);
        jw_key(&w, "energy_unit");
        jw_string(&w, unit_name(sa->energy_unit));
        jw_key(&w, "energy_per_inference");
        jw_double(&w, sa->energy_per_inference);
        json_num_or_null(&w, "latency_s", sa->latency_s, sa->clock_known);
        json_num_or_null(&w, "inferences_per_second", sa->inferences_per_second, sa->clock_known);
        jw_key(&w, "energy_per_mac");
        jw_double(&w, sa->energy_per_mac);
        jw_key(&w, "dram_bytes_per_mac");
        jw_double(&w, sa->dram_bytes_per_mac);
        json_num_or_null(&w, "energy_per_nonzero_mac", sa->energy_per_nonzero_mac, true);
        json_num_or_null(&w, "dram_bytes_per_nonzero_mac", sa->dram_bytes_per_nonzero_mac, true);
        json_num_or_null(&w, "mm2_per_multiplier", sa->mm2_per_multiplier, true);
        json_num_or_null(&w, "kb_per_multiplier", sa->kb_per_multiplier, true);
        jw_key(&w, "utilization");
        jw_double(&w, sa->utilization);
        jw_key(&w, "proven");
        jw_bool(&w, sa->proven);
        /* Added beside the keys. */
        jw_key(&w, "multipliers");
        jw_u64(&w, sa->multipliers);
        json_num_or_null(&w, "area_mm2", sa->area_mm2, sa->area_mm2 > 0);
        json_num_or_null(&w, "onchip_kb", sa->onchip_kb, true);
        jw_key(&w, "unmapped");
        jw_u64(&w, sa->unmapped);
        jw_key(&w, "complete");
        jw_bool(&w, sa->unmapped == 0);
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "weights");
    jw_u64(&w, s->weights);
    jw_key(&w, "nonzero_weights");
    s->nonzero_known ? jw_u64(&w, s->nonzero_weights) : jw_null(&w);
    jw_key(&w, "macs");
    jw_u64(&w, s->macs);
    jw_key(&w, "nonzero_macs");
    s->nonzero_known ? jw_u64(&w, s->nonzero_macs) : jw_null(&w);
    jw_key(&w, "dense");
    jw_bool(&w, s->dense);
    jw_key(&w, "sparsity");
    jw_string(&w, sparsity_note(s));
    jw_key(&w, "accuracy");
    if (s->has_accuracy)
        jw_double(&w, s->accuracy);
    else
        jw_null(&w);
    jw_end(&w);
    jw_finish(&w);
}

/* --- CSV --- */

static void csv_num(FILE *out, double v, bool known)
{
    if (known && isfinite(v))
        fprintf(out, ",%.17g", v);
    else
        fputc(',', out);
}

static void write_csv(FILE *out, const petal_sheet *s)
{
    fprintf(out, "net,batch,arch,energy_unit,energy_per_inference,latency_s,"
                 "inferences_per_second,energy_per_mac,dram_bytes_per_mac,mm2_per_multiplier,"
                 "kb_per_multiplier,utilization,proven,multipliers,area_mm2,onchip_kb,unmapped,"
                 "weights,nonzero_weights,macs,nonzero_macs,dense,accuracy,energy_per_nonzero_mac,"
                 "dram_bytes_per_nonzero_mac\n");
    for (size_t i = 0; i < s->narchs; i++) {
        const petal_sheet_arch *sa = &s->archs[i];
        csv_field(out, s->net);
        fprintf(out, ",%" PRIu64 ",", s->batch);
        csv_field(out, sa->arch);
        fprintf(out, ",%s,%.17g", unit_name(sa->energy_unit), sa->energy_per_inference);
        csv_num(out, sa->latency_s, sa->clock_known);
        csv_num(out, sa->inferences_per_second, sa->clock_known);
        fprintf(out, ",%.17g,%.17g", sa->energy_per_mac, sa->dram_bytes_per_mac);
        csv_num(out, sa->mm2_per_multiplier, true);
        csv_num(out, sa->kb_per_multiplier, true);
        fprintf(out, ",%.17g,%d,%" PRIu64, sa->utilization, sa->proven, sa->multipliers);
        csv_num(out, sa->area_mm2, sa->area_mm2 > 0);
        csv_num(out, sa->onchip_kb, true);
        fprintf(out, ",%zu,%" PRIu64 ",", sa->unmapped, s->weights);
        if (s->nonzero_known)
            fprintf(out, "%" PRIu64, s->nonzero_weights);
        fprintf(out, ",%" PRIu64 ",", s->macs);
        if (s->nonzero_known)
            fprintf(out, "%" PRIu64, s->nonzero_macs);
        fprintf(out, ",%d", s->dense);
        csv_num(out, s->accuracy, s->has_accuracy);
        csv_num(out, sa->energy_per_nonzero_mac, true);
        csv_num(out, sa->dram_bytes_per_nonzero_mac, true);
        fputc('\n', out);
    }
}

petal_status petal_report_sheet(FILE *out, const petal_sheet *s, petal_report_format fmt)
{
    if (!out || !s)
        return petal_error_set(PETAL_EINVAL, "sheet report: no output or sheet");
    switch (fmt) {
    case PETAL_REPORT_TEXT:
        write_text(out, s);
        break;
    case PETAL_REPORT_JSON:
    case PETAL_REPORT_JSON_TIMINGS: /* the sheet has no timings */
        write_json(out, s);
        break;
    case PETAL_REPORT_CSV:
        write_csv(out, s);
        break;
    }
    return ferror(out) ? petal_error_set(PETAL_EIO, "sheet report: write failed") : PETAL_OK;
}
