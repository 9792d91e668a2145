/* util/checked.h - overflow-checked 64-bit arithmetic for counts. */
#ifndef PETAL_UTIL_CHECKED_H
#define PETAL_UTIL_CHECKED_H

#include <stdbool.h>
#include <stdint.h>

/* Each returns true when the result does not fit; *out is then unspecified. */
static inline bool petal_mul_overflow(uint64_t a, uint64_t b, uint64_t *out)
{
    return __builtin_mul_overflow(a, b, out);
}

static inline bool petal_add_overflow(uint64_t a, uint64_t b, uint64_t *out)
{
    return __builtin_add_overflow(a, b, out);
}

#endif
