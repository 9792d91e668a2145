/* petal/petal.h - all of libpetal's public headers. */
#ifndef PETAL_PETAL_H
#define PETAL_PETAL_H

#include "petal/error.h"
#include "petal/version.h"
#include "petal/problem.h"
#include "petal/network.h"
#include "petal/onnx.h"
#include "petal/arch.h"
#include "petal/energy.h"
#include "petal/mapping.h"
#include "petal/model.h"
#include "petal/sim.h"

#endif
