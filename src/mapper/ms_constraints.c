/* ms_constraints.c - folding user mapspace constraints into a mapspace. */
#include "mapper/mapspace.h"
#include "util/error.h"

petal_status ms_apply_constraints(mapspace *ms, const petal_constraints *c)
{
    (void)ms;
    (void)c;
    return petal_error_set(PETAL_EUNSUPPORTED, "mapper: mapspace constraints are not read yet");
}
