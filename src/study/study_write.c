/* study_write.c - the output dispatch both studies share (study_write.h). */
#include "study/study_write.h"

#include "util/error.h"

petal_status study_write(FILE *out, const void *study, petal_study_format fmt,
                         const study_writers *w)
{
    if ((unsigned)fmt >= sizeof w->by_format / sizeof w->by_format[0])
        return petal_error_set(PETAL_EINVAL, "%s: unknown output format", w->what);
    w->by_format[fmt](out, study);
    return ferror(out) ? petal_error_set(PETAL_EIO, "%s: write failed", w->what) : PETAL_OK;
}
