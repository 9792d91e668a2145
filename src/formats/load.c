/* load.c - the one place that picks a reader for a name or a path: a zoo
 * network or preset architecture by name, petal's YAML or an ONNX model by the
 * file's suffix. The core knows nothing of files; this is where they meet it. */
#include <sys/stat.h>

#include "petal/formats.h"
#include "petal/onnx.h"
#include "util/error.h"
#include "util/text.h"

/* A name that is no reader's but is a file on disk: say the file was found
 * and which forms petal reads, not "no architecture named ...". */
static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

petal_status petal_network_load(const char *name_or_path, petal_network *net)
{
    if (petal_is_yaml_path(name_or_path))
        return petal_network_load_yaml(name_or_path, net);
    if (petal_has_suffix(name_or_path, ".onnx"))
        return petal_network_load_onnx(name_or_path, net);
    petal_status st = petal_zoo_build(name_or_path, net);
    if (st != PETAL_ENOTFOUND || !is_file(name_or_path))
        return st;
    return petal_error_set(PETAL_EINVAL,
                           "%s: the file exists, but petal reads networks from petal's YAML "
                           "(.yaml, .yml) or ONNX (.onnx), by the file's suffix; or give a "
                           "built-in network's name (petal net list)",
                           name_or_path);
}

petal_status petal_arch_load(const char *name_or_path, petal_arch *a)
{
    if (petal_is_yaml_path(name_or_path))
        return petal_arch_load_yaml(name_or_path, a);
    petal_status st = petal_arch_preset(name_or_path, a);
    if (st != PETAL_ENOTFOUND || !is_file(name_or_path))
        return st;
    return petal_error_set(PETAL_EINVAL,
                           "%s: the file exists, but petal reads architectures from petal's "
                           "YAML (.yaml, .yml) or Timeloop's (with --problem or --timeloop); "
                           "or give a preset's name (petal arch list)",
                           name_or_path);
}
