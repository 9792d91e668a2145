/* reader_io.c - what the tests of petal's file readers share: a text written
 * to a temporary file for the reader to open, and the library's warnings
 * collected into one buffer for the test to search. Included (after cmocka.h)
 * by the tests that need it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "petal/error.h"

enum { TEMP_PATH = 64 };

/* Write text to a new file under /tmp and its name into path (TEMP_PATH
 * characters); the caller unlinks it. */
__attribute__((unused)) static void temp_file(char *path, const char *text)
{
    snprintf(path, TEMP_PATH, "/tmp/petal_test_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Every warning since a test last emptied it, one a line. */
static char warnings[4096];

/* A warning handler (petal_set_warning_handler) appending to `warnings`. */
__attribute__((unused)) static void collect_warning(const char *message, void *ctx)
{
    (void)ctx;
    size_t used = strlen(warnings);
    snprintf(warnings + used, sizeof warnings - used, "%s\n", message);
}
