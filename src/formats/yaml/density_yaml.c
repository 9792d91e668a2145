/* density_yaml.c - a `density` mapping of petal's YAML files: data space ->
 * density, as a number, a "DISTRIBUTION:DENSITY" string or Sparseloop's
 * {distribution, density} mapping (docs/densities.md). */
#include "formats/yaml/density_yaml.h"

#include <string.h>

static const char *const value_keys[] = {"distribution", "density", NULL};

/* {distribution: hypergeometric, density: 0.35}; distribution defaults to
 * fixed_structured, the kind of a plain number. */
static petal_status read_value_map(petal_ydoc *d, yaml_node_t *node, const char *whose,
                                   const char *ds, petal_density *out)
{
    char where[160];
    snprintf(where, sizeof where, "%s: density of %s", whose, ds);
    yaml_node_t *band = petal_ymap_get(d, node, "band_width");
    if (band)
        return petal_yerror(d, band, PETAL_EINVAL,
                            "%s: band_width: banded densities are read from Timeloop problem "
                            "files only (expected distribution fixed_structured or "
                            "hypergeometric, and density)",
                            where);
    petal_ywarn_unknown_keys(d, node, value_keys, where);
    petal_density v = {.kind = PETAL_DENSITY_FIXED_STRUCTURED};
    yaml_node_t *dist = petal_ymap_get(d, node, "distribution");
    if (dist) {
        const char *name = petal_yscalar(dist);
        int kind;
        if (!name || !petal_density_kind_parse(name, &kind))
            return petal_yerror(d, dist, PETAL_EINVAL,
                                "%s: distribution: expected fixed_structured, hypergeometric or "
                                "dense, found %s%s%s",
                                where, name ? "'" : "a ", name ? name : "mapping or list",
                                name ? "'" : "");
        if (kind == PETAL_DENSITY_BANDED)
            return petal_yerror(d, dist, PETAL_EINVAL,
                                "%s: distribution: banded densities are read from Timeloop "
                                "problem files only (expected fixed_structured, hypergeometric "
                                "or dense)",
                                where);
        v.kind = (uint8_t)kind;
    }
    yaml_node_t *density = petal_ymap_get(d, node, "density");
    if (v.kind == PETAL_DENSITY_DENSE) {
        if (density)
            return petal_yerror(d, density, PETAL_EINVAL,
                                "%s: density: a dense distribution takes no density", where);
        v.density = 1;
        *out = v;
        return PETAL_OK;
    }
    if (!density)
        return petal_yerror(d, node, PETAL_EPARSE,
                            "%s: 'density' is missing; expected a fraction "
                            "of non-zero values from 0 to 1",
                            where);
    const char *text = petal_yscalar(density);
    petal_density number = {0};
    if (text && *text && petal_density_parse_value(text, &number))
        return petal_yerror(d, density, PETAL_EINVAL, "%s: density: %s", where,
                            petal_error_message());
    if (!text || !*text || number.kind != PETAL_DENSITY_FIXED_STRUCTURED)
        return petal_yerror(d, density, PETAL_EINVAL,
                            "%s: density: expected a fraction of non-zero values from 0 to 1",
                            where);
    v.density = number.density;
    *out = v;
    return PETAL_OK;
}

petal_status petal_yread_densities(petal_ydoc *d, yaml_node_t *node, const char *whose,
                                   petal_density out[PETAL_NUM_DS])
{
    if (!petal_yis_map(node))
        return petal_yerror(d, node, PETAL_EPARSE,
                            "%s: density: expected a mapping such as {Weights: 0.35, Inputs: "
                            "0.6}",
                            whose);
    petal_density read[PETAL_NUM_DS];
    memcpy(read, out, sizeof read);
    bool named[PETAL_NUM_DS] = {false};
    yaml_node_t *key, *value;
    PETAL_YMAP_EACH(d, node, key, value)
    {
        const char *name = petal_yscalar(key);
        int ds = name ? petal_precision_index(name) : -1;
        if (ds < 0 || ds >= PETAL_NUM_DS)
            return petal_yerror(d, key, PETAL_EINVAL,
                                "%s: density: '%s' is not a data space of the layer (expected "
                                "Weights, Inputs or Outputs)",
                                whose, name ? name : "(not a name)");
        if (named[ds])
            return petal_yerror(d, key, PETAL_EINVAL, "%s: density: %s is given twice", whose,
                                petal_precision_name(ds));
        named[ds] = true;
        petal_status st;
        if (petal_yis_map(value)) {
            st = read_value_map(d, value, whose, petal_precision_name(ds), &read[ds]);
        } else {
            const char *text = petal_yscalar(value);
            st = text && *text ? petal_density_parse_value(text, &read[ds]) : PETAL_EINVAL;
            if (st)
                st = petal_yerror(d, value, PETAL_EINVAL, "%s: density of %s: %s", whose,
                                  petal_precision_name(ds),
                                  text && *text ? petal_error_message()
                                                : "expected a fraction from 0 to 1, dense, "
                                                  "hypergeometric:0.35 or a mapping with "
                                                  "distribution and density");
        }
        if (st)
            return st;
    }
    memcpy(out, read, sizeof read);
    return PETAL_OK;
}
