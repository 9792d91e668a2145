/* timeloop_cases.c - the reference runs petal must reproduce: every model
 * exercise of tutorial-timeloop (00 to 04, nine mappings) and every mapper
 * result (exercises 05 and 06, the four example designs). Each directory holds
 * the processed input Timeloop ran (parsed-processed-input.yaml), its ERT and
 * ART, its stats and map.txt, and for mapper runs the chosen mapping
 * (timeloop-mapper.map.yaml). Included by the tests that need it. */
#include <stdbool.h>
#include <stdio.h>

#define TLC_ROOT PETAL_SHARED_DIR "/reference/timeloop-exercises/"

typedef struct tlc_case {
    const char *name;
    const char *dir; /* under TLC_ROOT */
    bool mapper;     /* a mapper run: timeloop-mapper.* and its map.yaml */
} tlc_case;

static const tlc_case tlc_cases[] = {
    {"00", "tutorial-timeloop/00-model-conv1d-1level/ref-output", false},
    {"01-os", "tutorial-timeloop/01-model-conv1d-2level/ref-output/os", false},
    {"01-ws", "tutorial-timeloop/01-model-conv1d-2level/ref-output/ws", false},
    {"02-no-tiling", "tutorial-timeloop/02-model-conv1d+oc-2level/ref-output/no-tiling", false},
    {"02-tiling", "tutorial-timeloop/02-model-conv1d+oc-2level/ref-output/tiling", false},
    {"03-bypass", "tutorial-timeloop/03-model-conv1d+oc-3level/ref-output/bypass", false},
    {"03-no-bypass", "tutorial-timeloop/03-model-conv1d+oc-3level/ref-output/no-bypass", false},
    {"04-cp", "tutorial-timeloop/04-model-conv1d+oc-3levelspatial/ref-output/cp", false},
    {"04-kp", "tutorial-timeloop/04-model-conv1d+oc-3levelspatial/ref-output/kp", false},
    {"05-baked", "tutorial-timeloop/05-mapper-conv1d+oc-3level/ref-output/baked", true},
    {"05-freebypass", "tutorial-timeloop/05-mapper-conv1d+oc-3level/ref-output/freebypass", true},
    {"05-null", "tutorial-timeloop/05-mapper-conv1d+oc-3level/ref-output/null", true},
    {"06-eyeriss-vgg", "tutorial-timeloop/06-mapper-convlayer-eyeriss/ref-output", true},
    {"eyeriss_like", "example_designs/example_designs/eyeriss_like/ref_outputs/default_problem",
     true},
    {"simba_like", "example_designs/example_designs/simba_like/ref_outputs/default_problem", true},
    {"simple_weight_stationary",
     "example_designs/example_designs/simple_weight_stationary/ref_outputs/default_problem", true},
    {"simple_output_stationary",
     "example_designs/example_designs/simple_output_stationary/ref_outputs/default_problem", true},
};

#define TLC_COUNT (sizeof tlc_cases / sizeof tlc_cases[0])

typedef struct tlc_paths {
    char input[512], mapping[512], ert[512], art[512], stats[512], map_txt[512];
} tlc_paths;

static void tlc_paths_of(const tlc_case *c, tlc_paths *p)
{
    const char *tool = c->mapper ? "timeloop-mapper" : "timeloop-model";
    snprintf(p->input, sizeof p->input, TLC_ROOT "%s/parsed-processed-input.yaml", c->dir);
    snprintf(p->mapping, sizeof p->mapping, TLC_ROOT "%s/%s.map.yaml", c->dir, tool);
    snprintf(p->ert, sizeof p->ert, TLC_ROOT "%s/%s.ERT.yaml", c->dir, tool);
    snprintf(p->art, sizeof p->art, TLC_ROOT "%s/%s.ART.yaml", c->dir, tool);
    snprintf(p->stats, sizeof p->stats, TLC_ROOT "%s/%s.stats.txt", c->dir, tool);
    snprintf(p->map_txt, sizeof p->map_txt, TLC_ROOT "%s/%s.map.txt", c->dir, tool);
}

/* The files of one case for petal_timeloop_load. */
static petal_timeloop_files tlc_files(const tlc_case *c, const tlc_paths *p)
{
    petal_timeloop_files f = {.combined = p->input, .ert = p->ert, .art = p->art};
    if (c->mapper)
        f.mapping = p->mapping;
    return f;
}

/* Read one case's inputs as petal reads them, its paths into *paths. */
static petal_status tlc_load(const tlc_case *c, tlc_paths *paths, petal_timeloop_spec *spec)
{
    tlc_paths_of(c, paths);
    petal_timeloop_files f = tlc_files(c, paths);
    return petal_timeloop_load(&f, spec);
}
