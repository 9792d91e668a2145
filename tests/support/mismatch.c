/* mismatch.c - counting a test's differences from a reference so that it
 * prints every one before it fails instead of stopping at the first. A test
 * sets `mismatches` to 0, calls mismatch() per difference and asserts the
 * count is 0. Included by the tests that need it. */
#include <stdarg.h>
#include <stdio.h>

static int mismatches;

static void mismatch(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void mismatch(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    mismatches++;
}
