/* eyexam_report.c - Eyexam's bounds and the benchmark sheet as text, JSON, CSV.
 * Not written yet. */
#include "petal/report.h"

#include "util/error.h"

petal_status petal_report_eyexam(FILE *out, const petal_eyexam_result *r, petal_report_format fmt)
{
    (void)out, (void)r, (void)fmt;
    return petal_error_set(PETAL_EUNSUPPORTED, "eyexam report: not implemented yet");
}

petal_status petal_report_sheet(FILE *out, const petal_sheet *s, petal_report_format fmt)
{
    (void)out, (void)s, (void)fmt;
    return petal_error_set(PETAL_EUNSUPPORTED, "sheet report: not implemented yet");
}
