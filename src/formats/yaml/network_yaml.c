/* network_yaml.c - petal's native YAML network format (docs/formats.md, "Networks").
 *
 * A document is a mapping with an optional `name` and `batch` and a list of
 * `layers`; each layer has a `name`, a `kind` (conv, fc, matmul) and the fields
 * of that kind. Sizes of a convolution may be one integer or [height, width].
 * Layers are built at batch 1 and then scaled, like the zoo's. Field errors
 * point at the field (file:line:column); shape errors found by the layer
 * constructors point at the layer. A `precision` mapping (docs/precision.md)
 * at the top gives every layer's widths; one in a layer overrides them. A
 * `density` mapping (docs/densities.md) does the same for densities, data
 * space by data space.
 */
#include <stdio.h>
#include <string.h>

#include "formats/yaml/density_yaml.h"
#include "formats/yaml/ydoc.h"
#include "petal/network.h"
#include "petal/formats.h"
#include "util/name.h"

static const char *const top_keys[] = {"name", "batch", "layers", "precision", "density", NULL};
static const char *const conv_keys[] = {
    "name",    "kind",     "in_channels", "in_size",   "out_channels", "kernel", "stride",
    "padding", "dilation", "groups",      "precision", "density",      NULL};
static const char *const fc_keys[] = {"name",      "kind",    "in_features", "out_features",
                                      "precision", "density", NULL};
static const char *const matmul_keys[] = {"name", "kind",    "batch",     "m",       "k",
                                          "n",    "weights", "precision", "density", NULL};
static const char *const padding_keys[] = {"top", "bottom", "left", "right", NULL};

/* One layer being read: where it is and what it is called, for messages. */
typedef struct layer_ctx {
    petal_ydoc *d;
    yaml_node_t *node;
    const char *name;
} layer_ctx;

/* An integer in [min, PETAL_BOUND_MAX] from scalar node n. */
static petal_status read_int_node(layer_ctx *l, yaml_node_t *n, const char *field, int64_t min,
                                  int64_t *out)
{
    char what[PETAL_NAME_MAX + 48];
    snprintf(what, sizeof what, "%s of layer %s", field, l->name);
    petal_status st = petal_yget_i64(l->d, n, what, out);
    if (st)
        return st;
    if (*out < min)
        return petal_yerror(l->d, n, PETAL_EINVAL, "%s must be at least %lld, found %lld", what,
                            (long long)min, (long long)*out);
    if (*out > PETAL_BOUND_MAX)
        return petal_yerror(l->d, n, PETAL_EINVAL, "%s must be at most %lld, found %lld", what,
                            (long long)PETAL_BOUND_MAX, (long long)*out);
    return PETAL_OK;
}

static petal_status missing(layer_ctx *l, const char *field, const char *form)
{
    return petal_yerror(l->d, l->node, PETAL_EPARSE, "layer %s: '%s' is missing; expected %s",
                        l->name, field, form);
}

/* Field `key` as one integer; `fallback` when absent, an error when required. */
static petal_status read_int(layer_ctx *l, const char *key, int64_t min, bool required,
                             int64_t fallback, int64_t *out)
{
    yaml_node_t *n = petal_ymap_get(l->d, l->node, key);
    if (!n) {
        if (required)
            return missing(l, key, "an integer");
        *out = fallback;
        return PETAL_OK;
    }
    return read_int_node(l, n, key, min, out);
}

/* Field `key` as one integer for both directions or [height, width]. */
static petal_status read_hw(layer_ctx *l, const char *key, int64_t min, bool required,
                            int64_t fallback, int64_t hw[2])
{
    yaml_node_t *n = petal_ymap_get(l->d, l->node, key);
    if (!n) {
        if (required)
            return missing(l, key, "an integer or [height, width]");
        hw[0] = hw[1] = fallback;
        return PETAL_OK;
    }
    if (petal_yis_seq(n)) {
        size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
        if (count != 2)
            return petal_yerror(l->d, n, PETAL_EPARSE,
                                "%s of layer %s: expected an integer or [height, width], found "
                                "a list of %zu",
                                key, l->name, count);
        for (int i = 0; i < 2; i++) {
            petal_status st = read_int_node(l, petal_ynode(l->d, n->data.sequence.items.start[i]),
                                            key, min, &hw[i]);
            if (st)
                return st;
        }
        return PETAL_OK;
    }
    if (petal_yis_map(n))
        return petal_yerror(l->d, n, PETAL_EPARSE,
                            "%s of layer %s: expected an integer or [height, width], found a "
                            "mapping",
                            key, l->name);
    petal_status st = read_int_node(l, n, key, min, &hw[0]);
    hw[1] = hw[0];
    return st;
}

/* padding: p | [h, w] | {top, bottom, left, right} (sides left out are 0). */
static petal_status read_padding(layer_ctx *l, petal_conv_params *c)
{
    yaml_node_t *n = petal_ymap_get(l->d, l->node, "padding");
    if (petal_yis_map(n)) {
        char where[PETAL_NAME_MAX + 32];
        snprintf(where, sizeof where, "padding of layer %s", l->name);
        petal_ywarn_unknown_keys(l->d, n, padding_keys, where);
        int64_t *sides[] = {&c->pad_top, &c->pad_bottom, &c->pad_left, &c->pad_right};
        for (int i = 0; i < 4; i++) {
            yaml_node_t *side = petal_ymap_get(l->d, n, padding_keys[i]);
            *sides[i] = 0;
            if (!side)
                continue;
            char field[32];
            snprintf(field, sizeof field, "padding %s", padding_keys[i]);
            petal_status st = read_int_node(l, side, field, 0, sides[i]);
            if (st)
                return st;
        }
        return PETAL_OK;
    }
    int64_t hw[2];
    petal_status st = read_hw(l, "padding", 0, false, 0, hw);
    c->pad_top = c->pad_bottom = hw[0];
    c->pad_left = c->pad_right = hw[1];
    return st;
}

static petal_status read_conv(layer_ctx *l, petal_conv_params *out)
{
    petal_conv_params c = {.batch = 1};
    int64_t in[2], kernel[2], stride[2], dilation[2];
    petal_status st;
    if ((st = read_int(l, "in_channels", 1, true, 0, &c.in_channels)) ||
        (st = read_hw(l, "in_size", 1, true, 0, in)) ||
        (st = read_int(l, "out_channels", 1, true, 0, &c.out_channels)) ||
        (st = read_hw(l, "kernel", 1, true, 0, kernel)) ||
        (st = read_hw(l, "stride", 1, false, 1, stride)) ||
        (st = read_hw(l, "dilation", 1, false, 1, dilation)) ||
        (st = read_int(l, "groups", 1, false, 1, &c.groups)) || (st = read_padding(l, &c)))
        return st;
    c.in_h = in[0], c.in_w = in[1];
    c.kernel_h = kernel[0], c.kernel_w = kernel[1];
    c.stride_h = stride[0], c.stride_w = stride[1];
    c.dilation_h = dilation[0], c.dilation_w = dilation[1];
    *out = c;
    return PETAL_OK;
}

/* A fully connected layer is a 1x1 convolution on a 1x1 input. */
static petal_status read_fc(layer_ctx *l, petal_conv_params *out)
{
    petal_conv_params c = {.batch = 1, .in_h = 1, .in_w = 1, .kernel_h = 1, .kernel_w = 1};
    petal_status st;
    if ((st = read_int(l, "in_features", 1, true, 0, &c.in_channels)) ||
        (st = read_int(l, "out_features", 1, true, 0, &c.out_channels)))
        return st;
    *out = c;
    return PETAL_OK;
}

static petal_status read_matmul(layer_ctx *l, petal_matmul_params *out)
{
    petal_matmul_params mm = {.weights_are_params = true};
    petal_status st;
    if ((st = read_int(l, "batch", 1, false, 1, &mm.batch)) ||
        (st = read_int(l, "m", 1, true, 0, &mm.m)) || (st = read_int(l, "k", 1, true, 0, &mm.k)) ||
        (st = read_int(l, "n", 1, true, 0, &mm.n)))
        return st;
    yaml_node_t *w = petal_ymap_get(l->d, l->node, "weights");
    const char *s = petal_yscalar(w);
    if (w && !s)
        return petal_yerror(l->d, w, PETAL_EPARSE,
                            "weights of layer %s: expected parameter or activation, found a %s",
                            l->name, petal_yis_map(w) ? "mapping" : "list");
    if (s && strcmp(s, "activation") == 0)
        mm.weights_are_params = false;
    else if (s && strcmp(s, "parameter") != 0)
        return petal_yerror(l->d, w, PETAL_EPARSE,
                            "weights of layer %s: expected parameter or activation, found '%s'",
                            l->name, s);
    /* An activation operand differs per product; a parameter is shared by all. */
    mm.weights_batched = !mm.weights_are_params;
    *out = mm;
    return PETAL_OK;
}

/* A `precision` mapping: data space (or Psums) -> width. `whose` names the
 * network or layer for messages. Widths it names overwrite those of *out. */
static petal_status read_precision(petal_ydoc *d, yaml_node_t *node, const char *whose,
                                   petal_precision *out)
{
    if (!petal_yis_map(node))
        return petal_yerror(d, node, PETAL_EPARSE,
                            "%s: precision: expected a mapping such as {Weights: 8, Inputs: 8, "
                            "Outputs: 16, Psums: 24}",
                            whose);
    yaml_node_t *key, *value;
    PETAL_YMAP_EACH(d, node, key, value)
    {
        const char *name = petal_yscalar(key);
        int index = name ? petal_precision_index(name) : -1;
        if (index < 0)
            return petal_yerror(d, key, PETAL_EINVAL,
                                "%s: precision: '%s' is not a data space of the layer (it has "
                                "Weights, Inputs and Outputs, and Psums for partial sums)",
                                whose, name ? name : "(not a name)");
        const char *text = petal_yscalar(value);
        uint8_t bits;
        bool is_float;
        if (!text || petal_precision_parse_width(text, &bits, &is_float))
            return petal_yerror(d, value, PETAL_EINVAL, "%s: precision: %s: %s", whose, name,
                                text ? petal_error_message()
                                     : "expected a width such as 8, 16f or int8");
        out->bits[index] = bits;
        out->float_mask =
            (uint8_t)((out->float_mask & ~(1u << index)) | (is_float ? 1u << index : 0u));
    }
    return PETAL_OK;
}

/* What the top of the file gives every layer. */
typedef struct network_defaults {
    petal_precision widths;
    petal_density density[PETAL_NUM_DS];
} network_defaults;

static petal_status read_layer(petal_ydoc *d, yaml_node_t *node, size_t index,
                               const network_defaults *defaults, petal_network *net)
{
    if (!petal_yis_map(node))
        return petal_yerror(d, node, PETAL_EPARSE,
                            "layer %zu: expected a mapping with name and kind", index);
    char name[PETAL_NAME_MAX];
    yaml_node_t *name_node = petal_ymap_get(d, node, "name");
    if (!name_node)
        return petal_yerror(d, node, PETAL_EPARSE, "layer %zu: 'name' is missing", index);
    petal_status st =
        petal_yget_name(d, name_node, "layer name", PETAL_NAME_FIELD(name, PETAL_NAME_MAX));
    if (st)
        return st;
    if (name[0] == '\0')
        return petal_yerror(d, name_node, PETAL_EPARSE, "layer %zu: the name is empty", index);

    layer_ctx l = {d, node, name};
    yaml_node_t *kind_node = petal_ymap_get(d, node, "kind");
    const char *kind = petal_yscalar(kind_node);
    if (!kind_node)
        return petal_yerror(d, node, PETAL_EPARSE,
                            "layer %s: 'kind' is missing; expected conv, fc or matmul", name);

    char where[PETAL_NAME_MAX + 16];
    snprintf(where, sizeof where, "layer %s", name);
    /* Field errors carry their own position. The constructors then check the
     * shape as a whole; their messages name the layer, and get its position. */
    petal_conv_params conv;
    petal_matmul_params mm;
    petal_problem p;
    if (kind && strcmp(kind, "conv") == 0) {
        petal_ywarn_unknown_keys(d, node, conv_keys, where);
        if ((st = read_conv(&l, &conv)))
            return st;
        st = petal_problem_conv(&p, name, &conv);
    } else if (kind && strcmp(kind, "fc") == 0) {
        petal_ywarn_unknown_keys(d, node, fc_keys, where);
        if ((st = read_fc(&l, &conv)))
            return st;
        st = petal_problem_fc(&p, name, 1, conv.in_channels, conv.out_channels);
    } else if (kind && strcmp(kind, "matmul") == 0) {
        petal_ywarn_unknown_keys(d, node, matmul_keys, where);
        if ((st = read_matmul(&l, &mm)))
            return st;
        st = petal_problem_matmul(&p, name, &mm);
    } else {
        if (!kind)
            return petal_yerror(d, kind_node, PETAL_EPARSE,
                                "layer %s: kind: expected conv, fc or matmul, found a %s", name,
                                petal_yis_map(kind_node) ? "mapping" : "list");
        return petal_yerror(d, kind_node, PETAL_EPARSE,
                            "layer %s: kind: expected conv, fc or matmul, found '%s'", name, kind);
    }
    if (st)
        return petal_error_prefix(st, "%s:%lu:%lu: ", d->path, petal_yline(node), petal_ycol(node));
    p.precision = defaults->widths;
    yaml_node_t *precision = petal_ymap_get(d, node, "precision");
    if (precision && (st = read_precision(d, precision, where, &p.precision)))
        return st;
    /* The layer's densities override the network's data space by data space. */
    petal_density density[PETAL_NUM_DS];
    memcpy(density, defaults->density, sizeof density);
    yaml_node_t *density_node = petal_ymap_get(d, node, "density");
    if (density_node && (st = petal_yread_densities(d, density_node, where, density)))
        return st;
    petal_density_apply(&p, density);
    st = petal_network_add(net, &p);
    if (st)
        return petal_error_prefix(st, "%s:%lu:%lu: ", d->path, petal_yline(node), petal_ycol(node));
    return PETAL_OK;
}

/* The network's name: `name`, or the file name without directory and extension. */
static petal_status read_network_name(petal_ydoc *d, yaml_node_t *root, const char *path,
                                      petal_network *net)
{
    yaml_node_t *n = petal_ymap_get(d, root, "name");
    if (n)
        return petal_yget_name(d, n, "network name", PETAL_NAME_FIELD(net->name, PETAL_NAME_MAX));
    size_t len;
    const char *stem = petal_path_stem(path, &len);
    petal_status st = petal_name_copyn(PETAL_NAME_FIELD(net->name, PETAL_NAME_MAX),
                                       "network name (the file name)", stem, len);
    return st ? petal_yprefix(d, NULL, st) : PETAL_OK;
}

static petal_status read_network(petal_ydoc *d, const char *path, petal_network *net)
{
    yaml_node_t *root = petal_ydoc_root(d);
    if (!petal_yis_map(root))
        return petal_yerror(d, root, PETAL_EPARSE,
                            "expected a network: a mapping with name, batch and layers");
    petal_ywarn_unknown_keys(d, root, top_keys, "the network");
    petal_status st = read_network_name(d, root, path, net);
    if (st)
        return st;

    uint64_t batch = 1;
    yaml_node_t *batch_node = petal_ymap_get(d, root, "batch");
    if (batch_node) {
        if ((st = petal_yget_u64(d, batch_node, "batch", &batch)))
            return st;
        if (batch == 0)
            return petal_yerror(d, batch_node, PETAL_EINVAL, "batch must be at least 1");
    }

    network_defaults defaults;
    memset(&defaults, 0, sizeof defaults);
    yaml_node_t *precision = petal_ymap_get(d, root, "precision");
    if (precision && (st = read_precision(d, precision, "the network", &defaults.widths)))
        return st;
    yaml_node_t *density = petal_ymap_get(d, root, "density");
    if (density && (st = petal_yread_densities(d, density, "the network", defaults.density)))
        return st;

    yaml_node_t *layers = petal_ymap_get(d, root, "layers");
    if (!layers)
        return petal_yerror(d, root, PETAL_EPARSE,
                            "'layers' is missing; expected a list of layers");
    if (!petal_yis_seq(layers) ||
        layers->data.sequence.items.top == layers->data.sequence.items.start)
        return petal_yerror(d, layers, PETAL_EPARSE, "layers: expected a non-empty list of layers");
    yaml_node_t *layer;
    size_t index = 0;
    PETAL_YSEQ_EACH(d, layers, layer)
    {
        if ((st = read_layer(d, layer, index++, &defaults, net)))
            return st;
    }
    if ((st = petal_network_set_batch(net, batch)))
        return petal_yerror(d, batch_node, st, "%s", petal_error_message());
    return PETAL_OK;
}

petal_status petal_network_load_yaml(const char *path, petal_network *net)
{
    petal_ydoc d;
    petal_network_init(net, "");
    petal_status st = petal_ydoc_load_file(&d, path);
    if (st)
        return st;
    st = read_network(&d, path, net);
    petal_ydoc_free(&d);
    if (st)
        petal_network_free(net);
    return st;
}
