/* petal/energy.h - built-in energy and area tables, and the rule that scales
 * memory energy with size for capacities no table lists (docs/energy.md).
 *
 * Two tables are built in:
 *   eyeriss-65nm   the Eyeriss ISCA 2016 normalised costs: one 16-bit MAC = 1,
 *                  a register file of up to 1 kB = 1, the inter-PE network = 2
 *                  per word-hop, a 100-500 kB global buffer = 6, DRAM = 200,
 *                  per 16-bit word. Its "pJ" are MAC-equivalents.
 *   horowitz-45nm  Horowitz (ISSCC 2014) 45 nm absolute costs: integer and
 *                  floating-point add and multiply, a 32-bit read of an 8 kB
 *                  SRAM (5 pJ) and of DRAM (640 pJ).
 *
 * The scaling rule: on-chip memories (SRAM and register files) cost an energy
 * per bit accessed that depends only on the capacity C of one instance. Inside
 * a table's capacity range the per-bit energy is the table's figure; between
 * two ranges it is interpolated on a log-log scale (a power law through both
 * anchors); outside all ranges it grows (or shrinks) as sqrt(C), the length of
 * the bit and word lines of a square array. An access of w bits costs w times
 * the per-bit energy; a write costs what a read does. DRAM costs a fixed energy
 * per bit. Area is a per-bit figure for each class times the capacity.
 */
#ifndef PETAL_ENERGY_H
#define PETAL_ENERGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "petal/arch.h"
#include "petal/error.h"
#include "petal/limits.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A capacity range (bits per instance) over which a memory's read energy per
 * bit is flat. min_bits == max_bits is a single point. */
typedef struct petal_storage_anchor {
    double min_bits, max_bits;
    double pj_per_bit;
} petal_storage_anchor;

typedef struct petal_energy_table {
    const char *name;
    const char *description;
    size_t nanchors;
    petal_storage_anchor anchors[PETAL_ENERGY_MAX_POINTS]; /* ascending capacity */
    double dram_pj_per_bit;
    double hop_pj_per_bit;      /* network, per bit per hop; charged on levels with a fan-out */
    double sram_um2_per_bit;    /* area of an SRAM, bit cells and periphery */
    double regfile_um2_per_bit; /* area of a flip-flop register file */
    double logic_area_scale;    /* applied to the 45 nm adder and multiplier areas */
    uint32_t mac_unit_bits;     /* > 0: MAC energies are relative to one integer MAC of
                                   this width (normalised tables); 0: absolute pJ */
} petal_energy_table;

/* Energy and area of one instance of a storage level. */
typedef struct petal_storage_cost {
    double read_pj;  /* one vector access of block_size words */
    double write_pj; /* a fill or an update of one vector */
    double area_um2;
} petal_storage_cost;

/* The built-in tables, in a stable order. */
size_t petal_energy_table_count(void);
const petal_energy_table *petal_energy_table_at(size_t i);

/* Look a table up by name; an unknown name fails with PETAL_ENOTFOUND and a
 * message listing the known ones. */
petal_status petal_energy_table_get(const char *name, const petal_energy_table **out);

/* Read energy per bit of an on-chip memory of `capacity_bits` (the rule above). */
double petal_energy_pj_per_bit(const petal_energy_table *t, double capacity_bits);

/* Costs of a storage level of class cls, depth words of word_bits, accessed
 * block_size words at a time. SRAM and register files need depth >= 1; a DRAM
 * has no area; a level of class none costs nothing. */
petal_status petal_energy_storage(const petal_energy_table *t, petal_mem_class cls, uint64_t depth,
                                  uint32_t word_bits, uint32_t block_size, petal_storage_cost *out);

/* One multiply-accumulate on `bits`-bit operands: an integer MAC is a bits-wide
 * multiply plus a 2*bits-wide add (the product's width); a floating-point MAC a
 * multiply and an add of the same width. Widths the 45 nm table does not list
 * are interpolated (or extrapolated) on a log-log scale through the nearest two
 * listed widths. Floating point needs bits >= 16. */
petal_status petal_energy_mac(const petal_energy_table *t, uint32_t bits, bool is_float, double *pj,
                              double *area_um2);

/* The factor by which layer p's widths change the energy of one MAC of
 * architecture `a` (whose mac_pj is for operands of arith.word_bits, integer
 * unless arith.is_float,
 * and a 2 * word_bits accumulator): the 45 nm table's multiply at the
 * geometric mean of the weight and input widths plus its add at the
 * accumulator's width (the partial sums' width when given; otherwise the
 * product's: weight + input bits, or for floating point the wider operand;
 * the Outputs width is what is stored, not what is added), over the
 * same for the architecture's MAC. Exactly 1 when p gives no widths
 * (docs/energy.md, docs/precision.md). */
double petal_energy_mac_scale(const petal_problem *p, const petal_arch *a);

/* Network energy of moving one word of word_bits across one hop. */
double petal_energy_hop(const petal_energy_table *t, uint32_t word_bits);

/* Set a's energy unit to the table's (figures already given are taken to be in
 * it) and replace every energy and area field of `a` that is NaN (not given)
 * with the table's figure: storage reads, fills (writes), updates (writes), area; hop
 * energy on levels with a fan-out greater than 1 (0 elsewhere); leakage 0; the
 * MAC's energy and area for integer operands of arith.word_bits. */
petal_status petal_energy_fill(const petal_energy_table *t, petal_arch *a);

#ifdef __cplusplus
}
#endif
#endif
