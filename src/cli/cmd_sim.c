/* cmd_sim.c - `petal sim`: run a mapping through the reference simulator,
 * check the outputs against a direct evaluation and the counts (accesses,
 * multicast, spatial reduction, network words and cycles) against the
 * analytical model. Takes the same inputs as `petal model`. */
#include <math.h>

#include "cli/cli.h"
#include "cli/spec_args.h"
#include "report/report_json.h"
#include "petal/model.h"
#include "petal/sim.h"

static const char sim_help[] =
    "usage: petal sim --net NAME|FILE --layer NAME|INDEX --arch NAME|FILE --mapping FILE\n"
    "                 [--seed N] [--max-macs N] [--precision LIST] [--density LIST]\n"
    "                 [--density-profile FILE] [--format text|json]\n"
    "       petal sim --problem P.yaml --arch A.yaml --mapping M.yaml [...]\n"
    "       petal sim --timeloop FILE.yaml [--mapping M.yaml] [...]\n\n"
    "Execute every operation of the mapping's loop nest on random integer tensors,\n"
    "with an explicit buffer per level, data space and instance, counting every read,\n"
    "fill and update (docs/model.md), the words crossing every network and the cycles\n"
    "each level's bandwidth needs. The outputs are checked against a direct evaluation\n"
    "of the layer and the counts against `petal model`'s. Slow on purpose:\n"
    "meant for small layers (--max-macs, default 16777216, raises the limit).\n"
    "Exit codes: 0 outputs and counts agree, 1 invalid mapping, 4 a disagreement.\n\n";

typedef struct sim_args {
    unsigned long long seed, max_macs;
} sim_args;

static int sim_option(const char *cmd, int argc, char **argv, int *i, void *own)
{
    sim_args *a = own;
    const char *value;
    bool missing;
    if (cli_option(argc, argv, i, "--seed", &value, &missing)) {
        if (missing || !cli_parse_u64(value, &a->seed)) {
            cli_usage_error(cmd, "--seed takes a whole number");
            return -1;
        }
    } else if (cli_option(argc, argv, i, "--max-macs", &value, &missing)) {
        if (missing || !cli_parse_u64(value, &a->max_macs) || a->max_macs == 0) {
            cli_usage_error(cmd, "--max-macs takes a whole number of at least 1");
            return -1;
        }
    } else {
        return 0;
    }
    return 1;
}

static const cli_spec_command sim_command = {
    .name = "sim",
    .help = sim_help,
    .formats = 1u << FORMAT_TEXT | 1u << FORMAT_JSON,
    .formats_words = "text or json",
    .option = sim_option,
};

static bool near(double x, double y)
{
    return fabs(x - y) <= 1e-9 * (fabs(x) + fabs(y)) + 1e-9;
}

/* Where the model's multicast, spatial reduction, network energy or cycles
 * differ from what the simulator saw; 0 when nowhere. The network energy is
 * compared as hop_pj times every word crossing, down and up (where the level
 * forwards, the words entering its chains, plus forward_pj per word-hop), scaled by the
 * width the nearest keeper at or above the level holds them in over the
 * level's word (docs/precision.md). */
static int network_differences(const petal_arch *a, const petal_model_result *mr,
                               const petal_sim_result *sr, bool report)
{
    int n = 0;
    if (mr->fill_drain_cycles != sr->fill_drain_cycles) {
        n++;
        if (report)
            fprintf(stderr, "petal sim: model fill/drain %llu cycles, simulator %llu\n",
                    (unsigned long long)mr->fill_drain_cycles,
                    (unsigned long long)sr->fill_drain_cycles);
    }
    if (mr->cycles != sr->cycles) {
        n++;
        if (report)
            fprintf(stderr, "petal sim: model cycles %llu, simulator %llu\n",
                    (unsigned long long)mr->cycles, (unsigned long long)sr->cycles);
    }
    for (int l = 0; l < a->nlevels; l++) {
        if (mr->levels[l].cycles != sr->levels[l].bw.cycles) {
            n++;
            if (report)
                fprintf(stderr, "petal sim: level %s: model cycles %llu, simulator %llu\n",
                        a->levels[l].name, (unsigned long long)mr->levels[l].cycles,
                        (unsigned long long)sr->levels[l].bw.cycles);
        }
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_ds_stats *m = &mr->levels[l].ds[s];
            const petal_sim_ds_stats *d = &sr->levels[l].ds[s];
            double words = (double)(d->link_words_down + d->link_words_up);
            int keeper = l;
            while (keeper > 0 && !sr->levels[keeper].ds[s].kept)
                keeper--;
            double width = a->levels[l].word_bits
                               ? (double)sr->levels[keeper].ds[s].word_bits / a->levels[l].word_bits
                               : 1;
            /* Forwarded (docs/systolic.md): the level's network enters the chains,
             * the neighbours' links carry the hops. */
            if (a->levels[l].forward[s])
                words = (double)d->forward_entries;
            double net =
                (a->levels[l].hop_pj * words + a->levels[l].forward_pj * (double)d->forwards) *
                width;
            if (m->forwards != d->forwards) {
                n++;
                if (report)
                    fprintf(stderr,
                            "petal sim: level %s data space %d: model %llu forwarded word-hops, "
                            "simulator %llu\n",
                            a->levels[l].name, s, (unsigned long long)m->forwards,
                            (unsigned long long)d->forwards);
            }
            bool outputs = s == PETAL_DS_OUTPUTS;
            double fan = 0, want = 0;
            if (m->kept && d->kept) { /* per algorithmic access: a property of the mapping */
                fan = outputs ? (d->algorithmic_updates
                                     ? (double)d->sources / (double)d->algorithmic_updates
                                     : 1)
                              : (d->algorithmic_reads
                                     ? (double)d->destinations / (double)d->algorithmic_reads
                                     : 1);
                want = outputs ? m->spatial_reduction : m->multicast;
            }
            if (near(m->network_energy_pj, net) && near(fan, want))
                continue;
            n++;
            if (report)
                fprintf(stderr,
                        "petal sim: level %s data space %d: model network energy %g %s, %s %g; "
                        "simulator %g %s, %g\n",
                        a->levels[l].name, s, m->network_energy_pj,
                        petal_energy_unit_name(a->energy_unit),
                        outputs ? "spatial reduction" : "multicast", want, net,
                        petal_energy_unit_name(a->energy_unit), fan);
        }
    }
    return n;
}

/* Where the model's counts differ from the simulator's; 0 when nowhere. */
static int differences(const petal_arch *a, const petal_model_result *mr,
                       const petal_sim_result *sr, bool report)
{
    int n = network_differences(a, mr, sr, report);
    for (int l = 0; l < a->nlevels; l++)
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_ds_stats *m = &mr->levels[l].ds[s];
            const petal_sim_ds_stats *d = &sr->levels[l].ds[s];
            if (m->kept == d->kept &&
                (!m->kept || (m->tile == d->tile && m->reads == d->reads && m->fills == d->fills &&
                              m->updates == d->updates && m->word_bits == d->word_bits)))
                continue;
            n++;
            if (report)
                fprintf(stderr,
                        "petal sim: level %s data space %d: model tile %llu reads %llu fills %llu "
                        "updates %llu, simulator %llu %llu %llu %llu\n",
                        a->levels[l].name, s, (unsigned long long)m->tile,
                        (unsigned long long)m->reads, (unsigned long long)m->fills,
                        (unsigned long long)m->updates, (unsigned long long)d->tile,
                        (unsigned long long)d->reads, (unsigned long long)d->fills,
                        (unsigned long long)d->updates);
        }
    return n;
}

static void print_text(const petal_problem *p, const petal_arch *a, const petal_sim_result *r,
                       int diffs)
{
    printf("layer %s on %s: simulated %llu operations, %llu steps on %llu MACs\n", p->name, a->name,
           (unsigned long long)r->computes, (unsigned long long)r->steps,
           (unsigned long long)r->macs);
    /* What waits is what the compute does not explain: with bit-serial MACs or
     * sparse skipping the compute's cycles are not the steps (sim.h). */
    unsigned long long wait = (unsigned long long)(r->cycles - r->compute_cycles);
    if (r->fill_drain_cycles) /* docs/systolic.md: chains fill and drain */
        printf("cycles: %llu (compute %llu), of which %llu wait on bandwidth or on the fill and "
               "drain of the forwarding chains (%llu cycles)\n",
               (unsigned long long)r->cycles, (unsigned long long)r->compute_cycles, wait,
               (unsigned long long)r->fill_drain_cycles);
    else
        printf("cycles: %llu (compute %llu), of which %llu wait on bandwidth\n",
               (unsigned long long)r->cycles, (unsigned long long)r->compute_cycles, wait);
    printf("outputs: %llu words, %s\n", (unsigned long long)r->output_words,
           r->outputs_match ? "all equal to the direct evaluation" : "SOME DIFFER");
    printf("model: %s\n\n", diffs ? "DIFFERENT COUNTS" : "the same counts at every level");
    printf("%-24s %-8s %9s %14s %14s %14s\n", "level", "data", "tile", "reads", "fills", "updates");
    for (int l = 0; l < a->nlevels; l++)
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_sim_ds_stats *ds = &r->levels[l].ds[s];
            if (ds->kept)
                printf("%-24s %-8s %9llu %14llu %14llu %14llu\n", a->levels[l].name, p->ds[s].name,
                       (unsigned long long)ds->tile, (unsigned long long)ds->reads,
                       (unsigned long long)ds->fills, (unsigned long long)ds->updates);
        }
}

static void print_json(const petal_problem *p, const petal_arch *a, const petal_sim_result *r,
                       int diffs)
{
    jw w;
    jw_init(&w, stdout, true);
    jw_object(&w);
    jw_key(&w, "computes");
    jw_u64(&w, r->computes);
    jw_key(&w, "steps");
    jw_u64(&w, r->steps);
    jw_key(&w, "actual_computes"); /* docs/sim.md: the sparse counts, as petal model's */
    jw_u64(&w, r->actual_computes);
    jw_key(&w, "gated_computes");
    jw_u64(&w, r->gated_computes);
    jw_key(&w, "skipped_computes");
    jw_u64(&w, r->skipped_computes);
    jw_key(&w, "compute_cycles");
    jw_u64(&w, r->compute_cycles);
    jw_key(&w, "cycles");
    jw_u64(&w, r->cycles);
    jw_key(&w, "outputs_match");
    jw_bool(&w, r->outputs_match);
    jw_key(&w, "output_words");
    jw_u64(&w, r->output_words);
    jw_key(&w, "output_mismatches");
    jw_u64(&w, r->output_mismatches);
    jw_key(&w, "model_agrees");
    jw_bool(&w, diffs == 0);
    if (petal_arch_forwards(a)) { /* docs/systolic.md */
        jw_key(&w, "fill_drain_cycles");
        jw_u64(&w, r->fill_drain_cycles);
    }
    jw_key(&w, "levels");
    jw_array(&w);
    for (int l = 0; l < a->nlevels; l++) {
        jw_object(&w);
        jw_key(&w, "name");
        jw_string(&w, a->levels[l].name);
        jw_key(&w, "instances");
        jw_u64(&w, a->levels[l].instances);
        jw_key(&w, "data_spaces");
        jw_object(&w);
        for (int s = 0; s < PETAL_NUM_DS; s++) {
            const petal_sim_ds_stats *ds = &r->levels[l].ds[s];
            if (!ds->kept)
                continue;
            jw_key(&w, p->ds[s].name);
            jw_object(&w);
            report_json_counts(&w, ds->tile, ds->instances, ds->reads, ds->fills, ds->updates);
            report_sparse_counts sc = REPORT_SPARSE_COUNTS(ds);
            report_json_sparse_counts(&w, &sc);
            jw_key(&w, "tile_data_words");
            jw_u64(&w, ds->tile_data_words);
            jw_end(&w);
        }
        jw_end(&w);
        bool forwards = false;
        for (int s = 0; s < PETAL_NUM_DS; s++)
            forwards |= a->levels[l].forward[s] != PETAL_FORWARD_NONE;
        if (forwards) { /* word-hops between neighbours below the level */
            jw_key(&w, "forwards");
            jw_object(&w);
            for (int s = 0; s < PETAL_NUM_DS; s++)
                if (a->levels[l].forward[s]) {
                    jw_key(&w, p->ds[s].name);
                    jw_u64(&w, r->levels[l].ds[s].forwards);
                }
            jw_end(&w);
        }
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    jw_finish(&w);
}

int cmd_sim(int argc, char **argv)
{
    cli_spec_args spec_args = {0};
    sim_args a = {0};
    cli_format format;
    bool help;
    static petal_timeloop_spec spec;
    int rc = cli_spec_start(&sim_command, argc, argv, &spec_args, &format, &a, &spec, &help);
    if (rc || help)
        return rc;
    petal_sim_options opt;
    petal_sim_options_init(&opt);
    if (a.seed)
        opt.seed = a.seed;
    if (a.max_macs)
        opt.max_macs = a.max_macs;
    petal_sim_result r;
    petal_status st = petal_sim_run(&spec.problem, &spec.arch, &spec.mapping, &opt, &r);
    if (st)
        return cli_fail(st);
    petal_model_result mr;
    st = petal_model_eval(&spec.problem, &spec.arch, &spec.mapping, &mr);
    if (st)
        return cli_fail(st);
    int diffs = mr.valid ? differences(&spec.arch, &mr, &r, false) : -1;
    if (format == FORMAT_JSON)
        print_json(&spec.problem, &spec.arch, &r, diffs);
    else
        print_text(&spec.problem, &spec.arch, &r, diffs);
    if (!mr.valid) {
        fprintf(stderr, "petal sim: the model calls the mapping invalid (%s)\n", mr.why);
        return EXIT_PETAL_INTERNAL;
    }
    if (diffs)
        differences(&spec.arch, &mr, &r, true);
    if (!r.outputs_match)
        fprintf(stderr, "petal sim: %llu outputs differ from the direct evaluation\n",
                (unsigned long long)r.output_mismatches);
    return diffs || !r.outputs_match ? EXIT_PETAL_INTERNAL : EXIT_PETAL_OK;
}
