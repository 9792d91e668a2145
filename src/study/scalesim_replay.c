/* scalesim_replay.c - SCALE-Sim v2's DRAM reads of an input operand when its
 * buffer fetches words again: the operand's SRAM reads replayed in the order
 * SCALE-Sim's demand matrices issue them, through its read buffer's prefetch
 * sets (docs/systolic.md, "DRAM"). Work and memory are bounded; beyond the
 * bounds the count is left out, never estimated. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "study/scalesim_internal.h"
#include "util/error.h"

/* SCALE-Sim's read buffer in CALC mode: words enter sets of `items`; the
 * sets from `start` up to the current one (at most 50 closed ones) hit;
 * once 50 sets have filled, the window moves past them all. */
typedef struct read_buffer {
    int32_t *set_of; /* per address: the set it last entered, or -1 */
    int64_t current, start, fill, items;
    uint64_t fetched;
} read_buffer;

static void request(read_buffer *b, uint64_t addr)
{
    int64_t s = b->set_of[addr];
    if (s == b->current)
        return;                  /* in the set being filled */
    int64_t end = b->start + 50; /* one past the window's last set */
    if (s >= b->start && s < (b->current < end ? b->current : end))
        return; /* a hit */
    b->set_of[addr] = (int32_t)b->current;
    b->fetched++;
    if (++b->fill == b->items) {
        b->fill = 0;
        if (++b->current == end)
            b->start = end;
    }
}

/* The address of ifmap matrix entry (m, k), or UINT64_MAX for an entry of a
 * window overhanging the input. */
static uint64_t ifmap_addr(const petal_scalesim_layer *l, uint64_t ofmap_w, uint64_t m, uint64_t k)
{
    uint64_t row = m / ofmap_w * l->stride_h, col = m % ofmap_w * l->stride_w;
    uint64_t c_row = k / (l->filter_w * l->channels), rest = k % (l->filter_w * l->channels);
    uint64_t c_col = rest / l->channels, ch = rest % l->channels;
    if (row + c_row >= l->ifmap_h || col + c_col >= l->ifmap_w)
        return UINT64_MAX;
    return ((row + c_row) * l->ifmap_w + col + c_col) * l->channels + ch;
}

typedef struct operand {
    bool ifmap; /* else the filter */
    const petal_scalesim_layer *l;
    uint64_t ofmap_w, k;
} operand;

/* Entry (i, j) of the ifmap (M x K) or the filter (K x N) matrix. */
static void entry(read_buffer *b, const operand *o, uint64_t i, uint64_t j)
{
    uint64_t addr = o->ifmap ? ifmap_addr(o->l, o->ofmap_w, i, j) : j * o->k + i;
    if (addr != UINT64_MAX)
        request(b, addr);
}

/* A streamed operand, skewed: column j of a fold (j < used) carries vector
 * `first + j` over T steps; SCALE-Sim issues anti-diagonal after
 * anti-diagonal, each from column 0 up. `vector_is_row` says whether the
 * vector index is the matrix's row (then the step is its column). */
static void streamed(read_buffer *b, const operand *o, uint64_t first, uint64_t used, uint64_t t,
                     bool vector_is_row)
{
    for (uint64_t d = 0; d + 1 < t + used; d++) {
        uint64_t j0 = d >= t ? d - t + 1 : 0, j1 = d < used - 1 ? d : used - 1;
        for (uint64_t j = j0; j <= j1; j++) {
            uint64_t step = d - j;
            if (vector_is_row)
                entry(b, o, first + j, step);
            else
                entry(b, o, step, first + j);
        }
    }
}

/* A stationary operand: the fold's R x C block of an Sr x Sc matrix, rows
 * from the last to the first, each from column 0 up. `transposed` when the
 * block is of the operand matrix's transpose. */
static void stationary(read_buffer *b, const operand *o, uint64_t r0, uint64_t rows, uint64_t c0,
                       uint64_t cols, bool transposed)
{
    for (uint64_t r = rows; r-- > 0;)
        for (uint64_t j = 0; j < cols; j++) {
            if (transposed)
                entry(b, o, c0 + j, r0 + r);
            else
                entry(b, o, r0 + r, c0 + j);
        }
}

petal_status scalesim_replay_reads(const petal_scalesim_config *c, const petal_scalesim_layer *l,
                                   const petal_scalesim_result_layer *r, bool ifmap,
                                   uint64_t *fetched, bool *done)
{
    *done = false;
    uint64_t reads = ifmap ? r->sram_ifmap_reads : r->sram_filter_reads, space;
    uint64_t kb = ifmap ? c->ifmap_sram_kb : c->filter_sram_kb;
    if (ifmap ? __builtin_mul_overflow(l->ifmap_h, l->ifmap_w, &space) ||
                    __builtin_mul_overflow(space, l->channels, &space)
              : __builtin_mul_overflow(r->k, r->n, &space))
        return PETAL_OK;
    if (reads > SCALESIM_REPLAY_MAX_READS || space > SCALESIM_REPLAY_MAX_WORDS ||
        kb * 1024 / 100 == 0)
        return PETAL_OK;
    read_buffer b = {.items = (int64_t)(kb * 1024 / 100)};
    b.set_of = malloc(space * sizeof *b.set_of);
    if (!b.set_of)
        return petal_error_set(PETAL_ENOMEM, "layer %s: out of memory replaying SCALE-Sim's reads",
                               l->name);
    for (uint64_t i = 0; i < space; i++)
        b.set_of[i] = -1;
    operand o = {.ifmap = ifmap, .l = l, .ofmap_w = r->ofmap_w, .k = r->k};
    uint64_t R = c->array_rows, C = c->array_cols;
    /* Spatial rows and columns of the fold; SCALE-Sim runs column folds outside. */
    uint64_t sr = c->dataflow == PETAL_SCALESIM_OS ? r->m : r->k;
    uint64_t sc = c->dataflow == PETAL_SCALESIM_IS ? r->m : r->n;
    for (uint64_t fc = 0; fc < r->col_folds; fc++)
        for (uint64_t fr = 0; fr < r->row_folds; fr++) {
            uint64_t r0 = fr * R, c0 = fc * C;
            uint64_t rows = sr - r0 < R ? sr - r0 : R, cols = sc - c0 < C ? sc - c0 : C;
            switch (c->dataflow) {
            case PETAL_SCALESIM_OS: /* ifmap rows down the array, filter columns across */
                if (ifmap)
                    streamed(&b, &o, r0, rows, r->k, true);
                else
                    streamed(&b, &o, c0, cols, r->k, false);
                break;
            case PETAL_SCALESIM_WS: /* the filter block stays; ifmap columns stream */
                if (ifmap)
                    streamed(&b, &o, r0, rows, r->m, false);
                else
                    stationary(&b, &o, r0, rows, c0, cols, false);
                break;
            default: /* is: the ifmap block (of its transpose) stays; filter rows stream */
                if (ifmap)
                    stationary(&b, &o, r0, rows, c0, cols, true);
                else
                    streamed(&b, &o, r0, rows, r->n, true);
                break;
            }
        }
    free(b.set_of);
    *fetched = b.fetched;
    *done = true;
    return PETAL_OK;
}

/* SCALE-Sim's ofmap write buffer in CALC mode: words enter lines of C; when
 * less than the active half is free and no drain is running, the line being
 * filled is closed (padded) and the next ceil(drain / C) lines drain at one
 * line per cycle, counted whole but for the padding of their last line. A
 * word arriving while a drain runs and nothing is free waits for its end. */
typedef struct write_buffer {
    int64_t free, active, drain_words, line_words;
    int64_t line_fill;                                       /* words in the line being filled */
    uint64_t lines, drained;                                 /* lines closed; lines drained */
    uint64_t *partial, npartial, first_partial, cap_partial; /* closed short lines: index */
    uint32_t *partial_fill;                                  /* and their words */
    int64_t drain_end;                                       /* cycle the running drain ends */
    uint64_t written;                                        /* DRAM writes */
    bool failed; /* a case SCALE-Sim itself cannot run */
} write_buffer;

static bool close_line(write_buffer *w)
{
    if (w->line_fill < w->line_words) {
        if (w->npartial == w->cap_partial) {
            uint64_t cap = w->cap_partial ? 2 * w->cap_partial : 64;
            uint64_t *p = realloc(w->partial, cap * sizeof *p);
            if (p)
                w->partial = p;
            uint32_t *f = p ? realloc(w->partial_fill, cap * sizeof *f) : NULL;
            if (f)
                w->partial_fill = f;
            if (!p || !f)
                return false;
            w->cap_partial = cap;
        }
        w->partial[w->npartial] = w->lines;
        w->partial_fill[w->npartial++] = (uint32_t)w->line_fill;
    }
    w->lines++;
    w->line_fill = 0;
    return true;
}

/* Drain from cycle `start`; returns the cycle of its last line. */
static int64_t drain(write_buffer *w, int64_t start)
{
    uint64_t want = (uint64_t)((w->drain_words + w->line_words - 1) / w->line_words);
    uint64_t end = w->drained + want < w->lines ? w->drained + want : w->lines;
    uint64_t lines = end - w->drained;
    if (!lines) {
        w->failed = true; /* SCALE-Sim would index an empty drain */
        return start;
    }
    int64_t words = (int64_t)lines * w->line_words;
    while (w->first_partial < w->npartial && w->partial[w->first_partial] < end) {
        if (w->partial[w->first_partial] == end - 1)
            words -= w->line_words - w->partial_fill[w->first_partial];
        w->first_partial++;
    }
    w->written += (uint64_t)words;
    w->free += words;
    w->drained = end;
    return start + (int64_t)lines - 1;
}

/* Valid ofmap writes in row i of a fold's demand: data row q = i - c - prefix
 * of column c < cols must lie in [qlo, qhi). */
static uint64_t row_writes(int64_t i, int64_t prefix, int64_t qlo, int64_t qhi, int64_t cols)
{
    int64_t lo = i - prefix - qhi + 1, hi = i - prefix - qlo;
    if (lo < 0)
        lo = 0;
    if (hi > cols - 1)
        hi = cols - 1;
    return hi >= lo ? (uint64_t)(hi - lo + 1) : 0;
}

petal_status scalesim_replay_writes(const petal_scalesim_config *c,
                                    const petal_scalesim_result_layer *r, uint64_t *written,
                                    uint64_t *stalls, bool *done)
{
    *done = false;
    /* Rows of the demand: one per cycle (total_cycles has no stalls yet). */
    if (r->sram_ofmap_writes > SCALESIM_REPLAY_MAX_READS ||
        r->total_cycles >= SCALESIM_REPLAY_MAX_READS || c->ofmap_sram_kb > (UINT64_C(1) << 40))
        return PETAL_OK;
    int64_t R = (int64_t)c->array_rows, C = (int64_t)c->array_cols;
    int64_t total = (int64_t)c->ofmap_sram_kb * 1024, active = total / 2 + total % 2;
    write_buffer w = {
        .free = total, .active = active, .drain_words = total - active, .line_words = C};
    bool os = c->dataflow == PETAL_SCALESIM_OS;
    int64_t t = (int64_t)(c->dataflow == PETAL_SCALESIM_OS   ? r->k
                          : c->dataflow == PETAL_SCALESIM_WS ? r->m
                                                             : r->n);
    int64_t fold_len = (os ? R + C - 2 : 2 * R + C - 2) + t;
    uint64_t sr = os ? r->m : r->k, sc = c->dataflow == PETAL_SCALESIM_IS ? r->m : r->n;
    int64_t row = 0, stall = 0, last = 0;
    for (uint64_t fc = 0; fc < r->col_folds && !w.failed; fc++)
        for (uint64_t fr = 0; fr < r->row_folds && !w.failed; fr++) {
            int64_t rows_used =
                (int64_t)(sr - fr * (uint64_t)R < (uint64_t)R ? sr - fr * (uint64_t)R
                                                              : (uint64_t)R);
            int64_t cols = (int64_t)(sc - fc * (uint64_t)C < (uint64_t)C ? sc - fc * (uint64_t)C
                                                                         : (uint64_t)C);
            /* os: the R x C block, rows flipped, after T - 1 empty rows; ws and
             * is: T rows of outputs after 2R - 1 empty ones. */
            int64_t prefix = os ? t - 1 : 2 * R - 1, qlo = os ? R - rows_used : 0, qhi = os ? R : t;
            for (int64_t i = 0; i < fold_len && !w.failed; i++, row++) {
                int64_t current = row + stall, offset = 0;
                uint64_t n = row_writes(i, prefix, qlo, qhi, cols);
                for (uint64_t e = 0; e < n; e++) {
                    w.line_fill++;
                    w.free--;
                    if (w.line_fill == w.line_words && !close_line(&w))
                        goto nomem;
                    if (current < w.drain_end) {
                        if (w.free <= 0) {
                            offset += w.drain_end - current;
                            current = w.drain_end;
                        }
                    } else if (w.free < w.active) {
                        if (w.line_fill && !close_line(&w))
                            goto nomem;
                        w.drain_end = drain(&w, current);
                    }
                }
                stall += offset;
                last = current;
            }
        }
    /* After the last row: everything left drains, one chunk after another. */
    if (w.line_fill && !close_line(&w))
        goto nomem;
    for (int64_t cycle = last; w.drained < w.lines && !w.failed;)
        cycle = drain(&w, cycle) + 1;
    free(w.partial);
    free(w.partial_fill);
    if (!w.failed) {
        *written = w.written;
        *stalls = (uint64_t)stall;
        *done = true;
    }
    return PETAL_OK;
nomem:
    free(w.partial);
    free(w.partial_fill);
    return petal_error_set(PETAL_ENOMEM, "layer %s: out of memory replaying SCALE-Sim's writes",
                           r->name);
}
