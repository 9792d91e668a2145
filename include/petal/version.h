/* petal/version.h - the library's version. */
#ifndef PETAL_VERSION_H
#define PETAL_VERSION_H

#define PETAL_VERSION "0.1.0"

#endif
