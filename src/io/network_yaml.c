/* network_yaml.c - petal's native YAML network format (docs/formats.md). */
#include "io/ydoc.h"
#include "petal/network.h"

petal_status petal_network_load_yaml(const char *path, petal_network *net)
{
    (void)net;
    return petal_error_set(PETAL_EUNSUPPORTED, "%s: the YAML network reader is not written yet",
                           path);
}
