/* onnx_wire.h - just enough of the protobuf wire format to walk the fields of a
 * message and skip bulk tensor data before protobuf-c unpacks the rest
 * (library-internal). Decoding proper is protobuf-c's generated code. */
#ifndef PETAL_FORMATS_ONNX_WIRE_H
#define PETAL_FORMATS_ONNX_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_BYTES = 2, WIRE_FIXED32 = 5 };

/* One field of a message: its number and wire type; `value` for varints, `data`
 * and `len` for length-delimited fields; `start`/`end` span the whole field. */
typedef struct wire_field {
    uint32_t number;
    int type;
    uint64_t value;
    const uint8_t *data;
    size_t len;
    const uint8_t *start, *end;
} wire_field;

typedef struct wire_reader {
    const uint8_t *pos, *end;
} wire_reader;

static inline void wire_init(wire_reader *r, const uint8_t *data, size_t len)
{
    r->pos = data;
    r->end = data + len;
}

/* The next field: 1 when one was read, 0 at the end of the message, -1 when the
 * bytes are not a well-formed message (a bad tag, a length past the end, a group). */
int wire_next(wire_reader *r, wire_field *f);

/* What to leave out of a message before unpacking it. */
typedef enum wire_rule {
    WIRE_KEEP_ALL,
    WIRE_TENSOR,    /* TensorProto: drop data fields longer than WIRE_KEEP_BYTES */
    WIRE_ATTRIBUTE, /* AttributeProto: apply WIRE_TENSOR to t and tensors, drop long floats */
    WIRE_NODE       /* NodeProto: apply WIRE_ATTRIBUTE to each attribute */
} wire_rule;

/* Tensor data up to this many bytes is kept (it may be a shape to fold). */
#define WIRE_KEEP_BYTES 4096

/* Size of `msg` once the rule has removed bulk data; -1 if it is malformed. */
long long wire_stripped_size(const uint8_t *msg, size_t len, wire_rule rule);

/* Write the stripped message to `out` (wire_stripped_size bytes); returns the
 * bytes written or -1 if malformed. */
long long wire_strip(const uint8_t *msg, size_t len, wire_rule rule, uint8_t *out);

#endif
