/* eyeriss_v1.c - the Eyeriss v1 chip (JSSC 2017) running AlexNet CONV1-5 at
 * batch 4 with its own row-stationary mapping, beside the published figures
 * (docs/eyeriss.md, shared/reference/eyeriss.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "formats/json/jsonw.h"
#include "petal/network.h"
#include "petal/study.h"
#include "formats/svg/svg.h"
#include "study/study_write.h"
#include "util/error.h"

#define BATCH 4
#define BYTES_PER_WORD 2.0 /* 16-bit fixed point throughout the chip */
#define MB 1e6

/* The chip's mapping parameters for AlexNet's CONV layers. They reproduce the
 * active PE counts the chip reports (154, 135, 156, 156, 156); the table itself
 * is recalled from the JSSC paper (see docs/eyeriss.md). m follows from the
 * buffer: the psums of m channels of one strip and one pass's ifmaps fill it. */
typedef struct chip_layer {
    const char *name;
    petal_rs_params rs;
    double ifmap_zeros; /* [U] fraction of zero ifmap values */
    petal_published processing_ms, active_pes, buffer_mb, dram_mb;
} chip_layer;

/* clang-format off */
static const chip_layer chip_layers[PETAL_EYERISS_LAYERS] = {
    /*          n  p   q  e   r  t  m */
    {"conv1", {1, 16, 1, 7,  1, 2, 96}, 0.0001, {16.5, 'U'}, {154, 'U'}, {18.5, 'U'}, {5.0, 'U'}},
    {"conv2", {1, 16, 2, 27, 1, 1, 64}, 0.387,  {39.2, 'U'}, {135, 'U'}, {77.6, 'U'}, {4.0, 'U'}},
    {"conv3", {4, 16, 4, 13, 1, 4, 64}, 0.725,  {21.8, 'U'}, {156, 'U'}, {50.2, 'U'}, {3.0, 'U'}},
    {"conv4", {4, 16, 3, 13, 2, 2, 64}, 0.793,  {16.0, 'U'}, {156, 'U'}, {37.4, 'U'}, {2.1, 'U'}},
    {"conv5", {4, 16, 3, 13, 2, 2, 64}, 0.776,  {10.0, 'U'}, {156, 'U'}, {24.9, 'U'}, {1.3, 'U'}},
};
/* clang-format on */

petal_status petal_eyeriss_alexnet_params(size_t index, petal_rs_params *out)
{
    if (index >= PETAL_EYERISS_LAYERS)
        return petal_error_set(PETAL_EINVAL, "eyeriss-v1: AlexNet has CONV layers 0 to %d",
                               PETAL_EYERISS_LAYERS - 1);
    *out = chip_layers[index].rs;
    return PETAL_OK;
}

static double words_mb(double words)
{
    return words * BYTES_PER_WORD / MB;
}

static petal_status study_layer(const petal_problem *layer, const petal_arch *chip,
                                const chip_layer *cl, double ofmap_zeros, petal_eyeriss_layer *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", layer->name);
    out->macs = petal_problem_macs(layer);
    out->rs = cl->rs;

    petal_rs_plan plan;
    petal_model_result results[PETAL_RS_MAX_SEGMENTS];
    petal_status st = petal_rs_plan_build(layer, chip, &cl->rs, &plan);
    if (!st)
        st = petal_rs_plan_eval(&plan, results);
    petal_rs_noc noc;
    petal_rs_noc_eyeriss_v1(chip, &noc);
    if (!st)
        st = petal_rs_timing_eval(&plan, results, &noc, &out->timing);
    if (st)
        return st;
    out->active_pes = plan.active_pes;
    out->fold = plan.fold;

    double clock = chip->clock_hz;
    double buffer = 0, dram_w = 0, dram_in = 0, dram_out = 0, energy = 0, model_cycles = 0;
    for (int i = 0; i < plan.nsegments; i++) {
        const petal_model_result *r = &results[i];
        const petal_level_stats *D = &r->levels[0], *G = &r->levels[1];
        for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
            double g =
                (double)G->ds[ds].reads + (double)G->ds[ds].fills + (double)G->ds[ds].updates;
            buffer += g;
            out->buffer_mb_by_ds[ds] += words_mb(g);
            out->dram_mb_by_ds[ds] += words_mb((double)D->ds[ds].reads + (double)D->ds[ds].updates);
        }
        dram_w += (double)D->ds[PETAL_DS_WEIGHTS].reads;
        dram_in += (double)D->ds[PETAL_DS_INPUTS].reads;
        dram_out += (double)D->ds[PETAL_DS_OUTPUTS].updates + (double)D->ds[PETAL_DS_OUTPUTS].reads;
        energy += r->energy_pj;
        model_cycles += (double)r->cycles;
    }
    out->ifmap_zeros = cl->ifmap_zeros;
    out->ofmap_zeros = ofmap_zeros;
    out->buffer_mb = words_mb(buffer);
    out->dram_mb = words_mb(dram_w + dram_in + dram_out);
    out->dram_rlc_mb = words_mb(dram_w + dram_in * petal_rlc_ratio(cl->ifmap_zeros) +
                                dram_out * petal_rlc_ratio(ofmap_zeros));
    out->energy_per_mac = out->macs ? energy / (double)out->macs : 0;
    out->processing_ms = out->timing.cycles / clock * 1e3;
    out->compute_ms = (double)out->macs / ((double)out->active_pes * clock) * 1e3;
    out->model_ms = model_cycles / clock * 1e3;
    out->pub_processing_ms = cl->processing_ms;
    out->pub_active_pes = cl->active_pes;
    out->pub_buffer_mb = cl->buffer_mb;
    out->pub_dram_mb = cl->dram_mb;
    return PETAL_OK;
}

petal_status petal_study_eyeriss_v1(petal_eyeriss_study *out)
{
    memset(out, 0, sizeof *out);
    petal_arch chip;
    petal_network net;
    petal_status st = petal_arch_preset("eyeriss-v1", &chip);
    if (st)
        return st;
    st = petal_zoo_build("alexnet-2012", &net);
    if (st)
        return st;
    st = petal_network_set_batch(&net, BATCH);
    snprintf(out->net, sizeof out->net, "%s", net.name);
    snprintf(out->arch, sizeof out->arch, "%s", chip.name);
    out->batch = BATCH;
    for (size_t i = 0; !st && i < PETAL_EYERISS_LAYERS; i++) {
        const petal_problem *layer = petal_network_find(&net, chip_layers[i].name, NULL);
        if (!layer) {
            st = petal_error_set(PETAL_EINTERNAL, "eyeriss-v1 study: alexnet-2012 has no %s",
                                 chip_layers[i].name);
            break;
        }
        /* Ofmaps are written before pooling; the next layer's ifmap zero fraction
         * (after pooling, which can only lower it) stands in for them, and the last
         * layer's ofmaps are assumed as sparse as its ifmaps. */
        double ofmap_zeros = i + 1 < PETAL_EYERISS_LAYERS ? chip_layers[i + 1].ifmap_zeros
                                                          : chip_layers[i].ifmap_zeros;
        st = study_layer(layer, &chip, &chip_layers[i], ofmap_zeros, &out->layers[i]);
        if (st)
            break;
        out->nlayers++;
        const petal_eyeriss_layer *l = &out->layers[i];
        out->macs += l->macs;
        out->processing_ms += l->processing_ms;
        out->buffer_mb += l->buffer_mb;
        out->dram_mb += l->dram_mb;
        out->dram_rlc_mb += l->dram_rlc_mb;
    }
    petal_network_free(&net);
    out->pub_macs = (petal_published){2.66e9, '2'};
    out->pub_processing_ms = (petal_published){103.5, '2'};
    out->pub_dram_mb = (petal_published){15.4, 'V'};
    double buffer = 0;
    for (size_t i = 0; i < PETAL_EYERISS_LAYERS; i++)
        buffer += chip_layers[i].buffer_mb.value;
    out->pub_buffer_mb = (petal_published){buffer, 'U'};
    return st;
}

petal_status petal_study_eyeriss_v1_mappings(FILE *out)
{
    petal_arch chip;
    petal_network net;
    petal_status st = petal_arch_preset("eyeriss-v1", &chip);
    if (st)
        return st;
    st = petal_zoo_build("alexnet-2012", &net);
    if (st)
        return st;
    st = petal_network_set_batch(&net, BATCH);
    petal_rs_plan *plan = malloc(sizeof *plan);
    if (!plan && !st)
        st = petal_error_set(PETAL_ENOMEM, "eyeriss-v1 study: out of memory");
    for (size_t i = 0; !st && i < PETAL_EYERISS_LAYERS; i++) {
        const chip_layer *cl = &chip_layers[i];
        const petal_problem *layer = petal_network_find(&net, cl->name, NULL);
        if (!layer) {
            st = petal_error_set(PETAL_EINTERNAL, "eyeriss-v1 study: alexnet-2012 has no %s",
                                 cl->name);
            break;
        }
        petal_model_result results[PETAL_RS_MAX_SEGMENTS];
        st = petal_rs_plan_build(layer, &chip, &cl->rs, plan);
        if (!st)
            st = petal_rs_plan_eval(plan, results);
        if (st)
            break;
        for (int s = 0; s < plan->nsegments; s++) {
            const petal_rs_segment *seg = &plan->segments[s];
            uint64_t rows = seg->problem.bounds[petal_problem_dim(&seg->problem, "P")];
            fprintf(out,
                    "%s: n=%u p=%u q=%u e=%u r=%u t=%u m=%u; output rows %llu-%llu, %llu "
                    "passes on %llu PEs",
                    layer->name, cl->rs.n, cl->rs.p, cl->rs.q, cl->rs.e, cl->rs.r, cl->rs.t,
                    cl->rs.m, (unsigned long long)seg->first_row,
                    (unsigned long long)(seg->first_row + rows - 1),
                    (unsigned long long)seg->passes, (unsigned long long)seg->active_pes);
            if (plan->fold > 1)
                fprintf(out, "; each set cut in %u, the array seen as %ux%u", plan->fold,
                        plan->arch.arith.mesh_x, plan->arch.arith.mesh_y);
            const petal_level_stats *glb = &results[s].levels[1];
            fprintf(out, "\nbuffer holds %llu of %llu words: ifmaps %llu, psums %llu\n",
                    (unsigned long long)glb->capacity_used,
                    (unsigned long long)plan->arch.levels[1].depth,
                    (unsigned long long)glb->ds[PETAL_DS_INPUTS].tile,
                    (unsigned long long)glb->ds[PETAL_DS_OUTPUTS].tile);
            petal_mapping_print_nest(out, &seg->problem, &plan->arch, &seg->mapping);
            fputc('\n', out);
        }
    }
    free(plan);
    petal_network_free(&net);
    return st;
}

/* --- writing --- */

static double error_pct(double value, petal_published pub)
{
    return pub.source && pub.value != 0 ? (value - pub.value) / pub.value * 100 : NAN;
}

static const char *source_name(char source)
{
    switch (source) {
    case 'V':
        return "verified";
    case '2':
        return "secondary";
    case 'U':
        return "unverified";
    }
    return "none";
}

/* Marks after a published value: none verified, * secondary source, ~ recalled. */
static char source_mark(char source)
{
    return source == '2' ? '*' : source == 'U' ? '~' : ' ';
}

static void put_cmp(FILE *out, double value, petal_published pub, const char *fmt)
{
    char buf[64];
    snprintf(buf, sizeof buf, fmt, value);
    fprintf(out, " %9s", buf);
    if (pub.source) {
        snprintf(buf, sizeof buf, fmt, pub.value);
        fprintf(out, " %8s%c %+6.1f%%", buf, source_mark(pub.source), error_pct(value, pub));
    } else {
        fprintf(out, " %8s  %7s", "-", "");
    }
}

static void write_text(FILE *out, const void *study)
{
    const petal_eyeriss_study *s = study;
    fprintf(out,
            "Eyeriss v1 (%s) running %s CONV1-5 at batch %llu with the chip's row-stationary "
            "mapping\n\n",
            s->arch, s->net, (unsigned long long)s->batch);
    fprintf(out, "mapping   n   p  q   e  r  t   m  fold  passes  bound\n");
    for (size_t i = 0; i < s->nlayers; i++) {
        const petal_eyeriss_layer *l = &s->layers[i];
        fprintf(out, "%-7s %3u %3u %2u %3u %2u %2u %3u  %4u %7llu  %s\n", l->name, l->rs.n, l->rs.p,
                l->rs.q, l->rs.e, l->rs.r, l->rs.t, l->rs.m, l->fold,
                (unsigned long long)l->timing.passes, l->timing.bound);
    }
    fprintf(
        out,
        "\nEach figure: petal, then the published value (* from a secondary source, ~ recalled:\n"
        "a sanity range only) and petal's error against it.\n");
    fprintf(out, "%-7s %8s %25s %27s %27s %27s %15s\n", "layer", "MACs (M)", "active PEs",
            "processing ms", "buffer MB", "DRAM MB (dense)", "DRAM MB (RLC)");
    for (size_t i = 0; i < s->nlayers; i++) {
        const petal_eyeriss_layer *l = &s->layers[i];
        fprintf(out, "%-7s %8.1f", l->name, (double)l->macs / 1e6);
        put_cmp(out, (double)l->active_pes, l->pub_active_pes, "%.0f");
        put_cmp(out, l->processing_ms, l->pub_processing_ms, "%.1f");
        put_cmp(out, l->buffer_mb, l->pub_buffer_mb, "%.1f");
        put_cmp(out, l->dram_mb, l->pub_dram_mb, "%.2f");
        fprintf(out, " %7.2f %+6.1f%%\n", l->dram_rlc_mb,
                error_pct(l->dram_rlc_mb, l->pub_dram_mb));
    }
    fprintf(out, "%-7s %8.1f %25s", "total", (double)s->macs / 1e6, "");
    put_cmp(out, s->processing_ms, s->pub_processing_ms, "%.1f");
    put_cmp(out, s->buffer_mb, s->pub_buffer_mb, "%.1f");
    put_cmp(out, s->dram_mb, s->pub_dram_mb, "%.2f");
    fprintf(out, " %7.2f %+6.1f%%\n", s->dram_rlc_mb, error_pct(s->dram_rlc_mb, s->pub_dram_mb));
    fprintf(out,
            "\nMACs: %.3f G (published %.2f G, %+.1f%%). DRAM with run-length coded ifmaps "
            "and ofmaps: %.2f MB (%+.1f%% against %.1f MB).\n",
            (double)s->macs / 1e9, s->pub_macs.value / 1e9, error_pct((double)s->macs, s->pub_macs),
            s->dram_rlc_mb, error_pct(s->dram_rlc_mb, s->pub_dram_mb), s->pub_dram_mb.value);
    fprintf(out, "\nlatency   MACs ms  filter ms  stall ms  DRAM ms  model ms  energy/MAC\n");
    for (size_t i = 0; i < s->nlayers; i++) {
        const petal_eyeriss_layer *l = &s->layers[i];
        double to_ms = 1e3 / 200e6;
        fprintf(out, "%-7s %9.2f %10.2f %9.2f %8.2f %9.2f %11.2f\n", l->name,
                l->timing.mac_cycles * to_ms, l->timing.filter_cycles * to_ms,
                l->timing.noc_stall_cycles * to_ms, l->timing.dram_cycles * to_ms, l->model_ms,
                l->energy_per_mac);
    }
}

static void json_published(jw *w, const char *key, double value, petal_published pub)
{
    jw_key(w, key);
    jw_object(w);
    jw_key(w, "value");
    jw_double(w, pub.value);
    jw_key(w, "source");
    jw_string(w, source_name(pub.source));
    jw_key(w, "error_pct");
    jw_double(w, error_pct(value, pub));
    jw_end(w);
}

static void write_json(FILE *out, const void *study)
{
    const petal_eyeriss_study *s = study;
    jw w;
    jw_init(&w, out, true);
    jw_object(&w);
    jw_key(&w, "net");
    jw_string(&w, s->net);
    jw_key(&w, "arch");
    jw_string(&w, s->arch);
    jw_key(&w, "batch");
    jw_u64(&w, s->batch);
    jw_key(&w, "layers");
    jw_array(&w);
    for (size_t i = 0; i < s->nlayers; i++) {
        const petal_eyeriss_layer *l = &s->layers[i];
        jw_object(&w);
        jw_key(&w, "name");
        jw_string(&w, l->name);
        jw_key(&w, "macs");
        jw_u64(&w, l->macs);
        jw_key(&w, "active_pes");
        jw_u64(&w, l->active_pes);
        jw_key(&w, "processing_ms");
        jw_double(&w, l->processing_ms);
        jw_key(&w, "buffer_mb");
        jw_double(&w, l->buffer_mb);
        jw_key(&w, "dram_mb");
        jw_double(&w, l->dram_mb);
        jw_key(&w, "dram_rlc_mb");
        jw_double(&w, l->dram_rlc_mb);
        static const char *ds_keys[PETAL_NUM_DS] = {"weights", "ifmaps", "psums"};
        jw_key(&w, "buffer_mb_by_data");
        jw_object(&w);
        for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
            jw_key(&w, ds_keys[ds]);
            jw_double(&w, l->buffer_mb_by_ds[ds]);
        }
        jw_end(&w);
        jw_key(&w, "dram_mb_by_data");
        jw_object(&w);
        for (int ds = 0; ds < PETAL_NUM_DS; ds++) {
            jw_key(&w, ds_keys[ds]);
            jw_double(&w, l->dram_mb_by_ds[ds]);
        }
        jw_end(&w);
        jw_key(&w, "energy_per_mac");
        jw_double(&w, l->energy_per_mac);
        jw_key(&w, "mapping");
        jw_object(&w);
        const char *names[] = {"n", "p", "q", "e", "r", "t", "m"};
        const uint32_t values[] = {l->rs.n, l->rs.p, l->rs.q, l->rs.e, l->rs.r, l->rs.t, l->rs.m};
        for (int k = 0; k < 7; k++) {
            jw_key(&w, names[k]);
            jw_u64(&w, values[k]);
        }
        jw_key(&w, "fold");
        jw_u64(&w, l->fold);
        jw_key(&w, "passes");
        jw_u64(&w, l->timing.passes);
        jw_end(&w);
        jw_key(&w, "latency");
        jw_object(&w);
        double to_ms = 1e3 / 200e6;
        jw_key(&w, "mac_ms");
        jw_double(&w, l->timing.mac_cycles * to_ms);
        jw_key(&w, "filter_load_ms");
        jw_double(&w, l->timing.filter_cycles * to_ms);
        jw_key(&w, "noc_stall_ms");
        jw_double(&w, l->timing.noc_stall_cycles * to_ms);
        jw_key(&w, "dram_ms");
        jw_double(&w, l->timing.dram_cycles * to_ms);
        jw_key(&w, "model_ms");
        jw_double(&w, l->model_ms);
        jw_key(&w, "bound");
        jw_string(&w, l->timing.bound);
        jw_end(&w);
        jw_key(&w, "published");
        jw_object(&w);
        json_published(&w, "active_pes", (double)l->active_pes, l->pub_active_pes);
        json_published(&w, "processing_ms", l->processing_ms, l->pub_processing_ms);
        json_published(&w, "buffer_mb", l->buffer_mb, l->pub_buffer_mb);
        json_published(&w, "dram_mb", l->dram_mb, l->pub_dram_mb);
        jw_end(&w);
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "totals");
    jw_object(&w);
    jw_key(&w, "macs");
    jw_u64(&w, s->macs);
    jw_key(&w, "processing_ms");
    jw_double(&w, s->processing_ms);
    jw_key(&w, "buffer_mb");
    jw_double(&w, s->buffer_mb);
    jw_key(&w, "dram_mb");
    jw_double(&w, s->dram_mb);
    jw_key(&w, "dram_rlc_mb");
    jw_double(&w, s->dram_rlc_mb);
    jw_key(&w, "published");
    jw_object(&w);
    json_published(&w, "macs", (double)s->macs, s->pub_macs);
    json_published(&w, "processing_ms", s->processing_ms, s->pub_processing_ms);
    json_published(&w, "buffer_mb", s->buffer_mb, s->pub_buffer_mb);
    json_published(&w, "dram_mb", s->dram_mb, s->pub_dram_mb);
    json_published(&w, "dram_rlc_mb", s->dram_rlc_mb, s->pub_dram_mb);
    jw_end(&w);
    jw_end(&w);
    jw_finish(&w);
}

static void write_svg(FILE *out, const void *study)
{
    const petal_eyeriss_study *s = study;
    const char *labels[PETAL_EYERISS_LAYERS];
    double lat[PETAL_EYERISS_LAYERS * 3], lat_pub[PETAL_EYERISS_LAYERS];
    double buf[PETAL_EYERISS_LAYERS * 2], buf_pub[PETAL_EYERISS_LAYERS];
    double dram[PETAL_EYERISS_LAYERS * 2], dram_pub[PETAL_EYERISS_LAYERS];
    double to_ms = 1e3 / 200e6;
    for (size_t i = 0; i < s->nlayers; i++) {
        const petal_eyeriss_layer *l = &s->layers[i];
        labels[i] = l->name;
        lat[i * 3 + 0] = l->timing.mac_cycles * to_ms;
        lat[i * 3 + 1] = l->timing.filter_cycles * to_ms;
        lat[i * 3 + 2] = l->timing.noc_stall_cycles * to_ms;
        lat_pub[i] = l->pub_processing_ms.value;
        buf[i * 2 + 0] = l->buffer_mb_by_ds[PETAL_DS_INPUTS];
        buf[i * 2 + 1] = l->buffer_mb_by_ds[PETAL_DS_OUTPUTS];
        buf_pub[i] = l->pub_buffer_mb.value;
        dram[i * 2 + 0] = l->dram_rlc_mb;
        dram[i * 2 + 1] = l->dram_mb - l->dram_rlc_mb;
        dram_pub[i] = l->pub_dram_mb.value;
    }
    static const char *lat_series[] = {"MACs", "filter loads", "bus stalls"};
    static const char *buf_series[] = {"ifmaps", "psums"};
    static const char *dram_series[] = {"run-length coded", "saved by coding"};
    svg_panel panels[3] = {
        {"Processing latency", "ms", s->nlayers, labels, 3, lat_series, lat, lat_pub,
         "published (recalled)"},
        {"Global buffer traffic", "MB", s->nlayers, labels, 2, buf_series, buf, buf_pub,
         "published (recalled)"},
        {"DRAM traffic (whole bar: dense)", "MB", s->nlayers, labels, 2, dram_series, dram,
         dram_pub, "published (recalled)"},
    };
    char title[160];
    snprintf(title, sizeof title, "Eyeriss v1, %s CONV1-5, batch %llu: petal against the chip",
             s->net, (unsigned long long)s->batch);
    svg_write_panels(out, title, panels, 3, 380, 360);
}

petal_status petal_study_eyeriss_v1_write(FILE *out, const petal_eyeriss_study *s,
                                          petal_study_format fmt)
{
    static const study_writers writers = {{[PETAL_STUDY_TEXT] = write_text,
                                           [PETAL_STUDY_JSON] = write_json,
                                           [PETAL_STUDY_SVG] = write_svg},
                                          "eyeriss-v1 study"};
    return study_write(out, s, fmt, &writers);
}
