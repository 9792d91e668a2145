/* util/error.h - setting the last error and emitting warnings (library-internal). */
#ifndef PETAL_UTIL_ERROR_H
#define PETAL_UTIL_ERROR_H

#include <stdarg.h>

#include "petal/error.h"

#if defined(__GNUC__)
#define PETAL_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PETAL_PRINTF(a, b)
#endif

/* Record a message for the calling thread and return status, so that a failing
 * path reads `return petal_error_set(PETAL_EINVAL, "...", ...);`. */
int petal_error_set(petal_status status, const char *fmt, ...) PETAL_PRINTF(2, 3);
int petal_error_setv(petal_status status, const char *fmt, va_list ap);

/* Put context in front of the current message ("layer conv1: " + message). */
int petal_error_prefix(petal_status status, const char *fmt, ...) PETAL_PRINTF(2, 3);

/* Send a warning to the installed handler, if any. */
void petal_warn(const char *fmt, ...) PETAL_PRINTF(1, 2);

#endif
