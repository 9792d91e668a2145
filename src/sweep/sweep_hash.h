/* sweep_hash.h - the FNV-1a hash that fingerprints a sweep's spec and the files
 * it names, so that a resumed output is refused when any of them has changed. */
#ifndef PETAL_SWEEP_HASH_H
#define PETAL_SWEEP_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "petal/error.h"

#define SWEEP_HASH_START 0xcbf29ce484222325ULL

/* Fold n bytes into the hash h. */
uint64_t sweep_hash_bytes(uint64_t h, const void *bytes, size_t n);

/* Fold a file's bytes into *h; PETAL_EIO naming the file when it cannot be read. */
petal_status sweep_hash_file(const char *path, uint64_t *h);

#endif
