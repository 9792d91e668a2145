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
        const char *num = eq + 1;
        char *end;
        errno = 0;
        long bits = strtol(num, &end, 10);
        bool is_float = *end == 'f' || *end == 'F';
        if (is_float)
            end++;
        if (end == num || *end || errno || *num == '-' || *num == '+')
            return petal_error_set(PETAL_EINVAL,
                                   "precision: %s=%s is not a whole number of bits (optionally "
                                   "followed by f for floating point)",
                                   buf, num);
        if (bits < 1 || bits > PETAL_PRECISION_MAX_BITS)
            return petal_error_set(PETAL_EINVAL,
                                   "precision: %s=%ld is out of range (expected 1 to %d bits)", buf,
                                   bits, PETAL_PRECISION_MAX_BITS);
        if (is_float && bits < 16)
            return petal_error_set(PETAL_EINVAL,
                                   "precision: %s=%ldf: floating point needs 16 to %d bits", buf,
                                   bits, PETAL_PRECISION_MAX_BITS);
        out.bits[index] = (uint8_t)bits;
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
