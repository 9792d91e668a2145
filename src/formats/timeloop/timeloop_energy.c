/* timeloop_energy.c - Accelergy's energy (ERT) and area (ART) reference tables
 * applied to the levels of a petal_arch.
 *
 * An ERT table names a component (with its path and instance range) and lists
 * actions with their energy per action; the same action may appear several
 * times with different arguments (address or data deltas), and then costs its
 * most expensive entry. Timeloop looks up each of its operations through a
 * short list of action names, and petal uses the same lists.
 */
#include <stdio.h>
#include <string.h>

#include "formats/timeloop/timeloop_internal.h"
#include "petal/timeloop.h"

#define MAX_ACTIONS 32

typedef struct action_table {
    int n;
    char names[MAX_ACTIONS][48];
    double energy[MAX_ACTIONS];
} action_table;

static void note_action(action_table *t, const char *name, double energy)
{
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->names[i], name) == 0) {
            if (energy > t->energy[i])
                t->energy[i] = energy;
            return;
        }
    /* No action petal looks up is that long: a longer one is not kept, never cut. */
    if (t->n == MAX_ACTIONS || strlen(name) >= sizeof t->names[t->n])
        return;
    memcpy(t->names[t->n], name, strlen(name) + 1);
    t->energy[t->n++] = energy;
}

/* The first action of `names` the table has; false if none. */
static bool lookup(const action_table *t, const char *const *names, double *out)
{
    for (int k = 0; names[k]; k++)
        for (int i = 0; i < t->n; i++)
            if (strcmp(t->names[i], names[k]) == 0) {
                *out = t->energy[i];
                return true;
            }
    return false;
}

static petal_status entry_energy(petal_ydoc *d, yaml_node_t *entry, const char *action,
                                 action_table *t)
{
    if (petal_yis_scalar(entry)) {
        double e;
        petal_status st = petal_yget_double(d, entry, "energy", &e);
        if (st == PETAL_OK)
            note_action(t, action, e);
        return st;
    }
    if (!petal_yis_map(entry))
        return petal_yerror(d, entry, PETAL_EPARSE, "ERT action %s: expected {arguments, energy}",
                            action);
    double e;
    petal_status st = petal_yget_double(d, petal_ymap_get(d, entry, "energy"), "energy", &e);
    if (st)
        return st;
    note_action(t, action, e);
    return PETAL_OK;
}

/* Actions of one table: a list of {name, arguments, energy}, or (older files)
 * a mapping from action name to one entry or a list of entries. */
static petal_status read_actions(petal_ydoc *d, yaml_node_t *actions, action_table *t)
{
    t->n = 0;
    petal_status st;
    if (petal_yis_seq(actions)) {
        yaml_node_t *item;
        PETAL_YSEQ_EACH(d, actions, item)
        {
            const char *name = petal_yscalar(petal_ymap_get(d, item, "name"));
            if (!name)
                return petal_yerror(d, item, PETAL_EPARSE, "ERT: an action needs a name");
            if ((st = entry_energy(d, item, name, t)))
                return st;
        }
        return PETAL_OK;
    }
    if (!petal_yis_map(actions))
        return petal_yerror(d, actions, PETAL_EPARSE, "ERT: expected a list of actions");
    yaml_node_t *k, *v;
    PETAL_YMAP_EACH(d, actions, k, v)
    {
        const char *name = petal_yscalar(k);
        if (!name)
            continue;
        if (petal_yis_seq(v)) {
            yaml_node_t *item;
            PETAL_YSEQ_EACH(d, v, item)
            {
                if ((st = entry_energy(d, item, name, t)))
                    return st;
            }
        } else if ((st = entry_energy(d, v, name, t))) {
            return st;
        }
    }
    return PETAL_OK;
}

static const char *const read_names[] = {"random_read", "read", NULL};
static const char *const fill_names[] = {"random_fill", "random_write", "fill", "write", NULL};
static const char *const update_names[] = {"random_update", "random_write", "update", "write",
                                           NULL};
static const char *const leak_names[] = {"leak", NULL};
static const char *const compute_names[] = {"mac_random", "mult_random", "mac",
                                            "mult",       "compute",     NULL};

/* Sparseloop's actions of a storage level. Unlike the dense ones, an action
 * the table does not have costs 0, as in Sparseloop: a level without
 * metadata or gating hardware has no such action. */
static void apply_sparse(petal_sparse_energy *e, const action_table *t)
{
    static const char *const gated_read[] = {"gated_read", NULL};
    static const char *const gated_fill[] = {"gated_fill", "gated_write", NULL};
    static const char *const gated_update[] = {"gated_update", "gated_write", NULL};
    static const char *const md_read[] = {"metadata_read", NULL};
    static const char *const md_fill[] = {"metadata_fill", "metadata_write", NULL};
    static const char *const md_update[] = {"metadata_update", "metadata_write", NULL};
    static const char *const gmd_read[] = {"gated_metadata_read", NULL};
    static const char *const gmd_fill[] = {"gated_metadata_fill", "gated_metadata_write", NULL};
    static const char *const gmd_update[] = {"gated_metadata_update", "gated_metadata_write", NULL};
    static const char *const decompression[] = {"decompression_count", NULL};
    static const char *const compression[] = {"compression_count", NULL};
    struct {
        const char *const *names;
        double *pj;
    } actions[] = {{gated_read, &e->gated_read_pj},
                   {gated_fill, &e->gated_fill_pj},
                   {gated_update, &e->gated_update_pj},
                   {md_read, &e->metadata_read_pj},
                   {md_fill, &e->metadata_fill_pj},
                   {md_update, &e->metadata_update_pj},
                   {gmd_read, &e->gated_metadata_read_pj},
                   {gmd_fill, &e->gated_metadata_fill_pj},
                   {gmd_update, &e->gated_metadata_update_pj},
                   {decompression, &e->decompression_pj},
                   {compression, &e->compression_pj}};
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (!lookup(t, actions[i].names, actions[i].pj))
            *actions[i].pj = 0;
}

static void apply_table(petal_arch *a, const char *name, const action_table *t, bool *seen)
{
    int l = petal_arch_level(a, name);
    if (l >= 0) {
        petal_level *lv = &a->levels[l];
        double most = 0;
        for (int i = 0; i < t->n; i++)
            if (t->energy[i] > most && strcmp(t->names[i], "leak") != 0)
                most = t->energy[i];
        /* Timeloop charges an access it cannot name at the costliest action. */
        if (!lookup(t, read_names, &lv->read_pj))
            lv->read_pj = most;
        if (!lookup(t, fill_names, &lv->fill_pj))
            lv->fill_pj = most;
        if (!lookup(t, update_names, &lv->update_pj))
            lv->update_pj = most;
        if (!lookup(t, leak_names, &lv->leak_pj))
            lv->leak_pj = 0;
        apply_sparse(&lv->sparse.energy, t);
        seen[l] = true;
    } else if (strcmp(name, a->arith.name) == 0) {
        if (!lookup(t, compute_names, &a->arith.mac_pj))
            a->arith.mac_pj = 0;
        static const char *const gated_compute[] = {"gated_compute", "gated_mac", NULL};
        if (!lookup(t, gated_compute, &a->arith.sparse.gated_mac_pj))
            a->arith.sparse.gated_mac_pj = 0;
        seen[PETAL_MAX_LEVELS] = true;
    }
}

static petal_status one_table(petal_ydoc *d, yaml_node_t *at, const char *full,
                              yaml_node_t *actions, petal_arch *a, bool *seen)
{
    char name[PETAL_NAME_MAX];
    uint64_t count;
    petal_status st =
        petal_tl_split_name(d, at, full, PETAL_NAME_FIELD(name, PETAL_NAME_MAX), &count);
    if (st)
        return st;
    action_table t;
    if ((st = read_actions(d, actions, &t)))
        return st;
    apply_table(a, name, &t, seen);
    return PETAL_OK;
}

petal_status petal_timeloop_read_ert(const char *path, petal_arch *a)
{
    /* An ERT is in pJ: it cannot price part of an architecture counted in MACs. */
    if (a->energy_unit != PETAL_ENERGY_PJ)
        return petal_error_set(PETAL_EINVAL,
                               "%s: an ERT's energies are in pJ, architecture %s's in %s; one "
                               "architecture takes one unit",
                               path, a->name, petal_energy_unit_name(a->energy_unit));
    petal_ydoc d;
    petal_status st = petal_tl_open(&d, path);
    if (st)
        return st;
    bool seen[PETAL_MAX_LEVELS + 1] = {false};
    yaml_node_t *ert = petal_tl_top(&d, "ERT");
    yaml_node_t *tables = petal_ymap_get(&d, ert, "tables");
    if (!tables) {
        st = petal_yerror(&d, ert, PETAL_EPARSE, "expected a top-level 'ERT:' with tables");
    } else if (petal_yis_seq(tables)) {
        yaml_node_t *item;
        PETAL_YSEQ_EACH(&d, tables, item)
        {
            const char *name = petal_yscalar(petal_ymap_get(&d, item, "name"));
            if (!name) {
                st = petal_yerror(&d, item, PETAL_EPARSE, "ERT: a table needs a name");
                break;
            }
            if ((st = one_table(&d, item, name, petal_ymap_get(&d, item, "actions"), a, seen)))
                break;
        }
    } else if (petal_yis_map(tables)) {
        yaml_node_t *k, *v;
        PETAL_YMAP_EACH(&d, tables, k, v)
        {
            const char *name = petal_yscalar(k);
            if (name && (st = one_table(&d, k, name, v, a, seen)))
                break;
        }
    } else {
        st = petal_yerror(&d, tables, PETAL_EPARSE, "ERT: tables: expected a list");
    }
    if (st == PETAL_OK) {
        for (int l = 0; l < a->nlevels; l++)
            if (!seen[l] && a->levels[l].cls != PETAL_MEM_NONE)
                petal_ywarn(&d, tables, "no ERT entry for level %s: its accesses cost 0 pJ",
                            a->levels[l].name);
        if (!seen[PETAL_MAX_LEVELS])
            petal_ywarn(&d, tables, "no ERT entry for %s: its computes cost 0 pJ", a->arith.name);
    }
    petal_ydoc_free(&d);
    return st;
}

static petal_status apply_area(petal_ydoc *d, yaml_node_t *at, const char *full,
                               yaml_node_t *area_node, petal_arch *a)
{
    char name[PETAL_NAME_MAX];
    uint64_t count;
    petal_status st =
        petal_tl_split_name(d, at, full, PETAL_NAME_FIELD(name, PETAL_NAME_MAX), &count);
    if (st)
        return st;
    double area;
    if ((st = petal_yget_double(d, area_node, "area", &area)))
        return st;
    int l = petal_arch_level(a, name);
    if (l >= 0)
        a->levels[l].area_um2 = area;
    else if (strcmp(name, a->arith.name) == 0)
        a->arith.area_um2 = area;
    return PETAL_OK;
}

petal_status petal_timeloop_read_art(const char *path, petal_arch *a)
{
    petal_ydoc d;
    petal_status st = petal_tl_open(&d, path);
    if (st)
        return st;
    yaml_node_t *art = petal_tl_top(&d, "ART");
    yaml_node_t *tables = petal_ymap_get(&d, art, "tables");
    if (petal_yis_seq(tables)) {
        yaml_node_t *item;
        PETAL_YSEQ_EACH(&d, tables, item)
        {
            const char *name = petal_yscalar(petal_ymap_get(&d, item, "name"));
            if (!name) {
                st = petal_yerror(&d, item, PETAL_EPARSE, "ART: a table needs a name");
                break;
            }
            if ((st = apply_area(&d, item, name, petal_ymap_get(&d, item, "area"), a)))
                break;
        }
    } else if (petal_yis_map(tables)) {
        yaml_node_t *k, *v;
        PETAL_YMAP_EACH(&d, tables, k, v)
        {
            const char *name = petal_yscalar(k);
            yaml_node_t *area = petal_yis_map(v) ? petal_ymap_get(&d, v, "area") : v;
            if (name && (st = apply_area(&d, k, name, area, a)))
                break;
        }
    } else {
        st = petal_yerror(&d, tables ? tables : art, PETAL_EPARSE,
                          "expected a top-level 'ART:' with tables");
    }
    petal_ydoc_free(&d);
    return st;
}
