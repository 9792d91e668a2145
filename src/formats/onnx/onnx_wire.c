/* onnx_wire.c - walking protobuf fields and removing bulk tensor data before
 * protobuf-c unpacks a message, so that weights are never copied (onnx_wire.h). */
#include "formats/onnx/onnx_wire.h"

#include <string.h>

static bool read_varint(wire_reader *r, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->pos >= r->end)
            return false;
        uint8_t b = *r->pos++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/* On a malformed field the reader stays at its start, for the message. */
static int malformed(wire_reader *r, const wire_field *f)
{
    r->pos = f->start;
    return -1;
}

int wire_next(wire_reader *r, wire_field *f)
{
    if (r->pos >= r->end)
        return 0;
    f->start = r->pos;
    uint64_t tag;
    if (!read_varint(r, &tag) || (tag >> 3) == 0 || (tag >> 3) > 0x1fffffff)
        return malformed(r, f);
    f->number = (uint32_t)(tag >> 3);
    f->type = (int)(tag & 7);
    f->value = 0;
    f->data = NULL;
    f->len = 0;
    size_t avail;
    switch (f->type) {
    case WIRE_VARINT:
        if (!read_varint(r, &f->value))
            return malformed(r, f);
        break;
    case WIRE_FIXED64:
    case WIRE_FIXED32:
        f->len = f->type == WIRE_FIXED64 ? 8 : 4;
        if ((size_t)(r->end - r->pos) < f->len)
            return malformed(r, f);
        f->data = r->pos;
        r->pos += f->len;
        break;
    case WIRE_BYTES:
        if (!read_varint(r, &f->value))
            return malformed(r, f);
        avail = (size_t)(r->end - r->pos);
        if (f->value > avail)
            return malformed(r, f);
        f->len = (size_t)f->value;
        f->data = r->pos;
        r->pos += f->len;
        break;
    default: /* groups (3, 4) are deprecated and unused by ONNX; 6 and 7 do not exist */
        return malformed(r, f);
    }
    f->end = r->pos;
    return 1;
}

/* TensorProto's data fields: float, int32, string, int64, raw, double, uint64. */
static bool is_tensor_data(uint32_t number)
{
    switch (number) {
    case 4: case 5: case 6: case 7: case 9: case 10: case 11: return true;
    default: return false;
    }
}

/* AttributeProto.floats: petal reads no float lists, so long ones go too. */
static bool dropped_attribute(uint32_t number, size_t bytes)
{
    return number == 7 && bytes > WIRE_KEEP_BYTES;
}

/* The rule for a length-delimited field of a message read under `rule`. */
static wire_rule child_rule(wire_rule rule, uint32_t number)
{
    if (rule == WIRE_NODE && number == 5)
        return WIRE_ATTRIBUTE;
    if (rule == WIRE_ATTRIBUTE && (number == 5 || number == 10))
        return WIRE_TENSOR;
    return WIRE_KEEP_ALL;
}

static size_t varint_size(uint64_t v)
{
    size_t n = 1;
    for (; v >= 0x80; v >>= 7)
        n++;
    return n;
}

static uint8_t *put_varint(uint8_t *out, uint64_t v)
{
    for (; v >= 0x80; v >>= 7)
        *out++ = (uint8_t)(v | 0x80);
    *out++ = (uint8_t)v;
    return out;
}

/* A tensor's data is dropped as a whole, so that a tensor never arrives half
 * filled: either every data field is kept (small) or none is. */
static long long tensor_data_bytes(const uint8_t *msg, size_t len)
{
    wire_reader r;
    wire_field f;
    int got;
    long long bytes = 0;
    wire_init(&r, msg, len);
    while ((got = wire_next(&r, &f)) == 1)
        if (is_tensor_data(f.number))
            bytes += f.end - f.start;
    return got < 0 ? -1 : bytes;
}

/* Count (out == NULL) or write the stripped message. */
static long long strip(const uint8_t *msg, size_t len, wire_rule rule, uint8_t *out)
{
    if (rule == WIRE_KEEP_ALL) {
        if (out && len)
            memcpy(out, msg, len);
        return (long long)len;
    }
    bool drop_data = false;
    if (rule == WIRE_TENSOR) {
        long long data = tensor_data_bytes(msg, len);
        if (data < 0)
            return -1;
        drop_data = data > WIRE_KEEP_BYTES;
    }
    wire_reader r;
    wire_field f;
    int got;
    long long size = 0;
    wire_init(&r, msg, len);
    while ((got = wire_next(&r, &f)) == 1) {
        if (drop_data && is_tensor_data(f.number))
            continue;
        if (rule == WIRE_ATTRIBUTE && dropped_attribute(f.number, (size_t)(f.end - f.start)))
            continue;
        wire_rule sub = f.type == WIRE_BYTES ? child_rule(rule, f.number) : WIRE_KEEP_ALL;
        if (sub == WIRE_KEEP_ALL) {
            size_t n = (size_t)(f.end - f.start);
            if (out)
                memcpy(out + size, f.start, n);
            size += (long long)n;
            continue;
        }
        long long inner = strip(f.data, f.len, sub, NULL);
        if (inner < 0)
            return -1;
        uint64_t tag = (uint64_t)f.number << 3 | WIRE_BYTES;
        if (out) {
            uint8_t *p = put_varint(put_varint(out + size, tag), (uint64_t)inner);
            strip(f.data, f.len, sub, p);
        }
        size += (long long)(varint_size(tag) + varint_size((uint64_t)inner)) + inner;
    }
    return got < 0 ? -1 : size;
}

long long wire_stripped_size(const uint8_t *msg, size_t len, wire_rule rule)
{
    return strip(msg, len, rule, NULL);
}

long long wire_strip(const uint8_t *msg, size_t len, wire_rule rule, uint8_t *out)
{
    return strip(msg, len, rule, out);
}
