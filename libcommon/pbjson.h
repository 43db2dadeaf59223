#ifndef CKPT_PBJSON_H
#define CKPT_PBJSON_H

/*
 * One protobuf message as a json-c object, the way crit shows it (pycriu's
 * pb2dict), driven by protobuf-c's descriptors of our formats/ rather
 * than by code per message:
 *
 *   - fields in field-number order, only those present on the wire
 *     (repeated ones when they have at least one value), under their
 *     .proto names;
 *   - integers as numbers, bools as true/false, enums by value name,
 *     bytes in base64 with a newline after every 76 characters and at the
 *     end (Python's base64.encodebytes), sub-messages as objects;
 *   - strings as they are when they are valid UTF-8, otherwise as Python
 *     prints the bytes ("b'\xff...'"), as crit does;
 *   - unix_sk_entry.name quoted-printable, as crit does;
 *   - with PBJSON_PRETTY, crit --pretty's renderings of the fields CRIU
 *     marks with its (criu) options: "0x..." for hex fields (and for every
 *     integer inside a hex sub-message, such as the registers in gpregs),
 *     "A | B | 0x..." for flags, "major:minor" for devices, dotted or
 *     colon notation for IP addresses, names for socket families, types,
 *     states, protocols and task states.  The marks are a table in
 *     pbjson.c, as protoc-c does not carry custom options into C.
 *
 * Where crit would fail or drop data, this goes on and keeps it: a field
 * the descriptor does not know, a field with an unexpected wire type, and
 * an enum value without a name (which protobuf treats as unknown) appear
 * under their field number as raw values: varints and fixed-size values as
 * unsigned numbers, length-delimited ones and groups in base64; a field
 * seen more than once gives an array.  A NULL descriptor decodes a whole
 * message that way.  Merging follows protobuf: the last value of a
 * non-repeated field wins, repeated sub-messages of a non-repeated field
 * merge, packed and unpacked repeated scalars are both read.
 *
 * Never trusts the input: every length is checked, nesting is limited to
 * PBJSON_MAX_DEPTH, and the only allocations are of the output.
 */

#include <stddef.h>
#include <stdint.h>

#include <json.h>
#include <protobuf-c/protobuf-c.h>

#define PBJSON_PRETTY		0x1	/* crit decode --pretty */
#define PBJSON_MAX_DEPTH	100	/* Python protobuf's recursion limit */

/*
 * Decodes buf as a message of type desc (NULL: unknown) into a new object
 * the caller puts.  Returns NULL, with a static reason in *why, when buf is
 * not protobuf wire format (truncated or overlong values, bad tags or wire
 * types, lengths past the end, nesting too deep).  Never warns: the caller
 * knows which entry of which image it was.
 */
struct json_object *pbjson_decode(const ProtobufCMessageDescriptor *desc,
    const uint8_t *buf, size_t len, int flags, const char **why);

/* bytes as crit shows them: base64, in lines of 76, each ending in "\n". */
struct json_object *pbjson_base64(const void *buf, size_t len);

#endif
