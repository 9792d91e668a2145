/* energy.c - the built-in energy/area tables and the memory size scaling rule
 * (docs/energy.md gives the figures, their sources and the rule's anchors). */
#include "petal/energy.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"

/* Horowitz, ISSCC 2014, 45 nm: energy (pJ) and area (um^2) of one operation. */
typedef struct op_point {
    double bits;
    double pj, area_um2;
} op_point;

static const op_point int_add[] = {{8, 0.03, 36}, {16, 0.05, 67}, {32, 0.1, 137}};
static const op_point int_mult[] = {{8, 0.2, 282}, {32, 3.1, 3495}};
static const op_point fp_add[] = {{16, 0.4, 1360}, {32, 0.9, 4184}};
static const op_point fp_mult[] = {{16, 1.1, 1640}, {32, 3.7, 7700}};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* 65 nm areas from 45 nm ones: a layout shrinks with the square of the node. */
#define AREA_65_OVER_45 ((65.0 / 45.0) * (65.0 / 45.0))

static const petal_energy_table tables[] = {
    {
        .name = "eyeriss-65nm",
        .description = "Eyeriss ISCA 2016 normalised costs, 65 nm (1 = one 16-bit MAC)",
        .nanchors = 2,
        /* RF up to 1 kB: 1 per 16-bit access; global buffer 100-500 kB: 6. */
        .anchors = {{0, 8192, 1.0 / 16}, {819200, 4096000, 6.0 / 16}},
        .dram_pj_per_bit = 200.0 / 16,
        .hop_pj_per_bit = 2.0 / 16,
        .sram_um2_per_bit = 0.5 * AREA_65_OVER_45,
        .regfile_um2_per_bit = 6.0 * AREA_65_OVER_45,
        .logic_area_scale = AREA_65_OVER_45,
        .mac_unit_bits = 16,
    },
    {
        .name = "horowitz-45nm",
        .description = "Horowitz ISSCC 2014 absolute costs, 45 nm (pJ)",
        .nanchors = 1,
        /* A 32-bit read of an 8 kB SRAM: 5 pJ. */
        .anchors = {{65536, 65536, 5.0 / 32}},
        .dram_pj_per_bit = 640.0 / 32,
        .hop_pj_per_bit = 0,
        .sram_um2_per_bit = 0.5,
        .regfile_um2_per_bit = 6.0,
        .logic_area_scale = 1.0,
        .mac_unit_bits = 0,
    },
};

size_t petal_energy_table_count(void)
{
    return COUNT(tables);
}

const petal_energy_table *petal_energy_table_at(size_t i)
{
    return i < COUNT(tables) ? &tables[i] : NULL;
}

petal_status petal_energy_table_get(const char *name, const petal_energy_table **out)
{
    for (size_t i = 0; i < COUNT(tables); i++)
        if (strcmp(tables[i].name, name) == 0) {
            *out = &tables[i];
            return PETAL_OK;
        }
    char known[256] = "";
    for (size_t i = 0; i < COUNT(tables); i++) {
        size_t used = strlen(known);
        snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "", tables[i].name);
    }
    return petal_error_set(PETAL_ENOTFOUND, "no energy table named '%s' (known tables: %s)", name,
                           known);
}

double petal_energy_pj_per_bit(const petal_energy_table *t, double c)
{
    const petal_storage_anchor *a = t->anchors;
    size_t n = t->nanchors;
    if (n == 0 || c <= 0)
        return 0;
    if (c < a[0].min_bits)
        return a[0].pj_per_bit * sqrt(c / a[0].min_bits);
    for (size_t i = 0; i < n; i++) {
        if (c <= a[i].max_bits)
            return a[i].pj_per_bit;
        if (i + 1 < n && c < a[i + 1].min_bits) {
            /* A power law through the upper edge of one range and the lower edge
             * of the next. */
            double x0 = a[i].max_bits, x1 = a[i + 1].min_bits;
            double y0 = a[i].pj_per_bit, y1 = a[i + 1].pj_per_bit;
            return y0 * exp(log(y1 / y0) * log(c / x0) / log(x1 / x0));
        }
    }
    return a[n - 1].pj_per_bit * sqrt(c / a[n - 1].max_bits);
}

petal_status petal_energy_storage(const petal_energy_table *t, petal_mem_class cls, uint64_t depth,
                                  uint32_t word_bits, uint32_t block_size, petal_storage_cost *out)
{
    memset(out, 0, sizeof *out);
    double access_bits = (double)block_size * word_bits;
    double capacity_bits = (double)depth * word_bits;
    switch (cls) {
    case PETAL_MEM_NONE:
        return PETAL_OK;
    case PETAL_MEM_DRAM:
        out->read_pj = out->write_pj = t->dram_pj_per_bit * access_bits;
        return PETAL_OK;
    case PETAL_MEM_SRAM:
    case PETAL_MEM_REGFILE:
        if (depth == 0 || word_bits == 0)
            return petal_error_set(PETAL_EINVAL,
                                   "energy table %s: an on-chip memory needs a depth and word "
                                   "bits of at least 1",
                                   t->name);
        out->read_pj = out->write_pj = petal_energy_pj_per_bit(t, capacity_bits) * access_bits;
        out->area_um2 =
            capacity_bits * (cls == PETAL_MEM_SRAM ? t->sram_um2_per_bit : t->regfile_um2_per_bit);
        return PETAL_OK;
    }
    return petal_error_set(PETAL_EINVAL, "energy table %s: unknown memory class %d", t->name,
                           (int)cls);
}

/* An operation's figure at `bits` (a geometric mean of two widths may fall
 * between whole numbers), through the nearest two listed widths. */
static op_point op_at(const op_point *pts, size_t n, double bits)
{
    for (size_t i = 0; i < n; i++)
        if (pts[i].bits == bits)
            return pts[i];
    size_t i = 0;
    while (i + 2 < n && bits > pts[i + 1].bits)
        i++;
    const op_point *p0 = &pts[i], *p1 = &pts[i + 1];
    double s = log((double)bits / p0->bits) / log((double)p1->bits / p0->bits);
    op_point r = {bits, p0->pj * exp(s * log(p1->pj / p0->pj)),
                  p0->area_um2 * exp(s * log(p1->area_um2 / p0->area_um2))};
    return r;
}

/* The 45 nm MAC: a multiply of mul_bits and an add of add_bits. */
static op_point mac45_widths(double mul_bits, double add_bits, bool is_float)
{
    op_point mul = is_float ? op_at(fp_mult, COUNT(fp_mult), mul_bits)
                            : op_at(int_mult, COUNT(int_mult), mul_bits);
    op_point add = is_float ? op_at(fp_add, COUNT(fp_add), add_bits)
                            : op_at(int_add, COUNT(int_add), add_bits);
    op_point r = {mul_bits, mul.pj + add.pj, mul.area_um2 + add.area_um2};
    return r;
}

/* Multiply plus accumulate on equal operands, as the header describes. */
static op_point mac45(uint32_t bits, bool is_float)
{
    return mac45_widths(bits, is_float ? bits : 2.0 * bits, is_float);
}

double petal_energy_mac_scale(const petal_problem *p, const petal_arch *a)
{
    const petal_precision *pr = &p->precision;
    if (!petal_precision_any(pr))
        return 1;
    uint32_t unit = a->arith.word_bits ? a->arith.word_bits : 16;
    uint32_t wb = petal_precision_bits(pr, PETAL_DS_WEIGHTS, unit);
    uint32_t ib = petal_precision_bits(pr, PETAL_DS_INPUTS, unit);
    bool fp = pr->float_mask & ((1u << PETAL_DS_WEIGHTS) | (1u << PETAL_DS_INPUTS));
    double acc = fp ? (wb > ib ? wb : ib) : (double)wb + ib;
    if (pr->bits[PETAL_PRECISION_PSUMS])
        acc = pr->bits[PETAL_PRECISION_PSUMS];
    double mul = sqrt((double)wb * ib);
    /* The table has floating point from 16 bits: a narrower float (fp8) is
     * priced as a 16-bit one rather than extrapolated below the table. */
    if (fp && mul < 16)
        mul = 16;
    if (fp && acc < 16)
        acc = 16;
    return mac45_widths(mul, acc, fp).pj / mac45(unit, a->arith.is_float && unit >= 16).pj;
}

petal_status petal_energy_mac(const petal_energy_table *t, uint32_t bits, bool is_float, double *pj,
                              double *area_um2)
{
    if (bits == 0 || bits > 64 || (is_float && bits < 16))
        return petal_error_set(PETAL_EINVAL, "energy table %s: no %s MAC of %u bits (expected %s)",
                               t->name, is_float ? "floating-point" : "integer", bits,
                               is_float ? "16 to 64 bits" : "1 to 64 bits");
    op_point m = mac45(bits, is_float);
    double energy = m.pj;
    if (t->mac_unit_bits)
        energy /= mac45(t->mac_unit_bits, false).pj;
    if (pj)
        *pj = energy;
    if (area_um2)
        *area_um2 = m.area_um2 * t->logic_area_scale;
    return PETAL_OK;
}

double petal_energy_hop(const petal_energy_table *t, uint32_t word_bits)
{
    return t->hop_pj_per_bit * word_bits;
}

static void fill_if_unset(double *field, double value)
{
    if (isnan(*field))
        *field = value;
}

petal_status petal_energy_fill(const petal_energy_table *t, petal_arch *a)
{
    a->energy_unit = t->mac_unit_bits ? PETAL_ENERGY_MAC : PETAL_ENERGY_PJ;
    a->mac_unit_bits = t->mac_unit_bits;
    for (int i = 0; i < a->nlevels; i++) {
        petal_level *l = &a->levels[i];
        bool needs_storage =
            isnan(l->read_pj) || isnan(l->fill_pj) || isnan(l->update_pj) || isnan(l->area_um2);
        petal_storage_cost cost = {0, 0, 0};
        if (needs_storage) {
            petal_status st =
                petal_energy_storage(t, l->cls, l->depth, l->word_bits, l->block_size, &cost);
            if (st)
                return petal_error_prefix(st, "level %s: ", l->name);
        }
        fill_if_unset(&l->read_pj, cost.read_pj);
        fill_if_unset(&l->fill_pj, cost.write_pj);
        fill_if_unset(&l->update_pj, cost.write_pj);
        fill_if_unset(&l->area_um2, cost.area_um2);
        fill_if_unset(&l->leak_pj, 0);
        uint64_t fanout = petal_arch_fanout(a, i, NULL, NULL);
        fill_if_unset(&l->hop_pj, fanout > 1 ? petal_energy_hop(t, l->word_bits) : 0);
        fill_if_unset(&l->forward_pj, l->hop_pj); /* a neighbour hop: docs/systolic.md */
    }
    if (isnan(a->arith.mac_pj) || isnan(a->arith.area_um2)) {
        double pj = 0, area = 0;
        petal_status st = petal_energy_mac(t, a->arith.word_bits, false, &pj, &area);
        if (st)
            return petal_error_prefix(st, "arithmetic %s: ", a->arith.name);
        fill_if_unset(&a->arith.mac_pj, pj);
        fill_if_unset(&a->arith.area_um2, area);
    }
    return PETAL_OK;
}
