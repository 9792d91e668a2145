/* mapper/order.h - the loop orders of one level that give different accesses
 * (library-internal).
 *
 * A level's temporal loops matter to a data space only when it is kept below
 * the level: they decide how often that inner tile changes. Take the loops with
 * a factor above 1, innermost first, as one data space sees them, from a keeper
 * whose tile has not changed yet along its run of loops (state UNBROKEN):
 *   - loops the data space does not depend on, innermost, leave its tile in
 *     place: only their set matters, not their order;
 *   - the first loop it depends on changes the tile at every step. If that
 *     dimension indexes a coordinate alone (M, C, N for weights or outputs), the
 *     new tile never overlaps the old one, and every loop outside it refills the
 *     whole tile whatever their order: nothing further matters (BROKEN_FULL);
 *   - if it slides a window (P or R of an input row), consecutive tiles overlap,
 *     and what follows matters loop by loop (BROKEN_SLIDING) until a loop that
 *     indexes a coordinate alone, after which nothing matters; among the loops
 *     that follow, consecutive loops the data space does not depend on still
 *     count only as a set.
 * Two orders are equivalent when every data space kept below the level, from
 * each of the states its keepers are in, sees the same thing. One order per
 * class is enumerated: the first in lexicographic order that meets the level's
 * order constraints.
 */
#ifndef PETAL_MAPPER_ORDER_H
#define PETAL_MAPPER_ORDER_H

#include <stdint.h>

#include "mapper/mapspace.h"

enum {
    ORDER_UNBROKEN = 1,       /* the keeper's tile has not changed along its run yet */
    ORDER_BROKEN_SLIDING = 2, /* changed by a sliding loop only */
};

/* What a level's order is chosen against: per data space, the states (a mask
 * of ORDER_*) of its keepers below the level. A data space whose keepers are
 * all fully broken (or that has none) does not see the level's order. */
typedef struct order_ctx {
    uint8_t states[PETAL_NUM_DS];
} order_ctx;

/* A set of representative orders (innermost first, `n` dims each). */
typedef struct order_set {
    int count;
    int n; /* loops per order */
    uint8_t (*orders)[PETAL_MAX_DIMS];
} order_set;

/* Representative orders of the dimensions in `mask` (those with a factor above
 * 1 at level lv) under ctx, meeting lv's inner/outer order constraints. The
 * result is allocated; free it with order_set_free. count is 0 when the
 * constraints allow no order. Returns false on allocation failure. */
bool order_classes(const mapspace *ms, const ms_level *lv, uint8_t mask, const order_ctx *ctx,
                   order_set *out);
void order_set_free(order_set *s);

/* The state of a keeper after the loops `seq` (innermost first, n of them):
 * a mask of ORDER_* (0 = fully broken). */
uint8_t order_next_state(const mapspace *ms, int ds, uint8_t state, const uint8_t *seq, int n);

/* Whether seq (innermost first, n dims, those of `mask`) meets lv's
 * inner/outer order constraints restricted to the dims present. */
bool order_meets_constraints(const ms_level *lv, uint8_t mask, const uint8_t *seq, int n);

/* Every permutation of the dims in mask that meets lv's order constraints, in
 * lexicographic order (the unreduced set, for tests and brute force). */
bool order_all(const ms_level *lv, uint8_t mask, order_set *out);

#endif
