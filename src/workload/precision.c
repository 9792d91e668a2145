/* precision.c - word widths of a layer's data spaces: names, parsing and the
 * fallback on the hardware's word width (docs/precision.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "petal/problem.h"
#include "util/error.h"

int petal_precision_index(const char *name)
{
    static const struct {
        const char *name;
        int index;
    } names[] = {
        {"Weights", PETAL_DS_WEIGHTS},
        {"Weight", PETAL_DS_WEIGHTS},
        {"filter", PETAL_DS_WEIGHTS},
        {"filters", PETAL_DS_WEIGHTS},
        {"Inputs", PETAL_DS_INPUTS},
        {"Input", PETAL_DS_INPUTS},
        {"ifmap", PETAL_DS_INPUTS},
        {"ifmaps", PETAL_DS_INPUTS},
        {"Outputs", PETAL_DS_OUTPUTS},
        {"Output", PETAL_DS_OUTPUTS},
        {"ofmap", PETAL_DS_OUTPUTS},
        {"ofmaps", PETAL_DS_OUTPUTS},
        {"Psums", PETAL_PRECISION_PSUMS},
        {"Psum", PETAL_PRECISION_PSUMS},
        {"partial_sums", PETAL_PRECISION_PSUMS},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i].name) == 0)
            return names[i].index;
    return -1;
}

const char *petal_precision_name(int index)
{
    static const char *const names[] = {"Weights", "Inputs", "Outputs", "Psums"};
    return index >= 0 && index <= PETAL_PRECISION_PSUMS ? names[index] : "?";
}

petal_status petal_precision_parse_width(const char *text, uint8_t *bits, bool *is_float)
{
    static const struct {
        const char *name;
        uint8_t bits;
        bool is_float;
    } types[] = {
        {"int4", 4, false},   {"uint4", 4, false},   {"int8", 8, false},   {"uint8", 8, false},
        {"int16", 16, false}, {"uint16", 16, false}, {"int32", 32, false}, {"uint32", 32, false},
        {"fp16", 16, true},   {"bf16", 16, true},    {"fp32", 32, true},   {"fp64", 64, true},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strcasecmp(text, types[i].name) == 0) {
            *bits = types[i].bits;
            *is_float = types[i].is_float;
            return PETAL_OK;
        }
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    bool fp = *end == 'f' || *end == 'F';
    if (fp)
        end++;
    if (end == text || *end || errno || *text == '-' || *text == '+' || *text == ' ')
        return petal_error_set(PETAL_EINVAL,
                               "'%s' is not a width: expected a number of bits (8), one with f "
                               "for floating point (16f), or int4, int8, uint8, int16, int32, "
                               "fp16, bf16, fp32",
                               text);
    if (n < 1 || n > PETAL_PRECISION_MAX_BITS)
        return petal_error_set(PETAL_EINVAL, "a width of %ld bits is out of range (1 to %d)", n,
                               PETAL_PRECISION_MAX_BITS);
    if (fp && n < 16)
        return petal_error_set(PETAL_EINVAL, "floating point of %ld bits: petal prices 16 to %d", n,
                               PETAL_PRECISION_MAX_BITS);
    *bits = (uint8_t)n;
    *is_float = fp;
    return PETAL_OK;
}

petal_status petal_precision_parse(const char *text, petal_precision *prec)
{
    petal_precision out = *prec;
    const char *item = text;
    if (!*text)
        return petal_error_set(PETAL_EINVAL,
                               "precision: empty (expected e.g. Weights=8,Inputs=8,Outputs=16)");
    for (;;) {
        size_t len = strcspn(item, ",");
        char buf[64];
        if (len >= sizeof buf)
            return petal_error_set(PETAL_EINVAL, "precision: item '%.40s...' is too long", item);
        memcpy(buf, item, len);
        buf[len] = '\0';
        char *eq = strchr(buf, '=');
        if (!eq)
            return petal_error_set(PETAL_EINVAL,
                                   "precision: item '%s' is not NAME=BITS (e.g. Weights=8)", buf);
        *eq = '\0';
        int index = petal_precision_index(buf);
        if (index < 0)
            return petal_error_set(PETAL_EINVAL,
                                   "precision: '%s' is not a data space of a layer (expected "
                                   "Weights, Inputs, Outputs or Psums)",
                                   buf);
        uint8_t bits;
        bool is_float;
        if (petal_precision_parse_width(eq + 1, &bits, &is_float))
            return petal_error_prefix(PETAL_EINVAL, "precision: %s: ", buf);
        out.bits[index] = bits;
        if (is_float)
            out.float_mask |= (uint8_t)(1u << index);
        else
            out.float_mask &= (uint8_t) ~(1u << index);
        if (!item[len])
            break;
        item += len + 1;
    }
    *prec = out;
    return PETAL_OK;
}

void petal_precision_apply(petal_problem *p, const petal_precision *over)
{
    for (int i = 0; i <= PETAL_PRECISION_PSUMS; i++) {
        if (!over->bits[i])
            continue;
        p->precision.bits[i] = over->bits[i];
        p->precision.float_mask =
            (uint8_t)((p->precision.float_mask & ~(1u << i)) | (over->float_mask & (1u << i)));
    }
}

bool petal_precision_any(const petal_precision *prec)
{
    for (int i = 0; i <= PETAL_PRECISION_PSUMS; i++)
        if (prec->bits[i])
            return true;
    return false;
}

uint32_t petal_precision_bits(const petal_precision *prec, int index, uint32_t word_bits)
{
    if (index == PETAL_PRECISION_PSUMS && !prec->bits[index])
        index = PETAL_DS_OUTPUTS;
    if (index < 0 || index > PETAL_PRECISION_PSUMS)
        return word_bits;
    return prec->bits[index] ? prec->bits[index] : word_bits;
}
