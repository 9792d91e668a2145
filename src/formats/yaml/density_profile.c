/* density_profile.c - a per-layer density profile for a whole network
 * (docs/densities.md): `densities:` maps layer names to the `density` mapping
 * a network file's layers take. Read in full and checked against the network
 * before any layer changes, so that a bad profile leaves the network as it was. */
#include <stdlib.h>
#include <string.h>

#include "formats/yaml/density_yaml.h"
#include "formats/yaml/ydoc.h"
#include "petal/formats.h"

static const char *const top_keys[] = {"densities", NULL};

/* Read the profile into out (one entry per network layer), marking in named
 * the layers it names. */
static petal_status read_profile(petal_ydoc *d, const petal_network *net,
                                 petal_density (*out)[PETAL_NUM_DS], bool *named)
{
    yaml_node_t *root = petal_ydoc_root(d);
    if (!petal_yis_map(root))
        return petal_yerror(d, root, PETAL_EPARSE,
                            "expected a density profile: a mapping with `densities:`, layer "
                            "name -> {Weights: 0.35, Inputs: 0.6}");
    petal_ywarn_unknown_keys(d, root, top_keys, "the density profile");
    yaml_node_t *layers = petal_ymap_get(d, root, "densities");
    if (!layers)
        return petal_yerror(d, root, PETAL_EPARSE,
                            "'densities' is missing; expected a mapping from layer name to "
                            "{Weights: 0.35, Inputs: 0.6}");
    if (!petal_yis_map(layers))
        return petal_yerror(d, layers, PETAL_EPARSE,
                            "densities: expected a mapping from layer name to {Weights: 0.35, "
                            "Inputs: 0.6}");
    yaml_node_t *key, *value;
    PETAL_YMAP_EACH(d, layers, key, value)
    {
        const char *name = petal_yscalar(key);
        size_t index = net->nlayers;
        for (size_t i = 0; name && i < net->nlayers; i++)
            if (strcmp(net->layers[i].name, name) == 0) {
                index = i;
                break;
            }
        if (index == net->nlayers)
            return petal_yerror(d, key, PETAL_EINVAL,
                                "densities: network %s has no layer named '%s'", net->name,
                                name ? name : "(not a name)");
        if (named[index])
            return petal_yerror(d, key, PETAL_EINVAL, "densities: layer %s is given twice", name);
        named[index] = true;
        char whose[PETAL_NAME_MAX + 16];
        snprintf(whose, sizeof whose, "layer %s", name);
        petal_status st = petal_yread_densities(d, value, whose, out[index]);
        if (st)
            return st;
        /* The same name twice in the network: the profile covers both. */
        for (size_t i = index + 1; i < net->nlayers; i++)
            if (strcmp(net->layers[i].name, name) == 0) {
                memcpy(out[i], out[index], sizeof out[i]);
                named[i] = true;
            }
    }
    return PETAL_OK;
}

petal_status petal_network_apply_density_profile(petal_network *net, const char *path)
{
    if (!net || !path)
        return petal_error_set(PETAL_EINVAL, "density profile: no network or path");
    petal_density(*density)[PETAL_NUM_DS] = calloc(net->nlayers + 1, sizeof *density);
    bool *named = calloc(net->nlayers + 1, sizeof *named);
    if (!density || !named) {
        free(density);
        free(named);
        return petal_error_set(PETAL_ENOMEM, "density profile: out of memory");
    }
    petal_ydoc d;
    petal_status st = petal_ydoc_load_file(&d, path);
    if (!st) {
        st = read_profile(&d, net, density, named);
        petal_ydoc_free(&d);
    }
    for (size_t i = 0; !st && i < net->nlayers; i++)
        if (named[i])
            petal_density_apply(&net->layers[i], density[i]);
    free(density);
    free(named);
    return st;
}
