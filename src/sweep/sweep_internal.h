/* sweep_internal.h - what the sweep's files share with each other and with the
 * sweep's HTML page (src/report/sweep_report.c): the FNV-1a hash that
 * fingerprints a spec and the files it names, a parameter's value as the CSV
 * writes it, and the scatter of energy against latency. */
#ifndef PETAL_SWEEP_INTERNAL_H
#define PETAL_SWEEP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "petal/error.h"
#include "petal/sweep.h"

#define SWEEP_HASH_START 0xcbf29ce484222325ULL

/* Fold n bytes into the hash h. */
uint64_t sweep_hash_bytes(uint64_t h, const void *bytes, size_t n);

/* Fold a file's bytes into *h; PETAL_EIO naming the file when it cannot be read. */
petal_status sweep_hash_file(const char *path, uint64_t *h);

/* Parameter p's value number `choice` (value) as its CSV column gives it, CSV
 * quoting included when `quote`. */
void sweep_value_text(FILE *out, const petal_sweep_param *p, size_t choice, double value,
                      bool quote);

/* petal_sweep_svg's scatter; with an id, as one inline <svg> element for a page
 * (svg_write_scatters_inline), each point with its row number (data-row: its
 * index in rows) and a tooltip naming its point and parameters. */
void sweep_scatter(FILE *out, const petal_sweep_spec *s, const petal_sweep_row *rows, size_t nrows,
                   const char *id);

#endif
