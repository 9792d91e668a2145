/* scalesim_report.c - SCALE-Sim v2's per-layer numbers (petal_scalesim_run)
 * as a table, JSON ({"layers": [...]}, the keys of docs/systolic.md) or CSV. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "formats/csv/csvw.h"
#include "formats/json/jsonw.h"
#include "petal/scalesim.h"
#include "util/error.h"

static const char *dataflow_name(petal_scalesim_dataflow d)
{
    return d == PETAL_SCALESIM_OS ? "os" : d == PETAL_SCALESIM_WS ? "ws" : "is";
}

/* A DRAM count for the table: the number, "~number" within 1%, or "n/r". */
static const char *dram_cell(char *buf, size_t size, bool known, bool exact, uint64_t v)
{
    if (!known)
        snprintf(buf, size, "n/r");
    else
        snprintf(buf, size, "%s%" PRIu64, exact ? "" : "~", v);
    return buf;
}

static void scalesim_text(FILE *out, const petal_scalesim_config *c, const petal_scalesim_result *r)
{
    fprintf(out,
            "SCALE-Sim run %s: %" PRIu64 " x %" PRIu64 " array, %s, SRAM ifmap %" PRIu64
            " kB, filter %" PRIu64 " kB, ofmap %" PRIu64 " kB, InterfaceBandwidth CALC\n",
            c->run_name, c->array_rows, c->array_cols, dataflow_name(c->dataflow), c->ifmap_sram_kb,
            c->filter_sram_kb, c->ofmap_sram_kb);
    if (c->bandwidth)
        fprintf(out,
                "Bandwidth %" PRIu64 " is not used: CALC sizes the DRAM traffic instead, as "
                "SCALE-Sim does\n",
                c->bandwidth);
    int nw = 5;
    for (size_t i = 0; i < r->nlayers; i++) {
        int len = (int)strlen(r->layers[i].name);
        if (len > nw)
            nw = len;
    }
    fprintf(out, "\n%-*s %8s %8s %8s %12s %6s %8s %8s %12s %12s %12s %12s %12s %12s\n", nw, "layer",
            "M", "N", "K", "cycles", "stall", "map %", "util %", "SRAM ifmap", "SRAM filter",
            "SRAM ofmap", "DRAM ifmap", "DRAM filter", "DRAM ofmap");
    bool unknown = false, approx = false;
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_scalesim_result_layer *l = &r->layers[i];
        char a[32], b[32], d[32];
        fprintf(
            out,
            "%-*s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %12" PRIu64 " %6" PRIu64
            " %8.3f %8.3f %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12s %12s %12s\n",
            nw, l->name, l->m, l->n, l->k, l->total_cycles, l->stall_cycles, l->mapping_efficiency,
            l->compute_utilization, l->sram_ifmap_reads, l->sram_filter_reads, l->sram_ofmap_writes,
            dram_cell(a, sizeof a, l->dram_ifmap_known, true, l->dram_ifmap_reads),
            dram_cell(b, sizeof b, l->dram_filter_known, true, l->dram_filter_reads),
            dram_cell(d, sizeof d, l->dram_ofmap_known, l->dram_ofmap_exact, l->dram_ofmap_writes));
        unknown |= !l->dram_ifmap_known || !l->dram_filter_known || !l->dram_ofmap_known;
        approx |= l->dram_ofmap_known && !l->dram_ofmap_exact;
    }
    fprintf(out, "\nM x K ifmap, K x N filter, M x N ofmap; map %% is SCALE-Sim's Mapping "
                 "Efficiency, util %% its Compute Util; SRAM and DRAM columns count words\n");
    if (approx)
        fprintf(out, "~: within 1%% of SCALE-Sim (a layer too large to replay its ofmap buffer; "
                     "docs/systolic.md)\n");
    if (unknown)
        fprintf(out, "n/r: not reproduced (a layer too large to replay SCALE-Sim's buffers; "
                     "docs/systolic.md)\n");
}

static void json_count(jw *w, const char *key, bool known, uint64_t v)
{
    jw_key(w, key);
    if (known)
        jw_u64(w, v);
    else
        jw_null(w);
}

static void scalesim_json(FILE *out, const petal_scalesim_result *r)
{
    jw w;
    jw_init(&w, out, true);
    jw_object(&w);
    jw_key(&w, "layers");
    jw_array(&w);
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_scalesim_result_layer *l = &r->layers[i];
        jw_object(&w);
        jw_key(&w, "name");
        jw_string(&w, l->name);
        json_count(&w, "total_cycles", true, l->total_cycles);
        json_count(&w, "stall_cycles", true, l->stall_cycles);
        json_count(&w, "sram_ifmap_reads", true, l->sram_ifmap_reads);
        json_count(&w, "sram_filter_reads", true, l->sram_filter_reads);
        json_count(&w, "sram_ofmap_writes", true, l->sram_ofmap_writes);
        json_count(&w, "dram_ifmap_reads", l->dram_ifmap_known, l->dram_ifmap_reads);
        json_count(&w, "dram_filter_reads", l->dram_filter_known, l->dram_filter_reads);
        json_count(&w, "dram_ofmap_writes", l->dram_ofmap_known, l->dram_ofmap_writes);
        jw_key(&w, "mapping_efficiency");
        jw_double(&w, l->mapping_efficiency);
        jw_key(&w, "compute_utilization");
        jw_double(&w, l->compute_utilization);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    jw_finish(&w);
}

static void csv_count(FILE *out, bool known, uint64_t v)
{
    if (known)
        fprintf(out, "%" PRIu64, v);
    fputc(',', out);
}

static void scalesim_csv(FILE *out, const petal_scalesim_result *r)
{
    fprintf(out, "name,total_cycles,stall_cycles,sram_ifmap_reads,sram_filter_reads,"
                 "sram_ofmap_writes,dram_ifmap_reads,dram_filter_reads,dram_ofmap_writes,"
                 "mapping_efficiency,compute_utilization\n");
    for (size_t i = 0; i < r->nlayers; i++) {
        const petal_scalesim_result_layer *l = &r->layers[i];
        csv_field(out, l->name);
        fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",",
                l->total_cycles, l->stall_cycles, l->sram_ifmap_reads, l->sram_filter_reads,
                l->sram_ofmap_writes);
        csv_count(out, l->dram_ifmap_known, l->dram_ifmap_reads);
        csv_count(out, l->dram_filter_known, l->dram_filter_reads);
        csv_count(out, l->dram_ofmap_known, l->dram_ofmap_writes);
        fprintf(out, "%.17g,%.17g\n", l->mapping_efficiency, l->compute_utilization);
    }
}

petal_status petal_report_scalesim(FILE *out, const petal_scalesim_config *c,
                                   const petal_scalesim_result *r, petal_report_format fmt)
{
    if (!out || !c || !r)
        return petal_error_set(PETAL_EINVAL, "petal_report_scalesim: NULL argument");
    switch (fmt) {
    case PETAL_REPORT_TEXT:
        scalesim_text(out, c, r);
        break;
    case PETAL_REPORT_JSON:
        scalesim_json(out, r);
        break;
    case PETAL_REPORT_CSV:
        scalesim_csv(out, r);
        break;
    default:
        return petal_error_set(PETAL_EINVAL, "petal_report_scalesim: unknown format");
    }
    return ferror(out) ? petal_error_set(PETAL_EIO, "writing the result failed") : PETAL_OK;
}
