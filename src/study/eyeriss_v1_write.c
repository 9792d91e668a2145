/* eyeriss_v1_write.c - the Eyeriss v1 study's outputs: the text tables beside
 * the published figures, the JSON and the SVG charts (petal_study_eyeriss_v1_write). */
#include <math.h>

#include "formats/json/jsonw.h"
#include "formats/svg/svg.h"
#include "petal/study.h"
#include "study/study_write.h"

static double error_pct(double value, petal_published pub)
{
    return pub.source && pub.value != 0 ? (value - pub.value) / pub.value * 100 : NAN;
}

/* Per cent of the ungated PE energy that gating saves. */
static double gating_saving_pct(double gated, double ungated)
{
    return ungated > 0 ? (1 - gated / ungated) * 100 : NAN;
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
    /* The active PEs are the plan's: its parameters are the chip's, chosen
     * (recalled) to give the chip's published counts, so they are an input of
     * the study, not a result to hold against the chip. */
    fprintf(out, "mapping   n   p  q   e  r  t   m  fold  passes  bound      active PEs (input)\n");
    for (size_t i = 0; i < s->nlayers; i++) {
        const petal_eyeriss_layer *l = &s->layers[i];
        fprintf(out, "%-7s %3u %3u %2u %3u %2u %2u %3u  %4u %7llu  %-9s %5llu\n", l->name, l->rs.n,
                l->rs.p, l->rs.q, l->rs.e, l->rs.r, l->rs.t, l->rs.m, l->fold,
                (unsigned long long)l->timing.passes, l->timing.bound,
                (unsigned long long)l->active_pes);
    }
    fprintf(out, "(n ... m and the active PEs are the chip's row-stationary plan, chosen to give "
                 "its published\nactive PE counts: inputs of this study, not results.)\n");
    fprintf(
        out,
        "\nEach figure: petal, then the published value (* from a secondary source, ~ recalled:\n"
        "a sanity range only) and petal's error against it.\n");
    fprintf(out, "%-7s %8s %27s %27s %27s %15s\n", "layer", "MACs (M)", "processing ms",
            "buffer MB", "DRAM MB (dense)", "DRAM MB (RLC)");
    for (size_t i = 0; i < s->nlayers; i++) {
        const petal_eyeriss_layer *l = &s->layers[i];
        fprintf(out, "%-7s %8.1f", l->name, (double)l->macs / 1e6);
        put_cmp(out, l->processing_ms, l->pub_processing_ms, "%.1f");
        put_cmp(out, l->buffer_mb, l->pub_buffer_mb, "%.1f");
        put_cmp(out, l->dram_mb, l->pub_dram_mb, "%.2f");
        fprintf(out, " %7.2f %+6.1f%%\n", l->dram_rlc_mb,
                error_pct(l->dram_rlc_mb, l->pub_dram_mb));
    }
    fprintf(out, "%-7s %8.1f", "total", (double)s->macs / 1e6);
    put_cmp(out, s->processing_ms, s->pub_processing_ms, "%.1f");
    put_cmp(out, s->buffer_mb, s->pub_buffer_mb, "%.1f");
    put_cmp(out, s->dram_mb, s->pub_dram_mb, "%.2f");
    fprintf(out, " %7.2f %+6.1f%%\n", s->dram_rlc_mb, error_pct(s->dram_rlc_mb, s->pub_dram_mb));
    fprintf(out,
            "\nMACs: %.3f G (published %.2f G, %+.1f%%). DRAM with run-length coded ifmaps "
            "and ofmaps: %.2f MB (%+.1f%% against %.1f MB).\n",
            (double)s->macs / 1e9, s->pub_macs.value / 1e9, error_pct((double)s->macs, s->pub_macs),
            s->dram_rlc_mb, error_pct(s->dram_rlc_mb, s->pub_dram_mb), s->pub_dram_mb.value);
    fprintf(out, "(RLC: the sparse model with each layer's ifmap zeros, its ofmaps as sparse as "
                 "the next layer's\nifmaps, and the preset's run-length coding at DRAM.)\n");

    /* Zero-gating: the sparse model's PE energy with the preset's gating and
     * without it; the chip publishes the saving in PE power. */
    const char *unit = s->energy_unit == PETAL_ENERGY_MAC ? "M MAC" : "uJ";
    fprintf(out, "\ngating  ifmap zeros  PE energy %-5s  without gating   saved\n", unit);
    for (size_t i = 0; i < s->nlayers; i++) {
        const petal_eyeriss_layer *l = &s->layers[i];
        fprintf(out, "%-7s %11.2f%% %16.1f %15.1f %6.1f%%\n", l->name, l->ifmap_zeros * 100,
                l->pe_energy / 1e6, l->pe_energy_ungated / 1e6,
                gating_saving_pct(l->pe_energy, l->pe_energy_ungated));
    }
    double saved = gating_saving_pct(s->pe_energy, s->pe_energy_ungated);
    fprintf(out, "%-7s %12s %16.1f %15.1f %6.1f%%\n", "total", "", s->pe_energy / 1e6,
            s->pe_energy_ungated / 1e6, saved);
    fprintf(out,
            "PE energy (scratchpads and MACs) saved by gating on zero ifmaps: %.1f%%; published: "
            "%.0f%% of PE power\n(%+.1f points; at the same latency, an energy saving is a power "
            "saving, leakage and clock aside).\n",
            saved, s->pub_gating_saving_pct.value, saved - s->pub_gating_saving_pct.value);
    fprintf(out, "\nlatency   MACs ms  filter ms  stall ms  DRAM ms  model ms  energy/MAC\n");
    for (size_t i = 0; i < s->nlayers; i++) {
        const petal_eyeriss_layer *l = &s->layers[i];
        double to_ms = 1e3 / 200e6;
        fprintf(out, "%-7s %9.2f %10.2f %9.2f %8.2f %9.2f %11.2f\n", l->name,
                l->timing.mac_cycles * to_ms, l->timing.filter_cycles * to_ms,
                l->timing.noc_stall_cycles * to_ms, l->timing.dram_cycles * to_ms, l->model_ms,
                l->energy_per_mac);
    }
    if (s->energy_unit == PETAL_ENERGY_MAC)
        fprintf(out, "(energy/MAC in multiples of one MAC's energy, the chip's normalised table: "
                     "not pJ)\n");
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
    jw_key(&w, "energy_unit"); /* of energy_per_mac */
    jw_string(&w, petal_energy_unit_name(s->energy_unit));
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
        jw_key(&w, "active_pes"); /* the plan's: an input, chosen to match the chip */
        jw_u64(&w, l->active_pes);
        jw_key(&w, "active_pes_source");
        jw_string(&w, "plan input: the chip's parameters, chosen to give its published count");
        jw_key(&w, "processing_ms");
        jw_double(&w, l->processing_ms);
        jw_key(&w, "buffer_mb");
        jw_double(&w, l->buffer_mb);
        jw_key(&w, "dram_mb");
        jw_double(&w, l->dram_mb);
        jw_key(&w, "dram_rlc_mb");
        jw_double(&w, l->dram_rlc_mb);
        jw_key(&w, "ifmap_zeros"); /* the sparse model's inputs */
        jw_double(&w, l->ifmap_zeros);
        jw_key(&w, "ofmap_zeros");
        jw_double(&w, l->ofmap_zeros);
        jw_key(&w, "pe_energy");
        jw_double(&w, l->pe_energy);
        jw_key(&w, "pe_energy_ungated");
        jw_double(&w, l->pe_energy_ungated);
        jw_key(&w, "gating_saving_pct");
        jw_double(&w, gating_saving_pct(l->pe_energy, l->pe_energy_ungated));
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
    jw_key(&w, "pe_energy");
    jw_double(&w, s->pe_energy);
    jw_key(&w, "pe_energy_ungated");
    jw_double(&w, s->pe_energy_ungated);
    double saved = gating_saving_pct(s->pe_energy, s->pe_energy_ungated);
    jw_key(&w, "gating_saving_pct");
    jw_double(&w, saved);
    jw_key(&w, "published");
    jw_object(&w);
    json_published(&w, "macs", (double)s->macs, s->pub_macs);
    json_published(&w, "processing_ms", s->processing_ms, s->pub_processing_ms);
    json_published(&w, "buffer_mb", s->buffer_mb, s->pub_buffer_mb);
    json_published(&w, "dram_mb", s->dram_mb, s->pub_dram_mb);
    json_published(&w, "dram_rlc_mb", s->dram_rlc_mb, s->pub_dram_mb);
    /* The chip's figure is of PE power; petal's of PE energy (docs/eyeriss.md). */
    json_published(&w, "gating_saving_pct", saved, s->pub_gating_saving_pct);
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
        /* A near-dense layer costs more coded than raw (a run per value):
         * its bar is the coded traffic, with nothing saved. */
        dram[i * 2 + 0] = l->dram_rlc_mb;
        dram[i * 2 + 1] = l->dram_mb > l->dram_rlc_mb ? l->dram_mb - l->dram_rlc_mb : 0;
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
        {"DRAM traffic (whole bar: dense, or coded if more)", "MB", s->nlayers, labels, 2,
         dram_series, dram, dram_pub, "published (recalled)"},
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
