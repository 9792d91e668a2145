/* study_write.h - one dispatch from an output format to a study's writer, with
 * the write error check, serves both studies (eyeriss_v1.c, dataflows.c). */
#ifndef PETAL_STUDY_WRITE_H
#define PETAL_STUDY_WRITE_H

#include <stdio.h>

#include "petal/study.h"

/* Writes one study in one format; the study is the writer's own type. */
typedef void (*study_writer)(FILE *out, const void *study);

/* The writers of one study, indexed by petal_study_format, and its name for
 * messages. */
typedef struct study_writers {
    study_writer by_format[3];
    const char *what;
} study_writers;

/* Write STUDY in FMT; PETAL_EINVAL for an unknown format, PETAL_EIO when OUT
 * reports an error. */
petal_status study_write(FILE *out, const void *study, petal_study_format fmt,
                         const study_writers *w);

#endif
