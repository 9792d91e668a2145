/* objective.c - the objectives by name and value, and the ranking of mappings
 * and search results (mapper/objective.h). */
#include "mapper/objective.h"

#include "mapper/search.h"

#include <stddef.h>
#include <strings.h>

const char *petal_objective_name(petal_objective objective)
{
    switch (objective) {
    case PETAL_OBJECTIVE_ENERGY:
        return "energy";
    case PETAL_OBJECTIVE_DELAY:
        return "delay";
    case PETAL_OBJECTIVE_EDP:
        return "edp";
    }
    return "energy";
}

bool petal_objective_parse(const char *name, petal_objective *out)
{
    static const petal_objective all[] = {PETAL_OBJECTIVE_ENERGY, PETAL_OBJECTIVE_DELAY,
                                          PETAL_OBJECTIVE_EDP};
    for (size_t i = 0; name && i < sizeof all / sizeof all[0]; i++)
        if (strcasecmp(name, petal_objective_name(all[i])) == 0) {
            *out = all[i];
            return true;
        }
    return false;
}

double petal_objective_value(petal_objective objective, const petal_model_result *r)
{
    switch (objective) {
    case PETAL_OBJECTIVE_ENERGY:
        return r->energy_pj;
    case PETAL_OBJECTIVE_DELAY:
        return (double)r->cycles;
    case PETAL_OBJECTIVE_EDP:
        return r->energy_pj * (double)r->cycles;
    }
    return r->energy_pj;
}

score score_of(petal_objective obj, const petal_model_result *r)
{
    double e = r->energy_pj, c = (double)r->cycles;
    switch (obj) {
    case PETAL_OBJECTIVE_ENERGY:
        return (score){e, c};
    case PETAL_OBJECTIVE_DELAY:
        return (score){c, e};
    case PETAL_OBJECTIVE_EDP:
        return (score){e * c, e};
    }
    return (score){e, c};
}

void score_pair(petal_objective obj, const petal_model_result *r, double *out)
{
    score v = score_of(obj, r);
    out[0] = v.p;
    out[1] = v.s;
}

bool result_better(petal_objective obj, const petal_map_result *a, const petal_map_result *b)
{
    int c = score_cmp(score_of(obj, &a->stats), score_of(obj, &b->stats));
    return c < 0 || (c == 0 && search_mapping_cmp(&a->mapping, &b->mapping) < 0);
}
