/* petal/arch.h - an accelerator: storage levels from DRAM inwards, then the MACs.
 *
 * Levels are ordered outermost (index 0, usually DRAM) to innermost (a register
 * file). A level has `instances` copies arranged as mesh_x * mesh_y; when a level
 * has more instances than the one above it, the ratio is a spatial fan-out that a
 * mapping may use (its X/Y factors at the outer level). A level of class
 * PETAL_MEM_NONE stores nothing: it exists only to carry a fan-out, as Timeloop's
 * dummy storage and containers do. Eyeriss's per-PE filter, ifmap and psum
 * scratchpads are three levels with the same instances, each allowed to keep one
 * data space (`may_keep`).
 *
 * Energies are per vector access of block_size words (per word when block_size
 * is 1), in pJ; areas in um^2 per instance.
 */
#ifndef PETAL_ARCH_H
#define PETAL_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "petal/limits.h"
#include "petal/problem.h"
#include "petal/sparse.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum petal_mem_class {
    PETAL_MEM_DRAM,
    PETAL_MEM_SRAM,
    PETAL_MEM_REGFILE,
    PETAL_MEM_NONE /* no storage: a spatial fan-out only */
} petal_mem_class;

#define PETAL_KEEP_ALL ((uint8_t)((1u << PETAL_NUM_DS) - 1))

/* How a data space reaches the spatial children of a level (docs/systolic.md,
 * "Neighbour forwarding"): multicast from the level above (the default), or
 * passed PE to PE along one axis of the fan-out, as a systolic array does. */
typedef enum petal_forward {
    PETAL_FORWARD_NONE = 0, /* multicast (and, for Outputs, a reduction network) */
    PETAL_FORWARD_X,        /* along X: neighbours in a row pass the word on */
    PETAL_FORWARD_Y         /* along Y: neighbours in a column pass it on */
} petal_forward;

typedef struct petal_level {
    char name[PETAL_NAME_MAX];
    petal_mem_class cls;
    uint64_t depth; /* words per instance; 0 = unbounded */
    uint32_t word_bits;
    uint32_t block_size; /* words per vector access, >= 1 */
    uint64_t instances;  /* >= 1, = mesh_x * mesh_y */
    uint32_t mesh_x, mesh_y;
    double read_bw;            /* words per cycle per instance; 0 = unlimited */
    double write_bw;           /* fills + updates per cycle per instance; 0 = unlimited */
    uint8_t may_keep;          /* bit (1 << ds) set: the level may hold that data space */
    double read_pj;            /* energy of one vector read */
    double fill_pj;            /* energy of one vector write from the parent */
    double update_pj;          /* energy of one vector read-modify-write from a child */
    double leak_pj;            /* static energy per cycle per instance */
    double area_um2;           /* per instance */
    double hop_pj;             /* network energy per word per hop towards the children */
    uint32_t cluster_size;     /* instances that share one physical access (Timeloop's
                                  cluster_size: a 64-word register read once feeds 64
                                  instances); 0 or 1 = none. Timeloop charges an access
                                  min(utilised instances, instances / cluster_size) times */
    uint32_t max_bits;         /* the widest value the level can hold (docs/precision.md); a
                                  layer whose widths for a data space it may keep exceed it is
                                  refused; 0 = any width */
    petal_level_sparse sparse; /* formats, gating and skipping (petal/sparse.h); all 0: none */

    /* Bits per cycle of the network that carries each data space from this
     * level, where it keeps it, to the next keeper inwards (or the MACs): the
     * level's reads of it go down, and for Outputs its updates come back up at
     * the same time (full duplex); per instance, one network per data space
     * (Eyeriss v1's 16-bit ifmap and 64-bit filter and psum buses). At least
     * word_bits; 0 = unlimited. Each is a bound of its own on the cycles
     * (docs/latency.md). */
    uint32_t network_bits[PETAL_NUM_DS];

    /* Neighbour forwarding in the fan-out below this level, per data space
     * (petal_forward; docs/systolic.md): the children of one instance that take
     * the same word and lie on one line along the axis form a chain; the level's
     * network delivers the word to the chain once and each further link of the
     * chain is a hop between neighbours (for Outputs, partial sums accumulate
     * along the chain and leave it once). Reads and updates are those of
     * multicast; the network energy splits into hop_pj per word the level's
     * network carries and forward_pj per word per neighbour hop; each tile of
     * the children adds the longest chain's hops of fill (and of drain for
     * Outputs) to the cycles (docs/latency.md, the `fill/drain` bound). The axis
     * must have more than one child (petal_arch_check). */
    uint8_t forward[PETAL_NUM_DS];
    double forward_pj; /* energy per word per hop between neighbouring children; the
                          YAML reader takes hop_pj when it is not given */
} petal_level;

typedef struct petal_arith {
    char name[PETAL_NAME_MAX];
    uint64_t instances; /* MAC units, = mesh_x * mesh_y */
    uint32_t mesh_x, mesh_y;
    uint32_t word_bits;
    double mac_pj;   /* energy of one multiply-accumulate */
    double area_um2; /* per MAC unit */
    /* Precision (docs/precision.md). mac_pj and area_um2 are for integer
     * operands of word_bits and a 2 * word_bits accumulator; a layer with
     * other widths scales them by the 45 nm table (petal_energy_mac_scale). */
    uint32_t max_bits;         /* widest weight or input operand; 0 = any */
    uint32_t max_psum_bits;    /* widest accumulator; 0 = any */
    bool is_float;             /* floating-point MACs (mac_pj is then for a float MAC) */
    uint32_t bits_per_cycle;   /* bit-serial MACs: weight bits taken per cycle, so one MAC
                                  takes ceil(weight bits / bits_per_cycle) cycles; 0 =
                                  bit-parallel (one MAC per cycle) */
    petal_arith_sparse sparse; /* compute gating or skipping (petal/sparse.h) */
} petal_arith;

/* What every energy of an architecture is counted in. One architecture has
 * one unit: its energy table's, or pJ for an Accelergy ERT and for figures
 * given without a table. */
typedef enum petal_energy_unit {
    PETAL_ENERGY_PJ = 0, /* picojoules */
    PETAL_ENERGY_MAC     /* multiples of one integer MAC of mac_unit_bits bits
                            (normalised tables such as eyeriss-65nm) */
} petal_energy_unit;

typedef struct petal_arch {
    char name[PETAL_NAME_MAX];
    uint8_t nlevels;
    petal_level levels[PETAL_MAX_LEVELS]; /* outermost first */
    petal_arith arith;
    double clock_hz;
    petal_energy_unit energy_unit; /* of every *_pj field above and of model results */
    uint32_t mac_unit_bits;        /* PETAL_ENERGY_MAC: the width of the unit MAC */
} petal_arch;

/* "pJ" or "MAC" (as the JSON outputs' "energy_unit" writes it). */
const char *petal_energy_unit_name(petal_energy_unit unit);

/* Check the structure: instances non-decreasing inwards and each a whole multiple
 * of the level above (the arithmetic level included), at least one MAC, meshes
 * that multiply to the instances, positive word bits and block sizes; and the
 * numbers: bandwidths finite and >= 0 (0 = unlimited), energies, areas and the
 * clock finite and >= 0 (a clock of 0 = not given); forwarding only along an
 * axis of the fan-out below the level with more than one child. A failure
 * names the level and the field. petal_model_eval runs this check on every call. */
petal_status petal_arch_check(const petal_arch *a);

/* Check that the layer's widths fit the hardware: every data space a level
 * may keep (for Outputs, partial sums too) no wider than the level's max_bits,
 * weights and inputs no wider than arith.max_bits, partial sums no wider than
 * arith.max_psum_bits. A failure (PETAL_EUNSUPPORTED) names the layer, the
 * data space and its width, and the level or MAC and its limit.
 * petal_model_eval and petal_map run it. */
petal_status petal_precision_check(const petal_problem *p, const petal_arch *a);

/* Cycles one MAC takes for layer p: 1, or for bit-serial MACs
 * ceil(weight bits / bits_per_cycle). */
uint64_t petal_arch_cycles_per_mac(const petal_arch *a, const petal_problem *p);

/* Whether any level forwards any data space between neighbours. */
bool petal_arch_forwards(const petal_arch *a);

/* "X", "Y" or "none". */
const char *petal_forward_name(petal_forward f);

/* Fan-out between level i and the next level inwards (or the MACs for the last
 * level): the ratio of instances, and its X and Y parts. */
uint64_t petal_arch_fanout(const petal_arch *a, int level, uint32_t *x, uint32_t *y);

/* Index of the level called `name`, or -1. */
int petal_arch_level(const petal_arch *a, const char *name);

const char *petal_mem_class_name(petal_mem_class cls);

/* The data space a name denotes: Weights/Inputs/Outputs in any case, singular
 * or plural, or the Eyeriss words filter/ifmap/psum/ofmap; -1 if none. */
int petal_ds_from_name(const char *s);

/* "Weights", "Inputs", "Outputs"; "?" for an index out of range. */
const char *petal_ds_canonical_name(int ds);

/* Parse "DRAM", "SRAM", "regfile" or "none" (case-insensitive); false if unknown. */
bool petal_mem_class_parse(const char *s, petal_mem_class *out);

/* --- area --- */

/* Area of storage level i over all its instances (instances * area_um2). */
double petal_arch_level_area(const petal_arch *a, int level);
/* Area of all MAC units. */
double petal_arch_arith_area(const petal_arch *a);
/* Every storage level plus the MACs, um^2. */
double petal_arch_area(const petal_arch *a);

/* --- printing --- */

/* A table of the levels (class, depth, word bits, block, instances and mesh,
 * fan-out, bandwidths, data spaces, energies, area per instance and in total),
 * the MACs, the clock and the total area. */
void petal_arch_print(FILE *out, const petal_arch *a);

/* --- presets (files: petal/formats.h) --- */

/* Built-in architectures (eyeriss-v1, eyeriss-256, ...), in a stable order. */
size_t petal_arch_preset_count(void);
const char *petal_arch_preset_name(size_t i);
const char *petal_arch_preset_description(size_t i);
/* Build a preset; an unknown name fails with PETAL_ENOTFOUND listing the known ones. */
petal_status petal_arch_preset(const char *name, petal_arch *a);
/* The name of the energy table a preset's energies and areas come from, or NULL
 * for an unknown preset. */
const char *petal_arch_preset_energy_table(const char *name);
/* Whether preset `name` fixes part of its mapspace (a systolic array's wiring
 * fixes which dimensions go across and down it): tpu-like does. */
bool petal_arch_preset_has_constraints(const char *name);

#ifdef __cplusplus
}
#endif
#endif
