/* order.c - loop orders of one level up to equivalence of accesses (the rules
 * are in order.h): every permutation is given a signature per data space, and
 * one permutation per distinct signature is kept. */
#include "mapper/order.h"

#include <stdlib.h>
#include <string.h>

#define SIG_MAX 256

enum { TOK_IRRELEVANT = 1, TOK_SLIDE, TOK_FULL, TOK_ALL_IRRELEVANT, TOK_SPACE };

static bool has(uint8_t mask, int d)
{
    return (mask >> d) & 1u;
}

/* Append what data space ds, from a keeper in `state`, sees of seq. */
static int signature_ds(const mapspace *ms, int ds, uint8_t state, const uint8_t *seq, int n,
                        uint8_t *out, int k)
{
    uint8_t rel = ms->relevant[ds], sl = ms->sliding[ds];
    int i = 0;
    if (state == ORDER_UNBROKEN) {
        uint8_t irr = 0;
        while (i < n && !has(rel, seq[i]))
            irr |= (uint8_t)(1u << seq[i++]);
        out[k++] = TOK_IRRELEVANT;
        out[k++] = irr;
        if (i == n) {
            out[k++] = TOK_ALL_IRRELEVANT;
            out[k++] = 0;
            return k;
        }
        if (!has(sl, seq[i])) {
            out[k++] = TOK_FULL;
            out[k++] = 0;
            return k;
        }
        out[k++] = TOK_SLIDE;
        out[k++] = seq[i++];
    }
    while (i < n) {
        if (!has(rel, seq[i])) {
            uint8_t irr = 0;
            while (i < n && !has(rel, seq[i]))
                irr |= (uint8_t)(1u << seq[i++]);
            out[k++] = TOK_IRRELEVANT;
            out[k++] = irr;
        } else if (has(sl, seq[i])) {
            out[k++] = TOK_SLIDE;
            out[k++] = seq[i++];
        } else {
            out[k++] = TOK_FULL;
            out[k++] = 0;
            return k;
        }
    }
    return k;
}

static int signature(const mapspace *ms, const order_ctx *ctx, const uint8_t *seq, int n,
                     uint8_t *out)
{
    int k = 0;
    for (int ds = 0; ds < PETAL_NUM_DS; ds++)
        for (uint8_t st = ORDER_UNBROKEN; st <= ORDER_BROKEN_SLIDING; st <<= 1) {
            if (!(ctx->states[ds] & st))
                continue;
            out[k++] = TOK_SPACE;
            out[k++] = (uint8_t)(ds << 4 | st);
            k = signature_ds(ms, ds, st, seq, n, out, k);
        }
    return k;
}

uint8_t order_next_state(const mapspace *ms, int ds, uint8_t state, const uint8_t *seq, int n)
{
    uint8_t rel = ms->relevant[ds], sl = ms->sliding[ds];
    if (!state)
        return 0;
    for (int i = 0; i < n; i++) {
        if (!has(rel, seq[i]))
            continue;
        if (!has(sl, seq[i]))
            return 0;
        state = ORDER_BROKEN_SLIDING;
    }
    return state;
}

/* Whether seq (innermost first) meets the level's inner/outer constraints
 * restricted to the dims present. */
bool order_meets_constraints(const ms_level *lv, uint8_t mask, const uint8_t *seq, int n)
{
    int pos = 0;
    for (int j = 0; j < lv->n_inner; j++) {
        if (!has(mask, lv->inner[j]))
            continue;
        if (pos >= n || seq[pos] != lv->inner[j])
            return false;
        pos++;
    }
    pos = n - 1;
    for (int j = lv->n_outer - 1; j >= 0; j--) {
        if (!has(mask, lv->outer[j]))
            continue;
        if (pos < 0 || seq[pos] != lv->outer[j])
            return false;
        pos--;
    }
    return true;
}

static bool next_permutation(uint8_t *a, int n)
{
    int i = n - 2;
    while (i >= 0 && a[i] >= a[i + 1])
        i--;
    if (i < 0)
        return false;
    int j = n - 1;
    while (a[j] <= a[i])
        j--;
    uint8_t t = a[i];
    a[i] = a[j];
    a[j] = t;
    for (int l = i + 1, r = n - 1; l < r; l++, r--) {
        t = a[l];
        a[l] = a[r];
        a[r] = t;
    }
    return true;
}

static bool push(order_set *s, int *cap, const uint8_t *seq)
{
    if (s->count == *cap) {
        int ncap = *cap ? *cap * 2 : 16;
        void *grown = realloc(s->orders, (size_t)ncap * sizeof *s->orders);
        if (!grown)
            return false;
        s->orders = grown;
        *cap = ncap;
    }
    memset(s->orders[s->count], 0, sizeof s->orders[0]);
    memcpy(s->orders[s->count], seq, (size_t)s->n);
    s->count++;
    return true;
}

/* Open-addressing set of signatures. */
typedef struct sig_set {
    size_t cap, used;
    uint32_t *hash; /* 0 = empty slot */
    uint16_t *len;
    uint8_t (*bytes)[SIG_MAX];
} sig_set;

static uint32_t fnv(const uint8_t *b, int n)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h ? h : 1;
}

static bool sig_init(sig_set *s, size_t expect)
{
    s->cap = 16;
    while (s->cap < expect * 2)
        s->cap *= 2;
    s->used = 0;
    s->hash = calloc(s->cap, sizeof *s->hash);
    s->len = calloc(s->cap, sizeof *s->len);
    s->bytes = malloc(s->cap * sizeof *s->bytes);
    return s->hash && s->len && s->bytes;
}

static void sig_free(sig_set *s)
{
    free(s->hash);
    free(s->len);
    free(s->bytes);
}

/* Insert; true when it was not there yet. */
static bool sig_insert(sig_set *s, const uint8_t *b, int n)
{
    uint32_t h = fnv(b, n);
    size_t i = h & (s->cap - 1);
    while (s->hash[i]) {
        if (s->hash[i] == h && s->len[i] == n && memcmp(s->bytes[i], b, (size_t)n) == 0)
            return false;
        i = (i + 1) & (s->cap - 1);
    }
    s->hash[i] = h;
    s->len[i] = (uint16_t)n;
    memcpy(s->bytes[i], b, (size_t)n);
    s->used++;
    return true;
}

static int dims_of(uint8_t mask, uint8_t *seq)
{
    int n = 0;
    for (int d = 0; d < PETAL_MAX_DIMS; d++)
        if (has(mask, d))
            seq[n++] = (uint8_t)d;
    return n;
}

static size_t factorial(int n)
{
    size_t f = 1;
    for (int i = 2; i <= n; i++)
        f *= (size_t)i;
    return f;
}

bool order_classes(const mapspace *ms, const ms_level *lv, uint8_t mask, const order_ctx *ctx,
                   order_set *out)
{
    uint8_t seq[PETAL_MAX_DIMS];
    int n = dims_of(mask, seq);
    int cap = 0;
    memset(out, 0, sizeof *out);
    out->n = n;
    sig_set seen;
    if (!sig_init(&seen, factorial(n) < 4096 ? factorial(n) : 4096)) {
        sig_free(&seen);
        return false;
    }
    bool ok = true;
    do {
        if (!order_meets_constraints(lv, mask, seq, n))
            continue;
        uint8_t sig[SIG_MAX];
        int k = signature(ms, ctx, seq, n, sig);
        if (seen.used * 2 >= seen.cap) {
            /* Grow: rebuild a larger table from the kept orders' signatures. */
            sig_set bigger;
            if (!sig_init(&bigger, seen.cap)) {
                sig_free(&bigger);
                ok = false;
                break;
            }
            for (int i = 0; i < out->count; i++) {
                uint8_t s2[SIG_MAX];
                int k2 = signature(ms, ctx, out->orders[i], n, s2);
                sig_insert(&bigger, s2, k2);
            }
            sig_free(&seen);
            seen = bigger;
        }
        if (sig_insert(&seen, sig, k) && !push(out, &cap, seq)) {
            ok = false;
            break;
        }
    } while (next_permutation(seq, n));
    sig_free(&seen);
    if (!ok)
        order_set_free(out);
    return ok;
}

bool order_all(const ms_level *lv, uint8_t mask, order_set *out)
{
    uint8_t seq[PETAL_MAX_DIMS];
    int n = dims_of(mask, seq);
    int cap = 0;
    memset(out, 0, sizeof *out);
    out->n = n;
    do {
        if (order_meets_constraints(lv, mask, seq, n) && !push(out, &cap, seq)) {
            order_set_free(out);
            return false;
        }
    } while (next_permutation(seq, n));
    return true;
}

void order_set_free(order_set *s)
{
    free(s->orders);
    s->orders = NULL;
    s->count = 0;
}
