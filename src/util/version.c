/* version.c - the version the library was built as (petal/version.h). */
#include "petal/version.h"

const char *petal_version(void)
{
    return PETAL_VERSION;
}
