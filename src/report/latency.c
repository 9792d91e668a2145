/* latency.c - the bound that set a result's cycles and every other bound's
 * slack, as text and JSON (docs/latency.md); the numbers are the model's. */
#include <inttypes.h>

#include "report/latency.h"

static const char *kind_name(petal_bound_kind k)
{
    return k == PETAL_BOUND_READ         ? "read"
           : k == PETAL_BOUND_WRITE      ? "write"
           : k == PETAL_BOUND_NETWORK    ? "network"
           : k == PETAL_BOUND_FILL_DRAIN ? "fill/drain"
                                         : "compute";
}

void report_bound_name(const petal_arch *a, const petal_bound *b, char *buf, size_t size)
{
    if (b->kind == PETAL_BOUND_FILL_DRAIN) /* one for the layer; `level` adds the most */
        snprintf(buf, size, "fill/drain");
    else if (b->kind == PETAL_BOUND_COMPUTE || b->level < 0)
        snprintf(buf, size, "compute");
    else if (b->kind == PETAL_BOUND_NETWORK) /* one per data space: "glb Inputs network" */
        snprintf(buf, size, "%s %s network", a->levels[b->level].name,
                 petal_ds_canonical_name(b->ds));
    else
        snprintf(buf, size, "%s %s", a->levels[b->level].name, kind_name(b->kind));
}

/* The bound with the least slack other than the limiting one, or -1. */
static int runner_up(const petal_model_result *r)
{
    int best = -1;
    for (int i = 0; i < r->nbounds; i++)
        if (i != r->limited_by && (best < 0 || r->bounds[i].slack < r->bounds[best].slack))
            best = i;
    return best;
}

void report_latency_text(FILE *out, const char *prefix, const petal_problem *p, const petal_arch *a,
                         const petal_model_result *r)
{
    if (!r->nbounds)
        return;
    const petal_bound *lim = &r->bounds[r->limited_by];
    char name[PETAL_NAME_MAX + 16];
    report_bound_name(a, lim, name, sizeof name);
    fprintf(out, "%slimited by %s", prefix, name);
    if (lim->ds >= 0 && lim->kind != PETAL_BOUND_NETWORK)
        fprintf(out, " (%s most)", p->ds[lim->ds].name);
    fprintf(out, ", %" PRIu64 " cycles", lim->cycles);
    if (r->nbounds > 1)
        fprintf(out, "; slack:");
    const char *sep = " ";
    for (int i = 0; i < r->nbounds; i++) {
        if (i == r->limited_by)
            continue;
        report_bound_name(a, &r->bounds[i], name, sizeof name);
        fprintf(out, "%s%s %" PRIu64, sep, name, r->bounds[i].slack);
        sep = ", ";
    }
    fprintf(out, "\n");
}

void report_latency_cell(const petal_arch *a, const petal_model_result *r, char *buf, size_t size)
{
    if (!r->nbounds) {
        snprintf(buf, size, "-");
        return;
    }
    char lim[PETAL_NAME_MAX + 16], next[PETAL_NAME_MAX + 16];
    report_bound_name(a, &r->bounds[r->limited_by], lim, sizeof lim);
    int n = runner_up(r);
    if (n < 0 || r->cycles == 0) {
        snprintf(buf, size, "%s", lim);
        return;
    }
    report_bound_name(a, &r->bounds[n], next, sizeof next);
    snprintf(buf, size, "%s (%s %.0f%%)", lim, next,
             100.0 * (double)r->bounds[n].cycles / (double)r->cycles);
}

void report_latency_json(jw *w, const petal_problem *p, const petal_arch *a,
                         const petal_model_result *r)
{
    char name[PETAL_NAME_MAX + 16];
    jw_key(w, "limited_by");
    if (!r->nbounds) {
        jw_null(w);
    } else {
        report_bound_name(a, &r->bounds[r->limited_by], name, sizeof name);
        jw_string(w, name);
    }
    jw_key(w, "bounds");
    jw_array(w);
    for (int i = 0; i < r->nbounds; i++) {
        const petal_bound *b = &r->bounds[i];
        jw_object(w);
        report_bound_name(a, b, name, sizeof name);
        jw_key(w, "bound");
        jw_string(w, name);
        jw_key(w, "kind");
        jw_string(w, kind_name(b->kind));
        jw_key(w, "level");
        if (b->level >= 0)
            jw_string(w, a->levels[b->level].name);
        else
            jw_null(w);
        jw_key(w, "data_space");
        if (b->ds >= 0)
            jw_string(w, p->ds[b->ds].name);
        else
            jw_null(w);
        jw_key(w, "words");
        jw_u64(w, b->words);
        jw_key(w, "cycles");
        jw_u64(w, b->cycles);
        jw_key(w, "slack");
        jw_u64(w, b->slack);
        jw_end(w);
    }
    jw_end(w);
}
