/* arch/arch_internal.h - helpers shared by the architecture and mapping readers
 * and printers (library-internal). */
#ifndef PETAL_ARCH_INTERNAL_H
#define PETAL_ARCH_INTERNAL_H

#include "petal/arch.h"

/* The data space a name denotes: Weights/Inputs/Outputs in any case, singular
 * or plural, or the Eyeriss words filter/ifmap/psum/ofmap; -1 if none. */
int petal_ds_from_name(const char *s);

/* "Weights", "Inputs", "Outputs". */
const char *petal_ds_canonical_name(int ds);

#endif
