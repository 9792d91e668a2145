/* report/units.h - the words every report prints beside an energy. An
 * architecture counts its energies in pJ or in multiples of one MAC
 * (normalised tables such as eyeriss-65nm, petal/arch.h); a normalised figure
 * must never be printed as pJ or uJ. Shared by the reports and the command. */
#ifndef PETAL_REPORT_UNITS_H
#define PETAL_REPORT_UNITS_H

#include "petal/arch.h"

typedef struct report_units {
    const char *unit;    /* "pJ" or "MAC": the unit itself (JSON "energy_unit") */
    const char *big;     /* a million units: "uJ" or "M MAC" */
    const char *per_mac; /* energy per MAC: "pJ/MAC" or "MAC/MAC" */
    const char *csv;     /* CSV column suffix: "pj" or "mac" */
    const char *legend;  /* one line saying what a normalised unit is; "" for pJ */
} report_units;

static inline report_units report_units_of(const petal_arch *a)
{
    if (a->energy_unit == PETAL_ENERGY_MAC)
        return (report_units){"MAC", "M MAC", "MAC/MAC", "mac",
                              "energies in multiples of one MAC's energy (a normalised "
                              "table), not pJ"};
    return (report_units){"pJ", "uJ", "pJ/MAC", "pj", ""};
}

#endif
