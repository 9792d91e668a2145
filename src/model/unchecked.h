/* model/unchecked.h - petal_model_eval without its argument checks
 * (library-internal), for callers that check the problem and the architecture
 * once and then evaluate many mappings of them: the mapper's inner loop.
 */
#ifndef PETAL_MODEL_UNCHECKED_H
#define PETAL_MODEL_UNCHECKED_H

#include "petal/model.h"

/* petal_model_eval for a problem that petal_problem_check accepts and an
 * architecture that petal_arch_check accepts; the caller has checked both
 * (petal_map does, before its search). Arguments outside that contract give
 * meaningless figures, though never a read out of bounds. */
petal_status model_eval_unchecked(const petal_problem *p, const petal_arch *a,
                                  const petal_mapping *m, petal_model_result *out);

#endif
