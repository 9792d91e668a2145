/* formats/csv/csvw.h - writing CSV fields for reports (RFC 4180 quoting). */
#ifndef PETAL_FORMATS_CSVW_H
#define PETAL_FORMATS_CSVW_H

#include <stdio.h>

/* Write s as one CSV field, quoted (inner quotes doubled) when it holds a
 * comma, a quote or a line break: layer names and reasons from files may. */
void csv_field(FILE *out, const char *s);

#endif
