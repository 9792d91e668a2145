/* util/text.h - small string helpers shared by the readers. */
#ifndef PETAL_UTIL_TEXT_H
#define PETAL_UTIL_TEXT_H

#include <stdbool.h>
#include <string.h>

/* True when s ends with suffix (".yaml", ".onnx"): how petal tells files from names. */
static inline bool petal_has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A YAML file name, as opposed to a built-in name. */
static inline bool petal_is_yaml_path(const char *s)
{
    return petal_has_suffix(s, ".yaml") || petal_has_suffix(s, ".yml");
}

#endif
