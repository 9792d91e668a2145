/* model/forward.h - neighbour forwarding (systolic arrays) in the model
 * (library-internal): the chains a forwarded data space forms among a
 * fan-out's children. docs/systolic.md, "Neighbour forwarding", states the
 * rules in words. */
#ifndef PETAL_MODEL_FORWARD_H
#define PETAL_MODEL_FORWARD_H

#include <stdbool.h>
#include <stdint.h>

#include "petal/arch.h"
#include "petal/problem.h"

#include "model/reuse.h"

/* The chains among the children of one instance of a level. */
typedef struct forward_chains {
    uint64_t chains;  /* chains: each takes a word from the level's network once */
    uint64_t hops;    /* neighbour links of all chains, first to last member */
    uint64_t longest; /* links of the longest chain */
} forward_chains;

/* The chains data space s forms below level l when forwarded along `axis`:
 * children on one line along the axis whose tiles coincide form a chain from
 * the first to the last of them. False when the scratch memory for a wide
 * fan-out could not be allocated. */
bool forward_chains_count(const reuse_nest *n, const petal_problem *p, int l, int s,
                          petal_forward axis, forward_chains *out);

#endif
