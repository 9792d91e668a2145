/* zoo.c - the built-in networks, each written from its published layer table
 * (torchvision's definition where torchvision has one). Only layers that carry
 * MACs are listed: convolutions, fully connected layers and matrix multiplies,
 * in the order the framework's forward pass runs them. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "petal/network.h"
#include "util/error.h"
#include "util/name.h"

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

/* Output height (or width) of a window of `kernel` sliding by `stride` over
 * `in` padded by `pad` on both sides; pooling in torchvision's ceil mode rounds
 * up but never starts a window in the right padding. */
static int64_t window_out(int64_t in, int64_t kernel, int64_t stride, int64_t pad, int ceil_mode)
{
    int64_t span = in + 2 * pad - kernel;
    int64_t out = (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
    if (ceil_mode && (out - 1) * stride >= in + pad)
        out--;
    return out;
}

/* Max or average pooling carries no MACs; only its output size matters. */
static int64_t pool(int64_t in_hw, int64_t kernel, int64_t stride, int64_t pad, int ceil_mode)
{
    return window_out(in_hw, kernel, stride, pad, ceil_mode);
}

/* Square convolution with symmetric padding; returns the output height/width. */
static int64_t conv(zoo_builder *b, const char *name, int64_t in_c, int64_t in_hw, int64_t out_c,
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
    if (!b->status)
        add(b, &p, petal_problem_conv(&p, name, &c));
    return window_out(in_hw, kernel, stride, pad, 0);
}

static void fc(zoo_builder *b, const char *name, int64_t in_features, int64_t out_features)
{
    petal_problem p;
    if (!b->status)
        add(b, &p, petal_problem_fc(&p, name, 1, in_features, out_features));
}

/* One matrix multiply per input item: `products` independent M x K x N products
 * (attention heads). Activation x activation operands count no weights. */
static void matmul(zoo_builder *b, const char *name, int64_t products, int64_t m, int64_t k,
                   int64_t n, bool weights_are_params)
{
    petal_problem p;
    petal_matmul_params mm = {
        .batch = products, .m = m, .k = k, .n = n,
        .weights_batched = !weights_are_params, .weights_are_params = weights_are_params,
    };
    if (!b->status)
        add(b, &p, petal_problem_matmul(&p, name, &mm));
}

/* Layer names built from a pattern ("layer%d.%d.conv1") into buf[PETAL_NAME_MAX].
 * One that would not fit is a bug in the zoo: the build fails rather than cut it. */
static const char *named(zoo_builder *b, char *buf, const char *fmt, ...) PETAL_PRINTF(3, 4);
static const char *named(zoo_builder *b, char *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(buf, PETAL_NAME_MAX, fmt, ap);
    va_end(ap);
    if ((len < 0 || len >= PETAL_NAME_MAX) && !b->status) {
        petal_name_too_long(PETAL_NAME_MAX, "PETAL_NAME_MAX", "zoo layer name", buf,
                            len < 0 ? 0 : (size_t)len);
        b->status = PETAL_EINTERNAL;
    }
    return buf;
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

/* AlexNet as published (Krizhevsky et al. 2012) and used by the Eyeriss papers:
 * two towers, one per GPU, so CONV2, CONV4 and CONV5 see only their own tower's
 * half of the channels (groups = 2); CONV3 and the FC layers cross towers.
 * 227x227 input without padding gives CONV1's 55x55 output. */
static void build_alexnet_2012(zoo_builder *b)
{
    conv(b, "conv1", 3, 227, 96, 11, 4, 0, 1);   /* 55x55, pooled to 27x27 */
    conv(b, "conv2", 96, 27, 256, 5, 1, 2, 2);   /* 27x27, pooled to 13x13 */
    conv(b, "conv3", 256, 13, 384, 3, 1, 1, 1);
    conv(b, "conv4", 384, 13, 384, 3, 1, 1, 2);
    conv(b, "conv5", 384, 13, 256, 3, 1, 1, 2);  /* 13x13, pooled to 6x6 */
    fc(b, "fc6", 256 * 6 * 6, 4096);
    fc(b, "fc7", 4096, 4096);
    fc(b, "fc8", 4096, 1000);
}

/* torchvision vgg16 (configuration D, no batch norm): 3x3 convolutions with
 * padding 1 in five stages, each ended by a 2x2 max pool. */
static void build_vgg16(zoo_builder *b)
{
    static const struct { int convs; int64_t channels; } stages[] = {
        {2, 64}, {2, 128}, {3, 256}, {3, 512}, {3, 512},
    };
    char name[PETAL_NAME_MAX];
    int64_t c = 3, hw = 224;
    for (int s = 0; s < 5; s++) {
        for (int i = 0; i < stages[s].convs; i++) {
            conv(b, named(b, name, "conv%d_%d", s + 1, i + 1), c, hw, stages[s].channels, 3, 1, 1,
                 1);
            c = stages[s].channels;
        }
        hw = pool(hw, 2, 2, 0, 0);
    }
    fc(b, "fc6", c * hw * hw, 4096);
    fc(b, "fc7", 4096, 4096);
    fc(b, "fc8", 4096, 1000);
}

/* torchvision googlenet's Inception module: four branches run in order. Its
 * third branch uses a 3x3 convolution where the paper has 5x5; torchvision
 * keeps that for its trained weights, and so does this table. */
typedef struct inception_cfg {
    const char *name;
    int64_t in, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj;
} inception_cfg;

static int64_t inception(zoo_builder *b, const inception_cfg *m, int64_t hw)
{
    char name[PETAL_NAME_MAX];
    conv(b, named(b, name, "%s.branch1", m->name), m->in, hw, m->ch1x1, 1, 1, 0, 1);
    conv(b, named(b, name, "%s.branch2.0", m->name), m->in, hw, m->ch3x3red, 1, 1, 0, 1);
    conv(b, named(b, name, "%s.branch2.1", m->name), m->ch3x3red, hw, m->ch3x3, 3, 1, 1, 1);
    conv(b, named(b, name, "%s.branch3.0", m->name), m->in, hw, m->ch5x5red, 1, 1, 0, 1);
    conv(b, named(b, name, "%s.branch3.1", m->name), m->ch5x5red, hw, m->ch5x5, 3, 1, 1, 1);
    /* branch4: 3x3 max pool, stride 1, then the 1x1 pool projection. */
    conv(b, named(b, name, "%s.branch4.1", m->name), m->in, hw, m->pool_proj, 1, 1, 0, 1);
    return m->ch1x1 + m->ch3x3 + m->ch5x5 + m->pool_proj;
}

/* torchvision googlenet (Szegedy et al. 2014) without the auxiliary classifiers. */
static void build_googlenet(zoo_builder *b)
{
    static const inception_cfg stage3[] = {
        {"inception3a", 192, 64, 96, 128, 16, 32, 32},
        {"inception3b", 256, 128, 128, 192, 32, 96, 64},
    };
    static const inception_cfg stage4[] = {
        {"inception4a", 480, 192, 96, 208, 16, 48, 64},
        {"inception4b", 512, 160, 112, 224, 24, 64, 64},
        {"inception4c", 512, 128, 128, 256, 24, 64, 64},
        {"inception4d", 512, 112, 144, 288, 32, 64, 64},
        {"inception4e", 528, 256, 160, 320, 32, 128, 128},
    };
    static const inception_cfg stage5[] = {
        {"inception5a", 832, 256, 160, 320, 32, 128, 128},
        {"inception5b", 832, 384, 192, 384, 48, 128, 128},
    };
    int64_t hw = conv(b, "conv1", 3, 224, 64, 7, 2, 3, 1); /* 112 */
    hw = pool(hw, 3, 2, 0, 1);                              /* 56 */
    hw = conv(b, "conv2", 64, hw, 64, 1, 1, 0, 1);
    hw = conv(b, "conv3", 64, hw, 192, 3, 1, 1, 1);
    hw = pool(hw, 3, 2, 0, 1); /* 28 */
    int64_t c = 0;
    for (size_t i = 0; i < sizeof stage3 / sizeof stage3[0]; i++)
        c = inception(b, &stage3[i], hw);
    hw = pool(hw, 3, 2, 0, 1); /* 14 */
    for (size_t i = 0; i < sizeof stage4 / sizeof stage4[0]; i++)
        c = inception(b, &stage4[i], hw);
    hw = pool(hw, 2, 2, 0, 1); /* 7 */
    for (size_t i = 0; i < sizeof stage5 / sizeof stage5[0]; i++)
        c = inception(b, &stage5[i], hw);
    fc(b, "fc", c, 1000); /* after global average pooling */
}

/* torchvision ResNet. A basic block (resnet18/34) is two 3x3 convolutions; a
 * bottleneck (resnet50, "v1.5") is 1x1, 3x3 (carrying the stride), 1x1 with 4x
 * the channels. The shortcut's 1x1 downsample convolution, present when the
 * shape changes, runs after the block's own convolutions in torchvision's forward. */
static int64_t resnet_block(zoo_builder *b, int stage, int index, bool bottleneck,
                            int64_t *channels, int64_t hw, int64_t planes, int64_t stride)
{
    char name[PETAL_NAME_MAX];
    int64_t in = *channels, out = bottleneck ? planes * 4 : planes, out_hw;
    if (bottleneck) {
        conv(b, named(b, name, "layer%d.%d.conv1", stage, index), in, hw, planes, 1, 1, 0, 1);
        out_hw = conv(b, named(b, name, "layer%d.%d.conv2", stage, index), planes, hw, planes, 3,
                      stride, 1, 1);
        conv(b, named(b, name, "layer%d.%d.conv3", stage, index), planes, out_hw, out, 1, 1, 0, 1);
    } else {
        out_hw = conv(b, named(b, name, "layer%d.%d.conv1", stage, index), in, hw, planes, 3,
                      stride, 1, 1);
        conv(b, named(b, name, "layer%d.%d.conv2", stage, index), planes, out_hw, planes, 3, 1, 1,
             1);
    }
    if (stride != 1 || in != out)
        conv(b, named(b, name, "layer%d.%d.downsample.0", stage, index), in, hw, out, 1, stride, 0,
             1);
    *channels = out;
    return out_hw;
}

static void build_resnet(zoo_builder *b, const int blocks[4], bool bottleneck)
{
    int64_t hw = conv(b, "conv1", 3, 224, 64, 7, 2, 3, 1); /* 112 */
    hw = pool(hw, 3, 2, 1, 0);                              /* 56 */
    int64_t channels = 64;
    for (int stage = 0; stage < 4; stage++) {
        int64_t planes = (int64_t)64 << stage;
        for (int i = 0; i < blocks[stage]; i++)
            hw = resnet_block(b, stage + 1, i, bottleneck, &channels, hw, planes,
                              i == 0 && stage > 0 ? 2 : 1);
    }
    fc(b, "fc", channels, 1000); /* after global average pooling */
}

static void build_resnet18(zoo_builder *b)
{
    static const int blocks[4] = {2, 2, 2, 2};
    build_resnet(b, blocks, false);
}

static void build_resnet50(zoo_builder *b)
{
    static const int blocks[4] = {3, 4, 6, 3};
    build_resnet(b, blocks, true);
}

/* MobileNet v1 (Howard et al. 2017, Table 1), 224x224, width multiplier 1.0:
 * a 3x3 convolution, then 13 depthwise-separable blocks (3x3 depthwise, 1x1
 * pointwise). The table prints stride 2 for the 13th depthwise layer, but its
 * output stays 7x7: it is stride 1, as in the reference implementations. */
static void build_mobilenet_v1(zoo_builder *b)
{
    static const struct { int64_t out; int64_t stride; } blocks[] = {
        {64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1},
        {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1},
    };
    char name[PETAL_NAME_MAX];
    int64_t hw = conv(b, "conv1", 3, 224, 32, 3, 2, 1, 1); /* 112 */
    int64_t c = 32;
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        hw = conv(b, named(b, name, "block%zu.dw", i + 1), c, hw, c, 3, blocks[i].stride, 1, c);
        conv(b, named(b, name, "block%zu.pw", i + 1), c, hw, blocks[i].out, 1, 1, 0, 1);
        c = blocks[i].out;
    }
    fc(b, "fc", c, 1000); /* after 7x7 average pooling */
}

/* torchvision mobilenet_v2 (Sandler et al. 2018), width 1.0: inverted residual
 * blocks of 1x1 expansion (absent when the factor is 1), 3x3 depthwise with the
 * stride, and 1x1 linear projection; then a 1x1 convolution to 1280 channels. */
static void build_mobilenet_v2(zoo_builder *b)
{
    static const struct { int64_t expand, out; int repeats; int64_t stride; } stages[] = {
        {1, 16, 1, 1},  {6, 24, 2, 2},  {6, 32, 3, 2},  {6, 64, 4, 2},
        {6, 96, 3, 1},  {6, 160, 3, 2}, {6, 320, 1, 1},
    };
    char name[PETAL_NAME_MAX];
    int64_t hw = conv(b, "conv1", 3, 224, 32, 3, 2, 1, 1); /* 112 */
    int64_t c = 32;
    int block = 1;
    for (size_t s = 0; s < sizeof stages / sizeof stages[0]; s++) {
        for (int i = 0; i < stages[s].repeats; i++, block++) {
            int64_t hidden = c * stages[s].expand;
            if (stages[s].expand != 1)
                conv(b, named(b, name, "block%d.expand", block), c, hw, hidden, 1, 1, 0, 1);
            hw = conv(b, named(b, name, "block%d.dw", block), hidden, hw, hidden, 3,
                      i == 0 ? stages[s].stride : 1, 1, hidden);
            conv(b, named(b, name, "block%d.project", block), hidden, hw, stages[s].out, 1, 1, 0,
                 1);
            c = stages[s].out;
        }
    }
    conv(b, "conv_last", c, hw, 1280, 1, 1, 0, 1);
    fc(b, "fc", 1280, 1000); /* after global average pooling */
}

/* torchvision squeezenet1_0 (Iandola et al. 2016): Fire modules squeeze with a
 * 1x1 convolution, then expand with parallel 1x1 and 3x3 convolutions whose
 * outputs are concatenated; the classifier is the 1x1 convolution conv10. */
static int64_t fire(zoo_builder *b, int index, int64_t in, int64_t hw, int64_t squeeze,
                    int64_t expand)
{
    char name[PETAL_NAME_MAX];
    conv(b, named(b, name, "fire%d.squeeze", index), in, hw, squeeze, 1, 1, 0, 1);
    conv(b, named(b, name, "fire%d.expand1x1", index), squeeze, hw, expand, 1, 1, 0, 1);
    conv(b, named(b, name, "fire%d.expand3x3", index), squeeze, hw, expand, 3, 1, 1, 1);
    return 2 * expand;
}

static void build_squeezenet1_0(zoo_builder *b)
{
    int64_t hw = conv(b, "conv1", 3, 224, 96, 7, 2, 0, 1); /* 109 */
    hw = pool(hw, 3, 2, 0, 1);                              /* 54 */
    int64_t c = fire(b, 2, 96, hw, 16, 64);
    c = fire(b, 3, c, hw, 16, 64);
    c = fire(b, 4, c, hw, 32, 128);
    hw = pool(hw, 3, 2, 0, 1); /* 27 */
    c = fire(b, 5, c, hw, 32, 128);
    c = fire(b, 6, c, hw, 48, 192);
    c = fire(b, 7, c, hw, 48, 192);
    c = fire(b, 8, c, hw, 64, 256);
    hw = pool(hw, 3, 2, 0, 1); /* 13 */
    c = fire(b, 9, c, hw, 64, 256);
    conv(b, "conv10", c, hw, 1000, 1, 1, 0, 1);
}

/* BERT-base (Devlin et al. 2019): one of its 12 identical encoder layers at
 * sequence length 128, hidden size 768, 12 heads of 64, FFN size 3072, as the
 * matrix multiplies that carry its MACs. QK^T and AV multiply two activations,
 * so they hold no weights; the network batch scales every product. */
static void build_bert_base(zoo_builder *b)
{
    const int64_t seq = 128, hidden = 768, heads = 12, head_dim = 64, ffn = 3072;
    matmul(b, "attn.query", 1, seq, hidden, hidden, true);
    matmul(b, "attn.key", 1, seq, hidden, hidden, true);
    matmul(b, "attn.value", 1, seq, hidden, hidden, true);
    matmul(b, "attn.scores", heads, seq, head_dim, seq, false);  /* Q K^T per head */
    matmul(b, "attn.context", heads, seq, seq, head_dim, false); /* softmax(QK^T) V */
    matmul(b, "attn.output", 1, seq, hidden, hidden, true);
    matmul(b, "ffn.intermediate", 1, seq, hidden, ffn, true);
    matmul(b, "ffn.output", 1, seq, ffn, hidden, true);
}

typedef struct zoo_entry {
    const char *name;
    const char *description;
    void (*build)(zoo_builder *b);
} zoo_entry;

static const zoo_entry zoo[] = {
    {"lenet5", "LeNet-5 (LeCun et al. 1998), 32x32 grey input", build_lenet5},
    {"alexnet", "AlexNet as torchvision defines it (single tower), 224x224", build_alexnet},
    {"alexnet-2012", "AlexNet as published in 2012: two towers, grouped CONV2/4/5, 227x227",
     build_alexnet_2012},
    {"vgg16", "VGG-16 (torchvision vgg16, configuration D), 224x224", build_vgg16},
    {"googlenet", "GoogLeNet as torchvision defines it, no auxiliary classifiers, 224x224",
     build_googlenet},
    {"resnet18", "ResNet-18 (torchvision), 224x224", build_resnet18},
    {"resnet50", "ResNet-50 (torchvision v1.5: stride on the 3x3), 224x224", build_resnet50},
    {"mobilenet_v1", "MobileNet v1 (Howard et al. 2017), width 1.0, 224x224",
     build_mobilenet_v1},
    {"mobilenet_v2", "MobileNet v2 (torchvision), width 1.0, 224x224", build_mobilenet_v2},
    {"squeezenet1_0", "SqueezeNet 1.0 (torchvision), 224x224", build_squeezenet1_0},
    {"bert-base", "BERT-base: one encoder layer at sequence length 128 as matrix multiplies",
     build_bert_base},
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
        zoo_builder b = {net, petal_network_init(net, name)};
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
