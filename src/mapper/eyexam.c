/* eyexam.c - Eyexam's seven upper bounds on a layer's MACs per cycle
 * (petal/eyexam.h, docs/eyexam.md). Not written yet: the functions fail. */
#include "petal/eyexam.h"

#include <string.h>

#include "util/error.h"

static const char *const step_names[PETAL_EYEXAM_STEPS] = {
    "layer size and shape",      "dataflow loop nest", "number of PEs",
    "physical array dimensions", "storage capacity",   "average bandwidth",
    "instantaneous bandwidth",
};

const char *petal_eyexam_step_name(int step)
{
    return step >= 1 && step <= PETAL_EYEXAM_STEPS ? step_names[step - 1] : NULL;
}

petal_status petal_eyexam_bounds(const petal_problem *p, const petal_arch *a, const char *dataflow,
                                 petal_eyexam_result *out)
{
    (void)p, (void)a, (void)dataflow;
    memset(out, 0, sizeof *out);
    return petal_error_set(PETAL_EUNSUPPORTED, "eyexam: not implemented yet");
}

void petal_eyexam_best(petal_eyexam_result *r, const petal_map_result *best)
{
    r->searched = true;
    r->best_found = best->found;
    r->best_complete = best->found && best->complete;
    r->best_cycles = best->found ? best->stats.cycles : 0;
    r->best_macs_per_cycle = best->found && best->stats.cycles
                                 ? (double)best->stats.computes / (double)best->stats.cycles
                                 : 0;
}

petal_status petal_eyexam(const petal_problem *p, const petal_arch *a, const petal_map_options *o,
                          petal_eyexam_result *out)
{
    return petal_eyexam_bounds(p, a, o ? o->dataflow : NULL, out);
}
