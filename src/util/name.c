/* util/name.c - copy a name into a fixed-size public field or fail with a
 * message that names the limit (util/name.h). */
#include "util/name.h"

#include <string.h>

#include "util/error.h"

/* Names can be long; the message shows what would have fitted, then "...". */
petal_status petal_name_too_long(size_t size, const char *limit, const char *what, const char *src,
                                 size_t len)
{
    int shown = (int)(size - 1);
    return petal_error_set(PETAL_EINVAL,
                           "%s '%.*s...' is %zu characters; petal keeps at most %s - 1 = %zu", what,
                           shown, src, len, limit, size - 1);
}

petal_status petal_name_copyn(char *dst, size_t size, const char *limit, const char *what,
                              const char *src, size_t len)
{
    if (len >= size)
        return petal_name_too_long(size, limit, what, src, len);
    memcpy(dst, src, len);
    dst[len] = '\0';
    return PETAL_OK;
}

petal_status petal_name_copy(char *dst, size_t size, const char *limit, const char *what,
                             const char *src)
{
    return petal_name_copyn(dst, size, limit, what, src, strlen(src));
}

const char *petal_path_stem(const char *path, size_t *len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    *len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    return base;
}
