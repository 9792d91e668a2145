/* sheet.c - the benchmark sheet (petal/sheet.h). Not written yet. */
#include "petal/sheet.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"

petal_status petal_sheet_build(const petal_network *net, const petal_arch *archs, size_t narchs,
                               const petal_map_options *o, petal_eval_progress_fn progress,
                               void *ctx, petal_sheet *out)
{
    (void)net, (void)archs, (void)narchs, (void)o, (void)progress, (void)ctx;
    memset(out, 0, sizeof *out);
    return petal_error_set(PETAL_EUNSUPPORTED, "sheet: not implemented yet");
}

void petal_sheet_free(petal_sheet *s)
{
    for (size_t i = 0; i < s->narchs; i++)
        petal_eval_free(&s->archs[i].eval);
    free(s->archs);
    s->archs = NULL;
    s->narchs = 0;
}
