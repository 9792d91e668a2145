/* zoo.c - the built-in networks, each written from its published layer table
 * (torchvision's definition where torchvision has one). Only layers that carry
 * MACs are listed: convolutions, fully connected layers and matrix multiplies. */
#include <stdio.h>
#include <string.h>

#include "petal/network.h"
#include "util/error.h"

/* A builder appends layers; the first failure sticks and later calls do nothing. */
typedef struct zoo_builder {
    petal_network *net;
    petal_status status;
} zoo_builder;

static void add(zoo_builder *b, petal_problem *p, petal_status st)
{
    if (b->status)
        return;
    b->status = st ? st : petal_network_add(b->net, p);
}

/* Square convolution with symmetric padding. */
static void conv(zoo_builder *b, const char *name, int64_t in_c, int64_t in_hw, int64_t out_c,
                 int64_t kernel, int64_t stride, int64_t pad, int64_t groups)
{
    petal_problem p;
    petal_conv_params c = {
        .batch = 1, .in_channels = in_c, .in_h = in_hw, .in_w = in_hw,
        .out_channels = out_c, .kernel_h = kernel, .kernel_w = kernel,
        .stride_h = stride, .stride_w = stride,
        .pad_top = pad, .pad_bottom = pad, .pad_left = pad, .pad_right = pad,
        .groups = groups,
    };
    if (b->status)
        return;
    add(b, &p, petal_problem_conv(&p, name, &c));
}

static void fc(zoo_builder *b, const char *name, int64_t in_features, int64_t out_features)
{
    petal_problem p;
    if (b->status)
        return;
    add(b, &p, petal_problem_fc(&p, name, 1, in_features, out_features));
}

/* LeNet-5 (LeCun 1998) as the survey counts it: C1, C3 (full connection), C5, F6, output. */
static void build_lenet5(zoo_builder *b)
{
    conv(b, "conv1", 1, 32, 6, 5, 1, 0, 1);
    conv(b, "conv2", 6, 14, 16, 5, 1, 0, 1);
    conv(b, "conv3", 16, 5, 120, 5, 1, 0, 1);
    fc(b, "fc1", 120, 84);
    fc(b, "fc2", 84, 10);
}

/* torchvision alexnet: the single-tower network. */
static void build_alexnet(zoo_builder *b)
{
    conv(b, "conv1", 3, 224, 64, 11, 4, 2, 1);
    conv(b, "conv2", 64, 27, 192, 5, 1, 2, 1);
    conv(b, "conv3", 192, 13, 384, 3, 1, 1, 1);
    conv(b, "conv4", 384, 13, 256, 3, 1, 1, 1);
    conv(b, "conv5", 256, 13, 256, 3, 1, 1, 1);
    fc(b, "fc6", 256 * 6 * 6, 4096);
    fc(b, "fc7", 4096, 4096);
    fc(b, "fc8", 4096, 1000);
}

typedef struct zoo_entry {
    const char *name;
    const char *description;
    void (*build)(zoo_builder *b);
} zoo_entry;

static const zoo_entry zoo[] = {
    {"lenet5", "LeNet-5 (LeCun et al. 1998), 32x32 grey input", build_lenet5},
    {"alexnet", "AlexNet as torchvision defines it (single tower), 224x224", build_alexnet},
};

#define ZOO_COUNT (sizeof zoo / sizeof zoo[0])

size_t petal_zoo_count(void)
{
    return ZOO_COUNT;
}

const char *petal_zoo_name(size_t i)
{
    return i < ZOO_COUNT ? zoo[i].name : NULL;
}

const char *petal_zoo_description(size_t i)
{
    return i < ZOO_COUNT ? zoo[i].description : NULL;
}

petal_status petal_zoo_build(const char *name, petal_network *net)
{
    for (size_t i = 0; i < ZOO_COUNT; i++) {
        if (strcmp(zoo[i].name, name) != 0)
            continue;
        petal_network_init(net, name);
        zoo_builder b = {net, PETAL_OK};
        zoo[i].build(&b);
        if (b.status)
            petal_network_free(net);
        return b.status;
    }
    char known[512] = "";
    for (size_t i = 0; i < ZOO_COUNT; i++) {
        strncat(known, zoo[i].name, sizeof known - strlen(known) - 3);
        if (i + 1 < ZOO_COUNT)
            strncat(known, ", ", sizeof known - strlen(known) - 1);
    }
    return petal_error_set(PETAL_ENOTFOUND, "unknown network '%s'; known networks: %s", name,
                           known);
}
