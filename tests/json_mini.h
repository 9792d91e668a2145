/* json_mini.h - a small JSON reader for tests that compare against reference
 * files (shared/reference/onnx/truth.json). Not part of libpetal: it trusts its
 * input only as far as reporting failure with NULL, and keeps every number as
 * text plus its integer value so counts past 2^53 stay exact.
 *
 * Usage: jm_value *doc = jm_parse_file(path); jm_get(doc, "alexnet") ...; jm_free(doc);
 * Functions are static inline so that each test includes only what it calls.
 */
#ifndef PETAL_TESTS_JSON_MINI_H
#define PETAL_TESTS_JSON_MINI_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { JM_NULL, JM_BOOL, JM_NUMBER, JM_STRING, JM_ARRAY, JM_OBJECT } jm_type;

typedef struct jm_value {
    jm_type type;
    int64_t integer;  /* JM_NUMBER (truncated when the number has a fraction), JM_BOOL */
    double number;    /* JM_NUMBER */
    char *string;     /* JM_STRING; the key for object members */
    char *key;        /* set on object members */
    size_t count;     /* JM_ARRAY, JM_OBJECT */
    struct jm_value *items;
} jm_value;

typedef struct jm_parser {
    const char *s;
    int depth;
} jm_parser;

static inline void jm_free_items(jm_value *v)
{
    for (size_t i = 0; i < v->count; i++)
        jm_free_items(&v->items[i]);
    free(v->items);
    free(v->string);
    free(v->key);
}

static inline void jm_free(jm_value *v)
{
    if (v) {
        jm_free_items(v);
        free(v);
    }
}

static inline void jm_skip(jm_parser *p)
{
    while (isspace((unsigned char)*p->s))
        p->s++;
}

/* Strings without escapes beyond \" \\ \/ \n \t \r \b \f (\u is kept as text). */
static inline char *jm_string(jm_parser *p)
{
    if (*p->s != '"')
        return NULL;
    const char *start = ++p->s;
    while (*p->s && *p->s != '"')
        p->s += (*p->s == '\\' && p->s[1]) ? 2 : 1;
    if (*p->s != '"')
        return NULL;
    size_t n = (size_t)(p->s - start);
    char *out = malloc(n + 1), *o = out;
    for (const char *c = start; c < p->s; c++) {
        if (*c == '\\') {
            c++;
            *o++ = *c == 'n' ? '\n' : *c == 't' ? '\t' : *c == 'r' ? '\r' : *c;
        } else {
            *o++ = *c;
        }
    }
    *o = '\0';
    p->s++;
    return out;
}

static inline int jm_value_parse(jm_parser *p, jm_value *v);

static inline int jm_push(jm_value *v, size_t *cap)
{
    if (v->count == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        jm_value *grown = realloc(v->items, *cap * sizeof *grown);
        if (!grown)
            return -1;
        v->items = grown;
    }
    memset(&v->items[v->count++], 0, sizeof v->items[0]);
    return 0;
}

static inline int jm_container(jm_parser *p, jm_value *v, char close)
{
    size_t cap = 0;
    p->s++;
    jm_skip(p);
    if (*p->s == close) {
        p->s++;
        return 0;
    }
    for (;;) {
        if (jm_push(v, &cap))
            return -1;
        jm_value *item = &v->items[v->count - 1];
        jm_skip(p);
        if (close == '}') {
            if (!(item->key = jm_string(p)))
                return -1;
            jm_skip(p);
            if (*p->s++ != ':')
                return -1;
        }
        if (jm_value_parse(p, item))
            return -1;
        jm_skip(p);
        if (*p->s == ',') {
            p->s++;
            continue;
        }
        if (*p->s++ != close)
            return -1;
        return 0;
    }
}

static inline int jm_value_parse(jm_parser *p, jm_value *v)
{
    jm_skip(p);
    if (++p->depth > 64)
        return -1;
    int rc = 0;
    if (*p->s == '{') {
        v->type = JM_OBJECT;
        rc = jm_container(p, v, '}');
    } else if (*p->s == '[') {
        v->type = JM_ARRAY;
        rc = jm_container(p, v, ']');
    } else if (*p->s == '"') {
        v->type = JM_STRING;
        rc = (v->string = jm_string(p)) ? 0 : -1;
    } else if (!strncmp(p->s, "true", 4) || !strncmp(p->s, "false", 5)) {
        v->type = JM_BOOL;
        v->integer = *p->s == 't';
        p->s += v->integer ? 4 : 5;
    } else if (!strncmp(p->s, "null", 4)) {
        v->type = JM_NULL;
        p->s += 4;
    } else {
        char *end;
        v->type = JM_NUMBER;
        v->number = strtod(p->s, &end);
        if (end == p->s)
            return -1;
        v->integer = strtoll(p->s, NULL, 10);
        p->s = end;
    }
    p->depth--;
    return rc;
}

/* Parse a whole file; NULL if it cannot be read or is not JSON. */
static inline jm_value *jm_parse_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = size >= 0 ? malloc((size_t)size + 1) : NULL;
    size_t got = text ? fread(text, 1, (size_t)size, f) : 0;
    fclose(f);
    if (!text || got != (size_t)size) {
        free(text);
        return NULL;
    }
    text[size] = '\0';
    jm_value *v = calloc(1, sizeof *v);
    jm_parser p = {text, 0};
    int rc = jm_value_parse(&p, v);
    jm_skip(&p);
    if (rc || *p.s != '\0') {
        jm_free(v);
        v = NULL;
    }
    free(text);
    return v;
}

/* Member `key` of an object, or NULL. */
static inline const jm_value *jm_get(const jm_value *v, const char *key)
{
    if (!v || v->type != JM_OBJECT)
        return NULL;
    for (size_t i = 0; i < v->count; i++)
        if (strcmp(v->items[i].key, key) == 0)
            return &v->items[i];
    return NULL;
}

/* Item i of an array, or NULL. */
static inline const jm_value *jm_at(const jm_value *v, size_t i)
{
    return v && v->type == JM_ARRAY && i < v->count ? &v->items[i] : NULL;
}

/* Integer member, or `fallback` when absent or not a number. */
static inline int64_t jm_int(const jm_value *v, const char *key, int64_t fallback)
{
    const jm_value *m = jm_get(v, key);
    return m && m->type == JM_NUMBER ? m->integer : fallback;
}

#endif
