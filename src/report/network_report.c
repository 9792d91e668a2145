/* network_report.c - a network's layer table in text, JSON and CSV. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "formats/csv/csvw.h"
#include "formats/json/jsonw.h"
#include "petal/report.h"
#include "report/report_json.h"

/* "N1 M64 C3 P55 Q55 R11 S11" */
static void format_dims(char *buf, size_t size, const petal_problem *p)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int d = 0; d < p->ndims && used < size; d++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s%" PRIu64, d ? " " : "",
                                 p->dim_names[d], p->bounds[d]);
}

/* "W8 I8 O16 P24" (f after a floating-point width); "-" when none is given. */
static void format_precision(char *buf, size_t size, const petal_precision *pr)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i <= PETAL_PRECISION_PSUMS && used < size; i++)
        if (pr->bits[i])
            used +=
                (size_t)snprintf(buf + used, size - used, "%s%c%u%s", used ? " " : "", "WIOP"[i],
                                 pr -> bits[i], pr -> float_mask &(1u << i) ? "f" : "");
    if (!used)
        snprintf(buf, size, "-");
}

/* "W=0.35 I=hypergeometric:0.6" (a plain number is fixed_structured, as the
 * parser reads it), or "-" for a dense layer. */
static void format_density(char *buf, size_t size, const petal_problem *p)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int ds = 0; ds < PETAL_NUM_DS && used < size; ds++) {
        const petal_density *d = &p->density[ds];
        if (d->kind == PETAL_DENSITY_DENSE)
            continue;
        const char *sep = used ? " " : "";
        char c = "WIO"[ds];
        if (d->kind == PETAL_DENSITY_FIXED_STRUCTURED)
            used += (size_t)snprintf(buf + used, size - used, "%s%c=%.6g", sep, c, d->density);
        else if (d->kind == PETAL_DENSITY_BANDED)
            used += (size_t)snprintf(buf + used, size - used, "%s%c=banded(width %llu)", sep, c,
                                     (unsigned long long)d->band_width);
        else
            used += (size_t)snprintf(buf + used, size - used, "%s%c=%s:%.6g", sep, c,
                                     petal_density_kind_name(d->kind), d->density);
    }
    if (!used)
        snprintf(buf, size, "-");
}

static bool any_density(const petal_network *net)
{
    for (size_t i = 0; i < net->nlayers; i++)
        if (petal_problem_has_density(&net->layers[i]))
            return true;
    return false;
}

/* Expected non-zero MACs and weights of the whole network (NaN when a
 * layer is banded on a data space that is not a matrix). */
static void nonzero_totals(const petal_network *net, double *macs, double *weights)
{
    *macs = *weights = 0;
    for (size_t i = 0; i < net->nlayers; i++) {
        *macs += petal_problem_nonzero_macs(&net->layers[i]);
        *weights += petal_problem_nonzero_weights(&net->layers[i]);
    }
}

void report_json_number_or_null(jw *w, const char *key, double v)
{
    jw_key(w, key);
    if (isfinite(v))
        jw_double(w, v);
    else
        jw_null(w);
}

void report_json_density(jw *w, const petal_problem *p)
{
    if (!petal_problem_has_density(p))
        return;
    jw_key(w, "density");
    jw_object(w);
    for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
        const petal_density *d = &p->density[ds];
        if (d->kind == PETAL_DENSITY_DENSE)
            continue;
        jw_key(w, petal_precision_name(ds));
        jw_object(w);
        jw_key(w, "distribution");
        jw_string(w, petal_density_kind_name(d->kind));
        /* A band's density is its matrix's share of non-zeros. */
        report_json_number_or_null(w, "density", petal_problem_density_fraction(p, ds));
        if (d->kind == PETAL_DENSITY_BANDED) {
            jw_key(w, "band_width");
            jw_u64(w, d->band_width);
        }
        jw_end(w);
    }
    jw_end(w);
}

static bool any_precision(const petal_network *net)
{
    for (size_t i = 0; i < net->nlayers; i++)
        if (petal_precision_any(&net->layers[i].precision))
            return true;
    return false;
}

static void report_json(FILE *out, const petal_network *net, const petal_network_totals *t)
{
    jw w;
    jw_init(&w, out, true);
    jw_object(&w);
    jw_key(&w, "name");
    jw_string(&w, net->name);
    jw_key(&w, "batch");
    jw_u64(&w, net->batch);
    jw_key(&w, "layers");
    jw_array(&w);
    for (size_t i = 0; i < net->nlayers; i++) {
        const petal_problem *p = &net->layers[i];
        jw_object(&w);
        jw_key(&w, "name");
        jw_string(&w, p->name);
        jw_key(&w, "kind");
        jw_string(&w, petal_layer_kind_name(p->kind));
        jw_key(&w, "dims");
        jw_object(&w);
        for (int d = 0; d < p->ndims; d++) {
            jw_key(&w, p->dim_names[d]);
            jw_u64(&w, p->bounds[d]);
        }
        jw_end(&w);
        jw_key(&w, "macs");
        jw_u64(&w, petal_problem_macs(p));
        jw_key(&w, "weights");
        jw_u64(&w, petal_problem_weights(p));
        jw_key(&w, "inputs");
        jw_u64(&w, petal_problem_input_words(p));
        jw_key(&w, "outputs");
        jw_u64(&w, petal_problem_output_words(p));
        if (petal_precision_any(&p->precision)) { /* docs/precision.md */
            jw_key(&w, "precision");
            jw_object(&w);
            for (int k = 0; k <= PETAL_PRECISION_PSUMS; k++)
                if (p->precision.bits[k]) {
                    jw_key(&w, petal_precision_name(k));
                    jw_u64(&w, p->precision.bits[k]);
                }
            jw_key(&w, "float");
            jw_array(&w);
            for (int k = 0; k <= PETAL_PRECISION_PSUMS; k++)
                if (p->precision.float_mask & (1u << k))
                    jw_string(&w, petal_precision_name(k));
            jw_end(&w);
            jw_end(&w);
        }
        if (petal_problem_has_density(p)) { /* docs/densities.md */
            report_json_density(&w, p);
            report_json_number_or_null(&w, "nonzero_macs", petal_problem_nonzero_macs(p));
            report_json_number_or_null(&w, "nonzero_weights", petal_problem_nonzero_weights(p));
        }
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "totals");
    jw_object(&w);
    jw_key(&w, "macs");
    jw_u64(&w, t->macs);
    jw_key(&w, "weights");
    jw_u64(&w, t->weights);
    jw_key(&w, "layers");
    jw_u64(&w, t->layers);
    if (any_density(net)) {
        double macs, weights;
        nonzero_totals(net, &macs, &weights);
        report_json_number_or_null(&w, "nonzero_macs", macs);
        report_json_number_or_null(&w, "nonzero_weights", weights);
    }
    jw_end(&w);
    jw_finish(&w);
}

static void report_csv(FILE *out, const petal_network *net)
{
    fprintf(out, "index,name,kind,dims,macs,weights,inputs,outputs\n");
    for (size_t i = 0; i < net->nlayers; i++) {
        const petal_problem *p = &net->layers[i];
        char dims[256];
        format_dims(dims, sizeof dims, p);
        fprintf(out, "%zu,", i);
        csv_field(out, p->name);
        fprintf(out, ",%s,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n",
                petal_layer_kind_name(p->kind), dims, petal_problem_macs(p),
                petal_problem_weights(p), petal_problem_input_words(p),
                petal_problem_output_words(p));
    }
}

static void report_text(FILE *out, const petal_network *net, const petal_network_totals *t)
{
    fprintf(out, "network %s, batch %" PRIu64 ", %zu layers\n\n", net->name, net->batch,
            net->nlayers);
    /* Widths, when any layer gives them: W(eights) I(nputs) O(utputs) P(sums). */
    bool widths = any_precision(net), densities = any_density(net);
    fprintf(out, "%4s  %-22s %-7s %-40s %15s %12s %12s %12s%s%s\n", "#", "layer", "kind",
            "dimensions", "MACs", "weights", "inputs", "outputs", widths ? "  precision" : "",
            densities ? "  density" : "");
    for (size_t i = 0; i < net->nlayers; i++) {
        const petal_problem *p = &net->layers[i];
        char dims[256], prec[48] = "", dens[160] = "";
        format_dims(dims, sizeof dims, p);
        if (widths) {
            char bits[40];
            format_precision(bits, sizeof bits, &p->precision);
            /* Padded only when the density column follows. */
            snprintf(prec, sizeof prec, "  %-*s", densities ? 12 : 0, bits);
        }
        if (densities) {
            char text[150];
            format_density(text, sizeof text, p);
            snprintf(dens, sizeof dens, "  %s", text);
        }
        fprintf(out,
                "%4zu  %-22s %-7s %-40s %15" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64
                "%s%s\n",
                i, p->name, petal_layer_kind_name(p->kind), dims, petal_problem_macs(p),
                petal_problem_weights(p), petal_problem_input_words(p),
                petal_problem_output_words(p), prec, dens);
    }
    fprintf(out, "\ntotal: %" PRIu64 " MACs, %" PRIu64 " weights, %" PRIu64 " layers\n", t->macs,
            t->weights, t->layers);
    if (densities) {
        double macs, weights;
        nonzero_totals(net, &macs, &weights);
        if (isfinite(macs))
            fprintf(out,
                    "non-zero (expected): %.0f MACs (a MAC whose weight and input are both "
                    "non-zero: MACs x density of Weights x density of Inputs), %.0f weights\n",
                    macs, weights);
        else
            fprintf(out, "non-zero MACs: not known (a banded data space that is not a "
                         "matrix)\n");
    }
}

petal_status petal_report_network(FILE *out, const petal_network *net, petal_report_format fmt)
{
    petal_network_totals totals;
    petal_status st = petal_network_totals_get(net, &totals);
    if (st)
        return st;
    switch (fmt) {
    case PETAL_REPORT_JSON:
    case PETAL_REPORT_JSON_TIMINGS:
        report_json(out, net, &totals);
        break;
    case PETAL_REPORT_CSV:
        report_csv(out, net);
        break;
    case PETAL_REPORT_TEXT:
        report_text(out, net, &totals);
        break;
    }
    return PETAL_OK;
}
