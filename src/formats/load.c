/* load.c - the one place that picks a reader for a name or a path: a zoo
 * network or preset architecture by name, petal's YAML or an ONNX model by the
 * file's suffix. The core knows nothing of files; this is where they meet it. */
#include "petal/formats.h"
#include "petal/onnx.h"
#include "util/text.h"

petal_status petal_network_load(const char *name_or_path, petal_network *net)
{
    if (petal_is_yaml_path(name_or_path))
        return petal_network_load_yaml(name_or_path, net);
    if (petal_has_suffix(name_or_path, ".onnx"))
        return petal_network_load_onnx(name_or_path, net);
    return petal_zoo_build(name_or_path, net);
}

petal_status petal_arch_load(const char *name_or_path, petal_arch *a)
{
    if (petal_is_yaml_path(name_or_path))
        return petal_arch_load_yaml(name_or_path, a);
    return petal_arch_preset(name_or_path, a);
}
