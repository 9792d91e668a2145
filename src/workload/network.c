/* network.c - a growable, ordered list of layers, batch scaling and totals. */
#include "petal/network.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/checked.h"
#include "util/error.h"
#include "util/name.h"

petal_status petal_network_init(petal_network *net, const char *name)
{
    memset(net, 0, sizeof *net);
    net->batch = 1;
    return petal_name_copy(PETAL_NAME_FIELD(net->name, PETAL_NAME_MAX), "network name",
                           name ? name : "");
}

void petal_network_free(petal_network *net)
{
    free(net->layers);
    net->layers = NULL;
    net->nlayers = net->capacity = 0;
}

petal_status petal_network_add(petal_network *net, const petal_problem *layer)
{
    for (size_t i = 0; i < net->nlayers; i++)
        if (strcmp(net->layers[i].name, layer->name) == 0)
            return petal_error_set(PETAL_EINVAL, "network %s: layer name %s is used twice",
                                   net->name, layer->name);
    if (net->nlayers == net->capacity) {
        size_t cap = net->capacity ? net->capacity * 2 : 16;
        petal_problem *grown = realloc(net->layers, cap * sizeof *grown);
        if (!grown)
            return petal_error_set(PETAL_ENOMEM, "out of memory adding layer %s", layer->name);
        net->layers = grown;
        net->capacity = cap;
    }
    net->layers[net->nlayers++] = *layer;
    return PETAL_OK;
}

/* `layer` with its batch dimension scaled from `from` to `to` items. */
static petal_status scale_batch(petal_problem *p, uint64_t from, uint64_t to)
{
    if (p->batch_dim < 0)
        return PETAL_OK;
    uint64_t per_item = p->bounds[p->batch_dim] / from;
    uint64_t bound;
    if (petal_mul_overflow(per_item, to, &bound) || bound > (uint64_t)INT64_MAX)
        return petal_error_set(PETAL_EOVERFLOW, "layer %s: batch %llu overflows", p->name,
                               (unsigned long long)to);
    p->bounds[p->batch_dim] = bound;
    if (p->kind == PETAL_LAYER_CONV || p->kind == PETAL_LAYER_FC)
        p->source.conv.batch = (int64_t)bound;
    else if (p->kind == PETAL_LAYER_MATMUL)
        p->source.matmul.batch = (int64_t)bound;
    return petal_problem_check(p);
}

petal_status petal_network_set_batch(petal_network *net, uint64_t batch)
{
    if (batch == 0)
        return petal_error_set(PETAL_EINVAL, "batch size must be at least 1");
    /* Check every layer first so that a failure leaves the network as it was. */
    for (size_t i = 0; i < net->nlayers; i++) {
        petal_problem scaled = net->layers[i];
        petal_status st = scale_batch(&scaled, net->batch, batch);
        if (st)
            return petal_error_prefix(st, "batch %llu: ", (unsigned long long)batch);
    }
    for (size_t i = 0; i < net->nlayers; i++)
        scale_batch(&net->layers[i], net->batch, batch);
    net->batch = batch;
    return PETAL_OK;
}

const petal_problem *petal_network_find(const petal_network *net, const char *key,
                                        size_t *index_out)
{
    for (size_t i = 0; i < net->nlayers; i++)
        if (strcmp(net->layers[i].name, key) == 0) {
            if (index_out)
                *index_out = i;
            return &net->layers[i];
        }
    char *end;
    errno = 0;
    unsigned long long idx = strtoull(key, &end, 10);
    if (*key >= '0' && *key <= '9' && *end == '\0' && errno == 0 && idx < net->nlayers) {
        if (index_out)
            *index_out = (size_t)idx;
        return &net->layers[idx];
    }
    if (net->nlayers == 0)
        petal_error_set(PETAL_ENOTFOUND, "network %s has no layers, so no layer '%s'", net->name,
                        key);
    else
        petal_error_set(PETAL_ENOTFOUND,
                        "network %s has no layer named or numbered '%s': give a layer's name or "
                        "an index from 0 to %zu (its %zu layers: %s%s%s)",
                        net->name, key, net->nlayers - 1, net->nlayers, net->layers[0].name,
                        net->nlayers > 2    ? ", ..., "
                        : net->nlayers == 2 ? ", "
                                            : "",
                        net->nlayers > 1 ? net->layers[net->nlayers - 1].name : "");
    return NULL;
}

petal_status petal_network_totals_get(const petal_network *net, petal_network_totals *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < net->nlayers; i++) {
        uint64_t macs = petal_problem_macs(&net->layers[i]);
        if (petal_add_overflow(out->macs, macs, &out->macs) ||
            petal_add_overflow(out->weights, petal_problem_weights(&net->layers[i]), &out->weights))
            return petal_error_set(PETAL_EOVERFLOW, "network %s: totals overflow 64 bits",
                                   net->name);
    }
    out->layers = net->nlayers;
    return PETAL_OK;
}
