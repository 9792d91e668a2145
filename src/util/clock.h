/* util/clock.h - wall time for search budgets and reports. */
#ifndef PETAL_UTIL_CLOCK_H
#define PETAL_UTIL_CLOCK_H

#include <time.h>

/* Seconds on the monotonic clock (from an arbitrary origin): subtract two. */
static inline double petal_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

#endif
