/* eyexam_report.c - Eyexam's seven bounds for one layer as text or JSON
 * (petal_report_eyexam). */
#include <math.h>

#include "formats/json/jsonw.h"
#include "petal/report.h"
#include "util/error.h"

static void write_text(FILE *out, const petal_eyexam_result *r)
{
    fprintf(out, "Eyexam: layer %s on %s, %s (%llu MACs, %llu PEs)\n\n", r->layer, r->arch,
            r->dataflow[0] ? r->dataflow : "whole mapspace", (unsigned long long)r->macs,
            (unsigned long long)r->pes);
    fprintf(out, "step  bound                         MACs/cycle  limited by\n");
    for (int k = 0; k < PETAL_EYEXAM_STEPS; k++) {
        const petal_eyexam_step *s = &r->steps[k];
        fprintf(out, "%4d  %-28s %11.2f  %s\n", s->step, s->name, s->macs_per_cycle, s->limited_by);
    }
    fprintf(out, "\n");
    if (!r->searched)
        fprintf(out, "best mapping: not searched\n");
    else if (!r->best_found)
        fprintf(out, "best mapping: none found: %s\n",
                r->best_why[0] ? r->best_why : "no valid mapping");
    else
        fprintf(out, "best mapping: %.2f MACs/cycle (%llu cycles, %s), %.1f%% of step 7\n",
                r->best_macs_per_cycle, (unsigned long long)r->best_cycles,
                r->best_complete ? "optimal in its mapspace" : "not proven optimal",
                r->steps[6].macs_per_cycle > 0
                    ? 100.0 * r->best_macs_per_cycle / r->steps[6].macs_per_cycle
                    : 0.0);
}

static void write_json(FILE *out, const petal_eyexam_result *r)
{
    jw w;
    jw_init(&w, out, true);
    jw_object(&w);
    jw_key(&w, "layer");
    jw_string(&w, r->layer);
    jw_key(&w, "steps");
    jw_array(&w);
    for (int k = 0; k < PETAL_EYEXAM_STEPS; k++) {
        const petal_eyexam_step *s = &r->steps[k];
        jw_object(&w);
        jw_key(&w, "step");
        jw_i64(&w, s->step);
        jw_key(&w, "name");
        jw_string(&w, s->name);
        jw_key(&w, "macs_per_cycle");
        jw_double(&w, s->macs_per_cycle);
        jw_key(&w, "limited_by");
        jw_string(&w, s->limited_by);
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "best_macs_per_cycle");
    if (r->searched && r->best_found)
        jw_double(&w, r->best_macs_per_cycle);
    else
        jw_null(&w);
    jw_end(&w);
    jw_finish(&w);
}

petal_status petal_report_eyexam(FILE *out, const petal_eyexam_result *r, petal_report_format fmt)
{
    if (!out || !r)
        return petal_error_set(PETAL_EINVAL, "eyexam report: no output or result");
    switch (fmt) {
    case PETAL_REPORT_TEXT:
        write_text(out, r);
        break;
    case PETAL_REPORT_JSON:
        write_json(out, r);
        break;
    default:
        return petal_error_set(PETAL_EUNSUPPORTED,
                               "eyexam report: CSV is not offered (text or JSON)");
    }
    return ferror(out) ? petal_error_set(PETAL_EIO, "eyexam report: write failed") : PETAL_OK;
}
