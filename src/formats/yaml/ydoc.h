/* formats/yaml/ydoc.h - a loaded YAML document with positions, for every spec reader.
 *
 * libyaml's document API already builds a node tree with source marks and
 * resolves aliases; this wrapper adds what every reader of petal needs on top:
 * errors and warnings that say file:line:column, typed scalar conversion with
 * range checks, and lookup of mapping keys (following YAML merge keys, `<<`).
 */
#ifndef PETAL_FORMATS_YDOC_H
#define PETAL_FORMATS_YDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "petal/error.h"
#include "util/error.h"

typedef struct petal_ydoc {
    yaml_document_t doc;
    bool loaded;
    char path[512];     /* as given, for messages (a longer path is cut) */
    const char *source; /* the path or name as given, whole: the caller's string, for
                           names derived from the file name */
} petal_ydoc;

/* Parse a file or a buffer (named `name` in messages). A syntax error fails with
 * PETAL_EPARSE and "path:line:col: what libyaml expected". An empty document
 * loads with a NULL root. */
petal_status petal_ydoc_load_file(petal_ydoc *d, const char *path);
petal_status petal_ydoc_load_string(petal_ydoc *d, const char *text, size_t len, const char *name);
void petal_ydoc_free(petal_ydoc *d);

yaml_node_t *petal_ydoc_root(petal_ydoc *d);

/* Node by id (for iterating sequence items and mapping pairs). */
static inline yaml_node_t *petal_ynode(petal_ydoc *d, int id)
{
    return yaml_document_get_node(&d->doc, id);
}

/* 1-based line and column of a node. */
static inline unsigned long petal_yline(const yaml_node_t *n)
{
    return (unsigned long)n->start_mark.line + 1;
}
static inline unsigned long petal_ycol(const yaml_node_t *n)
{
    return (unsigned long)n->start_mark.column + 1;
}

/* Record "path:line:col: message" for node n (or the file when n is NULL) and
 * return status. */
int petal_yerror(petal_ydoc *d, const yaml_node_t *n, petal_status status, const char *fmt, ...)
    PETAL_PRINTF(4, 5);
void petal_ywarn(petal_ydoc *d, const yaml_node_t *n, const char *fmt, ...) PETAL_PRINTF(3, 4);

bool petal_yis_map(const yaml_node_t *n);
bool petal_yis_seq(const yaml_node_t *n);
bool petal_yis_scalar(const yaml_node_t *n);
/* A scalar's text, or NULL for other nodes. Null scalars ("", "~", "null") read as "". */
const char *petal_yscalar(const yaml_node_t *n);
bool petal_yis_null(const yaml_node_t *n);

/* Value of `key` in mapping `map`, or NULL (also when map is not a mapping). */
yaml_node_t *petal_ymap_get(petal_ydoc *d, yaml_node_t *map, const char *key);

/* Typed reads; each fails with a positioned PETAL_EPARSE/PETAL_EINVAL message
 * naming `what` (the field) and the expected form. */
petal_status petal_yget_i64(petal_ydoc *d, yaml_node_t *n, const char *what, int64_t *out);
petal_status petal_yget_u64(petal_ydoc *d, yaml_node_t *n, const char *what, uint64_t *out);
petal_status petal_yget_double(petal_ydoc *d, yaml_node_t *n, const char *what, double *out);
petal_status petal_yget_bool(petal_ydoc *d, yaml_node_t *n, const char *what, bool *out);
/* Copy a scalar into buf (truncation is an error). */
petal_status petal_yget_str(petal_ydoc *d, yaml_node_t *n, const char *what, char *buf,
                            size_t size);
/* Copy a scalar into a name field whose size is the limit called `limit`
 * (pass the three with PETAL_NAME_FIELD); a longer name fails with
 * "path:line:col: <what> 'xxx...' is 90 characters; petal keeps at most
 * PETAL_NAME_MAX - 1 = 63". */
petal_status petal_yget_name(petal_ydoc *d, yaml_node_t *n, const char *what, char *buf,
                             size_t size, const char *limit);
/* Put "path:line:col: " (or "path: " when n is NULL) in front of the current
 * error message and return status. */
int petal_yprefix(petal_ydoc *d, const yaml_node_t *n, petal_status status);

/* Check that every key of `map` is in the NULL-terminated list `known`; warn
 * (with position) about the others. Returns the number of unknown keys. */
int petal_ywarn_unknown_keys(petal_ydoc *d, yaml_node_t *map, const char *const *known,
                             const char *where);

/* Iterate: for (yaml_node_item_t *it = seq->data.sequence.items.start; it < ...top; it++)
 *            yaml_node_t *item = petal_ynode(d, *it);
 *          for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < ...top; pr++) */
#define PETAL_YSEQ_EACH(d, seq, ivar)                                                              \
    for (yaml_node_item_t *ivar##_it = (seq)->data.sequence.items.start;                           \
         ivar##_it < (seq)->data.sequence.items.top && ((ivar) = petal_ynode((d), *ivar##_it));    \
         ivar##_it++)
#define PETAL_YMAP_EACH(d, map, kvar, vvar)                                                       \
    for (yaml_node_pair_t *kvar##_pr = (map)->data.mapping.pairs.start;                            \
         kvar##_pr < (map)->data.mapping.pairs.top &&                                              \
         ((kvar) = petal_ynode((d), kvar##_pr->key)) &&                                            \
         ((vvar) = petal_ynode((d), kvar##_pr->value));                                            \
         kvar##_pr++)

#endif
