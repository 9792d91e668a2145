/* timeloop_spec.c - one Timeloop run from its files: which file holds which
 * part, and the order the parts must be read in (problem and architecture
 * first, since mappings and constraints name their dimensions and levels). */
#include <stdio.h>
#include <string.h>

#include "formats/timeloop/timeloop_internal.h"
#include "formats/yaml/sparse_yaml.h"
#include "petal/timeloop.h"

enum {
    PART_PROBLEM = 1 << 0,
    PART_ARCH = 1 << 1,
    PART_MAPPING = 1 << 2,
    PART_CONSTRAINTS = 1 << 3,
    PART_ERT = 1 << 4,
    PART_ART = 1 << 5,
};

/* Which parts a file holds; warns about unknown top-level keys on the way.
 * An empty mapping list (`mapping: []`, as mapper inputs have) is no mapping. */
static petal_status parts_of(const char *path, unsigned *parts)
{
    petal_ydoc d;
    petal_status st = petal_tl_open(&d, path);
    if (st)
        return st;
    *parts = 0;
    yaml_node_t *root = petal_ydoc_root(&d);
    if (petal_yis_seq(root)) {
        *parts = PART_MAPPING;
    } else if (petal_yis_map(root)) {
        petal_tl_warn_top_keys(&d);
        if (petal_tl_top(&d, "problem"))
            *parts |= PART_PROBLEM;
        if (petal_tl_top(&d, "architecture"))
            *parts |= PART_ARCH | PART_CONSTRAINTS;
        yaml_node_t *m = petal_tl_top(&d, "mapping");
        if (petal_yis_seq(m) && m->data.sequence.items.top > m->data.sequence.items.start)
            *parts |= PART_MAPPING;
        if (petal_tl_top(&d, "architecture_constraints") ||
            petal_tl_top(&d, "mapspace_constraints") || petal_tl_top(&d, "constraints"))
            *parts |= PART_CONSTRAINTS;
        if (petal_tl_top(&d, "ERT"))
            *parts |= PART_ERT;
        if (petal_tl_top(&d, "ART"))
            *parts |= PART_ART;
    }
    petal_ydoc_free(&d);
    return PETAL_OK;
}

bool petal_timeloop_is_spec(const char *path)
{
    petal_ydoc d;
    if (petal_ydoc_load_file(&d, path) != PETAL_OK) {
        petal_error_clear();
        return false;
    }
    /* petal's own formats use `architecture:` and `mapping:` too, with
     * `levels`; Timeloop's architecture has nodes, subtree or local and its
     * mapping is a list. */
    yaml_node_t *arch = petal_tl_top(&d, "architecture");
    yaml_node_t *root = petal_ydoc_root(&d);
    bool yes = petal_yis_seq(root) || petal_tl_top(&d, "problem") ||
               petal_yis_seq(petal_tl_top(&d, "mapping")) || petal_tl_top(&d, "ERT") ||
               petal_tl_top(&d, "ART") || petal_tl_top(&d, "mapspace_constraints") ||
               petal_tl_top(&d, "architecture_constraints") || petal_ymap_get(&d, arch, "nodes") ||
               petal_ymap_get(&d, arch, "subtree") || petal_ymap_get(&d, arch, "local");
    petal_ydoc_free(&d);
    return yes;
}

/* The file that supplies a part: the file named on the part's own option when
 * there is one, else the first listed that has it. Every other file that has
 * the part too is overridden, and a warning says so: the user named it, and
 * silently evaluating another file's mapping (or problem) would answer a
 * different question. */
typedef struct source {
    const char *path;
    unsigned parts;
} source;

static const char *part_word(unsigned part)
{
    return part == PART_PROBLEM   ? "problem"
           : part == PART_ARCH    ? "architecture"
           : part == PART_MAPPING ? "mapping"
           : part == PART_ERT     ? "ERT"
                                  : "ART";
}

static const char *find_part(const source *s, int n, unsigned part, const char *own)
{
    const char *from = own;
    for (int i = 0; i < n && !from; i++)
        if (s[i].parts & part)
            from = s[i].path;
    for (int i = 0; i < n; i++)
        if (from && (s[i].parts & part) && strcmp(s[i].path, from) != 0)
            petal_warn("%s: its %s is not used: %s's replaces it%s", s[i].path, part_word(part),
                       from, own ? " (named on its own option)" : "");
    return from;
}

/* The sparse optimizations of `path` applied to a (whose data spaces are
 * p's): its top-level `sparse_optimizations:`. A file named for them alone
 * (--sparse-opts) must have one. */
static petal_status read_sparse_opts(const char *path, bool named, const petal_problem *p,
                                     petal_arch *a)
{
    petal_ydoc d;
    petal_status st = petal_tl_open(&d, path);
    if (st)
        return st;
    yaml_node_t *node = petal_tl_top(&d, "sparse_optimizations");
    if (!node && named)
        st =
            petal_error_set(PETAL_EPARSE, "%s: expected a top-level 'sparse_optimizations:'", path);
    else if (node)
        st = petal_sparse_yaml_apply(&d, node, p, a);
    petal_ydoc_free(&d);
    return st;
}

petal_status petal_timeloop_load(const petal_timeloop_files *f, petal_timeloop_spec *out)
{
    memset(out, 0, sizeof *out);
    /* Own files first, so they replace the combined file's parts. */
    const char *paths[] = {f->problem, f->arch, f->mapping, f->constraints,
                           f->ert,     f->art,  f->combined};
    source s[7];
    int n = 0;
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        if (!paths[i])
            continue;
        bool dup = false;
        for (int j = 0; j < n; j++)
            dup = dup || strcmp(s[j].path, paths[i]) == 0;
        if (dup)
            continue;
        s[n].path = paths[i];
        petal_status st = parts_of(paths[i], &s[n].parts);
        if (st)
            return st;
        n++;
    }
    struct {
        const char *path;
        unsigned part;
        const char *what;
    } own[] = {{f->problem, PART_PROBLEM, "a problem"},
               {f->arch, PART_ARCH, "an architecture"},
               {f->mapping, PART_MAPPING, "a mapping"},
               {f->ert, PART_ERT, "an ERT"},
               {f->art, PART_ART, "an ART"}};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
        if (!own[i].path)
            continue;
        unsigned parts = 0;
        for (int j = 0; j < n; j++)
            if (strcmp(s[j].path, own[i].path) == 0)
                parts = s[j].parts;
        if (!(parts & own[i].part))
            return petal_error_set(PETAL_EPARSE, "%s: expected %s (a top-level '%s:' key)",
                                   own[i].path, own[i].what, part_word(own[i].part));
    }
    const char *problem = find_part(s, n, PART_PROBLEM, f->problem);
    const char *arch = find_part(s, n, PART_ARCH, f->arch);
    if (!problem)
        return petal_error_set(PETAL_EINVAL, "Timeloop input: no file has a 'problem:'");
    if (!arch)
        return petal_error_set(PETAL_EINVAL, "Timeloop input: no file has an 'architecture:'");
    petal_status st;
    if ((st = petal_timeloop_read_problem(problem, &out->problem)) ||
        (st = petal_timeloop_read_arch(arch, &out->arch)))
        return st;
    if ((st = read_sparse_opts(f->sparse_opts ? f->sparse_opts : arch, f->sparse_opts != NULL,
                               &out->problem, &out->arch)))
        return st;
    const char *ert = find_part(s, n, PART_ERT, f->ert);
    if (ert) {
        if ((st = petal_timeloop_read_ert(ert, &out->arch)))
            return st;
        out->has_energy = true;
    }
    const char *art = find_part(s, n, PART_ART, f->art);
    if (art) {
        if ((st = petal_timeloop_read_art(art, &out->arch)))
            return st;
        out->has_area = true;
    }
    const char *mapping = find_part(s, n, PART_MAPPING, f->mapping);
    if (mapping) {
        if ((st = petal_timeloop_read_mapping(mapping, &out->problem, &out->arch, &out->mapping)))
            return st;
        out->has_mapping = true;
    } else {
        petal_mapping_init(&out->mapping, &out->problem, &out->arch);
    }
    petal_constraints_init(&out->constraints, &out->arch);
    for (int i = 0; i < n; i++) {
        if (!(s[i].parts & PART_CONSTRAINTS))
            continue;
        /* A file with another architecture than the one read constrains that
         * other architecture: skip it. */
        if ((s[i].parts & PART_ARCH) && strcmp(s[i].path, arch) != 0)
            continue;
        if ((st = petal_timeloop_read_constraints(s[i].path, &out->problem, &out->arch,
                                                  &out->constraints)))
            return st;
    }
    return PETAL_OK;
}
