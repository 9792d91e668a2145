/* formats/json/jsonw.h - a small streaming JSON writer for reports.
 *
 * The writer tracks nesting so callers never place commas by hand:
 *   jw_object(&w); jw_key(&w, "macs"); jw_u64(&w, 10); jw_end(&w);
 * Doubles are written with enough digits to round-trip (%.17g trimmed).
 */
#ifndef PETAL_FORMATS_JSONW_H
#define PETAL_FORMATS_JSONW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH 32

typedef struct jw {
    FILE *out;
    int depth;
    bool pretty;
    bool after_key;
    bool has_items[JW_MAX_DEPTH];
    char closer[JW_MAX_DEPTH];
} jw;

void jw_init(jw *w, FILE *out, bool pretty);
void jw_object(jw *w);
void jw_array(jw *w);
void jw_end(jw *w); /* closes the innermost object or array */
void jw_key(jw *w, const char *key);
void jw_string(jw *w, const char *s);
void jw_u64(jw *w, uint64_t v);
void jw_i64(jw *w, int64_t v);
void jw_double(jw *w, double v); /* non-finite values are written as null */
/* The text jw_double writes for a finite v, into buf (JW_DOUBLE_MAX bytes), so
 * that another writer (the HTML report) can print exactly the JSON's number. */
#define JW_DOUBLE_MAX 40
const char *jw_format_double(char *buf, double v);
void jw_bool(jw *w, bool v);
void jw_null(jw *w);
/* Finish the document with a newline. */
void jw_finish(jw *w);

#endif
