/* load.c - the one place that picks a reader for a name or a path: a zoo
 * network or preset architecture by name, an ONNX model by its suffix, and a
 * YAML file by what it holds (Timeloop's problem or architecture, else petal's
 * own format). The core knows nothing of files; this is where they meet it. */
#include <sys/stat.h>

#include "petal/formats.h"
#include "petal/onnx.h"
#include "petal/timeloop.h"
#include "util/error.h"
#include "util/text.h"

/* A name that is no reader's but is a file on disk: say the file was found
 * and which forms petal reads, not "no architecture named ...". */
static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A Timeloop problem file as a network of one layer, named after the problem. */
static petal_status load_timeloop_problem(const char *path, petal_network *net)
{
    petal_problem p;
    petal_status st = petal_timeloop_read_problem(path, &p);
    if (st)
        return st;
    st = petal_network_init(net, p.name);
    if (!st)
        st = petal_network_add(net, &p);
    if (st)
        petal_network_free(net);
    return st;
}

/* A Timeloop architecture file: energies and areas are 0 without an ERT and an
 * ART, which only the Timeloop options (--ert, --art) supply, so say so. */
static petal_status load_timeloop_arch(const char *path, petal_arch *a)
{
    petal_status st = petal_timeloop_read_arch(path, a);
    if (!st)
        petal_warn("%s: a Timeloop architecture without an ERT: its energies and areas are 0 "
                   "(give --ert and --art with --problem or --timeloop to price it)",
                   path);
    return st;
}

petal_status petal_network_load(const char *name_or_path, petal_network *net)
{
    if (petal_is_yaml_path(name_or_path) && petal_timeloop_is_spec(name_or_path))
        return load_timeloop_problem(name_or_path, net);
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
    if (petal_is_yaml_path(name_or_path) && petal_timeloop_is_spec(name_or_path))
        return load_timeloop_arch(name_or_path, a);
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
