/* sheet_report.c - the benchmark sheet as text, JSON or CSV
 * (petal_report_sheet). Not written yet. */
#include "petal/report.h"
#include "util/error.h"

petal_status petal_report_sheet(FILE *out, const petal_sheet *s, petal_report_format fmt)
{
    (void)out, (void)s, (void)fmt;
    return petal_error_set(PETAL_EUNSUPPORTED, "sheet report: not implemented yet");
}
