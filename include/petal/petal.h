/* petal/petal.h - every public header of libpetal.
 *
 * The core (problem, network, arch, energy, mapping, constraints, model, sim,
 * mapper, eyexam) needs only libc, libm and threads. The formats (petal/formats.h,
 * petal/onnx.h, petal/timeloop.h, petal/scalesim.h), the whole-network job and its reports
 * (petal/eval.h, petal/sheet.h, petal/report.h) and the Eyeriss studies (petal/study.h) are in
 * the full library; a build with PETAL_CORE_ONLY has the core alone, and
 * petal/config.h says which this is (PETAL_HAVE_FORMATS).
 */
#ifndef PETAL_PETAL_H
#define PETAL_PETAL_H

#include "petal/config.h"
#include "petal/error.h"
#include "petal/version.h"

#include "petal/limits.h"
#include "petal/sparse.h"
#include "petal/problem.h"
#include "petal/network.h"
#include "petal/arch.h"
#include "petal/energy.h"
#include "petal/mapping.h"
#include "petal/constraints.h"
#include "petal/model.h"
#include "petal/sim.h"
#include "petal/mapper.h"
#include "petal/eyexam.h"

#if PETAL_HAVE_FORMATS
#include "petal/formats.h"
#include "petal/onnx.h"
#include "petal/timeloop.h"
#include "petal/scalesim.h"
#include "petal/eval.h"
#include "petal/sheet.h"
#include "petal/report.h"
#include "petal/study.h"
#include "petal/sweep.h"
#endif

#endif
