/* scalesim_text.c - reading a SCALE-Sim input file as lines of text, and
 * its whole numbers (formats/scalesim/scalesim_internal.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/scalesim/scalesim_internal.h"
#include "util/error.h"

petal_status scalesim_read_text(const char *path, char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return petal_error_set(PETAL_EIO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    if (!buf) {
        fclose(f);
        return petal_error_set(PETAL_ENOMEM, "%s: out of memory", path);
    }
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > SCALESIM_MAX_FILE) {
                free(buf);
                fclose(f);
                return petal_error_set(PETAL_EPARSE,
                                       "%s: larger than %u bytes; not a SCALE-Sim input", path,
                                       SCALESIM_MAX_FILE);
            }
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                fclose(f);
                return petal_error_set(PETAL_ENOMEM, "%s: out of memory", path);
            }
            buf = grown;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0)
            break;
    }
    bool failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return petal_error_set(PETAL_EIO, "%s: read error", path);
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        free(buf);
        return petal_error_set(PETAL_EPARSE, "%s: contains a NUL byte; not a text file", path);
    }
    *text = buf;
    *len = n;
    return PETAL_OK;
}

bool scalesim_next_line(const char *text, size_t n, size_t *pos, scalesim_line *line)
{
    if (*pos >= n)
        return false;
    const char *start = text + *pos;
    const char *end = memchr(start, '\n', n - *pos);
    size_t len = end ? (size_t)(end - start) : n - *pos;
    line->start = start;
    line->len = len;
    line->number++;
    *pos += len + (end != NULL);
    return true;
}

void scalesim_strip(const char **s, size_t *len)
{
    while (*len && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && isspace((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

bool scalesim_parse_u64(const char *s, size_t len, uint64_t *out)
{
    scalesim_strip(&s, &len);
    if (len && *s == '+') {
        s++;
        len--;
    }
    if (!len)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > (UINT64_C(1) << 63))
            return false;
    }
    *out = v;
    return true;
}
