/* formats/scalesim/scalesim_internal.h - what the SCALE-Sim readers share:
 * the file as text, one line at a time, and whole numbers as Python's int()
 * reads them in SCALE-Sim (library-internal). */
#ifndef PETAL_FORMATS_SCALESIM_INTERNAL_H
#define PETAL_FORMATS_SCALESIM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "petal/error.h"

/* Files larger than this are refused: SCALE-Sim's inputs are a few kB. */
#define SCALESIM_MAX_FILE (16u << 20)

/* Read path into a NUL-terminated buffer (free it); a NUL byte in the file or
 * a file over SCALESIM_MAX_FILE fails with PETAL_EPARSE. */
petal_status scalesim_read_text(const char *path, char **text, size_t *len);

/* One line of text: [start, start + len) without its newline. */
typedef struct scalesim_line {
    const char *start;
    size_t len;
    int number; /* from 1 */
} scalesim_line;

/* The next line at *pos in text of length n; false at the end. */
bool scalesim_next_line(const char *text, size_t n, size_t *pos, scalesim_line *line);

/* Strip leading and trailing white space from [*s, *s + *len). */
void scalesim_strip(const char **s, size_t *len);

/* A whole number in [s, s + len) after stripping: decimal digits with an
 * optional '+', at most 2^63; false otherwise. */
bool scalesim_parse_u64(const char *s, size_t len, uint64_t *out);

#endif
