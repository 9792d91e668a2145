/* scalesim_config.c - SCALE-Sim v2's configuration file (an INI file read by
 * Python's configparser): the array, the three SRAMs, the dataflow and the
 * DRAM interface mode (docs/systolic.md, "Inputs"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "formats/scalesim/scalesim_internal.h"
#include "petal/scalesim.h"
#include "util/error.h"
#include "util/name.h"

/* The keys SCALE-Sim v2 reads, by section; configparser matches keys in any case. */
enum {
    K_RUN_NAME,
    K_INTERFACE_BW,
    K_ROWS,
    K_COLS,
    K_IFMAP_KB,
    K_FILTER_KB,
    K_OFMAP_KB,
    K_IFMAP_OFFSET,
    K_FILTER_OFFSET,
    K_OFMAP_OFFSET,
    K_DATAFLOW,
    K_BANDWIDTH,
    K_MEMORY_BANKS,
    NKEYS
};

static const struct {
    const char *section, *key, *expected;
} keys[NKEYS] = {
    [K_RUN_NAME] = {"general", "run_name", "a name"},
    [K_INTERFACE_BW] = {"run_presets", "InterfaceBandwidth", "CALC or USER"},
    [K_ROWS] = {"architecture_presets", "ArrayHeight", "a whole number of rows, at least 1"},
    [K_COLS] = {"architecture_presets", "ArrayWidth", "a whole number of columns, at least 1"},
    [K_IFMAP_KB] = {"architecture_presets", "IfmapSramSzkB", "a whole number of kB, at least 1"},
    [K_FILTER_KB] = {"architecture_presets", "FilterSramSzkB", "a whole number of kB, at least 1"},
    [K_OFMAP_KB] = {"architecture_presets", "OfmapSramSzkB", "a whole number of kB, at least 1"},
    [K_IFMAP_OFFSET] = {"architecture_presets", "IfmapOffset", "a whole number (an address)"},
    [K_FILTER_OFFSET] = {"architecture_presets", "FilterOffset", "a whole number (an address)"},
    [K_OFMAP_OFFSET] = {"architecture_presets", "OfmapOffset", "a whole number (an address)"},
    [K_DATAFLOW] = {"architecture_presets", "Dataflow", "os, ws or is"},
    [K_BANDWIDTH] = {"architecture_presets", "Bandwidth",
                     "whole numbers of words per cycle, separated by commas"},
    [K_MEMORY_BANKS] = {"architecture_presets", "MemoryBanks", "a whole number"},
};

typedef struct found {
    const char *value;
    size_t len;
    int line;
} found;

static petal_status bad_value(const char *path, const found *f, int k)
{
    return petal_error_set(PETAL_EINVAL, "%s:%d: %s in [%s]: expected %s, got '%.*s'", path,
                           f->line, keys[k].key, keys[k].section, keys[k].expected,
                           (int)(f->len > 80 ? 80 : f->len), f->value);
}

static petal_status number(const char *path, const found *f, int k, uint64_t min, uint64_t *out)
{
    if (!scalesim_parse_u64(f->value, f->len, out) || *out < min)
        return bad_value(path, f, k);
    return PETAL_OK;
}

/* Split the text into sections and keys; every key SCALE-Sim reads lands in
 * got[]. Layout errors name the line. */
static petal_status scan(const char *path, const char *text, size_t n, found got[NKEYS])
{
    scalesim_line line = {0};
    size_t pos = 0;
    char section[64] = "";
    bool in_section = false;
    char seen[16][64];
    int nseen = 0;
    while (scalesim_next_line(text, n, &pos, &line)) {
        const char *s = line.start;
        size_t len = line.len;
        scalesim_strip(&s, &len);
        if (!len || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            if (s[len - 1] != ']' || len < 3 || len - 2 >= sizeof section)
                return petal_error_set(PETAL_EPARSE,
                                       "%s:%d: expected a section header such as "
                                       "[architecture_presets], got '%.*s'",
                                       path, line.number, (int)(len > 80 ? 80 : len), s);
            memcpy(section, s + 1, len - 2);
            section[len - 2] = '\0';
            in_section = true;
            for (int i = 0; i < nseen; i++)
                if (strcmp(seen[i], section) == 0)
                    return petal_error_set(PETAL_EPARSE, "%s:%d: section [%s] given twice", path,
                                           line.number, section);
            if (nseen < 16)
                memcpy(seen[nseen++], section, sizeof seen[0]);
            bool known = false;
            for (int k = 0; k < NKEYS; k++)
                known |= strcmp(section, keys[k].section) == 0;
            if (strcmp(section, "network_presets") == 0)
                petal_warn("%s:%d: [network_presets] is not read: petal takes the topology from "
                           "--topology",
                           path, line.number);
            else if (!known)
                petal_warn("%s:%d: section [%s] is not one SCALE-Sim v2 reads; ignored", path,
                           line.number, section);
            continue;
        }
        const char *colon = memchr(s, ':', len), *equals = memchr(s, '=', len);
        const char *sep = !colon ? equals : !equals ? colon : colon < equals ? colon : equals;
        if (!sep || !in_section)
            return petal_error_set(PETAL_EPARSE,
                                   "%s:%d: expected 'key: value' or 'key = value' inside a "
                                   "[section], got '%.*s'",
                                   path, line.number, (int)(len > 80 ? 80 : len), s);
        const char *key = s, *value = sep + 1;
        size_t klen = (size_t)(sep - s), vlen = len - klen - 1;
        scalesim_strip(&key, &klen);
        scalesim_strip(&value, &vlen);
        int which = -1;
        for (int k = 0; k < NKEYS; k++)
            if (strcmp(section, keys[k].section) == 0 && strlen(keys[k].key) == klen &&
                strncasecmp(key, keys[k].key, klen) == 0)
                which = k;
        if (which < 0) {
            if (strcmp(section, "network_presets") != 0)
                petal_warn("%s:%d: '%.*s' in [%s] is not a key SCALE-Sim v2 reads; ignored", path,
                           line.number, (int)(klen > 80 ? 80 : klen), key, section);
            continue;
        }
        if (got[which].value)
            return petal_error_set(PETAL_EPARSE, "%s:%d: %s given twice in [%s] (first on line %d)",
                                   path, line.number, keys[which].key, section, got[which].line);
        got[which] = (found){value, vlen, line.number};
    }
    return PETAL_OK;
}

static petal_status fill(const char *path, const found got[NKEYS], petal_scalesim_config *c)
{
    for (int k = 0; k < NKEYS; k++) {
        if (got[k].value || k == K_BANDWIDTH || k == K_MEMORY_BANKS)
            continue;
        return petal_error_set(PETAL_EPARSE, "%s: no %s in [%s] (expected %s)", path, keys[k].key,
                               keys[k].section, keys[k].expected);
    }
    const found *f = &got[K_RUN_NAME];
    petal_status st = petal_name_copyn(PETAL_NAME_FIELD(c->run_name, PETAL_NAME_MAX), "run_name",
                                       f->value, f->len);
    if (st)
        return petal_error_prefix(st, "%s:%d: ", path, f->line);
    f = &got[K_INTERFACE_BW];
    if (f->len == 4 && memcmp(f->value, "USER", 4) == 0)
        c->user_bandwidth = true;
    else if (!(f->len == 4 && memcmp(f->value, "CALC", 4) == 0))
        return bad_value(path, f, K_INTERFACE_BW);
    if ((st = number(path, &got[K_ROWS], K_ROWS, 1, &c->array_rows)) ||
        (st = number(path, &got[K_COLS], K_COLS, 1, &c->array_cols)) ||
        (st = number(path, &got[K_IFMAP_KB], K_IFMAP_KB, 1, &c->ifmap_sram_kb)) ||
        (st = number(path, &got[K_FILTER_KB], K_FILTER_KB, 1, &c->filter_sram_kb)) ||
        (st = number(path, &got[K_OFMAP_KB], K_OFMAP_KB, 1, &c->ofmap_sram_kb)) ||
        (st = number(path, &got[K_IFMAP_OFFSET], K_IFMAP_OFFSET, 0, &c->ifmap_offset)) ||
        (st = number(path, &got[K_FILTER_OFFSET], K_FILTER_OFFSET, 0, &c->filter_offset)) ||
        (st = number(path, &got[K_OFMAP_OFFSET], K_OFMAP_OFFSET, 0, &c->ofmap_offset)))
        return st;
    /* A systolic array of more PEs than this is not a SCALE-Sim run; the
     * limits keep every product of the computation far from 64 bits. */
    if (c->array_rows > (1u << 20) || c->array_cols > (1u << 20))
        return bad_value(path, c->array_rows > (1u << 20) ? &got[K_ROWS] : &got[K_COLS],
                         c->array_rows > (1u << 20) ? K_ROWS : K_COLS);
    uint64_t kb_max = UINT64_C(1) << 40; /* a petabyte of SRAM */
    if (c->ifmap_sram_kb > kb_max || c->filter_sram_kb > kb_max || c->ofmap_sram_kb > kb_max)
        return bad_value(path,
                         c->ifmap_sram_kb > kb_max    ? &got[K_IFMAP_KB]
                         : c->filter_sram_kb > kb_max ? &got[K_FILTER_KB]
                                                      : &got[K_OFMAP_KB],
                         c->ifmap_sram_kb > kb_max    ? K_IFMAP_KB
                         : c->filter_sram_kb > kb_max ? K_FILTER_KB
                                                      : K_OFMAP_KB);
    f = &got[K_DATAFLOW];
    static const char *dataflows[] = {"os", "ws", "is"};
    bool matched = false;
    for (int d = 0; d < 3; d++)
        if (f->len == 2 && memcmp(f->value, dataflows[d], 2) == 0) {
            c->dataflow = (petal_scalesim_dataflow)d;
            matched = true;
        }
    if (!matched)
        return bad_value(path, f, K_DATAFLOW);
    f = &got[K_BANDWIDTH];
    if (f->value) {
        /* Every value must be a number when SCALE-Sim would read them (USER);
         * petal uses the first, as SCALE-Sim's single DRAM port does. */
        const char *comma = memchr(f->value, ',', f->len);
        size_t first = comma ? (size_t)(comma - f->value) : f->len;
        if (!scalesim_parse_u64(f->value, first, &c->bandwidth) || c->bandwidth == 0) {
            if (c->user_bandwidth)
                return bad_value(path, f, K_BANDWIDTH);
            c->bandwidth = 0;
        }
    } else if (c->user_bandwidth) {
        return petal_error_set(PETAL_EPARSE,
                               "%s: InterfaceBandwidth USER needs Bandwidth in "
                               "[architecture_presets] (expected %s)",
                               path, keys[K_BANDWIDTH].expected);
    }
    f = &got[K_MEMORY_BANKS];
    uint64_t banks;
    if (f->value && (!scalesim_parse_u64(f->value, f->len, &banks) || banks != 1))
        petal_warn("%s:%d: MemoryBanks %.*s: SCALE-Sim v2 does not read it, nor does petal "
                   "(one bank per SRAM)",
                   path, f->line, (int)(f->len > 80 ? 80 : f->len), f->value);
    return PETAL_OK;
}

petal_status petal_scalesim_load_config(const char *path, petal_scalesim_config *out)
{
    if (!path || !out)
        return petal_error_set(PETAL_EINVAL, "petal_scalesim_load_config: NULL argument");
    memset(out, 0, sizeof *out);
    char *text;
    size_t n;
    petal_status st = scalesim_read_text(path, &text, &n);
    if (st)
        return st;
    found got[NKEYS] = {{0}};
    petal_scalesim_config c = {0};
    st = scan(path, text, n, got);
    if (!st)
        st = fill(path, got, &c);
    free(text);
    if (!st)
        *out = c;
    return st;
}
