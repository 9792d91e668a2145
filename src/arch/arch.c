/* arch.c - structural checks on an architecture and the fan-outs between levels. */
#include "petal/arch.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "util/error.h"

const char *petal_mem_class_name(petal_mem_class cls)
{
    switch (cls) {
    case PETAL_MEM_DRAM:
        return "DRAM";
    case PETAL_MEM_SRAM:
        return "SRAM";
    case PETAL_MEM_REGFILE:
        return "regfile";
    case PETAL_MEM_NONE:
        return "none";
    }
    return "none";
}

bool petal_mem_class_parse(const char *s, petal_mem_class *out)
{
    static const petal_mem_class all[] = {PETAL_MEM_DRAM, PETAL_MEM_SRAM, PETAL_MEM_REGFILE,
                                          PETAL_MEM_NONE};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (strcasecmp(s, petal_mem_class_name(all[i])) == 0) {
            *out = all[i];
            return true;
        }
    return false;
}

const char *petal_energy_unit_name(petal_energy_unit unit)
{
    return unit == PETAL_ENERGY_MAC ? "MAC" : "pJ";
}

/* Data space names as architectures and mappings write them: the canonical
 * three and the Eyeriss papers' words for them. */
int petal_ds_from_name(const char *s)
{
    static const struct {
        const char *name;
        int ds;
    } names[] = {
        {"Weights", PETAL_DS_WEIGHTS}, {"Weight", PETAL_DS_WEIGHTS}, {"filter", PETAL_DS_WEIGHTS},
        {"filters", PETAL_DS_WEIGHTS}, {"Inputs", PETAL_DS_INPUTS},  {"Input", PETAL_DS_INPUTS},
        {"ifmap", PETAL_DS_INPUTS},    {"ifmaps", PETAL_DS_INPUTS},  {"Outputs", PETAL_DS_OUTPUTS},
        {"Output", PETAL_DS_OUTPUTS},  {"psum", PETAL_DS_OUTPUTS},   {"psums", PETAL_DS_OUTPUTS},
        {"ofmap", PETAL_DS_OUTPUTS},   {"ofmaps", PETAL_DS_OUTPUTS},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(s, names[i].name) == 0)
            return names[i].ds;
    return -1;
}

const char *petal_ds_canonical_name(int ds)
{
    static const char *const canonical[PETAL_NUM_DS] = {"Weights", "Inputs", "Outputs"};
    return ds >= 0 && ds < PETAL_NUM_DS ? canonical[ds] : "?";
}

double petal_arch_level_area(const petal_arch *a, int level)
{
    const petal_level *l = &a->levels[level];
    return (double)l->instances * l->area_um2;
}

double petal_arch_arith_area(const petal_arch *a)
{
    return (double)a->arith.instances * a->arith.area_um2;
}

double petal_arch_area(const petal_arch *a)
{
    double total = petal_arch_arith_area(a);
    for (int i = 0; i < a->nlevels; i++)
        total += petal_arch_level_area(a, i);
    return total;
}

int petal_arch_level(const petal_arch *a, const char *name)
{
    for (int i = 0; i < a->nlevels; i++)
        if (strcmp(a->levels[i].name, name) == 0)
            return i;
    return -1;
}

/* Instances and mesh of what sits below level i: the next level, or the MACs. */
static void inner_of(const petal_arch *a, int i, uint64_t *instances, uint32_t *mx, uint32_t *my)
{
    if (i + 1 < a->nlevels) {
        *instances = a->levels[i + 1].instances;
        *mx = a->levels[i + 1].mesh_x;
        *my = a->levels[i + 1].mesh_y;
    } else {
        *instances = a->arith.instances;
        *mx = a->arith.mesh_x;
        *my = a->arith.mesh_y;
    }
}

uint64_t petal_arch_fanout(const petal_arch *a, int i, uint32_t *x, uint32_t *y)
{
    const petal_level *l = &a->levels[i];
    uint64_t inner;
    uint32_t mx, my;
    inner_of(a, i, &inner, &mx, &my);
    uint32_t fx = l->mesh_x ? mx / l->mesh_x : mx;
    uint32_t fy = l->mesh_y ? my / l->mesh_y : my;
    if (x)
        *x = fx ? fx : 1;
    if (y)
        *y = fy ? fy : 1;
    return l->instances ? inner / l->instances : inner;
}

static petal_status check_mesh(const char *arch, const char *what, uint64_t instances, uint32_t mx,
                               uint32_t my)
{
    if (instances == 0 || mx == 0 || my == 0)
        return petal_error_set(PETAL_EINVAL,
                               "architecture %s: %s needs at least one instance (instances = "
                               "%llu, mesh_x = %u, mesh_y = %u)",
                               arch, what, (unsigned long long)instances, mx, my);
    if ((uint64_t)mx * my != instances)
        return petal_error_set(PETAL_EINVAL,
                               "architecture %s: %s has %llu instances but a %ux%u mesh", arch,
                               what, (unsigned long long)instances, mx, my);
    return PETAL_OK;
}

/* A number the model multiplies or divides by: finite and not negative.
 * `what` and `name` make the subject ("level ", "glb"); nothing is formatted
 * unless the check fails, as petal_model_eval runs it on every call. */
static petal_status check_number(const char *arch, const char *what, const char *name,
                                 const char *field, double v, const char *expected)
{
    if (isfinite(v) && v >= 0)
        return PETAL_OK;
    return petal_error_set(PETAL_EINVAL, "architecture %s: %s%s has %s = %g, expected %s", arch,
                           what, name, field, v, expected);
}

/* An energy, an area or a clock (0 allowed: free, or a clock not given). */
static petal_status check_amount(const char *arch, const char *what, const char *name,
                                 const char *field, double v)
{
    return check_number(arch, what, name, field, v, "a finite number >= 0");
}

static petal_status check_level_numbers(const char *arch, const petal_level *l)
{
    /* A bandwidth: words per cycle, or 0 for unlimited. */
    static const char bw[] = "finite words per cycle > 0, or 0 for unlimited";
    petal_status st = check_number(arch, "level ", l->name, "read_bw", l->read_bw, bw);
    if (!st)
        st = check_number(arch, "level ", l->name, "write_bw", l->write_bw, bw);
    const struct {
        const char *field;
        double v;
    } amounts[] = {{"read_pj", l->read_pj},      {"fill_pj", l->fill_pj},
                   {"update_pj", l->update_pj},  {"leak_pj", l->leak_pj},
                   {"hop_pj", l->hop_pj},        {"area_um2", l->area_um2},
                   {"forward_pj", l->forward_pj}};
    for (size_t k = 0; !st && k < sizeof amounts / sizeof amounts[0]; k++)
        st = check_amount(arch, "level ", l->name, amounts[k].field, amounts[k].v);
    /* A link carries at least one of the level's words per cycle. */
    for (int s = 0; !st && s < PETAL_NUM_DS; s++)
        if (l->network_bits[s] && l->word_bits && l->network_bits[s] < l->word_bits)
            st = petal_error_set(PETAL_EINVAL,
                                 "architecture %s: level %s: network_bits of %s is %u, narrower "
                                 "than one %u-bit word",
                                 arch, l->name, petal_ds_canonical_name(s), l->network_bits[s],
                                 l->word_bits);
    return st;
}

/* Forwarding moves words between neighbouring children along an axis: the
 * fan-out below level i must have more than one child along it. */
static petal_status check_forwarding(const petal_arch *a, int i)
{
    const petal_level *l = &a->levels[i];
    for (int s = 0; s < PETAL_NUM_DS; s++) {
        uint8_t f = l->forward[s];
        if (f == PETAL_FORWARD_NONE)
            continue;
        if (f != PETAL_FORWARD_X && f != PETAL_FORWARD_Y)
            return petal_error_set(PETAL_EINVAL,
                                   "architecture %s: level %s: forward of %s is %u, expected "
                                   "none, X or Y",
                                   a->name, l->name, petal_ds_canonical_name(s), f);
        uint32_t fx, fy;
        petal_arch_fanout(a, i, &fx, &fy);
        uint32_t along = f == PETAL_FORWARD_X ? fx : fy;
        if (along < 2)
            return petal_error_set(PETAL_EINVAL,
                                   "architecture %s: level %s forwards %s along %s, but the "
                                   "fan-out below it has %u %s along %s (%ux%u); forwarding "
                                   "needs at least 2",
                                   a->name, l->name, petal_ds_canonical_name(s),
                                   petal_forward_name(f), along, along == 1 ? "child" : "children",
                                   petal_forward_name(f), fx, fy);
    }
    return PETAL_OK;
}

petal_status petal_arch_check(const petal_arch *a)
{
    if (a->nlevels == 0 || a->nlevels > PETAL_MAX_LEVELS)
        return petal_error_set(PETAL_EINVAL,
                               "architecture %s: %u storage levels, expected 1 to %d "
                               "(PETAL_MAX_LEVELS)",
                               a->name, a->nlevels, PETAL_MAX_LEVELS);
    /* The MACs first: a level above them cannot divide zero of them, but the
     * message should name the MACs, not that level. */
    petal_status st = check_mesh(a->name, "the arithmetic level", a->arith.instances,
                                 a->arith.mesh_x, a->arith.mesh_y);
    if (!st)
        st = check_amount(a->name, "the arithmetic level", "", "mac_pj", a->arith.mac_pj);
    if (!st)
        st = check_amount(a->name, "the arithmetic level", "", "area_um2", a->arith.area_um2);
    if (!st)
        st = check_amount(a->name, "the clock", "", "clock_hz", a->clock_hz);
    if (st)
        return st;
    for (int i = 0; i < a->nlevels; i++) {
        const petal_level *l = &a->levels[i];
        st = check_mesh(a->name, l->name, l->instances, l->mesh_x, l->mesh_y);
        if (!st)
            st = check_level_numbers(a->name, l);
        if (st)
            return st;
        if (l->cls != PETAL_MEM_NONE && (l->word_bits == 0 || l->block_size == 0))
            return petal_error_set(PETAL_EINVAL,
                                   "architecture %s: level %s needs word bits and a block size "
                                   "of at least 1",
                                   a->name, l->name);
        uint64_t inner;
        uint32_t mx, my;
        inner_of(a, i, &inner, &mx, &my);
        if (inner < l->instances || inner % l->instances || mx % l->mesh_x || my % l->mesh_y)
            return petal_error_set(PETAL_EINVAL,
                                   "architecture %s: level %s (%ux%u instances) does not divide "
                                   "the %ux%u instances below it",
                                   a->name, l->name, l->mesh_x, l->mesh_y, mx, my);
        st = check_forwarding(a, i);
        if (st)
            return st;
    }
    return PETAL_OK;
}

bool petal_arch_forwards(const petal_arch *a)
{
    for (int l = 0; l < a->nlevels && l < PETAL_MAX_LEVELS; l++)
        for (int s = 0; s < PETAL_NUM_DS; s++)
            if (a->levels[l].forward[s] != PETAL_FORWARD_NONE)
                return true;
    return false;
}

const char *petal_forward_name(petal_forward f)
{
    return f == PETAL_FORWARD_X ? "X" : f == PETAL_FORWARD_Y ? "Y" : "none";
}

petal_status petal_precision_check(const petal_problem *p, const petal_arch *a)
{
    const petal_precision *pr = &p->precision;
    if (!petal_precision_any(pr))
        return PETAL_OK;
    for (int l = 0; l < a->nlevels; l++) {
        const petal_level *lv = &a->levels[l];
        if (!lv->max_bits || lv->cls == PETAL_MEM_NONE)
            continue;
        for (int i = 0; i <= PETAL_PRECISION_PSUMS; i++) {
            int s = i == PETAL_PRECISION_PSUMS ? PETAL_DS_OUTPUTS : i;
            if (!(lv->may_keep & (1u << s)))
                continue;
            uint32_t bits = petal_precision_bits(pr, i, lv->word_bits);
            if (bits > lv->max_bits)
                return petal_error_set(PETAL_EUNSUPPORTED,
                                       "layer %s: %s are %u bits wide but level %s of "
                                       "architecture %s holds at most %u-bit values",
                                       p->name, petal_precision_name(i), bits, lv->name, a->name,
                                       lv->max_bits);
        }
    }
    const petal_arith *m = &a->arith;
    for (int i = 0; i <= PETAL_PRECISION_PSUMS; i++) {
        if (i == PETAL_DS_OUTPUTS)
            continue;
        uint32_t limit = i == PETAL_PRECISION_PSUMS ? m->max_psum_bits : m->max_bits;
        uint32_t bits = petal_precision_bits(pr, i, m->word_bits);
        if (limit && bits > limit)
            return petal_error_set(PETAL_EUNSUPPORTED,
                                   "layer %s: %s are %u bits wide but the MACs (%s) of "
                                   "architecture %s take at most %u bits",
                                   p->name, petal_precision_name(i), bits, m->name, a->name, limit);
    }
    return PETAL_OK;
}

uint64_t petal_arch_cycles_per_mac(const petal_arch *a, const petal_problem *p)
{
    uint32_t per = a->arith.bits_per_cycle;
    if (!per)
        return 1;
    uint32_t bits = petal_precision_bits(&p->precision, PETAL_DS_WEIGHTS, a->arith.word_bits);
    return bits <= per ? 1 : (bits + per - 1) / per;
}
