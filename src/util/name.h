/* util/name.h - copying a name into a fixed-size field of a public struct, or
 * failing with a message that names the limit (petal/limits.h): never a
 * truncation. Readers put the position in front of the message. */
#ifndef PETAL_UTIL_NAME_H
#define PETAL_UTIL_NAME_H

#include <stddef.h>

#include "petal/error.h"

/* The destination array and its limit, checked against each other at compile
 * time, as the three arguments dst, size, limit of the functions below:
 * petal_name_copy(PETAL_NAME_FIELD(l->name, PETAL_NAME_MAX), "level name", s). */
#define PETAL_NAME_FIELD(dst, limit)                                                               \
    (dst), sizeof(dst) + 0 * sizeof(char[sizeof(dst) == (limit) ? 1 : -1]), #limit

/* Copy the first len characters of src into dst, an array of size bytes whose
 * size is the limit called `limit` ("PETAL_NAME_MAX"), and end it with a NUL.
 * When they do not fit, dst is left as it was and the call fails with
 * PETAL_EINVAL and "<what> '<src>' is <len> characters; petal keeps at most
 * <limit> - 1 = <size - 1>". */
petal_status petal_name_copyn(char *dst, size_t size, const char *limit, const char *what,
                              const char *src, size_t len);

/* The same for the whole of src. */
petal_status petal_name_copy(char *dst, size_t size, const char *limit, const char *what,
                             const char *src);

/* Only the message: record it and return PETAL_EINVAL (for a name that is
 * built in pieces and never copied whole). */
petal_status petal_name_too_long(size_t size, const char *limit, const char *what, const char *src,
                                 size_t len);

/* The file name of path without its directory and extension (from the last
 * dot, unless the name starts with it): "specs/eyeriss.yaml" -> "eyeriss".
 * Returns where it starts; *len is its length. */
const char *petal_path_stem(const char *path, size_t *len);

#endif
